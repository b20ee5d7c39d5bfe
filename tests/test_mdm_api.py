"""The MDM layer's public surface: exported where the docs say, typed as documented."""

from __future__ import annotations

from typing import assert_type

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
