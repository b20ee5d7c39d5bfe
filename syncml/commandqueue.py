"""A per-device queue of commands that a server keeps between sessions.

A device talks to its server only when it opens a session, so what an
administrator asks for waits in a queue until then.  :class:`CommandQueue` is
that queue as plain data: :meth:`CommandQueue.to_dict` gives JSON types only
(commands as their XML, times as ISO 8601 text) and
:meth:`CommandQueue.from_dict` reads them back.  Time is always passed in.

Unenrollment needs care (``docs/unenrollment.md``): a device that runs the
unenroll ``Exec`` aborts the session without a Status and reports in a new
session with the 1226 ``com.microsoft:mdm.unenrollment.userrequest`` alert --
or never, as that report is best effort.  Queuing the unenroll again while
one is pending can leave server and device out of step, so
:meth:`CommandQueue.unenroll` does nothing (and says so) while one is pending.
The pending unenroll is closed when the alert arrives
(:meth:`CommandQueue.confirm_unenrolled`) or when the device has been silent
long enough (:meth:`CommandQueue.close_if_silent`).

>>> from datetime import datetime, timezone
>>> now = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
>>> queue = CommandQueue(device_id="DEV-1")
>>> queue.unenroll("Contoso MDM", now=now).added
True
>>> again = queue.unenroll("Contoso MDM", now=now)
>>> again.added, again.reason
(False, 'an unenroll (entry 1) is already queued, since 2025-03-01T09:00:00+00:00')
>>> CommandQueue.from_dict(queue.to_dict()) == queue
True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypedDict, TypeVar

from . import model as m
from ._api import parse_commands, serialize_commands
from .errors import DecodeError, SyncMLError
from .events import (
    CommandNotSent,
    CommandTooLarge,
    CommandUnanswered,
    Event,
    SessionStarted,
    StatusReceived,
    UnenrollmentRequested,
)
from .msft import unenroll_exec

__all__ = [
    "CommandQueue",
    "EntryData",
    "EntryKind",
    "EntryState",
    "Queued",
    "QueueData",
    "QueueEntry",
]

_FORMAT_VERSION = 1
_E = TypeVar("_E", bound=StrEnum)


class EntryKind(StrEnum):
    """What a queue entry is for."""

    COMMAND = "command"
    UNENROLL = "unenroll"


class EntryState(StrEnum):
    """Where a queue entry stands."""

    QUEUED = "queued"  # waiting for the device's next session
    SENT = "sent"  # handed to a session, no Status yet
    DONE = "done"  # a 1xx/2xx Status came back, or the unenroll was confirmed
    FAILED = "failed"  # any other Status came back

    @property
    def pending(self) -> bool:
        """True while the entry is not settled."""
        return self in (EntryState.QUEUED, EntryState.SENT)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueEntry:
    """One queued command and what became of it.

    ``note`` says in words why the entry was closed.  ``attempts`` counts the
    sessions it was handed to.
    """

    id: str
    kind: EntryKind
    command: m.Command
    state: EntryState
    queued_at: datetime
    sent_at: datetime | None = None
    closed_at: datetime | None = None
    status: int | None = None
    note: str | None = None
    attempts: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Queued:
    """What asking to queue something did: ``added`` False means nothing changed, ``reason`` says why."""

    entry: QueueEntry
    added: bool
    reason: str | None = None


class EntryData(TypedDict):
    """One entry as JSON types."""

    id: str
    kind: str
    command: str
    state: str
    queued_at: str
    sent_at: str | None
    closed_at: str | None
    status: int | None
    note: str | None
    attempts: int


class QueueData(TypedDict):
    """A whole queue as JSON types (what :meth:`CommandQueue.to_dict` returns)."""

    version: int
    device_id: str
    next_id: int
    last_seen: str | None
    entries: list[EntryData]


def _aware(now: datetime) -> datetime:
    # Naive and aware datetimes cannot be compared; refuse naive ones up front
    # rather than fail later with a TypeError in the middle of an update.
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise SyncMLError(f"times must be timezone-aware datetimes, not {now!r}")
    return now


class CommandQueue:
    """Commands waiting for one device, kept by the server between sessions.

    Entries stay in the order they were queued.  Closed entries are kept
    (with their Status and note) until :meth:`forget_closed` drops them.
    """

    def __init__(
        self,
        *,
        device_id: str,
        entries: Iterable[QueueEntry] = (),
        next_id: int = 1,
        last_seen: datetime | None = None,
    ) -> None:
        self.device_id = device_id
        self._entries: list[QueueEntry] = list(entries)
        self._next_id = next_id
        self.last_seen = last_seen
        ids = [e.id for e in self._entries]
        if len(set(ids)) != len(ids):
            raise SyncMLError(f"entry ids repeat in the queue of {device_id!r}: {ids}")
        # Ids are numbers handed out in turn: a stored next_id at or below one
        # of them would hand the same id out twice.
        numbered = [int(i) for i in ids if i.isdigit() and i.isascii()]
        if next_id < 1 or (numbered and next_id <= max(numbered)):
            raise SyncMLError(f"next_id {next_id} would repeat an entry id of the queue of {device_id!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CommandQueue):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"CommandQueue(device_id={self.device_id!r}, entries={len(self._entries)})"

    @property
    def entries(self) -> tuple[QueueEntry, ...]:
        """Every entry, oldest first."""
        return tuple(self._entries)

    @property
    def pending_unenroll(self) -> QueueEntry | None:
        """The unenroll that is queued or sent and not yet settled, if any."""
        for entry in self._entries:
            if entry.kind is EntryKind.UNENROLL and entry.state.pending:
                return entry
        return None

    def get(self, entry_id: str) -> QueueEntry:
        """The entry called *entry_id*.

        Raises:
            SyncMLError: there is none.
        """
        for entry in self._entries:
            if entry.id == entry_id:
                return entry
        raise SyncMLError(f"no entry {entry_id!r} in the queue of {self.device_id!r}")

    # --- queuing ----------------------------------------------------------------

    def add(self, command: m.Command, *, now: datetime) -> QueueEntry:
        """Queue *command* (its CmdID is replaced when sent).

        Raises:
            EncodeError: *command* cannot be written as XML (checked now, so
                the queue never holds something it cannot send or store).
        """
        return self._append(EntryKind.COMMAND, command, now)

    def unenroll(self, provider_id: str, *, now: datetime, device_scoped: bool = False) -> Queued:
        """Queue the unenroll ``Exec`` for *provider_id*, unless one is already pending.

        A second request while one is queued or sent (and not yet confirmed
        or closed) changes nothing: the result has ``added`` False and a
        ``reason``.
        """
        _aware(now)
        pending = self.pending_unenroll
        if pending is not None:
            if pending.sent_at is None:
                reason = f"an unenroll (entry {pending.id}) is already queued, since {pending.queued_at.isoformat()}"
            else:
                reason = (
                    f"an unenroll (entry {pending.id}) was sent at {pending.sent_at.isoformat()} and is not settled"
                )
            return Queued(entry=pending, added=False, reason=reason)
        command = unenroll_exec(provider_id, cmd_id="1", device_scoped=device_scoped)
        return Queued(entry=self._append(EntryKind.UNENROLL, command, now), added=True)

    def _append(self, kind: EntryKind, command: m.Command, now: datetime) -> QueueEntry:
        _aware(now)
        serialize_commands((command,))  # refuse now what could not be sent or stored later
        entry = QueueEntry(id=str(self._next_id), kind=kind, command=command, state=EntryState.QUEUED, queued_at=now)
        self._next_id += 1
        self._entries.append(entry)
        return entry

    # --- delivering ---------------------------------------------------------------

    def due(self) -> tuple[QueueEntry, ...]:
        """Queued entries to send now, oldest first.

        Nothing queued after an unenroll goes out while that unenroll is
        pending: a device that runs it aborts the session at once.
        """
        out: list[QueueEntry] = []
        for entry in self._entries:
            if entry.kind is EntryKind.UNENROLL and entry.state is EntryState.SENT:
                break
            if entry.state is EntryState.QUEUED:
                out.append(entry)
                if entry.kind is EntryKind.UNENROLL:
                    break
        return tuple(out)

    def take(self, *, now: datetime) -> tuple[QueueEntry, ...]:
        """:meth:`due` entries, marked sent at *now*: give each to ``ServerSession.send(..., key=entry.id)``."""
        _aware(now)
        taken = []
        for entry in self.due():
            taken.append(self._update(entry, state=EntryState.SENT, sent_at=now, attempts=entry.attempts + 1))
        return tuple(taken)

    def requeue(self, entry_id: str) -> QueueEntry:
        """Put a sent entry back in the queue (it never reached the device)."""
        entry = self.get(entry_id)
        if entry.state is not EntryState.SENT:
            raise SyncMLError(f"entry {entry_id} is {entry.state.value}, not sent")
        return self._update(entry, state=EntryState.QUEUED, sent_at=None)

    def settle(self, entry_id: str, status: int, *, now: datetime) -> QueueEntry:
        """Record the Status the device returned for an entry: 1xx/2xx done, else failed."""
        _aware(now)
        entry = self.get(entry_id)
        state = EntryState.DONE if 100 <= status < 300 else EntryState.FAILED
        return self._update(entry, state=state, status=status, closed_at=now, note=f"Status {status}")

    def cancel(self, entry_id: str, *, now: datetime) -> QueueEntry:
        """Withdraw an entry that has not been sent (an administrator changed their mind)."""
        _aware(now)
        entry = self.get(entry_id)
        if entry.state is not EntryState.QUEUED:
            raise SyncMLError(f"entry {entry_id} is {entry.state.value}: only queued entries can be cancelled")
        return self._update(entry, state=EntryState.FAILED, closed_at=now, note="cancelled before it was sent")

    # --- closing an unenroll -----------------------------------------------------------

    def seen(self, *, now: datetime) -> None:
        """Note that the device opened a session at *now*."""
        self.last_seen = _aware(now)

    def confirm_unenrolled(self, *, now: datetime) -> QueueEntry | None:
        """The device sent the unenrollment alert: close the pending unenroll, if any.

        Returns the closed entry, or None when no unenroll was pending (the
        user unenrolled on the device).
        """
        _aware(now)
        entry = self.pending_unenroll
        if entry is None:
            return None
        return self._update(
            entry, state=EntryState.DONE, closed_at=now, note="the device sent the unenrollment alert (1226)"
        )

    def close_if_silent(self, *, now: datetime, after: timedelta) -> QueueEntry | None:
        """Close a sent unenroll when the device has not checked in for *after*.

        The device's report of an unenrollment is best effort; a device that
        stops checking in after the Exec went out is taken as unenrolled
        (``docs/unenrollment.md``).  Silence counts from the later of the
        Exec going out and the device's last session.
        """
        _aware(now)
        entry = self.pending_unenroll
        if entry is None or entry.sent_at is None:
            return None
        since = max(entry.sent_at, self.last_seen) if self.last_seen is not None else entry.sent_at
        if now - since < after:
            return None
        note = f"the device has been silent since {since.isoformat()}"
        return self._update(entry, state=EntryState.DONE, closed_at=now, note=note)

    def forget_closed(self) -> tuple[QueueEntry, ...]:
        """Drop settled entries; returns them (for the server's own history)."""
        closed = tuple(e for e in self._entries if not e.state.pending)
        self._entries = [e for e in self._entries if e.state.pending]
        return closed

    # --- session events -------------------------------------------------------------------

    def apply(self, events: Iterable[Event], *, now: datetime) -> tuple[QueueEntry, ...]:
        """Update the queue from a :class:`~syncml.ServerSession`'s events; returns the entries changed.

        - a session start marks the device seen;
        - a Status for a command sent with ``key=entry.id`` settles the entry
          (for a split object, the Status of its last chunk);
        - the unenrollment alert confirms a pending unenroll;
        - a command too large for the device fails with the reason;
        - a command that never went out is queued again; one that went out
          but got no Status is queued again too, except the unenroll, which
          waits for the alert or for silence.
        """
        _aware(now)
        changed = (self._apply_one(event, now) for event in events)
        return tuple(entry for entry in changed if entry is not None)

    def _apply_one(self, event: Event, now: datetime) -> QueueEntry | None:
        if isinstance(event, SessionStarted):
            self.seen(now=now)
            return None
        if isinstance(event, UnenrollmentRequested):
            return self.confirm_unenrolled(now=now)
        if not isinstance(event, StatusReceived | CommandNotSent | CommandUnanswered | CommandTooLarge):
            return None
        if not self._sent(event.key):
            return None
        key = event.key or ""
        if isinstance(event, CommandTooLarge):
            return self._update(
                self.get(key), state=EntryState.FAILED, status=event.status, closed_at=now, note=event.reason
            )
        if isinstance(event, StatusReceived):
            try:
                code = int(event.status.code)
            except DecodeError:
                return self._update(self.get(key), state=EntryState.FAILED, closed_at=now, note="unreadable Status")
            return self.settle(key, code, now=now)
        if isinstance(event, CommandUnanswered) and self.get(key).kind is EntryKind.UNENROLL:
            return None  # the device aborts without a Status: wait for its alert or its silence
        return self.requeue(key)

    def _sent(self, key: str | None) -> bool:
        return key is not None and any(e.id == key and e.state is EntryState.SENT for e in self._entries)

    def _update(self, entry: QueueEntry, **changes: object) -> QueueEntry:
        new = dataclasses.replace(entry, **changes)  # type: ignore[arg-type]
        self._entries[self._entries.index(entry)] = new
        return new

    # --- plain data -------------------------------------------------------------------------

    def to_dict(self) -> QueueData:
        """The queue as JSON types: commands as XML text, times as ISO 8601."""
        return {
            "version": _FORMAT_VERSION,
            "device_id": self.device_id,
            "next_id": self._next_id,
            "last_seen": _time_text(self.last_seen),
            "entries": [_entry_data(e) for e in self._entries],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: object) -> CommandQueue:
        """Read back what :meth:`to_dict` wrote.

        Raises:
            SyncMLError: *data* is not a queue of this format (a
                :class:`~syncml.DecodeError` when a stored command is not
                valid SyncML).
        """
        reader = _Reader(data, "queue")
        version = reader.integer("version")
        if version != _FORMAT_VERSION:
            raise SyncMLError(f"queue format version {version} is not {_FORMAT_VERSION}")
        entries = [_entry_from(_Reader(e, f"entries[{i}]")) for i, e in enumerate(reader.array("entries"))]
        return cls(
            device_id=reader.text("device_id"),
            entries=entries,
            next_id=reader.integer("next_id"),
            last_seen=reader.opt_time("last_seen"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> CommandQueue:
        """Read back what :meth:`to_json` wrote."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise SyncMLError(f"queue is not JSON: {exc}") from exc
        return cls.from_dict(data)


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _entry_data(entry: QueueEntry) -> EntryData:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "command": serialize_commands((entry.command,)).decode("utf-8"),
        "state": entry.state.value,
        "queued_at": entry.queued_at.isoformat(),
        "sent_at": _time_text(entry.sent_at),
        "closed_at": _time_text(entry.closed_at),
        "status": entry.status,
        "note": entry.note,
        "attempts": entry.attempts,
    }


def _entry_from(reader: _Reader) -> QueueEntry:
    commands = parse_commands(reader.text("command"))
    if len(commands) != 1:
        raise SyncMLError(f"{reader.where}.command holds {len(commands)} commands, not one")
    return QueueEntry(
        id=reader.text("id"),
        kind=reader.choice("kind", EntryKind),
        command=commands[0],
        state=reader.choice("state", EntryState),
        queued_at=reader.time("queued_at"),
        sent_at=reader.opt_time("sent_at"),
        closed_at=reader.opt_time("closed_at"),
        status=reader.opt_integer("status"),
        note=reader.opt_text("note"),
        attempts=reader.integer("attempts"),
    )


class _Reader:
    """Typed access to one JSON object, with errors that say which field."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise SyncMLError(f"{where} must be an object, not {type(data).__name__}")
        self.data: dict[object, object] = data
        self.where = where

    def _get(self, key: str, kind: type, *, optional: bool) -> object:
        if key not in self.data:
            raise SyncMLError(f"{self.where}.{key} is missing")
        value = self.data[key]
        if value is None and optional:
            return None
        if not isinstance(value, kind) or isinstance(value, bool):
            raise SyncMLError(f"{self.where}.{key} has the wrong type: {type(value).__name__}")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, optional=False))

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, str, optional=True)
        return None if value is None else str(value)

    def integer(self, key: str) -> int:
        value = self._get(key, int, optional=False)
        assert isinstance(value, int)
        return value

    def opt_integer(self, key: str) -> int | None:
        value = self._get(key, int, optional=True)
        assert value is None or isinstance(value, int)
        return value

    def array(self, key: str) -> list[object]:
        value = self._get(key, list, optional=False)
        assert isinstance(value, list)
        return value

    def choice(self, key: str, enum: type[_E]) -> _E:
        value = self.text(key)
        try:
            return enum(value)
        except ValueError:
            raise SyncMLError(f"{self.where}.{key} {value!r} is not one of {[e.value for e in enum]}") from None

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return _aware(datetime.fromisoformat(value))
        except ValueError:
            raise SyncMLError(f"{self.where}.{key} {value!r} is not an ISO 8601 time") from None

    def opt_time(self, key: str) -> datetime | None:
        return None if self.opt_text(key) is None else self.time(key)
