"""Walking the commands of a message or fragment, nested ones included.

The MDM helpers (generic alerts, DevInfo, protocol checks, replies) all need
the same walk: every command in wire order, descending into Atomic and
Sequence, with the element path the decoder would report for it
(``SyncML/SyncBody/Atomic[1]/Replace[2]``: the index counts same-named
siblings, as in :class:`syncml.DecodeError` paths).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import model as m

#: What the helpers accept: a whole message, or the commands of a fragment
#: (:func:`syncml.parse_commands` returns a tuple of them).
CommandSource = m.SyncML | Iterable[m.Command]


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """One command, where it sits, and the containers around it (outermost first)."""

    command: m.Command
    path: str
    containers: tuple[m.Atomic | m.Sequence, ...] = ()


def top_level(source: CommandSource) -> tuple[tuple[m.Command, ...], str]:
    """The top-level commands of *source* and the path their parent has."""
    if isinstance(source, m.SyncML):
        return source.body.commands, "SyncML/SyncBody"
    return tuple(source), ""


def walk(source: CommandSource) -> Iterator[Located]:
    """Every command of *source* in wire order, containers before their children."""
    commands, parent = top_level(source)
    # A stack of open levels rather than recursion: a model built by hand may
    # nest Atomic deeper than Python's recursion limit (a RecursionError).
    levels: list[tuple[Iterator[tuple[m.Command, str]], tuple[m.Atomic | m.Sequence, ...]]] = [
        (zip(commands, child_paths(commands, parent), strict=True), ())
    ]
    while levels:
        level, containers = levels[-1]
        step = next(level, None)
        if step is None:
            levels.pop()
            continue
        command, path = step
        yield Located(command=command, path=path, containers=containers)
        if isinstance(command, m.Atomic | m.Sequence):
            inner = command.commands
            levels.append((zip(inner, child_paths(inner, path), strict=True), (*containers, command)))


def child_paths(commands: Iterable[m.Command], parent: str) -> Iterator[str]:
    """The path of each command under *parent*, numbered per element name."""
    seen: dict[str, int] = {}
    for command in commands:
        name = type(command).__name__
        seen[name] = seen.get(name, 0) + 1
        segment = f"{name}[{seen[name]}]"
        yield f"{parent}/{segment}" if parent else segment


def item_paths(items: Iterable[m.Item], parent: str) -> Iterator[str]:
    """The path of each Item under its command."""
    for index, _ in enumerate(items, 1):
        yield f"{parent}/Item[{index}]"


def data_text(data: m.Data | None) -> str | None:
    """Item Data as text: a CDATA section's text, embedded markup as written.

    Binary data (WBXML ``Opaque``) reads as the base64 text that the same
    message carries over XML, so both encodings give one value.
    """
    if data is None or isinstance(data, str):
        return data
    if isinstance(data, m.CData):
        return data.text
    if isinstance(data, m.Markup):
        return data.xml
    return base64.b64encode(data.data).decode("ascii")
