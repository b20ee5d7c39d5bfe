"""The MDM layer's public surface: exported where the docs say, typed as documented."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from typing import assert_type

import pytest

import syncml
import syncml.server
from syncml import auth, devinfo_replace, msft
from syncml import model as m
from syncml.repair import Repaired

from .conftest import EXAMPLES


def test_helpers_are_typed() -> None:
    msg = syncml.parse((EXAMPLES / "client-session-start-md5.xml").read_bytes())
    assert_type(syncml.generic_alerts(msg), tuple[syncml.GenericAlert, ...])
    events = syncml.client_events(msg.body.commands)
    assert_type(events, tuple[syncml.GenericAlert, ...])
    assert_type(events[0].code, syncml.AlertCode | int)
    info = syncml.read_devinfo(msg)
    assert_type(info, syncml.DevInfo | None)
    assert info is not None
    assert_type(devinfo_replace(info, cmd_id="4"), m.Replace)
    findings = syncml.check(msg, direction=syncml.Direction.CLIENT_TO_SERVER)
    assert_type(findings, tuple[syncml.Finding, ...])
    answer = syncml.server.reply(msg, msg_id=1)
    assert_type(answer, syncml.SyncML)
    assert_type(msft.unenroll_request(msg), syncml.GenericAlert | None)
    assert_type(msft.unenroll_exec("P", cmd_id="2"), m.Exec)
    assert_type(msft.unenroll_provider(answer.body.commands[0]), str | None)
    assert_type(auth.md5_digest("u", "p", b"n"), str)
    assert_type(auth.verify(msg.header, password="p", nonce=b"n"), bool)
    assert_type(auth.challenge(msg.header, cmd_id=1, nonce=b"n"), m.Status)
    assert_type(syncml.repair_quotes(b"<a/>"), Repaired)
    assert events[0].known is syncml.AlertType.LOGIN_STATUS
    assert findings == ()


def test_names_the_docs_use_are_exported() -> None:
    for name in ("generic_alerts", "client_events", "generic_alert", "client_event", "GenericAlert", "AlertType",
                 "read_devinfo", "devinfo_replace", "DevInfo", "check", "Finding", "Rule", "Severity", "Direction",
                 "repair_quotes"):  # fmt: skip
        assert name in syncml.__all__, name
    for name in ("ServerSession", "CommandQueue", "reply", "result_item", "ReplyTooLargeError"):
        assert name in syncml.server.__all__, name
        assert name not in syncml.__all__, name


def test_public_modules_are_imported_by_name() -> None:
    import importlib

    for name in ("auth", "msft", "alerts", "devinfo", "largeobject", "outbox", "replies", "ddf"):
        module = importlib.import_module(f"syncml.{name}")
        assert getattr(syncml, name) is module, name
        assert name not in syncml.__all__, name
    assert msft.unenroll_exec is importlib.import_module("syncml.msft").unenroll_exec
    assert auth.verify is importlib.import_module("syncml.auth").verify


def test_devinfo_is_the_module_and_its_names_are_reachable() -> None:
    import syncml.devinfo

    assert syncml.devinfo.devinfo_replace is devinfo_replace
    assert syncml.devinfo.read_devinfo is syncml.read_devinfo


# --- commands without a CmdID ---------------------------------------------------------------

_NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def _get(uri: str) -> m.Get:
    return m.Get(items=(m.Item(target=m.Target(loc_uri=uri)),))


def test_a_command_built_without_cmd_id_is_unnumbered() -> None:
    get = _get("./DevDetail/SwV")
    assert not m.is_numbered(get.cmd_id)
    assert get.cmd_id is m.UNNUMBERED
    assert m.is_numbered("")
    assert m.is_numbered("7")
    assert repr(get).startswith("Get(cmd_id=UNNUMBERED,")
    assert not m.is_numbered(pickle.loads(pickle.dumps(get)).cmd_id)
    assert not m.is_numbered(msft.unenroll_exec("P").cmd_id)
    assert not m.is_numbered(syncml.generic_alert("t", "1").cmd_id)


@pytest.mark.parametrize("wbxml", [False, True])
def test_encoding_an_unnumbered_command_is_an_encode_error(wbxml: bool) -> None:
    header = m.SyncHdr(session_id="1", msg_id="1", target=m.Target(loc_uri="a"), source=m.Source(loc_uri="b"))
    nested = m.Atomic(cmd_id="1", commands=(m.Replace(cmd_id="2", items=()), m.Delete(items=())))
    for commands, path in (((_get("./A"),), "Get/CmdID"), ((nested,), "Delete/CmdID")):
        msg = m.SyncML(header=header, body=m.SyncBody(commands=commands, final=True))
        with pytest.raises(syncml.EncodeError, match="no CmdID") as raised:
            syncml.serialize(msg, wbxml=wbxml)
        assert raised.value.path == path
        with pytest.raises(syncml.EncodeError, match="no CmdID"):
            syncml.serialize_commands(commands)


def test_an_empty_cmd_id_read_from_a_message_is_written_back() -> None:
    data = (EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"<CmdID>2</CmdID>", b"<CmdID></CmdID>", 1)
    msg = syncml.parse(data)
    assert msg.body.commands[0].cmd_id == ""
    assert m.is_numbered(msg.body.commands[0].cmd_id)
    assert syncml.parse(syncml.serialize(msg)) == msg
    assert b"<CmdID></CmdID>" in syncml.serialize(msg)


def test_the_session_and_the_queue_number_what_they_send() -> None:
    queue = syncml.server.CommandQueue(device_id="DEV-1")
    entry = queue.add(_get("./DevDetail/SwV"), now=_NOW)
    queue.unenroll("Contoso", now=_NOW)
    queue = syncml.server.CommandQueue.from_json(queue.to_json())
    session = syncml.server.ServerSession()
    session.receive((EXAMPLES / "client-session-start-md5.xml").read_bytes(), now=_NOW)
    for due in queue.take(now=_NOW):
        session.send(due.command, key=due.id)
    session.send(devinfo_replace(syncml.DevInfo(dev_id="D1")))
    session.reply()
    sent = session.last_reply
    assert sent is not None
    ids = [c.cmd_id for c in sent.body.commands]
    assert all(m.is_numbered(i) and i.isdigit() for i in ids)
    assert len(set(ids)) == len(ids)
    assert [m.wire_name(c) for c in sent.body.commands][-3:] == ["Get", "Exec", "Replace"]
    assert entry.id in {e.id for e in queue.entries}
