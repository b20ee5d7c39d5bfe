"""ServerSession under real conditions: retried messages, MsgID irregularities, held commands, encodings, limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

import syncml
from syncml import model as m
from syncml.alerts import AlertType, generic_alert
from syncml.events import CommandHeld, Event, MsgIdSkipped
from syncml.session import RetryMismatch, ServerSession, SessionConfig, SessionError, SessionState

from .devicesim import SERVER_URL, Device

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def kinds(events: Sequence[Event]) -> list[str]:
    return [type(e).__name__ for e in events]


def client(*commands: m.Command, msg_id: int = 1, session_id: str = "1", final: bool = True) -> bytes:
    header = m.SyncHdr(
        session_id=session_id,
        msg_id=str(msg_id),
        target=m.Target(loc_uri=SERVER_URL),
        source=m.Source(loc_uri="DEV-1"),
    )
    return syncml.serialize(m.SyncML(header=header, body=m.SyncBody(commands=commands, final=final)))


def alert(code: int, cmd_id: str = "1") -> m.Alert:
    return m.Alert(cmd_id=cmd_id, data=str(code))


def get(uri: str) -> m.Get:
    return m.Get(cmd_id="", items=(m.Item(target=m.Target(loc_uri=uri)),))


def header_ok(msg_ref: str = "1") -> m.Status:
    return m.Status(cmd_id="1", msg_ref=msg_ref, cmd_ref="0", cmd="SyncHdr", data="200")


UNENROLLING = generic_alert(AlertType.UNENROLLMENT_USER_REQUEST, "1", cmd_id="2", format="int")


# --- retries ----------------------------------------------------------------------------------


def test_a_retried_message_gets_the_same_reply_and_no_events() -> None:
    session = ServerSession()
    first = client(alert(1201))
    assert kinds(session.receive(first, now=NOW)) == ["SessionStarted"]
    session.send(get("./A"), key="a")
    reply = session.reply()
    pending = session.pending
    assert session.receive(first, now=NOW + timedelta(seconds=5)) == ()
    assert session.retried
    assert session.state is SessionState.REPLY_DUE
    with pytest.raises(SessionError, match="retried message"):
        session.set_status("1", 500)
    assert session.reply() == reply
    assert not session.retried
    assert session.pending == pending
    assert session.last_activity == NOW + timedelta(seconds=5)
    # The session goes on as if the retry never happened.
    answer = client(header_ok(), m.Status(cmd_id="2", msg_ref="1", cmd_ref="3", cmd="Get", data="404"), msg_id=2)
    assert kinds(session.receive(answer, now=NOW)) == ["HeaderStatusReceived", "StatusReceived"]


def test_a_retry_of_the_last_message_of_a_finished_or_aborted_session_is_answered_again() -> None:
    session = ServerSession()
    first = client(alert(1201))
    session.receive(first, now=NOW)
    reply = session.reply()
    assert session.state is SessionState.FINISHED
    session.receive(first, now=NOW)
    assert session.reply() == reply
    assert session.state is SessionState.FINISHED

    aborting = ServerSession()
    message = client(alert(1201), alert(1223, "2"))
    aborting.receive(message, now=NOW)
    reply = aborting.reply()
    assert aborting.state is SessionState.ABORTED
    assert aborting.receive(message, now=NOW) == ()
    assert aborting.reply() == reply
    assert aborting.state is SessionState.ABORTED


def test_a_model_retry_is_a_retry_too() -> None:
    session = ServerSession()
    msg = syncml.parse(client(alert(1201)))
    session.receive(msg, now=NOW)
    reply = session.reply()
    assert session.receive(msg, now=NOW) == ()
    assert session.reply() == reply


def test_same_msg_id_with_other_bytes_is_a_retry_mismatch() -> None:
    session = ServerSession()
    session.receive(client(alert(1201)), now=NOW)
    session.reply()
    with pytest.raises(RetryMismatch, match="MsgID 1 repeats the last message with different bytes") as raised:
        session.receive(client(alert(1201), alert(1224, "2")), now=NOW)
    assert raised.value.status == 400
    assert isinstance(raised.value, SessionError)


def test_a_retry_before_the_reply_was_built_is_out_of_turn() -> None:
    session = ServerSession()
    first = client(alert(1201))
    session.receive(first, now=NOW)
    with pytest.raises(SessionError, match="reply-due"):
        session.receive(first, now=NOW)


def test_a_device_retry_over_a_whole_simulated_session() -> None:
    device = Device(tree={"./A": "x" * 3000}, max_msg_size=1500)
    session = ServerSession(SessionConfig(max_msg_size=1500))  # the device splits its Results
    message: bytes | None = device.start()
    assert message is not None
    session.receive(message, now=NOW)
    session.send(get("./A"), key="a")
    replies = 0
    results: list[Event] = []
    while message is not None:
        reply = session.reply()
        # Every answer is "lost" once: the device sends the same bytes again.
        assert session.receive(message, now=NOW) == ()
        assert session.reply() == reply
        replies += 1
        message = device.answer(reply)
        if message is not None:
            results.extend(e for e in session.receive(message, now=NOW) if type(e).__name__ == "ResultsReceived")
    assert replies > 2
    assert len(results) == 1


# --- MsgIDs ------------------------------------------------------------------------------------


def test_a_first_msg_id_other_than_1_is_reported() -> None:
    events = ServerSession().receive(client(alert(1201), msg_id=5), now=NOW)
    assert kinds(events) == ["MsgIdSkipped", "SessionStarted"]
    assert events[0] == MsgIdSkipped(expected=1, received=5)


def test_a_gap_is_reported_and_a_step_back_refused() -> None:
    session = ServerSession()
    session.receive(client(alert(1201)), now=NOW)
    session.send(get("./A"))
    session.reply()
    events = session.receive(client(header_ok(), msg_id=4), now=NOW)
    assert events[0] == MsgIdSkipped(expected=2, received=4)
    session.send(get("./B"))
    session.reply()
    with pytest.raises(SessionError, match="MsgID 3 goes back") as raised:
        session.receive(client(header_ok("2"), msg_id=3), now=NOW)
    assert raised.value.status == 400


# --- held commands ----------------------------------------------------------------------------------


def test_the_unenrollment_alert_holds_every_queued_command() -> None:
    session = ServerSession()
    session.send(get("./A"), key="a")
    session.send(get("./B"), key="b")
    events = session.receive(client(alert(1201), UNENROLLING, m.Alert(cmd_id="3", data="1224")), now=NOW)
    assert kinds(events) == ["UnenrollmentRequested", "CommandHeld", "CommandHeld", "SessionStarted"]
    assert [e.key for e in events if isinstance(e, CommandHeld)] == ["a", "b"]
    assert session.holding
    with pytest.raises(SessionError, match="unenrolling"):
        session.send(get("./C"))
    reply = syncml.parse(session.reply())
    assert all(isinstance(c, m.Status) for c in reply.body.commands)
    assert session.state is SessionState.FINISHED
    assert session.close(now=NOW) == ()  # held commands are reported once, when held


# --- encodings and limits ------------------------------------------------------------------------------


def test_a_wbxml_device_gets_wbxml_and_the_config_overrides() -> None:
    wbxml = syncml.serialize(syncml.parse(client(alert(1201))), wbxml=True)
    session = ServerSession()
    session.receive(wbxml, now=NOW)
    reply = session.reply()
    assert reply[0] <= 8
    assert session.content_type == "application/vnd.syncml.dm+wbxml"
    assert syncml.parse(reply).header.target.loc_uri == "DEV-1"
    forced = ServerSession(SessionConfig(wbxml=False))
    forced.receive(wbxml, now=NOW)
    assert forced.reply().startswith(b"<SyncML")
    assert forced.content_type == "application/vnd.syncml.dm+xml"
    to_wbxml = ServerSession(SessionConfig(wbxml=True))
    to_wbxml.receive(client(alert(1201)), now=NOW)
    assert to_wbxml.reply()[0] <= 8


def test_a_model_is_held_to_the_session_limits() -> None:
    msg = syncml.parse(client(alert(1201), *(alert(1224, str(n)) for n in range(2, 60))))
    session = ServerSession(SessionConfig(limits=syncml.Limits(max_size=1024)))
    with pytest.raises(syncml.DecodeError) as raised:
        session.receive(msg, now=NOW)
    assert raised.value.status == 413
    assert session.state is SessionState.AWAITING_MESSAGE


def test_text_input_keeps_its_declared_encoding() -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>' + client(alert(1201)).decode().replace("DEV-1", "DÉV-1")
    session = ServerSession()
    events = session.receive(text, now=NOW)
    assert [e.device_id for e in events if hasattr(e, "device_id")] == ["DÉV-1"]
    reply = session.reply()
    assert session.receive(text, now=NOW) == ()
    assert session.reply() == reply
