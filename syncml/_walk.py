"""Walking the commands of a message or fragment, nested ones included.

The MDM helpers (generic alerts, DevInfo, protocol checks, replies) all need
the same walk: every command in wire order, descending into Atomic,
Sequence and (data sync) Sync, with the element path the decoder would report for it
(``SyncML/SyncBody/Atomic[1]/Replace[2]``: the index counts same-named
siblings, as in :class:`syncml.DecodeError` paths).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import model as m
from ._grammar import Container, is_container

#: What the helpers accept: a whole message, or the commands of a fragment
#: (:func:`syncml.parse_commands` returns a tuple of them).
CommandSource = m.SyncML | Iterable[m.Command]


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """One command, where it sits, and the container around it.

    Each Located links to its container's, so a walk holds one small object
    per open level: memory stays linear in the depth of a model built by
    hand, where a path string or a tuple of containers per command would
    grow with the square of it.  :attr:`path` and :attr:`containers` are
    rebuilt from the links on demand, in time linear in :attr:`depth`.
    """

    command: m.Command
    #: This command's own step, such as ``Replace[2]``.
    segment: str
    #: Where its container sits; None at the top level.
    parent: Located | None = None
    #: The path above the top level (``SyncML/SyncBody``, or ``""`` for a fragment).
    root: str = ""
    #: How many containers are around it (0 at the top level).
    depth: int = 0

    @property
    def container(self) -> Container | None:
        """The Atomic, Sequence or (data sync) Sync directly around this command, if any."""
        if self.parent is None:
            return None
        container = self.parent.command
        assert is_container(container)
        return container

    @property
    def containers(self) -> tuple[Container, ...]:
        """The containers around this command, outermost first."""
        found: list[Container] = []
        at = self
        while (container := at.container) is not None:
            found.append(container)
            assert at.parent is not None
            at = at.parent
        return tuple(reversed(found))

    @property
    def path(self) -> str:
        """The element path of this command (``SyncML/SyncBody/Atomic[1]/Replace[2]``)."""
        segments: list[str] = []
        at: Located | None = self
        while at is not None:
            segments.append(at.segment)
            last, at = at, at.parent
        if last.root:
            segments.append(last.root)
        return "/".join(reversed(segments))


def top_level(source: CommandSource) -> tuple[tuple[m.Command, ...], str]:
    """The top-level commands of *source* and the path their parent has."""
    if isinstance(source, m.SyncML):
        return source.body.commands, "SyncML/SyncBody"
    return tuple(source), ""


def walk(source: CommandSource, *, max_depth: int | None = None) -> Iterator[Located]:
    """Every command of *source* in wire order, containers before their children.

    With *max_depth*, commands inside more than that many containers are
    left out (the container at that depth is still given).
    """
    commands, root = top_level(source)
    # A stack of open levels rather than recursion: a model built by hand may
    # nest Atomic deeper than Python's recursion limit (a RecursionError).
    levels: list[tuple[Iterator[m.Command], dict[str, int], Located | None]] = [(iter(commands), {}, None)]
    while levels:
        level, seen, parent = levels[-1]
        command = next(level, None)
        if command is None:
            levels.pop()
            continue
        name = m.wire_name(command)
        seen[name] = seen.get(name, 0) + 1
        depth = 0 if parent is None else parent.depth + 1
        here = Located(command=command, segment=f"{name}[{seen[name]}]", parent=parent, root=root, depth=depth)
        yield here
        if is_container(command) and (max_depth is None or depth < max_depth):
            levels.append((iter(command.commands), {}, here))


def item_paths(items: Iterable[m.Item], parent: str) -> Iterator[str]:
    """The path of each Item under its command."""
    for index, _ in enumerate(items, 1):
        yield f"{parent}/Item[{index}]"

