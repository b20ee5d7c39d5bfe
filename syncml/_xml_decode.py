"""XML decoding: an lxml tree in, model values out.

A :class:`Decoder` holds one tree and what one pass over it found (its
namespace, attributes, CDATA sections); each call of :meth:`Decoder.message`
or :meth:`Decoder.commands` is one walk over it, by one of two walks:

- the fast path, the functions :mod:`syncml._xml_fast` generates from the
  grammar, which handle clean documents only and raise ``Bail`` at anything
  else;
- the generic walk here, driven by the content models in
  :mod:`syncml._grammar`: a dictionary hit per child element (its Clark name
  in the document's namespace), and for anything unusual (another namespace,
  an unknown element, text where none belongs) a slow path that either
  records a quirk (lenient) or raises :class:`~syncml.DecodeError` (strict).

Each walk starts afresh with its own quirk list, merged once with the front
end's into the value it returns.  Which walk runs on which tree, and in which
order, is decided in one place: :func:`syncml._api.decode_xml`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from lxml import etree

from . import model as m
from ._build import Plan, plan_for
from ._grammar import (
    COMMAND_CLASSES,
    ELEMENTS,
    NAMESPACE_BY_VERSION,
    NS_METINF,
    NS_SYNCML_11,
    NS_SYNCML_12,
    REPEATABLE,
    VERSION_BY_NAMESPACE,
    Child,
    Element,
    Kind,
)
from ._quirks import EMPTY_SYNCHDR, Quirk, QuirkKind
from ._strict import STRICT_RULES, supported_protocol
from ._xml_fast import NON_EMPTY, Bail, fast_decoders
from ._xmlfront import CDATA_RUN_CAP, FRAGMENT_WRAPPER, Source, find_rare, line_of, parse_tree
from .errors import DecodeError
from .limits import Limits

_WS = " \t\r\n"
_KNOWN_SYNCML = (NS_SYNCML_12, NS_SYNCML_11)
_VERSIONLESS = "SYNCML:SYNCML"


def _is_empty(el: etree._Element) -> bool:
    """No child element, attribute or text but whitespace: ``<SyncHdr/>``."""
    return not len(el) and not el.keys() and not (el.text or "").strip(" \t\r\n")


_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_has_attributes = etree.XPath("boolean(//@*)")
_ATTRIBUTED = etree.XPath("//*[@*]")


@functools.cache  # one per depth, and max_depth is at most 256
def _element_at_depth(below: int) -> etree.XPath:
    """An XPath telling whether an element lies exactly *below* levels under the context node."""
    return etree.XPath(f"boolean({'/'.join('*' * below)})")


# Kind codes for the hot loop.
_TEXT, _NODE, _FLAG, _DATA, _RAW = range(5)
_KIND_CODE = {
    Kind.TEXT: _TEXT,
    Kind.NODE: _NODE,
    Kind.COMMAND: _NODE,
    Kind.FLAG: _FLAG,
    Kind.DATA: _DATA,
    Kind.RAW: _RAW,
}


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class _Layout:
    """What the walk needs to fill one model class in one document namespace."""

    element: Element
    plan: Plan
    required: tuple[tuple[int, str], ...]  # (field position, how to name the child)
    lists: tuple[int, ...]  # positions of tuple fields, filled as lists first
    attributes: int  # position of data_attributes, or -1
    unknown: int  # position of unknown, or -1
    namespaces: int  # position of namespaces on SyncBody, or -1
    #: Clark tag -> entry for the children the fast path takes (filled once
    #: all layouts of the namespace exist, since they refer to each other).
    table: dict[str, _Entry] = dataclasses.field(default_factory=dict)


# (field position, its bit, kind code, content-model index, repetition, child
# layout, name); repetition is 0 for a single child, 1 for a repeated one, 2 for
# Exec's single Item held in a tuple.
_Entry = tuple[int, int, int, int, int, "_Layout | None", str]


def _new_layout(element: Element) -> _Layout:
    plan = plan_for(element.cls)
    position = plan.position
    return _Layout(
        element=element,
        plan=plan,
        required=tuple((position[fname], shown) for fname, shown in element.required),
        lists=tuple(position[fname] for fname in sorted(element.tuple_fields)),
        attributes=position.get("data_attributes", -1),
        unknown=position.get("unknown", -1),
        namespaces=position["namespaces"] if element.cls is m.SyncBody else -1,
    )


def _entry(child: Child, owner: Element, layouts: dict[type, _Layout]) -> _Entry:
    position = plan_for(owner.cls).position[child.field]
    repetition = 1 if child.occurs.repeats else 2 if child.field in owner.tuple_fields else 0
    sub = layouts[child.node] if child.node is not None else None
    return (position, 1 << position, _KIND_CODE[child.kind], child.index, repetition, sub, child.name)


@functools.lru_cache(maxsize=16)
def _layouts(ns: str) -> dict[type, _Layout]:
    """The layouts for a document whose SyncML namespace is *ns*."""
    layouts = {cls: _new_layout(element) for cls, element in ELEMENTS.items()}
    prefix = f"{{{ns}}}" if ns else ""
    for cls, layout in layouts.items():
        element = ELEMENTS[cls]
        for child in element.children:
            if child.quirk is None:  # tolerated children take the slow path
                tag = (f"{{{NS_METINF}}}" if child.metinf else prefix) + child.name
                layout.table[tag] = _entry(child, element, layouts)
    return layouts


_SET_QUIRKS = m.SyncML.__dict__["quirks"].__set__
_SET_NAMESPACES = m.SyncML.__dict__["namespaces"].__set__


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


#: lxml's own copy of an element, deep as copy.deepcopy's, without the memo
#: machinery that costs more than the copy (not in lxml's type stubs).
_clone: Callable[[etree._Element], etree._Element] = vars(etree._Element)["__copy__"]


def standalone(el: etree._Element, ns: str, *, with_tail: bool) -> str:
    """Serialize *el* with the declarations it needs, minus the inherited SyncML default *ns*.

    How Markup and Unknown values word an element, whichever codec read it
    (the WBXML decoder renders its elements as XML and words them here too).
    """
    clone = _clone(el)
    xml = etree.tostring(clone, encoding="unicode", with_tail=with_tail)
    if ns and clone.prefix is None and clone.nsmap.get(None) == ns:
        end = xml.index(">")
        xml = xml[:end].replace(f' xmlns="{ns}"', "", 1) + xml[end:]
    return xml


def _renamespaced(xml: str, old: str, new: str) -> str:
    """An unknown element in the document's SyncML namespace, moved to the one the message is written in.

    After a version repair (namespace 1.1 with VerDTD 1.2, a namespace in
    another case) the message is written in VerDTD's namespace: an unknown
    SyncML element (a data-sync ``Put``) belongs there too, not in a
    declaration of the old namespace inside the new message.
    """
    xml = xml.replace(f' xmlns="{old}"', f' xmlns="{new}"')
    end = xml.index(">")
    return xml[:end].replace(f' xmlns="{new}"', "", 1) + xml[end:]


def leading_text(el: etree._Element, *, cdata: bool) -> str:
    """The text before the first child of markup *el*, worded as written.

    lxml hands back CDATA sections in ``.text`` as plain text, so when the
    document may hold any (*cdata*), the text is cut from *el* serialized:
    sections stay sections, as when the whole Data is serialized at once.
    Shared with the WBXML decoder, so both word markup the same way.
    """
    if not cdata:
        return _escape_text(el.text or "")
    xml = etree.tostring(el, encoding="unicode", with_tail=False)  # an empty section has no .text
    start = end = xml.index(">") + 1
    while end < len(xml):
        if xml.startswith("<![CDATA[", end):
            end = xml.index("]]>", end) + 3
        elif xml.startswith("<", end):
            break
        else:
            found = xml.find("<", end)
            end = len(xml) if found < 0 else found
    return xml[start:end]


def _local_is(el: etree._Element, local: str) -> bool:
    tag = el.tag
    return isinstance(tag, str) and (tag == local or tag.endswith("}" + local))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class Decoder:
    """Decodes one tree; holds its namespace, options and, per walk, its quirks.

    The work it does (see :mod:`syncml._meter`) adds up in :attr:`work`,
    over all its walks; the front end's is the :class:`Source`'s own.
    """

    def __init__(
        self,
        source: Source,
        root: etree._Element,
        *,
        strict: bool,
        keep_unknown: bool,
        limits: Limits,
        lean: bool = False,
    ) -> None:
        self.source = source
        self.root = root
        self.limits = limits
        # A text run of many CDATA sections is parsed with sections merged
        # (see Source.cdata_run); Data and markup are then read from a twin
        # tree that keeps them, element for element.
        self.merged = source.cdata_run > CDATA_RUN_CAP
        self._twins: dict[etree._Element, etree._Element] | None = None
        # Decoded characters: plain text, values and names never outgrow the
        # bytes they come from, so they are charged as the input up front;
        # markup and unknown elements, worded again, are charged as worded.
        self.output = len(source.buf)
        # The budget is at least the input (transcoding at most triples it,
        # the budget allows eight times) unless max_output is lower.
        assert limits.max_output is not None
        if self.output > limits.max_output:
            raise self._over_budget(None)
        # Each text read may join up to this many pieces (see _xmlfront).
        self.pieces = 1 if self.merged else 1 + 2 * source.cdata_run
        self.strict = strict
        self.keep_unknown = keep_unknown
        self.max_depth = limits.max_depth
        # What this walk tolerated, after the front end's (source.quirks).
        self.quirks: list[Quirk] = []
        self.ns = ""
        # Markup and Unknown values are worded relative to the SyncML namespace
        # the serializer will write (VerDTD's); None while that is the
        # document's own.  Markup or Unknown values worded so far are counted.
        self.word_ns: str | None = None
        self.worded = 0
        self.layouts = _layouts("")
        self.has_cdata = find_rare(source.buf, b"<![CDATA[", 1) >= 0
        # CDATA sections not yet found: once all are, Data is plain text again
        # and needs no serialization to tell.
        self.cdata_total = source.buf.count(b"<![CDATA[") if self.has_cdata else 0
        self.cdata_left = self.cdata_total
        self.has_prefixes = b"xmlns:" in source.buf
        self.work = 3 * len(source.buf)
        self.check_attributes = bool(_has_attributes(root))
        # Elements whose attributes the fast path keeps (Data in Item/Status).
        self.attributed: frozenset[etree._Element] = frozenset()
        # A lean tree (blank text dropped) is only good for the fast path.
        self.lean = lean
        self.fast = False  # this walk takes the fast path
        self.fast_decoders = fast_decoders("")
        self._indexes: dict[etree._Element, dict[etree._Element, int]] = {}  # path(): sibling positions
        self._known: dict[etree._Element | None, dict[etree._Element, int]] = {}  # _known_before() by parent
        self.empty_header: etree._Element | None = None  # a <SyncHdr/> message() accepted
        if self.check_attributes:
            self._scan_attributes(limits)
        self._refuse_entities()
        # The generated fast path handles clean documents, and attributes only
        # where the model keeps them (msft:originalerror on Data); strict
        # parsing weighs each attribute (xsi:*), which only the generic walk does.
        self.fast_possible = not self.check_attributes or (bool(self.attributed) and not strict)

    def _scan_attributes(self, limits: Limits) -> None:
        """One pass over the elements that carry attributes.

        Each may carry at most ``limits.max_attributes``: lxml reads an
        attribute's value by scanning all of them, so keeping n costs O(n^2)
        (50 000 on one Data would take about a minute).  And if every one outside markup
        is the Data of an Item or Status, the fast path may keep them; markup
        in Data owns its attributes.
        """
        keep: list[etree._Element] = []
        keepable = True
        found = _ATTRIBUTED(self.root)
        for el in found if isinstance(found, list) else ():
            if not isinstance(el, etree._Element):
                continue
            count = len(el.attrib)
            if count > limits.max_attributes:
                reason = f"{count} attributes on <{_split(el.tag)[1]}> exceed the limit of {limits.max_attributes}"
                raise self.error(reason, el, status=413)
            # Tag filters run in C: this is on the path of every Windows
            # Status with msft:originalerror.
            if next(el.iterancestors("{*}Data"), None) is not None:
                continue  # markup: kept as part of its Data
            parent = el.getparent()
            if (
                _local_is(el, "Data")
                and parent is not None
                and (_local_is(parent, "Item") or _local_is(parent, "Status"))
            ):
                keep.append(el)
            else:
                keepable = False
        if keepable:
            self.attributed = frozenset(keep)

    # --- entry points ---------------------------------------------------------

    def message(self, *, fast: bool) -> m.SyncML:
        """Decode the tree as a whole message, in one walk: the fast path's if *fast*, else the generic one.

        Raises:
            Bail: the fast path met something it does not handle (NeedsFullTree:
                markup on a lean tree), or the tree is lean and the walk generic.
        """
        self._start(fast)
        try:
            return self._message()
        except Bail:
            self._charge_walk()  # the walk that bailed read at most the whole tree
            raise

    def commands(self, *, fast: bool) -> m.Commands:
        """Decode the (wrapped) tree as a fragment, in one walk, as :meth:`message` does."""
        self._start(fast)
        try:
            return self._commands()
        except Bail:
            self._charge_walk()
            raise

    def _start(self, fast: bool) -> None:
        """Begin a walk from nothing: no quirk, no output or CDATA section counted yet."""
        self.fast = fast and self.fast_possible
        self.quirks = []
        self.output = len(self.source.buf)
        self.cdata_left = self.cdata_total
        self.word_ns = None
        self.worded = 0
        self.empty_header = None

    def _message(self) -> m.SyncML:
        root = self.root
        ns, local = _split(root.tag)
        if local != "SyncML":
            raise self.error(f"not a SyncML message: the root element is <{local}>", root)
        self._set_namespace(ns, root, fragment=False)
        header = next((c for c in root if isinstance(c.tag, str)), None)
        if header is not None and _split(header.tag)[1] == "SyncHdr" and _is_empty(header):
            # Windows' local MDM API answers so: read as SyncHdr.empty(), in
            # the root namespace's version (see node()).
            self._quirk_or_fail(QuirkKind.EMPTY_SYNCHDR, EMPTY_SYNCHDR, header)
            self.empty_header = header
        quirks, cdata_left = len(self.quirks), self.cdata_left
        msg: m.SyncML = self.decode(root, m.SyncML, 1)
        self._charge_walk()
        self._check_version(msg.header, root)
        written_ns = NAMESPACE_BY_VERSION[msg.header.ver_dtd]
        if self.worded and written_ns != self.ns:
            # A 1.1 namespace with VerDTD 1.2 (or a namespace in the wrong
            # case) is written back in VerDTD's namespace: word markup and
            # unknown elements against that one, or a declaration that
            # becomes redundant there is lost on the way back.  Rare: decode
            # again rather than carry the question through every value.  The
            # quirks this walk found below the root are found again: only
            # the root's stay (the list is this walk's own).
            del self.quirks[quirks:]
            self.cdata_left = cdata_left
            self.output = len(self.source.buf)
            self.word_ns = written_ns
            msg = self.decode(root, m.SyncML, 1)
            self._charge_walk()
            self._check_version(msg.header, root)
        # Set once, before anyone sees the value: quirks are known only now.
        _SET_QUIRKS(msg, self.source.quirks + tuple(self.quirks))
        if self.has_prefixes:
            _SET_NAMESPACES(msg, self._own_namespaces(root))
        return msg

    def _commands(self) -> m.Commands:
        """Decode a fragment: bare commands, a SyncBody, or a SyncML without SyncHdr."""
        wrapper = self.root
        elements = [child for child in wrapper if isinstance(child.tag, str)]
        if not elements:
            raise DecodeError("no command in the fragment", line=1, column=1)
        # Tools put titles around stored profiles (SyncML Viewer's examples).
        self._check_stray_text(wrapper)
        self._set_namespace(_split(elements[0].tag)[0], elements[0], fragment=True)
        first_local = _split(elements[0].tag)[1]
        if len(elements) == 1 and first_local in ("SyncML", "SyncBody"):
            body = elements[0]
            if first_local == "SyncML":
                body = self._body_of_envelope(body)
            found: m.SyncBody = self.decode(body, m.SyncBody, 1)
            self._charge_walk()
            return m.Commands(found.commands, self.source.quirks + tuple(self.quirks))
        out: list[m.Command] = []
        for child in elements:
            ns, local = _split(child.tag)
            cls = COMMAND_CLASSES.get(local)
            if cls is None:
                raise self.error(f"<{local}> is not a command", child)
            self._check_namespace(ns, local, False, child)
            out.append(self.decode(child, cls, 1))
        self._charge_walk()
        return m.Commands(out, self.source.quirks + tuple(self.quirks))

    def _body_of_envelope(self, envelope: etree._Element) -> etree._Element:
        kids = [c for c in envelope if isinstance(c.tag, str)]
        names = [_split(c.tag)[1] for c in kids]
        if names == ["SyncHdr", "SyncBody"] and _is_empty(kids[0]):
            # Windows' local MDM API answers with an empty <SyncHdr/>: the
            # body is all there is to read.
            self._quirk_or_fail(QuirkKind.EMPTY_SYNCHDR, "an empty <SyncHdr/> before the SyncBody", kids[0])
            return kids[1]
        if "SyncHdr" in names:
            raise self.error("a whole message, not a fragment: use syncml.parse()", envelope)
        if names != ["SyncBody"]:
            raise self.error("a SyncML fragment must hold exactly one SyncBody", envelope)
        return kids[0]

    # --- the walk -------------------------------------------------------------

    def decode(self, el: etree._Element, cls: type, depth: int) -> Any:
        """Decode *el* as *cls*, by the walk this one is: fast path or generic."""
        if self.fast:
            return self.fast_decoders[cls](self, el, depth)  # Bail propagates: the walk ends
        if self.lean:
            # The generic walk needs the blank text a lean tree dropped (in
            # markup, say): only a full tree will do.
            raise Bail
        return self.node(el, self.layouts[cls], depth)

    def _charge_walk(self) -> None:
        # A walk reads each text once; lxml joins a text of k pieces by
        # copying it up to k times.
        self.work += len(self.source.buf) * self.pieces

    def node(self, el: etree._Element, layout: _Layout, depth: int) -> Any:
        """Decode *el* into the model class of *layout* (the hot path)."""
        if depth >= self.max_depth and len(el):
            raise self.error(f"nesting deeper than {self.max_depth} elements", el[0])
        check_attributes = self.check_attributes
        if check_attributes and el.keys():
            self._attributes(el, None, None)
        text = el.text
        # isascii() and isspace() together mean XML whitespace only: the other
        # ASCII spaces (VT, FF, FS..US) cannot occur in XML text.
        if text and not (text.isspace() and text.isascii()):
            self._stray(el, text)
        element = layout.element
        table = layout.table
        vals = list(layout.plan.defaults)
        seen = 0  # bit per single-valued field already filled
        last = -1
        any_order = element.any_order
        strict = self.strict
        value: Any
        for child in el[:]:  # type: ignore[index]  # a list in one C call, cheaper than lxml's iterator
            entry = table.get(child.tag)
            if entry is None:
                entry = self._resolve(child, layout, vals, depth + 1)
                if entry is None:
                    continue
            pos, bit, kind, index, repetition, sub, name = entry
            tail = child.tail
            if tail and not (tail.isspace() and tail.isascii()):
                self._stray(child, tail)
            if index < last and not any_order:
                self._order(child, element)
            last = index
            if kind == _TEXT:
                if len(child):
                    self._leaf_content(child)
                value = child.text
                if not value:  # None, or "" from an empty CDATA section
                    value = ""
                elif value[0] in _WS or value[-1] in _WS:
                    value = self._trim(child, value)
                if strict:
                    self._strict_value(element.name, child, value)
                elif not value:
                    self._empty(element.name, child)
                if check_attributes and child.keys():
                    self._attributes(child, None, None)
            elif kind == _NODE:
                value = self.node(child, sub, depth + 1)  # type: ignore[arg-type]
            elif kind == _FLAG:
                value = self.flag(child)
            elif kind == _DATA:
                value = self.data(child, depth + 1, layout, vals)
            else:
                value = self.raw(child, element.name, layout, vals)
            if repetition == 0:
                if seen & bit:
                    raise self.error(f"more than one <{name}> in <{element.name}>", child)
                seen |= bit
                vals[pos] = value
            else:
                current = vals[pos]
                if current.__class__ is list:
                    if repetition == 2:
                        raise self.error(f"more than one <{name}> in <{element.name}>", child)
                    current.append(value)
                else:
                    vals[pos] = [value]
        for pos, shown in layout.required:
            # A field may have a model default (VerDTD) yet be required on the wire.
            if not seen >> pos & 1 and vals[pos].__class__ is not list:
                if el is self.empty_header:  # accepted by message(): checked here, off the hot path
                    return m.SyncHdr.empty(VERSION_BY_NAMESPACE.get(self.ns.upper(), "1.2"))
                raise self.error(f"<{element.name}> is missing {shown}", el)
        for pos in layout.lists:
            current = vals[pos]
            if current.__class__ is list:
                vals[pos] = tuple(current)
        if layout.namespaces >= 0 and self.has_prefixes:
            own = self._own_namespaces(el)
            if own:
                vals[layout.namespaces] = own
        return layout.plan.make(*vals)

    def _trim(self, el: etree._Element, value: str) -> str:
        self._whitespace(el, value)
        return value.strip(_WS)

    def raw(self, el: etree._Element, parent: str, layout: _Layout, vals: list[Any]) -> str:
        if len(el):
            self._leaf_content(el)
        if self.check_attributes and el.keys():
            self._attributes(el, layout, vals)
        value = el.text or ""
        if self.strict:
            self._strict_value(parent, el, value)
        elif not value:
            self._empty(parent, el)
        return value

    def flag(self, el: etree._Element) -> bool:
        if len(el):
            self._leaf_content(el)
        if self.check_attributes and el.keys():
            self._attributes(el, None, None)
        text = el.text
        if text:
            if text.strip(_WS):
                raise self.error(f"<{_split(el.tag)[1]}> must be empty", el)
            self._whitespace(el, text)
        return True

    def data(self, el: etree._Element, level: int, layout: _Layout | None, vals: list[Any] | None) -> m.Data:
        # Without a layout the caller is the fast path, which keeps attributes itself.
        if layout is not None and self.check_attributes and el.keys():
            self._attributes(el, layout, vals)
        if len(el):
            return self._markup(el, level)
        text = el.text or ""
        if self.cdata_left:
            written = etree.tostring(self.twin(el))
            self.work += len(written)
            sections = written.count(b"<![CDATA[")
            if sections:
                self.cdata_left -= sections
                return m.CData(text=text)
        return text

    # --- slow paths -------------------------------------------------------------

    def _resolve(self, child: etree._Element, layout: _Layout, vals: list[Any], level: int) -> _Entry | None:
        """Place a child the fast path did not recognise, or refuse it."""
        tag = child.tag
        element = layout.element
        if not isinstance(tag, str):
            raise self.error("entity references are not expanded", child)
        ns, local = _split(tag)
        c = element.by_name.get(local)
        if c is None:
            cls = COMMAND_CLASSES.get(local)
            choice = next((ch for ch in element.children if ch.kind is Kind.COMMAND), None)
            if cls is None or choice is None:
                if self.keep_unknown and layout.unknown >= 0:
                    self._keep_unknown(child, layout, vals, level)
                    return None
                raise self.error(f"unknown element <{local}> in <{element.name}>", child)
            self._quirk_or_fail(
                QuirkKind.COMMAND_PLACEMENT, f"<{local}> is not allowed in <{element.name}> by the DTD", child
            )
            c = dataclasses.replace(choice, name=local, node=cls)
        self._check_namespace(ns, local, c.metinf, child)
        if c.quirk is not None:
            self._quirk_or_fail(c.quirk, f"<{local}> in <{element.name}> is not in the DTD", child)
        return _entry(c, element, self.layouts)

    def _check_namespace(self, ns: str, local: str, metinf: bool, el: etree._Element) -> None:
        if metinf:
            if ns == NS_METINF:
                return
            # MS Learn samples leave it out (so it inherits the SyncML default)
            # or write syncml:metinfo; Go's encoding/xml writes xmlns="".
            if ns in ("", self.ns, "syncml:metinfo"):
                self._quirk_or_fail(QuirkKind.METINF_NAMESPACE, f"<{local}> in namespace {ns!r}", el)
                return
        else:
            if ns == self.ns:
                return
            if ns == "" or ns in _KNOWN_SYNCML:
                self._quirk_or_fail(QuirkKind.NO_NAMESPACE, f"<{local}> in namespace {ns!r}, not {self.ns!r}", el)
                return
            if ns.lower() == self.ns.lower():
                self._quirk_or_fail(QuirkKind.NAMESPACE_CASE, f"<{local}> in namespace {ns!r}", el)
                return
        raise self.error(f"<{local}> in the wrong namespace {ns!r}", el)

    def _keep_unknown(self, child: etree._Element, layout: _Layout, vals: list[Any], level: int) -> None:
        self._check_subtree_depth(child, level)
        self.worded += 1
        xml = self._charge(self._standalone(self.twin(child), with_tail=False), child)
        if self.word_ns is not None and self.ns and f'xmlns="{self.ns}"' in xml:
            xml = _renamespaced(xml, self.ns, self.word_ns)
        unknown = m.Unknown(xml=xml, position=self._known_before(child, layout))
        current = vals[layout.unknown]
        if current.__class__ is list:
            current.append(unknown)
        else:
            vals[layout.unknown] = [unknown]

    def _known_before(self, child: etree._Element, layout: _Layout) -> int:
        """How many known elements precede *child* (where re-serializing puts it back).

        Counted once per parent for all its children: recounting the
        preceding siblings of each unknown element made n of them cost
        O(n^2) (4 000 took half a minute).
        """
        parent = child.getparent()
        known = self._known.get(parent)
        if known is None:
            element = layout.element
            choice = any(ch.kind is Kind.COMMAND for ch in element.children)
            known = {}
            count = 0
            for sibling in parent:  # type: ignore[union-attr]  # an unknown child always has a parent
                known[sibling] = count
                if isinstance(sibling.tag, str):
                    local = _split(sibling.tag)[1]
                    count += local in element.by_name or (choice and local in COMMAND_CLASSES)
            self._known[parent] = known
        return known[child]

    def twin(self, el: etree._Element) -> etree._Element:
        """*el* in a tree that keeps CDATA sections (itself unless merged)."""
        if not self.merged:
            return el
        if self._twins is None:
            kept = parse_tree(self.source, self.limits)
            self._twins = dict(zip(self.root.iter(), kept.iter(), strict=True))
            self.work += len(self._twins)
        return self._twins[el]

    @functools.cached_property
    def budget(self) -> int:
        """Decoded characters this input may produce."""
        return self.limits.output_budget(self.source.size or len(self.source.buf))

    def _charge(self, worded: str, el: etree._Element) -> str:
        """Charge a worded Markup or Unknown value to the output budget."""
        self.output += len(worded)
        self.work += len(worded)
        if self.output > self.budget:
            raise self._over_budget(el)
        return worded

    def _over_budget(self, el: etree._Element | None) -> DecodeError:
        reason = f"decoded output exceeds the budget of {self.budget} characters for this input"
        if el is None:
            line, column = self.source.line_column(min(self.budget, len(self.source.buf)))
            return DecodeError(reason, line=line, column=column, status=413)
        return self.error(reason, el, status=413)

    def _markup(self, el: etree._Element, level: int) -> m.Markup:
        self._check_subtree_depth(el, level)
        self.worded += 1
        return m.Markup(xml=self._word_markup(self.twin(el)))

    def _word_markup(self, el: etree._Element) -> str:
        if not self.has_prefixes and not self.source.doctype and self.word_ns is None:
            # No prefix in the document: the Data element serialized once
            # holds its content with just the declarations it needs (default
            # ones only, and the inherited SyncML one stays on Data).
            xml = self._charge(etree.tostring(el, encoding="unicode", with_tail=False), el)
            return xml[xml.index(">") + 1 : xml.rindex("</")]
        parts = [self._charge(leading_text(el, cdata=self.has_cdata), el)]
        for child in el:
            if not isinstance(child.tag, str):
                raise self.error("entity references are not expanded", el)
            parts.append(self._charge(self._standalone(child, with_tail=True), child))
        return "".join(parts)

    def _standalone(self, el: etree._Element, *, with_tail: bool) -> str:
        return standalone(el, self.ns if self.word_ns is None else self.word_ns, with_tail=with_tail)

    def _leaf_content(self, el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                raise self.error("entity references are not expanded", el)
            raise self.error(f"<{_split(el.tag)[1]}> must hold text, not <{_split(child.tag)[1]}>", child)

    def _attributes(self, el: etree._Element, layout: _Layout | None, vals: list[Any] | None) -> None:
        """Keep attributes of Data where the model has room (msft:originalerror), refuse the rest."""
        if layout is None or vals is None or layout.attributes < 0:
            name = next(iter(el.keys()))
            raise self.error(f"unexpected attribute {name!r} on <{_split(el.tag)[1]}>", el)
        if self.strict:
            # An XSD validator obeys xsi:type, xsi:nil ... instead of keeping
            # them, so the schemas (syncml.validate) refuse them: so do we.
            hint = next((str(name) for name in el.attrib if str(name).startswith(_XSI)), None)
            if hint is not None:
                raise self.error(f"schema-instance attribute {hint!r} on <{_split(el.tag)[1]}>", el)
        vals[layout.attributes] = tuple(el.items())

    def _check_subtree_depth(self, el: etree._Element, level: int) -> None:
        # *level* is el's own depth; the walk counts the levels below it, so
        # the result does not depend on the order the nodes are visited in.
        if level < self.max_depth and not any(len(kid) for kid in el):
            return  # nothing below its children (markup's usual shape): no walk
        # Too deep when an element lies more than max_depth - level below el.
        # libxml2 answers that in C (DevInf in Data: a walk in Python cost
        # as much as decoding the rest of the message).
        below = self.max_depth - level + 1
        if below <= 0 or _element_at_depth(below)(el):
            raise self.error(f"nesting deeper than {self.max_depth} elements", el)

    def _strict_value(self, parent: str, el: etree._Element, value: str) -> None:
        rule = STRICT_RULES.get((parent, _split(el.tag)[1]))
        if rule is not None:
            problem = rule(value)
            if problem:
                raise self.error(f"<{_split(el.tag)[1]}> {value!r} {problem}", el)

    def _empty(self, parent: str, el: etree._Element) -> None:
        # An identifier the DTD requires non-empty: kept as "" and listed.
        name = _split(el.tag)[1]
        if (parent, name) in NON_EMPTY:
            self._quirk_or_fail(QuirkKind.EMPTY_VALUE, f"<{name}> is empty", el)

    def _stray(self, el: etree._Element, text: str) -> None:
        shown = text.strip(_WS)[:20]
        self._quirk_or_fail(QuirkKind.STRAY_TEXT, f"text {shown!r} where only elements belong", el)

    def _check_stray_text(self, el: etree._Element) -> None:
        if el.text and el.text.strip(_WS):
            self._stray(el, el.text)
        for child in el:
            if child.tail and child.tail.strip(_WS):
                self._stray(child, child.tail)

    def _whitespace(self, el: etree._Element, value: str) -> None:
        self._quirk_or_fail(QuirkKind.VALUE_WHITESPACE, f"whitespace around {value.strip(_WS)[:40]!r}", el)

    def _order(self, el: etree._Element, element: Element) -> None:
        self._quirk_or_fail(QuirkKind.CHILD_ORDER, f"<{_split(el.tag)[1]}> out of order in <{element.name}>", el)

    def _quirk_or_fail(self, kind: QuirkKind, message: str, el: etree._Element) -> None:
        if self.strict:
            raise self.error(message, el)
        path = self.path(el)
        # What a quirk records is decoded output too: a quirk in each of many
        # deeply nested elements holds a long path for a few bytes of input.
        self.output += len(message) + len(path)
        if self.output > self.budget:
            raise self._over_budget(el)
        self.quirks.append(Quirk(kind=kind, message=message, path=path, line=line_of(el)))

    # --- document-level checks ------------------------------------------------

    def _set_namespace(self, ns: str, el: etree._Element, *, fragment: bool) -> None:
        if ns in _KNOWN_SYNCML or (fragment and ns == ""):
            self.ns = ns
        elif ns == "":
            self._quirk_or_fail(QuirkKind.NO_NAMESPACE, "<SyncML> has no namespace", el)
        elif ns.upper() in _KNOWN_SYNCML:
            self._quirk_or_fail(QuirkKind.NAMESPACE_CASE, f"root namespace {ns!r}", el)
            self.ns = ns
        elif ns.upper() == _VERSIONLESS:
            # buteo-syncml's namespace names no version: VerDTD says which.
            self._quirk_or_fail(QuirkKind.VERSIONLESS_NAMESPACE, f"root namespace {ns!r} names no version", el)
            self.ns = ns
        elif ns.upper().startswith("SYNCML:SYNCML"):
            raise self.error(f"unsupported SyncML version {ns!r}", el, status=505)
        else:
            raise self.error(f"not SyncML: namespace {ns!r}", el)
        self.layouts = _layouts(self.ns)
        self.fast_decoders = fast_decoders(self.ns)

    def _check_version(self, header: m.SyncHdr, root: etree._Element) -> None:
        if header.ver_dtd not in NAMESPACE_BY_VERSION:
            raise self.error(f"unsupported VerDTD {header.ver_dtd!r}", root, status=505)
        expected = VERSION_BY_NAMESPACE.get(self.ns.upper())
        if expected is not None and expected != header.ver_dtd:
            self._quirk_or_fail(QuirkKind.VERSION_MISMATCH, f"VerDTD {header.ver_dtd} in a {self.ns} document", root)
        if self.strict and not supported_protocol(header.ver_proto):
            raise self.error(f"unsupported VerProto {header.ver_proto!r}", root, status=513)

    def _own_namespaces(self, el: etree._Element) -> tuple[tuple[str, str], ...]:
        parent = el.getparent()
        inherited = parent.nsmap if parent is not None else {}
        return tuple(
            (prefix, uri) for prefix, uri in el.nsmap.items() if prefix is not None and inherited.get(prefix) != uri
        )

    def _refuse_entities(self) -> None:
        # Entity references survive only beside a DOCTYPE (libxml2 cannot
        # tell whether an unloaded external subset declares them).
        if not self.source.doctype:
            return
        for entity in self.root.iter(etree.Entity):
            raise self.error(f"entity reference {entity.text} is not expanded", entity.getparent())

    # --- reporting --------------------------------------------------------------

    def error(self, reason: str, el: etree._Element | None, status: int = 400) -> DecodeError:
        if el is None:
            return DecodeError(reason, status=status)
        line, column = self.source.position(self.root, el)
        return DecodeError(reason, line=line, column=column, path=self.path(el), status=status)

    def path(self, el: etree._Element) -> str:
        segments: list[str] = []
        node: etree._Element | None = el
        while node is not None:
            tag = node.tag
            parent = node.getparent()
            if not isinstance(tag, str):
                node = parent
                continue
            local = tag.rpartition("}")[2]  # a quirk in each of many elements walks here: one C call
            if parent is None and local == FRAGMENT_WRAPPER:
                break
            if local in REPEATABLE and parent is not None:
                segments.append(f"{local}[{self._sibling_index(parent, node)}]")
            else:
                segments.append(local)
            node = parent
        return "/".join(reversed(segments))

    def _sibling_index(self, parent: etree._Element, node: etree._Element) -> int:
        """1-based position of *node* among *parent*'s children of its tag.

        Counted once per parent and kept, so that a quirk in each of n Items
        costs O(n) in all: counting preceding siblings for each quirk would
        cost O(n^2).
        """
        indexes = self._indexes.get(parent)
        if indexes is None:
            counts: dict[object, int] = {}
            indexes = {}
            for child in parent:
                counts[child.tag] = counts.get(child.tag, 0) + 1
                indexes[child] = counts[child.tag]
            self._indexes[parent] = indexes
        return indexes[node]
