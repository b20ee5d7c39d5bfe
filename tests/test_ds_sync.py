"""The DS helper layer: sync requests and anchors, the client's changes, the server's Sync and Map answer."""

from __future__ import annotations

from itertools import count

import pytest

import syncml
from syncml import AlertCode, EncodeError, StatusCode
from syncml import model as m
from syncml.ds import sync

from .ds_example_models import DS_EXPECTED


def _msg(name: str) -> m.SyncML:
    msg = DS_EXPECTED[name]
    assert isinstance(msg, m.SyncML)
    return msg


def _request(code: int, last: str | None = "A1", next_: str | None = "A2") -> sync.SyncRequest:
    return sync.SyncRequest(cmd_id="1", code=code, target="./contacts", source="contacts", last=last, next=next_)


def test_sync_requests_from_package_1() -> None:
    (request,) = sync.sync_requests(_msg("ds-client-slow-sync-alert-put-devinf.xml"))
    assert request == sync.SyncRequest(
        cmd_id="1",
        code=AlertCode.SLOW_SYNC,
        target="./contacts",
        source="contacts",
        last=None,
        next="20261205T101500Z",
    )
    # Alerts that are not sync alerts, and alerts without Items, give nothing.
    other = [m.Alert(cmd_id="1", data="1201"), m.Alert(cmd_id="2", data="200"), m.Alert(cmd_id="3", data="x")]
    assert sync.sync_requests(other) == ()
    plain = [m.Alert(cmd_id="4", data="200", items=(m.Item(),))]
    assert sync.sync_requests(plain)[0] == sync.SyncRequest(
        cmd_id="4", code=AlertCode.TWO_WAY, target="", source="", last=None, next=None
    )


@pytest.mark.parametrize(
    ("code", "last", "stored", "slow"),
    [
        (AlertCode.TWO_WAY, "A1", "A1", False),
        (AlertCode.TWO_WAY, "A1", "A0", True),
        (AlertCode.TWO_WAY, "A1", None, True),
        (AlertCode.TWO_WAY, None, "A1", True),
        (AlertCode.SLOW_SYNC, "A1", "A1", True),
        (AlertCode.ONE_WAY_FROM_CLIENT, "A1", "A1", False),
        (AlertCode.REFRESH_FROM_SERVER, None, None, False),
        (AlertCode.REFRESH_FROM_CLIENT_BY_SERVER, None, None, False),
    ],
)
def test_anchors_decide_slow_sync(code: int, last: str | None, stored: str | None, slow: bool) -> None:
    assert sync.slow_sync_required(_request(code, last), stored) is slow


def test_alert_answer_agrees_or_asks_for_a_slow_sync() -> None:
    status, alert = sync.alert_answer(
        _request(AlertCode.TWO_WAY), msg_ref="1", status_cmd_id="2", alert_cmd_id="3", slow=False, server_next="S2",
        server_last="S1",
    )  # fmt: skip
    assert (status.code, status.cmd_ref, status.cmd) == (StatusCode.OK, "1", "Alert")
    assert status.target_refs == ("./contacts",)
    assert status.items[0].data == m.Markup(xml='<Anchor xmlns="syncml:metinf"><Next>A2</Next></Anchor>')
    assert alert.code == AlertCode.TWO_WAY
    item = alert.items[0]
    assert item.target == m.Target(loc_uri="contacts")
    assert item.meta == m.Meta(anchor=m.Anchor(last="S1", next="S2"))
    refused, slow = sync.alert_answer(
        _request(AlertCode.TWO_WAY, next_="a<b"), msg_ref="1", status_cmd_id="2", alert_cmd_id="3", slow=True,
        server_next="S2",
    )  # fmt: skip
    assert (refused.code, slow.code) == (StatusCode.REFRESH_REQUIRED, AlertCode.SLOW_SYNC)
    assert refused.items[0].data == m.Markup(xml='<Anchor xmlns="syncml:metinf"><Next>a&lt;b</Next></Anchor>')
    asked, _ = sync.alert_answer(
        _request(AlertCode.SLOW_SYNC, next_=None), msg_ref="1", status_cmd_id="2", alert_cmd_id="3", slow=True,
        server_next="S2",
    )  # fmt: skip
    assert (asked.code, asked.items) == (StatusCode.OK, ())


def test_answers_are_valid_messages() -> None:
    request = sync.sync_requests(_msg("ds-client-slow-sync-alert-put-devinf.xml"))[0]
    status, alert = sync.alert_answer(
        request, msg_ref="1", status_cmd_id="2", alert_cmd_id="3", slow=True, server_next="42"
    )
    header = _msg("ds-server-slow-sync-alert.xml").header
    message = m.SyncML(header=header, body=m.SyncBody(commands=(status, alert), final=True))
    xml = syncml.serialize(message)
    syncml.validate(xml)
    assert syncml.parse(xml, strict=True) == message


def test_read_changes_of_a_slow_sync_and_a_two_way_sync() -> None:
    (slow,) = sync.read_changes(_msg("ds-client-slow-sync-items.xml"))
    assert (slow.cmd_id, slow.target, slow.source, slow.number_of_changes) == ("4", "./contacts", "contacts", 2)
    assert [(c.kind, c.luid, c.cmd_id) for c in slow.changes] == [
        (sync.ChangeKind.REPLACE, "1001", "5"),
        (sync.ChangeKind.REPLACE, "1002", "5"),
    ]
    assert slow.changes[0].data == "BEGIN:VCARD\nVERSION:2.1\nN:Doe;John\nEND:VCARD"
    (two_way,) = sync.read_changes(_msg("ds-client-two-way-changes.xml"))
    kinds = [(c.kind.value, c.luid, c.guid, c.parent, c.content_type, c.soft, c.archive) for c in two_way.changes]
    assert kinds == [
        ("add", "1004", None, None, "text/x-vcard", False, False),
        ("replace", "1003", "g-7f3a", None, "text/x-vcard", False, False),
        ("delete", "1002", None, None, None, False, False),
        ("delete", "1001", None, None, None, True, True),
        ("move", "1004", None, "friends", None, False, False),
    ]


def test_item_meta_type_wins_and_copies_and_sequences_are_read() -> None:
    item = m.Item(source=m.Source(loc_uri="7"), meta=m.Meta(type="text/vcard"))
    inner = m.Sequence(cmd_id="3", commands=(m.Copy(cmd_id="4", meta=m.Meta(type="x"), items=(item,)),))
    sync_cmd = m.Sync(cmd_id="2", commands=(inner, m.Alert(cmd_id="5")))
    (changes,) = sync.read_changes([sync_cmd])
    assert changes.changes == (sync.Change(kind=sync.ChangeKind.COPY, cmd_id="4", luid="7", content_type="text/vcard"),)
    assert (changes.target, changes.source, changes.number_of_changes) == ("", "", None)


def test_build_sync_and_its_errors() -> None:
    ids = map(str, count(5))
    built = sync.build_sync(
        cmd_ids=ids,
        target="contacts",
        source="./contacts",
        content_type="text/x-vcard",
        changes=[
            sync.ServerChange(kind=sync.ChangeKind.ADD, guid="g1", data="BEGIN:VCARD"),
            sync.ServerChange(kind=sync.ChangeKind.REPLACE, guid="g2", luid="1002", data="BEGIN:VCARD"),
            sync.ServerChange(kind=sync.ChangeKind.DELETE, luid="1001"),
        ],
    )
    assert (built.cmd_id, built.number_of_changes) == ("5", "3")
    add, replace, delete = built.commands
    assert isinstance(add, m.Add)
    assert (add.cmd_id, add.items[0].source, add.meta) == ("6", m.Source(loc_uri="g1"), m.Meta(type="text/x-vcard"))
    assert isinstance(replace, m.Replace)
    assert (replace.items[0].target, replace.items[0].source) == (m.Target(loc_uri="1002"), m.Source(loc_uri="g2"))
    assert isinstance(delete, m.Delete)
    assert delete.items == (m.Item(target=m.Target(loc_uri="1001")),)
    assert next(ids) == "9"
    header = _msg("ds-server-sync-add.xml").header
    syncml.validate(syncml.serialize(m.SyncML(header=header, body=m.SyncBody(commands=(built,)))))
    for change, words in [
        (sync.ServerChange(kind=sync.ChangeKind.ADD), "GUID"),
        (sync.ServerChange(kind=sync.ChangeKind.REPLACE, guid="g"), "LUID"),
        (sync.ServerChange(kind=sync.ChangeKind.MOVE, luid="1"), "not move"),
    ]:
        with pytest.raises(EncodeError, match=words):
            sync.build_sync(cmd_ids=iter(["1", "2"]), target="t", source="s", changes=[change])


def test_map_and_its_status() -> None:
    client_map = _msg("ds-client-map.xml").body.commands[3]
    assert isinstance(client_map, m.Map)
    assert sync.read_map(client_map) == (("g-7f3a", "1003"),)
    status = sync.map_status(client_map, msg_ref="3", cmd_id="2")
    assert (status.cmd, status.cmd_ref, status.code) == ("Map", "4", StatusCode.OK)
    assert (status.target_refs, status.source_refs) == (("./contacts",), ("contacts",))
    failed = sync.map_status(client_map, msg_ref="3", cmd_id="2", code=StatusCode.COMMAND_FAILED)
    assert failed.data == "500"
