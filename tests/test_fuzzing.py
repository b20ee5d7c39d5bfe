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
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import syncml
from syncml import _wbxml_mutate as wm
from syncml import fuzzing
from syncml import model as m
from syncml import strategies as sst
from syncml._grammar import METINF_NAMES, SYNCML_NAMES
from syncml._meter import measure
from syncml.fuzzing import Mutation, WbxmlMutation, model_size, mutate, mutate_wbxml

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


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:``, which never run."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped.update(n for stmt in node.body for n in ast.walk(stmt))
    return skipped


def _imports(path: Path) -> set[str]:
    """What the module at *path* imports when it runs (annotation-only imports left out)."""
    tree = ast.parse(path.read_text())
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
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


# --- the structure-aware WBXML mutator ----------------------------------------------------

WBXML_MSG = syncml.serialize(syncml.parse(MSG), wbxml=True)


def _tokens(data: bytes) -> wm.Document:
    doc = wm.read_tokens(data)
    assert doc is not None, data[:20]
    return doc


def _kinds(data: bytes) -> Counter[wm.Kind]:
    return Counter(token.kind for token in _tokens(data).tokens)


def _refused_or_round_trips(data: bytes) -> None:
    """What fuzz_wbxml checks, without the resource invariants: only SyncMLError escapes."""
    for strict, keep_unknown in ((False, False), (True, False), (False, True)):
        try:
            msg = syncml.parse(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        assert syncml.parse(syncml.serialize(msg, wbxml=True), keep_unknown=keep_unknown) == msg


@given(st.binary(max_size=300), SEEDS, st.integers(1, 4000))
def test_wbxml_output_is_bytes_within_max_size_and_seeded(data: bytes, seed: int, max_size: int) -> None:
    out = mutate_wbxml(data, seed, max_size=max_size)
    assert isinstance(out, bytes)
    assert len(out) <= max(max_size, len(fuzzing.SEED_MESSAGE))
    assert mutate_wbxml(data, seed, max_size=max_size) == out


def test_wbxml_input_that_is_not_wbxml_starts_from_the_seed_message() -> None:
    assert wm.read_tokens(b"<SyncML/>") is None
    out = mutate_wbxml(b"<SyncML/>", 5)
    assert wm.read_tokens(out) is not None
    replace = syncml.parse(fuzzing.SEED_MESSAGE).body.commands[0]
    assert isinstance(replace, m.Replace)
    assert replace.items[0].data == "QQQ"  # its STR_T reference


@given(SEEDS)
def test_wbxml_custom_mutator_has_the_atheris_signature(seed: int) -> None:
    out = fuzzing.wbxml_custom_mutator(WBXML_MSG, 65_536, seed)
    assert out == mutate_wbxml(WBXML_MSG, seed, max_size=65_536)
    assert out != WBXML_MSG


def test_wbxml_no_kinds_is_refused() -> None:
    with pytest.raises(syncml.SyncMLError, match="at least one"):
        mutate_wbxml(WBXML_MSG, 1, kinds=[])


def _opaques(data: bytes) -> Counter[bytes]:
    return Counter(token.raw for token in _tokens(data).tokens if token.kind is wm.Kind.OPAQUE)


def _more(kind: wm.Kind) -> Callable[[bytes, bytes], bool]:
    return lambda before, out: _kinds(out)[kind] > _kinds(before)[kind]


WBXML_EFFECTS: list[tuple[WbxmlMutation, Callable[[bytes, bytes], bool]]] = [
    (WbxmlMutation.TABLE, lambda before, out: len(_tokens(out).table) > len(_tokens(before).table)),
    (WbxmlMutation.STR_T, _more(wm.Kind.STR_T)),
    (WbxmlMutation.LITERAL, _more(wm.Kind.LITERAL_TAG)),
    (WbxmlMutation.OPAQUE, lambda before, out: _opaques(out) - _opaques(before) != Counter()),
    (WbxmlMutation.NESTED, _more(wm.Kind.OPAQUE)),
    (WbxmlMutation.DEEPEN, lambda before, out: _kinds(out)[wm.Kind.END] > _kinds(before)[wm.Kind.END]),
    (WbxmlMutation.ATTRIBUTES, _more(wm.Kind.ATTRIBUTE)),
    (
        WbxmlMutation.NAMESPACES,
        lambda before, out: b"xmlns" in _tokens(out).table and _more(wm.Kind.ATTRIBUTE)(before, out),
    ),
    (WbxmlMutation.DUPLICATE, lambda before, out: len(_tokens(out).tokens) > len(_tokens(before).tokens)),
    (WbxmlMutation.DROP, lambda before, out: len(_tokens(out).tokens) < len(_tokens(before).tokens)),
    (WbxmlMutation.TOKEN, lambda before, out: abs(len(out) - len(before)) <= 6),
    (
        WbxmlMutation.HEADER,
        lambda before, out: out.endswith(before[len(_tokens(before).head) + 1 + len(_tokens(before).table) :]),
    ),
    (WbxmlMutation.TRUNCATE, lambda before, out: before.startswith(out) and len(out) < len(before)),
]


def test_the_wbxml_effects_table_names_every_kind() -> None:
    assert [kind for kind, _ in WBXML_EFFECTS] == list(WbxmlMutation)


@pytest.mark.parametrize("start", [WBXML_MSG, fuzzing.SEED_MESSAGE], ids=["no-table", "table"])
@pytest.mark.parametrize(("kind", "effect"), WBXML_EFFECTS, ids=[kind.value for kind, _ in WBXML_EFFECTS])
def test_each_wbxml_kind_does_what_it_says(
    kind: WbxmlMutation, effect: Callable[[bytes, bytes], bool], start: bytes
) -> None:
    for seed in range(30):
        out = mutate_wbxml(start, seed, kinds=[kind], max_size=65_536)
        assert out != start
        assert effect(start, out), (seed, out[:80])


def test_wbxml_mutations_produce_every_token_kind() -> None:
    """Across seeds, the mutator writes each token the decoder treats specially, and nested tables."""
    seen: Counter[wm.Kind] = Counter()
    nested = 0
    for seed in range(150):
        out = mutate_wbxml(fuzzing.SEED_MESSAGE, seed, count=2, max_size=16_384)
        doc = wm.read_tokens(out)
        if doc is None:
            continue
        seen.update(token.kind for token in doc.tokens)
        nested += any(b"-//OMA//DTD-DM-DDF" in t.raw or t.raw[2:6] == b"\x03\xa4\x03\x6a" for t in doc.tokens)
    assert set(wm.Kind) - {wm.Kind.OTHER} <= set(seen)
    assert nested > 0


def test_wbxml_amplifying_mutations_reach_the_budgets() -> None:
    """The mutator can write what the issue's attacks are made of: thousands of references to one entry."""
    most = max(
        _kinds(mutate_wbxml(fuzzing.SEED_MESSAGE, seed, kinds=[WbxmlMutation.STR_T], max_size=65_536))[wm.Kind.STR_T]
        for seed in range(100)
    )
    assert most >= 20_000
    grown = max(
        len(_tokens(mutate_wbxml(fuzzing.SEED_MESSAGE, seed, kinds=[WbxmlMutation.TABLE])).table) for seed in range(100)
    )
    assert grown >= 100_000


@given(SEEDS, st.integers(1, 3))
def test_wbxml_mutants_end_in_a_model_or_a_syncml_error(seed: int, count: int) -> None:
    _refused_or_round_trips(mutate_wbxml(WBXML_MSG, seed, count=count, max_size=16_384))


@given(sst.messages(max_commands=2), SEEDS, st.sampled_from(list(WbxmlMutation)))
def test_every_wbxml_kind_keeps_the_promise(msg: m.SyncML, seed: int, kind: WbxmlMutation) -> None:
    _refused_or_round_trips(mutate_wbxml(syncml.serialize(msg, wbxml=True), seed, kinds=[kind], max_size=4_096))


def test_wbxml_mutants_are_often_accepted() -> None:
    """Structure-aware: a good share of variants get past the WBXML reader into the SyncML decoder."""
    accepted = 0
    for seed in range(200):
        try:
            syncml.parse(mutate_wbxml(fuzzing.SEED_MESSAGE, seed, max_size=65_536))
        except syncml.SyncMLError:
            continue
        accepted += 1
    assert 40 <= accepted < 200


def test_table_growth_moves_the_indexes_after_the_entry() -> None:
    """Growing one entry keeps every other reference on the entry it named."""
    table = b"AB\x00CD\x00"
    body = b"\x6d\x6c\x71\x83\x00\x01\x72\x83\x03\x01\x01\x01"  # SyncML SyncHdr VerDTD STR_T 0, VerProto STR_T 3
    doc = b"\x03\xa4\x01\x6a" + wm._mb(len(table)) + table + body
    for seed in range(20):
        out = _tokens(mutate_wbxml(doc, seed, kinds=[WbxmlMutation.TABLE]))
        refs = [token.index for token in out.tokens if token.kind is wm.Kind.STR_T]
        texts = [out.table[i : out.table.index(0, i)] for i in refs]
        assert texts[0].startswith(b"AB") or texts[0].startswith(b"A")
        assert texts[1].startswith(b"CD")


# --- the size measure the invariants bound -----------------------------------------------------


def test_model_size_counts_characters_per_reference_and_nodes() -> None:
    msg = syncml.parse(MSG)
    size = model_size(msg)
    assert size.nodes >= 10
    assert size.characters >= len("./DevDetail/SwV") + len("text/plain")
    text = "A" * 1_000
    items = tuple(m.Item(data=text) for _ in range(50))
    assert model_size(m.Add(cmd_id="1", items=items)).characters >= 50_000  # one str, 50 references
    assert model_size(m.Add(cmd_id="1", items=items)).nodes == 51
    assert size.total == size.characters + size.nodes


def test_model_size_counts_a_fragment_s_quirks() -> None:
    commands = syncml.parse_commands(b"<Alert><CmdID> 1</CmdID></Alert>")
    assert commands.quirks
    assert model_size(commands).nodes > model_size(tuple(commands)).nodes


def test_model_size_walks_any_depth_without_recursion() -> None:
    command: m.Command = m.Get(cmd_id="2", items=(m.Item(),))
    for _ in range(20_000):
        command = m.Atomic(cmd_id="1", commands=(command,))
    assert model_size(command).nodes == 20_002


def test_model_size_counts_opaque_bytes() -> None:
    assert model_size(m.Item(data=m.Opaque(data=b"\x00" * 100))).characters == 100


# --- the work counter the invariants bound ---------------------------------------------------------


@pytest.mark.parametrize("data", [MSG, WBXML_MSG], ids=["xml", "wbxml"])
def test_every_decode_charges_the_work_counter(data: bytes) -> None:
    """Without the decoders' record() calls, the invariants' work bound would check nothing."""
    with measure() as meter:
        syncml.parse(data)
    assert meter.calls > 0
    assert meter.work >= len(data) // 4
    with measure() as meter, pytest.raises(syncml.DecodeError):
        syncml.parse(data[: len(data) // 2])
    assert meter.work <= 64 * len(data)
