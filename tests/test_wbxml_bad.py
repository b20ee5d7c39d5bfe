"""Hostile and broken WBXML: every decoder hardening rule is a DecodeError with
the byte offset, the element path and the status a server answers with.

One table: (name, input, reason pattern, byte offset, path, status).  The
offsets are computed from the pieces the input is built of, so each row says
where the problem is.
"""

from __future__ import annotations

import re
import tracemalloc
from dataclasses import dataclass, field

import pytest

import syncml
from syncml import _wbxml_tables as t

from .wbxml_tokens import alert, document, el, header, mb, message, meta, mi, opaque, s, switch

HEAD = b"\x03\xa4\x01\x6a\x00"  # WBXML 1.3, SyncML 1.2, UTF-8, no string table
ROOT = bytes([0x6D])  # <SyncML> with content
HDR = header()
OPEN_BODY = HEAD + ROOT + HDR + bytes([0x6B])  # ... <SyncBody>


def _body(*commands: bytes) -> bytes:
    return OPEN_BODY + b"".join(commands) + b"\x01\x01"


def _in_body(before: bytes, bad: bytes, after: bytes = b"\x01\x01") -> tuple[bytes, int]:
    """*bad* inside SyncBody after *before*; returns the input and the offset of *bad*."""
    prefix = OPEN_BODY + before
    return prefix + bad + after, len(prefix)


def _replace_data(*content: bytes, item_meta: bytes = b"") -> tuple[bytes, int]:
    """A Replace whose Item Data holds *content*; the offset is that of the Data tag."""
    before = OPEN_BODY + bytes([0x60]) + el("CmdID", s("2")) + bytes([0x54]) + item_meta
    data = el("Data", *content)
    return before + data + b"\x01\x01\x01\x01", len(before)


@dataclass(frozen=True)
class Bad:
    name: str
    data: bytes
    reason: str
    offset: int | None
    path: str | None
    status: int = 400
    limits: syncml.Limits = field(default_factory=syncml.Limits)
    strict: bool = False


def _row(name: str, made: tuple[bytes, int], reason: str, path: str | None, status: int = 400) -> Bad:
    return Bad(name, made[0], reason, made[1], path, status)


TRUNCATED = message()
NESTED_DEVINF = b"\x03" + mb(0x1203) + b"\x6a\x00\x4a\x51" + s("x") + b"\x01\x01"  # <DevInf><Man>x</Man></DevInf>
DEVINF_META = meta(mi("Type", t.DEVINF.wbxml_type))
BODY = "SyncML/SyncBody"
DATA = "SyncML/SyncBody/Replace[1]/Item[1]/Data"

TABLE = [
    # --- header ----------------------------------------------------------------------
    Bad("WBXML 1.0", b"\x00\x01\x6a\x00\x6d\x01", "version 0.0 is not supported", 0, None, 415),
    Bad("unknown version byte", b"\x04\x01\x6a\x00\x6d\x01", "version 0.4 is not supported", 0, None, 415),
    Bad("public id longer than 5 bytes", b"\x03\x81\x81\x81\x81\x81\x01", "longer than 5 bytes", 1, None),
    Bad("public id beyond 32 bits", b"\x03\x90\x80\x80\x80\x00\x6a\x00", "does not fit in 32 bits", 1, None),
    Bad("input ends inside the public id", b"\x03\xa4", "unexpected end", 2, None),
    Bad("DevInf public id at the top", message(public_id=mb(0x1203)), "public id 0x1203 is not SyncML", 1, None, 415),
    Bad("SyncML 1.0 public id", message(public_id=mb(0x0FD1)), "SyncML 1.0", 1, None, 505),
    Bad(
        "SyncML 1.0 literal id",
        message(public_id=b"\x00\x00", table=b"-//SYNCML//DTD SyncML 1.0//EN\x00"),
        "SyncML 1.0",
        1,
        None,
        505,
    ),
    Bad(
        "literal public id outside the table",
        message(public_id=b"\x00\x05", table=b"ab\x00"),
        "outside the 3-byte table",
        1,
        None,
    ),
    Bad("UTF-16 charset", message(charset=1015), "charset MIBenum 1015 is not supported", 3, None, 415),
    Bad(
        "string table longer than the input",
        b"\x03\xa4\x01\x6a" + mb(1_000_000) + b"ab",
        "string table of 1000000 bytes, but only 2",
        4,
        None,
    ),
    # --- structure ------------------------------------------------------------------------
    Bad("no root element", HEAD, "no root element", 5, None),
    Bad("root is not SyncML", HEAD + alert(), "root element is <Alert>", 5, None),
    Bad("processing instruction before the root", HEAD + b"\x43" + ROOT, "processing instructions", 5, None),
    Bad(
        "missing END (truncated)", TRUNCATED[:-1], "unexpected end", len(TRUNCATED) - 1, BODY.split("/", maxsplit=1)[0]
    ),
    Bad("bytes after the document", TRUNCATED + b"\x01", "1 bytes after the end", len(TRUNCATED), "SyncML"),
    _row("SWITCH_PAGE to an unknown page", _in_body(b"", switch(5) + alert()), "code page 5", BODY),
    _row("undefined token (0x30 is reserved)", _in_body(b"", b"\x30"), "undefined token 0x30 in code page 0", BODY),
    _row("undefined MetInf token", _in_body(switch(1), b"\x3f"), "undefined token 0x3f in code page 1", BODY),
    _row("EXT_I_0 in content", _in_body(b"", b"\x40" + s("x")), "EXT_I_0 is not allowed in <SyncBody>", BODY),
    _row(
        "attribute start on a SyncML tag",
        _in_body(b"", bytes([0xC6]) + b"\x04\x00" + s("x") + b"\x01"),
        "attributes on <Alert>",
        BODY + "/Alert[1]",
    ),
    Bad(
        "attribute token instead of LITERAL",
        HEAD + ROOT + HDR + bytes([0xEB, 0x05, 0x01]) + alert() + b"\x01\x01",
        "undefined attribute token 0x05",
        len(HEAD + ROOT + HDR) + 1,
        BODY,
    ),
    _row(
        "tag inside a token element",
        _in_body(b"\x46\x4b", el("Final"), b"\x01\x01\x01\x01"),
        "<CmdID> must hold text, not <Final>",
        BODY + "/Alert[1]/CmdID",
    ),
    _row("text in an empty element", _in_body(alert(), el("Final", s("x"))), "<Final> must be empty", BODY + "/Final"),
    _row(
        "missing required child",
        _in_body(b"", el("Alert", el("Data", s("1201")))),
        "<Alert> is missing <CmdID>",
        BODY + "/Alert[1]",
    ),
    _row(
        "duplicate child",
        _in_body(b"\x46" + el("CmdID", s("1")), el("CmdID", s("2")), b"\x01\x01\x01"),
        "more than one <CmdID>",
        BODY + "/Alert[1]/CmdID",
    ),
    _row(
        "unknown element",
        _in_body(alert(), el("Field", el("CmdID", s("1")))),
        "unknown element <Field> in <SyncBody>",
        BODY,
    ),
    Bad(
        "literal tag named outside the table",
        OPEN_BODY + alert() + b"\x04" + mb(9) + b"\x01\x01",
        "string-table index 9 outside the 0-byte table",
        len(OPEN_BODY + alert()),
        BODY,
    ),
    # --- text -------------------------------------------------------------------------------
    _row(
        "inline string without NUL",
        _in_body(b"\x46\x4b", b"\x03abc", b""),
        "without its terminating NUL",
        BODY + "/Alert[1]/CmdID",
    ),
    Bad(
        "STR_T outside the table",
        document(ROOT + HDR.replace(s("dev"), b"\x83" + mb(7)) + el("SyncBody", alert()) + b"\x01", table=b"abc\x00"),
        "string-table index 7 outside the 4-byte table",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    Bad(
        "string-table entry without NUL",
        document(ROOT + HDR.replace(s("dev"), b"\x83" + mb(0)) + el("SyncBody", alert()) + b"\x01", table=b"abc"),
        "entry at index 0 does not end with NUL",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    Bad(
        "invalid UTF-8",
        message(hdr=HDR.replace(s("dev"), b"\x03d\xffv\x00")),
        r"not utf-8 \(invalid start byte\)",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    Bad(
        "control character",
        message(hdr=HDR.replace(s("dev"), s("d\x01v"))),
        "U\\+0001 cannot be written in XML",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    Bad(
        "ENTITY beyond Unicode",
        message(hdr=HDR.replace(s("dev"), b"\x02" + mb(0x110000))),
        "ENTITY 0x110000 is not a Unicode character",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    Bad(
        "ENTITY surrogate",
        message(hdr=HDR.replace(s("dev"), b"\x02" + mb(0xD800))),
        "ENTITY 0xd800 is not a Unicode",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    Bad(
        "ENTITY control character",
        message(hdr=HDR.replace(s("dev"), b"\x02" + mb(1))),
        "ENTITY U\\+0001 cannot be written",
        None,
        "SyncML/SyncHdr/Target/LocURI",
    ),
    # --- OPAQUE and Data ------------------------------------------------------------------------
    Bad(
        "OPAQUE longer than the input",
        OPEN_BODY + b"\x60\x4b\x03\x32\x00\x01\x54\x4f\xc3" + mb(0xFFFFFFFF) + b"ab",
        "OPAQUE of 4294967295 bytes, but only 2 are left",
        len(OPEN_BODY) + 8,
        DATA,
    ),
    Bad(
        "undeclared prefix in a Data attribute",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el(
                    "Replace", el("CmdID", s("2")), el("Item", el("Data", s("1"), attrs=b"\x04\x00" + s("v") + b"\x01"))
                ),
            )
            + b"\x01",
            table=b"p:a\x00",
        ),
        "attribute 'p:a' uses an undeclared prefix",
        None,
        DATA,
    ),
    _row(
        "attributes on Alert Data",
        _in_body(b"\x46" + el("CmdID", s("1")), el("Data", s("1"), attrs=b"\x04\x00\x01"), b"\x01\x01\x01"),
        "attributes on <Data> here",
        BODY + "/Alert[1]/Data",
    ),
    Bad(
        "markup that is not XML (a literal named 1a)",
        document(
            ROOT
            + HDR
            + el("SyncBody", el("Replace", el("CmdID", s("2")), el("Item", el("Data", b"\x04\x00"))))
            + b"\x01",
            table=b"1a\x00",
        ),
        "not well-formed XML",
        None,
        DATA,
    ),
    Bad(
        "nested document that is garbage",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el(
                    "Replace",
                    el("CmdID", s("2")),
                    el("Item", DEVINF_META, el("Data", opaque(b"\x03\xa4\x03\x6a\x00\x4a\x3f\x01"))),
                ),
            )
            + b"\x01"
        ),
        "undefined token 0x3f in code page 0",
        None,
        DATA,
    ),
    Bad(
        "nested document with another root",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el(
                    "Replace",
                    el("CmdID", s("2")),
                    el("Item", DEVINF_META, el("Data", opaque(b"\x03\xa4\x03\x6a\x00\x11"))),
                ),
            )
            + b"\x01"
        ),
        "root is not <DevInf>",
        None,
        DATA,
    ),
    Bad(
        "nested document with a SyncML public id",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el(
                    "Replace",
                    el("CmdID", s("2")),
                    el("Item", DEVINF_META, el("Data", opaque(b"\x03\xa4\x01\x6a\x00\x0a"))),
                ),
            )
            + b"\x01"
        ),
        "public id 0x1201 is not DevInf",
        None,
        DATA,
    ),
    Bad(
        "nested document with bytes after its root",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el(
                    "Replace", el("CmdID", s("2")), el("Item", DEVINF_META, el("Data", opaque(NESTED_DEVINF + b"\x01")))
                ),
            )
            + b"\x01"
        ),
        "1 bytes after the end",
        None,
        DATA,
    ),
    # --- limits and versions ------------------------------------------------------------------
    Bad("over max_size", message(), "exceeds the 50-byte limit", None, None, 413, syncml.Limits(max_size=50)),
    Bad(
        "over max_nodes",
        message(),
        "more than 10 elements",
        None,
        "SyncML/SyncBody",
        413,
        syncml.Limits(max_nodes=10),
    ),
    Bad(
        "over max_depth",
        message(el("Atomic", el("CmdID", s("1")), el("Atomic", el("CmdID", s("2")), alert()))),
        "nesting deeper than 4 elements",
        None,
        BODY + "/Atomic[1]/Atomic[1]",
        400,
        syncml.Limits(max_depth=4),
    ),
    Bad(
        "over max_depth inside a nested document",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el("Replace", el("CmdID", s("2")), el("Item", DEVINF_META, el("Data", opaque(NESTED_DEVINF)))),
            )
            + b"\x01"
        ),
        "nesting deeper than 6 elements",
        None,
        DATA,
        400,
        syncml.Limits(max_depth=6),
    ),
    Bad(
        "over max_nodes inside a nested document",
        document(
            ROOT
            + HDR
            + el(
                "SyncBody",
                el("Replace", el("CmdID", s("2")), el("Item", DEVINF_META, el("Data", opaque(NESTED_DEVINF)))),
            )
            + b"\x01"
        ),
        "more than 16 elements",
        None,
        DATA,
        413,
        syncml.Limits(max_nodes=16),
    ),
    Bad(
        "over max_attributes",
        message(
            root_attrs=b"\x04\x00" + s("urn:a") + b"\x04\x09" + s("urn:b") + b"\x01", table=b"xmlns:a\x00xmlns:b\x00"
        ),
        "more than 1 attributes on one element",
        5 + len(b"xmlns:a\x00xmlns:b\x00"),
        "SyncML",
        413,
        syncml.Limits(max_attributes=1),
    ),
    Bad("unsupported VerDTD", message(hdr=header("1.3")), "unsupported VerDTD '1.3'", 5, "SyncML", 505),
    Bad(
        "VerProto that is neither DM nor data sync, strictly",
        message(hdr=HDR.replace(s("DM/1.2"), s("OBEX/1.0"))),
        "unsupported VerProto",
        5,
        "SyncML",
        513,
        strict=True,
    ),
    Bad(
        "root attribute other than xmlns",
        message(root_attrs=b"\x04\x00" + s("x") + b"\x01", table=b"id\x00"),
        "unexpected attribute 'id' on <SyncML>",
        5 + len(b"id\x00"),
        "SyncML",
    ),
    Bad(
        "declaration of a prefix that is not a name (found by mutation)",
        document(
            ROOT + HDR + el("SyncBody", alert(), attrs=b"\x04\x00" + s("urn:x") + b"\x01") + b"\x01",
            table=b'xmlns:msf"\x00',
        ),
        "cannot declare prefix 'msf\"'",
        len(HEAD) + len(b'xmlns:msf"\x00') + 1 + len(HDR),
        BODY,
    ),
    Bad(
        "attribute given twice",
        message(root_attrs=b"\x04\x00" + s("urn:a") + b"\x04\x00" + s("urn:b") + b"\x01", table=b"xmlns:a\x00"),
        "attribute 'xmlns:a' given twice",
        5 + len(b"xmlns:a\x00") + 1 + 2 + len(s("urn:a")),  # the second one
        "SyncML",
    ),
    Bad(
        "Nokia xmlns that is not SyncML",
        message(root_attrs=b"\x04\x00" + s("urn:x") + b"\x01"),
        "not SyncML: namespace 'urn:x'",
        5,
        "SyncML",
    ),
]


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_bad_input(case: Bad) -> None:
    with pytest.raises(syncml.DecodeError) as info:
        syncml.parse(case.data, strict=case.strict, limits=case.limits)
    error = info.value
    assert re.search(case.reason, error.reason), error.reason
    if case.offset is not None:
        assert error.offset == case.offset
    else:
        assert error.offset is not None
    assert error.path == case.path
    assert error.status == case.status
    assert error.line is None
    assert 0 <= error.offset <= len(case.data)


def test_message_names_offset_and_path() -> None:
    data, offset = _in_body(b"", b"\x30")
    with pytest.raises(syncml.DecodeError) as info:
        syncml.parse(data)
    assert offset == 54
    assert str(info.value) == "undefined token 0x30 in code page 0 - at SyncML/SyncBody (byte 54)"


def test_a_huge_opaque_length_allocates_nothing() -> None:
    data = OPEN_BODY + b"\x60\x4b\x03\x32\x00\x01\x54\x4f\xc3" + mb(0xFFFFFFF0)
    tracemalloc.start()
    try:
        with pytest.raises(syncml.DecodeError):
            syncml.parse(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize("name", ["LocURI", "Exec"])
def test_a_literal_tag_naming_a_known_element_is_refused_even_kept(name: str) -> None:
    """A LITERAL tag named like an element its parent knows cannot be kept as Unknown.

    Its XML form reads back as that element (here a second LocURI in Source, or an
    Exec in SyncBody), so WBXML refuses it as XML would, whatever keep_unknown says.
    """
    literal = b"\x44\x00" + s("x") + b"\x01"  # LITERAL with content, named by table entry 0
    if name == "LocURI":
        hdr = header().replace(el("Source", el("LocURI", s("srv"))), el("Source", el("LocURI", s("srv")), literal))
        data = message(hdr=hdr, table=b"LocURI\x00")
        path = "SyncML/SyncHdr/Source"
    else:
        data = message(alert(), literal, table=b"Exec\x00")
        path = "SyncML/SyncBody"
    for keep in (False, True):
        with pytest.raises(syncml.DecodeError) as info:
            syncml.parse(data, keep_unknown=keep)
        assert info.value.path == path
        assert info.value.offset is not None
        assert info.value.offset == data.index(literal)
    # The same LITERAL tag under a name nobody knows is still kept.
    other = data.replace(name.encode() + b"\x00", b"Q" * len(name) + b"\x00")
    assert "<" + "Q" * len(name) in repr(syncml.parse(other, keep_unknown=True))
