"""Hostile WBXML, round 2: what one reference, token or declaration may cost.

Every row is refused with status 413 at the byte offset of the token that
crossed a limit, with the element path, in little memory: a string-table
entry referenced many times, LITERAL tags named by a long entry, floods of
text tokens and attributes.  Then: the same verdict for the same namespace
declarations written as XML and as WBXML, one meter record per decode, a
decode called from deep in the caller's recursion, and wrong-typed fields
refused by the encoder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import syncml
from syncml import _meter
from syncml import _wbxml_tables as t
from syncml import model as m

from .builders import ALERT, NS_12, message_xml, synchdr_xml
from .wbxml_tokens import el, mb, message, meta, mi, opaque, s

DATA = "SyncML/SyncBody/Replace[1]/Item[1]/Data"
DEVINF_META = meta(mi("Type", t.DEVINF.wbxml_type))


def str_t(index: int) -> bytes:
    return bytes([t.STR_T]) + mb(index)


def literal(index: int, token: int = t.LITERAL) -> bytes:
    return bytes([token]) + mb(index)


def replace(*item: bytes) -> bytes:
    return el("Replace", el("CmdID", s("2")), el("Item", *item))


def nested_devinf(table: bytes, man: bytes) -> bytes:
    """A DevInf 1.2 document with its own string table: <DevInf><Man>man</Man></DevInf>."""
    return b"\x03" + mb(0x1203) + b"\x6a" + mb(len(table)) + table + b"\x4a\x51" + man + b"\x01\x01"


BIG = b"A" * 50_000 + b"\x00"


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    reason: str
    path: str | None
    token: int  # the token at the error's offset
    limits: syncml.Limits = field(default_factory=syncml.Limits)


ROWS = [
    Hostile(
        "string-table bomb in Data (the issue's: 100 KB entry, 20 000 references)",
        message(replace(el("Data", str_t(0) * 20_000)), table=b"A" * 100_000 + b"\x00"),
        "decoded output over the .*-character budget",
        DATA,
        t.STR_T,
    ),
    Hostile(
        "string-table references in LocURI",
        message(replace(el("Target", el("LocURI", str_t(0) * 2_000)), el("Data", s("x"))), table=BIG),
        "decoded output over",
        "SyncML/SyncBody/Replace[1]/Item[1]/Target/LocURI",
        t.STR_T,
    ),
    Hostile(
        "string-table references in an attribute value",
        message(
            replace(el("Data", s("x"), attrs=literal(len(BIG)) + str_t(0) * 2_000 + b"\x01")),
            table=BIG + b"a\x00",
        ),
        "decoded output over",
        DATA,
        t.STR_T,
    ),
    Hostile(
        "90 000 LITERAL tags named by one 50 KB entry",
        message(replace(el("Data", literal(0) * 90_000)), table=BIG),
        "decoded output over",
        DATA,
        t.LITERAL,
    ),
    Hostile(
        "string-table references in markup text",
        message(replace(el("Data", literal(0, t.LITERAL_C) + str_t(2) * 2_000 + b"\x01")), table=b"a\x00" + BIG),
        "decoded output over",
        DATA,
        t.STR_T,
    ),
    Hostile(
        "string-table references in a nested DevInf document",
        message(replace(DEVINF_META, el("Data", opaque(nested_devinf(BIG, str_t(0) * 2_000))))),
        "decoded output over",
        DATA,
        t.STR_T,
    ),
    Hostile(
        "OPAQUE token flood in Data",
        message(replace(el("Data", opaque(b"A") * 120_000))),
        r"more than \d+ elements and text tokens",
        DATA,
        t.OPAQUE,
    ),
    Hostile(
        "inline-string flood in a leaf",
        message(replace(el("Target", el("LocURI", s("a") * 120_000)), el("Data", s("x")))),
        r"more than \d+ elements and text tokens",
        "SyncML/SyncBody/Replace[1]/Item[1]/Target/LocURI",
        t.STR_I,
    ),
    Hostile(
        "ENTITY flood in markup",
        message(
            replace(el("Data", literal(0, t.LITERAL_C) + (bytes([t.ENTITY]) + mb(65)) * 120_000 + b"\x01")),
            table=b"a\x00",
        ),
        r"more than \d+ elements and text tokens",
        DATA,
        t.ENTITY,
    ),
    Hostile(
        "stray text tokens between commands",
        message(s(" ") * 120_000 + replace(el("Data", s("x")))),
        r"more than \d+ elements and text tokens",
        "SyncML/SyncBody",
        t.STR_I,
    ),
    Hostile(
        "inline-string flood in an attribute value",
        message(replace(el("Data", s("x"), attrs=literal(0) + s("a") * 120_000 + b"\x01")), table=b"a\x00"),
        r"more than \d+ elements and text tokens",
        DATA,
        t.STR_I,
    ),
    Hostile(
        "attributes across the message",
        message(*(replace(el("Data", s("x"), attrs=literal(0) + s("v") + b"\x01")) for _ in range(60)), table=b"a\x00"),
        "more than 50 attributes in the message",
        "SyncML/SyncBody/Replace[50]/Item[1]/Data",  # the root declares one
        t.LITERAL,
        syncml.Limits(max_total_attributes=50),
    ),
]


@pytest.mark.parametrize("case", ROWS, ids=lambda case: case.name)
def test_hostile_wbxml_is_refused_early(case: Hostile) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(syncml.DecodeError) as info:
            syncml.parse(case.data, limits=case.limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = info.value
    assert re.search(case.reason, error.reason), error.reason
    assert error.status == 413
    assert error.path == case.path
    assert error.offset is not None
    assert case.data[error.offset] == case.token
    # Without the budget each of these decodes to hundreds of megabytes.
    assert peak < 4 * len(case.data) + 3_000_000


def test_the_bomb_is_refused_before_its_output_budget_is_spent() -> None:
    data = ROWS[0].data
    with _meter.measure() as meter, pytest.raises(syncml.DecodeError):
        syncml.parse(data)
    budget = syncml.Limits().output_budget(len(data))
    assert meter.calls == 1
    assert budget < meter.output <= budget + 100_000  # refused at the first reference past it


def test_a_budget_large_enough_decodes_the_same_references() -> None:
    data = message(replace(el("Data", str_t(0) * 20)), table=b"A" * 1000 + b"\x00")
    msg = syncml.parse(data)
    item = msg.body.commands[0].items[0]  # type: ignore[union-attr]
    assert item.data == "A" * 20_000
    with pytest.raises(syncml.DecodeError, match="decoded output over the 1000-character budget"):
        syncml.parse(data, limits=syncml.Limits(max_output=1000))


def test_adjacent_text_tokens_count_from_the_second() -> None:
    one = message(replace(el("Data", s("x"))))
    split = message(replace(el("Data", s("x") * 3)))
    with _meter.measure() as first:
        syncml.parse(one)
    with _meter.measure() as second:
        syncml.parse(split)
    assert second.nodes == first.nodes + 2


# --- XML and WBXML agree on namespace declarations ------------------------------------


def _declarations_xml(count: int, on_body: int = 0) -> bytes:
    """A message with *count* prefixed declarations on SyncML and *on_body* on SyncBody."""
    decls = "".join(f' xmlns:p{i}="urn:x:{i}"' for i in range(count))
    body_decls = "".join(f' xmlns:q{i}="urn:y:{i}"' for i in range(on_body))
    hdr = synchdr_xml(target="s", source="d")
    return message_xml(ALERT + "<Final/>", hdr=hdr, root_attrs=NS_12 + decls, body_attrs=body_decls)


def _verdict(data: bytes, limits: syncml.Limits) -> int:
    """0 if *data* parses, else the DecodeError's status."""
    try:
        syncml.parse(data, limits=limits)
    except syncml.DecodeError as error:
        return error.status
    return 0


def _both_forms(count: int, on_body: int = 0) -> tuple[bytes, bytes]:
    xml = _declarations_xml(count, on_body)
    msg = syncml.parse(xml, limits=syncml.Limits(max_attributes=64))
    return xml, syncml.serialize(msg, wbxml=True)


# The XML form declares the SyncML namespace on the root as well: 31 prefixed
# declarations make 32 attributes there, 32 make 33 (the case is 33).
@pytest.mark.parametrize(("count", "expected"), [(31, 0), (32, 413), (33, 413)])
def test_declarations_on_syncml_same_verdict_in_both_forms(count: int, expected: int) -> None:
    xml, wbxml = _both_forms(count)
    assert _verdict(wbxml, syncml.Limits()) == expected
    assert _verdict(xml, syncml.Limits()) == expected


@pytest.mark.parametrize(("most", "expected"), [(40, 413), (41, 0)])
def test_declarations_count_in_the_message_in_both_forms(most: int, expected: int) -> None:
    # 1 + 20 on SyncML, 20 on SyncBody: 41 in all.
    xml, wbxml = _both_forms(20, 20)
    limits = syncml.Limits(max_total_attributes=most)
    assert _verdict(wbxml, limits) == expected
    assert _verdict(xml, limits) == expected


def test_declarations_refused_in_wbxml_say_where() -> None:
    _, wbxml = _both_forms(32)
    with pytest.raises(syncml.DecodeError) as info:
        syncml.parse(wbxml)
    assert info.value.reason == "more than 32 attributes on one element"
    assert info.value.path == "SyncML"
    assert info.value.offset is not None
    assert wbxml[info.value.offset] == t.SYNCML_TAGS["SyncML"] | t.HAS_CONTENT | t.HAS_ATTRIBUTES


# --- one meter record per decode -------------------------------------------------------


@pytest.mark.parametrize("data", [message(), message()[:-3]], ids=["model", "DecodeError"])
def test_each_decode_records_once(data: bytes) -> None:
    with _meter.measure() as meter, contextlib.suppress(syncml.DecodeError):
        syncml.parse(data)
    assert meter.calls == 1
    assert meter.work >= meter.nodes > 0


# --- deep in the caller's recursion ---------------------------------------------------


def _from_depth(frames: int, call: Callable[[], object]) -> object:
    if frames <= 0:
        return call()
    return _from_depth(frames - 1, call)


def _deep_atomic(depth: int) -> bytes:
    inner = el("Alert", el("CmdID", s("1")), el("Data", s("1201")))
    for _ in range(depth):
        inner = el("Atomic", el("CmdID", s("1")), inner)
    return message(inner)


def _deep_markup(depth: int) -> bytes:
    return message(replace(el("Data", literal(0, t.LITERAL_C) * depth + s("x") + b"\x01" * depth)), table=b"a\x00")


def _outcome(data: bytes, limits: syncml.Limits) -> object:
    try:
        return syncml.parse(data, limits=limits)
    except syncml.DecodeError as error:
        return error


@pytest.mark.parametrize("build", [_deep_atomic, _deep_markup], ids=["commands", "markup"])
@pytest.mark.parametrize("caller", [0, 300, 500, 700, 900])
def test_max_depth_256_never_hits_the_recursion_limit(build: Callable[[int], bytes], caller: int) -> None:
    limits = syncml.Limits(max_depth=256)
    room = sys.getrecursionlimit() - len(_stack()) - caller
    for depth in (5, 250, 300):
        outcome = _from_depth(caller, lambda: _outcome(build(depth), limits))  # noqa: B023
        assert isinstance(outcome, (m.SyncML, syncml.DecodeError)), outcome
        if isinstance(outcome, syncml.DecodeError):
            assert "nesting deeper than" in outcome.reason
            assert depth > 5 or room < 100
        elif depth == 300:
            pytest.fail("300 levels decoded under max_depth=256")


def _stack() -> list[object]:
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back  # type: ignore[assignment]
    return frames


def test_a_usual_message_decodes_from_deep_in_the_caller() -> None:
    data = syncml.serialize(syncml.parse(_declarations_xml(1)), wbxml=True)
    depth = sys.getrecursionlimit() - len(_stack()) - 120
    assert isinstance(_from_depth(depth, lambda: syncml.parse(data)), m.SyncML)


def test_the_stack_refusal_names_the_stack() -> None:
    data = _deep_atomic(200)
    caller = sys.getrecursionlimit() - len(_stack()) - 300
    outcome = _from_depth(caller, lambda: _outcome(data, syncml.Limits(max_depth=256)))
    assert isinstance(outcome, syncml.DecodeError)
    assert "all the call stack has room for here" in outcome.reason
    assert outcome.status == 413


# --- the encoder refuses what it cannot write -------------------------------------------


def _base() -> m.SyncML:
    xml = _declarations_xml(0).replace(
        b"<Final/>",
        b"<Replace><CmdID>2</CmdID><Item><Meta><Type xmlns='syncml:metinf'>text/plain</Type></Meta>"
        b"<Data>x</Data></Item></Replace><Final/>",
    )
    return syncml.parse(xml)


def _with(msg: m.SyncML, where: str, **changes: Any) -> m.SyncML:
    """*msg* with fields of one node changed, bypassing the constructors' types."""

    def swap(obj: Any, **values: Any) -> Any:
        copy = object.__new__(type(obj))
        for f in dataclasses.fields(obj):
            object.__setattr__(copy, f.name, values.get(f.name, getattr(obj, f.name)))
        return copy

    if where == "SyncML":
        return swap(msg, **changes)  # type: ignore[no-any-return]
    if where == "SyncBody":
        return swap(msg, body=swap(msg.body, **changes))  # type: ignore[no-any-return]
    replace_cmd = msg.body.commands[1]
    if where == "Replace":
        new_cmd = swap(replace_cmd, **changes)
    else:
        new_cmd = swap(replace_cmd, items=(swap(replace_cmd.items[0], **changes),))  # type: ignore[union-attr]
    commands = (msg.body.commands[0], new_cmd)
    return swap(msg, body=swap(msg.body, commands=commands))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("where", "changes"),
    [
        ("Replace", {"items": None}),
        ("Replace", {"items": 5}),
        ("Replace", {"unknown": 5}),
        ("Replace", {"unknown": (object(),)}),
        ("Item", {"meta": "text/plain"}),
        ("Item", {"data_attributes": 5}),
        ("SyncBody", {"namespaces": None}),
        ("SyncML", {"namespaces": 5}),
    ],
    ids=repr,
)
def test_wrong_typed_fields_are_encode_errors(where: str, changes: dict[str, Any]) -> None:
    msg = _with(_base(), where, **changes)
    with pytest.raises(syncml.EncodeError):
        syncml.serialize(msg, wbxml=True)


def test_unknown_position_must_be_an_int() -> None:
    bad = object.__new__(m.Unknown)
    object.__setattr__(bad, "xml", "<X/>")
    object.__setattr__(bad, "position", "1")
    with pytest.raises(syncml.EncodeError, match="position must be an int"):
        syncml.serialize(_with(_base(), "Replace", unknown=(bad,)), wbxml=True)
