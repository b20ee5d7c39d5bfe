"""The promise the DDF harness checks, without atheris (kept apart from invariants.py, which is the codec's).

Any bytes given to :func:`syncml.ddf.load` end in a tree or a
:class:`syncml.SyncMLError`, in lenient and strict mode; the work the load
charged and the tree it built stay linear in the input (the bounds of
``invariants.py``); an accepted tree is written and read back equal; and the
lint over a profile that names every node of the tree (against a catalog of
that tree) returns findings, never an exception.
"""

from __future__ import annotations

from functools import partial

from invariants import Broken, check_size, metered

import syncml
from syncml import ddf
from syncml import model as m


def load_bounded(data: bytes, *, strict: bool) -> ddf.MgmtTree:
    """``syncml.ddf.load`` under the resource invariants."""
    tree = metered(partial(ddf.load, data, strict=strict), len(data), "ddf.load")
    check_size(tree, len(data), "ddf.load")
    return tree


def check_ddf(data: bytes) -> None:
    """``ddf.load`` returns or raises SyncMLError; an accepted tree round-trips and lints without raising."""
    for strict in (False, True):
        try:
            tree = load_bounded(data, strict=strict)
        except syncml.SyncMLError:
            continue
        try:
            again = ddf.load(ddf.write(tree))
        except syncml.SyncMLError as exc:
            raise Broken(f"an accepted tree did not write and read back (strict={strict}): {exc}") from exc
        if again != tree:
            raise Broken(f"write/load changed the tree (strict={strict})")
        _lint_every_node(tree)


def _lint_every_node(tree: ddf.MgmtTree) -> None:
    catalog = ddf.Catalog([tree])
    commands: list[m.Command] = [
        m.Replace(cmd_id=str(i), items=(m.Item(target=m.Target(loc_uri=node.path), data=node.default or ""),))
        for i, node in enumerate(tree.walk()[:200], 1)
    ]
    findings = ddf.lint(commands, catalog=catalog, options=ddf.LintOptions(profile=True))
    if not all(isinstance(f, ddf.Finding) for f in findings):
        raise Broken("lint returned something that is not a Finding")
