"""Properties of the XML codec, each named by its invariant."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml import strategies as sst


@given(sst.messages())
def test_parse_of_serialize_is_identity(msg: m.SyncML) -> None:
    """parse(serialize(m)) == m, even strictly."""
    assert syncml.parse(syncml.serialize(msg), strict=True) == msg


@given(sst.messages(max_commands=3))
def test_pretty_output_parses_to_the_same_model(msg: m.SyncML) -> None:
    assert syncml.parse(syncml.serialize(msg, pretty=True), strict=True) == msg


@given(sst.messages(max_commands=3))
def test_serialize_is_stable(msg: m.SyncML) -> None:
    """Writing what was read gives the same bytes: output is deterministic."""
    first = syncml.serialize(msg)
    assert syncml.serialize(syncml.parse(first)) == first


@given(st.lists(sst.commands(), min_size=1, max_size=4).map(tuple))
def test_fragments_round_trip(commands: tuple[m.Command, ...]) -> None:
    assert syncml.parse_commands(syncml.serialize_commands(commands), strict=True) == commands


@given(sst.messages(max_commands=2))
def test_text_utf16_and_declared_input_agree(msg: m.SyncML) -> None:
    data = syncml.serialize(msg)
    text = data.decode("utf-8")
    assert syncml.parse(text) == msg
    assert syncml.parse(b"\xff\xfe" + text.encode("utf-16-le")) == msg
    assert syncml.parse(b'<?xml version="1.0" encoding="UTF-8"?>\n' + data, strict=True) == msg
    assert syncml.parse(b"\xef\xbb\xbf" + data, strict=True) == msg


@given(sst.messages(max_commands=3), st.data())
def test_any_truncation_parses_or_raises_syncml_error(msg: m.SyncML, data: st.DataObject) -> None:
    raw = syncml.serialize(msg)
    cut = data.draw(st.integers(0, len(raw) - 1))
    try:
        parsed = syncml.parse(raw[:cut])
    except syncml.SyncMLError:
        return
    assert syncml.parse(syncml.serialize(parsed)) == parsed  # pragma: no cover - a prefix is never whole


@given(sst.messages(max_commands=3), st.data())
def test_any_byte_mutation_parses_or_raises_syncml_error(msg: m.SyncML, data: st.DataObject) -> None:
    """Mutated bytes end in a model or SyncMLError; an accepted model round-trips."""
    raw = bytearray(syncml.serialize(msg))
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(raw) - 1))
        raw[where] = data.draw(st.integers(0, 255))
    for strict in (False, True):
        try:
            parsed = syncml.parse(bytes(raw), strict=strict)
        except syncml.SyncMLError:
            continue
        assert syncml.parse(syncml.serialize(parsed)) == parsed


@given(sst.items())
def test_any_item_survives_inside_a_replace(item: m.Item) -> None:
    command = m.Replace(cmd_id="1", items=(item,))
    assert syncml.parse_commands(syncml.serialize_commands([command])) == (command,)


@given(sst.data_values())
def test_data_form_is_kept(value: m.Data) -> None:
    """Text stays str, a CDATA section stays CData, markup stays Markup."""
    command = m.Add(cmd_id="1", items=(m.Item(data=value),))
    (back,) = syncml.parse_commands(syncml.serialize_commands([command]))
    assert isinstance(back, m.Add)
    assert type(back.items[0].data) is type(value)
    assert back.items[0].data == value
