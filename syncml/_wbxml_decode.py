"""WBXML decoding: SyncML DM binary XML in, model values out.

WBXML (WAP-192) writes a document as a header (version, public id, charset,
string table) and a body of tokens: one byte per tag in a code page, END to
close it, and STR_I / STR_T / ENTITY / OPAQUE for content.  This decoder reads
the token stream in one pass and builds the model directly, walking the same
content models (:mod:`syncml._grammar`) with the same layouts, quirks and
strict rules as the XML decoder, so equivalent XML and WBXML decode to equal
models.  Nothing is built as an intermediate tree except for the rare content
that is XML in the model (embedded markup, unknown elements, DevInf and TNDS
documents), which is rendered to text and serialized the way the XML decoder
serializes it.

Hostile input (the rules of ``wbxml-and-oracles.md``): the token-level
bounds live in :mod:`syncml._wbxml_reader`; here, undefined tokens, code
pages and attributes are errors, never ``<unknown/>``, and depth and element
counts are bounded by :class:`syncml.Limits`, inside nested documents too.
Every problem is a :class:`~syncml.DecodeError` with the byte offset and the
element path.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import sys
from types import FrameType
from typing import Any, TypeGuard

from lxml import etree

from . import _wbxml_tables as t
from . import model as m
from ._grammar import COMMAND_CLASSES, ELEMENTS, NAMESPACE_BY_VERSION, NS_METINF, REPEATABLE, Element, Kind
from ._quirks import EMPTY_SYNCHDR, QuirkKind
from ._strict import STRICT_RULES, supported_protocol
from ._wbxml_reader import LITERAL_TAGS, NOT_XML, TEXT_TOKENS, Budget, Reader, attr_escape
from ._xml_decode import (
    _DATA,
    _FLAG,
    _NODE,
    _SET_NAMESPACES,
    _SET_QUIRKS,
    _TEXT,
    _Entry,
    _entry,
    _Layout,
    _new_layout,
    leading_text,
    standalone,
)
from ._xml_encode import _NCNAME, _PREFIXED, _XML_NS
from ._xml_fast import NON_EMPTY
from ._xmlfront import _parser
from .errors import DecodeError
from .limits import Limits

_WS = " \t\r\n"
#: Commands whose Items a command-level Meta Type describes (libwbxml looks at
#: the Item's Meta, then at its parent's).
_ITEM_HOLDERS = frozenset(el.name for el in ELEMENTS.values() if any(c.field == "items" for c in el.children))
_NONCE = 100  # the kind code of NextNonce
_NONCE_KEY = t.key(t.METINF_PAGE, t.METINF_TAGS["NextNonce"])


@functools.cache
def _layouts() -> tuple[dict[type, _Layout], dict[_Layout, dict[int, _Entry]]]:
    """The XML decoder's layouts, with a (page, token) table per layout.

    Tolerated children (a Results Cmd) and commands outside their container's
    DTD choice stay out of the tables, so the hot loop never checks for quirks.
    NextNonce gets a kind code of its own: it travels as OPAQUE raw bytes in
    WBXML and as base64 text in XML.
    """
    layouts = {cls: _new_layout(element) for cls, element in ELEMENTS.items()}
    tables: dict[_Layout, dict[int, _Entry]] = {}
    for cls, layout in layouts.items():
        element = ELEMENTS[cls]
        table: dict[int, _Entry] = {}
        for token, child in t.CHILDREN[element.name].items():
            if child.quirk is None:
                table[token] = _entry(child, element, layouts)
        tables[layout] = table
    meta = tables[layouts[m.Meta]]
    position, bit, _, index, repetition, sub, name = meta[_NONCE_KEY]
    meta[_NONCE_KEY] = (position, bit, _NONCE, index, repetition, sub, name)
    return layouts, tables


class _Scope:
    """The Meta Type a command gives its Items, and whether a nested document used it."""

    __slots__ = ("meta", "used")

    def __init__(self) -> None:
        self.meta: m.Meta | None = None
        self.used: t.Vocabulary | None = None


# Module constants for the hot loop (no attribute lookups there).
_END, _STR_I, _MASK, _FIRST_TAG = t.END, t.STR_I, t.TOKEN_MASK, t.FIRST_TAG
_HAS_CONTENT, _HAS_ATTRIBUTES = t.HAS_CONTENT, t.HAS_ATTRIBUTES


@functools.cache
def _names(ns: str) -> dict[int, tuple[str, str | None]]:
    """(page, token) -> (name, namespace) for rendering SyncML-document elements as XML."""
    return {key: (name, NS_METINF if key >> 8 == t.METINF_PAGE else ns) for key, name in t.NAME_BY_KEY.items()}


@functools.cache
def _nested_names(vocabulary: t.Vocabulary, public_id: int) -> dict[int, tuple[str, str | None]]:
    """(page, token) -> (name, namespace) for one kind of nested document."""
    tags = vocabulary.tags_for(public_id)
    return {t.key(vocabulary.page, token): (name, vocabulary.namespace) for name, token in tags.items()}


class MessageDecoder(Reader):
    """Decodes one WBXML SyncML message into the model."""

    def __init__(self, buf: bytes, *, strict: bool, keep_unknown: bool, limits: Limits, stack_depth: int) -> None:
        budget = Budget(strict=strict, keep_unknown=keep_unknown, limits=limits, size=len(buf), stack_depth=stack_depth)
        super().__init__(buf, 0, len(buf), budget, [])
        self.layouts, self.tables = _layouts()
        #: VerDTD the public id (or a Nokia xmlns) announces; None when unknown.
        self.version: str | None = None
        #: Prefixed namespace declarations on SyncML and SyncBody (prefix -> URI).
        self.namespaces: dict[str, str] = {}
        self.root_namespaces: tuple[tuple[str, str], ...] = ()
        self.scope: _Scope | None = None
        self.header_seen: m.SyncHdr | None = None
        self.body_namespaces: tuple[tuple[str, str], ...] = ()
        #: What the XML decoder's choice of markup wording turns on: whether
        #: the document (here, its XML form) declares a prefix anywhere.
        self.has_prefixes = b"xmlns:" in buf

    # --- entry point ----------------------------------------------------------------

    def message(self) -> m.SyncML:
        _, public_id, fpi = self.header()
        self.version = self._document_version(public_id, fpi)
        at = self._root_tag()
        token = self.buf[at]
        self.stack.append(("SyncML", 0, at))
        self.count_node(at)
        self.budget.attributes += 1  # the root's namespace declaration in XML
        if token & t.HAS_ATTRIBUTES:
            self._root_attributes(at)
        msg: m.SyncML = self.node(self.layouts[m.SyncML], 1, at, token & t.HAS_CONTENT)
        self.finish()
        self._check_version(msg.header, at)
        _SET_QUIRKS(msg, tuple(self.budget.quirks))
        if self.root_namespaces:
            _SET_NAMESPACES(msg, self.root_namespaces)
        return msg

    @property
    def ns(self) -> str:
        """The document's SyncML namespace (known once the public id or VerDTD is read)."""
        version = self.version or (self.header_seen.ver_dtd if self.header_seen is not None else "1.2")
        return NAMESPACE_BY_VERSION.get(version, NAMESPACE_BY_VERSION["1.2"])

    def _document_version(self, public_id: int, fpi: str | None) -> str | None:
        if fpi is not None:
            version = t.SYNCML_FPIS.get(fpi.upper())
            if version is not None:
                return version
            if "SYNCML 1.0" in fpi.upper():
                raise self.error(f"SyncML 1.0 ({fpi!r}) is not supported", 1, status=505)
            self.quirk(QuirkKind.WBXML_UNKNOWN_PUBLIC_ID, f"public identifier {fpi!r} names no SyncML DTD", 1)
            return None
        version = t.SYNCML_PUBLIC_IDS.get(public_id)
        if version is not None:
            return version
        if public_id == t.UNKNOWN_PUBLIC_ID:
            self.quirk(QuirkKind.WBXML_UNKNOWN_PUBLIC_ID, "public id 0x01 (unknown)", 1)
            return None
        if public_id == t.SYNCML_10_PUBLIC_ID:
            raise self.error("SyncML 1.0 (public id 0xfd1) is not supported", 1, status=505)
        raise self.error(f"public id {public_id:#x} is not SyncML 1.1 or 1.2", 1, status=415)

    def _root_tag(self) -> int:
        while True:
            if self.pos >= self.end:
                raise self.error("no root element", self.pos)
            token = self.buf[self.pos]
            if token == t.SWITCH_PAGE:
                self.switch_page(self.pages)
                continue
            at = self.pos
            if token == t.PI:
                raise self.error("processing instructions are not used by SyncML", at)
            self.pos += 1
            if token & t.TOKEN_MASK < t.FIRST_TAG or t.key(self.page, token & t.TOKEN_MASK) != t.SYNCML_ROOT:
                raise self.error(f"not a SyncML message: the root element is {self.describe(token)}", at)
            return at

    def _root_attributes(self, at: int) -> None:
        own: list[tuple[str, str]] = []
        # The XML form declares the SyncML namespace on the root: it counts
        # there, so that both forms of a message meet the same limits.
        for name, value in self.attributes(at, implied=1):
            if name in ("", "xmlns"):
                self.quirk(QuirkKind.WBXML_LITERAL_XMLNS, f"namespace {value!r} as a literal attribute", at)
                version = {ns.upper(): ver for ver, ns in NAMESPACE_BY_VERSION.items()}.get(value.upper())
                if version is None:
                    raise self.error(f"not SyncML: namespace {value!r}", at)
                self.version = self.version or version
            elif name.startswith("xmlns:"):
                own.append(self._declaration(name, value, at))
            else:
                raise self.error(f"unexpected attribute {name!r} on <SyncML>", at)
        self.namespaces.update(own)
        self.root_namespaces = tuple(own)

    def _check_version(self, header: m.SyncHdr, at: int) -> None:
        del self.stack[1:]
        if header.ver_dtd not in NAMESPACE_BY_VERSION:
            raise self.error(f"unsupported VerDTD {header.ver_dtd!r}", at, status=505)
        if self.version is not None and self.version != header.ver_dtd:
            self.quirk(QuirkKind.VERSION_MISMATCH, f"VerDTD {header.ver_dtd} in a SyncML {self.version} document", at)
        if self.budget.strict and not supported_protocol(header.ver_proto):
            raise self.error(f"unsupported VerProto {header.ver_proto!r}", at, status=513)

    # --- the walk -------------------------------------------------------------------

    def node(self, layout: _Layout, depth: int, at: int, has_content: int) -> Any:
        """Decode the element whose tag was at *at* into the model class of *layout*."""
        vals = list(layout.plan.defaults)
        seen = self.children(layout, depth, vals) if has_content else 0
        for pos, shown in layout.required:
            if not seen >> pos & 1 and vals[pos].__class__ is not list:
                if not seen and layout.element.cls is m.SyncHdr and vals == list(layout.plan.defaults):
                    return self._empty_header(at)
                raise self.error(f"<{layout.element.name}> is missing {shown}", at)
        for pos in layout.lists:
            current = vals[pos]
            if current.__class__ is list:
                vals[pos] = tuple(current)
        return layout.plan.make(*vals)

    def _empty_header(self, at: int) -> m.SyncHdr:
        # Windows' local MDM API answers with <SyncHdr/> (in XML; its WBXML
        # form is read alike): the version is the public id's.
        self.quirk(QuirkKind.EMPTY_SYNCHDR, EMPTY_SYNCHDR, at)
        return m.SyncHdr.empty(self.version or "1.2")

    def children(self, layout: _Layout, depth: int, vals: list[Any]) -> int:
        """Decode content up to and including END into *vals*; return the bits of the fields filled."""
        buf = self.buf
        end = self.end
        codec = self.codec
        table = self.tables[layout]
        element = layout.element
        any_order = element.any_order
        budget = self.budget
        strict = budget.strict
        stack = self.stack
        seen = 0
        last = -1
        counts: dict[str, int] | None = None
        scope = None
        if element.name in _ITEM_HOLDERS:
            outer, scope = self.scope, _Scope()
            self.scope = scope
        value: Any
        while True:
            pos = self.pos
            if pos >= end:
                raise self.truncated()
            token = buf[pos]
            if token == _END:
                self.pos = pos + 1
                break
            entry = table.get(self.page << 8 | token & _MASK) if token & _MASK >= _FIRST_TAG else None
            if entry is None:
                entry = self._resolve(layout, vals, seen, depth)
                if entry is None:
                    continue
            position, bit, kind, index, repetition, sub, name = entry
            if depth >= budget.max_depth:
                raise self.too_deep(pos)
            if name in REPEATABLE:
                if counts is None:
                    counts = {}
                counts[name] = number = counts.get(name, 0) + 1
            else:
                number = 0
            stack.append((name, number, pos))
            self.pos = pos + 1
            budget.nodes += 1
            if budget.nodes > budget.max_nodes:
                raise self.error(f"more than {budget.max_nodes} elements{budget.node_reason}", pos, status=413)
            if index < last and not any_order:
                self.quirk(QuirkKind.CHILD_ORDER, f"<{name}> out of order in <{element.name}>", pos)
            last = index
            if token & _HAS_ATTRIBUTES and kind in (_TEXT, _FLAG, _NONCE):
                self._leaf_attributes(name, pos)
            if kind == _TEXT:
                # The usual leaf, inline: tag, STR_I, text, NUL, END.
                value = None
                if token & _HAS_CONTENT and pos + 1 < end and buf[pos + 1] == _STR_I:
                    nul = buf.find(0, pos + 2, end)
                    if 0 < nul < end - 1 and buf[nul + 1] == _END:
                        # Charged by its bytes before decoding, as Reader.decode does.
                        size = nul - pos - 2
                        budget.output += size
                        if budget.output > budget.max_output:
                            self.charge(0, pos + 1)
                        try:
                            value = buf[pos + 2 : nul].decode(codec)
                        except UnicodeDecodeError:
                            value = None  # the general path says where
                        else:
                            if not value.isprintable() and NOT_XML.search(value):
                                value = None
                            else:
                                self.pos = nul + 2
                        budget.output -= size if value is None else size - len(value)
                if value is None:
                    value = self.text_or_end(name) if token & _HAS_CONTENT else ""
                if value and (value[0] in _WS or value[-1] in _WS):
                    value = self._trim(value, pos)
                if strict:
                    self._strict_value(element.name, name, value, pos)
                elif not value:
                    self._empty(element.name, name, pos)
            elif kind == _NODE:
                if token & t.HAS_ATTRIBUTES:
                    self._body_attributes(sub, pos)  # type: ignore[arg-type]
                value = self.node(sub, depth + 1, pos, token & t.HAS_CONTENT)  # type: ignore[arg-type]
                if scope is not None and name == "Meta":
                    scope.meta = value
                elif value.__class__ is m.SyncHdr:
                    self.header_seen = value
            elif kind == _FLAG:
                value = self._flag(token, name, pos)
            elif kind == _DATA:
                value = self._data(token, depth + 1, layout, vals, pos)
            elif kind == _NONCE:
                value = self._nonce(token, pos)
            else:
                value = self._raw(token, element.name, name, layout, vals, pos)
            if repetition == 0:
                if seen & bit:
                    raise self.error(f"more than one <{name}> in <{element.name}>", pos)
                seen |= bit
                vals[position] = value
            else:
                current = vals[position]
                if current.__class__ is list:
                    if repetition == 2:
                        raise self.error(f"more than one <{name}> in <{element.name}>", pos)
                    current.append(value)
                else:
                    vals[position] = [value]
            stack.pop()
        if scope is not None:
            self.scope = outer
            if scope.used is not None and scope.meta is not None:
                # A nested document was read under the command's Meta Type:
                # its XML form announces the +xml type.
                position = layout.plan.position["meta"]
                vals[position] = dataclasses.replace(scope.meta, type=scope.used.xml_type)
        if layout.namespaces >= 0 and self.body_namespaces:
            vals[layout.namespaces] = self.body_namespaces
        return seen

    # --- leaves -----------------------------------------------------------------------

    def _trim(self, value: str, at: int) -> str:
        self.quirk(QuirkKind.VALUE_WHITESPACE, f"whitespace around {value.strip(_WS)[:40]!r}", at)
        return value.strip(_WS)

    def _strict_value(self, parent: str, name: str, value: str, at: int) -> None:
        rule = STRICT_RULES.get((parent, name))
        if rule is not None:
            problem = rule(value)
            if problem:
                raise self.error(f"<{name}> {value!r} {problem}", at)

    def _flag(self, token: int, name: str, at: int) -> bool:
        if token & t.HAS_CONTENT:
            text = self.text_or_end(name)
            if text:
                if text.strip(_WS):
                    raise self.error(f"<{name}> must be empty", at)
                self.quirk(QuirkKind.VALUE_WHITESPACE, f"whitespace inside <{name}>", at)
        return True

    def _raw(self, token: int, parent: str, name: str, layout: _Layout, vals: list[Any], at: int) -> str:
        if token & t.HAS_ATTRIBUTES:
            self._data_attributes(layout, vals, at)
        value = self.text_or_end(name) if token & t.HAS_CONTENT else ""
        if self.budget.strict:
            self._strict_value(parent, name, value, at)
        elif not value:
            self._empty(parent, name, at)
        return value

    def _leaf_attributes(self, name: str, at: int) -> None:
        """A leaf's attributes: only an ``xmlns`` naming its code page's namespace (Perl's WAP::wbxml)."""
        if self._without_redundant_xmlns(self.attributes(at), name, at):
            raise self.error(f"attributes on <{name}>: SyncML defines none", at)

    def _without_redundant_xmlns(self, found: list[tuple[str, str]], name: str, at: int) -> list[tuple[str, str]]:
        """*found* less an ``xmlns`` naming the tag's code page namespace (a quirk); another one is refused.

        In XML such an ``xmlns`` is no attribute at all: kept, it would be
        written back as a declaration (on Data, of another namespace).
        """
        own = NS_METINF if self.page == t.METINF_PAGE else self.ns
        rest: list[tuple[str, str]] = []
        for attr, value in found:
            if attr != "xmlns":
                rest.append((attr, value))
            elif value != own:
                raise self.error(f"<{name}> declares namespace {value!r}, but its code page is {own!r}", at)
            else:
                self.quirk(QuirkKind.WBXML_REDUNDANT_XMLNS, f"<{name}> declares its code page's namespace {own!r}", at)
        return rest

    def _empty(self, parent: str, name: str, at: int) -> None:
        # An identifier the DTD requires non-empty: kept as "" and listed.
        if (parent, name) in NON_EMPTY:
            self.quirk(QuirkKind.EMPTY_VALUE, f"<{name}> is empty", at)

    def _nonce(self, token: int, at: int) -> str:
        if not token & t.HAS_CONTENT:
            return ""
        raw = self._sole_opaque()
        if raw is not None:
            self.charge((len(raw) + 2) // 3 * 4, at)
            return base64.b64encode(raw).decode("ascii")
        value = self.text_or_end("NextNonce")
        if value and (value[0] in _WS or value[-1] in _WS):
            value = self._trim(value, at)
        return value

    def _sole_opaque(self) -> bytes | None:
        """The bytes of content that is exactly one OPAQUE then END (consumed), else None."""
        if self.pos >= self.end or self.buf[self.pos] != t.OPAQUE:
            return None
        saved = self.pos
        self.pos += 1
        start, stop = self.opaque()
        if self.pos < self.end and self.buf[self.pos] == t.END:
            self.pos += 1
            return self.buf[start:stop]
        self.pos = saved
        return None

    # --- Data -------------------------------------------------------------------------

    def _data(self, token: int, depth: int, layout: _Layout, vals: list[Any], at: int) -> m.Data:
        """Item Data: text, CDATA-like OPAQUE, binary, a nested document, or markup."""
        if token & t.HAS_ATTRIBUTES:
            self._data_attributes(layout, vals, at)
        if not token & t.HAS_CONTENT:
            return ""
        buf = self.buf
        budget = self.budget
        start = self.pos
        saved = budget.output, budget.nodes
        texts: list[str] = []
        raw = bytearray()
        first = -1  # where the first OPAQUE's bytes start
        tokens = 0
        mixed = False  # text and OPAQUE: all text, read again below
        while True:
            at = self.pos
            if at >= self.end:
                raise self.truncated()
            token = buf[at]
            if token == t.END:
                self.pos += 1
                break
            if token in TEXT_TOKENS:
                if tokens:
                    self.count_text(at)
                tokens += 1
                if token == t.OPAQUE:
                    self.pos += 1
                    budget.work += 1
                    begin, stop = self.opaque()
                    mixed = mixed or bool(texts)
                    if not mixed:
                        first = begin if first < 0 else first
                        self.charge(stop - begin, at)
                        raw += buf[begin:stop]
                else:
                    text = self.text_token(token)
                    mixed = mixed or first >= 0
                    if not mixed:
                        texts.append(text)
            elif token == t.SWITCH_PAGE:
                self.switch_page(self.pages)
            else:
                # Markup: read again by the renderer, which charges it afresh.
                self._rewind(start, saved)
                return self._markup(depth, at)
        if mixed:
            # Text split into inline strings and OPAQUE: it is all text.
            self._rewind(start, saved)
            return self.text_or_end("Data")
        if first >= 0:
            budget.work += len(raw)
            return self._opaque_data(bytes(raw), first, layout, vals, depth)
        return self._joined(texts)

    def _rewind(self, start: int, saved: tuple[int, int]) -> None:
        """Go back to *start* to read content again; what was charged since *saved* is work, not output."""
        budget = self.budget
        budget.work += budget.output - saved[0]
        budget.output, budget.nodes = saved
        self.pos = start

    def _opaque_data(self, raw: bytes, first: int, layout: _Layout, vals: list[Any], depth: int) -> m.Data:
        vocabulary = self._nested_vocabulary(layout, vals)
        if vocabulary is None:
            vocabulary = _sniff_nested(raw)
            if vocabulary is not None:
                # Horde's encoder writes a nested DevInf under Type +xml: the
                # bytes say what it is, whatever the Type says.
                reason = f"a nested {vocabulary.name} WBXML document under a Meta Type that does not say so"
                self.quirk(QuirkKind.NESTED_WBXML_TYPE, reason, first)
        if vocabulary is not None and raw[:1] in (b"\x01", b"\x02", b"\x03"):
            self.budget.output -= len(raw)  # not output: what the nested document renders is
            return self._nested(vocabulary, first, first + len(raw), depth, layout, vals)
        try:
            text = raw.decode(self.codec)
        except UnicodeDecodeError:
            return m.Opaque(data=raw)
        if NOT_XML.search(text):
            return m.Opaque(data=raw)
        # libwbxml writes CDATA sections (and Add/Replace Data) as OPAQUE.
        return m.CData(text=text)

    def _nested_vocabulary(self, layout: _Layout, vals: list[Any]) -> t.Vocabulary | None:
        """The nested document the effective Meta Type announces (the Item's, else its command's)."""
        position = layout.plan.position.get("meta", -1)
        meta = vals[position] if position >= 0 else None
        if isinstance(meta, m.Meta) and meta.type is not None:
            return t.NESTED_BY_WBXML_TYPE.get(meta.type.lower())
        scope = self.scope
        if scope is not None and scope.meta is not None and scope.meta.type is not None:
            return t.NESTED_BY_WBXML_TYPE.get(scope.meta.type.lower())
        return None

    def _nested(
        self, vocabulary: t.Vocabulary, start: int, stop: int, depth: int, layout: _Layout, vals: list[Any]
    ) -> m.Markup:
        reader = Reader(self.buf, start, stop, self.budget, self.stack)
        reader.pages = frozenset({vocabulary.page})
        _, public_id, fpi = reader.header()
        names = _nested_names(vocabulary, self._nested_public_id(vocabulary, public_id, fpi, start))
        while reader.pos < reader.end and self.buf[reader.pos] == t.SWITCH_PAGE:
            reader.switch_page(reader.pages)
        root = t.key(reader.page, self.buf[reader.pos] & t.TOKEN_MASK) if reader.pos < reader.end else -1
        if names.get(root, ("",))[0] != vocabulary.name:
            raise self.error(f"the nested document's root is not <{vocabulary.name}>", reader.pos)
        out: list[str] = []
        reader.render(names, depth + 1, self.ns, out)
        reader.finish()
        markup = self._markup_from(self._joined(out), start, plain=reader.plain)
        # Its XML form announces the +xml type (docs/wbxml.md, nested documents; libwbxml does the same).
        position = layout.plan.position.get("meta", -1)
        meta = vals[position] if position >= 0 else None
        if isinstance(meta, m.Meta) and meta.type is not None:
            vals[position] = dataclasses.replace(meta, type=vocabulary.xml_type)
        elif self.scope is not None:
            self.scope.used = vocabulary
        return markup

    def _nested_public_id(self, vocabulary: t.Vocabulary, public_id: int, fpi: str | None, at: int) -> int:
        """Which of the vocabulary's token tables the nested document uses."""
        if fpi is not None:
            known = vocabulary.fpis.get(fpi.upper())
            if known is None:
                raise self.error(f"nested document {fpi!r} is not {vocabulary.name}", at)
            return known
        if public_id == t.UNKNOWN_PUBLIC_ID:
            return next(iter(vocabulary.tags_by_public_id))
        if public_id not in vocabulary.tags_by_public_id:
            raise self.error(f"nested document with public id {public_id:#x} is not {vocabulary.name}", at)
        return public_id

    def _markup(self, depth: int, at: int) -> m.Markup:
        out: list[str] = []
        self.plain = True
        self.render_content(_names(self.ns), depth, self.ns, out)
        return self._markup_from(self._joined(out), at, plain=self.plain)

    def _markup_from(self, xml: str, at: int, *, plain: bool = False) -> m.Markup:
        """Markup exactly as the XML decoder words the same content.

        Rendered content without attributes or prefixes is already in that
        form (the renderer escapes and declares as lxml serializes); anything
        else goes through lxml, which also checks that it is XML.
        """
        if plain:
            return m.Markup(xml=xml)
        budget = self.budget
        holder = self._parse_fragment(xml, at)
        # lxml's wording replaces the rendered text: charged afresh, piece by
        # piece (a declaration in scope is repeated on each child using it).
        budget.output -= len(xml)
        budget.work += 2 * len(xml)
        if not self.has_prefixes:
            # As the XML decoder does when its document declares no prefix:
            # the holder serialized once (CDATA sections stay sections).
            whole = etree.tostring(holder, encoding="unicode", with_tail=False)
            self.charge(len(whole), at)
            return m.Markup(xml=whole[whole.index(">") + 1 : whole.rindex("</")])
        parts = [leading_text(holder, cdata="<![CDATA[" in xml)]
        self.charge(len(parts[0]), at)
        for child in holder:
            parts.append(standalone(child, self.ns, with_tail=True))
            self.charge(len(parts[-1]), at)
        return m.Markup(xml=self._joined(parts))

    def _joined(self, parts: list[str]) -> str:
        text = "".join(parts)
        self.budget.work += len(text)
        return text

    def _parse_fragment(self, xml: str, at: int) -> etree._Element:
        ns = self.ns
        # Only the prefixes the fragment names: declaring every one in scope
        # would cost declarations x fragments.
        named = {p for p in _PREFIXED.findall(xml) if p in self.namespaces}
        decls = "".join(f' xmlns:{p}="{attr_escape(self.namespaces[p])}"' for p in sorted(named))
        try:
            return etree.fromstring(f'<Data xmlns="{ns}"{decls}>{xml}</Data>'.encode(), _parser(False))
        except etree.XMLSyntaxError as exc:
            raise self.error(f"element content is not well-formed XML: {exc.msg}", at) from None

    # --- attributes where the model keeps them ------------------------------------------

    def _body_attributes(self, layout: _Layout, at: int) -> None:
        if layout.namespaces < 0:
            raise self.error(f"attributes on <{layout.element.name}>: SyncML defines none", at)
        own: list[tuple[str, str]] = []
        for name, value in self.attributes(at):
            if not name.startswith("xmlns:"):
                raise self.error(f"unexpected attribute {name!r} on <SyncBody>", at)
            prefix, uri = self._declaration(name, value, at)
            if self.namespaces.get(prefix) != uri:
                own.append((prefix, uri))
        self.namespaces.update(own)
        self.body_namespaces = tuple(own)

    def _declaration(self, name: str, uri: str, at: int) -> tuple[str, str]:
        """``xmlns:prefix`` as (prefix, URI), refused where XML would refuse it."""
        prefix = name[6:]
        # Namespaces in XML 1.0, 3: xml and xmlns cannot be declared, and a
        # prefix cannot be undeclared.
        if not _NCNAME.fullmatch(prefix) or prefix in ("xml", "xmlns") or not uri:
            raise self.error(f"cannot declare prefix {prefix!r} for {uri!r}", at)
        if not _namespace_name_ok(uri):
            raise self.error(f"xmlns:{prefix}: {uri!r} is not a valid URI", at)
        return prefix, uri

    def _data_attributes(self, layout: _Layout, vals: list[Any], at: int) -> None:
        """Attributes of Data (Windows' msft:originalerror) as ``("{uri}name", value)`` pairs."""
        found = self._without_redundant_xmlns(self.attributes(at), "Data", at)
        if layout.attributes < 0 and found:
            raise self.error("attributes on <Data> here: SyncML defines none", at)
        if not found:
            return
        # Its own declarations first, then those of SyncML/SyncBody (not
        # copied: there may be many, and many Data).
        own = dict(self._declaration(name, value, at) for name, value in found if name.startswith("xmlns:"))
        kept: list[tuple[str, str]] = []
        for name, value in found:
            if name.startswith("xmlns:"):
                continue
            prefix, colon, local = name.rpartition(":")
            if not _NCNAME.fullmatch(local) or (colon and not _NCNAME.fullmatch(prefix)):
                raise self.error(f"attribute name {name!r} is not an XML name", at)
            if not colon:
                kept.append((local, value))
                continue
            uri = _XML_NS if prefix == "xml" else own.get(prefix) or self.namespaces.get(prefix)
            if uri is None:
                raise self.error(f"attribute {name!r} uses an undeclared prefix", at)
            kept.append((f"{{{uri}}}{local}", value))
        vals[layout.attributes] = tuple(kept)

    # --- what the fast table does not hold ------------------------------------------------

    def _resolve(self, layout: _Layout, vals: list[Any], seen: int, depth: int) -> _Entry | None:
        """Handle the token at ``pos`` that is not a known child: place it, skip it, keep it or refuse it."""
        at = self.pos
        token = self.buf[at]
        element = layout.element
        if token == t.SWITCH_PAGE:
            self.switch_page(self.pages)
            return None
        if token in TEXT_TOKENS:
            # No element's own text: each stray token counts as a node.
            self.count_text(at)
            text = self.text_token(token)
            if text.strip(_WS):
                shown = text.strip(_WS)[:20]
                self.quirk(QuirkKind.STRAY_TEXT, f"text {shown!r} where only elements belong", at)
            return None
        if token in LITERAL_TAGS:
            name = self.table_string(self._peek_uint(at + 1), at)
            if _known_in(element, name):
                # Kept as Unknown it would be written as that element and read
                # back as one, and the XML form of this message reads it so:
                # both formats refuse it alike.
                raise self.error(f"LITERAL tag <{name}> names an element <{element.name}> knows", at)
        elif token & t.TOKEN_MASK < t.FIRST_TAG:
            raise self.error(f"{self.describe(token)} is not allowed in <{element.name}>", at)
        else:
            key = t.key(self.page, token & t.TOKEN_MASK)
            child = t.CHILDREN[element.name].get(key)
            if child is not None and child.quirk is not None:
                if child.quirk is QuirkKind.COMMAND_PLACEMENT:
                    message = f"<{child.name}> is not allowed in <{element.name}> by the DTD"
                else:
                    message = f"<{child.name}> in <{element.name}> is not in the DTD"
                self.quirk(child.quirk, message, at)
                return _entry(child, element, self.layouts)
            found = t.NAME_BY_KEY.get(key)
            if found is None:
                raise self.error(f"undefined token {token:#04x} in code page {self.page}", at)
            name = found
        if not (self.budget.keep_unknown and layout.unknown >= 0):
            raise self.error(f"unknown element <{name}> in <{element.name}>", at)
        if depth >= self.budget.max_depth:
            raise self.too_deep(at)
        self._keep_unknown(layout, vals, seen, depth + 1)
        return None

    def _peek_uint(self, pos: int) -> int:
        saved = self.pos
        self.pos = pos
        try:
            return self.uint()
        finally:
            self.pos = saved

    def _keep_unknown(self, layout: _Layout, vals: list[Any], seen: int, depth: int) -> None:
        at = self.pos
        out: list[str] = []
        self.plain = True
        self.render(_names(self.ns), depth, self.ns, out)
        xml = self._markup_from(self._joined(out), at, plain=self.plain).xml
        known = bin(seen).count("1") + sum(
            len(v) for i, v in enumerate(vals) if v.__class__ is list and i != layout.unknown
        )
        unknown = m.Unknown(xml=xml, position=known)
        current = vals[layout.unknown]
        if current.__class__ is list:
            current.append(unknown)
        else:
            vals[layout.unknown] = [unknown]


def _known_in(element: Element, name: str) -> bool:
    """Whether *name* (as a LITERAL tag names it) is an element or a command *element* holds."""
    if name in element.by_name:
        return True
    return name in COMMAND_CLASSES and any(child.kind is Kind.COMMAND for child in element.children)


@functools.lru_cache(maxsize=256)
def _sniff_nested(raw: bytes) -> t.Vocabulary | None:
    """The nested document *raw* is by its header (version, then public id or a literal FPI), if any."""
    if raw[:1] not in (b"\x01", b"\x02", b"\x03") or len(raw) < 4:
        return None
    head = raw[1:3]
    for vocabulary in (t.DEVINF, t.TNDS):
        for public_id in vocabulary.tags_by_public_id:
            if public_id >= 0x80 and head == bytes([0x80 | public_id >> 7, public_id & 0x7F]):
                return vocabulary
        # A literal public id (first byte 0) names its FPI in the string table, near the start.
        if raw[1] == 0 and any(fpi.encode() in raw[:96].upper() for fpi in vocabulary.fpis):
            return vocabulary
    return None


def _namespace_name_ok(uri: str) -> bool:
    """Whether libxml2 takes *uri* as a namespace name, so that the XML form of the message reads back.

    libxml2 refuses a declaration whose value is not a URI at all (``)x``,
    ``a b``); asking it is the only way to draw the line where it does.
    """
    parser = _parser(False)
    try:
        etree.fromstring(f'<a xmlns:p="{attr_escape(uri)}"/>'.encode(), parser)
    except etree.XMLSyntaxError:
        return False
    return not any(entry.level >= etree.ErrorLevels.ERROR for entry in parser.error_log)


def is_wbxml(data: object) -> TypeGuard[bytes | bytearray | memoryview]:
    """Whether *data* is WBXML rather than XML.

    A WBXML document starts with its version byte (0x01 to 0x03; 0x00 was
    WBXML 1.0).  XML starts with ``<``, whitespace or a byte-order mark, and
    UTF-16 or UTF-32 XML with ``\\x00<`` or ``\\x00\\x00``: no XML starts
    with a byte below 0x09 otherwise.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)) or not len(data):
        return False
    head = bytes(data[:2])
    return head[0] <= 0x08 and head not in (b"\x00<", b"\x00\x00")


def decode(data: bytes | bytearray | memoryview, *, strict: bool, keep_unknown: bool, limits: Limits) -> m.SyncML:
    """Decode one WBXML SyncML message (see :func:`syncml.parse`)."""
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if size > limits.max_size:
        # Refused before reading (or copying a bytearray): the offset is where the limit is crossed.
        reason = f"input of {size} bytes exceeds the {limits.max_size}-byte limit"
        raise DecodeError(reason, offset=limits.max_size, status=413)
    decoder = MessageDecoder(
        bytes(data), strict=strict, keep_unknown=keep_unknown, limits=limits, stack_depth=_stack_room()
    )
    try:
        return decoder.message()
    finally:
        decoder.budget.record()


#: Python frames the walk takes per level of nesting (node and children, or
#: render and render_content), and what the deepest level may call besides
#: (text, errors, lxml's wording of markup).
_FRAMES_PER_LEVEL = 2
_FRAMES_RESERVED = 30


def _stack_room() -> int:
    """Levels of nesting the recursive walk may reach from the caller's frame.

    ``max_depth`` allows up to 256 levels; a caller already deep in its own
    recursion may leave less than that of Python's stack, and the walk then
    stops with a DecodeError where it would have hit RecursionError.
    """
    limit = sys.getrecursionlimit()
    frame: FrameType | None = sys._getframe(1)
    used = 1
    while frame is not None and used < limit:
        frame = frame.f_back
        used += 1
    return max(0, (limit - used - _FRAMES_RESERVED) // _FRAMES_PER_LEVEL)
