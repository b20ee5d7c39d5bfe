"""Where command queues live between requests: a store with compare-and-swap saves.

Two requests for one device can run at once: a device session settling
entries while an administrator queues an unenroll.  A plain load-modify-save
loses one of the two updates.  A :class:`QueueStore` refuses a save made
from a stale copy instead: every mutation changes
:attr:`syncml.server.CommandQueue.version`, and :meth:`QueueStore.save` succeeds
only when the stored version is still the one the caller loaded
(:class:`StoreConflict` otherwise).  :func:`update_queue` is the loop around
it: load, change, save, and on a conflict start again from a fresh load, so
the change must depend on the queue only (do the I/O after it returns).

:class:`MemoryStore` keeps queues in a dict (tests, one process);
:class:`syncml.server.SQLiteStore` keeps them in one SQLite file.

>>> import syncml
>>> from datetime import datetime, timezone
>>> now = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
>>> store = MemoryStore()
>>> update_queue(store, "DEV-1", lambda q: q.unenroll("Contoso MDM", now=now).added)
True
>>> update_queue(store, "DEV-1", lambda q: q.unenroll("Contoso MDM", now=now).reason)
'an unenroll (entry 1) is already queued, since 2025-03-01T09:00:00+00:00'
>>> stale = store.load("DEV-1")
>>> fresh = store.load("DEV-1")
>>> _ = fresh.add(syncml.Get(cmd_id="1", items=(syncml.Item(target=syncml.Target(loc_uri="./A")),)), now=now)
>>> store.save(fresh, expected=stale.version)
>>> _ = stale.take(now=now)
>>> store.save(stale, expected=stale.version - 1)
Traceback (most recent call last):
...
syncml.server.store.StoreConflict: the queue of 'DEV-1' is at version 2, not 1: load it again
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from ..commandqueue import CommandQueue
from ..errors import SyncMLError

__all__ = ["MemoryStore", "QueueStore", "StoreConflict", "update_queue"]

_T = TypeVar("_T")


class StoreConflict(SyncMLError):
    """The stored queue changed since it was loaded: load it again and redo the change."""


class QueueStore(Protocol):
    """Keeps one :class:`~syncml.server.CommandQueue` per device, saved by compare and swap."""

    def load(self, device_id: str) -> CommandQueue | None:
        """The stored queue of *device_id*, or None when there is none."""
        ...

    def save(self, queue: CommandQueue, *, expected: int | None) -> None:
        """Store *queue* if the stored one is still at version *expected* (None: there must be none).

        Raises:
            StoreConflict: the stored version is another one.
        """
        ...


class MemoryStore:
    """A :class:`QueueStore` in memory, safe across threads (not processes).

    Queues are kept as their JSON text, so a loaded queue never shares
    state with the stored one (as with any real store).
    """

    def __init__(self) -> None:
        self._queues: dict[str, tuple[int, str]] = {}
        self._lock = threading.Lock()

    def load(self, device_id: str) -> CommandQueue | None:
        """The stored queue of *device_id*, or None."""
        with self._lock:
            stored = self._queues.get(device_id)
        return None if stored is None else CommandQueue.from_json(stored[1])

    def save(self, queue: CommandQueue, *, expected: int | None) -> None:
        """Store *queue* if the stored one is at version *expected* (None: new); else StoreConflict."""
        text = queue.to_json()
        with self._lock:
            stored = self._queues.get(queue.device_id)
            current = None if stored is None else stored[0]
            if current != expected:
                raise _conflict(queue.device_id, current, expected)
            self._queues[queue.device_id] = (queue.version, text)

    def devices(self) -> tuple[str, ...]:
        """The devices with a stored queue."""
        with self._lock:
            return tuple(self._queues)


def _conflict(device_id: str, current: int | None, expected: int | None) -> StoreConflict:
    def shown(version: int | None) -> str:
        return "absent" if version is None else f"at version {version}"

    return StoreConflict(
        f"the queue of {device_id!r} is {shown(current)}, not {shown(expected).removeprefix('at version ')}: "
        "load it again"
    )


def update_queue(store: QueueStore, device_id: str, change: Callable[[CommandQueue], _T], *, attempts: int = 32) -> _T:
    """Apply *change* to the stored queue of *device_id* (a new one if none) and save it; returns its result.

    On a :class:`StoreConflict` the queue is loaded again and *change* run
    again, up to *attempts* times: *change* must depend on the queue only.
    Nothing is saved when *change* leaves the queue as it was.

    Raises:
        StoreConflict: every attempt met a concurrent change.
    """
    for _ in range(attempts):
        queue = store.load(device_id)
        expected = None if queue is None else queue.version
        if queue is None:
            queue = CommandQueue(device_id=device_id)
        result = change(queue)
        if queue.version == (0 if expected is None else expected):
            return result  # unchanged: nothing to save
        try:
            store.save(queue, expected=expected)
        except StoreConflict:
            continue
        return result
    raise StoreConflict(f"the queue of {device_id!r} kept changing: {attempts} attempts failed")
