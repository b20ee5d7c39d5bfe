"""Write a seed corpus for the harnesses from our own test examples.

Usage: ``python fuzz/seeds.py OUT_DIR``.  The seeds are the hand-written
messages in ``tests/examples/`` as they are, and the expected models of
``tests/example_models.py`` serialized compact and pretty, whole and as bare
commands: every element, command and quirk the examples cover, in the
forms the encoder writes.  Nothing is copied from the shared corpus of real
captures, and nothing generated here is committed.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.example_models, when run from a checkout

import syncml  # noqa: E402  (after the path is set)
from tests.example_models import EXPECTED  # noqa: E402


def seeds() -> Iterator[bytes]:
    """Every seed input, examples first."""
    for path in sorted((ROOT / "tests" / "examples").glob("*.xml")):
        yield path.read_bytes()
    for expected in EXPECTED.values():
        if isinstance(expected, syncml.SyncML):
            yield syncml.serialize(expected)
            yield syncml.serialize(expected, pretty=True, xml_declaration=True)
            yield syncml.serialize_commands(expected.body.commands)
        else:
            yield syncml.serialize_commands(expected)
            yield syncml.serialize_commands(expected, pretty=True)


def write(out: Path) -> int:
    """Write each distinct seed to *out* under its SHA-1 (as libFuzzer names inputs)."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for data in seeds():
        target = out / hashlib.sha1(data).hexdigest()
        if not target.exists():
            target.write_bytes(data)
            written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python fuzz/seeds.py OUT_DIR")
    print(f"{write(Path(sys.argv[1]))} seeds written to {sys.argv[1]}")
