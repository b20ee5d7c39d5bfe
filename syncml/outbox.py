"""Outgoing commands, packed into messages that fit the peer's MaxMsgSize.

An :class:`Outbox` holds the commands one side wants to send, in order.
:meth:`Outbox.pack` builds the next message: the leading commands the
protocol requires first (Statuses, a 1222 or 1223 Alert), then as many queued
commands as fit whole, numbered in wire order.  Sizes are measured on the
serialized bytes, so the finished message is never larger than the limit.

Rules it follows, from OMA DM 1.2 Protocol sections 2.1 and 2.2:

- A command must fit in one message, Atomic and Sequence included; only one
  Item's Data may be split (see :mod:`syncml.largeobject`).  A queued command
  that fits in a fresh message but not in this one waits for the next.
- Command order is meaning: a command never overtakes an earlier one.
- While an object is split, nothing else may sit between its chunks: a
  message that carries a non-last chunk ends with it and has no ``Final``.

>>> from syncml import Get, Item, Status, SyncHdr, Source, Target
>>> header = SyncHdr(session_id="1", msg_id="1", target=Target(loc_uri="DEV-1"),
...                  source=Source(loc_uri="https://mdm.example.com/omadm"))
>>> ack = Status(msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200")  # pack numbers the commands
>>> box = Outbox()
>>> box.add(Get(items=(Item(target=Target(loc_uri="./DevDetail/SwV")),)), key="swv")
1
>>> packed = box.pack(header, (ack,), max_msg_size=4096)
>>> [(c.cmd_id, type(c).__name__) for c in packed.message.body.commands]
[('1', 'Status'), ('2', 'Get')]
>>> packed.sent[0].key, packed.final, len(packed.data) <= 4096, len(box)
('swv', True, True, 0)
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeGuard

from . import model as m
from ._api import serialize, serialize_commands
from ._walk import walk
from ._xml_encode import _cdata, _escape
from .errors import SyncMLError
from .largeobject import chunk, cut, object_size, textual
from .replies import ReplyTooLargeError, renumber

__all__ = ["Outbox", "Packed", "Piece", "Sent", "chunkable"]

#: Commands whose single Item's Data may be split across messages.
_CHUNKABLE = (m.Add, m.Replace, m.Exec, m.Alert, m.Results)
_EMPTY_CDATA = len("<![CDATA[]]>")


class Piece(StrEnum):
    """Which part of a queued command a message carried."""

    WHOLE = "whole"
    FIRST = "first"  # first chunk of a split object
    MIDDLE = "middle"
    LAST = "last"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sent:
    """One queued command (or one chunk of it) as it went out.

    ``ticket`` is what :meth:`Outbox.add` returned for it; ``command`` is what
    the message carries, numbered (and cut down to one chunk when split).
    """

    ticket: int
    key: str | None
    command: m.Command
    piece: Piece = Piece.WHOLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Packed:
    """One built message: the model, its bytes, and what of the queue it carries."""

    message: m.SyncML
    data: bytes
    leading: tuple[m.Command, ...]
    sent: tuple[Sent, ...]

    @property
    def final(self) -> bool:
        """Whether the message closes its package."""
        return self.message.body.final


@dataclass(slots=True, kw_only=True)
class _Entry:
    ticket: int
    key: str | None
    command: m.Command
    offset: int = 0  # characters of the split Data already sent


def _numbered(command: m.Command, first_id: int) -> m.Command:
    return renumber((command,), start=first_id)[0]


def _ids_used(command: m.Command) -> int:
    return sum(1 for _ in walk((command,)))


def chunkable(command: m.Command) -> TypeGuard[m.Add | m.Replace | m.Exec | m.Alert | m.Results]:
    """Whether *command* is one whose single Item's text Data may be split."""
    if not isinstance(command, _CHUNKABLE) or len(command.items) != 1:
        return False
    data = command.items[0].data
    return isinstance(data, str | m.CData | m.Opaque) and bool(m.data_text(data))


def _wire_cost(data: m.Data) -> Callable[[str], int]:
    # What the Data text costs in the serialized message, measured with the
    # encoder's own escaping so that the two can never disagree.
    if isinstance(data, m.CData):
        return lambda text: len(_cdata(text, "Data").encode("utf-8")) - _EMPTY_CDATA
    return lambda text: len(_escape(text, "Data").encode("utf-8"))


def _size(command: m.Command) -> int:
    return len(serialize_commands((command,)))


class Outbox:
    """Commands waiting to go out, packed into messages by :meth:`pack`."""

    def __init__(self) -> None:
        self._entries: deque[_Entry] = deque()
        self._tickets = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def streaming(self) -> bool:
        """True while a split object has chunks left: the next message must continue it."""
        return bool(self._entries) and self._entries[0].offset > 0

    def add(self, command: m.Command, *, key: str | None = None) -> int:
        """Queue *command* (its CmdID is replaced when packed); returns its ticket."""
        self._tickets += 1
        self._entries.append(_Entry(ticket=self._tickets, key=key, command=command))
        return self._tickets

    def cancel(self, ticket: int) -> bool:
        """Drop a queued command (e.g. its first chunk was refused); False if it is not queued."""
        for entry in self._entries:
            if entry.ticket == ticket:
                self._entries.remove(entry)
                return True
        return False

    def waiting(self) -> tuple[Sent, ...]:
        """Queued commands of which nothing went out yet, unnumbered, in order."""
        return tuple(Sent(ticket=e.ticket, key=e.key, command=e.command) for e in self._entries if e.offset == 0)

    def drain(self) -> tuple[Sent, ...]:
        """Empty the queue, returning what never (fully) went out, unnumbered."""
        left = tuple(Sent(ticket=e.ticket, key=e.key, command=e.command) for e in self._entries)
        self._entries.clear()
        return left

    def pack(
        self,
        header: m.SyncHdr,
        leading: Sequence[m.Command] = (),
        *,
        max_msg_size: int,
        take: bool = True,
        final: bool = True,
        until_empty: bool = False,
        namespaces: m.Namespaces = (),
    ) -> Packed:
        """Build the next message: *leading* first, then queued commands while they fit.

        Args:
            header: the message's SyncHdr, as it will be sent.
            leading: commands that must go in this message (Statuses first).
            max_msg_size: the peer's MaxMsgSize, in serialized bytes.
            take: False to send only *leading* (a "next message" reply).
            final: whether the message may close the package; it does not
                while a split object has chunks left, nor when queued
                commands are left and none of them fitted.
            until_empty: close the package only when the queue is empty (a
                client's package of answers must hold all of them).
            namespaces: prefixed declarations for SyncBody.

        Raises:
            ReplyTooLargeError: *leading* alone does not fit (``status`` 413).
            SyncMLError: a chunk in progress cannot make progress.
        """
        lead = list(renumber(leading, start=1))
        next_id = 1 + sum(_ids_used(c) for c in lead)
        base = len(self._serialize(header, lead, True, namespaces))
        if base > max_msg_size:
            raise ReplyTooLargeError(
                f"the required commands alone take {base} bytes, more than MaxMsgSize {max_msg_size}",
                size=base,
                max_msg_size=max_msg_size,
            )
        room = max_msg_size - base
        body = list(lead)
        sent: list[Sent] = []
        mid_object = False
        while take and self._entries:
            placed = self._place(self._entries[0], next_id, room, max_msg_size - base)
            if placed is None:
                break
            item, size = placed
            sent.append(item)
            body.append(item.command)
            room -= size
            next_id += _ids_used(item.command)
            if item.piece in (Piece.FIRST, Piece.MIDDLE):
                mid_object = True
                break
            self._entries.popleft()
        # With nothing of the queue in it, a final message would leave the
        # peer nothing to answer but our SyncHdr, which it does not send
        # (protocol 2.1): leave the package open so that it asks with 1222.
        stuck = bool(self._entries) and (until_empty or (take and not sent))
        message = self._message(header, body, final and not mid_object and not stuck, namespaces)
        data = serialize(message)
        if len(data) > max_msg_size:  # a bug if it happens: sizes add up by construction
            raise SyncMLError(f"packed message is {len(data)} bytes, over MaxMsgSize {max_msg_size}")
        return Packed(message=message, data=data, leading=tuple(lead), sent=tuple(sent))

    def _place(self, entry: _Entry, next_id: int, room: int, fresh_room: int) -> tuple[Sent, int] | None:
        """Fit *entry* (or its next chunk) in *room* bytes; None when it must wait."""
        if entry.offset == 0:
            command = _numbered(entry.command, next_id)
            size = _size(command)
            if size <= room:
                return Sent(ticket=entry.ticket, key=entry.key, command=command), size
            if size <= fresh_room or not chunkable(command):
                return None  # a later, emptier message takes it whole
        return self._chunk(entry, next_id, room)

    def _chunk(self, entry: _Entry, next_id: int, room: int) -> tuple[Sent, int] | None:
        command = entry.command
        assert isinstance(command, _CHUNKABLE)
        item = textual(command.items[0])
        assert item.data is not None
        text = item.text or ""
        first = entry.offset == 0
        total = object_size(item.data)
        empty = chunk(item, "", first=first, last=False, total=total)
        shell = _numbered(dataclasses.replace(command, items=(empty,)), next_id)
        overhead = _size(shell)
        end = cut(text, entry.offset, room - overhead, _wire_cost(item.data))
        if end == entry.offset:
            if first:
                return None
            raise SyncMLError("no room left in the message for the next chunk of a split object")
        last = end == len(text)
        piece = _PIECES[first, last]
        part = chunk(item, text[entry.offset : end], first=first, last=last, total=total)
        numbered = _numbered(dataclasses.replace(command, items=(part,)), next_id)
        entry.offset = end
        return Sent(ticket=entry.ticket, key=entry.key, command=numbered, piece=piece), _size(numbered)

    @staticmethod
    def _message(header: m.SyncHdr, body: list[m.Command], final: bool, namespaces: m.Namespaces) -> m.SyncML:
        return m.SyncML(header=header, body=m.SyncBody(commands=tuple(body), final=final, namespaces=namespaces))

    def _serialize(self, header: m.SyncHdr, body: list[m.Command], final: bool, namespaces: m.Namespaces) -> bytes:
        if not body:
            # A SyncBody needs a command; an empty body's size is that of the
            # envelope alone, measured with a placeholder and taken off again.
            probe = m.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200")
            whole = serialize(self._message(header, [probe], final, namespaces))
            return whole[: len(whole) - _size(probe)]
        return serialize(self._message(header, body, final, namespaces))


_PIECES = {
    (True, True): Piece.WHOLE,
    (True, False): Piece.FIRST,
    (False, False): Piece.MIDDLE,
    (False, True): Piece.LAST,
}
