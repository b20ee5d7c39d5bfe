"""Queue stores: compare-and-swap saves, update_queue's retry loop, SQLite in WAL mode, two processes racing."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from syncml import model as m
from syncml.alerts import AlertType, GenericAlert, generic_alert, generic_alerts
from syncml.events import StatusReceived, UnenrollmentRequested
from syncml.server import (
    CommandQueue,
    EntryKind,
    EntryState,
    MemoryStore,
    QueueEntry,
    QueueStore,
    SQLiteStore,
    StoreConflict,
    update_queue,
)

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PROVIDER = "Contoso MDM"


def get(uri: str) -> m.Get:
    return m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri=uri)),))


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QueueStore]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sqlite = SQLiteStore(tmp_path / "queues.db")
    try:
        yield sqlite
    finally:
        sqlite.close()


def test_save_is_compare_and_swap(store: QueueStore) -> None:
    assert store.load("DEV-1") is None
    queue = CommandQueue(device_id="DEV-1")
    queue.add(get("./A"), now=NOW)
    store.save(queue, expected=None)
    with pytest.raises(StoreConflict, match="at version 1, not absent"):
        store.save(queue, expected=None)  # a second creation
    first, second = store.load("DEV-1"), store.load("DEV-1")
    assert first is not None
    assert second is not None
    first.add(get("./B"), now=NOW)
    second.unenroll(PROVIDER, now=NOW)
    store.save(first, expected=1)
    with pytest.raises(StoreConflict, match="at version 2, not 1"):
        store.save(second, expected=1)  # its update would lose first's
    stored = store.load("DEV-1")
    assert stored == first


class Interfering:
    """A store whose first *n* saves meet a concurrent write made just before them."""

    def __init__(self, inner: QueueStore, n: int, write: Callable[[CommandQueue], object]) -> None:
        self.inner, self.n, self.write, self.saves = inner, n, write, 0

    def load(self, device_id: str) -> CommandQueue | None:
        return self.inner.load(device_id)

    def save(self, queue: CommandQueue, *, expected: int | None) -> None:
        self.saves += 1
        if self.n > 0:
            self.n -= 1
            update_queue(self.inner, queue.device_id, self.write)
        self.inner.save(queue, expected=expected)


def test_update_queue_redoes_the_change_on_a_conflict(store: QueueStore) -> None:
    update_queue(store, "DEV-1", lambda q: q.add(get("./A"), now=NOW))
    racing = Interfering(store, 2, lambda q: q.add(get("./Admin"), now=NOW))
    taken = update_queue(racing, "DEV-1", lambda q: q.take(now=NOW))
    assert racing.saves == 3
    assert [e.id for e in taken] == ["1", "2", "3"]  # the last attempt saw both concurrent adds
    queue = store.load("DEV-1")
    assert queue is not None
    assert [(e.id, e.state) for e in queue.entries] == [(str(i), EntryState.SENT) for i in (1, 2, 3)]


def test_update_queue_gives_up_after_its_attempts(store: QueueStore) -> None:
    update_queue(store, "DEV-1", lambda q: q.add(get("./A"), now=NOW))
    racing = Interfering(store, 100, lambda q: q.seen(now=NOW))
    with pytest.raises(StoreConflict, match="3 attempts failed"):
        update_queue(racing, "DEV-1", lambda q: q.take(now=NOW), attempts=3)


def test_an_unchanged_queue_is_not_saved(store: QueueStore) -> None:
    assert update_queue(store, "DEV-1", lambda q: q.due()) == ()
    assert store.load("DEV-1") is None


def test_sqlite_uses_wal_and_one_file(tmp_path: Path) -> None:
    path = tmp_path / "queues.db"
    store = SQLiteStore(path)
    try:
        update_queue(store, "DEV-1", lambda q: q.add(get("./A"), now=NOW))
        assert store.devices() == ("DEV-1",)
    finally:
        store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("SELECT device_id, version FROM queues").fetchall() == [("DEV-1", 1)]
    connection.close()
    reopened = SQLiteStore(path)
    try:
        queue = reopened.load("DEV-1")
        assert queue is not None
        assert queue.version == 1
    finally:
        reopened.close()


# --- two processes racing on one device ------------------------------------------------------

ROUNDS = 25


def _take(queue: CommandQueue, *, now: datetime) -> tuple[QueueEntry, ...]:
    return queue.take(now=now)


def _apply(queue: CommandQueue, *, events: list[StatusReceived], now: datetime) -> tuple[QueueEntry, ...]:
    return queue.apply(events, now=now)


def _add(queue: CommandQueue, *, uri: str) -> QueueEntry:
    return queue.add(get(uri), now=NOW)


def _settler(path: str) -> None:
    """A device's sessions: take what is due, then settle it with Status 200, many times over."""
    store = SQLiteStore(path)
    try:
        for n in range(ROUNDS):
            now = NOW + timedelta(seconds=n)
            taken = update_queue(store, "DEV-1", partial(_take, now=now))
            events = [
                StatusReceived(
                    status=m.Status(cmd_id="1", msg_ref="1", cmd_ref="2", cmd="Get", data="200"),
                    command=e.command,
                    key=e.id,
                )
                for e in taken
            ]
            update_queue(store, "DEV-1", partial(_apply, events=events, now=now))
    finally:
        store.close()


def _admin(path: str) -> None:
    """An administrator queuing commands, and asking for the unenroll twice in the middle."""
    store = SQLiteStore(path)
    try:
        for n in range(ROUNDS):
            update_queue(store, "DEV-1", partial(_add, uri=f"./Node/{n}"))
            if n in (ROUNDS // 2, ROUNDS // 2 + 1):
                update_queue(store, "DEV-1", lambda q: q.unenroll(PROVIDER, now=NOW))
    finally:
        store.close()


def test_two_processes_racing_lose_nothing_and_duplicate_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "queues.db")
    SQLiteStore(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_settler, args=(path,)), context.Process(target=_admin, args=(path,))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    store = SQLiteStore(path)
    try:
        queue = store.load("DEV-1")
    finally:
        store.close()
    assert queue is not None
    commands = [e for e in queue.entries if e.kind is EntryKind.COMMAND]
    unenrolls = [e for e in queue.entries if e.kind is EntryKind.UNENROLL]
    # Every command the administrator queued is there once; the unenroll once.
    assert sorted(e.command.items[0].target.loc_uri for e in commands) == sorted(  # type: ignore[union-attr]
        f"./Node/{n}" for n in range(ROUNDS)
    )
    assert len(unenrolls) == 1
    assert len({e.id for e in queue.entries}) == len(queue.entries)
    # Nothing was settled twice or left half-done: each entry went out at most once.
    assert all(e.attempts <= 1 for e in queue.entries)
    assert all(
        e.state in (EntryState.QUEUED, EntryState.SENT, EntryState.DONE, EntryState.ANSWERED)
        for e in commands + unenrolls
    )
    settled = [e for e in commands if e.state is EntryState.DONE]
    assert all(e.status == 200 for e in settled)
    # Finish the story: the unenroll is confirmed and nothing else is lost.
    queue.apply([UnenrollmentRequested(alert=_unenroll_alert())], now=NOW)
    assert len([e for e in queue.entries if e.kind is EntryKind.COMMAND]) == ROUNDS


def _unenroll_alert() -> GenericAlert:
    return generic_alerts([generic_alert(AlertType.UNENROLLMENT_USER_REQUEST, "1", cmd_id="2")])[0]
