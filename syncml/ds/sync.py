"""A small sans-I/O helper layer for a SyncML DS server: read what a client sends, build the answers.

Not a sync engine: no storage, no conflict resolution, no session state.  It
turns the DS commands a client sends into plain values and builds the
commands a server sends back, so that the engine around it deals in
datastores, anchors and item ids rather than in elements.

- :func:`sync_requests` reads the sync Alerts (200-210) of package 1, one
  :class:`SyncRequest` per datastore, with its anchors;
  :func:`slow_sync_required` compares the client's Last anchor with the one
  the server stored, and :func:`alert_answer` builds the server's Status and
  Alert (201 when a slow sync is needed, with status 508 when the client had
  asked for another type).
- :func:`read_changes` reads each ``Sync`` into a :class:`DatastoreChanges`:
  the adds, replaces, deletes and moves in wire order (nested Atomic and
  Sequence included), each with the client's id (LUID) and, where the client
  gives it, the server's (GUID).
- :func:`build_sync` writes the server's ``Sync`` from :class:`ServerChange`
  values: an add names the server's GUID as Source (the client answers with
  a Map), a replace or delete names the client's LUID as Target.
- :func:`read_map` reads the client's ``Map`` into (GUID, LUID) pairs and
  :func:`map_status` builds its Status.

DS 1.2 facts used: the alert codes and the slow-sync rule (a server that
cannot match the client's Last anchor answers 508 and asks for a slow sync
with 201) as Funambol, Synthesis and Horde implement them; a Status for a
sync Alert echoes the client's Next anchor in ``Item/Data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from .. import model as m
from .._grammar import is_group
from .._numbers import uint_or_none
from .._walk import CommandSource, top_level
from ..codes import AlertCode, StatusCode, alert_code
from ..errors import EncodeError

__all__ = [
    "Change",
    "ChangeKind",
    "DatastoreChanges",
    "ServerChange",
    "SyncRequest",
    "alert_answer",
    "build_sync",
    "map_status",
    "read_changes",
    "read_map",
    "slow_sync_required",
    "sync_requests",
]

_SYNC_ALERTS = frozenset(range(200, 211))
_WS = " \t\r\n"


# --- package 1: what the client asks for -------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncRequest:
    """One datastore a client asks to synchronize, from a sync Alert's Item.

    ``target`` is the server's datastore, ``source`` the client's; ``last``
    and ``next`` are the client's anchors (``last`` None on a first sync).
    """

    cmd_id: str
    code: AlertCode | int
    target: str
    source: str
    last: str | None
    next: str | None


def sync_requests(source: CommandSource) -> tuple[SyncRequest, ...]:
    """The sync Alerts (200-210) of *source*, one request per Item."""
    found: list[SyncRequest] = []
    commands, _ = top_level(source)
    for command in commands:
        if not isinstance(command, m.Alert) or uint_or_none(command.data) not in _SYNC_ALERTS:
            continue
        code = command.code
        assert code is not None
        for item in command.items:
            anchor = item.meta.anchor if item.meta is not None else None
            found.append(
                SyncRequest(
                    cmd_id=command.cmd_id,
                    code=code,
                    target=_uri(item.target),
                    source=_uri(item.source),
                    last=anchor.last if anchor is not None else None,
                    next=anchor.next if anchor is not None else None,
                )
            )
    return tuple(found)


def _uri(where: m.Target | m.Source | None) -> str:
    return "" if where is None else where.loc_uri.strip(_WS)


def slow_sync_required(request: SyncRequest, stored_last: str | None) -> bool:
    """Whether this datastore must be slow-synced.

    *stored_last* is the client's Next anchor as the server stored it at the
    end of the last successful sync (None when there was none).  A slow sync
    is needed when the client asks for one, when the server has no anchor,
    or when the client's Last anchor is not the one stored: one side lost
    track of what the other has.  Refreshes (203, 205 and their server-alerted
    forms) replace everything anyway and never need one.
    """
    code = int(request.code)
    if code in (AlertCode.REFRESH_FROM_CLIENT, AlertCode.REFRESH_FROM_SERVER, 208, 210):
        return False
    if code == AlertCode.SLOW_SYNC:
        return True
    return stored_last is None or request.last != stored_last


def alert_answer(
    request: SyncRequest,
    *,
    msg_ref: str,
    status_cmd_id: str,
    alert_cmd_id: str,
    slow: bool,
    server_next: str,
    server_last: str | None = None,
) -> tuple[m.Status, m.Alert]:
    """The server's Status for the client's Alert, and its own Alert for the datastore.

    With *slow* and a client that asked for something else, the Status is
    508 (refresh required) and the Alert 201; otherwise the Status is 200
    and the Alert repeats the client's code.  The Status echoes the client's
    Next anchor; the Alert carries the server's anchors.
    """
    asked = int(request.code)
    code = AlertCode.SLOW_SYNC if slow else alert_code(asked)
    refused = slow and asked != AlertCode.SLOW_SYNC
    echo = () if request.next is None else (m.Item(data=_next_anchor(request.next)),)
    status = m.Status(
        cmd_id=status_cmd_id,
        msg_ref=msg_ref,
        cmd_ref=request.cmd_id,
        cmd="Alert",
        target_refs=(request.target,) if request.target else (),
        source_refs=(request.source,) if request.source else (),
        data=str(int(StatusCode.REFRESH_REQUIRED if refused else StatusCode.OK)),
        items=echo,
    )
    alert = m.Alert(
        cmd_id=alert_cmd_id,
        data=str(int(code)),
        items=(
            m.Item(
                target=m.Target(loc_uri=request.source),
                source=m.Source(loc_uri=request.target),
                meta=m.Meta(anchor=m.Anchor(last=server_last, next=server_next)),
            ),
        ),
    )
    return status, alert


def _next_anchor(anchor: str) -> m.Markup:
    escaped = anchor.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return m.Markup(xml=f'<Anchor xmlns="syncml:metinf"><Next>{escaped}</Next></Anchor>')


# --- package 3: the client's changes --------------------------------------------------------------


class ChangeKind(StrEnum):
    """What a change does to one item."""

    ADD = "add"
    REPLACE = "replace"
    DELETE = "delete"
    MOVE = "move"
    COPY = "copy"


_KINDS: dict[type, ChangeKind] = {
    m.Add: ChangeKind.ADD,
    m.Replace: ChangeKind.REPLACE,
    m.Delete: ChangeKind.DELETE,
    m.Move: ChangeKind.MOVE,
    m.Copy: ChangeKind.COPY,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One item change a client sent inside a Sync.

    ``luid`` is the client's id (Item Source), ``guid`` the server's (Item
    Target) when the client gives it; ``parent`` the client's parent id
    (SourceParent) for hierarchical sync.  ``content_type`` is the Item's
    Meta Type, else its command's.  ``soft`` and ``archive`` are a Delete's
    SftDel and Archive.  ``cmd_id`` is the command the change came in, for
    its Status.
    """

    kind: ChangeKind
    cmd_id: str
    luid: str | None
    guid: str | None = None
    parent: str | None = None
    content_type: str | None = None
    data: m.Data | None = None
    soft: bool = False
    archive: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DatastoreChanges:
    """The changes of one Sync: ``target`` the server's datastore, ``source`` the client's."""

    cmd_id: str
    target: str
    source: str
    number_of_changes: int | None
    changes: tuple[Change, ...]


def read_changes(source: CommandSource) -> tuple[DatastoreChanges, ...]:
    """Every Sync of *source* as the changes it carries, in wire order."""
    commands, _ = top_level(source)
    return tuple(_datastore(command) for command in commands if isinstance(command, m.Sync))


def _datastore(sync: m.Sync) -> DatastoreChanges:
    return DatastoreChanges(
        cmd_id=sync.cmd_id,
        target=_uri(sync.target),
        source=_uri(sync.source),
        number_of_changes=uint_or_none(sync.number_of_changes),
        changes=tuple(_changes(sync.commands)),
    )


def _changes(commands: Iterable[m.Command]) -> Iterator[Change]:
    for command in commands:
        if is_group(command):  # a Sync nested by a lenient parse is another datastore's
            yield from _changes(command.commands)
            continue
        kind = _KINDS.get(type(command))
        if kind is None:
            continue
        assert isinstance(command, m.Add | m.Replace | m.Delete | m.Move | m.Copy)
        for item in command.items:
            yield _change(kind, command, item)


def _change(kind: ChangeKind, command: m.Add | m.Replace | m.Delete | m.Move | m.Copy, item: m.Item) -> Change:
    own = item.meta.type if item.meta is not None else None
    outer = command.meta.type if command.meta is not None else None
    delete = command if isinstance(command, m.Delete) else None
    return Change(
        kind=kind,
        cmd_id=command.cmd_id,
        luid=_uri(item.source) or None,
        guid=_uri(item.target) or None,
        parent=item.source_parent.loc_uri if item.source_parent is not None else None,
        content_type=own if own is not None else outer,
        data=item.data,
        soft=delete is not None and delete.sft_del,
        archive=delete is not None and delete.archive,
    )


# --- package 4: the server's changes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerChange:
    """One change the server sends: an add names its ``guid``; a replace or delete the client's ``luid``."""

    kind: ChangeKind
    guid: str | None = None
    luid: str | None = None
    data: m.Data | None = None


def build_sync(
    *,
    cmd_ids: Iterator[str],
    target: str,
    source: str,
    changes: Iterable[ServerChange],
    content_type: str | None = None,
) -> m.Sync:
    """The server's Sync for one datastore: *target* the client's datastore, *source* the server's.

    *cmd_ids* hands out CmdIDs (the Sync takes the first, each change one
    more).  Every change is its own command, so that each gets its own
    Status; *content_type* goes in each command's Meta.
    """
    sync_id = next(cmd_ids)
    meta = m.Meta(type=content_type) if content_type is not None else None
    commands: list[m.Command] = [_server_command(change, next(cmd_ids), meta) for change in changes]
    return m.Sync(
        cmd_id=sync_id,
        target=m.Target(loc_uri=target),
        source=m.Source(loc_uri=source),
        number_of_changes=str(len(commands)),
        commands=tuple(commands),
    )


def _server_command(change: ServerChange, cmd_id: str, meta: m.Meta | None) -> m.Command:
    if change.kind is ChangeKind.ADD:
        if change.guid is None:
            raise EncodeError("an add from the server names its GUID", path="ServerChange.guid")
        item = m.Item(source=m.Source(loc_uri=change.guid), data=change.data)
        return m.Add(cmd_id=cmd_id, meta=meta, items=(item,))
    if change.luid is None:
        raise EncodeError(f"a {change.kind.value} from the server names the client's LUID", path="ServerChange.luid")
    source = m.Source(loc_uri=change.guid) if change.guid is not None else None
    item = m.Item(target=m.Target(loc_uri=change.luid), source=source, data=change.data)
    if change.kind is ChangeKind.REPLACE:
        return m.Replace(cmd_id=cmd_id, meta=meta, items=(item,))
    if change.kind is ChangeKind.DELETE:
        return m.Delete(cmd_id=cmd_id, items=(m.Item(target=item.target, source=item.source),))
    raise EncodeError(f"the server sends add, replace or delete, not {change.kind.value}", path="ServerChange.kind")


# --- package 5: the client's Map -------------------------------------------------------------------------


def read_map(command: m.Map) -> tuple[tuple[str, str], ...]:
    """(GUID, LUID) pairs of a client's Map: the server's id, then the one the client gave the item."""
    return tuple((_uri(item.target), _uri(item.source)) for item in command.map_items)


def map_status(command: m.Map, *, msg_ref: str, cmd_id: str, code: int = StatusCode.OK) -> m.Status:
    """The server's Status for a client's Map."""
    return m.Status(
        cmd_id=cmd_id,
        msg_ref=msg_ref,
        cmd_ref=command.cmd_id,
        cmd="Map",
        target_refs=(_uri(command.target),),
        source_refs=(_uri(command.source),),
        data=str(int(code)),
    )
