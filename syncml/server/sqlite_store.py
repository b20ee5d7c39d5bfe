"""A :class:`~syncml.server.QueueStore` on SQLite: one file, WAL mode, standard library only.

One row per device: its id, the queue's version and its JSON
(:meth:`syncml.server.CommandQueue.to_json`).  A save is one ``UPDATE ... WHERE
version = ?`` (or an ``INSERT`` for a new device): SQLite runs it atomically,
so two processes saving from the same version cannot both succeed
(compare and swap).  WAL mode lets readers go on while one process writes.

>>> import tempfile, pathlib, syncml
>>> from datetime import datetime, timezone
>>> from syncml.server import SQLiteStore, update_queue
>>> now = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
>>> with tempfile.TemporaryDirectory() as folder:
...     store = SQLiteStore(pathlib.Path(folder) / "queues.db")
...     update_queue(store, "DEV-1", lambda q: q.unenroll("Contoso MDM", now=now).added)
...     store.load("DEV-1").pending_unenroll.state.value, store.devices()
...     store.close()
True
('queued', ('DEV-1',))
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ..commandqueue import CommandQueue
from .store import _conflict

__all__ = ["SQLiteStore"]

_SCHEMA = "CREATE TABLE IF NOT EXISTS queues (device_id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)"


class SQLiteStore:
    """Command queues in the SQLite file *path*, shared by threads and processes.

    Each thread gets its own connection (SQLite connections are not shared
    across threads).  *busy_timeout_ms* is how long a write waits for
    another process's write to finish.
    """

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 10_000) -> None:
        self.path = str(path)
        self._busy = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        connection = self._connection()
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout={int(self._busy)}")
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def load(self, device_id: str) -> CommandQueue | None:
        """The stored queue of *device_id*, or None."""
        row = self._connection().execute("SELECT data FROM queues WHERE device_id = ?", (device_id,)).fetchone()
        return None if row is None else CommandQueue.from_json(row[0])

    def save(self, queue: CommandQueue, *, expected: int | None) -> None:
        """Store *queue* if the stored one is at version *expected* (None: new); else StoreConflict."""
        connection = self._connection()
        text = queue.to_json()
        if expected is None:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO queues (device_id, version, data) VALUES (?, ?, ?)",
                (queue.device_id, queue.version, text),
            )
        else:
            cursor = connection.execute(
                "UPDATE queues SET version = ?, data = ? WHERE device_id = ? AND version = ?",
                (queue.version, text, queue.device_id, expected),
            )
        if cursor.rowcount != 1:
            row = connection.execute("SELECT version FROM queues WHERE device_id = ?", (queue.device_id,)).fetchone()
            raise _conflict(queue.device_id, None if row is None else row[0], expected)

    def devices(self) -> tuple[str, ...]:
        """The devices with a stored queue, in id order."""
        rows = self._connection().execute("SELECT device_id FROM queues ORDER BY device_id").fetchall()
        return tuple(row[0] for row in rows)

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all.clear()
        self._local = threading.local()
