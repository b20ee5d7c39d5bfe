"""The reply a received message needs: header, Statuses, Results.

What the protocol requires of every answer (OMA DM RepPro 1.2
Status/Results; [MS-MDM] 2.2.6.1), and where this module does it:

- The header answers the one received: same VerDTD, VerProto and SessionID,
  Target and Source swapped, and the sender's *own* MsgID, which counts
  from 1 in each direction independently (:func:`reply_header`).
- The first Status answers the SyncHdr: CmdRef ``0``, Cmd ``SyncHdr``,
  MsgRef = the received MsgID (:func:`header_status`).
- Then one Status per received command, in the order received, nested
  commands of Atomic and Sequence included (the container's Status covers
  only the container): Cmd = the command's element name, CmdRef = its CmdID,
  MsgRef = the received MsgID.  When a multi-Item command's Items did not
  all get the same code, there is one Status per code, each naming its Items
  by TargetRef/SourceRef (:func:`command_statuses`).
- A received Status gets no Status; a received Results gets one only when
  its code is not 200 (or when asked); every Alert gets one.
- Every successful Get gets a Results right after its Status, each Item
  naming its node by ``Source/LocURI`` (:func:`result_item`).
- After an authentication failure (SyncHdr Status 401 or 407, which must
  carry a ``Chal``) the reply holds only Statuses, one per received command.

Codes are the caller's: ``codes`` maps a received CmdID to one code, or to
one code per Item.  Everything defaults to 200 (OK), except that after a
401/407 the commands default to the same code, none of them having been
executed for want of credentials.

>>> import pathlib, syncml
>>> from syncml.server import reply
>>> received = syncml.parse(pathlib.Path("tests/examples/client-unenroll-request.xml").read_bytes())
>>> answer = reply(received, msg_id=1)
>>> [(s.cmd, s.cmd_ref, s.data) for s in answer.body.commands]
[('SyncHdr', '0', '200'), ('Alert', '2', '200'), ('Alert', '3', '200'), ('Replace', '4', '200')]
>>> answer.header.target.loc_uri, answer.header.source.loc_uri
('8F3D0A61C5E24B7A9D11E0F4A2B6C973', 'https://mdm.example.com/ManagementServer/MDM.svc')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence

from . import model as m
from ._grammar import Container, is_container
from ._walk import walk
from .codes import StatusCode
from .errors import EncodeError, SyncMLError

__all__ = [
    "Code",
    "ItemCodes",
    "ReplyTooLargeError",
    "command_statuses",
    "header_status",
    "renumber",
    "reply",
    "reply_commands",
    "reply_header",
    "result_item",
]

Code = StatusCode | int
"""A status code: a :class:`~syncml.StatusCode` or any other number."""

ItemCodes = Code | Sequence[Code]
"""One code for a whole command, or one per Item in Item order."""

_AUTH_FAILURES = frozenset({StatusCode.INVALID_CREDENTIALS, StatusCode.MISSING_CREDENTIALS})


class ReplyTooLargeError(SyncMLError):
    """The commands a reply must carry (its Statuses, at least) exceed the peer's MaxMsgSize.

    Nothing smaller answers the message: OMA DM gives every received command
    a Status in the next message ([MS-MDM] 2.2.6.1), and every
    message must fit the peer's MaxMsgSize (OMA DM Protocol 2.2).  A peer that sends more
    than its own limit lets us answer made it too large to answer, so
    ``status`` is 413 (request entity too large), the code to give it, for
    instance in a SyncHdr Status of a reply that holds only that, or in the
    log when the session is dropped.

    Attributes:
        reason: what does not fit.
        status: 413.
        size: the serialized bytes the required commands take.
        max_msg_size: the peer's MaxMsgSize.
    """

    def __init__(self, reason: str, *, size: int, max_msg_size: int) -> None:
        self.reason = reason
        self.status: int = StatusCode.REQUEST_ENTITY_TOO_LARGE
        self.size = size
        self.max_msg_size = max_msg_size
        super().__init__(reason)


def reply_header(
    received: m.SyncHdr,
    *,
    msg_id: int | str,
    resp_uri: str | None = None,
    cred: m.Cred | None = None,
    meta: m.Meta | None = None,
) -> m.SyncHdr:
    """The header of the answer to *received*.

    Only the LocURIs are swapped: a ``LocName`` names the *sender's* user
    (the one its credentials are for), so it is not echoed back.
    """
    return m.SyncHdr(
        ver_dtd=received.ver_dtd,
        ver_proto=received.ver_proto,
        session_id=received.session_id,
        msg_id=str(msg_id),
        target=m.Target(loc_uri=received.source.loc_uri),
        source=m.Source(loc_uri=received.target.loc_uri),
        resp_uri=resp_uri,
        cred=cred,
        meta=meta,
    )


def header_status(
    received: m.SyncHdr,
    *,
    cmd_id: int | str,
    code: Code = StatusCode.OK,
    chal: m.Chal | None = None,
) -> m.Status:
    """The Status for the received SyncHdr (CmdRef 0, Cmd ``SyncHdr``).

    Raises:
        EncodeError: for a 401 or 407 without a ``Chal``: OMA DM requires
            the challenge (build one with :func:`syncml.auth.chal`).
    """
    if code in _AUTH_FAILURES and chal is None:
        raise EncodeError(f"a {int(code)} SyncHdr Status must carry a Chal", path="Status/Chal")
    return m.Status(
        cmd_id=str(cmd_id),
        msg_ref=received.msg_id,
        cmd_ref="0",
        cmd="SyncHdr",
        chal=chal,
        data=str(int(code)),
    )


def command_statuses(
    command: m.Command,
    *,
    msg_ref: str,
    first_cmd_id: int,
    code: ItemCodes = StatusCode.OK,
) -> tuple[m.Status, ...]:
    """The Status (or, for differing per-Item codes, Statuses) answering *command*.

    With one code, or per-Item codes that are all equal: one Status without
    TargetRef/SourceRef.  Otherwise one Status per distinct code, in order of
    first use, listing the Target and Source LocURIs of its Items.  CmdIDs
    are numbered from *first_cmd_id*.

    Raises:
        EncodeError: when per-Item codes do not match the command's Items.
    """
    name = type(command).__name__
    per_item = _per_item(command, code)
    groups: dict[int, list[m.Item]] = {}
    for item, item_code in per_item:
        groups.setdefault(item_code, []).append(item)
    if isinstance(code, int) or len(groups) == 1:
        only = int(code) if isinstance(code, int) else next(iter(groups))
        return (_status(command, name, msg_ref, first_cmd_id, only),)
    return tuple(
        _status(
            command,
            name,
            msg_ref,
            first_cmd_id + index,
            group_code,
            target_refs=tuple(i.target.loc_uri for i in items if i.target is not None),
            source_refs=tuple(i.source.loc_uri for i in items if i.source is not None),
        )
        for index, (group_code, items) in enumerate(groups.items())
    )


def _per_item(command: m.Command, code: ItemCodes) -> list[tuple[m.Item, int]]:
    if isinstance(code, int):
        return []
    items: tuple[m.Item, ...] = getattr(command, "items", ())
    name = m.wire_name(command)
    if isinstance(command, m.Status) or is_container(command) or not items or len(code) != len(items):
        raise EncodeError(
            f"{len(code)} per-Item codes for {name} CmdID {command.cmd_id!r} with {len(items)} Items",
            path=name,
        )
    return [(item, int(c)) for item, c in zip(items, code, strict=True)]


def _status(
    command: m.Command,
    name: str,
    msg_ref: str,
    cmd_id: int,
    code: int,
    *,
    target_refs: tuple[str, ...] = (),
    source_refs: tuple[str, ...] = (),
) -> m.Status:
    return m.Status(
        cmd_id=str(cmd_id),
        msg_ref=msg_ref,
        cmd_ref=command.cmd_id,
        cmd=name,
        target_refs=target_refs,
        source_refs=source_refs,
        data=str(code),
    )


def result_item(loc_uri: str, data: m.Data | None, *, format: str | None = None, type: str | None = None) -> m.Item:
    """One Results Item: the node's ``Source/LocURI``, Meta Format/Type when given, and its value."""
    meta = m.Meta(format=format, type=type) if format is not None or type is not None else None
    return m.Item(source=m.Source(loc_uri=loc_uri), meta=meta, data=data)


def reply_commands(
    received: m.SyncML,
    *,
    first_cmd_id: int = 1,
    header_code: Code = StatusCode.OK,
    chal: m.Chal | None = None,
    codes: Mapping[str, ItemCodes] | None = None,
    results: Mapping[str, Sequence[m.Item]] | None = None,
    status_for_results: bool = False,
) -> tuple[m.Command, ...]:
    """The Statuses and Results answering *received*, numbered from *first_cmd_id*.

    ``codes`` maps a received CmdID to its code (or per-Item codes); a
    duplicated CmdID gets the same code everywhere.  ``results`` maps the
    CmdID of a received Get to the Items of its Results (see
    :func:`result_item`); a successful Get without an entry gets a Results
    skeleton naming each node it asked for, with no Data, to be filled in.
    ``status_for_results`` writes a Status for every received Results, not
    only for those whose code is not 200.  A command sent with ``NoResp``
    gets no Status.
    """
    codes = codes or {}
    results = results or {}
    header = received.header
    out: list[m.Command] = []
    if not header.no_resp:
        out.append(header_status(header, cmd_id=first_cmd_id, code=header_code, chal=chal))
    auth_failed = header_code in _AUTH_FAILURES
    default: ItemCodes = header_code if auth_failed else StatusCode.OK
    msg_ref = header.msg_id
    for located in walk(received):
        command = located.command
        code = codes.get(command.cmd_id, default)
        if _needs_no_status(command, code, status_for_results):
            continue
        out.extend(command_statuses(command, msg_ref=msg_ref, first_cmd_id=first_cmd_id + len(out), code=code))
        if isinstance(command, m.Get) and not auth_failed:
            found = _results(command, code, results.get(command.cmd_id), msg_ref, first_cmd_id + len(out))
            if found is not None:
                out.append(found)
    return tuple(out)


def _needs_no_status(command: m.Command, code: ItemCodes, status_for_results: bool) -> bool:
    if isinstance(command, m.Status) or getattr(command, "no_resp", False):
        return True
    if isinstance(command, m.Results):
        return not status_for_results and code == StatusCode.OK
    return False


def _results(
    get: m.Get, code: ItemCodes, given: Sequence[m.Item] | None, msg_ref: str, cmd_id: int
) -> m.Results | None:
    if given is not None:
        items = tuple(given)
    else:
        per_item = [int(code)] * len(get.items) if isinstance(code, int) else [int(c) for c in code]
        items = tuple(
            result_item(item.target.loc_uri, None)
            for item, item_code in zip(get.items, per_item, strict=True)
            if item.target is not None and 200 <= item_code < 300
        )
    if not items:
        return None
    return m.Results(cmd_id=str(cmd_id), msg_ref=msg_ref, cmd_ref=get.cmd_id, items=items)


def renumber(commands: Iterable[m.Command], *, start: int) -> tuple[m.Command, ...]:
    """*commands* with CmdIDs ``start, start+1, ...`` in wire order, nested commands included."""
    top: list[m.Command] = []
    next_id = start
    # One open level per container, not recursion: a hand-built model may nest
    # deeper than Python's recursion limit.  Each level keeps the container,
    # its new CmdID and the children renumbered so far.
    levels: list[tuple[Iterator[m.Command], Container | None, str, list[m.Command]]] = [(iter(commands), None, "", top)]
    while levels:
        children, container, cmd_id, done = levels[-1]
        command = next(children, None)
        if command is None:
            levels.pop()
            if container is not None:
                levels[-1][3].append(dataclasses.replace(container, cmd_id=cmd_id, commands=tuple(done)))
            continue
        own_id, next_id = str(next_id), next_id + 1
        if is_container(command):
            levels.append((iter(command.commands), command, own_id, []))
        else:
            done.append(dataclasses.replace(command, cmd_id=own_id))
    return tuple(top)


def reply(
    received: m.SyncML,
    *,
    msg_id: int | str,
    first_cmd_id: int = 1,
    header_code: Code = StatusCode.OK,
    chal: m.Chal | None = None,
    codes: Mapping[str, ItemCodes] | None = None,
    results: Mapping[str, Sequence[m.Item]] | None = None,
    status_for_results: bool = False,
    commands: Iterable[m.Command] = (),
    final: bool = True,
    resp_uri: str | None = None,
    cred: m.Cred | None = None,
    meta: m.Meta | None = None,
) -> m.SyncML:
    """The whole answer to *received*: :func:`reply_header`, :func:`reply_commands`, then *commands*.

    *commands* (the sender's own requests) are renumbered to follow the
    Statuses and Results, since their CmdIDs must be unique in the message;
    read the numbers back from the result.  After a 401/407 they are
    refused: such a reply may hold only Statuses.

    When nothing needs an answer (the header and every command sent with
    NoResp) the body comes back empty and cannot be serialized: there is
    nothing to send.  Likewise a client whose reply holds only a 200
    SyncHdr Status does not send it: the session is over (OMA DM 2.3).

    Raises:
        EncodeError: for *commands* after an authentication failure, and as
            :func:`header_status` and :func:`command_statuses` do.
    """
    answer = list(
        reply_commands(
            received,
            first_cmd_id=first_cmd_id,
            header_code=header_code,
            chal=chal,
            codes=codes,
            results=results,
            status_for_results=status_for_results,
        )
    )
    own = tuple(commands)
    if own and header_code in _AUTH_FAILURES:
        raise EncodeError("a reply to failed authentication holds only Statuses", path="SyncML/SyncBody")
    answer.extend(renumber(own, start=first_cmd_id + _count(answer)))
    header = reply_header(received.header, msg_id=msg_id, resp_uri=resp_uri, cred=cred, meta=meta)
    return m.SyncML(header=header, body=m.SyncBody(commands=tuple(answer), final=final))


def _count(commands: Iterable[m.Command]) -> int:
    return sum(1 for _ in walk(commands))
