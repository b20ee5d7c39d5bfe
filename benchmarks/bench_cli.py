"""syncml-decode speed: a 5 MB server log of 500 messages, decoded as a person would.

Run: ``python benchmarks/bench_cli.py [--messages 500] [--rounds 3]``.

The log alternates client and server messages of one session (about 10 KB
each: a client's Results of 40 nodes, a server's Statuses and a Replace of 40
nodes), each after a timestamped log line, one in ten as base64 of WBXML on a
single line as loggers write binary bodies.  Timed: the whole tool,
``syncml._cli.main([log])`` with its output to /dev/null, default tree
format (so detection, decoding, masking, rendering and the transcript's
matching all count), then the same with ``--check --summary`` (adds
``syncml.check``, schema validation and, when ``syncml.ddf`` is there, the
DDF lint of every message; it exits 1 because the lint finds the made-up
Policy nodes unknown, which exercises the findings path too).  Printed: the best
of ``--rounds`` runs.  Target (issue 15): under 2 s on one core for the
default run.  Timings are for information only and never asserted.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

import syncml
from syncml import model as m
from syncml._cli import main

SERVER = "https://mdm.example.com/ManagementServer/MDM.svc"
DEVICE = "4C4C4544-0037-3010-8052-B4C04F4B4E32"
NODES = 25


def _hdr(msg_id: int, *, client: bool) -> m.SyncHdr:
    target, source = (SERVER, DEVICE) if client else (DEVICE, SERVER)
    return m.SyncHdr(
        session_id="5A", msg_id=str(msg_id), target=m.Target(loc_uri=target), source=m.Source(loc_uri=source)
    )


def _uri(n: int) -> str:
    return f"./Device/Vendor/MSFT/Policy/Config/Example/Setting{n:03d}"


def client_message(msg_id: int) -> m.SyncML:
    """The first opens the session (Alert 1201); each later one answers the server's Replace and Get."""
    if msg_id == 1:
        commands: tuple[m.Command, ...] = (m.Alert(cmd_id="1", data="1201"),)
    else:
        ref = str(msg_id - 1)
        items = tuple(
            m.Item(source=m.Source(loc_uri=_uri(n)), meta=m.Meta(format="chr"), data=f"value {n} " + "v" * 78)
            for n in range(NODES)
        )
        commands = (
            m.Status(cmd_id="1", msg_ref=ref, cmd_ref="0", cmd="SyncHdr", data="200"),
            m.Status(cmd_id="2", msg_ref=ref, cmd_ref="2", cmd="Replace", data="200"),
            m.Status(cmd_id="3", msg_ref=ref, cmd_ref="3", cmd="Get", data="200"),
            m.Results(cmd_id="4", msg_ref=ref, cmd_ref="3", items=items),
        )
    return m.SyncML(header=_hdr(msg_id, client=True), body=m.SyncBody(commands=commands, final=True))


def server_message(msg_id: int) -> m.SyncML:
    """Answers the client's message: Statuses, then a Replace of NODES nodes and a Get of the same nodes."""
    ref = str(msg_id)
    answers: tuple[m.Command, ...] = (m.Status(cmd_id="1", msg_ref=ref, cmd_ref="0", cmd="SyncHdr", data="200"),)
    if msg_id == 1:
        answers += (m.Status(cmd_id="4", msg_ref=ref, cmd_ref="1", cmd="Alert", data="200"),)
    replace = m.Replace(
        cmd_id="2",
        items=tuple(
            m.Item(target=m.Target(loc_uri=_uri(n)), meta=m.Meta(format="chr"), data="s" * 80) for n in range(NODES)
        ),
    )
    get = m.Get(cmd_id="3", items=tuple(m.Item(target=m.Target(loc_uri=_uri(n))) for n in range(NODES)))
    return m.SyncML(header=_hdr(msg_id, client=False), body=m.SyncBody(commands=(*answers, replace, get), final=True))


def transcript(messages: int) -> bytes:
    lines: list[bytes] = []
    for index in range(messages):
        msg_id = index // 2 + 1
        msg = client_message(msg_id) if index % 2 == 0 else server_message(msg_id)
        stamp = f"2026-12-05 10:{index // 60 % 60:02d}:{index % 60:02d}.000 DEBUG mdm:".encode()
        if index % 10 == 9:
            lines.append(stamp + b" body (wbxml, base64) " + base64.b64encode(syncml.serialize(msg, wbxml=True)))
        else:
            lines.append(stamp + b" body:")
            lines.append(syncml.serialize(msg, pretty=True).rstrip(b"\n"))
    return b"\n".join(lines) + b"\n"


def timed(args: list[str], rounds: int) -> tuple[float, int]:
    best, status = float("inf"), -1
    with open(os.devnull, "w") as sink:
        for _ in range(rounds):
            start = time.perf_counter()
            with contextlib.redirect_stdout(sink):
                status = main(args)
            best = min(best, time.perf_counter() - start)
    return best, status


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    data = transcript(options.messages)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mdm.log"
        path.write_bytes(data)
        print(f"transcript: {options.messages} messages, {len(data) / 1e6:.2f} MB")
        for label, args in (
            ("tree (default)", [str(path)]),
            ("--check --summary", ["--check", "--summary", str(path)]),
        ):
            seconds, status = timed(args, options.rounds)
            print(f"{label:20} {seconds:6.2f} s  ({len(data) / 1e6 / seconds:5.1f} MB/s, exit {status})")
    sys.stdout.flush()


if __name__ == "__main__":
    run()
