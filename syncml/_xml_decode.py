"""XML decoding: an lxml tree in, model values out.

One generic walk driven by the content models in :mod:`syncml._grammar`.
The fast path is a dictionary hit per child element (its Clark name in the
document's namespace); everything unusual (another namespace, an unknown
element, text where none belongs) falls to the slow path, which either records
a quirk (lenient) or raises :class:`~syncml.DecodeError` (strict).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from typing import Any

from lxml import etree

from . import model as m
from ._grammar import (
    BY_NAME,
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
from ._quirks import Quirk, QuirkKind
from ._strict import STRICT_RULES
from ._xmlfront import Source, line_of
from .errors import DecodeError
from .limits import Limits

_WS = " \t\r\n"
_KNOWN_SYNCML = (NS_SYNCML_12, NS_SYNCML_11)
_has_attributes = etree.XPath("boolean(//@*)")
_count_elements = etree.XPath("count(//*)")


@functools.lru_cache(maxsize=16)
def _tables(ns: str) -> dict[str, dict[str, Child]]:
    """Per element name, Clark tag -> Child for a document whose SyncML namespace is *ns*."""
    prefix = f"{{{ns}}}" if ns else ""
    return {
        element.name: {
            (f"{{{NS_METINF}}}" if child.metinf else prefix) + child.name: child for child in element.children
        }
        for element in ELEMENTS.values()
    }


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class Decoder:
    """Decodes one document; holds its namespace, options and quirks."""

    def __init__(
        self, source: Source, root: etree._Element, *, strict: bool, keep_unknown: bool, limits: Limits
    ) -> None:
        self.source = source
        self.root = root
        self.strict = strict
        self.keep_unknown = keep_unknown
        self.max_depth = limits.max_depth
        self.quirks: list[Quirk] = source.quirks
        self.ns = ""
        self.tables = _tables("")
        self.has_cdata = b"<![CDATA[" in source.buf
        self.check_attributes = bool(_has_attributes(root))
        self._check_size(limits)
        self._refuse_entities()

    # --- entry points ---------------------------------------------------------

    def message(self) -> m.SyncML:
        root = self.root
        ns, local = _split(root.tag)
        if local != "SyncML":
            raise self.error(f"not a SyncML message: the root element is <{local}>", root)
        self._set_namespace(ns, root, fragment=False)
        values = self.children(root, BY_NAME["SyncML"], 1)
        header: m.SyncHdr = values["header"]
        self._check_version(header, root)
        return m.SyncML(
            header=header,
            body=values["body"],
            namespaces=self._own_namespaces(root),
            quirks=tuple(self.quirks),
        )

    def commands(self) -> m.Commands:
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
            found = self.children(body, BY_NAME["SyncBody"], 1)["commands"]
            return m.Commands(found, tuple(self.quirks))
        out: list[m.Command] = []
        for child in elements:
            ns, local = _split(child.tag)
            cls = COMMAND_CLASSES.get(local)
            if cls is None:
                raise self.error(f"<{local}> is not a command", child)
            self._check_namespace(ns, local, False, child)
            out.append(self.node(child, ELEMENTS[cls], 1))
        return m.Commands(out, tuple(self.quirks))

    def _body_of_envelope(self, envelope: etree._Element) -> etree._Element:
        kids = [c for c in envelope if isinstance(c.tag, str)]
        names = [_split(c.tag)[1] for c in kids]
        if "SyncHdr" in names:
            raise self.error("a whole message, not a fragment: use syncml.parse()", envelope)
        if names != ["SyncBody"]:
            raise self.error("a SyncML fragment must hold exactly one SyncBody", envelope)
        return kids[0]

    # --- the walk -------------------------------------------------------------

    def node(self, el: etree._Element, spec: Element, depth: int) -> Any:
        values = self.children(el, spec, depth)
        return spec.cls(**values)

    def children(self, el: etree._Element, spec: Element, depth: int) -> dict[str, Any]:
        """Decode *el*'s children per *spec* into constructor keyword arguments."""
        if depth >= self.max_depth and len(el):
            raise self.error(f"nesting deeper than {self.max_depth} elements", el[0])
        if self.check_attributes and el.keys():
            self._attributes(el, None)
        text = el.text
        if text and text.strip(_WS):
            self._stray(el, text)
        table = self.tables[spec.name]
        values: dict[str, Any] = {}
        last = -1
        known = 0
        tuple_fields = spec.tuple_fields
        for child in el:
            tag = child.tag
            c = table.get(tag) if isinstance(tag, str) else None
            if c is None:
                c = self._resolve(child, spec, known, values)
                if c is None:
                    continue
            tail = child.tail
            if tail and tail.strip(_WS):
                self._stray(child, tail)
            if c.index < last and not spec.any_order:
                self._order(child, spec)
            if c.quirk is not None:
                self._quirk_or_fail(c.quirk, f"<{c.name}> in <{spec.name}> is not in the DTD", child)
            last = c.index
            known += 1
            kind = c.kind
            if kind is Kind.TEXT:
                value: Any = self.text(child, spec.name)
            elif kind is Kind.NODE or kind is Kind.COMMAND:
                value = self.node(child, ELEMENTS[c.node], depth + 1)  # type: ignore[index]
            elif kind is Kind.FLAG:
                value = self.flag(child)
            elif kind is Kind.DATA:
                value = self.data(child, depth + 1, values)
            else:
                value = self.raw(child, spec.name, values)
            fname = c.field
            if fname in tuple_fields:
                seen = values.get(fname)
                if seen is None:
                    values[fname] = [value]
                elif c.occurs.repeats:
                    seen.append(value)
                else:
                    raise self.error(f"more than one <{c.name}> in <{spec.name}>", child)
            elif fname in values:
                raise self.error(f"more than one <{c.name}> in <{spec.name}>", child)
            else:
                values[fname] = value
        for fname, shown in spec.required:
            if fname not in values:
                raise self.error(f"<{spec.name}> is missing {shown}", el)
        for fname in tuple_fields:
            seen = values.get(fname)
            if seen is not None:
                values[fname] = tuple(seen)
        if spec.keeps_namespaces and spec.name == "SyncBody":
            own = self._own_namespaces(el)
            if own:
                values["namespaces"] = own
        return values

    def text(self, el: etree._Element, parent: str) -> str:
        if len(el):
            self._leaf_content(el)
        if self.check_attributes and el.keys():
            self._attributes(el, None)
        value = el.text
        if value is None:
            value = ""
        elif value[0] in _WS or value[-1] in _WS:
            stripped = value.strip(_WS)
            self._whitespace(el, value)
            value = stripped
        if self.strict:
            self._strict_value(parent, el, value)
        return value

    def raw(self, el: etree._Element, parent: str, values: dict[str, Any]) -> str:
        if len(el):
            self._leaf_content(el)
        if self.check_attributes and el.keys():
            self._attributes(el, values if parent == "Status" else None)
        value = el.text or ""
        if self.strict:
            self._strict_value(parent, el, value)
        return value

    def flag(self, el: etree._Element) -> bool:
        if len(el):
            self._leaf_content(el)
        if self.check_attributes and el.keys():
            self._attributes(el, None)
        text = el.text
        if text:
            if text.strip(_WS):
                raise self.error(f"<{_split(el.tag)[1]}> must be empty", el)
            self._whitespace(el, text)
        return True

    def data(self, el: etree._Element, level: int, values: dict[str, Any]) -> m.Data:
        if self.check_attributes and el.keys():
            self._attributes(el, values)
        if len(el):
            return self._markup(el, level)
        text = el.text or ""
        if self.has_cdata and b"<![CDATA[" in etree.tostring(el):
            return m.CData(text=text)
        return text

    # --- slow paths -------------------------------------------------------------

    def _resolve(self, child: etree._Element, spec: Element, known: int, values: dict[str, Any]) -> Child | None:
        """Place a child the fast path did not recognise, or refuse it."""
        tag = child.tag
        if not isinstance(tag, str):
            raise self.error("entity references are not expanded", child)
        ns, local = _split(tag)
        c = spec.by_name.get(local)
        if c is not None:
            self._check_namespace(ns, local, c.metinf, child)
            return c
        cls = COMMAND_CLASSES.get(local)
        if cls is not None and "commands" in {ch.field for ch in spec.children}:
            self._check_namespace(ns, local, False, child)
            self._quirk_or_fail(
                QuirkKind.COMMAND_PLACEMENT, f"<{local}> is not allowed in <{spec.name}> by the DTD", child
            )
            choice = next(ch for ch in spec.children if ch.field == "commands")
            return dataclasses.replace(choice, name=local, node=cls)
        if self.keep_unknown:
            self._keep_unknown(child, known, values)
            return None
        raise self.error(f"unknown element <{local}> in <{spec.name}>", child)

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

    def _keep_unknown(self, child: etree._Element, known: int, values: dict[str, Any]) -> None:
        self._check_subtree_depth(child, 0)
        unknown = m.Unknown(xml=self._standalone(child, with_tail=False), position=known)
        values.setdefault("unknown", []).append(unknown)

    def _markup(self, el: etree._Element, level: int) -> m.Markup:
        self._check_subtree_depth(el, level)
        parts = [_escape_text(el.text or "")]
        for child in el:
            if not isinstance(child.tag, str):
                raise self.error("entity references are not expanded", el)
            parts.append(self._standalone(child, with_tail=True))
        return m.Markup(xml="".join(parts))

    def _standalone(self, el: etree._Element, *, with_tail: bool) -> str:
        """Serialize *el* with the declarations it needs, minus the inherited SyncML default."""
        clone = copy.deepcopy(el)
        xml = etree.tostring(clone, encoding="unicode", with_tail=with_tail)
        if self.ns and clone.prefix is None and clone.nsmap.get(None) == self.ns:
            end = xml.index(">")
            xml = xml[:end].replace(f' xmlns="{self.ns}"', "", 1) + xml[end:]
        return xml

    def _leaf_content(self, el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                raise self.error("entity references are not expanded", el)
            raise self.error(f"<{_split(el.tag)[1]}> must hold text, not <{_split(child.tag)[1]}>", child)

    def _attributes(self, el: etree._Element, keep: dict[str, Any] | None) -> None:
        if keep is None:
            name = next(iter(el.keys()))
            raise self.error(f"unexpected attribute {name!r} on <{_split(el.tag)[1]}>", el)
        keep["data_attributes"] = tuple(el.items())

    def _check_subtree_depth(self, el: etree._Element, level: int) -> None:
        deepest = 0
        stack = [(el, 0)]
        while stack:
            node, level = stack.pop()
            deepest = max(deepest, level)
            stack.extend((kid, level + 1) for kid in node if isinstance(kid.tag, str))
        if level + deepest > self.max_depth:
            raise self.error(f"nesting deeper than {self.max_depth} elements", el)

    def _strict_value(self, parent: str, el: etree._Element, value: str) -> None:
        rule = STRICT_RULES.get((parent, _split(el.tag)[1]))
        if rule is not None:
            problem = rule(value)
            if problem:
                raise self.error(f"<{_split(el.tag)[1]}> {value!r} {problem}", el)

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

    def _order(self, el: etree._Element, spec: Element) -> None:
        self._quirk_or_fail(QuirkKind.CHILD_ORDER, f"<{_split(el.tag)[1]}> out of order in <{spec.name}>", el)

    def _quirk_or_fail(self, kind: QuirkKind, message: str, el: etree._Element) -> None:
        if self.strict:
            raise self.error(message, el)
        self.quirks.append(Quirk(kind=kind, message=message, path=self.path(el), line=line_of(el)))

    # --- document-level checks ------------------------------------------------

    def _set_namespace(self, ns: str, el: etree._Element, *, fragment: bool) -> None:
        if ns in _KNOWN_SYNCML or (fragment and ns == ""):
            self.ns = ns
        elif ns == "":
            self._quirk_or_fail(QuirkKind.NO_NAMESPACE, "<SyncML> has no namespace", el)
        elif ns.upper() in _KNOWN_SYNCML:
            self._quirk_or_fail(QuirkKind.NAMESPACE_CASE, f"root namespace {ns!r}", el)
            self.ns = ns
        elif ns.upper().startswith("SYNCML:SYNCML"):
            raise self.error(f"unsupported SyncML version {ns!r}", el, status=505)
        else:
            raise self.error(f"not SyncML: namespace {ns!r}", el)
        self.tables = _tables(self.ns)

    def _check_version(self, header: m.SyncHdr, root: etree._Element) -> None:
        if header.ver_dtd not in NAMESPACE_BY_VERSION:
            raise self.error(f"unsupported VerDTD {header.ver_dtd!r}", root, status=505)
        expected = VERSION_BY_NAMESPACE.get(self.ns.upper())
        if expected is not None and expected != header.ver_dtd:
            self._quirk_or_fail(QuirkKind.VERSION_MISMATCH, f"VerDTD {header.ver_dtd} in a {self.ns} document", root)
        if self.strict and not header.ver_proto.startswith("DM/"):
            raise self.error(f"unsupported VerProto {header.ver_proto!r}", root, status=513)

    def _own_namespaces(self, el: etree._Element) -> tuple[tuple[str, str], ...]:
        parent = el.getparent()
        inherited = parent.nsmap if parent is not None else {}
        return tuple(
            (prefix, uri) for prefix, uri in el.nsmap.items() if prefix is not None and inherited.get(prefix) != uri
        )

    def _check_size(self, limits: Limits) -> None:
        # Every element has at least one '<'; only count precisely when the
        # cheap bound says the limit might be exceeded.
        if self.source.buf.count(b"<") <= limits.max_nodes:
            return
        count = int(_count_elements(self.root))  # type: ignore[arg-type]
        if count > limits.max_nodes:
            raise DecodeError(f"{count} elements exceed the limit of {limits.max_nodes}", status=413)

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
            if not isinstance(tag, str):
                node = node.getparent()
                continue
            local = _split(tag)[1]
            parent = node.getparent()
            if parent is None and local == _FRAGMENT_WRAPPER:
                break
            if local in REPEATABLE and parent is not None:
                index = 1 + sum(1 for sib in node.itersiblings(preceding=True) if sib.tag == tag)
                segments.append(f"{local}[{index}]")
            else:
                segments.append(local)
            node = parent
        return "/".join(reversed(segments))


_FRAGMENT_WRAPPER = "syncml-fragment"
