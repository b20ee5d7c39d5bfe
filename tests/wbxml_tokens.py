"""Hand-assembled WBXML for the tests: readable token by token.

``message(el("SyncBody", ...))`` builds a whole document around a standard
header; ``el`` writes a tag with the right content flag, ``s`` an inline
string, ``meta`` a Meta with its MetInf children in code page 1.
"""

from __future__ import annotations

from syncml import _wbxml_tables as t


def mb(value: int) -> bytes:
    """An mb_u_int32."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(reversed(out))


def s(text: str) -> bytes:
    """STR_I."""
    return bytes([t.STR_I]) + text.encode() + b"\x00"


def opaque(data: bytes) -> bytes:
    return bytes([t.OPAQUE]) + mb(len(data)) + data


def switch(page: int) -> bytes:
    return bytes([t.SWITCH_PAGE, page])


def el(name: str, *content: bytes, page: int = 0, attrs: bytes = b"") -> bytes:
    """A tag from code page 0 (or 1), its content, END; no content means an empty tag."""
    token = (t.SYNCML_TAGS if page == 0 else t.METINF_TAGS)[name]
    flags = (t.HAS_CONTENT if content else 0) | (t.HAS_ATTRIBUTES if attrs else 0)
    body = b"".join(content)
    return bytes([token | flags]) + attrs + body + (b"\x01" if content else b"")


def mi(name: str, text: str | None = None) -> bytes:
    """A MetInf element (the caller is in code page 1)."""
    return el(name, s(text), page=1) if text is not None else el(name, page=1)


def meta(*children: bytes, back: bool = True) -> bytes:
    """Meta with its MetInf children; the code page goes back to 0 after it (as
    an encoder does when a SyncML tag follows) unless *back* is false."""
    return el("Meta", switch(1), *children) + (switch(0) if back else b"")


def header(version: str = "1.2", *extra: bytes) -> bytes:
    return el(
        "SyncHdr",
        el("VerDTD", s(version)),
        el("VerProto", s(f"DM/{version}")),
        el("SessionID", s("1")),
        el("MsgID", s("1")),
        el("Target", el("LocURI", s("dev"))),
        el("Source", el("LocURI", s("srv"))),
        *extra,
    )


def alert(cmd_id: str = "1", code: str = "1201") -> bytes:
    return el("Alert", el("CmdID", s(cmd_id)), el("Data", s(code)))


def document(
    body: bytes, *, version: int = 3, public_id: bytes = b"\xa4\x01", charset: int = 106, table: bytes = b""
) -> bytes:
    """Header bytes, string table, then *body* (the root element)."""
    return bytes([version]) + public_id + mb(charset) + mb(len(table)) + table + body


def message(
    *commands: bytes,
    hdr: bytes | None = None,
    root_attrs: bytes = b"",
    version: int = 3,
    public_id: bytes = b"\xa4\x01",
    charset: int = 106,
    table: bytes = b"",
) -> bytes:
    """A whole SyncML 1.2 message around *commands* (an Alert 1201 if none)."""
    body = el("SyncBody", *(commands or (alert(),)))
    root = el("SyncML", hdr if hdr is not None else header(), body, attrs=root_attrs)
    return document(root, version=version, public_id=public_id, charset=charset, table=table)
