"""Reading one WBXML document: header, tokens, text, and content rendered as XML.

WBXML (WAP-192) writes a document as a header (version, public id as an
mb_u_int32, charset, string table) and a body of tokens.  :class:`Reader`
holds one document's state (position, code page, charset, string table) and
reads its pieces with every bound checked first: a multi-byte integer has at
most 5 bytes and fits in 32 bits, every length and string-table index is
checked against the bytes that exist before anything is read, a string-table
entry must end with NUL inside the table, ENTITY code points must be XML
characters.  Each problem is a :class:`~syncml.DecodeError` with the byte
offset and the element path.

The SyncML message decoder (:mod:`syncml._wbxml_decode`) builds on it; a
nested DevInf or TNDS document is read by a Reader of its own over the same
buffer, so its offsets are those of the message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import _meter
from . import _wbxml_tables as t
from ._quirks import Quirk, QuirkKind
from ._xml_decode import _escape_text
from ._xml_encode import _NCNAME
from .errors import DecodeError
from .limits import Limits

# Characters XML 1.0 cannot carry: a model value must always be writable as XML.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TEXT_TOKENS = frozenset({t.STR_I, t.STR_T, t.ENTITY, t.OPAQUE})
#: LITERAL tag tokens and the content/attribute flags each stands for.
LITERAL_TAGS = {t.LITERAL: 0, t.LITERAL_C: t.HAS_CONTENT, t.LITERAL_A: t.HAS_ATTRIBUTES, t.LITERAL_AC: 0xC0}
SYNCML_PAGES = frozenset({t.SYNCML_PAGE, t.METINF_PAGE})


def cdata_section(text: str) -> str:
    """*text* as CDATA: a section cannot hold ``]]>``, so it is closed around it."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def attr_escape(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


class Budget:
    """What every document of one message shares: options, limits, counts, quirks.

    Nested documents charge the same counts, so one message has one budget:

    - ``nodes``: tags, plus each text token (STR_I, STR_T, ENTITY, OPAQUE)
      that directly follows another one.  An element's text is one node in
      XML however it is split; a run of adjacent tokens is how WBXML floods.
    - ``attributes``: attributes and namespace declarations, as in XML.
    - ``output``: characters produced (text, names, attribute values, markup
      as rendered, base64 and bytes of OPAQUE data), charged before a string
      is built or copied; text still to be decoded is charged by its byte
      length (never fewer than its characters) and the difference refunded.
    - ``work``: tokens read and characters copied by Python code, besides
      the counts above (what :func:`syncml._meter.record` reports).
    """

    __slots__ = (
        "attribute_reason",
        "attributes",
        "keep_unknown",
        "max_attributes",
        "max_depth",
        "max_nodes",
        "max_output",
        "max_total_attributes",
        "node_reason",
        "nodes",
        "output",
        "quirks",
        "stack_limited",
        "strict",
        "work",
    )

    def __init__(self, *, strict: bool, keep_unknown: bool, limits: Limits, size: int, stack_depth: int) -> None:
        self.strict = strict
        self.keep_unknown = keep_unknown
        #: The depth the walk may reach: ``limits.max_depth``, or less when
        #: the caller's own frames leave too little of Python's stack.
        self.max_depth = min(limits.max_depth, stack_depth)
        self.stack_limited = stack_depth < limits.max_depth
        # Linear in the input: a WBXML element can be one byte, and each
        # costs a model object (see Limits.bytes_per_node).
        self.max_nodes = limits.node_budget(size)
        self.node_reason = limits.node_budget_reason(size)
        self.max_attributes = limits.max_attributes
        self.max_total_attributes = limits.attribute_budget(size)
        self.attribute_reason = limits.attribute_budget_reason(size)
        self.max_output = limits.output_budget(size)
        self.nodes = 0
        self.attributes = 0
        self.output = 0
        self.work = 0
        self.quirks: list[Quirk] = []

    def record(self) -> None:
        """Report this decode's counts to the active meter (one call per decode)."""
        _meter.record(
            work=self.work + self.nodes + self.attributes + self.output,
            output=self.output,
            nodes=self.nodes,
            attributes=self.attributes,
        )


class Reader:
    """Header and token reading for one WBXML document inside a byte buffer.

    Offsets are absolute in ``buf``, so a nested document reports positions
    in the message that carries it.
    """

    def __init__(self, buf: bytes, start: int, end: int, budget: Budget, path: list[tuple[str, int, int]]) -> None:
        self.buf = buf
        self.pos = start
        self.end = end
        self.budget = budget
        self.page = 0
        self.codec = "utf-8"
        self.table_start = self.table_end = start
        self.strings: dict[int, str] = {}
        self.pages = SYNCML_PAGES
        #: Whether what :meth:`render` wrote is already in the form lxml
        #: serializes (no attribute, no prefix): then it need not be parsed.
        self.plain = True
        #: Open elements: (name, sibling index or 0, offset of the tag).
        self.stack = path
        #: (stack entry, its element's path) for the open elements :meth:`path` last named.
        self.built: list[tuple[tuple[str, int, int], str]] = []

    # --- reporting --------------------------------------------------------------

    def error(self, reason: str, offset: int, status: int = 400) -> DecodeError:
        return DecodeError(reason, offset=offset, path=self.path() or None, status=status)

    def path(self) -> str:
        # Each open element's path is kept with the stack entry it was built
        # for: a quirk in each of many elements deep down then formats only
        # the levels that changed, not the whole path each time.
        # An entry kept here is held, so the same object at a level means the
        # same element, and the levels below it unchanged: look from the top.
        stack, built = self.stack, self.built
        same = min(len(stack), len(built))
        while same and built[same - 1][0] is not stack[same - 1]:
            same -= 1
        del built[same:]
        for entry in stack[same:]:
            name, index, _ = entry
            step = f"{name}[{index}]" if index else name
            built.append((entry, f"{built[-1][1]}/{step}" if built else step))
        return built[-1][1] if built else ""

    def quirk(self, kind: QuirkKind, message: str, offset: int) -> None:
        if self.budget.strict:
            raise self.error(message, offset)
        path = self.path()
        # What a quirk records is decoded output too: a quirk in each of many
        # deeply nested elements holds a long path for a few bytes of input.
        self.charge(len(message) + len(path), offset)
        self.budget.quirks.append(Quirk(kind=kind, message=message, path=path, offset=offset))

    def charge(self, size: int, offset: int) -> None:
        """Charge *size* characters about to be produced against the output budget."""
        budget = self.budget
        budget.output += size
        if budget.output > budget.max_output:
            reason = f"decoded output over the {budget.max_output}-character budget for this input"
            raise self.error(reason, offset, status=413)

    def count_text(self, offset: int) -> None:
        """Count a text token that follows another one as a node."""
        budget = self.budget
        budget.nodes += 1
        if budget.nodes > budget.max_nodes:
            reason = f"more than {budget.max_nodes} elements and text tokens{budget.node_reason}"
            raise self.error(reason, offset, status=413)

    def truncated(self) -> DecodeError:
        return self.error("unexpected end of the WBXML document", self.end)

    # --- primitives ---------------------------------------------------------------

    def uint(self) -> int:
        """An mb_u_int32: 7 bits a byte, high bit set on all but the last, at most 5 bytes."""
        buf, pos, start = self.buf, self.pos, self.pos
        value = 0
        for _ in range(5):
            if pos >= self.end:
                raise self.truncated()
            byte = buf[pos]
            pos += 1
            value = value << 7 | byte & 0x7F
            if not byte & 0x80:
                if value >> 32:
                    raise self.error("multi-byte integer does not fit in 32 bits", start)
                self.pos = pos
                return value
        raise self.error("multi-byte integer longer than 5 bytes", start)

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.truncated()
        value = self.buf[self.pos]
        self.pos += 1
        return value

    def decode(self, start: int, stop: int, offset: int) -> str:
        """Text of ``buf[start:stop]`` in the document's charset, XML characters only.

        Charged to the output budget (at *offset*, the token's) by its byte
        length before decoding; characters fewer than bytes are refunded.
        """
        self.charge(stop - start, offset)
        try:
            text = self.buf[start:stop].decode(self.codec)
        except UnicodeDecodeError as exc:
            raise self.error(f"text is not {self.codec} ({exc.reason})", start + exc.start) from None
        self.budget.output -= stop - start - len(text)
        bad = NOT_XML.search(text)
        if bad is not None:
            offset = start + len(text[: bad.start()].encode(self.codec, "surrogatepass"))
            raise self.error(f"character U+{ord(bad.group()):04X} cannot be written in XML", offset)
        return text

    def inline_string(self) -> str:
        """STR_I's argument: text up to a NUL byte (the token is already read)."""
        start = self.pos
        nul = self.buf.find(0, start, self.end)
        if nul < 0:
            raise self.error("inline string without its terminating NUL", start - 1)
        self.pos = nul + 1
        return self.decode(start, nul, start - 1)

    def table_string(self, index: int, offset: int) -> str:
        """The string-table entry starting at *index*, which must end with NUL inside the table.

        Each reference is charged the entry's length (at *offset*): one entry
        may stand for many copies, and copies are what a reference produces.
        """
        cached = self.strings.get(index)
        if cached is not None:
            self.charge(len(cached), offset)
            return cached
        size = self.table_end - self.table_start
        if index >= size:
            raise self.error(f"string-table index {index} outside the {size}-byte table", offset)
        start = self.table_start + index
        nul = self.buf.find(0, start, self.table_end)
        if nul < 0:
            raise self.error(f"string-table entry at index {index} does not end with NUL", offset)
        text = self.decode(start, nul, offset)
        self.strings[index] = text
        return text

    def opaque(self) -> tuple[int, int]:
        """OPAQUE's argument: (start, end) of its bytes, refused before reading if too long."""
        at = self.pos - 1
        length = self.uint()
        if length > self.end - self.pos:
            raise self.error(f"OPAQUE of {length} bytes, but only {self.end - self.pos} are left", at)
        start = self.pos
        self.pos = start + length
        return start, start + length

    def entity(self) -> str:
        at = self.pos - 1
        code = self.uint()
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self.error(f"ENTITY {code:#x} is not a Unicode character", at)
        char = chr(code)
        if NOT_XML.match(char):
            raise self.error(f"ENTITY U+{code:04X} cannot be written in XML", at)
        self.charge(1, at)
        return char

    def switch_page(self, pages: frozenset[int]) -> None:
        at = self.pos
        self.pos += 1
        page = self.byte()
        if page not in pages:
            raise self.error(f"SWITCH_PAGE to code page {page}, which this document does not have", at)
        self.page = page

    def count_node(self, offset: int) -> None:
        budget = self.budget
        budget.nodes += 1
        if budget.nodes > budget.max_nodes:
            raise self.error(f"more than {budget.max_nodes} elements{budget.node_reason}", offset, status=413)

    def check_depth(self, depth: int, offset: int) -> None:
        if depth > self.budget.max_depth:
            raise self.too_deep(offset)

    def too_deep(self, offset: int) -> DecodeError:
        budget = self.budget
        if budget.stack_limited:
            # Not the limit: the caller's frames leave Python's stack too short.
            reason = f"nesting deeper than {budget.max_depth} elements, all the call stack has room for here"
            return self.error(reason, offset, status=413)
        return self.error(f"nesting deeper than {budget.max_depth} elements", offset)

    # --- header -------------------------------------------------------------------

    def header(self) -> tuple[int, int, str | None]:
        """Read version, public id, charset and string table; return (version, public id, literal FPI)."""
        start = self.pos
        version = self.byte()
        if version not in t.VERSION_NAMES:
            shown = f"{version >> 4 & 0xF}.{version & 0xF}"
            raise self.error(f"WBXML version {shown} is not supported (1.1 to 1.3 are)", start, status=415)
        public_id = self.uint()
        fpi_index = self.uint() if public_id == t.LITERAL_PUBLIC_ID else -1
        at = self.pos
        charset = self.uint()
        codec = t.CHARSETS.get(charset)
        if codec is None:
            raise self.error(f"charset MIBenum {charset} is not supported (UTF-8 is 106)", at, status=415)
        self.codec = codec
        at = self.pos
        size = self.uint()
        if size > self.end - self.pos:
            raise self.error(f"string table of {size} bytes, but only {self.end - self.pos} are left", at)
        self.table_start = self.pos
        self.table_end = self.pos + size
        self.pos = self.table_end
        fpi = None if fpi_index < 0 else self.literal_fpi(fpi_index, start + 1)
        return version, public_id, fpi

    def literal_fpi(self, index: int, offset: int) -> str:
        """The public identifier kept in the string table, NUL-terminated or running to its end."""
        size = self.table_end - self.table_start
        if index >= size:
            raise self.error(f"public identifier at string-table index {index}, outside the {size}-byte table", offset)
        start = self.table_start + index
        if self.buf.find(0, start, self.table_end) < 0:
            self.quirk(QuirkKind.WBXML_UNTERMINATED_FPI, "public identifier without its NUL terminator", offset)
            return self.decode(start, self.table_end, offset)
        return self.table_string(index, offset)

    def finish(self) -> None:
        if self.pos != self.end:
            raise self.error(f"{self.end - self.pos} bytes after the end of the document", self.pos)

    # --- content rendered as XML text -------------------------------------------------

    def text_or_end(self, parent: str) -> str:
        """Text content up to and including END; tags are refused."""
        buf = self.buf
        pos = self.pos
        # The common case: one inline string, then END.
        if pos < self.end and buf[pos] == t.STR_I:
            nul = buf.find(0, pos + 1, self.end)
            if 0 < nul < self.end - 1 and buf[nul + 1] == t.END:
                self.pos = nul + 2
                return self.decode(pos + 1, nul, pos)
        budget = self.budget
        before = budget.output
        parts: list[str] = []
        while True:
            if self.pos >= self.end:
                raise self.truncated()
            token = buf[self.pos]
            if token == t.END:
                self.pos += 1
                budget.work += budget.output - before  # the join copies it all once
                return "".join(parts)
            if token in TEXT_TOKENS:
                if parts:
                    self.count_text(self.pos)
                parts.append(self.text_token(token))
            elif token == t.SWITCH_PAGE:
                self.switch_page(self.pages)
            else:
                raise self.error(f"<{parent}> must hold text, not {self.describe(token)}", self.pos)

    def text_token(self, token: int) -> str:
        """One of STR_I, STR_T, ENTITY, OPAQUE (as text) at ``pos``."""
        at = self.pos
        self.pos += 1
        self.budget.work += 1
        if token == t.STR_I:
            return self.inline_string()
        if token == t.STR_T:
            return self.table_string(self.uint(), at)
        if token == t.ENTITY:
            return self.entity()
        start, stop = self.opaque()
        return self.decode(start, stop, at)

    def describe(self, token: int) -> str:
        name = t.GLOBAL_NAMES.get(token)
        if name is not None:
            return name
        known = t.NAME_BY_KEY.get(t.key(self.page, token & t.TOKEN_MASK))
        return f"<{known}>" if known else f"undefined token {token:#04x} in code page {self.page}"

    def attributes(self, tag_at: int, implied: int = 0) -> list[tuple[str, str]]:
        """A tag's attribute list: literal names (SyncML defines no attribute tokens) and text values.

        Each attribute, namespace declarations included (as in XML), counts
        against the per-element and per-message limits before it is read;
        *implied* declarations the element has in its XML form count first.
        """
        budget = self.budget
        found: list[tuple[str, str]] = []
        names: set[str] = set()
        while True:
            at = self.pos
            token = self.byte()
            if token == t.END:
                return found
            if token == t.SWITCH_PAGE:
                raise self.error("SWITCH_PAGE in an attribute list: SyncML has no attribute code pages", at)
            if token != t.LITERAL:
                raise self.error(f"undefined attribute token {token:#04x}", at)
            if len(found) + implied >= budget.max_attributes:
                reason = f"more than {budget.max_attributes} attributes on one element"
                raise self.error(reason, tag_at, status=413)
            budget.attributes += 1
            if budget.attributes > budget.max_total_attributes:
                reason = f"more than {budget.max_total_attributes} attributes in the message{budget.attribute_reason}"
                raise self.error(reason, at, status=413)
            name = self.literal_name(self.uint(), at, attribute=True)
            value = self.attribute_value()
            if name in names:
                raise self.error(f"attribute {name!r} given twice", at)
            names.add(name)
            found.append((name, value))

    def attribute_value(self) -> str:
        """The text tokens after an attribute name, joined once."""
        buf, end = self.buf, self.end
        parts: list[str] = []
        while self.pos < end and buf[self.pos] in TEXT_TOKENS:
            if parts:
                self.count_text(self.pos)
            parts.append(self.text_token(buf[self.pos]))
        if len(parts) < 2:
            return parts[0] if parts else ""
        value = "".join(parts)
        self.budget.work += len(value)
        return value

    def literal_name(self, index: int, offset: int, *, attribute: bool) -> str:
        if attribute and index == 0 and self.table_end == self.table_start:
            # Nokia: the SyncML namespace as a nameless literal attribute
            # with no string table (libwbxml reads it as xmlns).
            return ""
        return self.table_string(index, offset)

    def render(self, names: Mapping[int, tuple[str, str | None]], depth: int, default_ns: str, out: list[str]) -> None:
        """Render the element whose tag is at ``pos`` (and its subtree) as XML text into *out*.

        What rendering adds to the text it was given (tag syntax, names
        written twice, escapes) is charged to the output budget as well.
        """
        at = self.pos
        token = self.byte()
        self.count_node(at)
        self.check_depth(depth, at)
        flags = LITERAL_TAGS.get(token)
        if flags is not None:
            name = self.literal_name(self.uint(), at, attribute=False)
            self.charge(len(name) + 5, at)  # charged once as a reference: written twice, with <, </ and >
            ns: str | None = None
            if not _NCNAME.fullmatch(name):
                self.plain = False  # a prefix, or not a name: lxml decides
        else:
            if token & t.TOKEN_MASK < t.FIRST_TAG:
                raise self.error(f"{self.describe(token)} where an element belongs", at)
            flags = token & 0xC0
            entry = names.get(t.key(self.page, token & t.TOKEN_MASK))
            if entry is None:
                raise self.error(f"undefined token {token:#04x} in code page {self.page}", at)
            name, ns = entry
            self.charge(2 * len(name) + 5, at)
        parts = [f"<{name}"]
        scope = default_ns
        if ns is not None and ns != default_ns:
            parts.append(f' xmlns="{attr_escape(ns)}"')
            self.charge(len(parts[-1]), at)
            scope = ns
        if flags & t.HAS_ATTRIBUTES:
            self.plain = False
            for attr, value in self.attributes(at):
                if not attr:
                    raise self.error("a nameless attribute inside Data or an unknown element", at)
                if attr == "xmlns" and flags is not LITERAL_TAGS.get(token):
                    # A token's namespace is its code page's: an xmlns saying
                    # the same is redundant (Perl's WAP::wbxml writes one),
                    # any other contradicts the token.
                    if value != scope:
                        raise self.error(f"<{name}> declares namespace {value!r}, but its code page is {scope!r}", at)
                    self.quirk(QuirkKind.WBXML_REDUNDANT_XMLNS, f"<{name}> declares its code page's namespace", at)
                    continue
                if attr == "xmlns":
                    scope = value
                parts.append(f' {attr}="{attr_escape(value)}"')
                self.charge(len(parts[-1]) - len(attr) - len(value), at)
        parts.append(">" if flags & t.HAS_CONTENT else "/>")
        tag = "".join(parts)
        self.budget.work += len(tag)
        out.append(tag)
        if not flags & t.HAS_CONTENT:
            return
        start = len(out)
        self.render_content(names, depth, scope, out)
        if len(out) > start:
            out.append(f"</{name}>")
        else:  # content flag, nothing inside: lxml writes an empty tag
            out[-1] = tag[:-1] + "/>"

    def render_content(
        self, names: Mapping[int, tuple[str, str | None]], depth: int, scope: str, out: list[str]
    ) -> None:
        """Render content (text and elements) up to and including END; empty text adds nothing to *out*."""
        follows_text = False
        while True:
            at = self.pos
            if at >= self.end:
                raise self.truncated()
            token = self.buf[at]
            if token == t.END:
                self.pos += 1
                return
            if token in TEXT_TOKENS:
                if follows_text:
                    self.count_text(at)
                follows_text = True
                text = self.text_token(token)
                if token == t.OPAQUE:
                    # OPAQUE inside markup is how a CDATA section travels;
                    # lxml, not the renderer, words sections.
                    piece = cdata_section(text)
                    self.plain = False
                elif text:
                    piece = _escape_text(text)
                else:
                    continue
                self.charge(len(piece) - len(text), at)
                out.append(piece)
            elif token == t.SWITCH_PAGE:
                self.switch_page(self.pages)
            else:
                follows_text = False
                self.render(names, depth + 1, scope, out)
