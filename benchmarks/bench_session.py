"""ServerSession speed: packing many commands, and moving a large object each way.

Run: ``python benchmarks/bench_session.py``.  Three scenarios, each the best
of several runs, timed with the session's own bytes (the device side is
:mod:`tests.devicesim`, built from the library's helpers):

- ``pack``: 2,000 small Replace commands sent through a session whose device
  announces MaxMsgSize 512 KiB, every message answered by the simulated device;
- ``object-out``: one 4 MiB value sent to the device in 512 KiB messages;
- ``object-in``: the device returns a 4 MiB value in a Results, split to fit
  512 KiB messages and reassembled by the session.

It prints the seconds spent inside the session's own calls (``send``,
``receive``, ``reply``; the simulated device's time is left out), the
messages exchanged, and megabytes per second of SyncML written or read by the
session.

Two more figures, for the server layer:

- ``http``: whole device sessions per second through ``examples/mdm_server.py``
  on 127.0.0.1, HTTP included, with its SQLite store: each session is the
  device's package 1 (DevInfo), the server's Get, the device's Status and
  Results, and the server's closing Statuses (two requests), after an
  administrator queued the Get through the JSON API (a third request);
- ``store``: queue operations per second on :class:`syncml.server.SQLiteStore`
  (one ``update_queue`` each: add, take, settle in turn, one device).

Timings are for information only and never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from syncml import model as m
from syncml.events import StatusReceived
from syncml.server import CommandQueue, QueueEntry, SQLiteStore, update_queue
from syncml.session import ServerSession, SessionConfig
from tests.devicesim import Device, exchange, post

ROOT = Path(__file__).resolve().parent.parent

NOW = datetime(2025, 1, 1, tzinfo=UTC)
LIMIT = 512 * 1024
BIG = 4 * 1024 * 1024


class _Clock:
    """Time spent in the session's calls only."""

    def __init__(self) -> None:
        self.spent = 0.0

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.spent += time.perf_counter() - self.start


def _run(session: ServerSession, device: Device, first: bytes, clock: _Clock) -> tuple[int, int]:
    """Exchange until the device stops; returns (messages, bytes) both ways."""
    messages, size = 1, len(first)
    with clock:
        session.receive(first, now=NOW)
    while True:
        with clock:
            out = session.reply()
        messages, size = messages + 1, size + len(out)
        back = device.answer(out)
        if back is None:
            return messages, size
        messages, size = messages + 1, size + len(back)
        with clock:
            session.receive(back, now=NOW)


def pack(clock: _Clock) -> tuple[int, int]:
    device = Device(tree={f"./Vendor/MSFT/Policy/Config/A/S{i}": "0" for i in range(2000)}, max_msg_size=LIMIT)
    session = ServerSession()
    first = device.start()
    with clock:
        for i in range(2000):
            item = m.Item(target=m.Target(loc_uri=f"./Vendor/MSFT/Policy/Config/A/S{i}"), data=f"value {i} & more")
            session.send(m.Replace(cmd_id="", items=(item,)))
    return _run(session, device, first, clock)


def object_out(clock: _Clock) -> tuple[int, int]:
    device = Device(tree={"./Big": ""}, max_msg_size=LIMIT)
    session = ServerSession()
    first = device.start()
    with clock:
        session.send(m.Replace(cmd_id="", items=(m.Item(target=m.Target(loc_uri="./Big"), data="QUJD" * (BIG // 4)),)))
    return _run(session, device, first, clock)


def object_in(clock: _Clock) -> tuple[int, int]:
    device = Device(tree={"./Big": "QUJD" * (BIG // 4)}, max_msg_size=LIMIT)
    session = ServerSession(SessionConfig(max_msg_size=LIMIT))
    first = device.start()
    with clock:
        session.send(m.Get(cmd_id="", items=(m.Item(target=m.Target(loc_uri="./Big")),)))
    return _run(session, device, first, clock)


def _best(scenario: Callable[[_Clock], tuple[int, int]], repeat: int) -> tuple[float, int, int]:
    best = float("inf")
    messages = size = 0
    for _ in range(repeat):
        clock = _Clock()
        messages, size = scenario(clock)
        best = min(best, clock.spent)
    return best, messages, size


def _example() -> object:
    spec = importlib.util.spec_from_file_location("mdm_server", ROOT / "examples" / "mdm_server.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mdm_server"] = module
    spec.loader.exec_module(module)
    return module


def http_sessions(sessions: int) -> tuple[float, int]:
    """Seconds for *sessions* whole device sessions through the example server; returns (seconds, requests)."""
    mdm = _example()
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "queues.db")
        app = mdm.MdmServer(store, clock=lambda: NOW)  # type: ignore[attr-defined]
        server = mdm.serve(app, port=0)  # type: ignore[attr-defined]
        base = f"http://127.0.0.1:{server.server_address[1]}"
        devices = [Device(device_id=f"DEV-{n}", tree={"./DevDetail/SwV": "10.0.22631"}) for n in range(10)]
        requests = 0
        try:
            start = time.perf_counter()
            for n in range(sessions):
                device = devices[n % len(devices)]
                body = json.dumps({"uri": "./DevDetail/SwV"}).encode()
                status, _, _ = post(f"{base}/admin/{device.device_id}/get", body, "application/json")
                assert status == 200
                answers = exchange(base + mdm.MANAGEMENT_PATH, device, device.start(session_id=format(n, "X")))  # type: ignore[attr-defined]
                requests += 1 + len(answers)
            seconds = time.perf_counter() - start
        finally:
            server.shutdown()
            server.server_close()
            store.close()
    return seconds, requests


def _apply(queue: CommandQueue, *, events: list[StatusReceived]) -> tuple[QueueEntry, ...]:
    return queue.apply(events, now=NOW)


def store_operations(operations: int) -> float:
    """Seconds for *operations* update_queue calls on a SQLite store (add, take, settle in turn)."""
    get = m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri="./DevDetail/SwV")),))
    ok = m.Status(cmd_id="1", msg_ref="1", cmd_ref="2", cmd="Get", data="200")
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "queues.db")
        try:
            start = time.perf_counter()
            for n in range(operations // 3):
                entry = update_queue(store, "DEV-1", lambda q: q.add(get, now=NOW))
                update_queue(store, "DEV-1", lambda q: q.take(now=NOW))
                events = [StatusReceived(status=ok, command=get, key=entry.id)]
                update_queue(store, "DEV-1", partial(_apply, events=events))
                if n % 100 == 99:
                    update_queue(store, "DEV-1", lambda q: q.forget_closed())  # keep the queue short
            seconds = time.perf_counter() - start
        finally:
            store.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=300, help="device sessions for the http figure")
    parser.add_argument("--operations", type=int, default=3000, help="queue operations for the store figure")
    args = parser.parse_args()
    print(f"{'scenario':<12} {'seconds':>8} {'messages':>9} {'MB':>7} {'MB/s':>7}")
    for name, scenario in (("pack", pack), ("object-out", object_out), ("object-in", object_in)):
        seconds, messages, size = _best(scenario, args.repeat)
        mb = size / 1e6
        print(f"{name:<12} {seconds:8.3f} {messages:9d} {mb:7.2f} {mb / seconds:7.1f}")
    seconds, requests = min(http_sessions(args.sessions) for _ in range(args.repeat))
    print(
        f"http: {args.sessions} sessions ({requests} HTTP requests) in {seconds:.3f} s: "
        f"{args.sessions / seconds:.0f} sessions/s, {requests / seconds:.0f} requests/s"
    )
    seconds = min(store_operations(args.operations) for _ in range(args.repeat))
    print(f"store: {args.operations} SQLite queue operations in {seconds:.3f} s: {args.operations / seconds:.0f} op/s")


if __name__ == "__main__":
    main()
