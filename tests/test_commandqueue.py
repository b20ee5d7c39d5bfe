"""CommandQueue: idempotent unenroll, delivery states, closing out, plain-data round trip, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml.commandqueue import CommandQueue, EntryKind, EntryState, Queued, QueueEntry, QueueError
from syncml.events import (
    CommandHeld,
    CommandNotSent,
    CommandUnanswered,
    Event,
    SessionStarted,
    StatusReceived,
    UnenrollmentRequested,
)
from syncml.msft import unenroll_exec, unenroll_provider
from syncml.strategies import commands as any_command

from .builders import header

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PROVIDER = "Contoso MDM"


def get(uri: str) -> m.Get:
    return m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri=uri)),))


def added(queued: Queued) -> QueueEntry:
    """The entry an accepted unenroll request queued."""
    assert queued.added
    assert queued.entry is not None
    return queued.entry


def status_for(key: str, code: int) -> StatusReceived:
    return StatusReceived(
        status=m.Status(cmd_id="1", msg_ref="1", cmd_ref="2", cmd="Get", data=str(code)), command=get("./A"), key=key
    )


def test_unenroll_is_queued_once_while_pending() -> None:
    queue = CommandQueue(device_id="DEV-1")
    first = queue.unenroll(PROVIDER, now=NOW)
    assert first.added
    assert first.reason is None
    assert added(first).kind is EntryKind.UNENROLL
    assert unenroll_provider(added(first).command) == PROVIDER
    queued_again = queue.unenroll(PROVIDER, now=NOW + timedelta(minutes=1))
    assert not queued_again.added
    assert queued_again.entry == first.entry
    assert queued_again.reason == "an unenroll (entry 1) is already queued, since 2025-03-01T09:00:00+00:00"
    queue.take(now=NOW + timedelta(minutes=2))
    sent_again = queue.unenroll("Another Provider", now=NOW + timedelta(minutes=3))
    assert not sent_again.added
    assert sent_again.reason == "an unenroll (entry 1) was sent at 2025-03-01T09:02:00+00:00 and is not settled"
    assert len(queue.entries) == 1


def test_device_scoped_unenroll() -> None:
    queue = CommandQueue(device_id="DEV-1")
    entry = added(queue.unenroll(PROVIDER, now=NOW, device_scoped=True))
    assert entry.command == unenroll_exec(PROVIDER, cmd_id="1", device_scoped=True)


def test_take_marks_sent_and_holds_back_what_follows_an_unenroll() -> None:
    queue = CommandQueue(device_id="DEV-1")
    before = queue.add(get("./A"), now=NOW)
    unenroll = added(queue.unenroll(PROVIDER, now=NOW))
    after = queue.add(get("./B"), now=NOW)
    taken = queue.take(now=NOW)
    assert [e.id for e in taken] == [before.id, unenroll.id]
    assert all(e.state is EntryState.SENT and e.sent_at == NOW and e.attempts == 1 for e in taken)
    assert queue.due() == ()  # the sent unenroll holds back everything after it
    assert queue.get(after.id).state is EntryState.QUEUED


def test_apply_settles_requeues_and_confirms() -> None:
    queue = CommandQueue(device_id="DEV-1")
    ok, failed, lost, unsent = (queue.add(get(f"./{n}"), now=NOW) for n in "ABCD")
    unenroll = added(queue.unenroll(PROVIDER, now=NOW))
    queue.take(now=NOW)
    later = NOW + timedelta(seconds=30)
    events: list[Event] = [
        status_for(ok.id, 200),
        status_for(failed.id, 404),
        status_for(failed.id, 500),  # a second Status for a settled entry changes nothing
        CommandUnanswered(command=get("./C"), key=lost.id),
        CommandNotSent(command=get("./D"), key=unsent.id),
        CommandUnanswered(command=unenroll.command, key=unenroll.id),
        status_for("no-such-entry", 200),
        StatusReceived(
            status=m.Status(cmd_id="1", msg_ref="1", cmd_ref="1", cmd="Alert", data="200"), command=get("./X")
        ),
    ]
    changed = queue.apply(events, now=later)
    assert [(e.id, e.state, e.status) for e in changed] == [
        (ok.id, EntryState.DONE, 200),
        (failed.id, EntryState.FAILED, 404),
        (lost.id, EntryState.QUEUED, None),
        (unsent.id, EntryState.QUEUED, None),
    ]
    assert queue.get(unenroll.id).state is EntryState.SENT  # waits for the alert or for silence
    assert queue.get(ok.id).note == "Status 200"
    start = SessionStarted(session_id="2", device_id="DEV-1", alert=1201, header=_header())
    alert = syncml.generic_alerts(
        [syncml.alerts.generic_alert(syncml.AlertType.UNENROLLMENT_USER_REQUEST, "1", cmd_id="2")]
    )[0]
    changed = queue.apply([start, UnenrollmentRequested(alert=alert)], now=later + timedelta(hours=1))
    assert [(e.id, e.state, e.note) for e in changed] == [
        (unenroll.id, EntryState.CONFIRMED, "the device sent the unenrollment alert (1226)")
    ]
    assert queue.last_seen == later + timedelta(hours=1)


def test_unreadable_status_fails_the_entry() -> None:
    queue = CommandQueue(device_id="DEV-1")
    entry = queue.add(get("./A"), now=NOW)
    queue.take(now=NOW)
    bad = StatusReceived(
        status=m.Status(cmd_id="1", msg_ref="1", cmd_ref="2", cmd="Get", data="OK"), command=get("./A"), key=entry.id
    )
    [changed] = queue.apply([bad], now=NOW)
    assert (changed.state, changed.note) == (EntryState.FAILED, "unreadable Status")


def _header() -> m.SyncHdr:
    return header(session_id="2", target="https://mdm", source="DEV-1")


def test_user_initiated_unenroll_with_nothing_pending_changes_nothing() -> None:
    queue = CommandQueue(device_id="DEV-1")
    assert queue.confirm_unenrolled(now=NOW) is None


def test_close_if_silent() -> None:
    queue = CommandQueue(device_id="DEV-1")
    queue.seen(now=NOW - timedelta(days=1))
    assert queue.close_if_silent(now=NOW, after=timedelta(days=1)) is None  # nothing pending
    entry = added(queue.unenroll(PROVIDER, now=NOW))
    assert queue.close_if_silent(now=NOW + timedelta(days=9), after=timedelta(days=1)) is None  # not sent yet
    queue.take(now=NOW)
    assert queue.close_if_silent(now=NOW + timedelta(hours=23), after=timedelta(days=1)) is None
    queue.seen(now=NOW + timedelta(hours=12))  # checked in after the Exec went out, without the alert
    assert queue.close_if_silent(now=NOW + timedelta(hours=30), after=timedelta(days=1)) is None
    closed = queue.close_if_silent(now=NOW + timedelta(hours=36), after=timedelta(days=1))
    assert closed is not None
    assert closed.id == entry.id
    assert closed.state is EntryState.SILENT
    assert closed.note == "the device has been silent since 2025-03-01T21:00:00+00:00"
    assert queue.pending_unenroll is None
    assert queue.unenrolled
    refused = queue.unenroll(PROVIDER, now=NOW + timedelta(days=2))
    assert (refused.added, refused.entry) == (False, None)
    assert refused.reason == "the device is unenrolled (since 2025-03-02T21:00:00+00:00); it must enroll again first"
    queue.reenrolled(now=NOW + timedelta(days=3))
    assert queue.unenroll(PROVIDER, now=NOW + timedelta(days=3)).added


def test_requeue_cancel_and_forget() -> None:
    queue = CommandQueue(device_id="DEV-1")
    a, b = queue.add(get("./A"), now=NOW), queue.add(get("./B"), now=NOW)
    with pytest.raises(syncml.SyncMLError, match="not sent"):
        queue.requeue(a.id)
    cancelled = queue.cancel(b.id, now=NOW)
    assert (cancelled.state, cancelled.note) == (EntryState.FAILED, "cancelled before it was sent")
    queue.take(now=NOW)
    with pytest.raises(syncml.SyncMLError, match="only queued entries"):
        queue.cancel(a.id, now=NOW)
    assert queue.requeue(a.id).state is EntryState.QUEUED
    assert [e.id for e in queue.forget_closed()] == [b.id]
    assert [e.id for e in queue.entries] == [a.id]
    with pytest.raises(syncml.SyncMLError, match="no entry"):
        queue.get(b.id)


@pytest.mark.parametrize(
    "call",
    [
        lambda q: q.add(get("./A"), now=datetime(2025, 1, 1)),
        lambda q: q.unenroll(PROVIDER, now=datetime(2025, 1, 1)),
        lambda q: q.seen(now="2025-01-01"),
    ],
)
def test_naive_or_missing_times_are_refused(call: object) -> None:
    with pytest.raises(syncml.SyncMLError, match="timezone-aware"):
        call(CommandQueue(device_id="DEV-1"))  # type: ignore[operator]


def test_unwritable_command_is_refused_when_queued() -> None:
    with pytest.raises(syncml.EncodeError):
        CommandQueue(device_id="DEV-1").add(m.Get(cmd_id="1", items=()), now=NOW)


def test_json_round_trip_and_shape() -> None:
    queue = CommandQueue(device_id="DEV-1")
    queue.add(get("./A"), now=NOW)
    queue.unenroll(PROVIDER, now=NOW)
    queue.take(now=NOW)
    queue.seen(now=NOW)
    data = queue.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["entries"][1]["command"].startswith("<Exec><CmdID>1</CmdID>")
    assert data["entries"][0]["state"] == "sent"
    again = CommandQueue.from_json(queue.to_json())
    assert again == queue
    assert again.entries == queue.entries
    assert again.pending_unenroll == queue.pending_unenroll
    assert again.add(get("./B"), now=NOW).id == "3"  # numbering carries over
    assert repr(again) == f"CommandQueue(device_id='DEV-1', entries=3, version={again.version})"
    assert (queue == "DEV-1") is False


# The codec's own round-trip property covers commands in depth; a few dozen
# queues are enough to show the queue adds nothing lossy around them.
@settings(max_examples=30)
@given(
    commands=st.lists(any_command(max_items=2, max_depth=1), min_size=1, max_size=3),
    codes=st.lists(st.integers(100, 599), max_size=4),
)
def test_any_queue_survives_json(commands: list[m.Command], codes: list[int]) -> None:
    queue = CommandQueue(device_id="DEV-1")
    for command in commands:
        queue.add(command, now=NOW)
    for entry, code in zip(queue.take(now=NOW), codes, strict=False):
        queue.settle(entry.id, code, now=NOW)
    again = CommandQueue.from_json(queue.to_json())
    assert again.entries == queue.entries


def _good() -> dict[str, object]:
    queue = CommandQueue(device_id="DEV-1")
    queue.add(get("./A"), now=NOW)
    return json.loads(queue.to_json())  # type: ignore[no-any-return]


def _entry_with(**changes: object) -> dict[str, object]:
    data = _good()
    entries = data["entries"]
    assert isinstance(entries, list)
    entries[0].update(changes)
    return data


def _two_entries(**changes: object) -> dict[str, object]:
    queue = CommandQueue(device_id="DEV-1")
    queue.add(get("./A"), now=NOW)
    queue.add(get("./B"), now=NOW)
    data: dict[str, object] = json.loads(queue.to_json())
    entries = data["entries"]
    assert isinstance(entries, list)
    entries[1]["id"] = entries[0]["id"]
    data.update(changes)
    return data


BAD = [
    ("not an object", [], "queue must be an object"),
    ("repeated ids", _two_entries(), "entry ids repeat"),
    ("next_id reused", {**_good(), "next_id": 1}, "next_id 1 would repeat"),
    ("wrong format", {**_good(), "format": 3}, "format 3"),
    ("missing field", {k: v for k, v in _good().items() if k != "next_id"}, "queue.next_id is missing"),
    ("wrong type", {**_good(), "device_id": 7}, "queue.device_id has the wrong type"),
    ("bool is not int", {**_good(), "next_id": True}, "queue.next_id has the wrong type"),
    ("entry not an object", {**_good(), "entries": ["x"]}, "entries\\[0\\] must be an object"),
    ("bad kind", _entry_with(kind="reboot"), "entries\\[0\\].kind 'reboot' is not one of"),
    ("bad state", _entry_with(state="lost"), "entries\\[0\\].state"),
    ("bad time", _entry_with(queued_at="yesterday"), "not an ISO 8601 time"),
    ("naive time", _entry_with(queued_at="2025-03-01T09:00:00"), "timezone-aware"),
    (
        "two commands",
        _entry_with(command="<Get><CmdID>1</CmdID><Item><Target><LocURI>./A</LocURI></Target></Item></Get>" * 2),
        "holds 2 commands",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_stored_queues_raise_syncml_error(name: str, data: object, message: str) -> None:
    with pytest.raises(syncml.SyncMLError, match=message):
        CommandQueue.from_dict(data)


@pytest.mark.parametrize("text", ["{", b"\xff", "[1, 2"])
def test_not_json_raises_syncml_error(text: str | bytes) -> None:
    with pytest.raises(syncml.SyncMLError, match="not JSON"):
        CommandQueue.from_json(text)


def test_stored_command_that_is_not_syncml_raises_decode_error() -> None:
    with pytest.raises(syncml.DecodeError):
        CommandQueue.from_dict(_entry_with(command="<Get>"))


# --- issue 11 point 8 and the stored form's own rules -------------------------------------


def _sent_entry(**changes: object) -> dict[str, object]:
    queue = CommandQueue(device_id="DEV-1")
    queue.add(get("./A"), now=NOW)
    queue.take(now=NOW)
    data: dict[str, object] = json.loads(queue.to_json())
    entries = data["entries"]
    assert isinstance(entries, list)
    entries[0].update(changes)
    return data


STORED_BAD = [
    ("deep JSON", "[" * 100_000, "nested too deeply"),
    ("deep objects", '{"a":' * 100_000, "nested too deeply"),
    ("5000-digit id", json.dumps(_entry_with(id="9" * 5000)), "is not a number of 1 to 18 digits"),
    ("id not digits", json.dumps(_entry_with(id="x1")), "entry id 'x1'"),
    ("5000-digit number", '{"format": 2, "version": ' + "9" * 5000 + "}", "not JSON"),
    ("huge next_id", json.dumps({**_good(), "next_id": 10**30}), "next_id 10000"),
    ("negative attempts", json.dumps(_entry_with(attempts=-1)), "attempts -1 is not a number"),
    ("negative version", json.dumps({**_good(), "version": -3}), "version -3"),
    ("sent without sent_at", json.dumps(_sent_entry(sent_at=None)), "is sent but has no sent_at"),
    ("sent never attempted", json.dumps(_sent_entry(attempts=0)), "never attempted"),
    ("queued with sent_at", json.dumps(_entry_with(sent_at="2025-03-01T09:00:00+00:00")), "queued but has a sent_at"),
    ("closed without closed_at", json.dumps(_entry_with(state="done")), "closed_at must be set"),
    ("answered command", json.dumps(_sent_entry(state="answered")), "a state of unenroll entries only"),
]


@pytest.mark.parametrize(("name", "text", "message"), STORED_BAD, ids=[b[0] for b in STORED_BAD])
def test_bad_stored_queues_raise_queue_error(name: str, text: str, message: str) -> None:
    with pytest.raises(QueueError, match=message) as raised:
        CommandQueue.from_json(text)
    assert isinstance(raised.value, syncml.SyncMLError)
    assert raised.value.__cause__ is None or isinstance(raised.value.__cause__, syncml.SyncMLError)


def test_two_unenrolls_in_their_life_are_refused_on_load() -> None:
    queue = CommandQueue(device_id="DEV-1")
    queue.unenroll(PROVIDER, now=NOW)
    data: dict[str, object] = json.loads(queue.to_json())
    entries = data["entries"]
    assert isinstance(entries, list)
    entries.append({**entries[0], "id": "2"})
    data["next_id"] = 3
    with pytest.raises(QueueError, match="more than one unenroll in progress"):
        CommandQueue.from_dict(data)


def test_format_1_is_still_read() -> None:
    old = _good()
    for key in ("format", "unenrolled_at"):
        del old[key]
    old["version"] = 1
    queue = CommandQueue.from_dict(old)
    assert (queue.version, queue.unenrolled) == (0, False)
    assert [e.id for e in queue.entries] == ["1"]


def test_every_mutation_changes_the_version() -> None:
    queue = CommandQueue(device_id="DEV-1")
    seen = [queue.version]

    def step(result: object) -> None:
        del result
        seen.append(queue.version)

    step(queue.add(get("./A"), now=NOW))
    step(queue.unenroll(PROVIDER, now=NOW))
    step(queue.take(now=NOW))
    queue.seen(now=NOW)
    step(None)
    step(queue.settle("1", 200, now=NOW))
    step(queue.settle("2", 200, now=NOW))
    step(queue.confirm_unenrolled(now=NOW))
    step(queue.reenrolled(now=NOW))
    step(queue.forget_closed())
    assert seen == sorted(set(seen)), seen  # strictly increasing
    before = queue.version
    assert queue.unenroll(PROVIDER, now=NOW).added  # a fresh enrollment
    assert not queue.unenroll(PROVIDER, now=NOW).added
    assert queue.version == before + 1  # a refused request changes nothing
    assert CommandQueue.from_json(queue.to_json()).version == queue.version


def test_unenroll_life_answered_confirmed_and_never_sent() -> None:
    queue = CommandQueue(device_id="DEV-1")
    entry = added(queue.unenroll(PROVIDER, now=NOW))
    queue.take(now=NOW)
    answered = queue.settle(entry.id, 200, now=NOW)
    assert (answered.state, answered.closed_at, answered.state.pending) == (EntryState.ANSWERED, None, True)
    refused = queue.unenroll(PROVIDER, now=NOW)
    assert refused.reason == (
        "an unenroll (entry 1) was answered with Status 200 and waits for the unenrollment alert or for silence"
    )
    assert queue.due() == ()
    closed = queue.close_if_silent(now=NOW + timedelta(days=8), after=timedelta(days=7))
    assert closed is not None
    assert closed.state is EntryState.SILENT

    # A 1226 never closes an unenroll that was never sent.
    other = CommandQueue(device_id="DEV-2")
    waiting = added(other.unenroll(PROVIDER, now=NOW))
    command = other.add(get("./A"), now=NOW)
    assert other.confirm_unenrolled(now=NOW) is None
    assert other.get(waiting.id).state is EntryState.QUEUED
    assert other.unenrolled
    assert other.due() == ()  # everything held
    withdrawn = other.reenrolled(now=NOW)
    assert [(e.id, e.state) for e in withdrawn] == [(waiting.id, EntryState.FAILED)]
    assert [e.id for e in other.due()] == [command.id]


def test_a_refused_unenroll_exec_fails_and_may_be_queued_again() -> None:
    queue = CommandQueue(device_id="DEV-1")
    queue.unenroll(PROVIDER, now=NOW)
    queue.take(now=NOW)
    assert queue.settle("1", 500, now=NOW).state is EntryState.FAILED
    assert queue.unenroll(PROVIDER, now=NOW).added


def test_held_commands_go_back_in_the_queue() -> None:
    queue = CommandQueue(device_id="DEV-1")
    entry = queue.add(get("./A"), now=NOW)
    queue.take(now=NOW)
    [changed] = queue.apply([CommandHeld(command=entry.command, key=entry.id)], now=NOW)
    assert changed.state is EntryState.QUEUED
    with pytest.raises(QueueError, match="not sent"):
        queue.settle(entry.id, 200, now=NOW)
