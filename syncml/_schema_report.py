"""Schema violations in the words of a strict parse.

xmlschema reports what XSD calls each problem ("Unexpected child with tag
'{SYNCML:SYNCML1.2}Cmd' at position 3"), on the parent element; the decoder
says "unknown element <Cmd> in <Alert>" on the child.  This module turns the
first into the second, so a report from :func:`syncml.validate` and an error
from ``syncml.parse(..., strict=True)`` read alike and point at the same
element, with the decoder's path and position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from lxml import etree
from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError, XMLSchemaValidationError

from ._grammar import BY_NAME, COMMAND_CLASSES, NS_METINF, Kind
from ._strict import value_problem
from ._xml_decode import Decoder
from .errors import Violation

_WS = " \t\r\n"
_ATTRIBUTE = re.compile(r"'([^']+)' attribute not allowed")
_FIELD = re.compile(r"path='m:(\w+)")  # an at-most-once field of Meta's identity constraint
_CLARK = re.compile(r"'?\{([^}]*)\}([\w.-]+)'?")


def violation(decoder: Decoder, el: etree._Element, reason: str) -> Violation:
    """*reason* at *el*, with the decoder's path and the position in the caller's input."""
    line, column = decoder.source.position(decoder.root, el)
    return Violation(reason=reason, path=decoder.path(el), line=line, column=column)


def from_xmlschema(errors: Iterable[XMLSchemaValidationError], ns: str, decoder: Decoder) -> list[Violation]:
    """Every violation xmlschema found, in document order, without repeats."""
    order = {el: index for index, el in enumerate(decoder.root.iter(etree.Element))}
    found: dict[tuple[str, str], tuple[int, Violation]] = {}
    for error in errors:
        found_at = _culprit(error)
        if found_at is None:
            continue
        el, misplaced = found_at
        where = violation(decoder, el, _reason(error, el, misplaced, ns))
        found.setdefault((where.path, where.reason), (order.get(el, -1), where))
    return [where for _, where in sorted(found.values(), key=lambda pair: pair[0])]


def from_libxml2(validator: etree.XMLSchema, decoder: Decoder) -> list[Violation]:
    """libxml2's own messages, placed on the elements they name."""
    tree = decoder.root.getroottree()
    found = []
    for entry in cast("Iterable[etree._LogEntry]", validator.error_log):
        hits = tree.xpath(entry.path) if entry.path else []
        el = hits[0] if isinstance(hits, list) and hits and isinstance(hits[0], etree._Element) else decoder.root
        found.append(violation(decoder, el, entry.message))
    return found


def _culprit(error: XMLSchemaValidationError) -> tuple[etree._Element, bool] | None:
    """The element at fault, and whether it is there at all by mistake.

    xmlschema names the parent for a child it did not expect, and the Meta
    for a MetInf element given twice; the child itself is more useful.
    """
    el = error.elem
    if not isinstance(el, etree._Element):
        return None
    if isinstance(error, XMLSchemaChildrenValidationError) and 0 <= error.index < len(el):
        return el[error.index], True
    field = _FIELD.search(error.reason or "")
    if field is not None:
        again = [kid for kid in el if etree.QName(kid).localname == field.group(1)][1:2]
        if again:
            return again[0], True
    return el, False


def _reason(error: XMLSchemaValidationError, el: etree._Element, misplaced: bool, ns: str) -> str:
    """Word a violation the way a strict parse words the same problem."""
    local = etree.QName(el).localname
    parent = el.getparent()
    parent_local = etree.QName(parent).localname if parent is not None else ""
    reason = error.reason or "is not valid"
    if misplaced:
        return _unexpected(el, local, parent_local, ns)
    if isinstance(error, XMLSchemaChildrenValidationError):
        expected = [getattr(particle, "name", None) for particle in error.expected or ()]
        missing = ", ".join(_shown(name, ns) for name in expected if isinstance(name, str))
        return f"<{local}> is missing {missing or 'a child'}"
    attribute = _ATTRIBUTE.search(reason)
    if attribute is not None:
        return f"unexpected attribute {attribute.group(1)!r} on <{local}>"
    declared = BY_NAME[parent_local].by_name.get(local) if parent_local in BY_NAME else None
    if "content is empty" in reason or (declared is not None and declared.kind is Kind.FLAG):
        return f"<{local}> must be empty"
    if len(el) and declared is not None and declared.kind in (Kind.TEXT, Kind.RAW):
        return f"<{local}> must hold text, not <{etree.QName(el[0]).localname}>"
    if "character data" in reason:
        texts = [el.text, *(kid.tail for kid in el)]
        shown = next((text.strip(_WS) for text in texts if text and text.strip(_WS)), "")
        return f"text {shown[:20]!r} where only elements belong"
    value = el.text or ""
    problem = value_problem(parent_local, local, value)
    if local == "VerDTD":
        problem = f"is not the version the namespace {ns!r} names"
    return f"<{local}> {value!r} {problem or _names(reason, ns)}"


def _shown(name: str, ns: str) -> str:
    qname = etree.QName(name)
    if qname.namespace in (ns, NS_METINF):
        return f"<{qname.localname}>"
    return f"<{{{qname.namespace}}}{qname.localname}>"


def _names(text: str, ns: str) -> str:
    return _CLARK.sub(lambda match: _shown(f"{{{match.group(1)}}}{match.group(2)}", ns), text)


def _unexpected(el: etree._Element, local: str, parent: str, ns: str) -> str:
    """Why a child is not allowed where it is: the decoder's words for each case."""
    spec = BY_NAME.get(parent)
    child_ns = etree.QName(el).namespace or ""
    child = spec.by_name.get(local) if spec is not None else None
    if spec is not None and child is not None and child.quirk is not None:
        return f"<{local}> in <{parent}> is not in the DTD"
    if spec is None or child is None:
        if local in COMMAND_CLASSES and spec is not None and any(c.kind is Kind.COMMAND for c in spec.children):
            return f"<{local}> is not allowed in <{parent}> by the DTD"
        return f"unknown element <{local}> in <{parent}>"
    wanted = NS_METINF if child.metinf else ns
    if child_ns != wanted:
        return f"<{local}> in the wrong namespace {child_ns!r}, not {wanted!r}"
    before = {etree.QName(sibling).localname for sibling in el.itersiblings(preceding=True)}
    if local in before and not child.occurs.repeats:
        return f"more than one <{local}> in <{parent}>"
    after = {etree.QName(sibling).localname for sibling in el.itersiblings()}
    missing = [c.name for c in spec.children if c.index < child.index and c.occurs.required and c.name not in before]
    if missing and not set(missing) & after:
        return f"<{parent}> is missing <{missing[0]}>"
    return f"<{local}> out of order in <{parent}>"
