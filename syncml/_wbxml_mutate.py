"""Structure-aware mutation of WBXML SyncML messages, for :mod:`syncml.fuzzing`.

A byte-level fuzzer rarely writes a valid multi-byte integer, let alone a
string-table index that points at an entry, so it never finds what WBXML
adds to XML's attack surface: the string table (one two-byte ``STR_T``
reference stands for a whole entry), ``LITERAL`` tags named from it,
``OPAQUE`` payloads (binary, or whole nested DevInf and DM DDF documents with
their own tables) and one-byte tags that nest cheaply.  :func:`mutate_wbxml`
reads the document's header, string table and tokens tolerantly (what it
cannot read is kept as it was), applies one :class:`WbxmlMutation` that knows
those structures, and writes the document back with every string-table index
moved along with the entry it names.  Bytes in, bytes out, seeded, standard
library only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from . import _wbxml_tables as t
from .errors import SyncMLError

__all__ = ["SEED_MESSAGE", "WbxmlMutation", "mutate_wbxml", "read_tokens", "wbxml_custom_mutator"]


class WbxmlMutation(StrEnum):
    """One kind of change :func:`mutate_wbxml` can make."""

    TABLE = "table"  #: grow a string-table entry: every STR_T and LITERAL naming it grows with it
    STR_T = "str-t"  #: move inline text into the table, or repeat an STR_T reference many times
    LITERAL = "literal"  #: add LITERAL tags (empty or with content) named from the string table
    OPAQUE = "opaque"  #: flood with small OPAQUE tokens, or add one large or binary OPAQUE
    NESTED = "nested"  #: an Item whose Data is a nested DevInf or DM DDF document in OPAQUE
    DEEPEN = "deepen"  #: wrap an element in many containers
    ATTRIBUTES = "attributes"  #: give a tag literal attributes (many, repeated, odd values)
    NAMESPACES = "namespaces"  #: namespace declarations (xmlns, xmlns:pN) as literal attributes
    DUPLICATE = "duplicate"  #: repeat an element many times
    DROP = "drop"  #: remove an element or one token
    TOKEN = "token"  #: flip a tag's flags, switch code page, add or remove END, add an ENTITY
    HEADER = "header"  #: change the version, public id, charset or string-table length
    TRUNCATE = "truncate"  #: cut the document short at a token boundary


class Kind(IntEnum):
    """What one token of a WBXML body is."""

    TAG = 0  #: a tag token of the current code page
    LITERAL_TAG = 1  #: LITERAL, LITERAL_C, LITERAL_A or LITERAL_AC and its index
    ATTRIBUTE = 2  #: LITERAL starting an attribute, and its index
    STR_I = 3
    STR_T = 4
    OPAQUE = 5
    ENTITY = 6
    END = 7
    SWITCH_PAGE = 8
    OTHER = 9  #: anything else, or bytes a mutation spliced in whole


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its bytes, or its opcode and string-table index for the kinds that name an entry."""

    kind: Kind
    raw: bytes = b""
    opcode: int = 0
    index: int = -1

    def encode(self) -> bytes:
        return bytes([self.opcode]) + _mb(self.index) if self.index >= 0 else self.raw

    @property
    def flags(self) -> int:
        """HAS_ATTRIBUTES / HAS_CONTENT of a tag."""
        if self.kind is Kind.TAG:
            return self.raw[0] & 0xC0
        if self.kind is Kind.LITERAL_TAG:
            return {t.LITERAL: 0, t.LITERAL_C: 0x40, t.LITERAL_A: 0x80, t.LITERAL_AC: 0xC0}[self.opcode]
        return 0


@dataclass(frozen=True, slots=True)
class Document:
    """A WBXML document as :func:`read_tokens` found it."""

    head: bytes  # version, public id (and its string-table index), charset
    table: bytes
    tokens: tuple[Token, ...]
    tail: bytes  # what could not be read as tokens, kept as it was

    def write(self, tokens: Iterable[Token] | None = None, table: bytes | None = None) -> bytes:
        table = self.table if table is None else table
        body = b"".join(token.encode() for token in (self.tokens if tokens is None else tokens))
        return self.head + _mb(len(table)) + table + body + self.tail


@dataclass(frozen=True, slots=True)
class _Span:
    """An element: token indexes of its tag, of its first content token, and just after its END."""

    start: int
    open_end: int
    end: int
    content: bool


class _Bad(Exception):
    """The bytes end inside a token."""


def _mb(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(reversed(out))


def _uint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for _ in range(5):
        if pos >= len(data):
            raise _Bad
        byte = data[pos]
        pos += 1
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            return value, pos
    raise _Bad


def _header(data: bytes) -> tuple[bytes, bytes, int]:
    """(head, table, position of the body)."""
    if not data or data[0] > 0x0F:
        raise _Bad
    public_id, pos = _uint(data, 1)
    if public_id == t.LITERAL_PUBLIC_ID:
        _, pos = _uint(data, pos)
    _, pos = _uint(data, pos)  # charset
    head = data[:pos]
    size, pos = _uint(data, pos)
    if pos + size > len(data):
        raise _Bad
    return head, data[pos : pos + size], pos + size


_LITERAL_FLAGS = {t.LITERAL, t.LITERAL_C, t.LITERAL_A, t.LITERAL_AC}


def _token(data: bytes, pos: int, in_attributes: bool) -> tuple[Token, int]:
    byte = data[pos]
    if byte == t.SWITCH_PAGE:
        if pos + 2 > len(data):
            raise _Bad
        return Token(Kind.SWITCH_PAGE, data[pos : pos + 2]), pos + 2
    if byte == t.END:
        return Token(Kind.END, b"\x01"), pos + 1
    if byte == t.STR_I:
        nul = data.find(0, pos + 1)
        if nul < 0:
            raise _Bad
        return Token(Kind.STR_I, data[pos : nul + 1]), nul + 1
    if byte == t.ENTITY:
        _, end = _uint(data, pos + 1)
        return Token(Kind.ENTITY, data[pos:end]), end
    if byte == t.OPAQUE:
        length, start = _uint(data, pos + 1)
        if start + length > len(data):
            raise _Bad
        return Token(Kind.OPAQUE, data[pos : start + length]), start + length
    if byte == t.STR_T:
        index, end = _uint(data, pos + 1)
        return Token(Kind.STR_T, opcode=byte, index=index), end
    if in_attributes:
        if byte == t.LITERAL:
            index, end = _uint(data, pos + 1)
            return Token(Kind.ATTRIBUTE, opcode=byte, index=index), end
        return Token(Kind.OTHER, data[pos : pos + 1]), pos + 1
    if byte in _LITERAL_FLAGS:
        index, end = _uint(data, pos + 1)
        return Token(Kind.LITERAL_TAG, opcode=byte, index=index), end
    kind = Kind.TAG if byte & t.TOKEN_MASK >= t.FIRST_TAG else Kind.OTHER
    return Token(kind, data[pos : pos + 1]), pos + 1


def read_tokens(data: bytes) -> Document | None:
    """Read *data* as far as it is WBXML; None when even its header is not."""
    try:
        head, table, pos = _header(data)
    except _Bad:
        return None
    tokens: list[Token] = []
    in_attributes = False
    while pos < len(data):
        try:
            token, end = _token(data, pos, in_attributes)
        except _Bad:
            break
        if token.kind is Kind.END:
            in_attributes = False
        elif token.kind in (Kind.TAG, Kind.LITERAL_TAG):
            in_attributes = bool(token.flags & t.HAS_ATTRIBUTES)
        tokens.append(token)
        pos = end
    return Document(head, table, tuple(tokens), data[pos:])


def _spans(tokens: tuple[Token, ...]) -> list[_Span]:
    """Every element, by a stack over tags and ENDs; unbalanced ones are left out."""
    spans: list[_Span] = []
    open_: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind in (Kind.TAG, Kind.LITERAL_TAG):
            j = i + 1
            if token.flags & t.HAS_ATTRIBUTES:
                while j < len(tokens) and tokens[j].kind is not Kind.END:
                    j += 1
                j += 1
            if token.flags & t.HAS_CONTENT:
                open_.append((i, j))
            else:
                spans.append(_Span(i, min(j, len(tokens)), min(j, len(tokens)), False))
            i = j
            continue
        if token.kind is Kind.END and open_:
            start, open_end = open_.pop()
            spans.append(_Span(start, open_end, i + 1, True))
        i += 1
    spans.sort(key=lambda span: span.start)
    return spans


def _entries(table: bytes) -> list[tuple[int, int]]:
    """(index, length) of each NUL-terminated string-table entry."""
    found: list[tuple[int, int]] = []
    start = 0
    while start < len(table):
        nul = table.find(0, start)
        if nul < 0:
            break
        found.append((start, nul - start))
        start = nul + 1
    return found


# --- building blocks ----------------------------------------------------------------------


def _s(text: bytes) -> Token:
    return Token(Kind.STR_I, b"\x03" + text + b"\x00")


def _tag(name: str, *, content: bool = True, page: int = t.SYNCML_PAGE) -> Token:
    token = (t.SYNCML_TAGS if page == t.SYNCML_PAGE else t.METINF_TAGS)[name]
    return Token(Kind.TAG, bytes([token | (t.HAS_CONTENT if content else 0)]))


_END = Token(Kind.END, b"\x01")
_DATA = t.SYNCML_TAGS["Data"]

#: Names for LITERAL tags and attributes: SyncML's own names (a literal that
#: shadows a token), undefined ones, prefixed, not names at all.
_LITERAL_NAMES = (b"X", b"Exec", b"Data", b"LocURI", b"SyncML", b"p:X", b"msft:X", b"xmlns", b"1x", b"a b", b"")
_ATTRIBUTE_NAMES = (b"a", b"xml:lang", b"msft:originalerror", b"xmlns", b"xmlns:msft", b"p:a", b"", b"a b")
_NAMESPACES = (
    b"SYNCML:SYNCML1.2",
    b"syncml:metinf",
    b"urn:x",
    b"",
    b")urn:x",
    b"http://schemas.microsoft.com/MobileDevice/MDM",
)
_COUNTS = (1, 1, 2, 3, 32, 33, 100, 1_000, 20_000)


def _count(rng: random.Random, room: int, unit: int) -> int | None:
    """A repetition count for *unit* bytes each that fits in *room*; None when not even one does."""
    if unit > room:
        return None
    return min(rng.choice(_COUNTS), room // max(unit, 1))


class _Edit:
    """One mutation in progress: the document, its elements, the room left."""

    __slots__ = ("data", "doc", "in_data_at", "rng", "room", "spans")

    def __init__(self, doc: Document, rng: random.Random, room: int) -> None:
        self.doc = doc
        self.spans = _spans(doc.tokens)
        self.rng = rng
        self.room = room
        tokens = doc.tokens
        self.data = [
            s for s in self.spans if tokens[s.start].kind is Kind.TAG and tokens[s.start].raw[0] & 0x3F == _DATA
        ]
        #: Token indexes inside a Data element (its tag included).
        self.in_data_at = bytearray(len(tokens) + 1)
        for span in self.data:
            self.in_data_at[span.start : span.end] = b"\x01" * (span.end - span.start)

    def add_entry(self, text: bytes, table: bytes) -> tuple[int, bytes]:
        """Append *text* to *table* as an entry: (its index, the new table)."""
        return len(table), table + text + b"\x00"

    def in_data(self, span: _Span) -> bool:
        """Whether *span* is a Data element or inside one: where markup, LITERAL tags and attributes are allowed."""
        return bool(self.in_data_at[span.start])

    def content_point(self) -> int:
        """A token index where content may go: just inside an element (Data, one time in two), or before its END."""
        inside = [span for span in self.spans if span.content and span.start > 0]
        data = [span for span in inside if self.in_data(span)]
        if data and self.rng.random() < 0.5:
            inside = data
        if not inside:
            return len(self.doc.tokens)
        span = self.rng.choice(inside)
        return self.rng.choice((span.open_end, span.end - 1))

    def insert(self, at: int, new: list[Token], table: bytes | None = None) -> bytes:
        tokens = self.doc.tokens
        return self.doc.write((*tokens[:at], *new, *tokens[at:]), table)

    def extent(self, span: _Span) -> tuple[int, int]:
        """Token range an element mutation works on: a Data element's content, any other element whole."""
        if span in self.data:
            return span.open_end, span.end - 1
        return span.start, span.end

    def element(self) -> _Span | None:
        """Any element but the root; one time in two, one in Data if there is one."""
        spans = [span for span in self.spans if span.start > 0] or self.spans
        data = [span for span in spans if self.in_data(span)]
        if data and self.rng.random() < 0.5:
            spans = data
        return self.rng.choice(spans) if spans else None


_Mutator = Callable[[_Edit], "bytes | None"]


def _table(edit: _Edit) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    entries = [entry for entry in _entries(doc.table) if entry[1] > 0]
    if not entries:
        return _str_t(edit)  # nothing to grow: make an entry first
    index, length = rng.choice(entries)
    grown = max(1, min(rng.choice((1, 2, 10, 1_000, 100_000)) * length, edit.room))
    filler = rng.choice((b"A", b"\xc3\xbc", b"<&>", b"x\x01"))
    entry = doc.table[index : index + length]
    extra = (entry * (grown // length + 1) if rng.random() < 0.5 else filler * grown)[:grown]
    at = index + length  # the entry's NUL: indexes past it move
    table = doc.table[:at] + extra + doc.table[at:]
    tokens = [
        Token(token.kind, token.raw, token.opcode, token.index + len(extra)) if token.index > at else token
        for token in doc.tokens
    ]
    return doc.write(tokens, table)


def _str_t(edit: _Edit) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    tokens = list(doc.tokens)
    references = [i for i, token in enumerate(tokens) if token.kind is Kind.STR_T]
    inline = [i for i, token in enumerate(tokens) if token.kind is Kind.STR_I]
    table = doc.table
    if inline and (not references or rng.random() < 0.4):
        at = rng.choice(inline)
        index, table = edit.add_entry(tokens[at].raw[1:-1], table)
        tokens[at] = Token(Kind.STR_T, opcode=t.STR_T, index=index)
        references = [at]
    if not references:
        return None
    at = rng.choice(references)
    unit = len(tokens[at].encode())
    times = _count(rng, edit.room - (len(table) - len(doc.table)), unit)
    if times is None:
        return None
    return doc.write((*tokens[:at], *[tokens[at]] * (times + 1), *tokens[at + 1 :]), table)


def _literal(edit: _Edit) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    entries = [index for index, length in _entries(doc.table) if length > 0]
    table = doc.table
    if entries and rng.random() < 0.5:
        index = rng.choice(entries)
    else:
        index, table = edit.add_entry(rng.choice(_LITERAL_NAMES), table)
    opcode = rng.choice((t.LITERAL, t.LITERAL_C))
    new = [Token(Kind.LITERAL_TAG, opcode=opcode, index=index)]
    if opcode == t.LITERAL_C:
        new += [rng.choice((_s(b"x"), Token(Kind.STR_T, opcode=t.STR_T, index=index))), _END]
    unit = sum(len(token.encode()) for token in new)
    times = _count(rng, edit.room - (len(table) - len(doc.table)), unit)
    if times is None:
        return None
    return edit.insert(edit.content_point(), new * times, table)


def _opaque_token(payload: bytes) -> Token:
    return Token(Kind.OPAQUE, bytes([t.OPAQUE]) + _mb(len(payload)) + payload)


def _opaque(edit: _Edit) -> bytes | None:
    rng = edit.rng
    choice = rng.randrange(3)
    if choice == 0:  # a flood of tiny tokens
        one = _opaque_token(rng.choice((b"", b"A", b"\xff")))
        times = _count(rng, edit.room, len(one.raw))
        return None if times is None else edit.insert(edit.content_point(), [one] * times)
    size = min(edit.room - 6, rng.choice((1, 100, 65_536, 1 << 20)))
    if size < 1:
        return None
    payload = rng.choice((b"A", b"\x00", b"\xff\xfe", b"<x/>", b"]]>")) * size
    token = _opaque_token(payload[:size])
    texts = [i for i, tok in enumerate(edit.doc.tokens) if tok.kind in (Kind.STR_I, Kind.STR_T, Kind.OPAQUE)]
    if choice == 1 and texts:  # in place of a text token
        at = rng.choice(texts)
        tokens = edit.doc.tokens
        return edit.doc.write((*tokens[:at], token, *tokens[at + 1 :]))
    return edit.insert(edit.content_point(), [token])


def _nested_document(rng: random.Random, room: int) -> tuple[bytes, bytes]:
    """A nested DevInf or DM DDF document with a string table and references to it: (document, Meta Type)."""
    text = rng.choice((b"1.2", b"A" * 1_000, b"\xc3\xbc" * 100))
    references = max(1, min(rng.choice((1, 2, 100, 10_000)), (room - len(text) - 64) // 2))
    values = bytes([t.STR_T, 0]) * references if rng.random() < 0.7 else b"\x03" + text + b"\x00"
    if rng.random() < 0.5:
        table = text + b"\x00"
        # DevInf 1.2 (public id 0x1203): DevInf, VerDTD (text), Man (text).
        body = b"\x4a\x65\x03" + b"1.2" + b"\x00\x01\x51" + values + b"\x01\x01"
        doc = b"\x03\xa4\x03\x6a" + _mb(len(table)) + table + body
        return doc, b"application/vnd.syncml-devinf+wbxml"
    fpi = b"-//OMA//DTD-DM-DDF 1.2//EN\x00"
    table = fpi + text + b"\x00"
    values = values.replace(bytes([t.STR_T, 0]), bytes([t.STR_T]) + _mb(len(fpi)))
    # DM DDF (literal public id): SWITCH_PAGE 2, MgmtTree, VerDTD, Node (NodeName text).
    body = b"\x00\x02\x60\x77\x03" + b"1.2" + b"\x00\x01\x64\x66" + values + b"\x01\x01\x01"
    doc = b"\x03\x00\x00\x6a" + _mb(len(table)) + table + body
    return doc, b"application/vnd.syncml.dmtnds+wbxml"


def _nested(edit: _Edit) -> bytes | None:
    rng = edit.rng
    opaques = [i for i, token in enumerate(edit.doc.tokens) if token.kind is Kind.OPAQUE]
    if opaques and rng.random() < 0.3:
        # Mutate a document already nested (or the payload as if it were one).
        at = rng.choice(opaques)
        raw = edit.doc.tokens[at].raw
        _, start = _uint(raw, 1)
        payload = mutate_wbxml(raw[start:], rng.randrange(1 << 30), max_size=len(raw) + max(0, edit.room - 8))
        tokens = edit.doc.tokens
        return edit.doc.write((*tokens[:at], _opaque_token(payload), *tokens[at + 1 :]))
    doc, media_type = _nested_document(rng, edit.room - 80)
    meta = [
        _tag("Meta"),
        Token(Kind.SWITCH_PAGE, bytes([t.SWITCH_PAGE, t.METINF_PAGE])),
        _tag("Type", page=t.METINF_PAGE),
        _s(media_type),
        _END,
        Token(Kind.SWITCH_PAGE, bytes([t.SWITCH_PAGE, t.SYNCML_PAGE])),
        _END,
    ]
    item = [_tag("Item"), *meta, _tag("Data"), _opaque_token(doc), _END, _END]
    if sum(len(token.encode()) for token in item) > edit.room:
        return None
    items = [i for i, span in enumerate(edit.spans) if edit.doc.tokens[span.start] == _tag("Item")]
    at = edit.spans[rng.choice(items)].end if items else edit.content_point()
    return edit.insert(at, item)


_CONTAINERS: tuple[tuple[Token, ...], ...] = (
    (_tag("Atomic"), _tag("CmdID"), _s(b"1"), _END),
    (_tag("Sequence"), _tag("CmdID"), _s(b"1"), _END),
    (_tag("Item"),),
    (_tag("Data"),),
    (_tag("SyncBody"),),
)


def _deepen(edit: _Edit) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    span = edit.element()
    if span is None:
        return None
    table = doc.table
    if edit.in_data(span) or rng.random() < 0.3:
        index, table = edit.add_entry(rng.choice(_LITERAL_NAMES), table)
        opening: tuple[Token, ...] = (Token(Kind.LITERAL_TAG, opcode=t.LITERAL_C, index=index),)
    else:
        opening = rng.choice(_CONTAINERS)
    unit = sum(len(token.encode()) for token in opening) + 1
    times = _count(rng, edit.room - (len(table) - len(doc.table)), unit)
    if times is None:
        return None
    tokens = doc.tokens
    lo, hi = edit.extent(span)
    return doc.write((*tokens[:lo], *opening * times, *tokens[lo:hi], *[_END] * times, *tokens[hi:]), table)


def _with_attributes(edit: _Edit, names: tuple[bytes, ...], values: tuple[bytes, ...], numbered: bool) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    tags = [span for span in edit.spans if doc.tokens[span.start].kind in (Kind.TAG, Kind.LITERAL_TAG)]
    data = [span for span in tags if edit.in_data(span)]
    if data and rng.random() < 0.6:
        tags = data
    if not tags:
        return None
    span = rng.choice(tags)
    tag = doc.tokens[span.start]
    times = _count(rng, edit.room, 12) or 1
    pieces = [doc.table]
    size = len(doc.table)
    attributes: list[Token] = []
    base = rng.choice(names)
    same_name = not numbered and rng.random() < 0.2  # the same attribute given many times
    index = -1
    for n in range(times):
        if index < 0 or not same_name:
            name = b"%s%d" % (base, n) if numbered else base if same_name else rng.choice(names)
            index = size
            pieces.append(name + b"\x00")
            size += len(name) + 1
        value = rng.choice(values) + (b"%d" % n if numbered else b"")
        attributes += [Token(Kind.ATTRIBUTE, opcode=t.LITERAL, index=index), _s(value)]
    table = b"".join(pieces)
    if tag.flags & t.HAS_ATTRIBUTES:  # append to its list, before the list's END
        at = span.open_end - 1
        return doc.write((*doc.tokens[:at], *attributes, *doc.tokens[at:]), table)
    if tag.kind is Kind.TAG:
        flagged = Token(Kind.TAG, bytes([tag.raw[0] | t.HAS_ATTRIBUTES]))
    else:
        flagged = Token(Kind.LITERAL_TAG, opcode=tag.opcode | t.HAS_ATTRIBUTES, index=tag.index)
    tokens = doc.tokens
    return doc.write((*tokens[: span.start], flagged, *attributes, _END, *tokens[span.start + 1 :]), table)


def _attributes(edit: _Edit) -> bytes | None:
    return _with_attributes(edit, _ATTRIBUTE_NAMES, (b"1", b"", b"&lt;", b"\xc3\xbc"), edit.rng.random() < 0.5)


def _namespaces(edit: _Edit) -> bytes | None:
    if edit.rng.random() < 0.3:
        return _with_attributes(edit, (b"xmlns",), _NAMESPACES, False)
    return _with_attributes(edit, (b"xmlns:p",), (b"urn:",), True)


def _duplicate(edit: _Edit) -> bytes | None:
    span = edit.element()
    if span is None:
        return None
    tokens = edit.doc.tokens
    lo, hi = edit.extent(span)
    chunk = tokens[lo:hi]
    times = _count(edit.rng, edit.room, sum(len(token.encode()) for token in chunk))
    if times is None or not chunk:
        return None
    return edit.doc.write((*tokens[:hi], *chunk * times, *tokens[hi:]))


def _drop(edit: _Edit) -> bytes | None:
    tokens = edit.doc.tokens
    span = edit.element()
    if span is None or edit.rng.random() < 0.3:
        if not tokens:
            return None
        at = edit.rng.randrange(len(tokens))
        return edit.doc.write((*tokens[:at], *tokens[at + 1 :]))
    return edit.doc.write((*tokens[: span.start], *tokens[span.end :]))


def _token_edit(edit: _Edit) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    tokens = list(doc.tokens)
    choice = rng.randrange(4)
    tags = [i for i, token in enumerate(tokens) if token.kind is Kind.TAG]
    if choice == 0 and tags:  # flip a content or attribute flag
        at = rng.choice(tags)
        tokens[at] = Token(Kind.TAG, bytes([tokens[at].raw[0] ^ rng.choice((t.HAS_CONTENT, t.HAS_ATTRIBUTES))]))
        return doc.write(tokens)
    at = rng.randrange(len(tokens) + 1)
    if choice == 1:
        page = rng.choice((t.SYNCML_PAGE, t.METINF_PAGE, 2, 7, 255))
        return doc.write((*tokens[:at], Token(Kind.SWITCH_PAGE, bytes([t.SWITCH_PAGE, page])), *tokens[at:]))
    if choice == 2:
        code = rng.choice((0, 0x41, 0xFC, 0xD800, 0xFFFE, 0x10FFFF, 0x110000, 1 << 32))
        entity = Token(Kind.ENTITY, bytes([t.ENTITY]) + _mb(code))
        return doc.write((*tokens[:at], entity, *tokens[at:]))
    ends = [i for i, token in enumerate(tokens) if token.kind is Kind.END]
    if ends and rng.random() < 0.5:
        gone = rng.choice(ends)
        return doc.write((*tokens[:gone], *tokens[gone + 1 :]))
    return doc.write((*tokens[:at], _END, *tokens[at:]))


def _header_edit(edit: _Edit) -> bytes | None:
    doc, rng = edit.doc, edit.rng
    body = b"".join(token.encode() for token in doc.tokens) + doc.tail
    version = rng.choice((0x00, 0x01, 0x02, 0x03, 0x04, 0x13))
    public_id = rng.choice((b"\xa4\x01", b"\x9f\x53", b"\x01", b"\x00\x00", b"\xa4\x03", b"\x8f\xff\xff\xff\x7f"))
    charset = rng.choice((b"\x6a", b"\x03", b"\x04", b"\x00", b"\x87\x68"))
    size = len(doc.table) + rng.choice((0, 0, -1, 1, 1 << 20))
    return bytes([version]) + public_id + charset + _mb(max(size, 0)) + doc.table + body


def _truncate(edit: _Edit) -> bytes | None:
    if not edit.doc.tokens:
        return None
    return edit.doc.write(edit.doc.tokens[: edit.rng.randrange(len(edit.doc.tokens))])


_MUTATORS: dict[WbxmlMutation, _Mutator] = {
    WbxmlMutation.TABLE: _table,
    WbxmlMutation.STR_T: _str_t,
    WbxmlMutation.LITERAL: _literal,
    WbxmlMutation.OPAQUE: _opaque,
    WbxmlMutation.NESTED: _nested,
    WbxmlMutation.DEEPEN: _deepen,
    WbxmlMutation.ATTRIBUTES: _attributes,
    WbxmlMutation.NAMESPACES: _namespaces,
    WbxmlMutation.DUPLICATE: _duplicate,
    WbxmlMutation.DROP: _drop,
    WbxmlMutation.TOKEN: _token_edit,
    WbxmlMutation.HEADER: _header_edit,
    WbxmlMutation.TRUNCATE: _truncate,
}

#: What :func:`mutate_wbxml` starts from when its input is not WBXML: a
#: SyncML 1.2 message (WBXML 1.3, UTF-8) whose Replace Data references the
#: string table.
SEED_MESSAGE = (
    b"\x03\xa4\x01\x6a\x04QQQ\x00"
    b"\x6d\x6c\x71\x031.2\x00\x01\x72\x03DM/1.2\x00\x01\x65\x031\x00\x01\x5b\x031\x00\x01"
    b"\x6e\x57\x03S\x00\x01\x01\x67\x57\x03D\x00\x01\x01\x01"
    b"\x6b\x60\x4b\x031\x00\x01\x54\x6e\x57\x03./a\x00\x01\x01\x4f\x83\x00\x01\x01\x01\x12\x01\x01"
)
_TRIES = 8


def mutate_wbxml(
    data: bytes,
    seed: int,
    *,
    max_size: int = 1 << 20,
    count: int = 1,
    kinds: Iterable[WbxmlMutation] | None = None,
) -> bytes:
    """Return a variant of the WBXML document *data*: *count* seeded mutations applied in turn.

    Input that is not WBXML (its header cannot be read) is replaced by
    :data:`SEED_MESSAGE` first, so the result is always WBXML-shaped.  The
    result is at most *max_size* bytes (unless the seed message alone is larger).
    """
    rng = random.Random(seed)
    allowed = tuple(kinds) if kinds is not None else tuple(WbxmlMutation)
    if not allowed:
        raise SyncMLError("kinds must name at least one WbxmlMutation")
    out = bytes(data[:max_size])
    for _ in range(count):
        out = _mutate_once(out, rng, max_size, allowed)
    return out


def _mutate_once(data: bytes, rng: random.Random, max_size: int, allowed: tuple[WbxmlMutation, ...]) -> bytes:
    doc = read_tokens(data)
    if doc is None:
        data = SEED_MESSAGE
        doc = read_tokens(data)
        assert doc is not None
    edit = _Edit(doc, rng, max_size - len(data))
    for _ in range(_TRIES):
        result = _MUTATORS[rng.choice(allowed)](edit)
        if result is not None and result != data and len(result) <= max_size:
            return result
    return data


def wbxml_custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """One WBXML mutation, with the signature atheris' ``custom_mutator`` expects."""
    return mutate_wbxml(data, seed, max_size=max_size)
