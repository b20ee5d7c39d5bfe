"""Write syncml/ddf/catalog.ddfpack, the built-in DDF catalog, from Microsoft's DDF files.

Usage: ``python scripts/build_ddf_catalog.py [DDF_DIR] [--check]``.  DDF_DIR
defaults to ``../shared/ddf`` beside the checkout: its top level holds the
current (2024, DDF v2) pages, ``legacy-2019/`` the older ones.  A CSP that a
current document describes is taken from it alone: every 2019 tree of the
same CSP (root node name, any case) is left out.  Among 2019 files of one CSP
(DiagnosticLog 1.2 and 1.3, EnterpriseAPN 1.0 to 1.2) the later file wins.

The output is deterministic (sorted keys, zlib per tree), so
``--check`` can tell whether the committed file matches the sources.
The content is © Microsoft, CC BY 4.0: see NOTICE.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from syncml.ddf import MgmtTree, load
from syncml.ddf._catalog import BUILTIN_RESOURCE, write_packed

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "ddf"
OUTPUT = ROOT / "syncml" / "ddf" / BUILTIN_RESOURCE


def _csps(tree: MgmtTree) -> set[str]:
    return {node.name.casefold() for node in tree.nodes}


def build(source: Path) -> bytes:
    """The compressed catalog of the DDF files under *source*."""
    current = [(p, load(p.read_bytes())) for p in sorted(source.glob("*.xml"))]
    legacy = [(p, load(p.read_bytes())) for p in sorted((source / "legacy-2019").glob("*.xml"))]
    if not current:
        raise SystemExit(f"no DDF files in {source}")
    covered = set().union(*(_csps(tree) for _, tree in current))
    chosen = [(p, tree) for p, tree in legacy if not _csps(tree) & covered] + current
    return write_packed((tree, p.relative_to(source).as_posix()) for p, tree in chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true", help="fail when the committed catalog differs")
    args = parser.parse_args(argv)
    blob = build(args.source)
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_bytes() == blob
        print("up to date" if same else f"{OUTPUT} differs from what {args.source} builds")
        return 0 if same else 1
    OUTPUT.write_bytes(blob)
    print(f"wrote {OUTPUT} ({len(blob)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
