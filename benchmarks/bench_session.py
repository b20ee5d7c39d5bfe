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
session.  Timings are for information only and never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from syncml import model as m
from syncml.session import ServerSession, SessionConfig
from tests.devicesim import Device

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'scenario':<12} {'seconds':>8} {'messages':>9} {'MB':>7} {'MB/s':>7}")
    for name, scenario in (("pack", pack), ("object-out", object_out), ("object-in", object_in)):
        seconds, messages, size = _best(scenario, args.repeat)
        mb = size / 1e6
        print(f"{name:<12} {seconds:8.3f} {messages:9d} {mb:7.2f} {mb / seconds:7.1f}")


if __name__ == "__main__":
    main()
