"""Strict parsing agrees with the schemas, and the two schema validators agree.

For every hand-written example, every corpus message and a few thousand
mutations of them (an element dropped, duplicated, moved, renamed or put in
another namespace; a value replaced; an attribute, stray text, a CDATA
section or a child added), four verdicts must be the same:

- ``syncml.parse(data, strict=True)`` succeeds;
- ``syncml.validate(data)`` passes;
- libxml2 (``lxml.etree.XMLSchema``) accepts the tree ``validate`` prepares;
- xmlschema accepts the same tree.

Any disagreement fails.  Mutations come from a seeded generator, so a failure
names its seed file and mutation and replays.  ``SYNCML_MUTATIONS`` raises
the number of mutations (default 2400, split between the two seed sets).
"""

from __future__ import annotations

import copy
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

import syncml
from syncml import _schema, _schema_report
from syncml import model as m
from syncml._grammar import METINF_NAMES, NS_METINF, NS_MSFT, NS_SYNCML_11, NS_SYNCML_12, SYNCML_NAMES

from .conftest import EXAMPLES

MUTATIONS = int(os.environ.get("SYNCML_MUTATIONS", "2400"))
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# --- seeds ------------------------------------------------------------------------------

_ENVELOPE = m.SyncHdr(
    session_id="1",
    msg_id="1",
    target=m.Target(loc_uri="./device"),
    source=m.Source(loc_uri="https://mdm.example.com/omadm"),
)
_TREE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


def _tree(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(data.lstrip(), _TREE_PARSER)
    except etree.XMLSyntaxError:
        return None


def _wrapped(data: bytes) -> bytes | None:
    """A fragment's commands inside a whole message, so that they can be validated too."""
    try:
        commands = syncml.parse_commands(data)
    except syncml.DecodeError:
        return None
    return syncml.serialize(m.SyncML(header=_ENVELOPE, body=m.SyncBody(commands=tuple(commands), final=True)))


def _seeds(directory: Path, pattern: str) -> list[tuple[str, bytes]]:
    seeds = []
    for path in sorted(directory.glob(pattern)):
        data = path.read_bytes()
        seeds.append((path.name, data))
        root = _tree(data)
        if root is None or etree.QName(root).localname != "SyncML":
            wrapped = _wrapped(data)
            if wrapped is not None:
                seeds.append((f"{path.name} (wrapped)", wrapped))
    return seeds


# --- verdicts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdicts:
    parse: bool
    validate: bool
    libxml2: bool | None  # None: refused before any XSD validator ran
    xmlschema: bool | None

    @property
    def agree(self) -> bool:
        schema = {self.libxml2, self.xmlschema} - {None}
        return self.parse == self.validate and schema <= {self.validate}


def _parses(data: bytes) -> bool:
    try:
        syncml.parse(data, strict=True)
    except syncml.DecodeError:
        return False
    return True


def verdicts(data: bytes, *, full: bool = False) -> Verdicts:
    """The four verdicts; *full* also runs ``syncml.validate`` itself, report and all."""
    parse = _parses(data)
    try:
        document = _schema._document(data, syncml.DEFAULT_LIMITS)
    except syncml.SchemaError:
        return Verdicts(parse, False, None, None)
    libxml2 = bool(_schema._libxml2(document.ns).validate(document.root))
    xmlschema = not _schema._xmlschema_errors(document, first_only=True)
    validate = libxml2
    if full:
        violations = _violations(data)
        assert violations != [], "a SchemaError without violations"
        validate = violations is None
    return Verdicts(parse, validate, libxml2, xmlschema)


def _violations(data: bytes) -> list[syncml.Violation] | None:
    try:
        syncml.validate(data)
    except syncml.SchemaError as exc:
        return list(exc.violations)
    return None


@pytest.fixture(autouse=True)
def _no_libxml2_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    # The libxml2 report exists for a disagreement; here none may happen.
    def fail(*_: object) -> list[syncml.Violation]:
        raise AssertionError("xmlschema found nothing where libxml2 refused")

    monkeypatch.setattr(_schema_report, "from_libxml2", fail)


# --- mutations --------------------------------------------------------------------------

NAMES = [*sorted(SYNCML_NAMES | METINF_NAMES), "Foo", "Map", "Sync", "MetInf"]
NAMESPACES = [NS_SYNCML_12, NS_SYNCML_11, NS_METINF, "", "urn:example", "syncml:syncml1.2", "syncml:metinfo"]
VALUES = [
    "", " ", "\n", "0", "00", "1", "01", "+1", "-1", " 200 ", "200", "1201", "abc", "a b", " x", "x ",
    "DM/1.2", "DM/", "SyncML/1.2", "1.2", "1.1", "chr", "b64", "9" * 30, "\u0661", "0x0",
]  # fmt: skip
ATTRIBUTES = ["a", f"{{{NS_MSFT}}}originalerror", f"{{{XSI}}}type", "{http://www.w3.org/XML/1998/namespace}lang"]
STRAY = ["x", " ", "\n  ", "\u00a0"]

Mutation = Callable[[etree._Element, random.Random], str | None]


def _drop(el: etree._Element, rng: random.Random) -> str | None:
    parent = el.getparent()
    if parent is None:
        return None
    parent.remove(el)
    return "drop"


def _duplicate(el: etree._Element, rng: random.Random) -> str | None:
    if el.getparent() is None:
        return None
    el.addnext(copy.deepcopy(el))
    return "duplicate"


def _move(el: etree._Element, rng: random.Random) -> str | None:
    parent = el.getparent()
    if parent is None or len(parent) < 2:
        return None
    tail = el.tail
    parent.remove(el)
    el.tail = tail
    parent.insert(rng.randrange(len(parent) + 1), el)
    return "move"


def _rename(el: etree._Element, rng: random.Random) -> str | None:
    name = rng.choice(NAMES)
    el.tag = etree.QName(etree.QName(el).namespace, name).text
    return f"rename to {name}"


def _renamespace(el: etree._Element, rng: random.Random) -> str | None:
    ns = rng.choice(NAMESPACES)
    el.tag = etree.QName(ns or None, etree.QName(el).localname).text
    return f"namespace {ns!r}"


def _value(el: etree._Element, rng: random.Random) -> str | None:
    value = rng.choice(VALUES)
    el.text = value
    return f"text {value!r}"


def _attribute(el: etree._Element, rng: random.Random) -> str | None:
    name = rng.choice(ATTRIBUTES)
    el.set(name, "0x80070057")
    return f"attribute {name}"


def _stray(el: etree._Element, rng: random.Random) -> str | None:
    text = rng.choice(STRAY)
    if el.getparent() is not None and rng.random() < 0.5:
        el.tail = text
        return f"tail {text!r}"
    el.text = text
    return f"text {text!r}"


def _cdata(el: etree._Element, rng: random.Random) -> str | None:
    el.text = etree.CDATA(rng.choice([el.text or "", "", " ", "\n"]))
    return "CDATA"


def _insert(el: etree._Element, rng: random.Random) -> str | None:
    name = rng.choice(NAMES)
    child = etree.Element(etree.QName(etree.QName(el).namespace, name).text)
    el.insert(rng.randrange(len(el) + 1), child)
    return f"insert <{name}/>"


MUTATORS: list[Mutation] = [
    _drop, _duplicate, _move, _rename, _renamespace, _value, _attribute, _stray, _cdata, _insert,
]  # fmt: skip


def mutations(seeds: list[tuple[str, bytes]], count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """*count* mutants of the well-formed seeds, each named for replay."""
    rng = random.Random(seed)
    trees = [(name, root) for name, data in seeds if (root := _tree(data)) is not None]
    made = 0
    while made < count:
        name, root = rng.choice(trees)
        mutant = copy.deepcopy(root)
        el = rng.choice(list(mutant.iter(etree.Element)))
        what = rng.choice(MUTATORS)(el, rng)
        if what is None:
            continue
        made += 1
        yield f"{name}: {what} at {mutant.getroottree().getpath(el)}", etree.tostring(mutant)


def check(cases: Iterator[tuple[str, bytes]], *, full_every: int = 0) -> tuple[int, int]:
    """Assert agreement on every case; return (accepted, refused) counts."""
    accepted = refused = 0
    disagreements: list[str] = []
    for index, (name, data) in enumerate(cases):
        found = verdicts(data, full=bool(full_every) and index % full_every == 0)
        if not found.agree:
            disagreements.append(f"{name}: {found}\n    {data[:300]!r}")
        accepted += found.parse
        refused += not found.parse
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(disagreements[:10])
    return accepted, refused


# --- the tests --------------------------------------------------------------------------


def test_examples_agree() -> None:
    seeds = _seeds(EXAMPLES, "*.xml")
    accepted, _ = check(iter(seeds), full_every=1)
    # Every whole example is valid, and so is every wrapped fragment.
    assert accepted == sum(1 for name, _ in seeds if not name.startswith("fragment-") or "wrapped" in name)


def test_corpus_agrees(corpus_dir: Path) -> None:
    seeds = _seeds(corpus_dir, "*.*")
    accepted, refused = check(iter(seeds), full_every=1)
    assert accepted
    assert refused


def test_mutations_of_the_examples_agree() -> None:
    accepted, refused = check(mutations(_seeds(EXAMPLES, "*.xml"), MUTATIONS * 3 // 5, seed=3), full_every=40)
    # Mutations must exercise both outcomes for the agreement to mean something.
    assert accepted > MUTATIONS // 50
    assert refused > MUTATIONS // 5


def test_mutations_of_the_corpus_agree(corpus_dir: Path) -> None:
    seeds = [seed for seed in _seeds(corpus_dir, "*.*") if _parses(seed[1])]
    accepted, refused = check(mutations(seeds, MUTATIONS * 2 // 5, seed=4), full_every=40)
    assert accepted > MUTATIONS // 100
    assert refused > MUTATIONS // 10


def test_mutations_cover_every_kind() -> None:
    kinds = {what.split(": ", 1)[1].split(" ")[0] for what, _ in mutations(_seeds(EXAMPLES, "*.xml"), 500, seed=5)}
    assert kinds >= {"drop", "duplicate", "move", "rename", "namespace", "text", "attribute", "tail", "CDATA", "insert"}
