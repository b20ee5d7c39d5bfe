"""Models that cannot be written are refused with EncodeError, saying where."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import syncml
from syncml import EncodeError
from syncml import model as m

from . import builders
from .builders import header

HDR = header(target="https://s", source="dev")


def message(*commands: m.Command) -> m.SyncML:
    return builders.message(*commands, hdr=HDR)


def add(*items: m.Item) -> m.Add:
    return m.Add(cmd_id="1", items=items)


@dataclass(frozen=True, slots=True, kw_only=True)
class Unwritable:
    name: str
    value: object
    reason: str
    path: str | None = None


TABLE = [
    Unwritable(
        name="Exec with two Items",
        value=message(m.Exec(cmd_id="1", items=(m.Item(), m.Item()))),
        reason="exactly one Item",
        path="SyncML/SyncBody/Exec[1]",
    ),
    Unwritable(
        name="Exec without Item",
        value=message(m.Exec(cmd_id="1", items=())),
        reason="<Item> is required",
        path="SyncML/SyncBody/Exec[1]",
    ),
    Unwritable(name="Add without Item", value=message(add()), reason="<Item> is required"),
    Unwritable(name="empty body", value=message(), reason="at least one command", path="SyncML/SyncBody"),
    Unwritable(
        name="whitespace around a token",
        value=message(m.Get(cmd_id=" 1", items=(m.Item(),))),
        reason="surrounding whitespace",
        path="SyncML/SyncBody/Get[1]/CmdID",
    ),
    Unwritable(
        name="control character",
        value=message(add(m.Item(data="a\x00b"))),
        reason="U+0000",
        path="SyncML/SyncBody/Add[1]/Item[1]/Data",
    ),
    Unwritable(name="lone surrogate", value=message(add(m.Item(data="\ud800"))), reason="U+D800"),
    Unwritable(
        name="control character in CDATA", value=message(add(m.Item(data=m.CData(text="\x01")))), reason="U+0001"
    ),
    Unwritable(name="broken markup", value=message(add(m.Item(data=m.Markup(xml="<a>")))), reason="not well-formed"),
    Unwritable(
        name="markup without element", value=message(add(m.Item(data=m.Markup(xml="text")))), reason="one element"
    ),
    Unwritable(name="Data of another type", value=message(add(m.Item(data=5))), reason="Data must be"),  # type: ignore[arg-type]
    Unwritable(
        name="unsupported VerDTD",
        value=builders.message(add(m.Item()), hdr=header(ver_dtd="1.0", target="a", source="b")),
        reason="VerDTD",
    ),
    Unwritable(name="not a message", value=add(m.Item()), reason="expected a SyncML message"),
    Unwritable(name="not a command", value=message(m.Item()), reason="not a command"),  # type: ignore[arg-type]
    Unwritable(
        name="wrong node type",
        value=message(m.Get(cmd_id="1", items=(m.Item(target=m.Source(loc_uri="x")),))),  # type: ignore[arg-type]
        reason="must be a Target",
    ),
    Unwritable(name="non-str value", value=message(m.Alert(cmd_id=1)), reason="must be a str"),  # type: ignore[arg-type]
    Unwritable(
        name="bad namespace prefix",
        value=m.SyncML(header=HDR, body=m.SyncBody(commands=(add(m.Item()),)), namespaces=(("1x", "urn:x"),)),
        reason="cannot declare prefix",
    ),
    Unwritable(
        name="bad data attribute name",
        value=message(add(m.Item(data="x", data_attributes=(("a b", "1"),)))),
        reason="invalid attribute name",
    ),
    Unwritable(
        name="Unknown that is not XML",
        value=message(m.Alert(cmd_id="1", unknown=(m.Unknown(xml="<x"),))),
        reason="not well-formed",
    ),
]


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_refused(case: Unwritable) -> None:
    with pytest.raises(EncodeError) as caught:
        syncml.serialize(case.value)  # type: ignore[arg-type]
    assert case.reason in str(caught.value)
    if case.path is not None:
        assert caught.value.path == case.path
    assert isinstance(caught.value, syncml.SyncMLError)


def test_fragment_needs_a_command() -> None:
    with pytest.raises(EncodeError, match="no command"):
        syncml.serialize_commands([])


def test_fragment_refuses_non_commands() -> None:
    with pytest.raises(EncodeError, match="not a command"):
        syncml.serialize_commands([m.Item()])  # type: ignore[list-item]


def test_escaping_that_must_survive() -> None:
    value = "a & b < c > d\r\ne ]]> f"
    command = add(m.Item(data=value, source=m.Source(loc_uri="./x&y")))
    written = syncml.serialize_commands([command])
    assert b"&amp; b &lt; c &gt; d&#13;\ne ]]&gt; f" in written
    assert syncml.parse_commands(written) == (command,)


def test_cdata_with_terminator_and_carriage_return() -> None:
    command = add(m.Item(data=m.CData(text="x]]>y\rz")))
    assert syncml.parse_commands(syncml.serialize_commands([command])) == (command,)


def test_data_attribute_namespaces() -> None:
    item = m.Item(data="1", data_attributes=(("{urn:a}one", "1"), ("{urn:b}two", '"2"\t'), ("plain", "3")))
    written = syncml.serialize_commands([add(item)])
    assert b'xmlns:ns0="urn:a" ns0:one="1"' in written
    assert b'ns1:two="&quot;2&quot;&#9;"' in written
    assert syncml.parse_commands(written) == (add(item),)


def test_data_attributes_need_data() -> None:
    with pytest.raises(EncodeError, match="data_attributes without Data"):
        syncml.serialize_commands([add(m.Item(data_attributes=(("a", "1"),)))])
