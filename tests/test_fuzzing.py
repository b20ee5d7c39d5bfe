"""The structure-aware mutator, and the promise it is used to check.

The central property: valid messages from ``syncml.strategies``, mutated by
``syncml.fuzzing``, end in a model or a SyncMLError, and an accepted model
round-trips.  Around it, the mutator's own contract: seeded, bounded,
each mutation kind doing what it says, standard library only at import.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import syncml
from syncml import fuzzing
from syncml import model as m
from syncml import strategies as sst
from syncml._grammar import METINF_NAMES, SYNCML_NAMES
from syncml.fuzzing import Mutation, mutate

SEEDS = st.integers(0, 2**32 - 1)
MSG = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>S</LocURI></Target><Source><LocURI>D</LocURI>"
    b'</Source></SyncHdr><SyncBody><Get><CmdID>2</CmdID><Item><Meta><Type xmlns="syncml:metinf">text/plain</Type>'
    b"</Meta><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item></Get><Final/></SyncBody></SyncML>"
)


def _accepts_or_refuses(data: bytes, *, fragment: bool) -> None:
    """The invariant every harness checks, in lenient and strict mode."""
    for strict in (False, True):
        try:
            if fragment:
                commands = syncml.parse_commands(data, strict=strict)
            else:
                msg = syncml.parse(data, strict=strict)
        except syncml.SyncMLError:
            continue
        if fragment:
            assert syncml.parse_commands(syncml.serialize_commands(commands)) == commands
        else:
            assert syncml.parse(syncml.serialize(msg)) == msg


# --- the structure-aware property ------------------------------------------------


@given(sst.messages(max_commands=3), SEEDS, st.integers(1, 3))
def test_mutated_message_parses_or_raises_syncml_error(msg: m.SyncML, seed: int, count: int) -> None:
    """Any mutation of a valid message ends in a model or SyncMLError; an accepted model round-trips."""
    _accepts_or_refuses(mutate(syncml.serialize(msg), seed, count=count), fragment=False)


@given(st.lists(sst.commands(max_items=2), min_size=1, max_size=3), SEEDS)
def test_mutated_fragment_parses_or_raises_syncml_error(commands: list[m.Command], seed: int) -> None:
    _accepts_or_refuses(mutate(syncml.serialize_commands(commands), seed), fragment=True)


@given(sst.messages(max_commands=2), SEEDS, st.sampled_from(list(Mutation)))
def test_every_mutation_kind_keeps_the_promise(msg: m.SyncML, seed: int, kind: Mutation) -> None:
    _accepts_or_refuses(mutate(syncml.serialize(msg, pretty=True), seed, kinds=[kind]), fragment=False)


def test_mutants_are_near_valid() -> None:
    """Structure-aware means many variants still parse: the fuzzer gets past the XML parser."""
    accepted = 0
    for seed in range(200):
        try:
            syncml.parse(mutate(MSG, seed))
        except syncml.SyncMLError:
            continue
        accepted += 1
    assert 20 <= accepted < 200


# --- the mutator's contract ----------------------------------------------------------


@given(st.binary(max_size=300), SEEDS, st.integers(1, 400))
def test_output_is_bytes_within_max_size_and_seeded(data: bytes, seed: int, max_size: int) -> None:
    out = mutate(data, seed, max_size=max_size)
    assert isinstance(out, bytes)
    assert len(out) <= max_size
    assert mutate(data, seed, max_size=max_size) == out


@given(SEEDS)
def test_custom_mutator_has_the_atheris_signature(seed: int) -> None:
    out = fuzzing.custom_mutator(MSG, 4096, seed)
    assert out == mutate(MSG, seed, max_size=4096)
    assert out != MSG


def test_different_seeds_give_different_variants() -> None:
    assert len({mutate(MSG, seed) for seed in range(50)}) > 40


def test_no_kinds_is_refused() -> None:
    with pytest.raises(syncml.SyncMLError, match="at least one"):
        mutate(MSG, 1, kinds=[])


def _names(data: bytes) -> list[bytes]:
    """Element names in document order, by the mutator's own scanner (checked against lxml below)."""
    return [el.name for el in fuzzing._scan(data)]


def _shape(data: bytes) -> list[tuple[bytes, bytes]]:
    """Each element's name with its parent's, in document order."""
    els = fuzzing._scan(data)
    return [(el.name, els[el.parent].name if el.parent >= 0 else b"") for el in els]


def _without_xmlns(data: bytes) -> bytes:
    return re.sub(rb""" xmlns=("[^"]*"|'[^']*')""", b"", data)


KIND_EFFECTS: list[tuple[Mutation, Callable[[bytes], bool]]] = [
    (Mutation.DROP, lambda out: len(_names(out)) < len(_names(MSG))),
    (Mutation.DUPLICATE, lambda out: len(_names(out)) > len(_names(MSG))),
    (Mutation.MOVE, lambda out: sorted(out) == sorted(MSG) and _shape(out) != _shape(MSG)),
    (Mutation.SWAP, lambda out: sorted(out) == sorted(MSG) and sorted(_names(out)) == sorted(_names(MSG))),
    (Mutation.TEXT, lambda out: _names(out) == _names(MSG)),
    (Mutation.RENAME, lambda out: len(_names(out)) == len(_names(MSG)) and _names(out) != _names(MSG)),
    (Mutation.NAMESPACE, lambda out: _without_xmlns(out) == _without_xmlns(MSG)),
    (Mutation.ATTRIBUTE, lambda out: out.count(b'="') > MSG.count(b'="')),
    (Mutation.WRAP, lambda out: len(_names(out)) > len(_names(MSG))),
    (Mutation.SPLICE, lambda out: len(out) > len(MSG)),
    (Mutation.PROLOG, lambda out: out.endswith(MSG)),
    (Mutation.TRANSCODE, lambda out: b"\x00" in out or out.startswith(b"<?xml")),
    (Mutation.TRUNCATE, lambda out: MSG.startswith(out) and len(out) < len(MSG)),
    (Mutation.BYTES, lambda out: abs(len(out) - len(MSG)) <= 4),
]


def test_the_effects_table_names_every_kind() -> None:
    assert [kind for kind, _ in KIND_EFFECTS] == list(Mutation)


@pytest.mark.parametrize(("kind", "effect"), KIND_EFFECTS, ids=[kind.value for kind, _ in KIND_EFFECTS])
def test_each_kind_does_what_it_says(kind: Mutation, effect: Callable[[bytes], bool]) -> None:
    for seed in range(30):
        out = mutate(MSG, seed, kinds=[kind])
        assert out != MSG
        assert effect(out), (seed, out)


def test_drop_removes_exactly_one_whole_element() -> None:
    for seed in range(30):
        out = mutate(MSG, seed, kinds=[Mutation.DROP])
        cut = len(MSG) - len(out)
        spans = [MSG[i : i + cut] for i in range(len(out) + 1) if MSG[:i] + MSG[i + cut :] == out]
        assert any(len(fuzzing._scan(span)) >= 1 and fuzzing._scan(span)[0].end == cut for span in spans)


def test_text_edge_values_include_what_the_issue_names() -> None:
    values = set(fuzzing.EDGE_VALUES)
    assert b"" in values  # empty
    assert b"&#xD800;" in values  # a lone surrogate escaped as a reference
    assert any(len(v) >= 20 and v.lstrip(b"-").isdigit() for v in values)  # 20-digit integers
    assert any(v and v[0] < 0x20 for v in values)  # control characters
    huge = [mutate(MSG, seed, kinds=[Mutation.TEXT]) for seed in range(200)]
    assert max(map(len, huge)) > len(MSG) + 1000  # and huge values, built to fit


def test_scanner_survives_broken_markup() -> None:
    for data in (b"<a", b"<!--", b"<![CDATA[<a>", b"</a></b>", b"<a><b></a>", b'<a x="<">', b"<?x", b"\xff<\x00>"):
        for seed in range(20):
            assert isinstance(mutate(data, seed), bytes)


def test_scanner_is_linear_on_unterminated_constructs() -> None:
    """Thousands of unterminated comments must not make each scan quadratic (a hang guard, by size)."""
    data = b"<a>" + b"<!--" * 50_000
    assert fuzzing._scan(data) == []  # the first unterminated comment runs to the end


@given(sst.messages(max_commands=3))
def test_scanner_finds_every_element(msg: m.SyncML) -> None:
    data = syncml.serialize(msg)
    assert len(fuzzing._scan(data)) == sum(1 for _ in etree.fromstring(data).iter(etree.Element))


def test_element_names_cover_the_content_models() -> None:
    assert set(fuzzing.ELEMENT_NAMES) >= SYNCML_NAMES | METINF_NAMES


def test_dictionary_covers_every_element_name() -> None:
    dictionary = (Path(__file__).resolve().parent.parent / "fuzz" / "syncml.dict").read_text()
    for name in SYNCML_NAMES | METINF_NAMES:
        assert f'"<{name}>"' in dictionary
        assert f'"</{name}>"' in dictionary


# --- standard library only ---------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            dots = "." * node.level
            if node.module is None:  # from . import model
                found.update(dots + alias.name for alias in node.names)
            else:
                found.add(dots + node.module)
    return found


def test_fuzzing_imports_only_the_standard_library() -> None:
    """syncml.fuzzing and the private modules it reaches import nothing outside the standard library."""
    package = Path(fuzzing.__file__).parent
    todo, seen = ["fuzzing"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in _imports(package / f"{name}.py"):
            if imported.startswith("."):
                todo.append(imported.lstrip("."))
            else:
                assert imported.split(".")[0] in sys.stdlib_module_names, (name, imported)
    assert "fuzzing" in seen
    assert "_grammar" in seen
