"""WBXML costs grow linearly with the input: each family built at n and 8n.

For every family of hostile (or merely large) WBXML, the input is built at
two sizes eight times apart, decoded (or encoded) under
:func:`syncml._meter.measure` and :mod:`tracemalloc`, and the work counter
and the traced peak may grow at most ten times: a quadratic step would grow
them about 64 times.  The result must be a model or a DecodeError (413 where
a budget refused it).  No clock is read.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

import syncml
from syncml import _meter
from syncml import _wbxml_tables as t
from syncml import model as m

from .wbxml_tokens import el, mb, message, meta, mi, opaque, s

#: Most a cost may grow when the input grows 8x (linear, with some slack).
GROWTH = 10


def str_t(index: int) -> bytes:
    return bytes([t.STR_T]) + mb(index)


def literal(index: int, token: int = t.LITERAL) -> bytes:
    return bytes([token]) + mb(index)


def replace(*items: bytes) -> bytes:
    return el("Replace", el("CmdID", s("2")), *items)


def item(*content: bytes) -> bytes:
    return el("Item", *content)


ENTRY = b"E" * 1000 + b"\x00"
DEVINF_META = meta(mi("Type", t.DEVINF.wbxml_type))


def _devinf(children: int) -> bytes:
    """A DevInf 1.2 document with *children* Ext elements (tokens only, text inline)."""
    ext = t.DEVINF.tags_for(0x1203)["Ext"]
    body = (bytes([ext | t.HAS_CONTENT]) + s("x") + b"\x01") * children
    return (
        b"\x03"
        + mb(0x1203)
        + b"\x6a\x00"
        + bytes([t.DEVINF.tags_for(0x1203)["DevInf"] | t.HAS_CONTENT])
        + body
        + b"\x01"
    )


def _declared_markup(count: int) -> bytes:
    """*count* xmlns:pN declarations on SyncML (LITERAL attributes named and valued from the
    string table) and count/8 Data each holding markup in one of those namespaces."""
    table = bytearray()
    attrs = bytearray()
    for i in range(count):
        name, value = len(table), len(table) + len(b"xmlns:p%d\x00" % i)
        table += b"xmlns:p%d\x00urn:x:%d\x00" % (i, i)
        attrs += literal(name) + str_t(value)
    tag = len(table)
    table += b"p1:a\x00"
    data = el("Data", literal(tag, t.LITERAL_C) + s("x") + b"\x01")
    return message(
        replace(*(item(data) for _ in range(count // 8))), root_attrs=bytes(attrs) + b"\x01", table=bytes(table)
    )


@dataclass(frozen=True)
class Family:
    name: str
    build: Callable[[int], bytes]
    n: int
    limits: syncml.Limits = field(default_factory=syncml.Limits)
    refused: bool = False  # whether the 8n input is refused (413)


WIDE = syncml.Limits(max_attributes=1_000_000, max_total_attributes=10_000_000, max_nodes=10_000_000)

FAMILIES = [
    Family(
        "empty Items, one byte each, over the element budget",
        lambda n: message(replace(el("Item") * n)),
        20_000,
        refused=True,
    ),
    Family(
        "string-table references in text",
        lambda n: message(replace(item(el("Data", str_t(0) * n))), table=ENTRY),
        20_000,
        refused=True,
    ),
    Family(
        "string-table references in LocURI",
        lambda n: message(replace(item(el("Target", el("LocURI", str_t(0) * n)))), table=ENTRY),
        20_000,
        refused=True,
    ),
    Family(
        "string-table references in attribute values",
        lambda n: message(
            replace(item(el("Data", s("x"), attrs=literal(len(ENTRY)) + str_t(0) * n + b"\x01"))),
            table=ENTRY + b"a\x00",
        ),
        20_000,
        refused=True,
    ),
    Family(
        "LITERAL tag names from the string table",
        lambda n: message(replace(item(el("Data", literal(0) * n))), table=ENTRY),
        20_000,
        refused=True,
    ),
    Family(
        "markup elements",
        lambda n: message(
            replace(item(el("Data", (literal(0, t.LITERAL_C) + s("text") + b"\x01") * n))), table=b"a\x00"
        ),
        2_000,
    ),
    Family(
        "nested WBXML in OPAQUE",
        lambda n: message(replace(*(item(DEVINF_META, el("Data", opaque(_devinf(4)))) for _ in range(n)))),
        200,
    ),
    Family(
        "one nested document with many elements",
        lambda n: message(replace(item(DEVINF_META, el("Data", opaque(_devinf(n)))))),
        2_000,
    ),
    Family(
        "OPAQUE token flood",
        lambda n: message(replace(item(el("Data", opaque(b"A") * n)))),
        20_000,
        refused=True,
    ),
    Family(
        "inline-string flood in a leaf",
        lambda n: message(replace(item(el("Target", el("LocURI", s("a") * n))))),
        20_000,
        refused=True,
    ),
    Family(
        "attributes on many Data",
        lambda n: message(
            replace(*(item(el("Data", s("x"), attrs=literal(0) + s("v") + b"\x01")) for _ in range(n))),
            table=b"a\x00",
        ),
        2_000,
    ),
    Family(
        "attributes on one element",
        lambda n: message(
            replace(item(el("Data", s("x"), attrs=b"".join(literal(4 * i) + s("v") for i in range(n)) + b"\x01"))),
            table=b"".join(b"a%02d\x00" % (i % 100) for i in range(n)),
        ),
        2_000,
        refused=True,
    ),
    Family(
        "namespace declarations and markup using one",
        _declared_markup,
        2_000,
        WIDE,
    ),
    Family(
        "deep markup",
        lambda n: message(
            replace(item(el("Data", (literal(0, t.LITERAL_C) * n + s("x") + b"\x01" * n) * 16))), table=b"a\x00"
        ),
        30,
        syncml.Limits(max_depth=256),
    ),
    Family(
        "deep commands",
        lambda n: message(*[_nest(n)] * 16),
        30,
        syncml.Limits(max_depth=256),
    ),
    Family(
        "many commands",
        lambda n: message(*(el("Alert", el("CmdID", s(str(i))), el("Data", s("1201"))) for i in range(n))),
        2_000,
    ),
    Family(
        "many Items",
        lambda n: message(
            replace(*(item(el("Target", el("LocURI", s(f"./a/{i}"))), el("Data", s("v"))) for i in range(n)))
        ),
        2_000,
    ),
]


def _nest(depth: int) -> bytes:
    inner = el("Alert", el("CmdID", s("1")), el("Data", s("1201")))
    for _ in range(depth):
        inner = el("Atomic", el("CmdID", s("1")), inner)
    return inner


def _decode_cost(data: bytes, limits: syncml.Limits) -> tuple[int, int, object]:
    """(work, traced peak, model or DecodeError) of decoding *data*."""
    return _decode_once(data, limits)


def _drain_free_lists() -> list[tuple[int, ...]]:
    """Tuples to hold while measuring, so that CPython's tuple free lists (up to
    2000 per length) are empty: a tuple they serve is never seen by tracemalloc,
    which would make the smaller input look cheaper per item than it is."""
    return [tuple(range(length)) for length in range(1, 21) for _ in range(2_100)]


def _decode_once(data: bytes, limits: syncml.Limits) -> tuple[int, int, object]:
    held = _drain_free_lists()
    tracemalloc.start()
    try:
        with _meter.measure() as meter:
            try:
                result: object = syncml.parse(data, limits=limits)
            except syncml.DecodeError as error:
                result = error
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del held
    assert meter.calls == 1
    return meter.work, peak, result


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # Caches filled once per process (tables, layouts, parsers) are not the input's cost.
    syncml.parse(message(replace(item(DEVINF_META, el("Data", opaque(_devinf(2)))))))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.name)
def test_decoding_cost_is_linear(family: Family) -> None:
    small = family.build(family.n)
    large = family.build(8 * family.n)
    _decode_cost(small, family.limits)  # the first run also fills the allocator's pools
    work_n, peak_n, result_n = _decode_cost(small, family.limits)
    work_8n, peak_8n, result_8n = _decode_cost(large, family.limits)
    for result in (result_n, result_8n):
        assert isinstance(result, (m.SyncML, syncml.DecodeError)), result
    if family.refused:
        assert isinstance(result_8n, syncml.DecodeError)
        assert result_8n.status == 413
    else:
        assert isinstance(result_8n, m.SyncML), result_8n
    assert work_8n <= GROWTH * work_n, (work_n, work_8n)
    assert peak_8n <= GROWTH * peak_n, (peak_n, peak_8n)


@pytest.mark.parametrize("count", [30_000, 240_000])
def test_empty_items_are_refused_where_the_element_budget_ends(count: int) -> None:
    # One byte per Item: the budget (one element per 3 input bytes + 2048)
    # ends about a third of the way in, at the Item that crosses it.
    data = message(replace(el("Item") * count))
    budget = syncml.Limits().node_budget(len(data))
    assert budget < count
    with pytest.raises(syncml.DecodeError) as info:
        syncml.parse(data)
    assert info.value.status == 413
    assert info.value.offset is not None
    assert budget <= info.value.offset <= budget + 200, (budget, info.value.offset)


def test_the_element_budget_keeps_a_dense_legitimate_map() -> None:
    # A Map whose LUIDs are string-table references: under 5 bytes per
    # element, table included, and accepted up to max_nodes.
    count = 19_000
    table = b"".join(b"%d\x00" % i for i in range(count))
    offsets = [0]
    for i in range(count - 1):
        offsets.append(offsets[-1] + len(b"%d\x00" % i))
    uri = el("LocURI", str_t(0))
    items = b"".join(
        el("MapItem", el("Target", uri), el("Source", el("LocURI", str_t(at)))) for at in offsets
    )
    data = message(el("Map", el("CmdID", s("2")), el("Target", uri), el("Source", uri), items), table=table)
    with _meter.measure() as meter:
        msg = syncml.parse(data)
    assert isinstance(msg, m.SyncML)
    assert len(msg.body.commands[0].map_items) == count  # type: ignore[union-attr]
    assert len(data) < 5 * meter.nodes, (len(data), meter.nodes)


# --- encoding -------------------------------------------------------------------------


def _markup_message(declarations: int, markups: int) -> m.SyncML:
    decls = "".join(f' xmlns:p{i}="urn:x:{i}"' for i in range(declarations))
    items = "".join("<Item><Data><p1:a>x</p1:a></Data></Item>" for _ in range(markups))
    xml = (
        f'<SyncML xmlns="SYNCML:SYNCML1.2"{decls}><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>s</LocURI></Target><Source><LocURI>d</LocURI>"
        f"</Source></SyncHdr><SyncBody><Replace><CmdID>1</CmdID>{items}</Replace></SyncBody></SyncML>"
    )
    msg = syncml.parse(xml.encode(), limits=WIDE)
    assert isinstance(msg, m.SyncML)
    return msg


def _encode_cost(msg: m.SyncML) -> tuple[int, int, bytes]:
    held = _drain_free_lists()
    tracemalloc.start()
    try:
        with _meter.measure() as meter:
            out = syncml.serialize(msg, wbxml=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del held
    assert isinstance(out, bytes)
    return meter.work, peak, out


def test_markup_encoding_with_many_declarations_is_linear() -> None:
    small = _markup_message(250, 32)
    large = _markup_message(2_000, 256)
    work_n, peak_n, _ = _encode_cost(small)
    work_8n, peak_8n, out_8n = _encode_cost(large)
    assert work_8n <= GROWTH * work_n, (work_n, work_8n)
    assert peak_8n <= GROWTH * peak_n, (peak_n, peak_8n)
    assert syncml.parse(out_8n, limits=WIDE) == large
