"""Validation against our XSDs: :func:`syncml.validate`.

The schemas live in ``schemas/`` (``syncml12.xsd``, ``syncml11.xsd``, which
include ``syncml-dm.xsd`` and ``syncml-values.xsd`` and import
``metinf.xsd``); the wheel carries them as ``syncml/schemas``.

Input goes through the same hardened front end as :func:`syncml.parse`
(strict), so no DTD, entity or network is ever processed, then the lxml tree
is validated.  Two validators read the same files: libxml2
(``lxml.etree.XMLSchema``) answers yes or no on every call, quickly;
xmlschema, pure Python and far slower, runs only when the answer is no, to
list every violation with its element path.  ``tests/test_schema_agreement.py``
holds both, and strict parsing, to the same verdicts.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import xmlschema
from lxml import etree
from xmlschema.aliases import ElementType
from xmlschema.validators import XsdElement
from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError, XMLSchemaValidationError

from . import model as m
from ._api import serialize
from ._grammar import BY_NAME, COMMAND_CLASSES, NS_METINF, NS_SYNCML_11, NS_SYNCML_12, Kind
from ._strict import value_problem
from ._xml_decode import Decoder
from ._xmlfront import parse_tree, prepare
from .errors import DecodeError, SchemaError, SyncMLError, Violation
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["SCHEMA_FILES", "schema_dir", "validate"]

#: The schema to validate against, by the root element's namespace.
SCHEMA_FILES = {NS_SYNCML_12: "syncml12.xsd", NS_SYNCML_11: "syncml11.xsd"}

XSI = "http://www.w3.org/2001/XMLSchema-instance"

_PACKAGED = Path(__file__).resolve().parent / "schemas"  # inside an installed wheel
_CHECKOUT = Path(__file__).resolve().parent.parent / "schemas"  # editable install, source tree


def schema_dir() -> Path:
    """The directory holding the XSDs: in the package when installed, else the repository's."""
    for candidate in (_PACKAGED, _CHECKOUT):
        if (candidate / SCHEMA_FILES[NS_SYNCML_12]).is_file():
            return candidate
    raise SyncMLError(f"the syncml XSDs are missing: looked in {_PACKAGED} and {_CHECKOUT}")


def validate(message: bytes | str | m.SyncML, *, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check a message against the syncml XSDs (SyncML 1.2 or 1.1 with MetInf).

    Accepts exactly what ``syncml.parse(data, strict=True)`` accepts.  Given
    a :class:`~syncml.SyncML` model, validates what :func:`syncml.serialize`
    writes for it.

    Raises:
        SchemaError: listing every violation (reason, element path, line and
            column); input the front end refuses (malformed XML, a DOCTYPE
            with an internal subset, over a limit) is one violation.
        EncodeError: when a model cannot be serialized at all.
    """
    document = _document(message, limits)
    validator = _libxml2(document.ns)
    if validator.validate(document.root):
        return
    raise SchemaError(_report(document) or _libxml2_report(validator, document))


@dataclass(frozen=True, slots=True)
class _Document:
    """A tree ready for the XSD validators, with what reporting needs."""

    ns: str  # the root's namespace: picks the schema
    root: etree._Element
    decoder: Decoder  # names paths, finds positions


def _document(message: bytes | str | m.SyncML, limits: Limits) -> _Document:
    """Everything before the XSDs: front end, limits, root, schema hints.

    Raises SchemaError for what the XSD validators must never see (or would
    wrongly accept).
    """
    data = serialize(message) if isinstance(message, m.SyncML) else message
    try:
        source = prepare(data, strict=True, limits=limits)
        root = parse_tree(source, limits)
        # The decoder's constructor applies the node limit and refuses entity
        # references; it also knows how to name a path and find a position.
        decoder = Decoder(source, root, strict=True, keep_unknown=False, limits=limits)
    except DecodeError as exc:
        where = Violation(reason=exc.reason, path=exc.path or "", line=exc.line, column=exc.column)
        raise SchemaError([where], status=exc.status) from exc
    ns = _document_namespace(root, decoder)
    early = _schema_hints(root, ns, decoder) + _too_deep(root, decoder, limits)
    if early:
        raise SchemaError(early)
    if decoder.has_cdata:
        _plain_text(root)
    return _Document(ns, root, decoder)


# --- before the schema ----------------------------------------------------------


def _violation(decoder: Decoder, el: etree._Element, reason: str) -> Violation:
    line, column = decoder.source.position(decoder.root, el)
    return Violation(reason=reason, path=decoder.path(el), line=line, column=column)


def _document_namespace(root: etree._Element, decoder: Decoder) -> str:
    """The root must be SyncML in a namespace we have a schema for.

    The XSDs also declare Meta and the MetInf elements globally (to refer to
    them), which would make them acceptable roots to a plain XSD validator.
    """
    qname = etree.QName(root)
    ns, local = qname.namespace or "", qname.localname
    if local == "SyncML" and ns in SCHEMA_FILES:
        return ns
    status = 400
    if local != "SyncML":
        reason = f"not a SyncML message: the root element is <{local}>"
    elif ns.upper().startswith("SYNCML:SYNCML") and ns.upper() not in SCHEMA_FILES:
        reason, status = f"unsupported SyncML version {ns!r}", 505
    else:
        reason = f"<SyncML> must be in namespace {NS_SYNCML_12!r} or {NS_SYNCML_11!r}, not {ns!r}"
    raise SchemaError([_violation(decoder, root, reason)], status=status)


_HINTS = etree.XPath("//@*[namespace-uri() = $xsi]")


def _schema_hints(root: etree._Element, ns: str, decoder: Decoder) -> list[Violation]:
    """Refuse xsi:type, xsi:nil, xsi:schemaLocation ... outside Data markup.

    An XSD validator obeys them (a message could pick its own types or point
    at a schema to fetch), while the codec sees plain attributes.  Inside
    Item/Data markup they are content, skipped by the schema and kept by the
    codec.
    """
    if not decoder.check_attributes:
        return []
    found = []
    for attribute in _HINTS(root, xsi=XSI):  # type: ignore[union-attr]
        owner = attribute.getparent()  # type: ignore[union-attr]
        if owner is None or _inside_data(owner, ns):
            continue
        name = etree.QName(attribute.attrname).localname  # type: ignore[union-attr]
        where = etree.QName(owner).localname
        reason = f"schema-instance attribute xsi:{name} on <{where}>: a message cannot choose its schema"
        found.append(_violation(decoder, owner, reason))
    return found


def _inside_data(el: etree._Element, ns: str) -> bool:
    return any(ancestor.tag == f"{{{ns}}}Data" for ancestor in el.iterancestors())


@functools.lru_cache(maxsize=8)
def _depth_probe(max_depth: int) -> etree.XPath:
    # True when some element sits deeper than max_depth (the root is at 1).
    return etree.XPath("boolean(" + "/*" * (max_depth + 1) + ")")


def _too_deep(root: etree._Element, decoder: Decoder, limits: Limits) -> list[Violation]:
    """The decoder's depth limit, which strict parsing applies during its walk."""
    if not _depth_probe(limits.max_depth)(root):
        return []
    deepest = next(el for el in root.iter(etree.Element) if sum(1 for _ in el.iterancestors()) >= limits.max_depth)
    return [_violation(decoder, deepest, f"nesting deeper than {limits.max_depth} elements")]


def _plain_text(root: etree._Element) -> None:
    """Turn CDATA sections into plain text, as the XML Infoset sees them.

    libxml2 counts a CDATA section in element-only or EMPTY content as
    character content even when it holds only whitespace, or nothing; XSD
    (and xmlschema, and strict parsing) see only the characters.  Values
    are unchanged, so simple types validate the same.
    """
    for el in root.iter(etree.Element):
        if el.text is not None:
            el.text = el.text or None
        if el.tail is not None:
            el.tail = el.tail or None


# --- the validators -----------------------------------------------------------------

_local = threading.local()  # libxml2 validators are not shared between threads
_xsd_parser_options = {"resolve_entities": False, "no_network": True, "load_dtd": False}


def _libxml2(ns: str) -> etree.XMLSchema:
    validators: dict[str, etree.XMLSchema] | None = getattr(_local, "validators", None)
    if validators is None:
        validators = _local.validators = {}
    validator = validators.get(ns)
    if validator is None:
        path = schema_dir() / SCHEMA_FILES[ns]
        document = etree.parse(str(path), etree.XMLParser(**_xsd_parser_options))  # type: ignore[arg-type]
        validator = validators[ns] = etree.XMLSchema(document)
    return validator


_xmlschema_lock = threading.Lock()


@functools.cache
def _xmlschema(ns: str) -> xmlschema.XMLSchema10:
    # "local": no network, ever (the instance is a tree already, so nothing
    # else is read; "sandbox" would refuse an in-memory instance).
    return xmlschema.XMLSchema10(str(schema_dir() / SCHEMA_FILES[ns]), allow="local")


# --- the report ---------------------------------------------------------------------


def _xmlschema_errors(document: _Document, *, first_only: bool = False) -> list[XMLSchemaValidationError]:
    """What xmlschema finds wrong with the document (only the first, if asked)."""
    tree = etree.ElementTree(document.root)
    with _xmlschema_lock:
        found = _xmlschema(document.ns).iter_errors(tree, use_location_hints=False, extra_validator=_xml_whitespace)
        return list(itertools.islice(found, 1) if first_only else found)


def _xml_whitespace(el: ElementType, declaration: XsdElement) -> None:
    """Hold xmlschema to XML's whitespace: space, tab, CR and LF only (XML 1.0, S).

    xmlschema strips and collapses with Python's str.strip() and str.split(),
    which also remove U+00A0 and the other Unicode spaces, so it would accept
    them around elements and around a code (Status/Data is an integer type,
    whose whitespace collapses).  libxml2 and the decoder do not; this check
    runs beside xmlschema's own, on every element it validates.
    """
    kind = declaration.type
    if kind.has_mixed_content():
        return
    if kind.is_simple() or kind.has_simple_content():
        simple = kind if kind.is_simple() else getattr(kind, "content", None)
        value = (el.text or "").strip(_WS)
        if getattr(simple, "white_space", None) == "collapse" and value and (value[0].isspace() or value[-1].isspace()):
            raise XMLSchemaValidationError(declaration, el, reason=f"{value!r} is not a valid value")
        return
    for text in (el.text, *(child.tail for child in el)):
        if text and text.strip(_WS) and not text.strip():
            what = (
                "is not allowed because content is empty" if kind.is_empty() else "between child elements not allowed"
            )
            raise XMLSchemaValidationError(declaration, el, reason=f"character data {what}")


def _report(document: _Document) -> list[Violation]:
    """Every violation xmlschema finds, in document order, without repeats."""
    ns, root, decoder = document.ns, document.root, document.decoder
    errors = _xmlschema_errors(document)
    order = {el: index for index, el in enumerate(root.iter(etree.Element))}
    found: dict[tuple[str, str], tuple[int, Violation]] = {}
    for error in errors:
        found_at = _culprit(error)
        if found_at is None:
            continue
        el, misplaced = found_at
        violation = _violation(decoder, el, _reason(error, el, misplaced, ns))
        found.setdefault((violation.path, violation.reason), (order.get(el, -1), violation))
    return [violation for _, violation in sorted(found.values(), key=lambda pair: pair[0])]


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
    if "character data" in reason:
        texts = [el.text, *(kid.tail for kid in el)]
        shown = next((text.strip(_WS) for text in texts if text and text.strip(_WS)), "")
        return f"text {shown[:20]!r} where only elements belong"
    value = el.text or ""
    problem = value_problem(parent_local, local, value)
    if local == "VerDTD":
        problem = f"is not the version the namespace {ns!r} names"
    return f"<{local}> {value!r} {problem or _names(reason, ns)}"


_WS = " \t\r\n"
_ATTRIBUTE = re.compile(r"'([^']+)' attribute not allowed")
_FIELD = re.compile(r"path='m:(\w+)")
_CLARK = re.compile(r"'?\{([^}]*)\}([\w.-]+)'?")


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
    if spec is None or child is None or child.quirk is not None:
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


def _libxml2_report(validator: etree.XMLSchema, document: _Document) -> list[Violation]:
    """libxml2's own messages: used only if xmlschema found nothing (they disagree)."""
    root, decoder = document.root, document.decoder
    tree = root.getroottree()
    found = []
    for entry in cast("Iterable[etree._LogEntry]", validator.error_log):
        hits = tree.xpath(entry.path) if entry.path else []
        el = hits[0] if isinstance(hits, list) and hits and isinstance(hits[0], etree._Element) else root
        found.append(_violation(decoder, el, entry.message))
    return found
