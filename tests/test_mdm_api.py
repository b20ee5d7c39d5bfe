"""The MDM layer's public surface: exported where the docs say, typed as documented."""

from __future__ import annotations

from typing import assert_type

import syncml
from syncml import auth, msft
from syncml import model as m
from syncml.devinfo import devinfo_replace
from syncml.repair import Repaired

from .conftest import EXAMPLES


def test_helpers_are_typed() -> None:
    msg = syncml.parse((EXAMPLES / "client-session-start-md5.xml").read_bytes())
    assert_type(syncml.generic_alerts(msg), tuple[syncml.GenericAlert, ...])
    events = syncml.client_events(msg.body.commands)
    assert_type(events, tuple[syncml.GenericAlert, ...])
    assert_type(events[0].code, syncml.AlertCode | int)
    info = syncml.devinfo(msg)
    assert_type(info, syncml.DevInfo | None)
    assert info is not None
    assert_type(devinfo_replace(info, cmd_id="4"), m.Replace)
    findings = syncml.check(msg, direction=syncml.Direction.CLIENT_TO_SERVER)
    assert_type(findings, tuple[syncml.Finding, ...])
    answer = syncml.reply(msg, msg_id=1)
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
    for name in ("generic_alerts", "client_events", "GenericAlert", "AlertType", "devinfo", "DevInfo", "check",
                 "Finding", "Rule", "Severity", "Direction", "reply", "repair_quotes", "auth", "msft"):  # fmt: skip
        assert name in syncml.__all__, name
    assert syncml.msft is msft
    assert syncml.auth is auth
