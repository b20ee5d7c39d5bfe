"""The XSDs through xsdata, a code generator that reads them as any XSD tool would.

``xsdata generate`` runs once on ``schemas/`` (as shipped: the package's copy
when installed) into a temporary package.  Every example message of
``tests/examples/`` (OMA DM and SyncML DS, SyncML 1.2 and 1.1) is parsed into
the generated classes by xsdata's ``XmlParser``, refusing any element,
attribute or value it cannot place, and written again by its
``XmlSerializer``.  ``syncml.parse`` then reads the original and xsdata's
output, and the two models must be equal once :func:`infoset` has forgotten
what XML leaves to the writer:

- where namespaces are declared and under which prefix (the ``namespaces``
  fields, the prefixes inside ``Markup``): xsdata declares MetInf and embedded
  namespaces on each element with prefixes of its own (ns1 ...);
- CDATA sections: xsdata writes their characters as escaped text, the same
  text to an XML reader.

Every value stays exactly as written (identifiers, codes, whitespace inside
Data), and so do element order, command order and attributes, so a schema
that misplaces a type, loses an element or reorders a choice fails here.
Hypothesis does the same with generated DM and DS messages, leaving out the
one thing xsdata's parser drops: text that is only whitespace (by Python's
``str.strip``) inside Data, as ``<Data> </Data>`` or between markup elements.
``--compound-fields`` makes xsdata keep a repeated choice (the commands of
SyncBody, MetInf inside Meta) as one ordered list; without it command order
is lost (docs/conformance.md).

The tests skip when xsdata's command line is not installed, except under
``CI=true``, where the ``test`` extra installs it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from xml.etree.ElementTree import canonicalize

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

import syncml
from syncml import _schema
from syncml import model as m
from syncml import strategies as sts
from syncml._grammar import NS_SYNCML_11, NS_SYNCML_12
from syncml.ds import strategies as st_ds

from .conftest import EXAMPLES

if TYPE_CHECKING:
    from xsdata.formats.dataclass.parsers import XmlParser

PACKAGE = "syncml_xsdata_generated"
NS_METINF = "syncml:metinf"

#: Every example that is a whole message (the fragment-* files are not).
MESSAGES = sorted(p for p in EXAMPLES.glob("*.xml") if not p.name.startswith("fragment-"))


@dataclasses.dataclass
class Generated:
    """The generated package: its modules and what the generator printed."""

    modules: dict[str, ModuleType]
    log: str

    def syncml_module(self, namespace: str) -> ModuleType:
        """The module of the SyncML content models in *namespace*."""
        return self.modules[{NS_SYNCML_12: "syncml_dm", NS_SYNCML_11: "syncml11"}[namespace]]

    def root_class(self, namespace: str) -> type:
        found: type = self.syncml_module(namespace).SyncMl
        return found

    def round_trip(self, data: bytes) -> bytes:
        """*data* parsed into the generated classes and written again, by xsdata."""
        from xsdata.formats.dataclass.serializers import XmlSerializer

        namespace = etree.QName(etree.fromstring(data)).namespace or ""
        instance: object = self.parser.from_bytes(data, self.root_class(namespace))
        written: str = XmlSerializer(context=self.parser.context).render(instance, ns_map={None: namespace})
        return written.encode()

    @functools.cached_property
    def parser(self) -> XmlParser:
        """One parser, so xsdata builds each class's metadata once; strict about what it cannot place."""
        from xsdata.formats.dataclass.parsers import XmlParser
        from xsdata.formats.dataclass.parsers.config import ParserConfig

        strict = ParserConfig(
            fail_on_unknown_properties=True, fail_on_unknown_attributes=True, fail_on_converter_warnings=True
        )
        return XmlParser(config=strict)


def _xsdata_cli() -> None:
    if os.environ.get("CI") == "true":
        import xsdata.cli  # noqa: F401  (CI installs the test extra: a missing xsdata fails)
    else:
        pytest.importorskip("xsdata.cli", reason="xsdata[cli] is not installed", exc_type=ImportError)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    _xsdata_cli()
    out = tmp_path_factory.mktemp("xsdata")
    command = [sys.executable, "-m", "xsdata", "generate", str(_schema.schema_dir()), "--package", PACKAGE]
    command.append("--compound-fields")  # keeps the order of repeated choices (the module docstring)
    # xsdata formats its output with the ruff command: the one beside this Python.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    environment = {**os.environ, "PATH": path}
    done = subprocess.run(command, cwd=out, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(out))
    try:
        names = sorted(p.stem for p in (out / PACKAGE).glob("*.py") if p.stem != "__init__")
        modules = {name: importlib.import_module(f"{PACKAGE}.{name}") for name in names}
        yield Generated(modules, done.stdout + done.stderr)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_every_schema_generates_and_every_type_resolves(generated: Generated) -> None:
    # An unresolved type is a warning ("Reset absent type"), not an error.
    assert "warning" not in generated.log.lower(), generated.log
    assert set(generated.modules) == {p.stem.replace("-", "_") for p in _schema.schema_dir().glob("*.xsd")}


@pytest.mark.parametrize("namespace", [NS_SYNCML_12, NS_SYNCML_11])
def test_each_version_has_its_own_classes_with_every_metinf_element(generated: Generated, namespace: str) -> None:
    module = generated.syncml_module(namespace)
    assert module.SyncMl.Meta.namespace == namespace
    (choice,) = dataclasses.fields(module.MetaType)
    names = {(c["namespace"], c["name"]) for c in choice.metadata["choices"]}
    metinf = {"FieldLevel", "Format", "Type", "Mark", "Size", "Anchor", "Version", "NextNonce"}
    assert names == {(NS_METINF, name) for name in metinf | {"MaxMsgSize", "MaxObjSize", "EMI", "Mem"}}


def test_a_message_of_one_version_does_not_fit_the_other(generated: Generated) -> None:
    from xsdata.exceptions import ParserError
    from xsdata.formats.dataclass.parsers import XmlParser

    with pytest.raises(ParserError):
        XmlParser().from_bytes((EXAMPLES / "server-atomic.xml").read_bytes(), generated.root_class(NS_SYNCML_11))


def test_the_examples_cover_both_versions_and_both_protocols() -> None:
    heads = [syncml.parse(p.read_bytes()).header for p in MESSAGES]
    assert {h.ver_dtd for h in heads} == {"1.1", "1.2"}
    assert {h.ver_proto.split("/")[0] for h in heads} == {"DM", "SyncML"}


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.stem)
def test_each_example_round_trips_through_the_generated_classes(generated: Generated, path: Path) -> None:
    data = path.read_bytes()
    written = generated.round_trip(data)
    syncml.validate(written)
    assert infoset(syncml.parse(written)) == infoset(syncml.parse(data))


# Drawing whole messages costs most of this test's time; the examples above
# cover the real shapes, this the breadth (1 000 draws passed when written).
@settings(max_examples=40)
@given(message=st.one_of(sts.messages(), st_ds.ds_messages()))
def test_generated_messages_round_trip_through_the_generated_classes(generated: Generated, message: m.SyncML) -> None:
    assume(not _blank_data_text(message))
    data = syncml.serialize(message)
    written = generated.round_trip(data)
    syncml.validate(written)
    assert infoset(syncml.parse(written)) == infoset(syncml.parse(data))


def test_xsdata_drops_blank_text_in_data(generated: Generated) -> None:
    # Why the property above leaves such messages out (docs/conformance.md).
    data = (EXAMPLES / "server-atomic.xml").read_bytes().replace(b"<Data>true</Data>", b"<Data> </Data>")
    assert _blank_data_text(syncml.parse(data))
    assert b"<Data/>" in generated.round_trip(data)


def _blank_data_text(value: object) -> bool:
    """Whether some Item's Data holds a text node that is only whitespace."""
    if isinstance(value, m.Item):
        return any(text and not text.strip() for text in _data_texts(value.data))
    if isinstance(value, tuple):
        return any(_blank_data_text(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_blank_data_text(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def _data_texts(data: m.Data | None) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, m.CData):
        return [data.text]
    if isinstance(data, m.Markup):
        root = etree.fromstring(_wrapped(data))
        return [text for el in root.iter() for text in (el.text, el.tail) if text]
    return []


def test_infoset_forgets_prefixes_and_cdata_but_not_text() -> None:
    assert infoset(m.CData(text="a<b")) == "a<b"
    written = m.Markup(xml='<x:A xmlns:x="u">t</x:A>')
    assert infoset(written) == infoset(m.Markup(xml='<A xmlns="u">t</A>'))
    assert infoset(written) != infoset(m.Markup(xml='<A xmlns="u">t </A>'))
    assert infoset(written) != infoset(m.Markup(xml='<A xmlns="v">t</A>'))


def infoset(value: object) -> object:
    """*value* (a model or part of one) without what XML leaves to the writer.

    ``namespaces`` fields become empty, ``Markup`` becomes its canonical XML
    (C14N 2.0, prefixes rewritten, inside the message's default namespace),
    ``CData`` its text; everything else is compared as it is.
    """
    if isinstance(value, m.CData):
        return value.text
    if isinstance(value, m.Markup):
        return canonicalize(_wrapped(value), rewrite_prefixes=True)
    if isinstance(value, tuple):
        return tuple(infoset(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: infoset(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        if "namespaces" in fields:
            fields["namespaces"] = ()
        return (type(value), fields)
    return value


def _wrapped(markup: m.Markup) -> str:
    """*markup* as a document, inside Data (it declares every prefix it uses)."""
    return f'<Data xmlns="{NS_SYNCML_12}">{markup.xml}</Data>'
