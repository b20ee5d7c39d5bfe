"""Write a seed corpus for the harnesses from our own test examples.

Usage: ``python fuzz/seeds.py [--wbxml | --session] OUT_DIR``.

XML seeds (the default) are the hand-written messages in ``tests/examples/``
as they are, and the expected models of ``tests/example_models.py``
serialized compact and pretty, whole and as bare commands.  ``--wbxml``
writes the same messages as WBXML 1.1 to 1.3, with and without a string
table and a literal public id.  ``--session`` writes device-side
conversations for ``fuzz_server_session.py``: the client messages, alone and
chained.  Nothing is copied from the shared corpus of real captures, and
nothing generated here is committed.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.example_models, when run from a checkout
sys.path.insert(0, str(ROOT / "fuzz"))

from invariants import NEXT_MESSAGE  # noqa: E402

import syncml  # noqa: E402  (after the path is set)
from tests.example_models import EXPECTED  # noqa: E402

EXAMPLES = ROOT / "tests" / "examples"


def _messages() -> Iterator[syncml.SyncML]:
    for expected in EXPECTED.values():
        if isinstance(expected, syncml.SyncML):
            yield expected


def xml_seeds() -> Iterator[bytes]:
    """Every XML seed, the example files first."""
    for path in sorted(EXAMPLES.glob("*.xml")):
        yield path.read_bytes()
    for expected in EXPECTED.values():
        if isinstance(expected, syncml.SyncML):
            yield syncml.serialize(expected)
            yield syncml.serialize(expected, pretty=True, xml_declaration=True)
            yield syncml.serialize_commands(expected.body.commands)
        else:
            yield syncml.serialize_commands(expected)
            yield syncml.serialize_commands(expected, pretty=True)


def wbxml_seeds() -> Iterator[bytes]:
    """Each example message in each WBXML form the encoder writes."""
    for msg in _messages():
        for version in ("1.1", "1.2", "1.3"):
            yield syncml.serialize(msg, wbxml=True, wbxml_version=version)
        yield syncml.serialize(msg, wbxml=True, string_table=True)
        yield syncml.serialize(msg, wbxml=True, literal_public_id=True, metinf_order=("Type", "Format"))


def session_seeds() -> Iterator[bytes]:
    """Device messages, alone and as the first and next message of one session."""
    clients = [path.read_bytes() for path in sorted(EXAMPLES.glob("client-*.xml"))]
    yield from clients
    for first in clients:
        for second in clients:
            yield first + NEXT_MESSAGE + second


def write(out: Path, seeds: Iterator[bytes]) -> int:
    """Write each distinct seed to *out* under its SHA-1 (as libFuzzer names inputs)."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for data in seeds:
        target = out / hashlib.sha1(data).hexdigest()
        if not target.exists():
            target.write_bytes(data)
            written += 1
    return written


KINDS = {"--xml": xml_seeds, "--wbxml": wbxml_seeds, "--session": session_seeds}

if __name__ == "__main__":
    args = sys.argv[1:]
    kind = args.pop(0) if args and args[0] in KINDS else "--xml"
    if len(args) != 1:
        sys.exit("usage: python fuzz/seeds.py [--wbxml | --session] OUT_DIR")
    print(f"{write(Path(args[0]), KINDS[kind]())} seeds written to {args[0]}")
