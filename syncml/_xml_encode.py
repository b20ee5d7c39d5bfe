"""XML encoding: model values in, UTF-8 bytes out.

The mirror of :mod:`syncml._xml_decode`: one walk over the same content
models, writing children in DTD order.  Output is built as a list of strings
(faster than building an lxml tree) and is deterministic: the root carries
``xmlns="SYNCML:SYNCML1.2"`` (or 1.1, by VerDTD) and every MetInf element
its own ``xmlns="syncml:metinf"``, the form Windows expects.

Anything that would not read back as the same model is refused with
:class:`~syncml.EncodeError`: a missing required child, characters XML 1.0
cannot carry, whitespace around a token value, markup that is not
well-formed.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from . import model as m
from ._encode_check import check_markup, check_unknown
from ._grammar import (
    BY_NAME,
    COMMAND_NAMES,
    ELEMENTS,
    NAMESPACE_BY_VERSION,
    NS_METINF,
    NS_MSFT,
    Child,
    Element,
    Kind,
)
from .errors import EncodeError

_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WS = " \t\r\n"
_KNOWN_PREFIXES = {NS_MSFT: "msft"}
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_METINF_DECL = f' xmlns="{NS_METINF}"'
_markup_parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def _plan(spec: Element) -> tuple[Child, ...]:
    """One representative Child per field, in DTD order (commands once)."""
    seen: set[str] = set()
    plan = []
    for child in spec.children:
        if child.field not in seen:
            seen.add(child.field)
            plan.append(child)
    return tuple(plan)


# (child, field, kind, required, namespace declaration to write on it)
_Step = tuple[Child, str, Kind, bool, str]


@functools.cache
def _steps(spec: Element) -> tuple[_Step, ...]:
    """The plan with what the writer asks of each child worked out once."""
    return tuple(
        (c, c.field, c.kind, c.occurs.required, _METINF_DECL if c.metinf and not spec.metinf else "")
        for c in _plan(spec)
    )


@functools.cache
def _tag_pair(name: str, pad: str) -> tuple[str, str]:
    # One shared string per tag and indent: a flood of empty elements then
    # costs the output list a pointer each, not a new string each.
    return f"{pad}<{name}>", f"{pad}</{name}>"


def _escape(text: str, path: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    bad = _ILLEGAL.search(text)
    if bad is not None:
        raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0", path=path)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_leaf(text: str, path: str, name: str) -> str:
    """Like _escape, with the path built only when it is needed for an error."""
    if _SPECIAL.search(text) is None:
        return text
    return _escape(text, f"{path}/{name}")


def _escape_attribute(text: str, path: str) -> str:
    body = _escape(text, path)
    return body.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


class Writer:
    """Writes one message or fragment."""

    def __init__(self, *, pretty: bool) -> None:
        self.out: list[str] = []
        self.pretty = pretty
        self.prefixes: dict[str, str] = {}  # uri -> prefix declared on SyncML/SyncBody
        self.in_scope: dict[str, str] = {}  # prefix -> uri, as Data content sees them
        # Output positions where each child element of the open elements
        # starts; only tracked (a list) for elements that keep Unknown children.
        self.marks: list[list[int] | None] = [None]
        self.ns = ""  # the SyncML namespace Markup and Unknown values are worded against

    def message(self, msg: m.SyncML) -> str:
        if not isinstance(msg, m.SyncML):
            raise EncodeError(f"expected a SyncML message, not {type(msg).__name__}")
        header, body = msg.header, msg.body
        ns = NAMESPACE_BY_VERSION.get(getattr(header, "ver_dtd", ""))
        if ns is None:
            raise EncodeError(f"cannot write VerDTD {getattr(header, 'ver_dtd', None)!r}", path="SyncML/SyncHdr/VerDTD")
        if not isinstance(header, m.SyncHdr) or not isinstance(body, m.SyncBody):
            raise EncodeError("a SyncML needs a SyncHdr and a SyncBody", path="SyncML")
        self.ns = ns
        self.out.append(f'<SyncML xmlns="{ns}"{self._declare(msg.namespaces, "SyncML")}>')
        if header.is_empty:
            # Written as Windows' local MDM API writes and reads it.
            self.out.append("\n  <SyncHdr/>" if self.pretty else "<SyncHdr/>")
        else:
            self.element(header, BY_NAME["SyncHdr"], 1, "SyncML/SyncHdr")
        body_attrs = self._declare(body.namespaces, "SyncML/SyncBody")
        self.element(body, BY_NAME["SyncBody"], 1, "SyncML/SyncBody", body_attrs)
        self.out.append("\n</SyncML>" if self.pretty else "</SyncML>")
        return "".join(self.out)

    def commands(self, commands: Iterable[m.Command]) -> str:
        commands = tuple(commands)
        if not commands:
            raise EncodeError("no command to write")
        self._commands(commands, 0, "")
        return "".join(self.out).lstrip("\n")

    # --- the walk -------------------------------------------------------------

    def element(self, obj: Any, spec: Element, depth: int, path: str, attrs: str = "") -> None:
        out = self.out
        marks = self.marks[-1]
        if marks is not None:
            marks.append(len(out))
        pad = "\n" + "  " * depth if self.pretty else ""
        opening, closing = _tag_pair(spec.name, pad)
        out.append(f"{pad}<{spec.name}{attrs}>" if attrs else opening)
        unknown = obj.unknown
        self.marks.append([] if unknown else None)
        for step in _steps(spec):
            value = getattr(obj, step[1])
            # Absent optional children are most of the fields: skip them here.
            if (value is None or value is False or value == ()) and not step[3] and step[2] is not Kind.COMMAND:
                if step[2] is Kind.DATA and getattr(obj, "data_attributes", None):
                    raise EncodeError("data_attributes without Data would be lost", path=f"{path}/Data")
                continue
            self.child(obj, spec, step, value, depth + 1, path)
        own = self.marks.pop()
        if own is not None:
            self._insert_unknown(unknown, spec, own, depth + 1, path)
        out.append(closing)

    def child(self, obj: Any, spec: Element, step: _Step, value: Any, depth: int, path: str) -> None:
        c, _, kind, _, ns = step
        if kind is Kind.COMMAND:
            self._commands(value, depth, path, required=c.occurs.required)
            return
        if value is None or value == () or value is False:
            raise EncodeError(f"<{c.name}> is required in <{spec.name}>", path=path)
        if kind is Kind.TEXT:
            if isinstance(value, tuple) and c.occurs.repeats:
                for text in value:
                    self._leaf(c, text, depth, path, ns)
            else:
                self._leaf(c, value, depth, path, ns)
        elif kind is Kind.RAW:
            attrs = self._data_attributes(getattr(obj, "data_attributes", ()), f"{path}/{c.name}")
            self._leaf(c, value, depth, path, attrs)
        elif kind is Kind.NODE:
            self._nodes(spec, c, value, depth, path, ns)
        elif kind is Kind.FLAG:
            if value is not True:
                raise EncodeError(f"<{c.name}> must be True or False", path=path)
            self._open(depth)
            self.out.append(f"<{c.name}{ns}/>")
        else:
            self._data(obj, value, depth, path)

    def _open(self, depth: int) -> None:
        """Start a leaf element: note where it begins, indent when pretty."""
        marks = self.marks[-1]
        if marks is not None:
            marks.append(len(self.out))
        if self.pretty:
            self.out.append("\n" + "  " * depth)

    def _nodes(self, spec: Element, c: Child, value: Any, depth: int, path: str, ns: str) -> None:
        child_spec = ELEMENTS[c.node]  # type: ignore[index]
        if isinstance(value, tuple):
            if spec.cls is m.Exec and len(value) != 1:
                raise EncodeError(f"Exec must have exactly one Item, not {len(value)}", path=path)
            for index, node in enumerate(value, 1):
                self._node(child_spec, node, depth, f"{path}/{c.name}[{index}]", ns)
        else:
            self._node(child_spec, value, depth, f"{path}/{c.name}", ns)

    def _node(self, spec: Element, node: Any, depth: int, path: str, ns: str) -> None:
        if not isinstance(node, spec.cls):
            raise EncodeError(f"<{spec.name}> must be a {spec.cls.__name__}, not {type(node).__name__}", path=path)
        if isinstance(node, m.Item) and isinstance(node.data, m.Opaque):
            node = _as_base64_item(node)
        self.element(node, spec, depth, path, ns)

    def _commands(self, commands: Any, depth: int, path: str, *, required: bool = True) -> None:
        if not isinstance(commands, tuple) or (required and not commands):
            raise EncodeError("at least one command is required", path=path or None)
        for index, command in enumerate(commands, 1):
            spec = ELEMENTS.get(type(command))
            if spec is None or spec.name not in COMMAND_NAMES:
                raise EncodeError(f"not a command: {type(command).__name__}", path=f"{path}[{index}]")
            where = f"{path}/{spec.name}[{index}]" if path else f"{spec.name}[{index}]"
            self.element(command, spec, depth, where)

    def _leaf(self, c: Child, text: Any, depth: int, path: str, attrs: str) -> None:
        name = c.name
        if text.__class__ is not str and not isinstance(text, str):
            raise EncodeError(f"<{name}> must be a str, not {type(text).__name__}", path=f"{path}/{name}")
        # strip() returns the very object when there is nothing to strip; a
        # str subclass (a StrEnum member such as AlertType) always gets a new
        # str back, so its length says whether anything was stripped.
        if c.kind is Kind.TEXT and (stripped := text.strip(_WS)) is not text and len(stripped) != len(text):
            raise EncodeError(f"{text!r} has surrounding whitespace, which parsing removes", path=f"{path}/{name}")
        if self.pretty or self.marks[-1] is not None:
            self._open(depth)
        self.out.append(f"<{name}{attrs}>{_escape_leaf(text, path, name)}</{name}>")

    def _data(self, obj: Any, value: Any, depth: int, path: str) -> None:
        where = f"{path}/Data"
        if isinstance(value, str):
            body = _escape(value, where)
        elif isinstance(value, m.CData):
            body = _cdata(value.text, where)
        elif isinstance(value, m.Markup):
            body = self._data_markup(value.xml, where)
        else:
            raise EncodeError(f"Data must be str, CData, Markup or Opaque, not {type(value).__name__}", path=where)
        attrs = self._data_attributes(getattr(obj, "data_attributes", ()), where)
        self._open(depth)
        self.out.append(f"<Data{attrs}>{body}</Data>")

    # --- helpers ------------------------------------------------------------------

    def _markup(self, xml: Any, path: str) -> str:
        if not isinstance(xml, str):
            raise EncodeError("markup must be a str", path=path)
        bad = _ILLEGAL.search(xml)
        if bad is not None:
            raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0", path=path)
        # Declare only the in-scope prefixes the markup names: declaring all
        # of them on every Data would cost declarations x markups.
        decls = "".join(
            f' xmlns:{p}="{_escape_attribute(self.in_scope[p], path)}"'
            for p in set(_PREFIXED.findall(xml))
            if p in self.in_scope
        )
        try:
            holder = etree.fromstring(f"<Data{decls}>{xml}</Data>".encode(), _markup_parser)
        except etree.XMLSyntaxError as exc:
            raise EncodeError(f"markup is not well-formed XML: {exc.msg}", path=path) from None
        if not len(holder):
            # Without an element it would read back as plain text, not Markup.
            raise EncodeError("markup must hold at least one element", path=path)
        return xml

    def _data_markup(self, xml: Any, path: str) -> str:
        self._markup(xml, path)
        check_markup(xml, self.ns, self.in_scope, path)
        return str(xml)

    def _data_attributes(self, attributes: Any, path: str) -> str:
        if not attributes:
            return ""
        pairs = attribute_pairs(attributes, self.prefixes, path)
        return "".join(f' {key}="{_escape_attribute(value, path)}"' for key, value in pairs)

    def _declare(self, namespaces: Any, path: str) -> str:
        for prefix, uri in checked_declarations(namespaces, path):
            self.prefixes.setdefault(uri, prefix)
            self.in_scope[prefix] = uri  # SyncBody's declaration shadows SyncML's
        return "".join(f' xmlns:{prefix}="{_escape_attribute(uri, path)}"' for prefix, uri in namespaces)

    def _insert_unknown(self, unknown: Any, spec: Element, starts: list[int], depth: int, path: str) -> None:
        pad = "\n" + "  " * depth if self.pretty else ""
        out = self.out
        end = len(out)
        # Unknowns that share a position keep their original order.
        slots: dict[int, list[str]] = {}
        for item in unknown:
            if not isinstance(item, m.Unknown):
                raise EncodeError("unknown must hold Unknown values", path=path)
            self._markup(item.xml, path)
            check_unknown(item, spec, self.ns, self.in_scope, path)
            at = starts[item.position] if 0 <= item.position < len(starts) else end
            slots.setdefault(at, []).append(pad + item.xml)
        # One merge of the tail instead of an insert per unknown (each insert
        # moved the rest of the output: n unknowns cost O(n^2)).
        order = sorted(slots)
        merged: list[str] = []
        previous = order[0]
        for at in order:
            merged += out[previous:at]
            merged += slots[at]
            previous = at
        merged += out[previous:]
        del out[order[0] :]
        out += merged


def attribute_pairs(attributes: Any, prefixes: dict[str, str], path: str) -> list[tuple[str, str]]:
    """Data attributes as written: ``(qualified name, value)``, declarations first where needed.

    *prefixes* maps the URIs declared on SyncML/SyncBody to their prefix; a
    namespace declared nowhere is declared on the element itself (``msft``
    for Windows' namespace, ``ns0``... otherwise).  The WBXML encoder writes
    the same pairs as literal attributes.
    """
    pairs: list[tuple[str, str]] = []
    declared: dict[str, str] = {}
    for pair in attributes:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise EncodeError("data attributes must be (name, value) pairs of str", path=path)
        key, value = pair
        if key == "xmlns" or key.startswith(("xmlns:", "{http://www.w3.org/2000/xmlns/}")):
            # Written, it would declare a namespace, and read back it is none.
            raise EncodeError(f"{key!r} is a namespace declaration, not a data attribute", path=path)
        if key.startswith("{"):
            uri, _, local = key[1:].partition("}")
            # The xml prefix is bound by definition and must never be
            # declared (Namespaces in XML 1.0, section 3).
            prefix = "xml" if uri == _XML_NS else prefixes.get(uri) or declared.get(uri)
            if prefix is None:
                prefix = _KNOWN_PREFIXES.get(uri, f"ns{len(declared)}")
                declared[uri] = prefix
                pairs.append((f"xmlns:{prefix}", uri))
            key = f"{prefix}:{local}"
        if not _NAME.fullmatch(key):
            raise EncodeError(f"invalid attribute name {key!r}", path=path)
        pairs.append((key, value))
    return pairs


def checked_declarations(namespaces: Any, path: str) -> tuple[tuple[str, str], ...]:
    """Prefixed namespace declarations of SyncML/SyncBody, refused when not declarable."""
    for pair in namespaces:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise EncodeError("namespaces must be (prefix, uri) pairs of str", path=path)
        prefix, uri = pair
        # Only xml and xmlns themselves cannot be declared; other prefixes
        # starting with "xml" are merely reserved (Namespaces in XML 1.0, 3).
        if not _NCNAME.fullmatch(prefix) or prefix in ("xml", "xmlns") or not uri:
            raise EncodeError(f"cannot declare prefix {prefix!r} for {uri!r}", path=path)
    return tuple(namespaces)


def _as_base64_item(item: m.Item) -> m.Item:
    """The Item as XML carries binary Data: base64 text, its own Meta Format ``b64``.

    OMA DM TND 1.2, 8.3.7.2: a binary value goes over XML as b64 and over
    WBXML as raw bytes; the Format said on the wire is the one of the bytes
    as sent.
    """
    data = item.data
    assert isinstance(data, m.Opaque)
    if not isinstance(data.data, bytes):
        raise EncodeError("Opaque.data must be bytes", path="Item/Data")
    meta = dataclasses.replace(item.meta or m.Meta(), format="b64")
    return dataclasses.replace(item, meta=meta, data=base64.b64encode(data.data).decode("ascii"))


def _cdata(text: Any, path: str) -> str:
    if not isinstance(text, str):
        raise EncodeError("CData.text must be a str", path=path)
    bad = _ILLEGAL.search(text)
    if bad is not None:
        raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0", path=path)
    # "]]>" cannot sit inside a section, and a CR inside one would be read
    # back as LF: close the section around both.
    body = text.replace("]]>", "]]]]><![CDATA[>").replace("\r", "]]>&#13;<![CDATA[")
    return f"<![CDATA[{body}]]>"


# XML 1.0 (fifth edition) Name productions, without ':' (NCName), as libxml2
# applies them: whatever it read as a prefix or attribute name must be
# writable again.
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + "\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
# Whatever may be a prefix where markup names one (<p:e>, p:a="..."): a
# superset is harmless, it only declares more for the well-formedness check.
# The lookbehind starts a match only where a run of name characters starts,
# so a long run without ':' is scanned once, not once from each character.
_PREFIXED = re.compile(r"""(?<![^\s<>"'=/:&;!?])([^\s<>"'=/:&;!?]+):""")
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")
_NAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*(:[{_NAME_START}][{_NAME_CHAR}]*)?")
