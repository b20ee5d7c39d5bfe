"""Write syncml/ddf/catalog.ddfpack, the built-in DDF catalog, from Microsoft's DDF files.

Usage: ``python scripts/build_ddf_catalog.py [DDF_DIR] [--check]``.  DDF_DIR
defaults to ``../shared/ddf`` beside the checkout: its top level holds the
current (2024, DDF v2) pages, ``legacy-2019/`` the older ones.  A CSP that a
current document describes is taken from it alone: every 2019 tree of the
same CSP (root node name, any case) is left out.  Among 2019 files of one CSP
(DiagnosticLog 1.2 and 1.3, EnterpriseAPN 1.0 to 1.2) the later file wins.

The 2019 Policy DDF describes each policy twice, under ``Policy/Config`` (what
a server sets) and ``Policy/Result`` (what the device reports), but writes the
allowed values (``MSFT:SupportedValues``, ``MSFT:ADMXBacked``) on the Result
node only.  The catalog gives a Config node without allowed values those of
the Result node of the same area and name, so that the lint can judge values
sent to Config.

The output is deterministic (sorted keys, zlib per tree), so
``--check`` can tell whether the committed file matches the sources.
The content is © Microsoft, CC BY 4.0: see NOTICE.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from syncml.ddf import MgmtTree, Node, load
from syncml.ddf._catalog import BUILTIN_RESOURCE, write_packed

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "ddf"
OUTPUT = ROOT / "syncml" / "ddf" / BUILTIN_RESOURCE


def _csps(tree: MgmtTree) -> set[str]:
    return {node.name.casefold() for node in tree.nodes}


def _policy_config_values(tree: MgmtTree) -> MgmtTree:
    """Give Policy/Config nodes the allowed values their Policy/Result twins carry."""
    roots = []
    for root in tree.nodes:
        if root.name != "Policy":
            roots.append(root)
            continue
        branches = {child.name: child for child in root.children}
        result, config = branches.get("Result"), branches.get("Config")
        if result is None or config is None:
            roots.append(root)
            continue
        known = {
            (area.name, policy.name): policy.allowed
            for area in result.children
            for policy in area.children
            if policy.allowed is not None
        }
        areas = tuple(
            dataclasses.replace(
                area, children=tuple(_with_allowed(p, known.get((area.name, p.name))) for p in area.children)
            )
            for area in config.children
        )
        fixed = dataclasses.replace(config, children=areas)
        roots.append(dataclasses.replace(root, children=tuple(fixed if c is config else c for c in root.children)))
    return dataclasses.replace(tree, nodes=tuple(roots))


def _with_allowed(policy: Node, allowed: object) -> Node:
    if policy.allowed is not None or allowed is None:
        return policy
    return dataclasses.replace(policy, allowed=allowed)  # type: ignore[arg-type]


def build(source: Path) -> bytes:
    """The compressed catalog of the DDF files under *source*."""
    current = [(p, load(p.read_bytes())) for p in sorted(source.glob("*.xml"))]
    legacy = [(p, load(p.read_bytes())) for p in sorted((source / "legacy-2019").glob("*.xml"))]
    if not current:
        raise SystemExit(f"no DDF files in {source}")
    covered = set().union(*(_csps(tree) for _, tree in current))
    chosen = [(p, _policy_config_values(tree)) for p, tree in legacy if not _csps(tree) & covered] + current
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
