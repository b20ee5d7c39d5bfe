"""Encoder honesty: refuse Markup and Unknown values that would not read back as written.

Both are XML text the encoders copy into the message.  Copied blindly, an
``Unknown`` holding ``<Exec>`` in a SyncBody reads back as a real Exec (a
command smuggled past whatever built the model), and markup that is not
well-formed, or not worded the way the decoder words it, reads back as
something else or not at all.  So each value is parsed with a hardened
parser and worded again with the decoder's own functions
(:func:`syncml._xml_decode.standalone`, :func:`~syncml._xml_decode.leading_text`);
only a value equal to its rewording is written.

The rules, for both encoders:

- ``Markup.xml`` is well-formed content holding at least one element, worded
  as the decoder words it.
- ``Unknown.xml`` is exactly one element (no text, comment or processing
  instruction beside it), whose local name is not one the content model of
  its parent knows (nor a command where the parent holds commands), worded
  as the decoder words it.

Verdicts are cached per value and context, so a value repeated across a
message is parsed once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from . import model as m
from ._grammar import COMMAND_CLASSES, ELEMENTS, NAMESPACE_BY_VERSION, Element, Kind
from ._xml_decode import leading_text, standalone
from .errors import EncodeError

__all__ = ["check_markup", "check_model", "check_unknown"]

# No DTD, no entities, no network; libxml2's own depth (256) and text-size
# limits stay on (no huge_tree).  Comments and processing instructions are
# kept so that a value holding one is seen, not silently cleaned.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, strip_cdata=False
)
_HOLDER = "syncml-holder"
_BY_NAME = {spec.name: spec for spec in ELEMENTS.values()}


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _holder(xml: str, ns: str, scope: tuple[tuple[str, str], ...], path: str) -> etree._Element:
    decls = "".join(f' xmlns:{prefix}="{_attr(uri)}"' for prefix, uri in scope)
    default = f' xmlns="{_attr(ns)}"' if ns else ""
    try:
        holder = etree.fromstring(f"<{_HOLDER}{default}{decls}>{xml}</{_HOLDER}>".encode(), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise EncodeError(f"not well-formed XML: {exc.msg}", path=path) from None
    except ValueError as exc:  # lxml refuses some strings outright
        raise EncodeError(f"not writable as XML: {exc}", path=path) from None
    return holder


#: Every run of name characters followed by ':', from its first letter - a superset of the prefixes
#: a value names (it also finds words before a colon in text, which is harmless).  A match starts
#: only where a run starts, so a long run without ':' is scanned once, not once from each character.
_PREFIX_USE = re.compile(r"(?<![\w.\-])[\d.\-]*([^\W\d][\w.\-]*):")


def _scope(xml: str, in_scope: dict[str, str]) -> tuple[tuple[str, str], ...]:
    # Only the prefixes the value names matter to its wording.  Found by one
    # scan of the value, not one search per prefix in scope: a message may
    # declare thousands of prefixes and hold thousands of markup values.
    named = set(_PREFIX_USE.findall(xml))
    return tuple(sorted((p, in_scope[p]) for p in named if p in in_scope))


def check_markup(xml: object, ns: str, in_scope: dict[str, str], path: str) -> None:
    """Refuse *xml* unless it reads back as the same Markup in a document of namespace *ns*."""
    if not isinstance(xml, str):
        raise EncodeError("markup must be a str", path=path)
    problem = _markup_verdict(xml, ns, _scope(xml, in_scope))
    if problem:
        raise EncodeError(f"markup {problem}", path=path)


@functools.lru_cache(maxsize=4096)
def _markup_verdict(xml: str, ns: str, scope: tuple[tuple[str, str], ...]) -> str:
    try:
        holder = _holder(xml, ns, scope, "")
    except EncodeError as exc:
        return f"is {exc.reason}"
    if not any(isinstance(child.tag, str) for child in holder):
        return "must hold at least one element"
    parts = [leading_text(holder, cdata="<![CDATA[" in xml)]
    for child in holder:
        if not isinstance(child.tag, str):
            return "holds a comment, processing instruction or entity, which do not read back"
        parts.append(standalone(child, ns, with_tail=True))
    if "".join(parts) != xml:
        return "is not worded as it reads back (write it as the decoder words it)"
    return ""


def check_unknown(unknown: object, parent: Element, ns: str, in_scope: dict[str, str], path: str) -> None:
    """Refuse *unknown* unless it reads back as the same Unknown inside *parent*."""
    if not isinstance(unknown, m.Unknown):
        raise EncodeError("unknown must hold Unknown values", path=path)
    xml = unknown.xml
    if not isinstance(xml, str):
        raise EncodeError("Unknown.xml must be a str", path=path)
    problem = _unknown_verdict(xml, parent.name, ns, _scope(xml, in_scope))
    if problem:
        raise EncodeError(f"Unknown {problem}", path=path)


@functools.lru_cache(maxsize=4096)
def _unknown_verdict(xml: str, parent_name: str, ns: str, scope: tuple[tuple[str, str], ...]) -> str:
    try:
        holder = _holder(xml, ns, scope, "")
    except EncodeError as exc:
        return f"is {exc.reason}"
    if holder.text or len(holder) != 1 or holder[0].tail or not isinstance(holder[0].tag, str):
        return "must hold exactly one element and nothing beside it"
    child = holder[0]
    local = etree.QName(child).localname
    parent = _BY_NAME[parent_name]
    if local in parent.by_name:
        return f"<{local}> is an element <{parent_name}> knows: it would read back as one"
    if local in COMMAND_CLASSES and any(c.kind is Kind.COMMAND for c in parent.children):
        return f"<{local}> is a command: it would read back as one"
    if standalone(child, ns, with_tail=False) != xml:
        return "is not worded as it reads back (write it as the decoder words it)"
    return ""


# --- the shared walk, for encoders that do not check as they write ----------------


def check_model(obj: m.SyncML | Iterable[m.Command]) -> None:
    """Check every Markup and Unknown value of a message or of bare commands."""
    if isinstance(obj, m.SyncML):
        ns = NAMESPACE_BY_VERSION.get(getattr(obj.header, "ver_dtd", ""), "")
        scope: dict[str, str] = dict(obj.namespaces) if isinstance(obj.namespaces, tuple) else {}
        body = obj.body
        if isinstance(body, m.SyncBody) and isinstance(body.namespaces, tuple):
            scope.update(body.namespaces)
        _walk(obj.header, ns, scope, "SyncML/SyncHdr")
        _walk(body, ns, scope, "SyncML/SyncBody")
    else:
        for index, command in enumerate(obj, 1):
            spec = ELEMENTS.get(type(command))
            _walk(command, "", {}, f"{spec.name if spec else 'command'}[{index}]")


@functools.cache
def _plan(spec: Element) -> tuple[tuple[str, bool, str], ...]:
    """(field, holds Data, child name) of the children that may hold Markup or Unknown."""
    # Every command choice shares the one ``commands`` field: list it once.
    plan: dict[str, tuple[str, bool, str]] = {}
    for child in spec.children:
        if child.kind in (Kind.DATA, Kind.NODE, Kind.COMMAND):
            plan.setdefault(child.field, (child.field, child.kind is Kind.DATA, child.name))
    return tuple(plan.values())


def _walk(root: Any, ns: str, scope: dict[str, str], path: str) -> None:
    # Depth first with one iterator per open tuple, so memory grows with the
    # depth, not with the siblings; a node's path is built only when it is
    # checked or has children (a flood of empty Items costs no strings).
    stack: list[tuple[Iterator[tuple[int, Any]], str, str]] = [(iter(((0, root),)), path, "")]
    while stack:
        nodes, parent, name = stack[-1]
        step = next(nodes, None)
        if step is None:
            stack.pop()
            continue
        index, obj = step
        spec = ELEMENTS.get(type(obj))
        if spec is None:
            continue  # the encoder names what is wrong with it
        where: str | None = None
        unknown = getattr(obj, "unknown", ())
        if unknown:
            where = _path(parent, name, index, obj)
            for item in unknown if isinstance(unknown, tuple) else (unknown,):
                check_unknown(item, spec, ns, scope, where)
        for field, is_data, child in _plan(spec):
            value = getattr(obj, field, None)
            if value is None or value == ():
                continue
            if where is None:
                where = _path(parent, name, index, obj)
            if is_data:
                if isinstance(value, m.Markup):
                    check_markup(value.xml, ns, scope, f"{where}/Data")
            elif isinstance(value, tuple):
                stack.append((enumerate(value, 1), where, child))
            else:
                stack.append((iter(((0, value),)), where, child))


def _path(parent: str, name: str, index: int, node: object) -> str:
    if not name:
        return parent
    return f"{parent}/{_name(node, name)}[{index}]" if index else f"{parent}/{name}"


def _name(node: object, fallback: str) -> str:
    spec = ELEMENTS.get(type(node))
    return spec.name if spec is not None else fallback
