"""Large objects: one Item's Data split across messages and put back together.

OMA DM 1.2 Protocol section 2.2 (large object handling), restated:

- An object too big for one message travels in chunks, one per message, in
  contiguous messages.  Every chunk but the last ends with ``<MoreData/>``.
- The first chunk's ``Meta`` carries ``Size``, the size of the whole object,
  and only the first one does.  Size counts the bytes as transmitted: for b64
  data, the length of the b64 text (protocol section 8.3.7.2).
- The recipient answers each chunk but the last with Status 213 (chunked item
  accepted and buffered).  On the last one it checks the reassembled size
  against Size: a mismatch is Status 424 and the command is not committed.
- A new command or Item before the last chunk means the sender abandoned the
  object: the recipient sends Alert 1225 (end of data for chunked object not
  received), carrying the original Target/Source, and commits nothing.
- The peer's ``MaxObjSize`` (SyncHdr Meta) bounds any single object for the
  rest of the session; ``MaxMsgSize`` bounds each message.

Sizes here are the UTF-8 bytes of the Data text.  Splitting happens between
characters, never inside one.  :func:`split_item` cuts by data bytes;
:class:`syncml.outbox.Outbox` cuts by serialized message bytes.

>>> from syncml import Item, Target
>>> item = Item(target=Target(loc_uri="./Vendor/MSFT/Policy/Config/X"), data="0123456789")
>>> chunks = split_item(item, max_chunk=4)
>>> [(c.data, c.more_data, c.meta.size if c.meta else None) for c in chunks]
[('0123', True, '10'), ('4567', True, None), ('89', False, None)]
>>> joiner = Reassembler()
>>> [joiner.feed("Replace", c).status for c in chunks]
[<StatusCode.CHUNKED_ITEM_ACCEPTED: 213>, <StatusCode.CHUNKED_ITEM_ACCEPTED: 213>, None]
>>> joiner.feed("Replace", chunks[0]).status, joiner.feed("Replace", chunks[2]).status
(<StatusCode.CHUNKED_ITEM_ACCEPTED: 213>, <StatusCode.SIZE_MISMATCH: 424>)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from . import model as m
from ._xml_encode import _as_base64_item
from .codes import AlertCode, StatusCode
from .errors import DecodeError, SyncMLError

__all__ = [
    "DEFAULT_MAX_OBJECT_SIZE",
    "PartialObject",
    "Reassembler",
    "Reassembly",
    "chunk",
    "cut",
    "no_end_of_data_alert",
    "object_size",
    "split_item",
    "textual",
]

DEFAULT_MAX_OBJECT_SIZE = 16 * 1024 * 1024
"""The largest object a :class:`Reassembler` buffers unless told otherwise."""


def object_size(data: m.Data | None) -> int:
    """The object's size as ``Meta/Size`` counts it: UTF-8 bytes of the Data text."""
    return len((m.data_text(data) or "").encode("utf-8", "surrogatepass"))


def textual(item: m.Item) -> m.Item:
    """*item* with binary (``Opaque``) Data as XML carries it: b64 text, Meta Format ``b64``.

    Chunks are cut from text, and a binary object is split the way it is
    transmitted; its Size then counts the b64 text, as the protocol says.
    """
    return _as_base64_item(item) if isinstance(item.data, m.Opaque) else item


def cut(text: str, start: int, budget: int, cost: Callable[[str], int]) -> int:
    """End of the longest ``text[start:end]`` whose *cost* is at most *budget*.

    *cost* must grow with the text and charge at least one per character
    (bytes do).  Returns *start* when not even one character fits.
    """
    end = min(len(text), start + max(budget, 0))
    if end == start or cost(text[start:end]) <= budget:
        return end
    low, high = start, end  # cost(text[start:low]) <= budget < cost(text[start:high])
    while high - low > 1:
        middle = (low + high) // 2
        if cost(text[start:middle]) <= budget:
            low = middle
        else:
            high = middle
    return low


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _same_form(data: m.Data, text: str) -> m.Data:
    # A chunk keeps the form of the object it came from, so CDATA stays CDATA.
    return m.CData(text=text) if isinstance(data, m.CData) else text


def chunk(item: m.Item, text: str, *, first: bool, last: bool, total: int) -> m.Item:
    """One chunk of *item* carrying *text*: Size on the first, MoreData on all but the last.

    The rest of the Item (Target, Source, Meta, Data attributes) is repeated
    on every chunk, as protocol section 2.2 recommends.
    """
    if first and last:
        return item
    assert item.data is not None
    meta = item.meta
    if first:
        meta = dataclasses.replace(meta or m.Meta(), size=str(total))
    elif meta is not None:
        meta = dataclasses.replace(meta, size=None)
    return dataclasses.replace(item, meta=meta, data=_same_form(item.data, text), more_data=not last)


def split_item(item: m.Item, *, max_chunk: int) -> tuple[m.Item, ...]:
    """Split *item* into chunks of at most *max_chunk* data bytes each.

    An Item whose Data fits is returned alone and unchanged.  Binary
    (``Opaque``) Data is split as the b64 text XML carries.  Markup cannot be
    cut without breaking it: send such data as text (``str``) instead.

    Raises:
        SyncMLError: *max_chunk* below 4 (a character may take 4 bytes), or
            Markup data that does not fit.
    """
    if max_chunk < 4:
        raise SyncMLError(f"max_chunk must be at least 4 bytes, not {max_chunk}")
    item = textual(item)
    data = item.data
    total = object_size(data)
    if data is None or total <= max_chunk:
        return (item,)
    if isinstance(data, m.Markup):
        raise SyncMLError("Markup data cannot be split into chunks: send it as text")
    text = item.text or ""
    out: list[m.Item] = []
    start = 0
    while start < len(text):
        end = cut(text, start, max_chunk, _utf8_len)
        out.append(chunk(item, text[start:end], first=start == 0, last=end == len(text), total=total))
        start = end
    return tuple(out)


# --- receiving ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PartialObject:
    """A chunk run that ended before its last chunk arrived.

    Answer it with :func:`no_end_of_data_alert` (Alert 1225).
    """

    command: str
    target: m.Target | None = None
    source: m.Source | None = None
    declared_size: int | None = None
    received_size: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Reassembly:
    """What one received Item means once chunking is taken into account.

    Attributes:
        item: the whole Item when it is complete (an unchunked Item as it came,
            or the last chunk's run joined, with the first chunk's Meta); None
            while chunks are buffered or when the run failed.
        status: the code the chunk layer requires for the carrying command:
            213 while buffering, 424 when the reassembled size differs from
            Size, 416 when the object exceeds the size we accept.  None when
            ``item`` is complete: the command's own outcome decides.
        abandoned: a run this Item interrupted (answer with Alert 1225).
        declared_size: the first chunk's Size (None if it sent none).
    """

    item: m.Item | None = None
    status: StatusCode | None = None
    abandoned: PartialObject | None = None
    declared_size: int | None = None


@dataclass(slots=True, kw_only=True)
class _Run:
    command: str
    first: m.Item
    declared: int | None
    parts: list[str]
    received: int = 0
    failed: StatusCode | None = None
    touched: bool = True  # a chunk came in the current message

    def continues_with(self, command: str, item: m.Item) -> bool:
        return (
            command == self.command
            and _uri(item.target) == _uri(self.first.target)
            and _uri(item.source) == _uri(self.first.source)
        )

    def partial(self) -> PartialObject:
        return PartialObject(
            command=self.command,
            target=self.first.target,
            source=self.first.source,
            declared_size=self.declared,
            received_size=self.received,
        )


def _uri(where: m.Target | m.Source | None) -> str | None:
    return None if where is None else where.loc_uri


def _declared_size(item: m.Item) -> tuple[int | None, bool]:
    """(Size, whether it was readable); a missing Size is readable as None."""
    if item.meta is None or item.meta.size is None:
        return None, True
    try:
        return item.meta.size_int, True
    except DecodeError:
        return None, False


class Reassembler:
    """Buffers received chunks and hands back whole Items (the receiving half).

    Feed it every Item of every received command that carries data, in wire
    order, and call :meth:`end_message` after each message: chunks must come
    in contiguous messages.  It holds at most one run at a time, as the
    protocol allows only one object in flight.

    A first chunk without Size is accepted (``declared_size`` None) and its
    size cannot be checked.  A later chunk whose Size differs from the first
    one's makes the run fail with 424.

    Args:
        max_object_size: refuse (416) objects larger than this many bytes,
            declared or received, so that a peer cannot make us buffer without
            bound.
    """

    def __init__(self, *, max_object_size: int = DEFAULT_MAX_OBJECT_SIZE) -> None:
        self.max_object_size = max_object_size
        self._run: _Run | None = None

    @property
    def pending(self) -> PartialObject | None:
        """The run being buffered, if any."""
        return None if self._run is None else self._run.partial()

    def feed(self, command: str, item: m.Item) -> Reassembly:
        """Take one received Item of the command named *command*."""
        run = self._run
        if run is not None and run.continues_with(command, item):
            return self._continue(run, item)
        abandoned = self.abandon()
        if not item.more_data:
            return Reassembly(item=item, abandoned=abandoned)
        return self._start(command, item, abandoned)

    def end_message(self) -> PartialObject | None:
        """Close a message: a run that got no chunk in it is abandoned and returned."""
        run = self._run
        if run is None:
            return None
        if not run.touched:
            return self.abandon()
        run.touched = False
        return None

    def abandon(self) -> PartialObject | None:
        """Drop the run in progress (the session ended); returns what was dropped."""
        run, self._run = self._run, None
        return None if run is None else run.partial()

    def _start(self, command: str, item: m.Item, abandoned: PartialObject | None) -> Reassembly:
        declared, readable = _declared_size(item)
        run = _Run(command=command, first=item, declared=declared, parts=[])
        if not readable:
            run.failed = StatusCode.SIZE_MISMATCH
        self._run = run
        self._add(run, item)
        return Reassembly(
            status=run.failed or StatusCode.CHUNKED_ITEM_ACCEPTED, abandoned=abandoned, declared_size=declared
        )

    def _continue(self, run: _Run, item: m.Item) -> Reassembly:
        run.touched = True
        later, _ = _declared_size(item)
        if later is not None and later != run.declared:
            run.failed = run.failed or StatusCode.SIZE_MISMATCH
        self._add(run, item)
        if item.more_data:
            return Reassembly(status=run.failed or StatusCode.CHUNKED_ITEM_ACCEPTED, declared_size=run.declared)
        self._run = None
        failed = run.failed
        if failed is None and run.declared is not None and run.declared != run.received:
            failed = StatusCode.SIZE_MISMATCH
        if failed is not None:
            return Reassembly(status=failed, declared_size=run.declared)
        whole = dataclasses.replace(run.first, data=_join(run.first.data, run.parts), more_data=False)
        return Reassembly(item=whole, declared_size=run.declared)

    def _add(self, run: _Run, item: m.Item) -> None:
        text = item.text or ""
        run.received += _utf8_len(text)
        too_big = max(run.received, run.declared or 0) > self.max_object_size
        if too_big and run.failed is None:
            run.failed = StatusCode.REQUESTED_SIZE_TOO_BIG
        if run.failed is None:
            run.parts.append(text)
        else:
            run.parts.clear()  # nothing more is kept once the run cannot succeed


def _join(first: m.Data | None, parts: list[str]) -> m.Data:
    # A first chunk without Data (MoreData on an empty Item) still starts a
    # run; what follows it is text.
    return _same_form(first if first is not None else "", "".join(parts))


def no_end_of_data_alert(partial: PartialObject, *, cmd_id: str = m.UNNUMBERED) -> m.Alert:
    """Alert 1225 for a run that stopped early, naming the object's Target/Source.

    Protocol section 2.2: "The Alert SHOULD contain the source and/or target
    information from the original command" -- a Status could not say which
    object, as a chunk's command may not have a CmdID the sender can match.
    """
    item = m.Item(target=partial.target, source=partial.source)
    items = (item,) if partial.target is not None or partial.source is not None else ()
    return m.Alert(cmd_id=cmd_id, data=str(int(AlertCode.NO_END_OF_DATA)), items=items)
