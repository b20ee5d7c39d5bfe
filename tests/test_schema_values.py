"""The XSD files against the grammar tables and the strict value rules.

- Every leaf has, in the XSDs, the value type :func:`syncml._strict.value_type`
  names; every content model has the grammar's children, order and
  cardinalities (MetInf inside Meta: any order, each at most once but EMI).
- Every value type's rule in ``syncml/_strict.py`` accepts exactly what the
  XSD type accepts, as strict parsing, libxml2 and xmlschema see it
  (hypothesis over awkward text: digits, signs, XML and Unicode spaces).
- Every type and element in the XSDs says what it is (xs:documentation).
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

import syncml
from syncml import _schema
from syncml._grammar import ELEMENTS, NS_SYNCML_11, NS_SYNCML_12, Element, Kind, Occurs
from syncml._strict import TYPE_RULES, value_type

XS = "{http://www.w3.org/2001/XMLSchema}"
DIR = _schema.schema_dir()
Particle = tuple[str, frozenset[str], int, int | None]  # (name or "choice", choice names, min, max)


def _xsd(name: str) -> etree._Element:
    return etree.parse(str(DIR / name)).getroot()


def _local(qname: str) -> str:
    return qname.rpartition(":")[2]


def _occurs(el: etree._Element) -> tuple[int, int | None]:
    high = el.get("maxOccurs", "1")
    return int(el.get("minOccurs", "1")), None if high == "unbounded" else int(high)


def _particles(container: etree._Element) -> list[Particle]:
    found: list[Particle] = []
    for node in container:
        if node.tag == f"{XS}sequence":
            found.extend(_particles(node))
        elif node.tag == f"{XS}choice":
            names = frozenset(_local(e.get("name") or e.get("ref") or "") for e in node if e.tag == f"{XS}element")
            found.append(("choice", names, *_occurs(node)))
        elif node.tag == f"{XS}element":
            found.append((_local(node.get("name") or node.get("ref") or ""), frozenset(), *_occurs(node)))
    return found


def _containers() -> dict[str, etree._Element]:
    """Element name -> the complexType that holds its content model."""
    found: dict[str, etree._Element] = {}
    for doc in (_xsd("syncml-dm.xsd"), _xsd("metinf.xsd")):
        named = {t.get("name"): t for t in doc.iterfind(f"{XS}complexType")}
        for decl in doc.iter(f"{XS}element"):
            name, kind = decl.get("name"), decl.get("type")
            if name and kind and _local(kind) in named:
                found[name] = named[_local(kind)]
            elif name and decl.find(f"{XS}complexType") is not None:
                found[name] = decl.find(f"{XS}complexType")  # type: ignore[assignment]
    return found


def _type_of(decl: etree._Element, simple_content: dict[str, str]) -> str | None:
    """The value type of a leaf declaration (None for a structured child)."""
    metinf = {e.get("name"): e for e in _xsd("metinf.xsd").iterfind(f"{XS}element")}
    if decl.get("ref", "").startswith("m:"):
        decl = metinf[_local(decl.get("ref", ""))]
    kind = _local(decl.get("type") or "")
    return simple_content.get(kind, kind) or None


def _xsd_leaf_types() -> dict[tuple[str, str], str]:
    dm = _xsd("syncml-dm.xsd")
    simple_content = {
        t.get("name", ""): _local(ext.get("base", ""))
        for t in dm.iterfind(f"{XS}complexType")
        for ext in t.iterfind(f"{XS}simpleContent/{XS}extension")
    }
    structured = (
        {t.get("name") for t in dm.iterfind(f"{XS}complexType")} - set(simple_content) - {"Empty", "ItemDataType"}
    )
    found = {}
    for owner, container in _containers().items():
        for decl in container.iter(f"{XS}element"):
            kind = _type_of(decl, simple_content)
            if kind is not None and kind not in structured:
                found[(owner, _local(decl.get("name") or decl.get("ref") or ""))] = kind
    return found


def _grammar_leaf_types() -> dict[tuple[str, str], str]:
    leaves = (Kind.TEXT, Kind.RAW, Kind.FLAG, Kind.DATA)
    return {
        (spec.name, c.name): value_type(spec.name, c)
        for spec in ELEMENTS.values()
        for c in spec.children
        if c.kind in leaves and c.quirk is None
    }


def test_every_leaf_has_the_type_the_strict_rules_name() -> None:
    # The standalone MetInf root is not in the grammar; its children are Meta's.
    xsd = {key: kind for key, kind in _xsd_leaf_types().items() if key[0] != "MetInf"}
    assert xsd == _grammar_leaf_types()


_BOUNDS = {Occurs.ONE: (1, 1), Occurs.OPT: (0, 1), Occurs.MANY: (0, None), Occurs.PLUS: (1, None)}


def _grammar_particles(spec: Element) -> list[Particle]:
    found: list[Particle] = []
    for child in spec.children:
        if child.quirk is not None:
            continue
        if child.kind is Kind.COMMAND:
            if not found or found[-1][0] != "choice":
                found.append(("choice", frozenset(), *_BOUNDS[child.occurs]))
            name, names, low, high = found[-1]
            found[-1] = (name, names | {child.name}, low, high)
        else:
            found.append((child.name, frozenset(), *_BOUNDS[child.occurs]))
    return found


@pytest.mark.parametrize("name", sorted(spec.name for spec in ELEMENTS.values() if not spec.any_order))
def test_every_content_model_matches_the_grammar(name: str) -> None:
    spec = next(s for s in ELEMENTS.values() if s.name == name)
    assert _particles(_containers()[name]) == _grammar_particles(spec)


def test_meta_takes_metinf_in_any_order_each_at_most_once_but_emi() -> None:
    spec = next(s for s in ELEMENTS.values() if s.any_order)
    meta = _containers()["Meta"]
    assert _particles(meta) == [("choice", frozenset(c.name for c in spec.children), 0, None)]
    decl = next(e for e in _xsd("syncml-dm.xsd").iterfind(f"{XS}element") if e.get("name") == "Meta")
    fields = {f.get("xpath", "").split("/")[0][2:] for f in decl.iter(f"{XS}field")}
    assert fields == {c.name for c in spec.children if not c.occurs.repeats}


def test_every_type_and_element_is_documented() -> None:
    undocumented = []
    for path in sorted(DIR.glob("*.xsd")):
        doc = etree.parse(str(path)).getroot()
        for node in doc:
            if node.tag in (f"{XS}complexType", f"{XS}simpleType", f"{XS}element"):
                text = node.findtext(f"{XS}annotation/{XS}documentation") or ""
                if len(text.split()) < 3:
                    undocumented.append(f"{path.name}: {node.get('name')}")
    assert not undocumented


def test_the_two_versions_differ_only_in_namespace_and_verdtd() -> None:
    # syncml11.xsd is written from syncml-dm.xsd and syncml12.xsd by a script.
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_syncml11_xsd.py"
    spec = importlib.util.spec_from_file_location("build_syncml11_xsd", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DIR / "syncml11.xsd").read_text(encoding="utf-8") == module.build(DIR)


# --- values -------------------------------------------------------------------------------

HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>{VerProtoValue}</VerProto><SessionID>{NonEmptyToken}</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI><LocName>{Token}</LocName>"
    "</Source></SyncHdr>"
)
BODY = (
    "<SyncBody><Alert><CmdID>{CmdIDValue}</CmdID><Data>{Code}</Data></Alert>"
    '<Add><CmdID>2</CmdID><Meta><Size xmlns="syncml:metinf">{Count}</Size></Meta><Item/></Add></SyncBody>'
)
FINE = {"Token": "t", "NonEmptyToken": "n", "CmdIDValue": "1", "Code": "200", "Count": "5", "VerProtoValue": "DM/1.2"}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")


def document(name: str, value: str) -> bytes:
    """A message that is valid except, perhaps, for *value* in a leaf of type *name*."""
    values = {**FINE, name: _escape(value)}
    return f'<SyncML xmlns="SYNCML:SYNCML1.2">{HDR.format(**values)}{BODY.format(**values)}</SyncML>'.encode()


def judges(data: bytes) -> tuple[bool, bool, bool]:
    """(strict parse, libxml2, xmlschema) on one document."""
    try:
        syncml.parse(data, strict=True)
        parsed = True
    except syncml.DecodeError:
        parsed = False
    prepared = _schema._document(data, syncml.DEFAULT_LIMITS)
    libxml2 = bool(_schema._libxml2(prepared.ns).validate(prepared.root))
    return parsed, libxml2, not _schema._xmlschema_errors(prepared, first_only=True)


AWKWARD = st.text(st.sampled_from(list("0123456789 \t\r\nDM/.+-x\u00a0\u2028\u3000\u0661\uff10")), max_size=7)


@pytest.mark.parametrize("name", sorted(FINE))
def test_the_document_is_valid_with_fine_values(name: str) -> None:
    assert judges(document(name, FINE[name])) == (True, True, True)


@pytest.mark.parametrize("name", sorted(FINE))
@given(value=AWKWARD)
@example(value=" ")
@example(value="0")
@example(value="\u00a0200")
@example(value="DM/\u00a0")
def test_each_value_rule_is_its_xsd_type(name: str, value: str) -> None:
    expected = TYPE_RULES[name](value) is None
    assert judges(document(name, value)) == (expected, expected, expected)


@pytest.mark.parametrize(("ns", "good", "bad"), [(NS_SYNCML_12, "1.2", "1.1"), (NS_SYNCML_11, "1.1", "1.2")])
def test_verdtd_names_the_namespace_version(ns: str, good: str, bad: str) -> None:
    def message(ver: str) -> bytes:
        return (
            document("Token", "t")
            .replace(b"1.2</VerDTD>", f"{ver}</VerDTD>".encode())
            .replace(NS_SYNCML_12.encode(), ns.encode())
        )

    assert judges(message(good)) == (True, True, True)
    assert judges(message(bad)) == (False, False, False)


def test_every_rule_has_a_type_in_the_schemas() -> None:
    types = defaultdict(set)
    for doc in ("syncml-values.xsd", "syncml12.xsd"):
        for node in _xsd(doc).iterfind(f"{XS}simpleType"):
            types["simple"].add(node.get("name"))
    assert set(TYPE_RULES) <= types["simple"]
