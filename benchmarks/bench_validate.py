"""What schema validation costs next to parsing.

Run: ``python benchmarks/bench_validate.py``.  For every whole message of
``tests/examples/`` plus a generated 1 MB Results message it reports, per
message, the best of interleaved rounds (thread CPU time, as
``bench_codec.py`` measures) of:

- ``syncml.parse`` (lenient) and ``syncml.parse(strict=True)``;
- ``syncml.validate`` on the valid message: front end, then libxml2's verdict
  (``lxml.etree.XMLSchema``), which is all a valid message costs;
- libxml2 alone on an already parsed tree, the floor for the verdict;
- xmlschema's verdict on the same tree, to show why it is kept off the hot
  path and used only to write the report;
- ``syncml.validate`` on the same message with one bad CmdID, which pays for
  xmlschema's full report.

Target (issue 3): validating a typical 2 KB message costs no more than 3x
parsing it.  ``client-session-start-md5.xml`` (1991 bytes) is the typical
2 KB message.  Timings are for information only and never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from typing import Any

from bench_codec import EXAMPLES, best_of, big_results  # type: ignore[import-not-found]
from lxml import etree

import syncml
from syncml import _schema

TYPICAL = "client-session-start-md5.xml"


def _refuse(data: bytes) -> None:
    try:
        syncml.validate(data)
    except syncml.SchemaError:
        return
    raise AssertionError("the broken variant validated")


def broken(data: bytes) -> bytes:
    """The message with its first command's CmdID set to 0, which the schemas refuse."""
    root = etree.fromstring(data)
    cmd_id = next(el for el in root.iter("{*}CmdID"))
    cmd_id.text = "0"
    return etree.tostring(root)


def measure(name: str, data: bytes, *, rounds: int) -> dict[str, float | str | int]:
    document = _schema._document(data, syncml.DEFAULT_LIMITS)
    libxml2 = _schema._libxml2(document.ns)
    bad = broken(data)
    fns: dict[str, Callable[[], Any]] = {
        "parse": lambda: syncml.parse(data),
        "strict": lambda: syncml.parse(data, strict=True),
        "validate": lambda: syncml.validate(data),
        "libxml2": lambda: libxml2.validate(document.root),
        "xmlschema": lambda: _schema._xmlschema_errors(document, first_only=True),
        "report": lambda: _refuse(bad),
    }
    row: dict[str, float | str | int] = {"name": name, "bytes": len(data)}
    row.update(best_of(fns, rounds=rounds))
    return row


def _ms(seconds: float | str | int) -> str:
    return f"{float(seconds) * 1e3:,.3f}"


def render(rows: list[dict[str, float | str | int]]) -> str:
    lines = [
        "| message | bytes | parse ms | strict ms | validate ms | validate/parse | libxml2 ms "
        "| xmlschema ms | xmlschema/libxml2 | report ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        p, s, v, lx, xs, rep = (float(r[k]) for k in ("parse", "strict", "validate", "libxml2", "xmlschema", "report"))
        lines.append(
            f"| {r['name']} | {r['bytes']} | {_ms(p)} | {_ms(s)} | {_ms(v)} | {v / p:.2f} | {_ms(lx)} "
            f"| {_ms(xs)} | {xs / lx:.0f} | {_ms(rep)} |"
        )
    small = [r for r in rows if int(r["bytes"]) < 100_000]
    ratios = [float(r["validate"]) / float(r["parse"]) for r in small]
    typical = next((r for r in rows if r["name"] == TYPICAL), None)
    lines.append("")
    mean, worst = statistics.geometric_mean(ratios), max(ratios)
    lines.append(f"validate/parse over {len(small)} example messages: geometric mean {mean:.2f}, worst {worst:.2f}.")
    if typical is not None:
        ratio = float(typical["validate"]) / float(typical["parse"])
        verdict = "meets" if ratio <= 3 else "misses"
        lines.append(f"Typical 2 KB message ({TYPICAL}): validate/parse {ratio:.2f}, which {verdict} the 3x target.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds per message (default 30)")
    parser.add_argument("--quick", action="store_true", help="only the typical message and the big one")
    args = parser.parse_args(argv)
    paths = [p for p in sorted(EXAMPLES.glob("*.xml")) if not p.name.startswith("fragment")]
    if args.quick:
        paths = [p for p in paths if p.name == TYPICAL]
    rows = [measure(p.name, p.read_bytes(), rounds=args.rounds) for p in paths]
    # xmlschema takes seconds on a megabyte: two rounds are plenty.
    rows.append(measure("generated-1MB-results", big_results(), rounds=2))
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
