"""DevInf as a WBXML document of its own (public id 0x1203 for 1.2, 0x0FD4 for 1.1).

DevInf has one code page (page 0, namespace ``syncml:devinf``) and no
attributes; its tokens are :data:`syncml._wbxml_tables.DEVINF`'s, as
libwbxml's tables carry them (docs/conformance.md, DevInf).  The reader checks every
bound before reading, as the SyncML message decoder does: a multi-byte
integer has at most five bytes and fits in 32 bits, every length and
string-table index lies inside the document, a string-table entry ends with
NUL inside the table, ENTITY code points are XML characters.  Decoded text
is charged to ``Limits.output_budget`` (the string table lets two bytes
stand for a whole entry), elements to ``max_nodes``, nesting to
``max_depth``.  Every problem is a :class:`~syncml.DecodeError` with the
byte offset.
"""

from __future__ import annotations

import re

from .. import _meter
from .. import _wbxml_tables as t
from .._quirks import QuirkKind
from ..errors import DecodeError, EncodeError
from ..limits import Limits
from . import devinf as d
from ._devinf_tree import NAMES, Node, Reading, read_devinf, write_devinf

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DEVINF_10_PUBLIC_ID = 0x0FD2
#: Public id -> token table; DevInf 1.0 is read with 1.1's tokens.
_TABLES = {**t.DEVINF.tags_by_public_id, _DEVINF_10_PUBLIC_ID: t.DEVINF.tags_by_public_id[0x0FD4]}
_NAMES = {pid: {token: name for name, token in tags.items()} for pid, tags in _TABLES.items()}
_PUBLIC_ID_BY_VERSION = {"1.2": 0x1203, "1.1": 0x0FD4, "1.0": _DEVINF_10_PUBLIC_ID}
_VERSION_BY_PUBLIC_ID = {pid: version for version, pid in _PUBLIC_ID_BY_VERSION.items()}
_TEXT_TOKENS = frozenset({t.STR_I, t.STR_T, t.ENTITY, t.OPAQUE})
#: LITERAL tag tokens, as the tag byte they stand for (content and attribute bits).
_LITERALS = {t.LITERAL: 0, t.LITERAL_C: t.HAS_CONTENT, t.LITERAL_A: t.HAS_ATTRIBUTES, t.LITERAL_AC: 0xC0}


class _Reader:
    """One DevInf WBXML document being read: position, string table, budgets."""

    def __init__(self, buf: bytes, reading: Reading, limits: Limits) -> None:
        self.buf = buf
        self.pos = 0
        self.end = len(buf)
        self.reading = reading
        self.codec = "utf-8"
        self.table = (0, 0)
        self.names: dict[int, str] = {}
        self.public_id = 0
        self.max_depth = limits.max_depth
        self.max_nodes = limits.max_nodes
        self.nodes = 0
        self.output_left = limits.output_budget(len(buf))
        self.path: list[str] = []

    def error(self, reason: str, offset: int, status: int = 400) -> DecodeError:
        return DecodeError(reason, offset=offset, path="/".join(self.path) or None, status=status)

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.error("unexpected end of the WBXML document", self.end)
        value = self.buf[self.pos]
        self.pos += 1
        return value

    def uint(self) -> int:
        start = self.pos
        value = 0
        for _ in range(5):
            byte = self.byte()
            value = value << 7 | byte & 0x7F
            if not byte & 0x80:
                if value >> 32:
                    raise self.error("multi-byte integer does not fit in 32 bits", start)
                return value
        raise self.error("multi-byte integer longer than 5 bytes", start)

    def text(self, start: int, stop: int) -> str:
        self.output_left -= stop - start
        if self.output_left < 0:
            raise self.error("decoded text exceeds the output limit", start, status=413)
        try:
            text = self.buf[start:stop].decode(self.codec)
        except UnicodeDecodeError as exc:
            raise self.error(f"text is not {self.codec} ({exc.reason})", start + exc.start) from None
        bad = _NOT_XML.search(text)
        if bad is not None:
            offset = start + len(text[: bad.start()].encode(self.codec, "surrogatepass"))
            raise self.error(f"character U+{ord(bad.group()):04X} cannot be written in XML", offset)
        return text

    def table_string(self, index: int, offset: int) -> str:
        start, stop = self.table
        if index >= stop - start:
            raise self.error(f"string-table index {index} outside the {stop - start}-byte table", offset)
        nul = self.buf.find(0, start + index, stop)
        if nul < 0:
            raise self.error(f"string-table entry at index {index} does not end with NUL", offset)
        return self.text(start + index, nul)

    # --- header -------------------------------------------------------------------------------

    def header(self) -> None:
        version = self.byte()
        if version not in t.VERSION_NAMES:
            raise self.error(f"WBXML version byte {version:#04x} is not 1.1 to 1.3", 0, status=415)
        at = self.pos
        public_id = self.uint()
        fpi_index = self.uint() if public_id == t.LITERAL_PUBLIC_ID else -1
        charset_at = self.pos
        charset = self.uint()
        codec = t.CHARSETS.get(charset)
        if codec is None:
            raise self.error(f"charset MIBenum {charset} is not supported (UTF-8 is 106)", charset_at, status=415)
        self.codec = codec
        size_at = self.pos
        size = self.uint()
        if size > self.end - self.pos:
            raise self.error(f"string table of {size} bytes, but only {self.end - self.pos} are left", size_at)
        self.table = (self.pos, self.pos + size)
        self.pos += size
        if fpi_index >= 0:
            fpi = self.table_string(fpi_index, at).strip().upper()
            public_id = t.DEVINF.fpis.get(fpi, t.UNKNOWN_PUBLIC_ID)
        if public_id == t.UNKNOWN_PUBLIC_ID:
            top = Node("DevInf", offset=at)
            self.reading.quirk(
                QuirkKind.WBXML_UNKNOWN_PUBLIC_ID, "no DevInf public id: read as DevInf 1.2", top, "DevInf"
            )
            public_id = 0x1203
        names = _NAMES.get(public_id)
        if names is None:
            raise self.error(f"public id {public_id:#x} is not a DevInf document", at, status=415)
        self.names = names
        self.public_id = public_id

    # --- body ---------------------------------------------------------------------------------

    def element(self, depth: int) -> Node:
        at = self.pos
        token = self.byte()
        if token == t.SWITCH_PAGE:
            page = self.byte()
            if page != 0:
                raise self.error(f"SWITCH_PAGE to code page {page}: DevInf has only page 0", at)
            at, token = self.pos, self.byte()
        name: str | None
        if token in _LITERALS:
            token = _LITERALS[token]
            name = self.literal_name(at)
        else:
            name = self.names.get(token & t.TOKEN_MASK) if token not in t.GLOBAL_NAMES else None
        if name is None:
            shown = t.GLOBAL_NAMES.get(token) or f"undefined token {token:#04x}"
            raise self.error(f"{shown} where a DevInf element must start", at)
        self.path.append(name)
        if token & t.HAS_ATTRIBUTES:
            raise self.error(f"<{name}> has attributes; DevInf defines none", at)
        if depth > self.max_depth:
            raise self.error(f"nesting deeper than {self.max_depth} elements", at)
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.error(f"more than {self.max_nodes} elements", at, status=413)
        node = Node(name, offset=at)
        if token & t.HAS_CONTENT:
            self.content(node, depth)
        self.path.pop()
        return node

    def literal_name(self, at: int) -> str:
        # libwbxml writes an element its table lacks as a LITERAL tag: DevInf
        # 1.1's Size in a document it codes with the 1.2 public id.
        name = self.table_string(self.uint(), at)
        if name not in NAMES:
            raise self.error(f"LITERAL tag <{name}> is not a DevInf element", at)
        return name

    def content(self, node: Node, depth: int) -> None:
        parts: list[str] = []
        while True:
            if self.pos >= self.end:
                raise self.error("unexpected end of the WBXML document", self.end)
            token = self.buf[self.pos]
            if token == t.END:
                self.pos += 1
                node.text = "".join(parts)
                return
            if token in _TEXT_TOKENS:
                parts.append(self.text_token(token))
            else:
                node.children.append(self.element(depth + 1))

    def text_token(self, token: int) -> str:
        at = self.pos
        self.pos += 1
        if token == t.STR_I:
            nul = self.buf.find(0, self.pos, self.end)
            if nul < 0:
                raise self.error("inline string without its terminating NUL", at)
            start, self.pos = self.pos, nul + 1
            return self.text(start, nul)
        if token == t.STR_T:
            return self.table_string(self.uint(), at)
        if token == t.ENTITY:
            code = self.uint()
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or _NOT_XML.match(chr(code)):
                raise self.error(f"ENTITY {code:#x} is not an XML character", at)
            return chr(code)
        length = self.uint()
        if length > self.end - self.pos:
            raise self.error(f"OPAQUE of {length} bytes, but only {self.end - self.pos} are left", at)
        start = self.pos
        self.pos += length
        return self.text(start, self.pos)


def decode(data: bytes, *, strict: bool, limits: Limits) -> d.DevInf:
    if len(data) > limits.max_size:
        raise DecodeError(f"input of {len(data)} bytes exceeds the {limits.max_size}-byte limit", status=413)
    reading = Reading(strict=strict)
    reader = _Reader(data, reading, limits)
    reader.header()
    root = reader.element(1)
    if root.name != "DevInf":
        raise DecodeError(f"the root is <{root.name}>, not <DevInf>", offset=root.offset, path=root.name)
    if reader.pos != reader.end:
        raise reader.error(f"{reader.end - reader.pos} bytes after the end of the document", reader.pos)
    written = _VERSION_BY_PUBLIC_ID[reader.public_id]
    ver_dtd = next((child.text.strip() for child in root.children if child.name == "VerDTD"), written)
    if ver_dtd != written:
        # libwbxml codes every DevInf document with the 1.2 public id.
        message = f"DevInf {ver_dtd} coded with the DevInf {written} public id"
        reading.quirk(QuirkKind.VERSION_MISMATCH, message, root, "DevInf")
    devinf = read_devinf(root, reading)
    _meter.record(work=len(data), output=limits.output_budget(len(data)) - reader.output_left, nodes=reader.nodes)
    return devinf


# --- writing ---------------------------------------------------------------------------------------


def _mb_uint(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(reversed(out))


def encode(devinf: d.DevInf) -> bytes:
    public_id = _PUBLIC_ID_BY_VERSION.get(devinf.ver_dtd, 0x1203)
    tags = _TABLES[public_id]
    out = bytearray(b"\x03" + _mb_uint(public_id) + _mb_uint(t.UTF_8) + b"\x00")
    _write(write_devinf(devinf), tags, out, "DevInf")
    return bytes(out)


def _write(node: Node, tags: dict[str, int], out: bytearray, path: str) -> None:
    token = tags.get(node.name)
    if token is None:
        raise EncodeError(f"<{node.name}> has no token in this DevInf version's WBXML table", path=path)
    if not node.children and not node.text:
        out.append(token)
        return
    out.append(token | t.HAS_CONTENT)
    if node.text:
        bad = _NOT_XML.search(node.text)
        if bad is not None:
            raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML", path=path)
        out.append(t.STR_I)
        out += node.text.encode("utf-8") + b"\x00"
    for child in node.children:
        _write(child, tags, out, f"{path}/{child.name}")
    out.append(t.END)
