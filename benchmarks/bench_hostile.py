"""What the worst inputs of each size cost: time and peak memory, per family of hostile input.

Run: ``python benchmarks/bench_hostile.py [--sizes 65536,1048576,8388000] [--only WORD]``.

For each size class and each family of hostile input (issue 11's and the
earlier ones: the most elements, a quirk in every element, kept unknown
elements, markup under declarations, one huge text, attribute floods per
element and per message, namespace-declaration floods, nesting at the depth
limit, CDATA sections and CDATA alternation, long numbers, text input whose
UTF-8 is longer than its characters, a single-byte encoding that grows, and
as WBXML: the most tags, string-table references in text, LocURI and
attribute values, LITERAL tags named from the table, markup, nested
documents, OPAQUE floods, attribute floods, quirks under nesting) it builds
one input that fills the class and, in a fresh interpreter that has already
decoded a small message (so that lazy imports are not counted), decodes it
with the default limits: the answer (accepted, or the refusal's status), the
decode time (best of ``--repeat``), the time to serialize what was accepted
(as WBXML for WBXML input), and the growth of peak resident memory
(libxml2's included) as a multiple of the input's size.

The summary gives, per size class, the worst time, the worst time per MiB
of input and the worst memory multiple, against the targets of issue 11:
an input of 1 MiB or less decoded or refused in at most 0.25 s and 20x its
size in memory; 8 MiB in at most 2 s.  Times are the child process's CPU
time (``time.process_time``), so that other work on a shared machine does
not count, though it still slows caches; they depend on the machine and
are for information, never asserted in tests
(``tests/test_hostile.py`` bounds work by counts).  ``docs/security.md``
quotes the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import syncml

HDR = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.example.com</LocURI></Target>"
    b"<Source><LocURI>DEV-1</LocURI></Source></SyncHdr>"
)
END = b"</SyncBody></SyncML>"
MIB = 1024 * 1024
TARGETS = "targets: <= 1 MiB in <= 0.25 s and <= 20x memory; 8 MiB in <= 2 s"


@dataclass(frozen=True, slots=True)
class Family:
    """How to build one hostile input of a given size, and how to decode it."""

    build: Callable[[int], bytes | str]
    keep_unknown: bool = False


def _fill(start: bytes, unit: bytes, end: bytes, size: int, *, attrs: bytes = b"") -> bytes:
    count = max(1, (size - len(HDR) - len(attrs) - len(start) - len(end) - 40) // len(unit))
    return HDR + b"<SyncBody" + attrs + start + unit * count + end + END


def _nested(size: int) -> bytes:
    depth = syncml.DEFAULT_LIMITS.max_depth - 4
    one = b"<Atomic><CmdID>1</CmdID>" * depth + b"<Get><CmdID>2</CmdID><Item/></Get>" + b"</Atomic>" * depth
    return _fill(b">", one, b"", size)


# --- WBXML, written token by token --------------------------------------------------------


def _mb(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(reversed(out))


def _s(text: bytes) -> bytes:
    return b"\x03" + text + b"\x00"


_WBXML_HDR = (
    b"\x6c\x71" + _s(b"1.2") + b"\x01\x72" + _s(b"DM/1.2") + b"\x01\x65" + _s(b"1") + b"\x01\x5b" + _s(b"1") + b"\x01"
    b"\x6e\x57" + _s(b"S") + b"\x01\x01\x67\x57" + _s(b"D") + b"\x01\x01\x01"
)
_REPLACE = b"\x60\x4b" + _s(b"1") + b"\x01"  # Replace, CmdID 1 (closed by the caller)


def _wbxml(table: bytes, body: bytes) -> bytes:
    """WBXML 1.3, SyncML 1.2, UTF-8: header, table, SyncML(SyncHdr, SyncBody(body))."""
    return b"\x03\xa4\x01\x6a" + _mb(len(table)) + table + b"\x6d" + _WBXML_HDR + b"\x6b" + body + b"\x01\x01"


def _wbxml_fill(table: bytes, start: bytes, unit: bytes, end: bytes, size: int) -> bytes:
    count = max(1, (size - len(table) - len(start) - len(end) - 80) // len(unit))
    return _wbxml(table, start + unit * count + end)


_STR_T0 = b"\x83\x00"


def _entry(size: int, fill: bytes = b"A") -> bytes:
    """A string-table entry of a quarter of the size class (100 KB at most), NUL-terminated."""
    return fill * min(100_000, size // 4) + b"\x00"


def _references(size: int, start: Callable[[bytes], bytes], end: bytes, extra: bytes = b"") -> bytes:
    table = _entry(size) + extra
    return _wbxml_fill(table, start(table), _STR_T0, end, size)


def _wbxml_nested(size: int) -> bytes:
    # Items whose Data is a nested DevInf with a table of its own, Man referencing it 30 times.
    table = b"A" * 1_000 + b"\x00"
    devinf = b"\x03\xa4\x03\x6a" + _mb(len(table)) + table + b"\x4a\x65" + _s(b"1.2") + b"\x01\x51"
    devinf += _STR_T0 * 30 + b"\x01\x01"
    meta = b"\x5a\x00\x01\x53" + _s(b"application/vnd.syncml-devinf+wbxml") + b"\x01\x00\x00\x01"
    item = b"\x54" + meta + b"\x4f\xc3" + _mb(len(devinf)) + devinf + b"\x01\x01"
    return _wbxml_fill(b"", _REPLACE, item, b"\x01", size)


def _wbxml_items_at_budget(size: int) -> bytes:
    # The most one-byte empty Items the element budget lets a message of this
    # size hold (one per Limits.bytes_per_node bytes, plus the floor), the
    # rest of the bytes in one Data text: the densest accepted element flood.
    count = syncml.DEFAULT_LIMITS.node_budget(size) - 40
    pad = max(1, size - count - 120)
    item = b"\x54\x4f\x03" + b"A" * pad + b"\x00\x01\x01"
    return _wbxml(b"", _REPLACE + item + b"\x14" * (count - 2) + b"\x01")


def _wbxml_quirks(size: int) -> bytes:
    # A whitespace quirk in each Item, 24 Atomic deep.
    opening = (b"\x48\x4b" + _s(b"1") + b"\x01") * 24
    item = b"\x54\x6e\x57" + _s(b" x") + b"\x01\x01\x01"
    return _wbxml_fill(b"", opening + b"\x45\x4b" + _s(b"1") + b"\x01", item, b"\x01" * 25, size)


_NAMES32 = b"".join(b"a%d\x00" % i for i in range(32))
_ATTRS32 = b"".join(b"\x04" + _mb(sum(len(b"a%d" % k) + 1 for k in range(i))) for i in range(32)) + b"\x01"
STATUS = b"<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
DECLARATIONS = b" " + b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(31))

FAMILIES: dict[str, Family] = {
    "most elements (<Item/>)": Family(lambda n: _fill(b"><Add><CmdID>1</CmdID>", b"<Item/>", b"</Add>", n)),
    "many commands": Family(lambda n: _fill(b">", b"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>", b"", n)),
    "a quirk in every Item": Family(
        lambda n: _fill(b"><Add><CmdID>1</CmdID>", b"<Item><Target><LocURI> x</LocURI></Target></Item>", b"</Add>", n)
    ),
    "unknown elements (keep_unknown)": Family(
        lambda n: _fill(b"><Add><CmdID>1</CmdID><Item/>", b"<X/>", b"</Add>", n), keep_unknown=True
    ),
    "markup under 31 declarations": Family(
        lambda n: _fill(
            b"><Add><CmdID>1</CmdID>", b"<Item><Data><p1:x/></Data></Item>", b"</Add>", n, attrs=DECLARATIONS
        )
    ),
    "namespace declarations on every Data": Family(
        lambda n: _fill(
            b"><Add><CmdID>1</CmdID>", b"<Item><Data" + DECLARATIONS + b"><p1:x/></Data></Item>", b"</Add>", n
        )
    ),
    "one huge text": Family(lambda n: _fill(b"><Add><CmdID>1</CmdID><Item><Data>", b"A", b"</Data></Item></Add>", n)),
    "32 attributes on each Data": Family(
        lambda n: _fill(
            b">", STATUS + b"<Data " + b" ".join(b'a%d="1"' % i for i in range(32)) + b">200</Data></Status>", b"", n
        )
    ),
    "attributes on one element": Family(
        lambda n: _fill(b"><Add><CmdID>1</CmdID><Item><Data", b' a="1"', b">x</Data></Item></Add>", n)
    ),
    "nesting at the depth limit": Family(_nested),
    "CDATA sections": Family(
        lambda n: _fill(b"><Add><CmdID>1</CmdID>", b"<Item><Data><![CDATA[<x>]]></Data></Item>", b"</Add>", n)
    ),
    "CDATA alternation in one Data": Family(
        lambda n: _fill(b"><Add><CmdID>1</CmdID><Item><Data>", b"a<![CDATA[x]]>", b"</Data></Item></Add>", n)
    ),
    "5000-digit numbers": Family(
        lambda n: _fill(b">", b"<Alert><CmdID>1</CmdID><Data>" + b"9" * 5000 + b"</Data></Alert>", b"", n)
    ),
    "text input, 4-byte characters": Family(
        lambda n: _fill(
            b"><Add><CmdID>1</CmdID><Item><Data>", "\U0001f600".encode(), b"</Data></Item></Add>", n
        ).decode()
    ),
    "windows-1252 that grows 3x": Family(
        lambda n: (
            b'<?xml version="1.0" encoding="windows-1252"?>'
            + _fill(b"><Add><CmdID>1</CmdID><Item><Data>", b"\x80", b"</Data></Item></Add>", n - 50)
        )
    ),
    "WBXML: most elements": Family(lambda n: _wbxml_fill(b"", _REPLACE, b"\x14", b"\x01", n)),
    "WBXML: empty Items at the element budget": Family(_wbxml_items_at_budget),
    "WBXML: string-table references in Data": Family(
        lambda n: _references(n, lambda table: _REPLACE + b"\x54\x4f", b"\x01\x01\x01")
    ),
    "WBXML: string-table references in LocURI": Family(
        lambda n: _references(n, lambda table: _REPLACE + b"\x54\x6e\x57", b"\x01\x01\x01\x01")
    ),
    "WBXML: string-table references in attribute values": Family(
        lambda n: _references(
            n, lambda table: _REPLACE + b"\x54\xcf\x04" + _mb(len(table) - 2), b"\x01\x03x\x00\x01\x01\x01", b"a\x00"
        )
    ),
    "WBXML: LITERAL tags named from the table": Family(
        lambda n: _wbxml_fill(_entry(n, b"x"), _REPLACE + b"\x54\x4f", b"\x04\x00", b"\x01\x01\x01", n)
    ),
    "WBXML: markup of string-table references": Family(
        lambda n: _references(
            n, lambda table: _REPLACE + b"\x54\x4f\x44" + _mb(len(table) - 2), b"\x01\x01\x01\x01", b"x\x00"
        )
    ),
    "WBXML: nested documents with their own table": Family(_wbxml_nested),
    "WBXML: OPAQUE flood": Family(lambda n: _wbxml_fill(b"", _REPLACE + b"\x54\x4f", b"\xc3\x01A", b"\x01\x01\x01", n)),
    "WBXML: 32 attributes on each Data": Family(
        lambda n: _wbxml_fill(_NAMES32, _REPLACE, b"\x54\xcf" + _ATTRS32 + _s(b"1") + b"\x01\x01", b"\x01", n)
    ),
    "WBXML: a quirk in each Item, 24 deep": Family(_wbxml_quirks),
}


def measure(family: str, size: int, repeat: int) -> dict[str, object]:
    """Run in a fresh interpreter: decode (best of *repeat*), serialize, peak RSS growth."""
    shape = FAMILIES[family]
    data = shape.build(size)
    wbxml = family.startswith("WBXML")
    syncml.parse(HDR + b"<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert>" + END)  # lazy imports
    syncml.parse(_wbxml(b"", b"\x46\x4b" + _s(b"1") + b"\x01\x4f" + _s(b"1201") + b"\x01\x01"))
    _reset_peak()
    before = _status_kib("VmRSS")
    best = float("inf")
    outcome: dict[str, object] = {}
    msg = None
    for _ in range(repeat):
        start = time.process_time()
        try:
            msg = syncml.parse(data, keep_unknown=shape.keep_unknown)
            outcome = {"answer": "accepted"}
        except syncml.DecodeError as exc:
            outcome = {"answer": f"refused {exc.status}", "reason": exc.reason[:60]}
        best = min(best, time.process_time() - start)
    serialize_s = None
    if msg is not None:
        start = time.process_time()
        syncml.serialize(msg, wbxml=wbxml)
        serialize_s = time.process_time() - start
    size_bytes = len(data.encode() if isinstance(data, str) else data)
    return {
        **outcome,
        "bytes": size_bytes,
        "parse_s": round(best, 4),
        "serialize_s": None if serialize_s is None else round(serialize_s, 4),
        "rss_mib": round((_status_kib("VmHWM") - before) / 1024, 2),
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
    parser.add_argument("--sizes", default="65536,1048576,8388000", help="size classes in bytes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="decodes per input; the best time is kept")
    parser.add_argument("--only", help="only the families whose name contains this")
    parser.add_argument("--one", nargs=2, metavar=("FAMILY", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]), args.repeat)))
        return
    families = [name for name in FAMILIES if args.only is None or args.only in name]
    print(
        f"{'size class':>10}  {'family':52} {'answer':13} {'parse s':>8} {'s/MiB':>7}"
        f" {'ser. s':>7} {'RSS MiB':>8} {'x in':>6}"
    )
    worst: dict[int, tuple[float, float, float]] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        for family in families:
            command = [sys.executable, __file__, "--one", family, str(size), "--repeat", str(args.repeat)]
            r = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
            mib = r["bytes"] / MIB
            spent = r["parse_s"] + (r["serialize_s"] or 0.0)
            per_mib, times = spent / mib, r["rss_mib"] / mib
            w = worst.get(size, (0.0, 0.0, 0.0))
            worst[size] = (max(w[0], spent), max(w[1], per_mib), max(w[2], times))
            serialized = "-" if r["serialize_s"] is None else f"{r['serialize_s']:.3f}"
            print(
                f"{size:>10}  {family:52} {r['answer']:13} {r['parse_s']:>8.3f} {per_mib:>7.3f} {serialized:>7}"
                f" {r['rss_mib']:>8.1f} {times:>6.1f}",
                flush=True,
            )
    print(f"\nworst per size class (CPU s: decode + serialize of what was accepted); {TARGETS}")
    for size, (spent, per_mib, times) in worst.items():
        print(f"{size:>10}: {spent:.3f} s, {per_mib:.3f} s per MiB, peak memory {times:.1f}x the input")


if __name__ == "__main__":
    main()
