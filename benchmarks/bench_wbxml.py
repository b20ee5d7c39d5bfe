"""WBXML codec speed next to the XML codec, and against libwbxml through a subprocess.

Run: ``python benchmarks/bench_wbxml.py``.  For every message of
``tests/examples/`` plus a generated 1 MB Results message it reports the best
of several timed runs of:

- ``syncml.parse`` of the WBXML encoding vs ``syncml.parse`` of the XML one;
- ``syncml.serialize(msg, wbxml=True)`` vs ``syncml.serialize(msg)``;
- what Python projects do today: run ``wbxml2xml`` (libwbxml) as a
  subprocess and parse its XML, vs decoding the WBXML directly.

Targets (issue 5): WBXML decode no slower than 1.5x XML decode; at least 10x
faster than the subprocess route.  Codec timings are thread CPU time (other
processes only ever slow a round down); the subprocess route is wall time,
measured against our decode in wall time too.  Never run as a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_codec import best_of, big_results

import syncml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"


def wall_best_of(fns: dict[str, Callable[[], Any]], *, rounds: int) -> dict[str, float]:
    """Best wall-clock time per call of each function, interleaved round by round."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def via_wbxml2xml(tool: str, wbxml: bytes) -> syncml.SyncML:
    xml = subprocess.run([tool, "-m", "0", "-o", "-", "-"], input=wbxml, capture_output=True, check=True).stdout
    return syncml.parse(xml)


def measure(name: str, xml: bytes, *, rounds: int, tool: str | None) -> dict[str, float | str | int]:
    msg = syncml.parse(xml)
    wbxml = syncml.serialize(msg, wbxml=True)
    assert syncml.parse(wbxml) == msg
    row: dict[str, float | str | int] = {"name": name, "xml_bytes": len(xml), "wbxml_bytes": len(wbxml)}
    row.update(
        best_of(
            {
                "parse_xml": lambda: syncml.parse(xml),
                "parse_wbxml": lambda: syncml.parse(wbxml),
                "serialize_xml": lambda: syncml.serialize(msg),
                "serialize_wbxml": lambda: syncml.serialize(msg, wbxml=True),
            },
            rounds=rounds,
        )
    )
    if tool is not None:
        walls = wall_best_of(
            {"wall_wbxml": lambda: syncml.parse(wbxml), "subprocess": lambda: via_wbxml2xml(tool, wbxml)},
            rounds=max(3, rounds // 6),
        )
        row.update(walls)
    return row


def _us(seconds: float | str | int) -> str:
    return f"{float(seconds) * 1e6:,.1f}"


def render(rows: list[dict[str, float | str | int]], *, tool: bool) -> str:
    head = "| message | XML B | WBXML B | parse XML µs | parse WBXML µs | WBXML/XML | serialize XML µs "
    head += "| serialize WBXML µs | WBXML/XML |"
    if tool:
        head += " wbxml2xml+parse µs | speed-up |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if tool else "")]
    for r in rows:
        line = (
            f"| {r['name']} | {r['xml_bytes']} | {r['wbxml_bytes']} | {_us(r['parse_xml'])} | {_us(r['parse_wbxml'])} "
            f"| {float(r['parse_wbxml']) / float(r['parse_xml']):.2f} | {_us(r['serialize_xml'])} "
            f"| {_us(r['serialize_wbxml'])} | {float(r['serialize_wbxml']) / float(r['serialize_xml']):.2f} |"
        )
        if tool:
            line += f" {_us(r['subprocess'])} | {float(r['subprocess']) / float(r['wall_wbxml']):.0f}x |"
        lines.append(line)
    small = [r for r in rows if int(r["xml_bytes"]) < 100_000]

    def gmean(a: str, b: str) -> float:
        return statistics.geometric_mean(float(r[a]) / float(r[b]) for r in small)

    lines.append("")
    summary = (
        f"Geometric means over the {len(small)} example messages: "
        f"decode WBXML/XML {gmean('parse_wbxml', 'parse_xml'):.2f} (target <= 1.5), "
        f"encode WBXML/XML {gmean('serialize_wbxml', 'serialize_xml'):.2f}, "
        f"size WBXML/XML {gmean('wbxml_bytes', 'xml_bytes'):.2f}"
    )
    if tool:
        summary += f", wbxml2xml+parse / WBXML decode {gmean('subprocess', 'wall_wbxml'):.0f}x (target >= 10)"
    lines.append(summary + ".")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="interleaved rounds per message (default 60)")
    parser.add_argument("--quick", action="store_true", help="only three messages and the big one")
    args = parser.parse_args(argv)
    tool = shutil.which("wbxml2xml")
    if tool is None:
        print("wbxml2xml not found (libwbxml2-utils): the subprocess column is left out", file=sys.stderr)
    samples = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.xml")) if not p.name.startswith("fragment")]
    if args.quick:
        samples = samples[:3]
    samples.append(("generated-1MB-results", big_results()))
    rows = [measure(name, data, rounds=args.rounds, tool=tool) for name, data in samples]
    print(render(rows, tool=tool is not None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
