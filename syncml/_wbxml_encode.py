"""WBXML encoding: model values in, SyncML DM binary XML out.

The mirror of :mod:`syncml._wbxml_decode` and of the XML encoder: one walk
over the same content models, children in DTD order, each tag as its token
in code page 0 (SyncML) or 1 (MetInf), switching pages only when the next
tag needs it, as libwbxml does.  Text goes as one STR_I per value (libwbxml
misreads several adjacent text tokens in Add/Replace Data), or as STR_T when
the caller asks for a string table of repeated values.

How each model form travels (the decoder reads each back to the same form):

- ``str`` Data as text; :class:`~syncml.CData` as OPAQUE (libwbxml's form
  for CDATA sections); :class:`~syncml.Opaque` as OPAQUE bytes.
- ``NextNonce`` holding canonical base64 as OPAQUE raw bytes (its WBXML form).
- :class:`~syncml.Markup` whose Meta Type is the ``+xml`` DevInf or TNDS type
  and which is one such document as a nested WBXML document in OPAQUE, the
  Type written as ``+wbxml``; any other markup inline, tags outside the code
  pages as LITERAL tags named in the string table.
- Data attributes and prefixed declarations on SyncML/SyncBody as LITERAL
  attributes (WBXML's own way; libwbxml drops them when it reads).

Anything that would not read back as the same model is refused with
:class:`~syncml.EncodeError`, as the XML encoder refuses it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import operator
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from lxml import etree

from . import _meter
from . import _wbxml_tables as t
from . import model as m
from ._grammar import BY_NAME, ELEMENTS, METINF_NAMES, NS_METINF, Child, Element, Kind
from ._xml_encode import _ILLEGAL, _PREFIXED, _XML_NS, _plan, attribute_pairs, checked_declarations
from ._xmlfront import _parser
from .errors import EncodeError

_WS = " \t\r\n"
_ITEM_HOLDERS = frozenset(el.name for el in ELEMENTS.values() if any(c.field == "items" for c in el.children))
_META_DTD_ORDER = tuple(c.name for c in _plan(BY_NAME["Meta"]))


_END, _STR_I, _HAS_CONTENT, _HAS_ATTRIBUTES = t.END, t.STR_I, t.HAS_CONTENT, t.HAS_ATTRIBUTES

#: One child field as the walk writes it: (child, field, kind, page, token,
#: required, held in a tuple).
_Out = tuple[Child, str, Kind, int, int, bool, bool]


def _entries_for(spec: Element, plan: tuple[Child, ...]) -> tuple[_Out, ...]:
    out = []
    for c in plan:
        page, token = t.TOKEN_OF[(spec.name, c.name)]
        many = c.kind is Kind.COMMAND or c.field in spec.tuple_fields
        out.append((c, c.field, c.kind, page, token, c.occurs.required, many))
    return tuple(out)


@functools.cache
def _entries(spec: Element) -> tuple[_Out, ...]:
    """The children of *spec* in DTD order, with what the walk needs of each."""
    return _entries_for(spec, _plan(spec))


class _Reader(NamedTuple):
    entries: tuple[_Out, ...]
    #: Every field the entries write, read in one call.
    values: Callable[[Any], tuple[Any, ...]]
    #: What ``values`` returns when every child is absent (None when a child
    #: is required): such an element is one empty tag.
    absent: tuple[Any, ...] | None


#: Field readers by the id of their (cached, never freed) entry table: a
#: table's own hash would hash every Child in it on each element written.
_READERS: dict[int, _Reader] = {}


def _reader(entries: tuple[_Out, ...]) -> _Reader:
    known = _READERS.get(id(entries))
    if known is not None and known.entries is entries:
        return known
    fields = [entry[1] for entry in entries]
    if len(fields) == 1:
        one = operator.attrgetter(fields[0])
        values: Callable[[Any], tuple[Any, ...]] = lambda obj: (one(obj),)  # noqa: E731
    else:
        values = operator.attrgetter(*fields)
    required = any(entry[5] for entry in entries)
    absent = None if required else tuple(False if e[2] is Kind.FLAG else () if e[6] else None for e in entries)
    _READERS[id(entries)] = known = _Reader(entries, values, absent)
    return known


def _of_class(obj: Any, cls: type) -> bool:
    # A function, so that the check does not narrow ``obj`` for the type checker.
    return obj.__class__ is cls or isinstance(obj, cls)


def _mb_uint(value: int) -> bytes:
    """An mb_u_int32: big-endian groups of 7 bits, the high bit set on all but the last."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(reversed(out))


class Encoder:
    """Writes one message; holds the options, the output and the string table."""

    def __init__(
        self, *, version: str, string_table: bool, literal_public_id: bool, metinf_order: Sequence[str] | None
    ) -> None:
        if version not in t.VERSIONS:
            raise EncodeError(f"WBXML version must be one of {', '.join(t.VERSIONS)}, not {version!r}")
        self.version = version
        self.use_table = string_table
        self.literal_public_id = literal_public_id
        self.meta_entries = _meta_entries(None if metinf_order is None else tuple(metinf_order))
        self.out = bytearray()
        self.page = 0
        self.table = bytearray()
        self.table_index: dict[str, int] = {}
        #: Strings worth a string-table entry (counted in a first pass).
        self.shared: frozenset[str] = frozenset()
        self.counts: dict[str, int] | None = None
        self.ns = ""
        self.ver_dtd = "1.2"
        self.prefixes: dict[str, str] = {}  # uri -> prefix declared on SyncML/SyncBody
        self.declared: dict[str, str] = {}  # prefix -> uri in scope (SyncBody's shadow SyncML's)
        #: Order in which text values were first written (string-table order).
        self.first_seen: dict[str, int] = {}
        #: Sibling counters for paths in errors, by parent path.
        self.indices: dict[str, dict[str, int]] = {}
        #: The current command's Items whose Markup goes as a nested document,
        #: the Meta Type those Items inherit from it, and whether that Type is
        #: written as +wbxml for them.
        self.nested: dict[int, tuple[t.Vocabulary, etree._Element]] = {}
        self.command_type: str | None = None
        self.command_meta: tuple[int, t.Vocabulary] | None = None
        #: Per markup element, its start tag as written (declarations, attribute names).
        self.start_tags: dict[etree._Element, _StartTag] = {}
        #: Characters of markup handed to lxml (see :mod:`syncml._meter`).
        self.work = 0

    # --- entry point ------------------------------------------------------------------

    def message(self, msg: m.SyncML) -> bytes:
        if not isinstance(msg, m.SyncML):
            raise EncodeError(f"expected a SyncML message, not {type(msg).__name__}")
        header = msg.header
        ver_dtd = getattr(header, "ver_dtd", None)
        ns = t.NAMESPACE_BY_VERSION.get(ver_dtd) if isinstance(ver_dtd, str) else None
        if ns is None or not isinstance(ver_dtd, str):
            raise EncodeError(f"cannot write VerDTD {ver_dtd!r}", path="SyncML/SyncHdr/VerDTD")
        if not isinstance(header, m.SyncHdr) or not isinstance(msg.body, m.SyncBody):
            raise EncodeError("a SyncML needs a SyncHdr and a SyncBody", path="SyncML")
        self.ns = ns
        self.ver_dtd = ver_dtd
        if self.use_table:
            self.counts = {}
            self._body(msg)
            self.shared = frozenset(s for s, n in self.counts.items() if n > 1 and len(s.encode()) > 2)
            self.counts = None
            self._reset()
        fpi = t.SYNCML_FPI_BY_VERSION[ver_dtd] if self.literal_public_id else None
        if fpi is not None:
            self._table_entry(fpi)
        for text in sorted(self.shared, key=self.first_seen.__getitem__):
            self._table_entry(text)
        self._body(msg)
        head = bytearray([t.VERSIONS[self.version]])
        if fpi is not None:
            head += _mb_uint(t.LITERAL_PUBLIC_ID) + _mb_uint(self.table_index[fpi])
        else:
            head += _mb_uint(t.SYNCML_PUBLIC_ID_BY_VERSION[ver_dtd])
        head += _mb_uint(t.UTF_8) + _mb_uint(len(self.table)) + self.table
        return bytes(head + self.out)

    def _reset(self) -> None:
        self.out = bytearray()
        self.table = bytearray()
        self.table_index = {}
        self.page = 0
        self.prefixes = {}
        self.declared = {}
        self.indices = {}

    def _body(self, msg: m.SyncML) -> None:
        root_decls = checked_declarations(_pairs(msg.namespaces, "namespaces", "SyncML"), "SyncML")
        self._remember(root_decls)
        self._tag(t.SYNCML_PAGE, t.SYNCML_TAGS["SyncML"], t.HAS_CONTENT | (t.HAS_ATTRIBUTES if root_decls else 0))
        if root_decls:
            self._attributes([(f"xmlns:{p}", u) for p, u in root_decls], "SyncML")
        if msg.header.is_empty:
            self._tag(t.SYNCML_PAGE, t.SYNCML_TAGS["SyncHdr"], 0)  # <SyncHdr/>, as Windows' local MDM API has it
        else:
            self.element(msg.header, BY_NAME["SyncHdr"], "SyncML/SyncHdr", (t.SYNCML_PAGE, t.SYNCML_TAGS["SyncHdr"]))
        body = msg.body
        body_decls = checked_declarations(_pairs(body.namespaces, "namespaces", "SyncML/SyncBody"), "SyncML/SyncBody")
        self._remember(body_decls)
        self.element(
            body, BY_NAME["SyncBody"], "SyncML/SyncBody", (t.SYNCML_PAGE, t.SYNCML_TAGS["SyncBody"]), body_decls
        )
        self.out.append(t.END)

    def _remember(self, declarations: tuple[tuple[str, str], ...]) -> None:
        for prefix, uri in declarations:
            self.prefixes.setdefault(uri, prefix)
        self.declared.update(declarations)

    # --- low level ------------------------------------------------------------------------

    def _tag(self, page: int, token: int, flags: int) -> int:
        """Write a tag (switching code page first if needed); return where its byte is."""
        out = self.out
        if page != self.page:
            out += bytes((t.SWITCH_PAGE, page))
            self.page = page
        out.append(token | flags)
        return len(out) - 1

    def _text(self, text: str, path: str) -> None:
        bad = _ILLEGAL.search(text)
        if bad is not None:
            raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0", path=path)
        counts = self.counts
        if counts is not None:
            counts[text] = counts.get(text, 0) + 1
            self.first_seen.setdefault(text, len(self.first_seen))
        if text in self.shared:
            self.out.append(t.STR_T)
            self.out += _mb_uint(self.table_index[text])
            return
        self.out.append(t.STR_I)
        self.out += text.encode("utf-8")
        self.out.append(0)

    def _opaque(self, data: bytes) -> None:
        self.out.append(t.OPAQUE)
        self.out += _mb_uint(len(data))
        self.out += data

    def _table_entry(self, text: str) -> int:
        index = self.table_index.get(text)
        if index is None:
            index = len(self.table)
            self.table += text.encode("utf-8") + b"\x00"
            self.table_index[text] = index
        return index

    def _literal(self, name: str, flags: int) -> None:
        token = {0: t.LITERAL, t.HAS_CONTENT: t.LITERAL_C, t.HAS_ATTRIBUTES: t.LITERAL_A}.get(flags, t.LITERAL_AC)
        self.out.append(token)
        self.out += _mb_uint(self._table_entry(name))

    def _attributes(self, pairs: list[tuple[str, str]], path: str) -> None:
        for name, value in pairs:
            self.out.append(t.LITERAL)
            self.out += _mb_uint(self._table_entry(name))
            if value:
                self._text(value, path)
        self.out.append(t.END)

    # --- the walk -------------------------------------------------------------------------

    def element(
        self, obj: Any, spec: Element, path: str, token: tuple[int, int], declarations: tuple[tuple[str, str], ...] = ()
    ) -> None:
        """Write *obj* as element *spec*: its tag, its children in DTD order, END."""
        if not _of_class(obj, spec.cls):
            raise EncodeError(f"<{spec.name}> must be a {spec.cls.__name__}, not {type(obj).__name__}", path=path)
        entries = self.meta_entries if spec.cls is m.Meta else _entries(spec)
        reader = _reader(entries)
        values = reader.values(obj)
        if values == reader.absent and not declarations and not obj.unknown:
            self._tag(token[0], token[1], 0)  # nothing inside: an empty tag (a flood of them is cheap)
            return
        flags = _HAS_ATTRIBUTES if declarations else 0
        at = self._tag(token[0], token[1], flags | _HAS_CONTENT)
        if declarations:
            self._attributes([(f"xmlns:{p}", u) for p, u in declarations], path)
        start = len(self.out)
        if spec.name in _ITEM_HOLDERS:
            self._plan_nested(obj)
        unknown = _sorted_unknown(obj.unknown, path) if obj.unknown else None
        next_unknown = 0
        written = 0
        for entry, value in zip(entries, values, strict=True):
            if (value is None or value is False or value == ()) and not entry[5]:
                continue  # absent and optional: most fields of most elements
            c, _, kind, page, tag, required, many = entry
            if value is None or value is False or value == ():
                if kind is Kind.COMMAND and required:
                    raise EncodeError("at least one command is required", path=path)
                if required:
                    raise EncodeError(f"<{c.name}> is required in <{spec.name}>", path=path)
                continue
            if many and value.__class__ is tuple:
                if spec.cls is m.Exec and len(value) != 1:
                    raise EncodeError(f"Exec must have exactly one Item, not {len(value)}", path=path)
                values = value
            else:
                values = (value,)
            for one in values:
                if unknown:
                    while next_unknown < len(unknown) and unknown[next_unknown].position <= written:
                        self._unknown(unknown[next_unknown], path)
                        next_unknown += 1
                    written += 1
                if kind is Kind.TEXT or kind is Kind.RAW:
                    self._leaf(obj, spec, c, one, path, page, tag)
                elif kind is Kind.FLAG:
                    if one is not True:
                        raise EncodeError(f"<{c.name}> must be True or False", path=path)
                    self._tag(page, tag, 0)
                else:
                    self._child(obj, spec, c, one, path, page, tag)
        for item in (unknown or ())[next_unknown:]:
            self._unknown(item, path)
        if len(self.out) == start and not declarations:
            self.out[at] &= ~_HAS_CONTENT & 0xFF  # nothing inside: an empty tag
        else:
            self.out.append(_END)

    def _child(self, obj: Any, spec: Element, c: Child, value: Any, path: str, page: int, token: int) -> None:
        """A command, a node or Data."""
        kind = c.kind
        if kind is Kind.COMMAND:
            child_spec = ELEMENTS.get(type(value))
            if child_spec is None or child_spec.name not in t.COMMAND_TOKENS:
                raise EncodeError(f"not a command: {type(value).__name__}", path=path)
            index = self._index(path, child_spec.name)
            self.element(value, child_spec, f"{path}/{child_spec.name}[{index}]", t.COMMAND_TOKENS[child_spec.name])
        elif kind is Kind.NODE:
            child_spec = ELEMENTS[c.node]  # type: ignore[index]
            where = f"{path}/{c.name}"
            if c.occurs.repeats or c.field in spec.tuple_fields:
                where += f"[{self._index(path, c.name)}]"
            if c.name == "Meta":
                value = self._meta_as_written(obj, value)
            self.element(value, child_spec, where, (page, token))
        else:
            self._data(obj, value, f"{path}/Data", (page, token))

    def _index(self, path: str, name: str) -> int:
        counter = self.indices.setdefault(path, {})
        counter[name] = counter.get(name, 0) + 1
        return counter[name]

    def _leaf(self, obj: Any, spec: Element, c: Child, text: Any, path: str, page: int, token: int) -> None:
        if not isinstance(text, str):
            raise EncodeError(f"<{c.name}> must be a str, not {type(text).__name__}", path=f"{path}/{c.name}")
        if text and (text[0] in _WS or text[-1] in _WS) and c.kind is Kind.TEXT:
            raise EncodeError(f"{text!r} has surrounding whitespace, which parsing removes", path=f"{path}/{c.name}")
        attributes = obj.data_attributes if c.kind is Kind.RAW and spec.cls is m.Status else ()
        if attributes:
            where = f"{path}/{c.name}"
            pairs = attribute_pairs(_pairs(attributes, "data_attributes", where), self.prefixes, where)
            self._tag(page, token, _HAS_ATTRIBUTES | (_HAS_CONTENT if text else 0))
            self._attributes(pairs, where)
        else:
            self._tag(page, token, _HAS_CONTENT if text else 0)
        if not text:
            return
        if c.name == "NextNonce" and spec.cls is m.Meta:
            raw = _canonical_base64(text)
            if raw is not None:
                self._opaque(raw)
                self.out.append(_END)
                return
        self._text(text, path)
        self.out.append(_END)

    # --- Data ------------------------------------------------------------------------------

    def _data(self, item: Any, value: Any, path: str, token: tuple[int, int]) -> None:
        attributes = getattr(item, "data_attributes", ())
        pairs = attribute_pairs(_pairs(attributes, "data_attributes", path), self.prefixes, path) if attributes else []
        empty = value == ""
        flags = (t.HAS_ATTRIBUTES if pairs else 0) | (0 if empty else t.HAS_CONTENT)
        self._tag(token[0], token[1], flags)
        if pairs:
            self._attributes(pairs, path)
        if empty:
            return
        if isinstance(value, str):
            self._text(value, path)
        elif isinstance(value, m.CData):
            if not isinstance(value.text, str):
                raise EncodeError("CData.text must be a str", path=path)
            bad = _ILLEGAL.search(value.text)
            if bad is not None:
                raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0", path=path)
            self._opaque(value.text.encode("utf-8"))
        elif isinstance(value, m.Opaque):
            self._binary(item, value, path)
        elif isinstance(value, m.Markup):
            nested = self.nested.get(id(item))
            if nested is not None:
                self._opaque(self._nested_document(*nested, path))
            else:
                self._markup(value, path)
        else:
            raise EncodeError(f"Data must be str, CData, Markup or Opaque, not {type(value).__name__}", path=path)
        self.out.append(t.END)

    def _binary(self, item: Any, value: m.Opaque, path: str) -> None:
        data = value.data
        if not isinstance(data, bytes):
            raise EncodeError("Opaque.data must be bytes", path=path)
        if data[:1] in (b"\x01", b"\x02", b"\x03") and self._wbxml_type(item) is not None:
            raise EncodeError(
                "Opaque data under a DevInf/TNDS +wbxml Type reads back as the document it holds:"
                " give it as Markup with the +xml Type",
                path=path,
            )
        self._opaque(data)

    def _wbxml_type(self, item: Any) -> t.Vocabulary | None:
        meta = item.meta if isinstance(item, m.Item) and isinstance(item.meta, m.Meta) else None
        kind = meta.type if meta is not None and meta.type is not None else self.command_type
        return t.NESTED_BY_WBXML_TYPE.get(kind.lower()) if isinstance(kind, str) else None

    # --- nested documents and their Meta Type -----------------------------------------------

    def _plan_nested(self, command: Any) -> None:
        """Decide which Items' Markup goes as a nested document; note the Type to write as +wbxml."""
        meta = getattr(command, "meta", None)
        command_type = meta.type if isinstance(meta, m.Meta) else None
        self.command_type = command_type
        self.nested = {}
        self.command_meta = None
        uses_command_type: t.Vocabulary | None = None
        items = getattr(command, "items", ())
        for item in items if isinstance(items, tuple) else ():
            if not isinstance(item, m.Item) or not isinstance(item.data, m.Markup):
                continue
            own = item.meta.type if isinstance(item.meta, m.Meta) and item.meta.type is not None else None
            vocabulary = t.NESTED_BY_XML_TYPE.get(own if own is not None else command_type or "")
            root = _nestable(item.data, vocabulary, self.ns, self.ver_dtd) if vocabulary is not None else None
            if vocabulary is None or root is None:
                continue
            self.nested[id(item)] = (vocabulary, root)
            if own is None:
                uses_command_type = vocabulary
        if uses_command_type is not None and isinstance(meta, m.Meta):
            self.command_meta = (id(command), uses_command_type)

    def _meta_as_written(self, owner: Any, meta: Any) -> Any:
        if not isinstance(meta, m.Meta):
            return meta
        nested = self.nested.get(id(owner)) if isinstance(owner, m.Item) else None
        if nested is not None and meta.type is not None:
            return dataclasses.replace(meta, type=nested[0].wbxml_type)
        marked = self.command_meta
        if marked is not None and marked[0] == id(owner):
            return dataclasses.replace(meta, type=marked[1].wbxml_type)
        return meta

    def _nested_document(self, vocabulary: t.Vocabulary, root: etree._Element, path: str) -> bytes:
        public_id = vocabulary.written_id(self.ver_dtd)
        head = bytearray([t.VERSIONS[self.version]])
        if public_id == t.DDF_LITERAL:
            assert vocabulary.literal_fpi is not None
            fpi = vocabulary.literal_fpi.encode() + b"\x00"
            head += _mb_uint(t.LITERAL_PUBLIC_ID) + _mb_uint(0) + _mb_uint(t.UTF_8) + _mb_uint(len(fpi)) + fpi
        else:
            head += _mb_uint(public_id) + _mb_uint(t.UTF_8) + _mb_uint(0)
        body = _NestedWriter(vocabulary.tags_for(public_id), vocabulary.page, path)
        body.element(root)
        return bytes(head + body.out)

    # --- markup inline, and unknown elements -------------------------------------------------

    def _markup(self, markup: m.Markup, path: str) -> None:
        xml = markup.xml
        if not isinstance(xml, str):
            raise EncodeError("markup must be a str", path=path)
        holder, sections = self._fragment(xml, path)
        if all(child.tag == _CDATA_MARK for child in holder):
            # Without an element it would read back as plain text, not Markup.
            raise EncodeError("markup must hold at least one element", path=path)
        if holder.text:
            self._text(holder.text, path)
        for child in holder:
            self._markup_element(child, holder, path, sections)
            if child.tail:
                self._text(child.tail, path)

    def _unknown(self, unknown: Any, path: str) -> None:
        if not isinstance(unknown, m.Unknown):
            raise EncodeError("unknown must hold Unknown values", path=path)
        holder, sections = self._fragment(unknown.xml, path)
        if (
            len(holder) != 1
            or holder[0].tag == _CDATA_MARK
            or (holder.text or "").strip(_WS)
            or (holder[0].tail or "").strip(_WS)
        ):
            raise EncodeError("an Unknown must hold exactly one element", path=path)
        self._markup_element(holder[0], holder, path, sections)

    def _fragment(self, xml: str, path: str) -> tuple[etree._Element, list[str]]:
        """Parse markup, and note each element's start tag as written (declarations, attribute names)."""
        holder, sections, text = _fragment(xml, self.ns, self.declared, path)
        self.work += len(text) + 2 * len(holder.nsmap)
        elements = list(holder.iter(etree.Element))[1:]
        start_tags = _start_tags(text)
        if len(start_tags) == len(elements):
            self.start_tags = dict(zip(elements, start_tags, strict=True))
        else:  # not expected: then declarations and prefixes are read from the namespaces in scope
            self.start_tags = {}
        return holder, sections

    def _markup_element(self, el: etree._Element, parent: etree._Element, path: str, sections: list[str]) -> None:
        """One element of embedded markup: a token where a code page has it, else a LITERAL tag."""
        tag = el.tag
        if tag == _CDATA_MARK:
            # A CDATA section of the markup: OPAQUE, which reads back as one.
            self._opaque(sections[int(el.get("i", "0"))].encode("utf-8"))
            return
        if not isinstance(tag, str):
            raise EncodeError("comments and processing instructions cannot be written in WBXML", path=path)
        qname = etree.QName(tag)
        # The declarations written on this very element, redundant ones too
        # (lxml keeps them, so the XML decoder's wording has them).
        start_tag = self.start_tags.get(el)
        if start_tag is not None:
            declared = start_tag.declared
        else:
            inherited = parent.nsmap
            declared = [prefix for prefix, uri in el.nsmap.items() if inherited.get(prefix) != uri]
        token: tuple[int, int] | None = None
        if el.prefix is None and not el.attrib:
            if qname.namespace == self.ns and qname.localname in t.SYNCML_TAGS:
                token = (t.SYNCML_PAGE, t.SYNCML_TAGS[qname.localname])
            elif qname.namespace == NS_METINF and qname.localname in t.METINF_TAGS:
                token = (t.METINF_PAGE, t.METINF_TAGS[qname.localname])
            # A token stands for its namespace: the decoder declares it exactly
            # where the enclosing default differs, so only then may one be used.
            needed = qname.namespace != parent.nsmap.get(None)
            if token is not None and declared != ([None] if needed else []):
                token = None
        pairs: list[tuple[str, str]] = []
        if token is None:
            pairs.extend(("xmlns" if p is None else f"xmlns:{p}", el.nsmap[p]) for p in declared)
        pairs.extend(_written_attributes(el, start_tag))
        flags = (t.HAS_ATTRIBUTES if pairs else 0) | (t.HAS_CONTENT if el.text or len(el) else 0)
        if token is not None:
            self._tag(token[0], token[1], flags)
        else:
            name = f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname
            self._literal(name, flags)
        if pairs:
            self._attributes(pairs, path)
        if not flags & t.HAS_CONTENT:
            return
        if el.text:
            self._text(el.text, path)
        for child in el:
            self._markup_element(child, el, path, sections)
            if child.tail:
                self._text(child.tail, path)
        self.out.append(t.END)


def _pairs(value: Any, field: str, path: str) -> Any:
    """*value* if it is a tuple (of pairs, checked by the caller), else EncodeError."""
    if not isinstance(value, tuple):
        raise EncodeError(f"{field} must be a tuple of (name, value) pairs, not {type(value).__name__}", path=path)
    return value


def _sorted_unknown(unknown: Any, path: str) -> list[m.Unknown]:
    """The Unknown values in the order to write them (by position, stable)."""
    if not isinstance(unknown, tuple) or not all(isinstance(u, m.Unknown) for u in unknown):
        raise EncodeError("unknown must be a tuple of Unknown values", path=path)
    for u in unknown:
        if isinstance(u.position, bool) or not isinstance(u.position, int):
            raise EncodeError(f"Unknown.position must be an int, not {type(u.position).__name__}", path=path)
    return sorted(unknown, key=lambda u: u.position)


def _written_attributes(el: etree._Element, start_tag: _StartTag | None) -> list[tuple[str, str]]:
    """The element's (name, value) pairs, each name with the prefix it was written with.

    lxml names an attribute by its namespace only; where two prefixes are
    bound to one namespace, the start tag as written tells which one it had.
    """
    written = start_tag.attributes if start_tag is not None and len(start_tag.attributes) == len(el.attrib) else None
    pairs = []
    for index, (key, value) in enumerate(el.items()):
        attr = etree.QName(key)
        text = value if isinstance(value, str) else value.decode()
        if attr.namespace is None:
            pairs.append((attr.localname, text))
        elif written is not None and written[index].endswith(f":{attr.localname}"):
            pairs.append((written[index], text))
        else:
            prefix = "xml" if attr.namespace == _XML_NS else _prefix_of(el, attr.namespace)
            pairs.append((f"{prefix}:{attr.localname}", text))
    return pairs


def _prefix_of(el: etree._Element, uri: str) -> str:
    for prefix, bound in el.nsmap.items():
        if bound == uri and prefix is not None:
            return prefix
    raise EncodeError(f"no prefix for namespace {uri!r}")


# lxml does not tell a CDATA section from text, so before parsing markup each
# section is swapped for an empty mark element naming it.  In markup text ``<``
# is escaped, so the pattern finds sections and nothing else (comments, where
# it could hide, are refused anyway).
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_CDATA_NS = "urn:x-syncml:cdata-section"
_CDATA_MARK = f"{{{_CDATA_NS}}}s"


# Start tags and their attributes in markup text (well-formed XML, checked by
# lxml first): what declarations each element carries, in document order.
_START_TAG = re.compile(r"""<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
_ATTRIBUTE = re.compile(r"""([^\s=]+)\s*=\s*(?:"[^"]*"|'[^']*')""")


class _StartTag(NamedTuple):
    declared: list[str | None]  # the prefixes it declares (None for the default)
    attributes: list[str]  # its other attributes' names, prefixes included


def _start_tags(xml: str) -> list[_StartTag]:
    """Per start tag, in document order, what it declares and its attribute names, as written."""
    found = []
    for tag in _START_TAG.finditer(xml):
        names = _ATTRIBUTE.findall(tag.group(2))
        declarations = [n for n in names if n == "xmlns" or n.startswith("xmlns:")]
        found.append(
            _StartTag(
                declared=[None if n == "xmlns" else n[6:] for n in declarations],
                attributes=[n for n in names if n != "xmlns" and not n.startswith("xmlns:")],
            )
        )
    return found


def _fragment(xml: Any, ns: str, declared: dict[str, str], path: str) -> tuple[etree._Element, list[str], str]:
    """Parse markup inside a holder that declares the prefixes it names from those the message declares.

    Only those: every declaration in scope on every fragment would cost
    declarations x fragments (and each element's nsmap would hold them all).

    Returns the holder, the markup's CDATA sections, each replaced by a mark
    element whose ``i`` attribute indexes them, and the text as parsed.
    """
    if not isinstance(xml, str):
        raise EncodeError("markup must be a str", path=path)
    bad = _ILLEGAL.search(xml)
    if bad is not None:
        raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0", path=path)
    sections: list[str] = []

    def mark(section: re.Match[str]) -> str:
        sections.append(section.group(1))
        return f'<s xmlns="{_CDATA_NS}" i="{len(sections) - 1}"/>'

    if "<![CDATA[" in xml:
        xml = _CDATA.sub(mark, xml)
    named = {p for p in _PREFIXED.findall(xml) if p in declared} if declared else ()
    decls = "".join(f' xmlns:{p}="{_attr(declared[p])}"' for p in sorted(named))
    try:
        holder = etree.fromstring(f'<Data xmlns="{_attr(ns)}"{decls}>{xml}</Data>'.encode(), _parser(False))
    except etree.XMLSyntaxError as exc:
        raise EncodeError(f"markup is not well-formed XML: {exc.msg}", path=path) from None
    return holder, sections, xml


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _nestable(markup: m.Markup, vocabulary: t.Vocabulary, ns: str, ver_dtd: str) -> etree._Element | None:
    """The root of *markup* if it is exactly one document a nested WBXML document carries whole."""
    if not isinstance(markup.xml, str) or _ILLEGAL.search(markup.xml) or "<![CDATA[" in markup.xml:
        return None
    try:
        holder = etree.fromstring(f'<Data xmlns="{_attr(ns)}">{markup.xml}</Data>'.encode(), _parser(False))
    except etree.XMLSyntaxError:
        return None
    if len(holder) != 1 or holder.text or holder[0].tail:
        return None
    root = holder[0]
    tags = vocabulary.tags_for(vocabulary.written_id(ver_dtd))
    if root.tag != f"{{{vocabulary.namespace}}}{vocabulary.name}" or root.nsmap != {None: vocabulary.namespace}:
        return None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.prefix is not None or el.attrib:
            return None
        qname = etree.QName(el.tag)
        if qname.namespace != vocabulary.namespace or qname.localname not in tags:
            return None
        parent = el.getparent()
        if parent is not None and parent is not holder and el.nsmap != parent.nsmap:
            return None
    return root


class _NestedWriter:
    """The body of a nested DevInf or TNDS document (all tags in one code page, text inline)."""

    def __init__(self, tags: dict[str, int], page: int, path: str) -> None:
        self.tags = tags
        self.path = path
        self.out = bytearray()
        if page:
            self.out += bytes((t.SWITCH_PAGE, page))

    def element(self, el: etree._Element) -> None:
        name = etree.QName(el.tag).localname
        token = self.tags.get(name)
        if token is None:  # _nestable has checked every name
            raise EncodeError(f"<{name}> has no token in this nested document", path=self.path)
        has_content = bool(el.text) or len(el) > 0
        self.out.append(token | (t.HAS_CONTENT if has_content else 0))
        if not has_content:
            return
        if el.text:
            self.text(el.text)
        for child in el:
            self.element(child)
            if child.tail:
                self.text(child.tail)
        self.out.append(t.END)

    def text(self, text: str) -> None:
        self.out.append(t.STR_I)
        self.out += text.encode("utf-8") + b"\x00"


def _canonical_base64(text: str) -> bytes | None:
    """The bytes of *text* if it is base64 that encodes back to exactly itself."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


@functools.cache
def _meta_entries(order: tuple[str, ...] | None) -> tuple[_Out, ...]:
    return _entries_for(BY_NAME["Meta"], _meta_plan(order))


def _meta_plan(order: tuple[str, ...] | None) -> tuple[Child, ...]:
    """Meta's children in the order to write: *order* first, then the DTD order."""
    plan = _plan(BY_NAME["Meta"])
    if order is None:
        return plan
    names = list(order)
    unknown = [name for name in names if name not in METINF_NAMES or name not in _META_DTD_ORDER]
    if unknown or len(set(names)) != len(names):
        raise EncodeError(f"metinf_order must name MetInf elements of Meta once each, not {unknown or names}")
    by_name = {c.name: c for c in plan}
    return tuple(by_name[name] for name in names) + tuple(c for c in plan if c.name not in names)


def encode(
    msg: m.SyncML,
    *,
    version: str = "1.3",
    string_table: bool = False,
    literal_public_id: bool = False,
    metinf_order: Sequence[str] | None = None,
) -> bytes:
    """Encode one message as WBXML."""
    encoder = Encoder(
        version=version, string_table=string_table, literal_public_id=literal_public_id, metinf_order=metinf_order
    )
    out = encoder.message(msg)
    _meter.record(work=encoder.work + len(out), output=len(out))
    return out
