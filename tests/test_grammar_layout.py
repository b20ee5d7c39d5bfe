"""Commands and containers are listed once, in the grammar, and everything else reads them from there."""

from __future__ import annotations

import typing

import pytest

import syncml
from syncml import _grammar as g
from syncml import model as m
from syncml.replies import renumber

from .builders import message


def test_every_model_class_is_named_as_its_element() -> None:
    for cls, element in g.ELEMENTS.items():
        assert cls.__name__ == element.name


def test_wire_name_is_the_grammar_name_of_each_command() -> None:
    for name, cls in g.COMMAND_CLASSES.items():
        command = typing.cast(m.Command, object.__new__(cls))  # wire_name reads the type only
        assert m.wire_name(command) == name == g.ELEMENTS[cls].name
    status = m.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200")
    assert m.wire_name(status) == "Status"


def test_a_model_class_named_otherwise_is_refused_at_definition() -> None:
    class Renamed:
        pass

    with pytest.raises(TypeError, match="Renamed is defined for element <Frobnicate>"):
        g._define("Frobnicate", Renamed)
    assert "Frobnicate" not in g.BY_NAME


def test_the_type_aliases_equal_the_grammar_tuples() -> None:
    assert set(typing.get_args(g.Container)) == set(g.CONTAINERS) == {m.Atomic, m.Sequence, m.Sync}
    assert set(typing.get_args(g.Group)) == set(g.GROUPS) == {m.Atomic, m.Sequence}
    assert set(typing.get_args(g.ClientCommand)) == set(g.command_classes(g.DM_CLIENT_COMMANDS))
    assert set(typing.get_args(m.Command)) == set(g.COMMAND_CLASSES.values())


def test_containers_are_exactly_the_elements_with_a_command_choice() -> None:
    holding = {el.cls for el in g.ELEMENTS.values() if any(c.kind is g.Kind.COMMAND for c in el.children)}
    assert holding - {m.SyncBody} == set(g.CONTAINERS)
    for cls in g.COMMAND_CLASSES.values():
        command: object = object.__new__(cls)
        assert g.is_container(command) is (cls in g.CONTAINERS)
        assert g.is_group(command) is (cls in (m.Atomic, m.Sequence))


def test_status_may_name_every_command_and_the_header() -> None:
    assert set(g.COMMAND_CLASSES) | {"SyncHdr"} == g.STATUS_CMDS
    assert "MapItem" not in g.STATUS_CMDS


def test_dm_rules_narrow_the_content_models() -> None:
    assert set(g.DM_ATOMIC_COMMANDS) <= set(g.ATOMIC_COMMANDS)
    assert set(g.DM_SEQUENCE_COMMANDS) <= set(g.SEQUENCE_COMMANDS)
    assert set(g.DM_CLIENT_COMMANDS) <= set(g.BODY_COMMANDS) - g.DS_ONLY_COMMANDS
    assert g.is_client_command(m.Replace(cmd_id="1", items=()))
    assert not g.is_client_command(m.Get(cmd_id="1", items=()))


def test_renumber_walks_into_sync_as_into_atomic() -> None:
    add = m.Add(cmd_id="9", items=(m.Item(data="x"),))
    sync = m.Sync(cmd_id="7", commands=(add, m.Atomic(cmd_id="8", commands=(add,))))
    (out,) = renumber([sync], start=1)
    assert isinstance(out, m.Sync)
    assert out.cmd_id == "1"
    assert out.commands[0].cmd_id == "2"
    inner = out.commands[1]
    assert isinstance(inner, m.Atomic)
    assert (inner.cmd_id, inner.commands[0].cmd_id) == ("3", "4")


def test_sync_nested_past_any_decoder_is_refused_before_encoding() -> None:
    inner: m.Command = m.Add(cmd_id="1", items=(m.Item(data="x"),))
    for _ in range(2000):  # deeper than Python's recursion limit allows the encoders
        inner = m.Sync(cmd_id="1", commands=(inner,))
    msg = message(inner)
    with pytest.raises(syncml.EncodeError, match="nested more than"):
        syncml.serialize(msg)
