"""Guard: the hypothesis strategies can generate every child the grammar allows.

A content model that gains a child (or a container that gains a command)
without its strategy gaining it would leave the round-trip properties blind
to it.  This walks the grammar, generates a fixed set of examples from the
public strategies and fails naming each (parent, child) pair none produced.
"""

from __future__ import annotations

from typing import cast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncml import _grammar as g
from syncml import model as m
from syncml import strategies as sts
from syncml.ds import strategies as st_ds

#: Examples per strategy: enough to meet every optional child, the same ones every run.
_EXAMPLES = 40
#: The strategies that choose among every command draw more, so that each choice is met
#: whatever the derandomized examples happen to favour.
_CHOOSERS = {"commands": 150, "ds_commands": 150}

#: What each public strategy is asked for, and the element its values are children of: whole
#: messages, the commands a SyncBody draws from, and each command on its own, so that a rare
#: child is met without generating thousands of messages.
_STRATEGIES: dict[str, tuple[st.SearchStrategy[object], str | None]] = {
    "messages": (sts.messages(), None),
    "commands": (sts.commands(), "SyncBody"),
    "ds_messages": (st_ds.ds_messages(), None),
    "ds_commands": (st_ds.ds_commands(), "SyncBody"),
    **{
        name: (strategy, None)
        for name, strategy in [
            *((name, getattr(sts, name)()) for name in ("alerts", "statuses", "results", "gets", "adds")),
            *((name, getattr(sts, name)()) for name in ("replaces", "deletes", "copies", "execs")),
            *((name, getattr(sts, name)()) for name in ("atomics", "sequences")),
            *((name, getattr(st_ds, name)()) for name in ("puts", "moves", "maps", "searches", "syncs", "ds_groups")),
        ]
    },
}


def allowed_pairs() -> set[tuple[str, str]]:
    """(parent, child) for every child of every content model, tolerated-only children left out."""
    return {(el.name, child.name) for el in g.ELEMENTS.values() for child in el.children if child.quirk is None}


def pairs_in(value: object) -> set[tuple[str, str]]:
    """(parent, child) for every child element *value* would write."""
    found: set[tuple[str, str]] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        element = g.ELEMENTS.get(type(node))
        if element is None:
            continue
        for child in element.children:
            held = getattr(node, child.field)
            for part in held if isinstance(held, tuple) else (held,):
                if child.kind is g.Kind.COMMAND and m.wire_name(part) != child.name:
                    continue  # the commands field holds every command choice: count each under its own name
                if part is None or part is False:
                    continue
                found.add((element.name, child.name))
                if child.kind in (g.Kind.NODE, g.Kind.COMMAND):
                    stack.append(part)
    return found


def _collect(
    strategy: st.SearchStrategy[object], parent: str | None, seen: set[tuple[str, str]], examples: int
) -> None:
    """Add the pairs of *strategy*'s examples to *seen* (a value of a commands strategy is *parent*'s child)."""

    @settings(
        max_examples=examples, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def collect(value: object) -> None:
        seen.update(pairs_in(value))
        if parent is not None:
            seen.add((parent, m.wire_name(cast(m.Command, value))))

    collect()


def generated_pairs() -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for name, (strategy, parent) in _STRATEGIES.items():
        _collect(strategy, parent, seen, _CHOOSERS.get(name, _EXAMPLES))
    return seen


def test_the_walk_finds_a_nested_child() -> None:
    add = m.Add(cmd_id="2", items=(m.Item(data="x", meta=m.Meta(anchor=m.Anchor(next="1"))),))
    found = pairs_in(m.Sync(cmd_id="1", commands=(m.Atomic(cmd_id="3", commands=(add,)),)))
    assert found == {
        ("Sync", "CmdID"),
        ("Sync", "Atomic"),
        ("Atomic", "CmdID"),
        ("Atomic", "Add"),
        ("Add", "CmdID"),
        ("Add", "Item"),
        ("Item", "Meta"),
        ("Item", "Data"),
        ("Meta", "Anchor"),
        ("Anchor", "Next"),
    }


def test_the_strategies_generate_every_child_the_grammar_allows() -> None:
    missing = allowed_pairs() - generated_pairs()
    assert not missing, f"no strategy generates these (parent, child) pairs: {sorted(missing)}"
