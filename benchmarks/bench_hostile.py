"""What the worst inputs of each size cost: time and peak memory per input size class.

Run: ``python benchmarks/bench_hostile.py [--sizes 65536,524288,8387584]``.
For each size class and each adversarial shape (the most elements, a quirk
in every element, kept unknown elements, markup under many namespace
declarations, one huge text, the most attributes allowed, nesting at the depth
limit, CDATA sections, the same as WBXML) it builds one input that fills the
class, decodes it with the default limits in a fresh interpreter, and reports
the answer (accepted, or the refusal's status), the decode time (best of 3),
the time to serialize what was accepted, and the growth of peak resident
memory (libxml2's included).  ``docs/security.md`` quotes the figures.

Timings depend on the machine and its load: they are for information, and
never asserted in tests (``tests/test_hostile.py`` bounds work by counts).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable

import syncml

HDR = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.example.com</LocURI></Target>"
    b"<Source><LocURI>DEV-1</LocURI></Source></SyncHdr>"
)
END = b"</SyncBody></SyncML>"


def _fill(start: bytes, unit: bytes, end: bytes, size: int) -> bytes:
    count = max(1, (size - len(HDR) - len(start) - len(end) - 40) // len(unit))
    return HDR + b"<SyncBody" + start + unit * count + end + END


def _nested(size: int) -> bytes:
    depth = syncml.DEFAULT_LIMITS.max_depth - 4
    one = b"<Atomic><CmdID>1</CmdID>" * depth + b"<Get><CmdID>2</CmdID><Item/></Get>" + b"</Atomic>" * depth
    return _fill(b">", one, b"", size)


def _wbxml_items(size: int) -> bytes:
    # A WBXML Add with as many Items as fit: each Item is two bytes.
    items = tuple(syncml.Item() for _ in range(max(1, (size - 200) // 2)))
    msg = syncml.SyncML(
        header=syncml.SyncHdr(
            session_id="1", msg_id="1", target=syncml.Target(loc_uri="S"), source=syncml.Source(loc_uri="D")
        ),
        body=syncml.SyncBody(commands=(syncml.Add(cmd_id="1", items=items),)),
    )
    return syncml.serialize(msg, wbxml=True)


STATUS = b"<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
SHAPES: dict[str, Callable[[int], bytes]] = {
    "most elements (<Item/>)": lambda n: _fill(b"><Add><CmdID>1</CmdID>", b"<Item/>", b"</Add>", n),
    "a quirk in every Item": lambda n: _fill(
        b"><Add><CmdID>1</CmdID>", b"<Item><Target><LocURI> x</LocURI></Target></Item>", b"</Add>", n
    ),
    "unknown elements (keep_unknown)": lambda n: _fill(b"><Add><CmdID>1</CmdID><Item/>", b"<X/>", b"</Add>", n),
    "markup under 1000 declarations": lambda n: _fill(
        b" " + b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(1000)) + b"><Add><CmdID>1</CmdID>",
        b"<Item><Data><p1:x/></Data></Item>",
        b"</Add>",
        n,
    ),
    "one huge text": lambda n: _fill(b"><Add><CmdID>1</CmdID><Item><Data>", b"A", b"</Data></Item></Add>", n),
    "32 attributes on each Data": lambda n: _fill(
        b">",
        STATUS + b"<Data " + b" ".join(b'a%d="1"' % i for i in range(32)) + b">200</Data></Status>",
        b"",
        n,
    ),
    "nesting at the depth limit": _nested,
    "CDATA sections": lambda n: _fill(
        b"><Add><CmdID>1</CmdID>", b"<Item><Data><![CDATA[<x>]]></Data></Item>", b"</Add>", n
    ),
    "WBXML: most elements": _wbxml_items,
}


def measure(shape: str, size: int) -> dict[str, object]:
    """Run in a fresh interpreter: decode (best of 3), serialize, peak RSS growth."""
    data = SHAPES[shape](size)
    keep_unknown = "keep_unknown" in shape
    _reset_peak()
    before = _status_kib("VmRSS")
    best = float("inf")
    outcome: dict[str, object] = {}
    msg = None
    for _ in range(3):
        start = time.perf_counter()
        try:
            msg = syncml.parse(data, keep_unknown=keep_unknown)
            outcome = {"answer": "accepted"}
        except syncml.DecodeError as exc:
            outcome = {"answer": f"refused {exc.status}", "reason": exc.reason[:60]}
        best = min(best, time.perf_counter() - start)
    serialize_s = None
    if msg is not None:
        start = time.perf_counter()
        syncml.serialize(msg, wbxml=shape.startswith("WBXML"))
        serialize_s = time.perf_counter() - start
    return {
        **outcome,
        "bytes": len(data),
        "parse_s": round(best, 3),
        "serialize_s": None if serialize_s is None else round(serialize_s, 3),
        "rss_mib": round((_status_kib("VmHWM") - before) / 1024, 1),
    }


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as handle:  # Linux: reset VmHWM
        handle.write("5")


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="65536,524288,8387584", help="size classes in bytes, comma-separated")
    parser.add_argument("--one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    print(f"{'size class':>10}  {'shape':34} {'answer':14} {'parse s':>8} {'serialize s':>11} {'peak RSS MiB':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        for shape in SHAPES:
            done = subprocess.run(
                [sys.executable, __file__, "--one", shape, str(size)], capture_output=True, text=True, check=True
            )
            r = json.loads(done.stdout)
            serialized = "-" if r["serialize_s"] is None else f"{r['serialize_s']:.3f}"
            print(
                f"{size:>10}  {shape:34} {r['answer']:14} {r['parse_s']:>8.3f} {serialized:>11} {r['rss_mib']:>12.1f}"
            )


if __name__ == "__main__":
    main()
