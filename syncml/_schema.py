"""Validation against our XSDs: :func:`syncml.validate`.

The schemas live in ``schemas/`` (``syncml12.xsd``, which includes
``syncml-dm.xsd``, and ``syncml11.xsd``, its copy in the 1.1 namespace; both
import ``metinf.xsd`` and the value types it includes); the wheel carries them
as ``syncml/schemas``.

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
import threading
from dataclasses import dataclass
from pathlib import Path

import xmlschema
from lxml import etree
from xmlschema.aliases import ElementType
from xmlschema.validators import XsdElement
from xmlschema.validators.exceptions import XMLSchemaValidationError

from . import _schema_report as report
from . import model as m
from ._api import serialize
from ._grammar import NS_SYNCML_11, NS_SYNCML_12
from ._xml_decode import Decoder
from ._xmlfront import parse_tree, prepare
from .errors import DecodeError, SchemaError, SyncMLError, Violation
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["SCHEMA_FILES", "schema_dir", "validate"]

#: The schema to validate against, by the root element's namespace.
SCHEMA_FILES = {NS_SYNCML_12: "syncml12.xsd", NS_SYNCML_11: "syncml11.xsd"}

XSI = "http://www.w3.org/2001/XMLSchema-instance"

_WS = " \t\r\n"  # XML's whitespace (XML 1.0, production S)

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
    errors = _xmlschema_errors(document)
    # Both validators read the same files and the agreement tests hold them
    # to one verdict; should xmlschema ever find nothing, libxml2 still says why.
    found = report.from_xmlschema(errors, document.ns, document.decoder)
    raise SchemaError(found or report.from_libxml2(validator, document.decoder))


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
    raise SchemaError([report.violation(decoder, root, reason)], status=status)


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
        found.append(report.violation(decoder, owner, reason))
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
    return [report.violation(decoder, deepest, f"nesting deeper than {limits.max_depth} elements")]


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


# --- xmlschema, for the report ------------------------------------------------------


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
