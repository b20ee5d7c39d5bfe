"""Large objects: splitting, reassembly, Alert 1225, and packing within MaxMsgSize."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml.codes import AlertCode, StatusCode
from syncml.largeobject import (
    PartialObject,
    Reassembler,
    Reassembly,
    no_end_of_data_alert,
    object_size,
    split_item,
)
from syncml.outbox import Outbox, Piece, chunkable
from syncml.strategies import text_values

from .builders import header

NODE = m.Target(loc_uri="./Vendor/MSFT/Policy/Config/Browser/HomePages")
HEADER = header(target="DEV-1", source="https://mdm.example.com/omadm")
HDR_ACK = m.Status(cmd_id="", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200")


def _item(data: m.Data, **kw: object) -> m.Item:
    return m.Item(target=NODE, data=data, **kw)  # type: ignore[arg-type]


# --- splitting ---------------------------------------------------------------------

SPLITS = [
    # (name, data, max_chunk, expected chunk texts)
    ("fits", "abc", 4, ["abc"]),
    ("exact", "abcd", 4, ["abcd"]),
    ("three", "0123456789", 4, ["0123", "4567", "89"]),
    ("two-byte chars stay whole", "ééé", 4, ["éé", "é"]),
    ("four-byte char", "a\U0001f600b", 4, ["a", "\U0001f600", "b"]),
    ("whitespace kept", "  x  \r\n", 4, ["  x ", " \r\n"]),
]


@pytest.mark.parametrize(("name", "data", "max_chunk", "expected"), SPLITS, ids=[s[0] for s in SPLITS])
def test_split_table(name: str, data: str, max_chunk: int, expected: list[str]) -> None:
    chunks = split_item(_item(data), max_chunk=max_chunk)
    assert [c.data for c in chunks] == expected
    assert [c.more_data for c in chunks] == [True] * (len(expected) - 1) + [False]
    if len(expected) > 1:
        assert chunks[0].meta is not None
        assert chunks[0].meta.size == str(len(data.encode()))
        assert all(c.meta is None for c in chunks[1:])


def test_split_keeps_other_meta_on_every_chunk_and_size_only_on_the_first() -> None:
    meta = m.Meta(format="b64", type="application/octet-stream")
    chunks = split_item(_item("QUJDREVGR0g=", meta=meta), max_chunk=5)
    assert [c.meta for c in chunks] == [
        dataclasses.replace(meta, size="12"),
        meta,
        meta,
    ]
    assert all(c.target == NODE for c in chunks)


def test_split_keeps_cdata_form() -> None:
    chunks = split_item(_item(m.CData(text="<a>]]></a>")), max_chunk=4)
    assert all(isinstance(c.data, m.CData) for c in chunks)
    assert "".join(c.data.text for c in chunks if isinstance(c.data, m.CData)) == "<a>]]></a>"


@pytest.mark.parametrize(
    ("item", "max_chunk", "message"),
    [
        (_item("abcdef"), 3, "at least 4"),
        (_item(m.Markup(xml="<Enabled/><Disabled/>")), 8, "Markup"),
    ],
)
def test_split_refuses(item: m.Item, max_chunk: int, message: str) -> None:
    with pytest.raises(syncml.SyncMLError, match=message):
        split_item(item, max_chunk=max_chunk)


def test_small_markup_and_no_data_are_not_split() -> None:
    markup = _item(m.Markup(xml="<Enabled/>"))
    assert split_item(markup, max_chunk=64) == (markup,)
    bare = m.Item(target=NODE)
    assert split_item(bare, max_chunk=4) == (bare,)
    assert object_size(None) == 0


@given(text=text_values(max_size=300), max_chunk=st.integers(4, 64), cdata=st.booleans())
def test_split_then_reassemble_gives_the_item_back(text: str, max_chunk: int, cdata: bool) -> None:
    data: m.Data = m.CData(text=text) if cdata else text
    item = _item(data, meta=m.Meta(format="chr"))
    chunks = split_item(item, max_chunk=max_chunk)
    assert all(object_size(c.data) <= max_chunk for c in chunks)
    joiner = Reassembler()
    results = [joiner.feed("Replace", c) for c in chunks]
    assert [r.status for r in results[:-1]] == [StatusCode.CHUNKED_ITEM_ACCEPTED] * (len(chunks) - 1)
    whole = results[-1].item
    assert whole is not None
    assert whole.data == data
    assert not whole.more_data
    if len(chunks) > 1:
        assert whole.meta == m.Meta(format="chr", size=str(object_size(data)))
    assert joiner.pending is None


@given(text=text_values(max_size=200).filter(lambda t: len(t.encode()) > 8), max_chunk=st.integers(4, 8))
def test_chunks_survive_the_wire(text: str, max_chunk: int) -> None:
    for piece in split_item(_item(text), max_chunk=max_chunk):
        msg = m.SyncML(header=HEADER, body=m.SyncBody(commands=(m.Replace(cmd_id="1", items=(piece,)),)))
        assert syncml.parse(syncml.serialize(msg), strict=True) == msg


# --- reassembly ------------------------------------------------------------------


def _chunks(text: str = "0123456789", max_chunk: int = 4) -> tuple[m.Item, ...]:
    return split_item(_item(text), max_chunk=max_chunk)


def test_size_mismatch_is_424_and_nothing_is_kept() -> None:
    first, _, last = _chunks()
    joiner = Reassembler()
    joiner.feed("Replace", first)
    result = joiner.feed("Replace", last)
    assert result == Reassembly(status=StatusCode.SIZE_MISMATCH, declared_size=10)
    assert joiner.pending is None


def test_later_chunk_with_another_size_is_424() -> None:
    first, middle, last = _chunks()
    joiner = Reassembler()
    joiner.feed("Replace", first)
    assert joiner.feed("Replace", dataclasses.replace(middle, meta=m.Meta(size="99"))).status == 424
    assert joiner.feed("Replace", last).status == StatusCode.SIZE_MISMATCH


def test_unreadable_size_fails_the_run_with_424() -> None:
    first, middle, last = _chunks()
    joiner = Reassembler()
    assert joiner.feed("Replace", dataclasses.replace(first, meta=m.Meta(size="ten"))).status == 424
    assert joiner.feed("Replace", middle).status == 424
    assert joiner.feed("Replace", last).status == 424
    assert joiner.pending is None


def test_run_without_size_is_accepted_unchecked() -> None:
    first, middle, last = _chunks()
    joiner = Reassembler()
    assert joiner.feed("Replace", dataclasses.replace(first, meta=None)).declared_size is None
    joiner.feed("Replace", middle)
    result = joiner.feed("Replace", last)
    assert result.item is not None
    assert result.item.data == "0123456789"
    assert result.declared_size is None


@pytest.mark.parametrize("declared", [True, False])
def test_object_over_our_limit_is_416(declared: bool) -> None:
    first, middle, last = _chunks()
    if not declared:
        first = dataclasses.replace(first, meta=None)
    joiner = Reassembler(max_object_size=6 if not declared else 9)
    statuses = [joiner.feed("Replace", c).status for c in (first, middle, last)]
    expected_first = StatusCode.REQUESTED_SIZE_TOO_BIG if declared else StatusCode.CHUNKED_ITEM_ACCEPTED
    assert statuses == [expected_first, StatusCode.REQUESTED_SIZE_TOO_BIG, StatusCode.REQUESTED_SIZE_TOO_BIG]


def test_new_item_abandons_the_run() -> None:
    first, _, _ = _chunks()
    joiner = Reassembler()
    joiner.feed("Replace", first)
    other = m.Item(target=m.Target(loc_uri="./Other"), data="x")
    result = joiner.feed("Replace", other)
    assert result.item == other
    assert result.abandoned == PartialObject(command="Replace", target=NODE, declared_size=10, received_size=4)


def test_same_node_in_another_command_is_a_new_object() -> None:
    first, middle, _ = _chunks()
    joiner = Reassembler()
    joiner.feed("Replace", first)
    result = joiner.feed("Add", middle)
    assert result.abandoned is not None
    assert result.status == StatusCode.CHUNKED_ITEM_ACCEPTED  # the Add's chunk starts its own run


def test_message_without_the_next_chunk_abandons_the_run() -> None:
    first, middle, _ = _chunks()
    joiner = Reassembler()
    joiner.feed("Replace", first)
    assert joiner.end_message() is None
    joiner.feed("Replace", middle)
    assert joiner.end_message() is None
    abandoned = joiner.end_message()  # a whole message went by without a chunk
    assert abandoned is not None
    assert abandoned.received_size == 8
    assert joiner.end_message() is None


def test_abandon_returns_and_forgets_the_run() -> None:
    joiner = Reassembler()
    assert joiner.abandon() is None
    joiner.feed("Replace", _chunks()[0])
    assert joiner.pending is not None
    assert joiner.abandon() is not None
    assert joiner.pending is None


def test_no_end_of_data_alert_names_the_object_and_round_trips() -> None:
    partial = PartialObject(command="Results", source=m.Source(loc_uri="./DevDetail/Ext/Big"), received_size=4)
    alert = no_end_of_data_alert(partial, cmd_id="3")
    assert alert.code == AlertCode.NO_END_OF_DATA
    assert alert.items == (m.Item(source=m.Source(loc_uri="./DevDetail/Ext/Big")),)
    assert syncml.parse_commands(syncml.serialize_commands([alert]), strict=True) == (alert,)
    assert no_end_of_data_alert(PartialObject(command="Replace"), cmd_id="1").items == ()


# --- packing within MaxMsgSize ------------------------------------------------------


def _get(uri: str) -> m.Get:
    return m.Get(cmd_id="", items=(m.Item(target=m.Target(loc_uri=uri)),))


def _replace(uri: str, data: m.Data) -> m.Replace:
    return m.Replace(cmd_id="", items=(m.Item(target=m.Target(loc_uri=uri), data=data),))


def test_command_that_does_not_fit_waits_for_the_next_message() -> None:
    box = Outbox()
    box.add(_replace("./A", "a" * 300))
    box.add(_replace("./B", "b" * 300))
    first = box.pack(HEADER, (HDR_ACK,), max_msg_size=900)
    second = box.pack(HEADER, (HDR_ACK,), max_msg_size=900)
    assert [s.piece for s in first.sent] == [Piece.WHOLE]
    assert [s.piece for s in second.sent] == [Piece.WHOLE]
    assert first.final
    assert len(box) == 0


def test_atomic_is_never_split_and_numbers_nested_commands() -> None:
    box = Outbox()
    atomic = m.Atomic(cmd_id="", commands=(_replace("./A", "1"), _replace("./B", "2")))
    box.add(atomic)
    box.add(_get("./C"))
    packed = box.pack(HEADER, (HDR_ACK,), max_msg_size=4000)
    commands = packed.message.body.commands
    assert [c.cmd_id for c in commands] == ["1", "2", "5"]
    assert isinstance(commands[1], m.Atomic)
    assert [c.cmd_id for c in commands[1].commands] == ["3", "4"]
    assert not chunkable(atomic)


def test_leading_commands_that_do_not_fit_raise() -> None:
    with pytest.raises(syncml.SyncMLError, match="MaxMsgSize"):
        Outbox().pack(HEADER, (HDR_ACK,), max_msg_size=100)


def test_next_message_reply_takes_nothing_and_has_no_final() -> None:
    box = Outbox()
    box.add(_get("./A"))
    alert = m.Alert(cmd_id="", data="1222")
    packed = box.pack(HEADER, (HDR_ACK, alert), max_msg_size=4000, take=False, final=False)
    assert packed.sent == ()
    assert not packed.final
    assert len(box) == 1


def test_cancel_and_drain() -> None:
    box = Outbox()
    one = box.add(_get("./A"), key="a")
    box.add(_get("./B"), key="b")
    assert box.cancel(one)
    assert not box.cancel(one)
    left = box.drain()
    assert [(s.key, s.piece) for s in left] == [("b", Piece.WHOLE)]
    assert len(box) == 0


def test_chunk_that_cannot_progress_raises() -> None:
    box = Outbox()
    box.add(_replace("./A", "x" * 5000))
    box.pack(HEADER, (HDR_ACK,), max_msg_size=1000)
    assert box.streaming
    many = tuple(dataclasses.replace(HDR_ACK, cmd_ref=str(i)) for i in range(1, 7))
    with pytest.raises(syncml.SyncMLError, match="no room"):
        box.pack(HEADER, many, max_msg_size=1000)


_DATA = st.one_of(
    text_values(max_size=40),
    st.text("ab&<>\r\né\U0001f600 ", min_size=200, max_size=3000),
    st.builds(m.CData, text=st.text("x]>\r", min_size=200, max_size=2000)),
)


@given(
    data=st.lists(_DATA, min_size=1, max_size=6),
    gets=st.lists(st.booleans(), min_size=6, max_size=6),
    max_msg_size=st.integers(700, 3000),
)
def test_packing_keeps_every_message_within_max_and_every_command_once(
    data: list[m.Data], gets: list[bool], max_msg_size: int
) -> None:
    box = Outbox()
    wanted: list[m.Command] = []
    for index, value in enumerate(data):
        command: m.Command = _get(f"./N{index}") if gets[index] else _replace(f"./N{index}", value)
        wanted.append(command)
        box.add(command, key=str(index))
    joiner = Reassembler(max_object_size=10**6)
    arrived: list[tuple[str, m.Command]] = []
    messages = 0
    while len(box):
        messages += 1
        assert messages < 200
        packed = box.pack(HEADER, (HDR_ACK,), max_msg_size=max_msg_size)
        assert len(packed.data) <= max_msg_size
        assert packed.final == (not box.streaming)
        msg = syncml.parse(packed.data, strict=True)
        ids = [c.cmd_id for c in msg.body.commands]
        assert ids == [str(i) for i in range(1, len(ids) + 1)]
        for sent, command in zip(packed.sent, msg.body.commands[1:], strict=True):
            assert sent.command == command
            if isinstance(command, m.Get):
                arrived.append((sent.key or "", command))
                continue
            assert isinstance(command, m.Replace)
            result = joiner.feed("Replace", command.items[0])
            if result.item is not None:
                assert result.status is None
                arrived.append((sent.key or "", dataclasses.replace(command, items=(result.item,))))
        assert joiner.end_message() is None
    assert [key for key, _ in arrived] == [str(i) for i in range(len(data))]
    for (_, got), sent_command in zip(arrived, wanted, strict=True):
        assert isinstance(got, type(sent_command))
        assert isinstance(got, m.Get | m.Replace)
        assert isinstance(sent_command, m.Get | m.Replace)
        got_item, want_item = got.items[0], sent_command.items[0]
        assert got_item.data == want_item.data
        assert got_item.target == want_item.target


def test_hand_written_first_chunk_example_is_buffered_then_completed() -> None:
    from .conftest import EXAMPLES

    msg = syncml.parse((EXAMPLES / "client-large-object-first-chunk.xml").read_bytes(), strict=True)
    results = msg.body.commands[1]
    assert isinstance(results, m.Results)
    first = results.items[0]
    joiner = Reassembler()
    started = joiner.feed("Results", first)
    assert (started.status, started.declared_size, started.item) == (StatusCode.CHUNKED_ITEM_ACCEPTED, 48, None)
    assert first.data == "SGVsbG8sIGxhcmdlIG9i"
    rest = "amVjdCwgaW4gdHdvIGNodW5rcyE="  # 28 more bytes: 48 in all, as Size says
    last = dataclasses.replace(first, meta=m.Meta(format="b64"), data=rest, more_data=False)
    whole = joiner.feed("Results", last).item
    assert whole is not None
    assert whole.data == "SGVsbG8sIGxhcmdlIG9iamVjdCwgaW4gdHdvIGNodW5rcyE="
    assert whole.meta == first.meta


def test_binary_data_is_split_as_its_base64_text() -> None:
    item = _item(m.Opaque(data=bytes(range(40))))
    chunks = split_item(item, max_chunk=16)
    assert all(c.meta is not None and c.meta.format == "b64" for c in chunks)
    assert chunks[0].meta is not None
    assert chunks[0].meta.size == "56"  # 40 bytes are 56 characters of base64
    joiner = Reassembler()
    whole = [joiner.feed("Replace", c) for c in chunks][-1].item
    assert whole is not None
    assert whole.data == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw=="


def test_chunk_without_data_still_joins() -> None:
    joiner = Reassembler()
    assert joiner.feed("Alert", m.Item(more_data=True)).status == StatusCode.CHUNKED_ITEM_ACCEPTED
    whole = joiner.feed("Alert", m.Item(data="rest")).item
    assert whole == m.Item(data="rest")
