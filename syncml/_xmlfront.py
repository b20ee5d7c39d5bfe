"""The hardened front end: untrusted bytes in, an lxml tree out.

Everything that can be refused without building a tree is refused here,
before libxml2 sees the input: size, empty input, an encoding we cannot read,
a DOCTYPE that is more than a name, too many elements or attributes.  The
parser itself never loads a DTD, never expands an entity, never touches the
network and keeps libxml2's own depth and text-size limits.

:func:`prepare` hands on an immutable :class:`Source`: the bytes libxml2
reads (a fragment already wrapped in its parent), how to map positions back
to the caller's input, and the quirks the checks found.  The decoder reads
it and never changes it; each tree is built from it by :func:`parse_tree`.
"""

from __future__ import annotations

import codecs
import functools
import re
import threading
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from lxml import etree

from ._quirks import Quirk, QuirkKind
from .errors import DecodeError
from .limits import Limits

# libxml2 refuses text nodes above 10 MB unless XML_PARSE_HUGE is set; only
# callers who raise max_size past that need it.
_HUGE_THRESHOLD = 10_000_000

_local = threading.local()  # lxml parsers must not be shared between threads


def _parser(huge: bool, lean: bool = False, merge_cdata: bool = False) -> etree.XMLParser:
    name = f"parser{int(huge)}{int(lean)}{int(merge_cdata)}"
    parser: etree.XMLParser | None = getattr(_local, name, None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            remove_comments=True,
            remove_pis=True,
            strip_cdata=merge_cdata,  # kept by default, so that CDATA in Data can be told apart
            remove_blank_text=lean,
            huge_tree=huge,
        )
        setattr(_local, name, parser)
    return parser


def find_rare(buf: bytes, pattern: bytes, anchor: int, start: int = 0) -> int:
    """``buf.find(pattern, start)``, found through ``pattern[anchor]``, a byte rare in SyncML.

    CPython 3.11 finds short patterns of bytes SyncML is full of (``<!``,
    ``<?``) slowly, about 2 ms per megabyte, while a single byte is found
    with memchr.  After a few false hits the plain search takes over, so text
    full of the rare byte costs no more than the plain search.
    """
    byte = pattern[anchor : anchor + 1]
    at = buf.find(byte, start + anchor)
    for _ in range(8):
        if at < 0:
            return -1
        if buf.startswith(pattern, at - anchor):
            return at - anchor
        at = buf.find(byte, at + 1)
    return -1 if at < 0 else buf.find(pattern, at - anchor)


def lean_possible(source: Source) -> bool:
    """Whether blank text between elements may be dropped while parsing.

    Whitespace between elements is layout, which the decoder ignores anyway;
    letting libxml2 drop it saves building a string per element.  libxml2
    also drops blank text next to a comment, CDATA section or processing
    instruction, where it can belong to a value, so those documents are
    parsed in full.
    """
    buf = source.buf
    if find_rare(buf, b"<!", 1) >= 0 or find_rare(buf, b"<?", 1, 2) >= 0:  # the declaration may open the document
        return False
    # Markup in Data needs its blank text too: when it shows, skip the lean try.
    at = buf.find(b"<Data><")
    while at >= 0:
        if buf[at + 7 : at + 8] != b"/":
            return False
        at = buf.find(b"<Data><", at + 7)
    return True


_XML_WS = b" \t\r\n"
_DECL = re.compile(rb"<\?xml[ \t\r\n][^>]*?\?>")
_ENCODING = re.compile(rb"""(encoding[ \t\r\n]*=[ \t\r\n]*)(["'])([A-Za-z0-9._-]*)\2""")
# Whitespace, comments and processing instructions before a DOCTYPE or root.
_MISC = re.compile(rb"(?:[ \t\r\n]+|<!--.*?-->|<\?.*?\?>)*", re.S)
# The only DOCTYPE we accept: a name and a public SyncML identifier, no
# internal subset (libwbxml's wbxml2xml writes exactly this).
_PLAIN_DOCTYPE = re.compile(
    rb"""<!DOCTYPE[ \t\r\n]+[A-Za-z_][\w.:-]*[ \t\r\n]+PUBLIC[ \t\r\n]+("[^"<>\[]*"|'[^'<>\[]*')"""
    rb"""(?:[ \t\r\n]+("[^"<>\[]*"|'[^'<>\[]*'))?[ \t\r\n]*>"""
)
_UTF16_FAMILY = frozenset({"utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2", "ucs2", "utf-32", "utf32", "ucs-4"})
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
# Python codecs that are not character sets a peer could send XML in: name
# transformations (idna, punycode), escapes, and UTF-7, whose decoder yields
# lone surrogates and which hides markup from filters.  Bytes-to-bytes codecs
# (hex, base64, zlib ...) are refused by their _is_text_encoding flag.
_NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "utf-7"})
_START_TAG_SCAN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>]*>|(<)(?=[^/!?])", re.S)
_NEWLINE = re.compile(rb"\r\n|\r|\n")


class Source(NamedTuple):
    """What the front end found: the bytes libxml2 parses, with what is needed to report positions.

    Immutable, and made once per decode by :func:`prepare`: every attempt at
    decoding (see :func:`syncml._api.decode_xml`) reads the same one, so none
    can change what another sees.  A NamedTuple rather than a frozen
    dataclass: it is built on every decode, and a tuple is built in one call.
    """

    buf: bytes
    prefix: bytes = b""  # bytes removed from the front (BOM, leading whitespace)
    #: Characters added on line 1: the fragment wrapper's opening tag.
    column_shift: int = 0
    doctype: bool = False  # a plain DOCTYPE was accepted
    #: What the front end tolerated, in the order met; the decoder's own
    #: quirks follow them.
    quirks: tuple[Quirk, ...] = ()
    #: Size of the caller's input in bytes (UTF-8 for text): what the
    #: decoded-output budget is computed from.
    size: int = 0
    #: Most CDATA sections in one run of text (capped just past
    #: ``CDATA_RUN_CAP``): lxml joins the pieces of a run with repeated
    #: concatenation, so a long run is parsed with sections merged.
    cdata_run: int = 0
    #: Characters the front end scanned in Python code (see :mod:`syncml._meter`).
    work: int = 0
    #: The element count was checked against ``max_nodes`` for these bytes
    #: (:func:`prepare` checks it; a Source built elsewhere is counted when parsed).
    counted: bool = False

    def position(self, root: etree._Element, el: etree._Element) -> tuple[int | None, int | None]:
        """Line and column of *el*'s start tag in the caller's input."""
        index = -1
        for i, candidate in enumerate(root.iter(etree.Element)):
            if candidate is el:
                index = i
                break
        if index < 0:
            return (line_of(el), None)
        count = -1
        for match in _START_TAG_SCAN.finditer(self.buf):
            if match.group(1) is not None:
                count += 1
                if count == index:
                    return self.line_column(match.start())
        return (line_of(el), None)

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a byte offset into :attr:`buf`."""
        return _line_column(self.buf, self.prefix, self.column_shift, offset)

    def adjust(self, line: int, column: int) -> tuple[int, int]:
        """Map a libxml2 position in :attr:`buf` to the caller's input."""
        lines_before = len(_NEWLINE.findall(self.prefix))
        if line == 1:
            tail = self.prefix.rsplit(b"\n", 1)[-1] if lines_before else self.prefix
            column += len(tail.decode("utf-8", "replace")) - self.column_shift
        return (line + lines_before, max(column, 1))


@dataclass(slots=True)
class _Draft:
    """The front end's working copy while it checks and rewrites the input; frozen into a :class:`Source`."""

    buf: bytes
    prefix: bytes = b""
    column_shift: int = 0
    doctype: bool = False
    quirks: list[Quirk] = field(default_factory=list)
    size: int = 0
    cdata_run: int = 0
    work: int = 0

    def line_column(self, offset: int) -> tuple[int, int]:
        return _line_column(self.buf, self.prefix, self.column_shift, offset)

    def freeze(self) -> Source:
        return Source(
            buf=self.buf,
            prefix=self.prefix,
            column_shift=self.column_shift,
            doctype=self.doctype,
            quirks=tuple(self.quirks),
            size=self.size,
            cdata_run=self.cdata_run,
            work=self.work,
            counted=True,
        )


def _line_column(buf: bytes, prefix: bytes, column_shift: int, offset: int) -> tuple[int, int]:
    head = prefix + buf[:offset]
    newlines = list(_NEWLINE.finditer(head))
    start = newlines[-1].end() if newlines else len(prefix)
    column = len(head[start:].decode("utf-8", "replace")) + 1
    if not newlines:
        column -= column_shift
    return (len(newlines) + 1, max(column, 1))


def line_of(el: etree._Element) -> int | None:
    """The element's line as libxml2 counted it, if known."""
    line = el.sourceline
    return line if isinstance(line, int) else None


def _refuse(reason: str, source: _Draft | Source, offset: int, status: int = 400) -> DecodeError:
    line, column = source.line_column(offset)
    return DecodeError(reason, line=line, column=column, offset=offset + len(source.prefix), status=status)


def prepare(data: bytes | str, *, strict: bool, limits: Limits, fragment: bool = False) -> Source:
    """Check and normalise raw input into UTF-8 bytes for libxml2.

    A *fragment* (bare commands, a SyncBody ...) is wrapped in one parent
    element, so that libxml2 reads it as a document.
    """
    draft = _checked(data, strict=strict, limits=limits)
    if fragment:
        _wrap(draft)
        _check_nodes(draft, limits)  # one element more
    return draft.freeze()


def _checked(data: bytes | str, *, strict: bool, limits: Limits) -> _Draft:
    if isinstance(data, str):
        size = utf8_size(data, limits.max_size)
        if size > limits.max_size:
            raise DecodeError(f"input of {size}+ UTF-8 bytes exceeds the {limits.max_size}-byte limit", status=413)
        try:
            buf = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DecodeError("text holds a lone surrogate", offset=exc.start) from None
        source = _Draft(buf, size=size, work=len(buf))
        return _scan(_check_prolog(source, strict=strict, origin="text"), limits)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DecodeError(f"expected bytes or str, not {type(data).__name__}")
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if size > limits.max_size:  # before bytes() copies a bytearray or view
        raise DecodeError(f"input of {size} bytes exceeds the {limits.max_size}-byte limit", status=413)
    buf = bytes(data)
    source, transcoded = _transcode_utf16(buf)
    source.size = size
    source.work = size + (len(source.buf) if transcoded else 0)
    source = _check_prolog(source, strict=strict, origin="utf16" if transcoded else "bytes")
    if len(source.buf) > limits.max_size:
        # A single-byte encoding grows up to three times into UTF-8 (and
        # UTF-16 up to one and a half): the limit holds for what libxml2 reads.
        raise DecodeError(
            f"input of {size} bytes is {len(source.buf)} bytes in UTF-8,"
            f" over the {limits.max_size}-byte limit",
            status=413,
        )
    return _scan(source, limits)


#: The parent a fragment is wrapped in; element paths leave it out.
FRAGMENT_WRAPPER: Final = "syncml-fragment"
_NOT_NEWLINE = re.compile(rb"[^\r\n]")


def _wrap(source: _Draft) -> None:
    # Several top-level elements are not a document: give them a parent.  The
    # XML declaration and DOCTYPE, if any, cannot sit inside it, so they are
    # blanked with spaces to keep every line and column where it was.
    buf = source.buf
    decl = _DECL.match(buf)  # leading whitespace is gone: _check_prolog moved it to the prefix
    end = decl.end() if decl is not None else 0
    if source.doctype:
        # The front end accepted a plain public SyncML DOCTYPE after the
        # declaration (and comments): it goes too, or libxml2 meets it inside
        # the wrapper.  The comments before it are blanked with it.
        misc = _MISC.match(buf, end)
        doctype = _PLAIN_DOCTYPE.match(buf, misc.end() if misc else end)
        if doctype is not None:
            end = doctype.end()
    if end:
        # Line breaks stay, so every line and column is where it was.
        buf = _NOT_NEWLINE.sub(b" ", buf[:end]) + buf[end:]
    # An unterminated or malformed declaration stays put for libxml2 to refuse.
    opening = f"<{FRAGMENT_WRAPPER}>".encode()
    source.buf = opening + buf + f"</{FRAGMENT_WRAPPER}>".encode()
    source.column_shift = len(opening)


_UTF8_CHUNK = 1 << 20


def utf8_size(text: str, limit: int) -> int:
    """Bytes of *text* in UTF-8, counted up to just past *limit*.

    ASCII text is its own length; otherwise chunks are encoded one at a time
    (lone surrogates counted as three bytes), so no copy larger than a chunk
    is made and counting stops once the limit is passed.
    """
    if text.isascii():
        return len(text)
    if len(text) > limit:
        return len(text)  # every character takes at least one byte
    total = 0
    for start in range(0, len(text), _UTF8_CHUNK):
        total += len(text[start : start + _UTF8_CHUNK].encode("utf-8", "surrogatepass"))
        if total > limit:
            break
    return total


def _scan(source: _Draft, limits: Limits) -> _Draft:
    """Counts taken from the bytes before libxml2 builds anything."""
    most = _check_nodes(source, limits)
    source.work += 4 * len(source.buf) if len(source.buf) >= 4 * (most + 1) else 0
    _check_attributes(source, limits)
    source.cdata_run = _longest_cdata_run(source)
    return source


# In a start tag only attribute values are quoted, and a value cannot hold
# '<': a tag's attributes are its quoted strings, and a scan from one '<'
# never runs past the next.  Possessive quantifiers keep each scan linear.
_QUOTED = rb"""(?:"[^"<]*+"|'[^'<]*+')"""
_QUOTED_RE = re.compile(_QUOTED)
_ATTRIBUTED_TAG = re.compile(rb"""<[^/!?<>"'\s][^<>"'\s]*+(?:[^<>"']*+""" + _QUOTED + rb")++")


@functools.lru_cache(maxsize=8)
def _crowded_tag(most: int) -> re.Pattern[bytes]:
    """A start tag with more than *most* attributes, without its '<'."""
    return re.compile(rb"""[^/!?<>"'\s][^<>"'\s]*+(?:[^<>"']*+""" + _QUOTED + rb"){%d}" % (most + 1))


def _check_attributes(source: _Draft, limits: Limits) -> None:
    """Refuse attribute floods before libxml2 builds them.

    Namespace declarations count as attributes (as in WBXML, where they are
    attributes), per element against ``max_attributes`` and in the whole
    message against ``Limits.attribute_budget``: lxml spends a few hundred bytes
    on each and reads one by scanning all of its element's.  Every attribute
    has an '=', so counting those settles the usual case; exact counts run
    only past it.  Quoted text inside comments, CDATA sections or processing
    instructions that looks like a start tag is counted too: the counts err
    high, never low.
    """
    buf = source.buf
    size = min(source.size, len(buf)) if source.size else len(buf)
    most, total = limits.max_attributes, limits.attribute_budget(size)
    if len(buf) < 4 * (min(most, total) + 1):  # ' a=""' takes four bytes at least
        return
    bound = buf.count(b"=")
    source.work += len(buf)
    if bound > most:
        _check_crowded(source, most, bound)
    if bound > total:
        _check_total(source, total, limits.attribute_budget_reason(size))


@functools.lru_cache(maxsize=16)
def _many_equals(most: int, anchor: bytes) -> re.Pattern[bytes]:
    """More than *most* '=' with no '<' between them: where a crowded tag may be.

    Anchored on '=' (the search skips straight to each '=', then counts on)
    when '=' are rare next to tags, on '<' (each segment read once) when not.
    """
    if anchor == b"=":
        return re.compile(rb"=(?:[^<=]*+=){%d}" % most)
    return re.compile(rb"<[^<=]*+(?:=[^<=]*+){%d}" % (most + 1))


def _check_crowded(source: _Draft, most: int, equals: int) -> None:
    # A crowded tag has more than *most* '=' before the next '<'; only the
    # tags such runs lie in are matched exactly, each once.
    buf = source.buf
    crowded = _crowded_tag(most)
    anchor = b"=" if 4 * equals < buf.count(b"<") else b"<"
    checked = 0  # where the last run looked at ended
    for run in _many_equals(most, anchor).finditer(buf):
        tag = buf.rfind(b"<", checked, run.start() + 1)
        checked = run.end()
        if tag < 0:
            continue  # in the same tag and text as the run before
        if crowded.match(buf, tag + 1) is not None:
            name = _tag_name(buf[tag : tag + 200])
            reason = f"more than {most} attributes on <{name}> (namespace declarations included)"
            raise _refuse(reason, source, tag, status=413)
    source.work += 2 * len(buf)


def _check_total(source: _Draft, most: int, why: str) -> None:
    buf = source.buf
    total = 0
    for tag in _ATTRIBUTED_TAG.finditer(buf):
        total += len(_QUOTED_RE.findall(buf, tag.start(), tag.end()))
        if total > most:
            reason = f"more than {most} attributes in the message{why} (namespace declarations included)"
            raise _refuse(reason, source, tag.start(), status=413)
    source.work += len(buf)


def _tag_name(tag: bytes) -> str:
    name = re.match(rb"<([^\s/>]*)", tag)
    return (name.group(1) if name else b"?").decode("utf-8", "replace")


#: Longest run of CDATA sections in one text whose pieces lxml may join by
#: repeated concatenation: its cost is the run's length times the text's.
CDATA_RUN_CAP = 16


def _longest_cdata_run(source: _Draft) -> int:
    """Most CDATA sections in one run of text, counting stops past :data:`CDATA_RUN_CAP`.

    A run ends at an element tag.  Comments and processing instructions are
    dropped while parsing, so the text on both sides joins: a gap holding one
    is taken to join (it may also hide a tag; erring high only costs a
    second parse).
    """
    buf = source.buf
    at = find_rare(buf, b"<![CDATA[", 1)
    if at < 0:
        return 0
    longest = run = 0
    end = 0
    while at >= 0:
        if run and _splits(buf, end, at):
            run = 0
        run += 1
        if run > longest:
            longest = run
            if longest > CDATA_RUN_CAP:
                break
        close = buf.find(b"]]>", at + 9)
        if close < 0:
            break  # unterminated: libxml2 refuses it
        end = close + 3
        at = buf.find(b"<![CDATA[", end)
    source.work += end or len(buf)
    return longest


def _splits(buf: bytes, start: int, stop: int) -> bool:
    """Whether an element tag lies between two CDATA sections."""
    lt = buf.find(b"<", start, stop)
    if lt < 0:
        return False
    return buf.find(b"<!", lt, stop) < 0 and buf.find(b"<?", lt, stop) < 0


def _transcode_utf16(buf: bytes) -> tuple[_Draft, bool]:
    if buf[:1] == b"<" and buf[1:2] != b"\x00":  # the usual case: UTF-8 without BOM
        return _Draft(buf), False
    if buf.startswith(b"\xef\xbb\xbf"):
        return _Draft(buf[3:], prefix=buf[:3]), False
    if buf.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise DecodeError("UTF-32 input is not supported", offset=0, status=415)
    if buf.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif buf.startswith(b"<\x00") and len(buf) > 3 and buf[3] == 0:
        codec = "utf-16-le"
    elif buf.startswith(b"\x00<") and len(buf) > 2 and buf[2] == 0:
        codec = "utf-16-be"
    else:
        return _Draft(buf), False
    try:
        text = buf.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid UTF-16: {exc.reason}", offset=exc.start) from None
    try:
        return _Draft(text.lstrip("\ufeff").encode("utf-8")), True
    except UnicodeEncodeError as exc:
        raise DecodeError("UTF-16 text holds a lone surrogate", offset=exc.start * 2) from None


def _check_prolog(source: _Draft, *, strict: bool, origin: str) -> _Draft:
    buf = source.buf
    body = buf.lstrip(_XML_WS)
    if not body:
        raise DecodeError("empty input", line=1, column=1, offset=0)
    if len(body) != len(buf) and body.startswith(b"<?xml"):
        # Fleet's PoC log and MS Learn code blocks indent the declaration;
        # XML allows nothing before it.
        if strict:
            raise _refuse("whitespace before the XML declaration", source, 0)
        source.quirks.append(
            Quirk(kind=QuirkKind.LEADING_WHITESPACE, message="whitespace before the XML declaration", path="", line=1)
        )
        source.prefix += buf[: len(buf) - len(body)]
        source.buf = buf = body
    decl = _DECL.match(buf)
    if decl:
        buf = _check_encoding(source, decl, strict=strict, origin=origin)
    elif origin == "bytes":
        _require_utf8(source, buf)
    _check_doctype(source, buf)
    return source


def _check_encoding(source: _Draft, decl: re.Match[bytes], *, strict: bool, origin: str) -> bytes:
    buf = source.buf
    enc = _ENCODING.search(decl.group(0))
    if enc is None:
        if origin == "bytes":
            _require_utf8(source, buf)
        return buf
    name = enc.group(3).decode("ascii").lower()
    start, end = decl.start() + enc.start(), decl.start() + enc.end()
    blanked = buf[:start] + b" " * (end - start) + buf[end:]  # keeps every offset
    if origin == "text":  # a str has no byte encoding: the declaration is moot
        source.buf = blanked
        return blanked
    if origin == "utf16":
        if name not in _UTF16_FAMILY:
            _wrong_encoding(source, name, "UTF-16", start, strict=strict)
        source.buf = blanked
        return blanked
    if name in _UTF8_NAMES:
        _require_utf8(source, buf)
        return buf
    if name in _UTF16_FAMILY:
        # The local MDM API (ms-iot issue 84) declares utf-16 on UTF-8 bytes.
        _require_utf8(source, blanked)
        _wrong_encoding(source, name, "UTF-8", start, strict=strict)
        source.buf = blanked
        return blanked
    return _transcode_declared(source, blanked, name, start, strict=strict)


def _wrong_encoding(source: _Draft, name: str, actual: str, start: int, *, strict: bool) -> None:
    if strict:
        raise _refuse(f"the XML declaration says {name} but the bytes are {actual}", source, start)
    source.quirks.append(
        Quirk(kind=QuirkKind.WRONG_ENCODING, message=f"declared {name}, read as {actual}", path="", line=1)
    )


def _transcode_declared(source: _Draft, blanked: bytes, name: str, start: int, *, strict: bool) -> bytes:
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise _refuse(f"unsupported encoding {name!r}", source, start, status=415) from None
    if not codec._is_text_encoding or codec.name in _NOT_CHARSETS:
        raise _refuse(f"unsupported encoding {name!r}", source, start, status=415)
    try:
        text = blanked.decode(codec.name)
    except UnicodeDecodeError as exc:
        try:
            blanked.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse(f"bytes are not {name}: {exc.reason}", source, exc.start) from None
        _wrong_encoding(source, name, "UTF-8", start, strict=strict)
        source.buf = blanked
        return blanked
    try:
        source.buf = text.encode("utf-8")
    except UnicodeEncodeError:  # a codec that yields lone surrogates
        raise _refuse(f"bytes in {name} decode to a lone surrogate", source, start) from None
    return source.buf


def _require_utf8(source: _Draft, buf: bytes) -> None:
    if buf.isascii():  # the usual case, checked without decoding a copy
        return
    try:
        buf.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(f"invalid UTF-8 ({exc.reason})", source, exc.start) from None


def _check_doctype(source: _Draft, buf: bytes) -> None:
    if find_rare(buf, b"<!DOCTYPE", 1) < 0:  # libxml2 refuses one anywhere but the prolog
        return
    decl = _DECL.match(buf)
    pos = _MISC.match(buf, decl.end() if decl else 0)
    at = pos.end() if pos else 0
    if not buf.startswith(b"<!DOCTYPE", at):
        return
    plain = _PLAIN_DOCTYPE.match(buf, at)
    if plain is None or b"syncml" not in plain.group(1).lower():
        raise _refuse(
            "DOCTYPE refused: only a plain public SyncML DOCTYPE is accepted"
            " (no internal subset, entities or system-only id)",
            source,
            at,
        )
    source.doctype = True


def parse_tree(source: Source, limits: Limits, *, lean: bool = False, merge_cdata: bool = False) -> etree._Element:
    """Build the lxml tree, turning every libxml2 complaint into DecodeError.

    ``lean`` drops blank text between elements (see :func:`lean_possible`);
    ``merge_cdata`` reads CDATA sections as plain text, so that each text is
    one node (see :attr:`Source.cdata_run`).
    """
    if not source.counted:
        _check_nodes(source, limits)
    parser = _parser(limits.max_size > _HUGE_THRESHOLD, lean, merge_cdata)
    try:
        root = etree.fromstring(source.buf, parser)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(source, exc) from None
    except (ValueError, MemoryError) as exc:  # lxml refuses some inputs outright
        raise DecodeError(f"unreadable XML: {exc}") from None
    if root is None:
        raise DecodeError("no root element", line=1, column=1)
    # lxml raises only when the *last* complaint is an error: any error in
    # the log refuses the input, or a namespace error followed by a warning
    # (xmlns="a b", then a relative URI) would be accepted and then refused
    # by the encoder.
    for entry in parser.error_log:
        if entry.level >= etree.ErrorLevels.ERROR:
            raise _malformed(source, entry.message, entry.line, entry.column)
    return root


def _check_nodes(source: _Draft | Source, limits: Limits) -> int:
    """Refuse more elements than ``limits.node_budget`` allows before libxml2 builds them.

    An 8 MiB message of ``<Item/>`` is a million elements: refusing it after
    building the tree still cost about 130 MiB.  Every element starts with a
    ``<`` that is not ``</``, ``<!`` or ``<?``, and outside comments, CDATA
    sections and processing instructions no other ``<`` can occur in XML, so
    counting those is exact for well-formed input (and errs high otherwise).
    The budget is linear in the input (transcoded input counts as the
    smaller of its two sizes), as WBXML's is.  Returns the budget.
    """
    buf = source.buf
    size = min(source.size, len(buf)) if source.size else len(buf)
    most = limits.node_budget(size)
    # An element takes at least four bytes (<a/>), and libxml2 stops building
    # at the first error: short input cannot hold too many.
    if len(buf) < 4 * (most + 1) or buf.count(b"<") <= most:
        return most
    if _count_marks(buf) <= most:  # sections can only add to this count
        return most
    starts = _start_tags(buf)
    if starts > most:
        offset = _nth_start(buf, most + 1)
        reason = f"{starts} elements exceed the limit of {most}{limits.node_budget_reason(size)}"
        raise _refuse(reason, source, offset, status=413)
    return most


# Comments, CDATA sections and processing instructions, whose '<' are not tags.
_SECTIONS = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_OPENERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))

# A start tag is a '<' that is not '</', '<!' or '<?'.
_MARKS = ((b"<", 1), (b"</", -1), (b"<!", -1), (b"<?", -1))


def _count_marks(buf: bytes) -> int:
    return sum(buf.count(mark) * sign for mark, sign in _MARKS)


def _start_tags(buf: bytes) -> int:
    # An opener after the last terminator of its kind may never be closed:
    # past the first such, every '<' is counted as a tag (erring high), so
    # the lazy section pattern never scans the same tail twice.
    cut = len(buf)
    for opener, closer in _OPENERS:
        unclosed = buf.find(opener, max(buf.rfind(closer), 0))
        if unclosed >= 0:
            cut = min(cut, unclosed)
    if cut == len(buf):
        return _count_marks(_SECTIONS.sub(b"", buf))
    return _count_marks(_SECTIONS.sub(b"", buf[:cut])) + buf.count(b"<", cut)


# A section to skip, or the '<' of a start tag.
_SECTION_OR_START = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<(?![/!?])", re.S)


def _nth_start(buf: bytes, n: int) -> int:
    """Offset of the *n*-th start tag (1-based), counted as :func:`_start_tags` counts."""
    cut = len(buf)
    for opener, closer in _OPENERS:
        unclosed = buf.find(opener, max(buf.rfind(closer), 0))
        if unclosed >= 0:
            cut = min(cut, unclosed)
    seen = 0
    for match in _SECTION_OR_START.finditer(buf, 0, cut):
        if match.end() - match.start() == 1:
            seen += 1
            if seen == n:
                return match.start()
    at = cut - 1
    for _ in range(n - seen):  # past an unclosed section every '<' counts
        at = buf.find(b"<", at + 1)
    return max(at, 0)


def _syntax_error(source: Source, exc: etree.XMLSyntaxError) -> DecodeError:
    line, column = exc.position if exc.position else (1, 1)
    return _malformed(source, (exc.msg or "malformed XML").split(", line ")[0], line, column)


def _malformed(source: Source, message: str, line: int | None, column: int | None) -> DecodeError:
    line, column = source.adjust(line or 1, column or 1)
    message = message.strip()  # libxml2 ends some messages with a newline
    status = 413 if "huge" in message.lower() else 400
    return DecodeError(f"malformed XML: {message}", line=line, column=column, status=status)
