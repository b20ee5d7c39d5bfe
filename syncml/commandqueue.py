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
one is in its life can leave server and device out of step, so an unenroll
entry moves through explicit states -- queued, sent, answered (the device
returned a Status for the ``Exec``, which does not settle anything),
confirmed (the 1226 alert came) or silent (the device stopped checking in) --
and :meth:`CommandQueue.unenroll` does nothing (and says so) while one is
queued, sent or answered.  Once the unenrollment is confirmed or taken as
silent, the queue knows the device is unenrolled: a new unenroll is refused
and every other entry is held until :meth:`CommandQueue.reenrolled` says the
device enrolled again.

Every mutation changes :attr:`CommandQueue.version`, so that a store can
refuse a save made from a stale copy (compare and swap, see
:mod:`syncml.server.store`).

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
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypedDict, TypeVar

from . import model as m
from ._api import encode_commands, parse_commands
from ._numbers import MAX_DIGITS, is_uint, read_uint
from .errors import SyncMLError
from .events import (
    CommandHeld,
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
    "QueueData",
    "QueueEntry",
    "QueueError",
    "Queued",
]

#: What :meth:`CommandQueue.to_dict` writes under ``format``.  Format 1
#: (``version`` holding the format, no mutation counter) is still read.
_FORMAT = 2
#: The largest number a stored queue may hold (an id, a counter, a Status):
#: as many digits as :func:`syncml._numbers.read_uint` reads.
_MAX_NUMBER = 10**MAX_DIGITS - 1
_E = TypeVar("_E", bound=StrEnum)


class QueueError(SyncMLError):
    """A stored queue that cannot be read back, or a call the queue refuses.

    Raised for malformed JSON (too deep included), fields of the wrong type
    or out of range, and entries whose state contradicts their times.  A
    stored command that is not SyncML raises :class:`~syncml.DecodeError`.
    """


class EntryKind(StrEnum):
    """What a queue entry is for."""

    COMMAND = "command"
    UNENROLL = "unenroll"


class EntryState(StrEnum):
    """Where a queue entry stands."""

    QUEUED = "queued"  # waiting for the device's next session
    SENT = "sent"  # handed to a session, no Status yet
    #: An unenroll the device answered with a 1xx/2xx Status: not settled,
    #: the unenrollment is confirmed by the 1226 alert or by silence only.
    ANSWERED = "answered"
    DONE = "done"  # a 1xx/2xx Status came back for a command
    FAILED = "failed"  # any other Status came back, or the entry was cancelled
    CONFIRMED = "confirmed"  # an unenroll the device confirmed with the 1226 alert
    SILENT = "silent"  # an unenroll closed because the device stopped checking in

    @property
    def pending(self) -> bool:
        """True while the entry is not settled."""
        return self in (EntryState.QUEUED, EntryState.SENT, EntryState.ANSWERED)


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

    entry: QueueEntry | None
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

    format: int
    version: int
    device_id: str
    next_id: int
    last_seen: str | None
    unenrolled_at: str | None
    entries: list[EntryData]


def _aware(now: datetime) -> datetime:
    # Naive and aware datetimes cannot be compared; refuse naive ones up front
    # rather than fail later with a TypeError in the middle of an update.
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise QueueError(f"times must be timezone-aware datetimes, not {now!r}")
    return now


class CommandQueue:
    """Commands waiting for one device, kept by the server between sessions.

    Entries stay in the order they were queued.  Closed entries are kept
    (with their Status and note) until :meth:`forget_closed` drops them.
    ``version`` counts mutations: it changes with every call that changes
    the queue and is stored with it.  ``unenrolled_at`` is set while the
    device is known to be unenrolled.
    """

    def __init__(
        self,
        *,
        device_id: str,
        entries: Iterable[QueueEntry] = (),
        next_id: int = 1,
        last_seen: datetime | None = None,
        unenrolled_at: datetime | None = None,
        version: int = 0,
    ) -> None:
        self.device_id = device_id
        self._entries: list[QueueEntry] = list(entries)
        self._next_id = next_id
        self.last_seen = last_seen
        self.unenrolled_at = unenrolled_at
        self.version = version
        ids = [e.id for e in self._entries]
        if len(set(ids)) != len(ids):
            raise QueueError(f"entry ids repeat in the queue of {device_id!r}: {ids}")
        for name, value in (("next_id", next_id), ("version", version)):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_NUMBER:
                raise QueueError(f"{name} {value!r} is not a number from 0 to {_MAX_NUMBER}")
        # Ids are numbers handed out in turn, written as text: anything else
        # was not written by this queue.  A next_id at or below one of them
        # would hand the same id out twice.
        numbers = [_id_number(i, device_id) for i in ids]
        if next_id < 1 or next_id <= max(numbers, default=0):
            raise QueueError(f"next_id {next_id} would repeat an entry id of the queue of {device_id!r}")
        if len(self.unenroll_life()) > 1:
            raise QueueError(f"the queue of {device_id!r} holds more than one unenroll in progress")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CommandQueue):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"CommandQueue(device_id={self.device_id!r}, entries={len(self._entries)}, version={self.version})"

    @property
    def entries(self) -> tuple[QueueEntry, ...]:
        """Every entry, oldest first."""
        return tuple(self._entries)

    @property
    def unenrolled(self) -> bool:
        """True once an unenrollment was confirmed (or taken as silent), until :meth:`reenrolled`."""
        return self.unenrolled_at is not None

    def unenroll_life(self) -> tuple[QueueEntry, ...]:
        """Unenroll entries still in their life: queued, sent or answered (at most one)."""
        return tuple(e for e in self._entries if e.kind is EntryKind.UNENROLL and e.state.pending)

    @property
    def pending_unenroll(self) -> QueueEntry | None:
        """The unenroll that is queued, sent or answered and not yet settled, if any."""
        life = self.unenroll_life()
        return life[0] if life else None

    def get(self, entry_id: str) -> QueueEntry:
        """The entry called *entry_id*.

        Raises:
            QueueError: there is none.
        """
        for entry in self._entries:
            if entry.id == entry_id:
                return entry
        raise QueueError(f"no entry {entry_id!r} in the queue of {self.device_id!r}")

    # --- queuing ----------------------------------------------------------------

    def add(self, command: m.Command, *, now: datetime) -> QueueEntry:
        """Queue *command* (its CmdID is replaced when sent).

        While the device is unenrolled the entry waits (:meth:`due` holds it)
        until :meth:`reenrolled`.

        Raises:
            EncodeError: *command* cannot be written as XML (checked now, so
                the queue never holds something it cannot send or store).
        """
        return self._append(EntryKind.COMMAND, command, now)

    def unenroll(self, provider_id: str, *, now: datetime, device_scoped: bool = False) -> Queued:
        """Queue the unenroll ``Exec`` for *provider_id*, unless that would send a second one.

        Nothing changes (``added`` False, with a ``reason``) while an
        unenroll is queued, sent or answered, or once the device is known to
        be unenrolled (until :meth:`reenrolled`).
        """
        _aware(now)
        if self.unenrolled_at is not None:
            reason = f"the device is unenrolled (since {self.unenrolled_at.isoformat()}); it must enroll again first"
            return Queued(entry=None, added=False, reason=reason)
        pending = self.pending_unenroll
        if pending is not None:
            return Queued(entry=pending, added=False, reason=_why_pending(pending))
        command = unenroll_exec(provider_id, cmd_id="1", device_scoped=device_scoped)
        return Queued(entry=self._append(EntryKind.UNENROLL, command, now), added=True)

    def _append(self, kind: EntryKind, command: m.Command, now: datetime) -> QueueEntry:
        _aware(now)
        _command_text(command)  # refuse now what could not be sent or stored later
        if self._next_id >= _MAX_NUMBER:
            raise QueueError(f"the queue of {self.device_id!r} has used every entry id")
        entry = QueueEntry(id=str(self._next_id), kind=kind, command=command, state=EntryState.QUEUED, queued_at=now)
        self._next_id += 1
        self._entries.append(entry)
        self._mutated()
        return entry

    # --- delivering ---------------------------------------------------------------

    def due(self) -> tuple[QueueEntry, ...]:
        """Queued entries to send now, oldest first.

        Nothing goes out while the device is unenrolled, and nothing queued
        after an unenroll goes out while that unenroll is sent or answered:
        a device that runs it aborts the session at once.
        """
        if self.unenrolled_at is not None:
            return ()
        out: list[QueueEntry] = []
        for entry in self._entries:
            if entry.kind is EntryKind.UNENROLL and entry.state in (EntryState.SENT, EntryState.ANSWERED):
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
            raise QueueError(f"entry {entry_id} is {entry.state.value}, not sent")
        return self._update(entry, state=EntryState.QUEUED, sent_at=None)

    def requeue_sent(self) -> tuple[QueueEntry, ...]:
        """Put every sent command back in the queue, for a server that lost its sessions (a restart).

        The device may have run some of them: they go out again (at least
        once).  A sent unenroll stays sent: it must never go out twice, and
        the 1226 alert or silence settles it.
        """
        return tuple(
            self.requeue(e.id) for e in self.entries if e.state is EntryState.SENT and e.kind is EntryKind.COMMAND
        )

    def settle(self, entry_id: str, status: int, *, now: datetime) -> QueueEntry:
        """Record the Status the device returned for a sent entry.

        A command is done with 1xx/2xx, failed otherwise.  An unenroll with
        1xx/2xx is only *answered*: the device may have run it or not, the
        1226 alert or silence settles it.  An unenroll refused by the device
        (any other code) failed: the device stays enrolled.
        """
        _aware(now)
        entry = self.get(entry_id)
        if entry.state is not EntryState.SENT:
            raise QueueError(f"entry {entry_id} is {entry.state.value}, not sent")
        success = 100 <= status < 300
        if entry.kind is EntryKind.UNENROLL and success:
            return self._update(entry, state=EntryState.ANSWERED, status=status, note=f"Status {status}")
        state = EntryState.DONE if success else EntryState.FAILED
        return self._update(entry, state=state, status=status, closed_at=now, note=f"Status {status}")

    def cancel(self, entry_id: str, *, now: datetime) -> QueueEntry:
        """Withdraw an entry that has not been sent (an administrator changed their mind)."""
        _aware(now)
        entry = self.get(entry_id)
        if entry.state is not EntryState.QUEUED:
            raise QueueError(f"entry {entry_id} is {entry.state.value}: only queued entries can be cancelled")
        return self._update(entry, state=EntryState.FAILED, closed_at=now, note="cancelled before it was sent")

    # --- closing an unenroll -----------------------------------------------------------

    def seen(self, *, now: datetime) -> None:
        """Note that the device opened a session at *now*."""
        self.last_seen = _aware(now)
        self._mutated()

    def confirm_unenrolled(self, *, now: datetime) -> QueueEntry | None:
        """The device sent the unenrollment alert: it is unenrolled from now on.

        Closes the unenroll that was sent or answered, if any, as confirmed,
        and returns it.  An unenroll that was never sent is left as it is
        (held with everything else; :meth:`reenrolled` withdraws it): the
        device cannot have run it.  Returns None when no sent unenroll was
        waiting (the user unenrolled on the device).
        """
        _aware(now)
        if self.unenrolled_at is None:
            self.unenrolled_at = now
            self._mutated()
        entry = self.pending_unenroll
        if entry is None or entry.state is EntryState.QUEUED:
            return None
        return self._update(
            entry, state=EntryState.CONFIRMED, closed_at=now, note="the device sent the unenrollment alert (1226)"
        )

    def close_if_silent(self, *, now: datetime, after: timedelta) -> QueueEntry | None:
        """Close a sent (or answered) unenroll when the device has not checked in for *after*.

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
        self.unenrolled_at = now
        note = f"the device has been silent since {since.isoformat()}"
        return self._update(entry, state=EntryState.SILENT, closed_at=now, note=note)

    def reenrolled(self, *, now: datetime) -> tuple[QueueEntry, ...]:
        """The server enrolled the device again: held entries may go out again.

        An unenroll queued for the previous enrollment and never sent is
        withdrawn (failed, with a note): queue a new one for the new
        enrollment if it is still wanted.  Returns the entries changed.
        """
        _aware(now)
        changed: list[QueueEntry] = []
        if self.unenrolled_at is not None:
            self.unenrolled_at = None
            self._mutated()
            for entry in self.unenroll_life():
                note = "withdrawn: the device unenrolled before it was sent, then enrolled again"
                changed.append(self._update(entry, state=EntryState.FAILED, closed_at=now, note=note))
        return tuple(changed)

    def forget_closed(self) -> tuple[QueueEntry, ...]:
        """Drop settled entries; returns them (for the server's own history)."""
        closed = tuple(e for e in self._entries if not e.state.pending)
        if closed:
            self._entries = [e for e in self._entries if e.state.pending]
            self._mutated()
        return closed

    # --- session events -------------------------------------------------------------------

    def apply(self, events: Iterable[Event], *, now: datetime) -> tuple[QueueEntry, ...]:
        """Update the queue from a :class:`~syncml.server.ServerSession`'s events; returns the entries changed.

        - a session start marks the device seen;
        - a Status for a command sent with ``key=entry.id`` settles the entry
          (for a split object, the Status of its last chunk; for an unenroll,
          see :meth:`settle`);
        - the unenrollment alert marks the device unenrolled and confirms a
          sent unenroll;
        - a command too large for the device fails with the reason;
        - a command that never went out, or that the session held back, is
          queued again; one that went out but got no Status is queued again
          too, except the unenroll, which waits for the alert or for silence.
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
        if not isinstance(event, StatusReceived | CommandNotSent | CommandUnanswered | CommandTooLarge | CommandHeld):
            return None
        if not self._sent(event.key):
            return None
        key = event.key or ""
        if isinstance(event, CommandTooLarge):
            return self._update(
                self.get(key), state=EntryState.FAILED, status=event.status, closed_at=now, note=event.reason
            )
        if isinstance(event, StatusReceived):
            code = _code(event.status)
            if code is None:
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
        self._mutated()
        return new

    def _mutated(self) -> None:
        self.version += 1

    # --- plain data -------------------------------------------------------------------------

    def to_dict(self) -> QueueData:
        """The queue as JSON types: commands as XML text, times as ISO 8601."""
        return {
            "format": _FORMAT,
            "version": self.version,
            "device_id": self.device_id,
            "next_id": self._next_id,
            "last_seen": _time_text(self.last_seen),
            "unenrolled_at": _time_text(self.unenrolled_at),
            "entries": [_entry_data(e) for e in self._entries],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: object) -> CommandQueue:
        """Read back what :meth:`to_dict` wrote (format 2, or format 1 of earlier releases).

        Raises:
            QueueError: *data* is not a queue of this format, or contradicts
                itself (a :class:`~syncml.DecodeError` when a stored command
                is not valid SyncML).
        """
        reader = _Reader(data, "queue")
        if "format" in reader.data:
            fmt, version = reader.integer("format"), reader.integer("version")
            unenrolled_at = reader.opt_time("unenrolled_at")
        else:  # format 1 stored the format under "version" and had no counter
            fmt, version, unenrolled_at = reader.integer("version"), 0, None
        if fmt not in (1, _FORMAT):
            raise QueueError(f"queue format {fmt} is not {_FORMAT}")
        entries = [_entry_from(_Reader(e, f"entries[{i}]")) for i, e in enumerate(reader.array("entries"))]
        return cls(
            device_id=reader.text("device_id"),
            entries=entries,
            next_id=reader.integer("next_id"),
            last_seen=reader.opt_time("last_seen"),
            unenrolled_at=unenrolled_at,
            version=version,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> CommandQueue:
        """Read back what :meth:`to_json` wrote.

        Raises:
            QueueError: *text* is not JSON (too deeply nested included), or
                not a queue (see :meth:`from_dict`).
        """
        try:
            data = json.loads(text)
        except RecursionError:
            raise QueueError("queue is not JSON a queue can be: nested too deeply") from None
        except (ValueError, TypeError) as exc:
            raise QueueError(f"queue is not JSON: {exc}") from None
        return cls.from_dict(data)


def _id_number(entry_id: str, device_id: str) -> int:
    """An entry id as a number: 1 to 18 ASCII digits, as :meth:`CommandQueue.add` writes them."""
    if not is_uint(entry_id):
        shown = entry_id if len(entry_id) <= 40 else f"{entry_id[:20]}... ({len(entry_id)} characters)"
        raise QueueError(
            f"entry id {shown!r} in the queue of {device_id!r} is not a number of 1 to {MAX_DIGITS} digits"
        )
    return read_uint(entry_id, "id")


def _why_pending(pending: QueueEntry) -> str:
    if pending.state is EntryState.QUEUED:
        return f"an unenroll (entry {pending.id}) is already queued, since {pending.queued_at.isoformat()}"
    assert pending.sent_at is not None
    if pending.state is EntryState.ANSWERED:
        return (
            f"an unenroll (entry {pending.id}) was answered with Status {pending.status} and waits for the "
            "unenrollment alert or for silence"
        )
    return f"an unenroll (entry {pending.id}) was sent at {pending.sent_at.isoformat()} and is not settled"


def _code(status: m.Status) -> int | None:
    """The Status's code, or None when its Data is not a number."""
    try:
        return status.code
    except SyncMLError:
        return None


# A stored queue is read and written whole on every change (update_queue), so
# each entry's command would be parsed and serialized again and again.  Both
# are memoized for small commands: commands are immutable values, and the
# bound on text size bounds the memory (1024 entries of at most 4 KiB).
_MEMO_TEXT = 4096


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> m.Commands:
    return parse_commands(text)


def _commands_of(text: str) -> m.Commands:
    return _parsed(text) if len(text) <= _MEMO_TEXT else parse_commands(text)


_texts: dict[int, tuple[m.Command, str]] = {}


def _command_text(command: m.Command) -> str:
    """*command* as XML, memoized by identity (the entry keeps the same object through its life)."""
    known = _texts.get(id(command))
    if known is not None and known[0] is command:
        return known[1]
    # Queued commands need no CmdID (they are numbered when sent): an unnumbered one is stored empty.
    text = encode_commands((command,), numbered=False).decode("utf-8")
    if len(text) <= _MEMO_TEXT:
        if len(_texts) >= 1024:
            _texts.clear()
        _texts[id(command)] = (command, text)
    return text


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _entry_data(entry: QueueEntry) -> EntryData:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "command": _command_text(entry.command),
        "state": entry.state.value,
        "queued_at": entry.queued_at.isoformat(),
        "sent_at": _time_text(entry.sent_at),
        "closed_at": _time_text(entry.closed_at),
        "status": entry.status,
        "note": entry.note,
        "attempts": entry.attempts,
    }


def _entry_from(reader: _Reader) -> QueueEntry:
    commands = _commands_of(reader.text("command"))
    if len(commands) != 1:
        raise QueueError(f"{reader.where}.command holds {len(commands)} commands, not one")
    entry = QueueEntry(
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
    _consistent(entry, reader.where)
    return entry


def _consistent(entry: QueueEntry, where: str) -> None:
    """Refuse an entry whose state contradicts its times or its kind."""
    if not entry.id:
        raise QueueError(f"{where}.id is empty")
    sent = entry.state in (EntryState.SENT, EntryState.ANSWERED, EntryState.CONFIRMED, EntryState.SILENT)
    if sent and entry.sent_at is None:
        raise QueueError(f"{where} is {entry.state.value} but has no sent_at")
    if entry.state is EntryState.QUEUED and entry.sent_at is not None:
        raise QueueError(f"{where} is queued but has a sent_at")
    if entry.state.pending == (entry.closed_at is not None):
        raise QueueError(
            f"{where} is {entry.state.value}: closed_at must be {'absent' if entry.state.pending else 'set'}"
        )
    unenroll_only = (EntryState.ANSWERED, EntryState.CONFIRMED, EntryState.SILENT)
    if entry.state in unenroll_only and entry.kind is not EntryKind.UNENROLL:
        raise QueueError(f"{where} is {entry.state.value}, a state of unenroll entries only")
    if sent and entry.attempts < 1:
        raise QueueError(f"{where} is {entry.state.value} but was never attempted")


class _Reader:
    """Typed access to one JSON object, with errors that say which field."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise QueueError(f"{where} must be an object, not {type(data).__name__}")
        self.data: dict[object, object] = data
        self.where = where

    def _get(self, key: str, kind: type, *, optional: bool) -> object:
        if key not in self.data:
            raise QueueError(f"{self.where}.{key} is missing")
        value = self.data[key]
        if value is None and optional:
            return None
        if not isinstance(value, kind) or isinstance(value, bool):
            raise QueueError(f"{self.where}.{key} has the wrong type: {type(value).__name__}")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, optional=False))

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, str, optional=True)
        return None if value is None else str(value)

    def integer(self, key: str) -> int:
        value = self.opt_integer(key)
        if value is None:
            raise QueueError(f"{self.where}.{key} has the wrong type: NoneType")
        return value

    def opt_integer(self, key: str) -> int | None:
        # JSON numbers arrive as ints already; bound them as read_uint bounds text.
        value = self._get(key, int, optional=True)
        if value is None:
            return None
        assert isinstance(value, int)
        if not 0 <= value <= _MAX_NUMBER:
            raise QueueError(f"{self.where}.{key} {value} is not a number from 0 to {_MAX_NUMBER}")
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
            raise QueueError(f"{self.where}.{key} {value!r} is not one of {[e.value for e in enum]}") from None

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return _aware(datetime.fromisoformat(value))
        except ValueError:
            raise QueueError(f"{self.where}.{key} {value!r} is not an ISO 8601 time") from None

    def opt_time(self, key: str) -> datetime | None:
        return None if self.opt_text(key) is None else self.time(key)
