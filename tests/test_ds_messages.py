"""SyncML DS messages on the one grammar: round trips, schemas, the quirky shapes real DS peers write."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings

import syncml
from syncml import DecodeError, QuirkKind
from syncml import model as m
from syncml.ds import strategies as st_ds

from .conftest import EXAMPLES
from .ds_example_models import DS_EXPECTED

DS_NAMES = sorted(DS_EXPECTED)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_ds.ds_messages())
def test_ds_round_trip_xml_wbxml_and_schema(msg: m.SyncML) -> None:
    xml = syncml.serialize(msg)
    assert syncml.parse(xml, strict=True) == msg
    syncml.validate(xml)
    assert syncml.parse(syncml.serialize(msg, wbxml=True), strict=True) == msg


def test_the_ds_examples_cover_every_ds_command_and_element() -> None:
    seen: set[str] = set()

    def walk(value: object) -> None:
        seen.add(type(value).__name__)
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple):
            for part in value:
                walk(part)

    for name in DS_NAMES:
        walk(DS_EXPECTED[name])
    wanted = {"Sync", "Map", "MapItem", "Put", "Get", "Search", "Move", "Delete", "Results", "Filter", "Field"}
    assert wanted | {"Record", "Anchor", "Mem", "SourceParent", "TargetParent", "Atomic"} <= seen
    flags = [c for name in DS_NAMES for c in _all_commands(DS_EXPECTED[name]) if isinstance(c, m.Delete)]
    assert any(d.archive and d.sft_del for d in flags)


def _all_commands(value: m.SyncML | tuple[m.Command, ...]) -> list[m.Command]:
    top = value.body.commands if isinstance(value, m.SyncML) else value
    found: list[m.Command] = []
    stack = list(reversed(top))
    while stack:
        command = stack.pop()
        found.append(command)
        if isinstance(command, m.Atomic | m.Sequence | m.Sync):
            stack.extend(reversed(command.commands))
    return found


@pytest.mark.parametrize("name", DS_NAMES)
def test_ds_examples_validate(name: str) -> None:
    syncml.validate((EXAMPLES / name).read_bytes())


def test_an_empty_sync_says_there_are_no_changes() -> None:
    msg = DS_EXPECTED["ds-server-sync-add.xml"]
    assert isinstance(msg, m.SyncML)
    empty = m.Sync(cmd_id="9", target=m.Target(loc_uri="contacts"), number_of_changes="0")
    changed = dataclasses.replace(msg, body=dataclasses.replace(msg.body, commands=(*msg.body.commands, empty)))
    for wbxml in (False, True):
        assert syncml.parse(syncml.serialize(changed, wbxml=wbxml), strict=True) == changed
    assert b"<Sync><CmdID>9</CmdID><Target><LocURI>contacts</LocURI></Target>" in syncml.serialize(changed)


def test_number_of_changes_is_a_count() -> None:
    assert m.Sync(cmd_id="1", number_of_changes="12").number_of_changes_int == 12
    assert m.Sync(cmd_id="1").number_of_changes_int is None
    xml = (
        (EXAMPLES / "ds-client-slow-sync-items.xml")
        .read_bytes()
        .replace(b"<NumberOfChanges>2</NumberOfChanges>", b"<NumberOfChanges>two</NumberOfChanges>")
    )
    with pytest.raises(DecodeError, match="NumberOfChanges"):
        syncml.parse(xml, strict=True)
    with pytest.raises(syncml.SchemaError):
        syncml.validate(xml)
    lenient = syncml.parse(xml)
    sync = lenient.body.commands[3]
    assert isinstance(sync, m.Sync)
    with pytest.raises(DecodeError, match="NumberOfChanges"):
        _ = sync.number_of_changes_int


@pytest.mark.parametrize(
    ("old", "new", "quirk"),
    [
        # No namespace on the root (several DS clients write a bare <SyncML>).
        (b'<SyncML xmlns="SYNCML:SYNCML1.2">', b"<SyncML>", QuirkKind.NO_NAMESPACE),
        # The SyncML 1.1 namespace with VerDTD 1.2.
        (b'<SyncML xmlns="SYNCML:SYNCML1.2">', b'<SyncML xmlns="SYNCML:SYNCML1.1">', QuirkKind.VERSION_MISMATCH),
        # Anchor outside the metinf namespace.
        (b'<Anchor xmlns="syncml:metinf">', b"<Anchor>", QuirkKind.METINF_NAMESPACE),
    ],
)
def test_quirky_ds_shapes_read_leniently(old: bytes, new: bytes, quirk: QuirkKind) -> None:
    data = (EXAMPLES / "ds-client-slow-sync-alert-put-devinf.xml").read_bytes()
    assert old in data
    quirky = data.replace(old, new, 1)
    msg = syncml.parse(quirky)
    assert quirk in [q.kind for q in msg.quirks]
    assert msg == DS_EXPECTED["ds-client-slow-sync-alert-put-devinf.xml"]
    with pytest.raises(DecodeError):
        syncml.parse(quirky, strict=True)


def test_funambol_style_results_with_cmd_read_leniently() -> None:
    # Results naming the command it answers in Cmd, as MS-MDM's model (and
    # some DS servers) write it: kept, tolerated, refused when strict.
    data = (EXAMPLES / "ds-client-slow-sync-items.xml").read_bytes()
    quirky = data.replace(b"<CmdRef>5</CmdRef>", b"<CmdRef>5</CmdRef><Cmd>Get</Cmd>", 1)
    msg = syncml.parse(quirky)
    assert [q.kind for q in msg.quirks] == [QuirkKind.RESULTS_CMD]
    results = msg.body.commands[2]
    assert isinstance(results, m.Results)
    assert results.cmd == "Get"


def test_verproto_syncml_is_accepted_and_other_protocols_are_not() -> None:
    data = (EXAMPLES / "ds-client-map.xml").read_bytes()
    assert syncml.parse(data, strict=True).header.ver_proto == "SyncML/1.2"
    other = data.replace(b"SyncML/1.2", b"XYZ/1.0")
    with pytest.raises(DecodeError) as info:
        syncml.parse(other, strict=True)
    assert info.value.status == 513
    with pytest.raises(DecodeError) as info:
        syncml.parse(syncml.serialize(syncml.parse(other), wbxml=True), strict=True)
    assert info.value.status == 513


def test_ds_commands_are_refused_where_the_dtd_does_not_list_them() -> None:
    # Put is not in Sync's choice: a command-placement quirk, strict refuses.
    data = (EXAMPLES / "ds-client-slow-sync-items.xml").read_bytes()
    quirky = data.replace(b"</Replace>", b"</Replace><Put><CmdID>77</CmdID><Item><Data>x</Data></Item></Put>", 1)
    assert [q.kind for q in syncml.parse(quirky).quirks] == [QuirkKind.COMMAND_PLACEMENT]
    with pytest.raises(DecodeError, match="Put"):
        syncml.parse(quirky, strict=True)


# --- check: DM or DS by VerProto ----------------------------------------------------------------


@pytest.mark.parametrize("name", DS_NAMES)
def test_ds_examples_pass_check(name: str) -> None:
    msg = DS_EXPECTED[name]
    direction = syncml.Direction.CLIENT_TO_SERVER if name.startswith("ds-client") else syncml.Direction.SERVER_TO_CLIENT
    assert syncml.check(msg, direction=direction) == ()


def test_check_holds_ds_to_the_representation_rules_only() -> None:
    msg = DS_EXPECTED["ds-client-slow-sync-alert-put-devinf.xml"]
    assert isinstance(msg, m.SyncML)
    put = msg.body.commands[1]
    assert isinstance(put, m.Put)
    # DM forbids NoResp and Cred on commands and a client's Put; DS does not.
    relaxed = dataclasses.replace(put, no_resp=True, cred=m.Cred(data="x"), meta=m.Meta(size="big"))
    broken = dataclasses.replace(
        msg, body=dataclasses.replace(msg.body, commands=(msg.body.commands[0], relaxed, m.Alert(cmd_id="1")))
    )
    findings = [(str(f.rule), f.path) for f in syncml.check(broken, direction=syncml.Direction.CLIENT_TO_SERVER)]
    assert findings == [
        ("cmdid-duplicate", "SyncML/SyncBody/Alert[2]/CmdID"),
        ("meta-number", "SyncML/SyncBody/Put[1]/Meta/Size"),
    ]
    as_dm = dataclasses.replace(broken, header=dataclasses.replace(broken.header, ver_proto="DM/1.2"))
    rules = {str(f.rule) for f in syncml.check(as_dm, direction=syncml.Direction.CLIENT_TO_SERVER)}
    assert {"ds-command", "noresp", "cred-below-synchdr", "client-command"} <= rules


def test_cmd_ids_inside_sync_are_checked() -> None:
    msg = DS_EXPECTED["ds-client-two-way-changes.xml"]
    assert isinstance(msg, m.SyncML)
    sync = msg.body.commands[1]
    assert isinstance(sync, m.Sync)
    twice = dataclasses.replace(sync, commands=(*sync.commands, m.Add(cmd_id="3", items=(m.Item(),))))
    changed = dataclasses.replace(msg, body=dataclasses.replace(msg.body, commands=(msg.body.commands[0], twice)))
    assert [(str(f.rule), f.path) for f in syncml.check(changed)] == [
        ("cmdid-duplicate", "SyncML/SyncBody/Sync[1]/Add[2]/CmdID")
    ]
