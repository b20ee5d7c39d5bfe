"""DevInf as XML: the library's hardened front end in, plain text out.

Reading goes through :mod:`syncml._xmlfront`, as every SyncML message does:
size first, encoding, no DTD or entity ever loaded, the node-count limit
before libxml2 builds the tree.  The lxml tree then becomes the neutral
:class:`~syncml.ds._devinf_tree.Node` tree, where every element must be in
the root's namespace and carry no attribute.
"""

from __future__ import annotations

import re

from lxml import etree

from .. import _meter
from .._quirks import QuirkKind
from .._xmlfront import Source, line_of, parse_tree, prepare
from ..errors import DecodeError, EncodeError
from ..limits import Limits
from . import devinf as d
from ._devinf_tree import NS_DEVINF, Node, Reading, read_devinf, write_devinf

#: Characters XML 1.0 cannot carry.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Located(Reading):
    """A reading that finds an element's column only when an error needs it."""

    def __init__(self, *, strict: bool, source: Source, root: etree._Element) -> None:
        super().__init__(strict=strict)
        self.source = source
        self.root = root
        self.elements: dict[int, etree._Element] = {}

    def error(self, reason: str, node: Node, path: str, status: int = 400) -> DecodeError:
        el = self.elements.get(id(node))
        line, column = self.source.position(self.root, el) if el is not None else (node.line, None)
        return DecodeError(reason, line=line, column=column, path=path, status=status)


def decode(data: bytes | str, *, strict: bool, limits: Limits) -> d.DevInf:
    source = prepare(data, strict=strict, limits=limits)
    root = parse_tree(source, limits)
    reading = _Located(strict=strict, source=source, root=root)
    reading.quirks.extend(source.quirks)
    ns = _root_namespace(root, reading)
    tree = _node(root, ns, reading, "DevInf", 1, limits)
    devinf = read_devinf(tree, reading)
    _meter.record(work=len(source.buf), nodes=len(reading.elements))
    return devinf


def _root_namespace(root: etree._Element, reading: _Located) -> str | None:
    qname = etree.QName(root)
    top = Node(qname.localname, line=line_of(root))
    reading.elements[id(top)] = root
    if qname.localname != "DevInf":
        raise reading.error(f"the root is <{qname.localname}>, not <DevInf>", top, qname.localname)
    ns = qname.namespace
    if ns == NS_DEVINF:
        return ns
    if ns is None:
        reading.quirk(QuirkKind.NO_NAMESPACE, "<DevInf> without the syncml:devinf namespace", top, "DevInf")
    elif ns.lower() == NS_DEVINF:
        reading.quirk(QuirkKind.NAMESPACE_CASE, f"the DevInf namespace written {ns!r}", top, "DevInf")
    else:
        raise reading.error(f"<DevInf> in namespace {ns!r}, not {NS_DEVINF!r}", top, "DevInf")
    return ns


def _node(el: etree._Element, ns: str | None, reading: _Located, path: str, depth: int, limits: Limits) -> Node:
    node = Node(etree.QName(el).localname, line=line_of(el))
    reading.elements[id(node)] = el
    if depth > limits.max_depth:
        raise reading.error(f"nesting deeper than {limits.max_depth} elements", node, path)
    if el.attrib:
        raise reading.error(f"<{node.name}> carries an attribute; DevInf defines none", node, path)
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Element) and isinstance(child.tag, str):
            qname = etree.QName(child)
            child_path = f"{path}/{qname.localname}"
            if qname.namespace != ns:
                stub = Node(qname.localname, line=line_of(child))
                reading.elements[id(stub)] = child
                raise reading.error(
                    f"<{qname.localname}> in namespace {qname.namespace!r}, not {ns!r}", stub, child_path
                )
            node.children.append(_node(child, ns, reading, child_path, depth + 1, limits))
        parts.append(child.tail or "")
    node.text = "".join(parts)
    return node


# --- writing ---------------------------------------------------------------------------------------


def _escape(text: str, path: str) -> str:
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise EncodeError(f"character U+{ord(bad.group()):04X} cannot be written in XML", path=path)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _write(node: Node, out: list[str], path: str) -> None:
    if not node.children and not node.text:
        out.append(f"<{node.name}/>")
        return
    out.append(f"<{node.name}>")
    out.append(_escape(node.text, path))
    for child in node.children:
        _write(child, out, f"{path}/{child.name}")
    out.append(f"</{node.name}>")


def encode(devinf: d.DevInf) -> bytes:
    tree = write_devinf(devinf)
    out: list[str] = []
    _write(tree, out, "DevInf")
    out[0] = f'<DevInf xmlns="{NS_DEVINF}">'
    return "".join(out).encode("utf-8")
