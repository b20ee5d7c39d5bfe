"""ServerSession against the simulated device, through bytes only, and against hand-written messages."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import assert_type

import pytest

import syncml
import syncml.auth
import syncml.server
from syncml import model as m
from syncml.alerts import AlertType
from syncml.codes import AlertCode, StatusCode
from syncml.commandqueue import CommandQueue, EntryState
from syncml.events import (
    ChunkAccepted,
    ClientEventReceived,
    CommandNotSent,
    CommandReceived,
    CommandTooLarge,
    CommandUnanswered,
    Event,
    GenericAlertReceived,
    HeaderStatusReceived,
    ObjectAbandoned,
    ResultsReceived,
    SessionAborted,
    SessionStarted,
    StatusReceived,
    UnenrollmentRequested,
    UnmatchedResults,
    UnmatchedStatus,
)
from syncml.session import ServerSession, SessionConfig, SessionError, SessionState

from .devicesim import SERVER_URL, Device

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PROVIDER = "Contoso MDM"
POLICY = "./Vendor/MSFT/Policy/Config/Browser/HomePages"
BIG_NODE = "./Vendor/MSFT/DiagnosticLog/EtwLog/Collectors/Boot/Data"


def _target(uri: str) -> m.Item:
    return m.Item(target=m.Target(loc_uri=uri))


def get(uri: str) -> m.Get:
    return m.Get(cmd_id="", items=(_target(uri),))


def replace(uri: str, value: str) -> m.Replace:
    return m.Replace(cmd_id="", items=(m.Item(target=m.Target(loc_uri=uri), meta=m.Meta(format="chr"), data=value),))


def execute(uri: str) -> m.Exec:
    return m.Exec(cmd_id="", items=(_target(uri),))


def kinds(events: Sequence[Event]) -> list[str]:
    return [type(e).__name__ for e in events]


def run(session: ServerSession, device: Device, first: bytes, *, now: datetime = NOW) -> list[Event]:
    """Exchange messages until the device stops talking; returns every event."""
    events = list(session.receive(first, now=now))
    for _ in range(200):
        answer = device.answer(session.reply())
        if answer is None:
            return events
        events.extend(session.receive(answer, now=now))
    raise AssertionError("the session did not end")


def check_log(device: Device, server_max: int | None, device_max: int | None) -> None:
    """Every message both ways parses strictly, fits its limit and breaks no protocol rule."""
    for sender, data in device.log:
        msg = syncml.parse(data, strict=True)
        limit = device_max if sender == "server" else server_max
        if limit is not None:
            assert len(data) <= limit, (sender, len(data), limit)
        direction = syncml.Direction.SERVER_TO_CLIENT if sender == "server" else syncml.Direction.CLIENT_TO_SERVER
        errors = [f for f in syncml.check(msg, direction=direction) if f.severity is syncml.Severity.ERROR]
        assert errors == [], (sender, errors)


# --- the full simulated session ----------------------------------------------------------


def test_full_session_start_commands_large_objects_and_both_unenrollments() -> None:
    device = Device(
        tree={"./DevDetail/SwV": "10.0.19043.2364", POLICY: "about:blank", BIG_NODE: "QUJD" * 1500},
        max_msg_size=2000,
    )
    queue = CommandQueue(device_id=device.device_id)

    # Session 1: package 1 with DevInfo, then Get + Replace + Exec, then a
    # large object each way.
    session = ServerSession(SessionConfig(max_msg_size=1800))
    started = session.receive(device.start(session_id="1"), now=NOW)
    assert kinds(started) == ["SessionStarted", "ClientEventReceived"]
    start = started[0]
    assert isinstance(start, SessionStarted)
    assert (start.alert, start.device_id, start.session_id) == (AlertCode.CLIENT_INITIATED_MGMT, device.device_id, "1")
    assert start.devinfo == device.info
    event = started[1]
    assert isinstance(event, ClientEventReceived)
    assert event.event.matches(AlertType.LOGIN_STATUS)
    assert event.event.text == "user"
    assert queue.apply(started, now=NOW) == ()
    assert queue.last_seen == NOW

    big_value = "<policy>" + "é&x" * 700 + "</policy>"
    session.send(get("./DevDetail/SwV"), key="swv")
    session.send(replace(POLICY, "https://contoso.example"), key="homepage")
    session.send(execute("./Vendor/MSFT/RemoteWipe/doWipeProtected"), key="exec")
    session.send(replace(POLICY, big_value), key="big-replace")
    session.send(get(BIG_NODE), key="big-get")
    events: list[Event] = []
    for _ in range(50):
        answer = device.answer(session.reply())
        if answer is None:
            break
        events.extend(session.receive(answer, now=NOW))
    assert session.state is SessionState.FINISHED

    ours = [e for e in events if isinstance(e, StatusReceived) and e.key is not None]
    assert {e.key: e.status.code for e in ours} == {
        "swv": 200,
        "homepage": 200,
        "exec": 200,
        "big-replace": 200,
        "big-get": 200,
    }
    assert [e.key for e in ours] == [
        "swv",
        "homepage",
        "exec",
        "big-replace",
        "big-get",
    ]
    chunks = [e for e in events if isinstance(e, ChunkAccepted)]
    assert chunks
    assert all(e.key == "big-replace" and e.status.code == StatusCode.CHUNKED_ITEM_ACCEPTED for e in chunks)
    results = {e.key: e.results.items[0].data for e in events if isinstance(e, ResultsReceived)}
    assert results == {"swv": "10.0.19043.2364", "big-get": "QUJD" * 1500}
    assert device.tree[POLICY] == big_value
    assert device.executed == ["./Vendor/MSFT/RemoteWipe/doWipeProtected"]
    assert not [e for e in events if isinstance(e, UnmatchedStatus | UnmatchedResults)]
    assert session.close(now=NOW) == ()
    check_log(device, 1800, 2000)

    # Session 2: the user unenrolls on the device.
    session = ServerSession()
    events = run(session, device, device.start(session_id="2", user_unenroll=True))
    unenroll = [e for e in events if isinstance(e, UnenrollmentRequested)]
    assert len(unenroll) == 1
    assert unenroll[0].alert.format == "int"
    assert unenroll[0].alert.text == "1"
    assert queue.apply(events, now=NOW) == ()  # no unenroll of ours was pending
    assert session.close(now=NOW) == ()

    # Session 3: the device enrolled again; the server unenrolls it.  The
    # device aborts at the Exec: no Status comes back.
    assert queue.unenrolled  # the 1226 alert told the queue
    assert not queue.unenroll(PROVIDER, now=NOW).added
    device.unenrolled = False
    assert queue.reenrolled(now=NOW) == ()
    queued = queue.unenroll(PROVIDER, now=NOW)
    assert queued.added
    assert queued.entry is not None
    session = ServerSession()
    events = list(session.receive(device.start(session_id="3"), now=NOW))
    queue.apply(events, now=NOW)
    for entry in queue.take(now=NOW):
        session.send(entry.command, key=entry.id)
    assert device.answer(session.reply()) is None
    assert device.unenrolled
    assert device.executed[-1] == f"./Vendor/MSFT/DMClient/Provider/{PROVIDER}/Unenroll"
    leftovers = session.close(now=NOW + timedelta(minutes=5))
    assert kinds(leftovers) == ["CommandUnanswered"]
    assert leftovers[0].key == queued.entry.id  # type: ignore[union-attr]  # a CommandUnanswered
    assert queue.apply(leftovers, now=NOW) == ()
    assert queue.get(queued.entry.id).state is EntryState.SENT
    again = queue.unenroll(PROVIDER, now=NOW + timedelta(minutes=6))
    assert not again.added
    assert again.reason is not None
    assert "was sent" in again.reason

    # Session 4: a new session (MsgID 1) carries the 1226 unenrollment alert.
    later = NOW + timedelta(hours=1)
    session = ServerSession()
    first = device.start(session_id="4")
    assert syncml.parse(first).header.msg_id == "1"
    events = run(session, device, first, now=later)
    assert "UnenrollmentRequested" in kinds(events)
    changed = queue.apply(events, now=later)
    assert [(e.id, e.state) for e in changed] == [(queued.entry.id, EntryState.CONFIRMED)]
    assert queue.pending_unenroll is None
    assert not queue.unenroll(PROVIDER, now=later).added  # unenrolled: nothing to unenroll
    queue.reenrolled(now=later)
    assert queue.unenroll(PROVIDER, now=later).added  # a new enrollment can be unenrolled again
    check_log(device, None, 2000)


# --- hand-written messages -----------------------------------------------------------------


def client(commands: Sequence[m.Command], *, msg_id: int = 1, final: bool = True, **hdr: object) -> m.SyncML:
    header = m.SyncHdr(
        session_id=str(hdr.get("session_id", "1")),
        msg_id=str(msg_id),
        target=m.Target(loc_uri=SERVER_URL),
        source=m.Source(loc_uri=str(hdr.get("device", "DEV-1"))),
        meta=hdr.get("meta"),  # type: ignore[arg-type]
    )
    return m.SyncML(header=header, body=m.SyncBody(commands=tuple(commands), final=final))


def alert(code: int, cmd_id: str = "1") -> m.Alert:
    return m.Alert(cmd_id=cmd_id, data=str(code))


def status(cmd_ref: str, cmd: str, code: int = 200, *, msg_ref: str = "1", cmd_id: str = "1") -> m.Status:
    return m.Status(cmd_id=cmd_id, msg_ref=msg_ref, cmd_ref=cmd_ref, cmd=cmd, data=str(code))


def started_session(*commands: m.Command, config: SessionConfig | None = None) -> ServerSession:
    session = ServerSession(config)
    session.receive(client([alert(1201)]), now=NOW)
    for command in commands:
        session.send(command, key=type(command).__name__)
    session.reply()
    return session


def test_numbering_and_reply_shape() -> None:
    session = started_session(get("./A"), m.Atomic(cmd_id="x", commands=(replace("./B", "1"), replace("./C", "2"))))
    reply = session.last_reply
    assert reply is not None
    assert reply.header.msg_id == "1"
    assert (reply.header.target.loc_uri, reply.header.source.loc_uri) == ("DEV-1", SERVER_URL)
    commands = reply.body.commands
    assert [(type(c).__name__, c.cmd_id) for c in commands] == [
        ("Status", "1"),
        ("Status", "2"),
        ("Get", "3"),
        ("Atomic", "4"),
    ]
    atomic = commands[3]
    assert isinstance(atomic, m.Atomic)
    assert [c.cmd_id for c in atomic.commands] == ["5", "6"]
    assert reply.body.final
    assert session.pending == 2
    answer = client(
        [
            status("0", "SyncHdr"),
            status("3", "Get"),
            status("4", "Atomic"),
            status("5", "Replace"),
            status("6", "Replace", 404),
        ],
        msg_id=2,
    )
    events = session.receive(answer, now=NOW)
    assert kinds(events) == [
        "HeaderStatusReceived",
        "StatusReceived",
        "StatusReceived",
        "StatusReceived",
        "StatusReceived",
    ]
    header_status = events[0]
    assert isinstance(header_status, HeaderStatusReceived)
    assert header_status.matched
    nested = events[4]
    assert isinstance(nested, StatusReceived)
    assert nested.key == "Atomic"
    assert nested.command == replace("./C", "2").__class__(cmd_id="6", items=replace("./C", "2").items)
    assert session.pending == 0
    session.reply()
    assert session.last_reply is not None
    assert session.last_reply.header.msg_id == "2"
    assert session.state is SessionState.FINISHED


def test_unmatched_status_and_results() -> None:
    session = started_session(get("./A"))
    answer = client(
        [
            status("0", "SyncHdr", msg_ref="0"),
            status("4", "Get"),  # no CmdID 4 in our message 1
            status("3", "Replace"),  # CmdID 3 was a Get
            m.Results(cmd_id="4", cmd_ref="3", items=(m.Item(source=m.Source(loc_uri="./A"), data="v"),)),
            m.Results(cmd_id="5", msg_ref="7", cmd_ref="3", items=(m.Item(data="w"),)),
        ],
        msg_id=2,
    )
    events = session.receive(answer, now=NOW)
    assert kinds(events) == [
        "HeaderStatusReceived",
        "UnmatchedStatus",
        "UnmatchedStatus",
        "ResultsReceived",
        "UnmatchedResults",
    ]
    assert isinstance(events[0], HeaderStatusReceived)
    assert not events[0].matched
    results = events[3]
    assert isinstance(results, ResultsReceived)  # no MsgRef: the message being answered
    assert results.command.items == get("./A").items


def test_results_get_no_status_unless_chunked() -> None:
    session = started_session(get("./A"))
    results = m.Results(cmd_id="3", msg_ref="1", cmd_ref="3", items=(m.Item(source=m.Source(loc_uri="./A"), data="v"),))
    session.receive(client([status("0", "SyncHdr"), status("3", "Get"), results], msg_id=2), now=NOW)
    session.reply()
    assert session.last_reply is not None
    assert [(c.cmd, c.cmd_ref) for c in session.last_reply.body.commands if isinstance(c, m.Status)] == [
        ("SyncHdr", "0")
    ]


def test_set_status_overrides_the_default() -> None:
    session = ServerSession()
    session.receive(client([alert(1201, "2"), alert(1226, "3")]), now=NOW)
    session.set_status("3", StatusCode.UNSUPPORTED_MEDIA_TYPE)
    session.set_header_status(StatusCode.AUTHENTICATION_ACCEPTED)
    session.reply()
    assert session.last_reply is not None
    assert [c.data for c in session.last_reply.body.commands if isinstance(c, m.Status)] == ["212", "200", "415"]


def test_generic_alerts_and_client_events() -> None:
    alerts = m.Alert(
        cmd_id="2",
        data="1226",
        items=(
            m.Item(meta=m.Meta(type="com.microsoft.mdm:HealthAttestation.Result", format="int"), data="3"),
            m.Item(
                meta=m.Meta(type="Reversed-Domain-Name:com.microsoft:mdm.unenrollment.userrequest", format="int"),
                data="1",
            ),
        ),
    )
    events = ServerSession().receive(client([alert(1201), alerts, alert(1224, "3")]), now=NOW)
    # The unenrollment alert comes first, before SessionStarted.
    assert kinds(events) == ["UnenrollmentRequested", "SessionStarted", "GenericAlertReceived"]
    generic = events[2]
    assert isinstance(generic, GenericAlertReceived)
    assert generic.alert.known is AlertType.HEALTH_ATTESTATION_RESULT


def test_device_package_without_final_gets_the_next_message_reply() -> None:
    session = ServerSession()
    session.send(get("./A"), key="a")
    session.receive(client([alert(1201)], final=False), now=NOW)
    session.reply()
    reply = session.last_reply
    assert reply is not None
    assert not reply.body.final
    assert [type(c).__name__ for c in reply.body.commands] == ["Status", "Status", "Alert"]
    next_alert = reply.body.commands[2]
    assert isinstance(next_alert, m.Alert)
    assert next_alert.code == AlertCode.NEXT_MESSAGE
    events = session.receive(client([status("0", "SyncHdr"), status("3", "Alert")], msg_id=2), now=NOW)
    assert kinds(events) == ["HeaderStatusReceived", "StatusReceived"]
    assert isinstance(events[1], StatusReceived)
    assert events[1].key is None  # the session's own Alert
    session.reply()
    assert session.last_reply is not None
    assert any(isinstance(c, m.Get) for c in session.last_reply.body.commands)


def test_device_abort() -> None:
    session = started_session(get("./A"))
    events = session.receive(client([status("0", "SyncHdr"), alert(1223, "2")], msg_id=2), now=NOW)
    assert kinds(events) == ["HeaderStatusReceived", "SessionAborted"]
    session.send(get("./B"), key="b")
    session.reply()
    assert session.last_reply is not None
    assert all(isinstance(c, m.Status) for c in session.last_reply.body.commands)
    assert session.state is SessionState.ABORTED
    with pytest.raises(SessionError, match="aborted"):
        session.receive(client([alert(1201)], msg_id=3), now=NOW)
    leftovers = session.close(now=NOW)
    assert [(type(e).__name__, getattr(e, "key", None)) for e in leftovers] == [
        ("CommandNotSent", "b"),
        ("CommandUnanswered", "Get"),
    ]


def test_server_abort() -> None:
    session = ServerSession()
    session.send(get("./A"), key="a")
    session.receive(client([alert(1201)]), now=NOW)
    session.abort()
    session.reply()
    reply = session.last_reply
    assert reply is not None
    assert reply.body.final
    assert [type(c).__name__ for c in reply.body.commands] == ["Status", "Status", "Alert"]
    assert session.state is SessionState.ABORTED
    assert kinds(session.close(now=NOW)) == ["CommandNotSent"]


def test_authentication_challenge_then_package_one_again() -> None:
    session = ServerSession()
    session.send(get("./A"), key="a")
    session.receive(client([alert(1201)]), now=NOW)
    session.set_header_status(StatusCode.MISSING_CREDENTIALS, chal=syncml.auth.chal(nonce=b"\x01\x02"))
    session.reply()
    reply = session.last_reply
    assert reply is not None
    assert [c.data for c in reply.body.commands if isinstance(c, m.Status)] == ["407", "407"]
    assert not any(isinstance(c, m.Get) for c in reply.body.commands)
    assert session.state is SessionState.AWAITING_MESSAGE
    cred = syncml.auth.md5_cred("user", "secret", b"\x01\x02")
    again = client([status("0", "SyncHdr", 407), alert(1201, "2")], msg_id=2)
    again = dataclasses.replace(again, header=dataclasses.replace(again.header, cred=cred))
    events = session.receive(again, now=NOW)
    assert kinds(events) == ["SessionStarted", "HeaderStatusReceived"]
    start = events[0]
    assert isinstance(start, SessionStarted)
    assert syncml.auth.verify(start.header, username="user", password="secret", nonce=b"\x01\x02")
    session.reply()
    assert session.last_reply is not None
    assert any(isinstance(c, m.Get) for c in session.last_reply.body.commands)


def test_commands_a_client_may_not_send_get_405() -> None:
    session = ServerSession()
    events = session.receive(client([alert(1201), get("./A").__class__(cmd_id="2", items=(_target("./A"),))]), now=NOW)
    assert kinds(events) == ["SessionStarted", "CommandReceived"]
    session.reply()
    assert session.last_reply is not None
    assert [(c.cmd, c.data) for c in session.last_reply.body.commands if isinstance(c, m.Status)][1:] == [
        ("Alert", "200"),
        ("Get", "405"),
    ]
    assert not any(isinstance(c, m.Results) for c in session.last_reply.body.commands)


def test_replace_outside_package_one_is_a_command_received() -> None:
    session = started_session()
    replace_cmd = m.Replace(cmd_id="2", items=(m.Item(source=m.Source(loc_uri="./DevInfo/Lang"), data="de-DE"),))
    events = session.receive(client([status("0", "SyncHdr"), replace_cmd], msg_id=2), now=NOW)
    assert kinds(events) == ["HeaderStatusReceived", "CommandReceived"]


def test_announced_sizes_are_respected_and_ours_announced() -> None:
    meta = m.Meta(max_msg_size="1200", max_obj_size="3000")
    session = ServerSession(SessionConfig(max_msg_size=4096, max_obj_size=65536))
    session.receive(client([alert(1201)], meta=meta), now=NOW)
    assert (session.peer_max_msg_size, session.peer_max_obj_size) == (1200, 3000)
    with pytest.raises(SessionError, match="MaxObjSize") as too_big:
        session.send(replace("./A", "x" * 3001))
    assert too_big.value.status == 416
    huge_get = m.Get(cmd_id="", items=tuple(_target(f"./Node/{i:04}") for i in range(40)))
    with pytest.raises(SessionError, match="MaxMsgSize") as no_fit:
        session.send(huge_get)
    assert no_fit.value.status == 413
    session.send(replace("./A", "x" * 3000), key="a")
    data = session.reply()
    assert len(data) <= 1200
    reply = syncml.parse(data)
    assert reply.header.meta == m.Meta(max_msg_size="4096", max_obj_size="65536")
    assert not reply.body.final  # the object continues in the next message


def test_refused_chunk_stops_the_object() -> None:
    session = ServerSession()
    session.receive(client([alert(1201)], meta=m.Meta(max_msg_size="900")), now=NOW)
    session.send(replace("./A", "x" * 3000), key="a")
    session.reply()
    answer = client([status("0", "SyncHdr"), status("3", "Replace", 420)], msg_id=2, final=False)
    events = session.receive(answer, now=NOW)
    assert kinds(events) == ["HeaderStatusReceived", "StatusReceived"]
    assert session.pending == 0
    session.reply()
    assert session.last_reply is not None
    assert not any(isinstance(c, m.Replace) for c in session.last_reply.body.commands)
    assert session.close(now=NOW) == ()


def test_device_object_abandoned_gets_alert_1225() -> None:
    session = started_session(get("./Big"))
    chunk = m.Item(source=m.Source(loc_uri="./Big"), meta=m.Meta(size="100"), data="x" * 10, more_data=True)
    results = m.Results(cmd_id="3", msg_ref="1", cmd_ref="3", items=(chunk,))
    first = client([status("0", "SyncHdr"), status("3", "Get"), results], msg_id=2, final=False)
    assert kinds(session.receive(first, now=NOW)) == ["HeaderStatusReceived", "StatusReceived"]
    session.reply()
    assert session.last_reply is not None
    assert [c.data for c in session.last_reply.body.commands if isinstance(c, m.Status)] == ["200", "213"]
    events = session.receive(client([status("0", "SyncHdr", msg_ref="2"), alert(1222, "2")], msg_id=3), now=NOW)
    assert kinds(events) == ["HeaderStatusReceived", "ObjectAbandoned"]
    abandoned = events[1]
    assert isinstance(abandoned, ObjectAbandoned)
    assert abandoned.partial.received_size == 10
    session.reply()
    assert session.last_reply is not None
    no_end = [c for c in session.last_reply.body.commands if isinstance(c, m.Alert)]
    assert [(a.code, a.items[0].source) for a in no_end] == [(AlertCode.NO_END_OF_DATA, m.Source(loc_uri="./Big"))]


def test_close_reports_a_partly_sent_object_as_not_sent_and_the_device_run_as_abandoned() -> None:
    session = ServerSession()
    session.receive(client([alert(1201)], meta=m.Meta(max_msg_size="900")), now=NOW)
    session.send(replace("./A", "x" * 3000), key="a")
    session.reply()
    leftovers = session.close(now=NOW)
    assert [(type(e).__name__, getattr(e, "key", None)) for e in leftovers] == [("CommandNotSent", "a")]
    assert session.state is SessionState.CLOSED
    with pytest.raises(SessionError):
        session.send(get("./B"))


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (client([alert(1201)], msg_id=2, session_id="9"), "SessionID"),
        (client([alert(1201)], msg_id=2, device="DEV-2"), "device"),
        (client([alert(1201, "2")], msg_id=1), "MsgID 1 repeats the last message with different bytes"),
        (client([alert(1201)], msg_id=2, meta=m.Meta(max_msg_size="lots")), "unreadable size"),
    ],
)
def test_messages_that_do_not_belong(second: m.SyncML, message: str) -> None:
    session = started_session()
    with pytest.raises(SessionError, match=message) as raised:
        session.receive(second, now=NOW)
    assert raised.value.status == 400


def test_msg_id_must_be_a_number() -> None:
    bad = client([alert(1201)])
    bad = dataclasses.replace(bad, header=dataclasses.replace(bad.header, msg_id="one"))
    with pytest.raises(SessionError, match="not a number"):
        ServerSession().receive(bad, now=NOW)


def test_calls_out_of_turn() -> None:
    session = ServerSession()
    with pytest.raises(SessionError, match="awaiting-message, not reply-due"):
        session.reply()
    with pytest.raises(SessionError):
        session.set_status("1", 200)
    with pytest.raises(SessionError):
        session.abort()
    session.receive(client([alert(1201)]), now=NOW)
    with pytest.raises(SessionError, match="reply-due"):
        session.receive(client([alert(1201)], msg_id=2), now=NOW)


def test_bad_bytes_raise_decode_error() -> None:
    with pytest.raises(syncml.DecodeError):
        ServerSession().receive(b"<SyncML", now=NOW)


def test_statuses_alone_too_big_for_max_msg_size_raise() -> None:
    session = ServerSession()
    session.receive(client([alert(1201)], meta=m.Meta(max_msg_size="200")), now=NOW)
    with pytest.raises(syncml.server.ReplyTooLargeError, match="MaxMsgSize 200") as raised:
        session.reply()
    assert (raised.value.status, raised.value.max_msg_size) == (413, 200)
    assert raised.value.size > 200


def test_expired() -> None:
    session = ServerSession()
    assert not session.expired(now=NOW, idle=timedelta(minutes=5))
    session.receive(client([alert(1201)]), now=NOW)
    assert not session.expired(now=NOW + timedelta(minutes=4), idle=timedelta(minutes=5))
    assert session.expired(now=NOW + timedelta(minutes=5), idle=timedelta(minutes=5))


def test_commands_queued_after_finish_reopen_the_session() -> None:
    session = started_session()
    assert session.state.value == "finished"
    session.send(get("./A"))
    assert session.state is SessionState.AWAITING_MESSAGE


# --- the shared corpus ------------------------------------------------------------------------


def test_real_windows_package_one(corpus_dir: Path) -> None:
    data = (corpus_dir / "fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml").read_bytes()
    session = ServerSession()
    events = session.receive(data, now=NOW)
    assert kinds(events) == ["SessionStarted", "ClientEventReceived"]
    start = events[0]
    assert isinstance(start, SessionStarted)
    assert start.devinfo is not None
    assert start.devinfo.dmv is not None
    reply = syncml.parse(session.reply())
    received = syncml.parse(data)
    assert [c.cmd_ref for c in reply.body.commands if isinstance(c, m.Status)] == ["0"] + [
        c.cmd_id for c in received.body.commands
    ]


def test_real_unenrollment_alert(corpus_dir: Path) -> None:
    data = (corpus_dir / "fleet-poc-dump-client-unenroll-generic-alert-1226-userrequest.xml").read_bytes()
    events = ServerSession().receive(data, now=NOW)
    assert "UnenrollmentRequested" in kinds(events)
    assert "SessionStarted" in kinds(events)


def test_real_checkin_with_md5_cred_and_status_500(corpus_dir: Path) -> None:
    data = (corpus_dir / "mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml").read_bytes()
    events = ServerSession().receive(data, now=NOW)
    header = [e for e in events if isinstance(e, HeaderStatusReceived)]
    assert len(header) == 1
    assert header[0].status.code == StatusCode.COMMAND_FAILED
    start = [e for e in events if isinstance(e, SessionStarted)]
    assert start
    assert start[0].header.cred is not None


def test_unused_event_kinds_are_importable() -> None:
    # Every event class is part of the public API.
    for cls in (CommandNotSent, CommandReceived, CommandUnanswered, SessionAborted, UnenrollmentRequested):
        assert cls.__name__ in syncml.server.__all__
        assert cls.__name__ not in syncml.__all__
    for name in ("CommandHeld", "MsgIdSkipped", "RetryMismatch", "QueueError"):
        assert name in syncml.server.__all__
        assert name not in syncml.__all__


def test_command_queued_before_the_limits_were_known_is_refused_when_they_are() -> None:
    queue = CommandQueue(device_id="DEV-1")
    entry = queue.add(m.Get(cmd_id="", items=tuple(_target(f"./Node/{i:04}") for i in range(40))), now=NOW)
    small = queue.add(get("./A"), now=NOW)
    session = ServerSession()
    for taken in queue.take(now=NOW):
        session.send(taken.command, key=taken.id)
    events = session.receive(client([alert(1201)], meta=m.Meta(max_msg_size="1200")), now=NOW)
    assert kinds(events) == ["CommandTooLarge", "SessionStarted"]
    too_large = events[0]
    assert isinstance(too_large, CommandTooLarge)
    assert (too_large.key, too_large.status) == (entry.id, 413)
    changed = queue.apply(events, now=NOW)
    assert [(e.id, e.state, e.status) for e in changed] == [(entry.id, EntryState.FAILED, 413)]
    reply = syncml.parse(session.reply())
    assert [type(c).__name__ for c in reply.body.commands] == ["Status", "Status", "Get"]
    assert queue.get(small.id).state is EntryState.SENT


def test_device_lowering_its_limit_mid_session_refuses_what_no_longer_fits() -> None:
    session = started_session()
    wide = m.Get(cmd_id="", items=tuple(_target(f"./Node/{i:04}") for i in range(12)))
    session.send(wide, key="wide")
    session.send(get("./A"), key="narrow")
    lowered = client([status("0", "SyncHdr")], msg_id=2, meta=m.Meta(max_msg_size="1000"))
    events = session.receive(lowered, now=NOW)
    assert [(type(e).__name__, getattr(e, "key", None)) for e in events] == [
        ("CommandTooLarge", "wide"),
        ("HeaderStatusReceived", None),
    ]
    reply = syncml.parse(session.reply())
    assert [type(c).__name__ for c in reply.body.commands] == ["Status", "Get"]
    assert len(syncml.serialize(reply)) <= 1000


@pytest.mark.parametrize("field", ["max_msg_size", "max_obj_size", "peer_max_msg_size"])
@pytest.mark.parametrize("value", [0, -5, "big"])
def test_config_sizes_must_be_positive(field: str, value: object) -> None:
    with pytest.raises(syncml.SyncMLError, match=field):
        SessionConfig(**{field: value})  # type: ignore[arg-type]


def test_a_reply_that_cannot_be_built_leaves_the_reply_due() -> None:
    session = ServerSession()
    session.receive(client([alert(1201)], meta=m.Meta(max_msg_size="200")), now=NOW)
    with pytest.raises(syncml.SyncMLError):
        session.reply()
    assert session.state is SessionState.REPLY_DUE
    assert session.last_reply is None


def test_public_api_types() -> None:
    session = syncml.server.ServerSession(syncml.server.SessionConfig(peer_max_msg_size=65536))
    events = session.receive(client([alert(1201)]), now=NOW)
    assert_type(events, tuple[syncml.server.Event, ...])
    assert_type(session.reply(), bytes)
    assert_type(session.state, syncml.server.SessionState)
    assert_type(session.close(now=NOW), tuple[syncml.server.Event, ...])
    queue = syncml.server.CommandQueue(device_id="DEV-1")
    assert_type(queue.unenroll(PROVIDER, now=NOW), syncml.server.Queued)
    assert_type(queue.apply(events, now=NOW), tuple[syncml.server.QueueEntry, ...])
    assert_type(queue.to_dict(), syncml.commandqueue.QueueData)


def test_alert_with_an_unreadable_code_is_answered_400() -> None:
    data = syncml.serialize(client([alert(1201), alert(1226, "2")])).replace(b"<Data>1226</Data>", b"<Data>abc</Data>")
    session = ServerSession()
    events = session.receive(data, now=NOW)
    assert kinds(events) == ["SessionStarted", "CommandReceived"]
    reply = syncml.parse(session.reply())
    assert [(c.cmd_ref, c.data) for c in reply.body.commands if isinstance(c, m.Status)] == [
        ("0", "200"),
        ("1", "200"),
        ("2", "400"),
    ]
