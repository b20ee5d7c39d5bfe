"""The SyncML 1.2 representation (OMA DM and SyncML DS) as typed, immutable values.

One class per element, named as the element is.  Fields follow the element's
content model in DTD order (SyncML RepPro 1.2 and MetInf 1.2, as restated in
``docs/conformance.md``), so the serializer is a straight walk.  Repeated
children are tuples; optional ones default to ``None`` (or ``False`` for the
empty flag elements such as ``Final`` and ``MoreData``).

Values are kept as written: identifiers (SessionID, MsgID, CmdID, CmdRef,
MsgRef) are strings, because real servers use UUIDs and hex and ``01`` must
stay ``01``.  Typed views such as :attr:`Status.code` or
:attr:`SyncHdr.msg_id_int` are properties, never a lossy conversion.
A command built without ``cmd_id`` is :data:`UNNUMBERED`: the session, the
queue and the outbox number what they send, and the encoders refuse it.

``Data`` that holds text is a ``str``; a CDATA section arrives as
:class:`CData` and embedded markup as :class:`Markup`, so the caller can tell
which form arrived and both round-trip.  Binary data that only WBXML can
carry arrives as :class:`Opaque`.

Typed views read text when asked: :attr:`Status.code`, :attr:`Alert.code`,
:attr:`SyncHdr.msg_id_int`, :attr:`Meta.size_int` and the other ``*_int``
views, and :attr:`Exec.item`.  A lenient parse keeps a value as written even
when it is not a number (a strict one refuses codes and sizes that are not,
but keeps identifiers such as MsgID as written), and a value cannot tell
whether it was decoded or built by hand.  So a view raises the same
:class:`~syncml.DecodeError` in both cases, with status 400, a ``path``
that starts at the view's own element (``Status/Data``, ``Exec``: the
value does not know where it sits in a message) and no ``line``,
``column`` or ``offset``.  Reading a view never raises anything else.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from ._numbers import read_uint
from .codes import AlertCode, StatusCode, alert_code, status_code
from .errors import DecodeError

if TYPE_CHECKING:
    from ._quirks import Quirk

__all__ = [
    "Add",
    "Alert",
    "Anchor",
    "Atomic",
    "CData",
    "Chal",
    "Command",
    "Commands",
    "Copy",
    "Cred",
    "Data",
    "Delete",
    "Exec",
    "Field",
    "Filter",
    "Get",
    "Item",
    "Map",
    "MapItem",
    "Markup",
    "Mem",
    "Meta",
    "Move",
    "Opaque",
    "Put",
    "Record",
    "Replace",
    "Results",
    "Search",
    "Sequence",
    "Source",
    "SourceParent",
    "Status",
    "Sync",
    "SyncBody",
    "SyncHdr",
    "SyncML",
    "Target",
    "TargetParent",
    "UNNUMBERED",
    "Unknown",
    "data_text",
    "is_numbered",
    "wire_name",
]


_START_TAG_NAME = re.compile(r"<([^\s/>]+)")

Namespaces: TypeAlias = tuple[tuple[str, str], ...]
"""Prefixed namespace declarations as ``(prefix, uri)`` pairs, in source order."""

Attributes: TypeAlias = tuple[tuple[str, str], ...]
"""Attributes as ``("{uri}name", value)`` pairs, in source order."""


class _Unnumbered(str):
    """The type of :data:`UNNUMBERED`: an empty string that the encoders can tell apart."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNNUMBERED"

    def __reduce__(self) -> tuple[type[_Unnumbered], tuple[()]]:
        return (_Unnumbered, ())


UNNUMBERED: str = _Unnumbered()
"""The CmdID of a command built without one: ``Get(items=...)``.

The session, the command queue and the outbox number the commands they
send, so a command given to them needs no CmdID.  :func:`syncml.serialize`
and :func:`syncml.serialize_commands` refuse an unnumbered command with an
:class:`~syncml.EncodeError`: a message on the wire has its CmdIDs.  It
compares equal to ``""`` (the empty CmdID a lenient parse keeps as
written, which the encoders do write back); :func:`is_numbered` tells them
apart.
"""


def is_numbered(cmd_id: str) -> bool:
    """Whether *cmd_id* was given (even empty), rather than left :data:`UNNUMBERED`."""
    return not isinstance(cmd_id, _Unnumbered)


def _as_int(value: str, what: str) -> int:
    return read_uint(value, what)


def _as_opt_int(value: str | None, what: str) -> int | None:
    return None if value is None else _as_int(value, what)


# --- Data forms --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CData:
    """``Data`` whose content arrived in a CDATA section (kept as one section)."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Markup:
    """``Data`` that holds XML elements rather than plain text.

    ``xml`` is the content between ``<Data>`` and ``</Data>``, and it stands
    alone: a prefix it uses that was declared outside Data (on SyncBody, say)
    is declared on the element that uses it, so the value means the same
    wherever it is written.  Without prefixes, elements in the message's own
    SyncML namespace carry no declaration (they inherit it, as on the wire).
    Windows ADMX policies (``<Data><Enabled/></Data>``) and embedded DDF
    documents arrive this way.
    """

    xml: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Opaque:
    """``Data`` that arrived as binary: a WBXML ``OPAQUE`` that is not XML text.

    WBXML carries binary node values (Meta Format ``bin``) as raw bytes.
    OPAQUE bytes that are UTF-8 text made of XML characters are read as
    :class:`CData` instead (as libwbxml reads them), so ``Opaque`` holds what
    XML cannot.  XML has no binary: :func:`syncml.serialize` writes ``data``
    as base64 text and sets the Item's own Meta Format to ``b64`` (OMA DM TND
    1.2, 8.3.7.2: binary values travel over XML as b64), so reading that XML
    back gives the base64 text, not ``Opaque``.
    """

    data: bytes


Data: TypeAlias = str | CData | Markup | Opaque
"""What an ``Item/Data`` may hold."""


def data_text(data: Data | None) -> str | None:
    """The text of *data* whatever its form; :attr:`Item.text` is this for an Item.

    ``str`` as it is, :class:`CData` its text, :class:`Markup` its XML as
    written, and :class:`Opaque` the base64 of its bytes: the text the same
    message carries when written as XML, so a value reads the same from
    both encodings.  None when there is no Data.
    """
    if data is None or isinstance(data, str):
        return data
    if isinstance(data, CData):
        return data.text
    if isinstance(data, Markup):
        return data.xml
    return base64.b64encode(data.data).decode("ascii")


@dataclass(frozen=True, slots=True, kw_only=True)
class Unknown:
    """An element this library does not know, kept verbatim on request.

    Only produced when parsing with ``keep_unknown=True``.  ``position`` is
    the number of known children (commands, inside a body) that came before
    it, so that re-serializing puts it back where it was.
    """

    xml: str
    position: int = 0

    @property
    def name(self) -> str:
        """The element's qualified name as written, e.g. ``Sync``."""
        match = _START_TAG_NAME.match(self.xml)
        return match.group(1) if match else ""


# --- Addressing --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """``Target``: ``LocURI, LocName?, Filter?`` (``Filter`` is data-sync only)."""

    loc_uri: str
    loc_name: str | None = None
    filter: Filter | None = None
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """``Source``: ``LocURI, LocName?``."""

    loc_uri: str
    loc_name: str | None = None
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceParent:
    """``SourceParent``: ``LocURI`` (SyncML 1.2 addition)."""

    loc_uri: str
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetParent:
    """``TargetParent``: ``LocURI`` (SyncML 1.2 addition)."""

    loc_uri: str
    unknown: tuple[Unknown, ...] = ()


# --- MetInf ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    """MetInf ``Anchor``: ``Last?, Next`` (data sync only)."""

    last: str | None = None
    next: str
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Mem:
    """MetInf ``Mem``: ``SharedMem?, FreeMem, FreeID`` (data sync only)."""

    shared_mem: bool = False
    free_mem: str
    free_id: str
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta:
    """``Meta``: a bag of ``syncml:metinf`` elements.

    MetInf 1.2 content model, in the order the serializer writes it:
    ``FieldLevel?, Format?, Type?, Mark?, Size?, Anchor?, Version?,
    NextNonce?, MaxMsgSize?, MaxObjSize?, EMI*, Mem?``.  On the wire the
    elements come in any order (Windows writes Type before Format in alerts
    and Format before Type in Cred); that is accepted in both modes.
    """

    field_level: bool = False
    format: str | None = None
    type: str | None = None
    mark: str | None = None
    size: str | None = None
    anchor: Anchor | None = None
    version: str | None = None
    next_nonce: str | None = None
    max_msg_size: str | None = None
    max_obj_size: str | None = None
    emi: tuple[str, ...] = ()
    mem: Mem | None = None
    unknown: tuple[Unknown, ...] = ()

    @property
    def size_int(self) -> int | None:
        """``Size`` as a number of bytes, or None when absent."""
        return _as_opt_int(self.size, "Meta/Size")

    @property
    def max_msg_size_int(self) -> int | None:
        """``MaxMsgSize`` as a number of bytes, or None when absent."""
        return _as_opt_int(self.max_msg_size, "Meta/MaxMsgSize")

    @property
    def max_obj_size_int(self) -> int | None:
        """``MaxObjSize`` as a number of bytes, or None when absent."""
        return _as_opt_int(self.max_obj_size, "Meta/MaxObjSize")


# --- Credentials -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Cred:
    """``Cred``: ``Meta?, Data`` (only in SyncHdr for OMA DM)."""

    meta: Meta | None = None
    data: str
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Chal:
    """``Chal``: ``Meta`` (auth type, format and NextNonce)."""

    meta: Meta
    unknown: tuple[Unknown, ...] = ()


# --- Item --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """``Item``: ``Target?, Source?, SourceParent?, TargetParent?, Meta?, Data?, MoreData?``.

    ``data_attributes`` keeps attributes written on ``Data`` itself, such as
    Windows' ``msft:originalerror``.
    """

    target: Target | None = None
    source: Source | None = None
    source_parent: SourceParent | None = None
    target_parent: TargetParent | None = None
    meta: Meta | None = None
    data: Data | None = None
    more_data: bool = False
    data_attributes: Attributes = ()
    unknown: tuple[Unknown, ...] = ()

    @property
    def text(self) -> str | None:
        """The text of ``data`` whatever its form (:func:`data_text`), or None without Data."""
        return data_text(self.data)


# --- Commands ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """``Alert``: ``CmdID, NoResp?, Cred?, Data?, Correlator?, Item*``."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    data: str | None = None
    correlator: str | None = None
    items: tuple[Item, ...] = ()
    unknown: tuple[Unknown, ...] = ()

    @property
    def code(self) -> AlertCode | int | None:
        """The alert code from ``Data`` (unknown codes as plain ``int``)."""
        value = _as_opt_int(self.data, "Alert/Data")
        return None if value is None else alert_code(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Status:
    """``Status``: ``CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred?, Chal?, Data, Item*``.

    ``data`` is the status code as written; :attr:`code` reads it.
    """

    cmd_id: str = UNNUMBERED
    msg_ref: str
    cmd_ref: str
    cmd: str
    target_refs: tuple[str, ...] = ()
    source_refs: tuple[str, ...] = ()
    cred: Cred | None = None
    chal: Chal | None = None
    data: str
    items: tuple[Item, ...] = ()
    data_attributes: Attributes = ()
    unknown: tuple[Unknown, ...] = ()

    @property
    def code(self) -> StatusCode | int:
        """The status code from ``Data`` (unknown codes as plain ``int``)."""
        return status_code(_as_int(self.data, "Status/Data"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    """``Results``: ``CmdID, MsgRef?, CmdRef, Meta?, TargetRef?, SourceRef?, Item+``.

    ``cmd`` keeps the ``Cmd`` element that MS-MDM's schema shows after
    ``CmdRef``; real Windows devices do not send it and strict parsing
    refuses it.
    """

    cmd_id: str = UNNUMBERED
    msg_ref: str | None = None
    cmd_ref: str
    cmd: str | None = None
    meta: Meta | None = None
    target_ref: str | None = None
    source_ref: str | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Get:
    """``Get``: ``CmdID, NoResp?, Lang?, Cred?, Meta?, Item+``."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    lang: str | None = None
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Add:
    """``Add``: ``CmdID, NoResp?, Cred?, Meta?, Item+``."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Replace:
    """``Replace``: ``CmdID, NoResp?, Cred?, Meta?, Item+``."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Delete:
    """``Delete``: ``CmdID, NoResp?, Archive?, SftDel?, Cred?, Meta?, Item+``."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    archive: bool = False
    sft_del: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Copy:
    """``Copy``: ``CmdID, NoResp?, Cred?, Meta?, Item+``."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Exec:
    """``Exec``: ``CmdID, NoResp?, Cred?, Meta?, Correlator?, Item``.

    The content model allows exactly one Item.  ``items`` is a tuple so that a
    model built by hand with the wrong count can be reported by
    :func:`syncml.check` and refused by the serializer instead of being
    impossible to express; :attr:`item` reads the single one.
    """

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    correlator: str | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()

    @property
    def item(self) -> Item:
        """The Exec's one Item."""
        if len(self.items) != 1:
            raise DecodeError(f"Exec has {len(self.items)} Items, not one", path="Exec")
        return self.items[0]


class _Lit(str):
    """Text to copy into a repr as it is (a plain ``str`` is a value to repr)."""

    __slots__ = ()


def _nested_repr(root: object) -> str:
    """The dataclass repr of *root*, built without recursion.

    Atomic and Sequence nest (up to the 256 levels a decoder reads): the
    generated repr recursed three frames a level and hit Python's limit.
    """
    out: list[str] = []
    stack: list[object] = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, _Lit):
            out.append(obj)
        elif obj.__class__ is tuple:
            parts: list[object] = [_Lit("(")]
            for i, value in enumerate(obj):
                parts += [_Lit(", ")] if i else []
                parts.append(value)
            parts.append(_Lit(",)" if len(obj) == 1 else ")"))
            stack.extend(reversed(parts))
        elif obj.__class__ in _NESTED:
            parts = [_Lit(obj.__class__.__qualname__ + "(")]
            for i, f in enumerate(f for f in dataclasses.fields(obj) if f.repr):  # type: ignore[arg-type]
                parts += [_Lit(f"{', ' if i else ''}{f.name}=")]
                parts.append(getattr(obj, f.name))
            parts.append(_Lit(")"))
            stack.extend(reversed(parts))
        else:
            out.append(repr(obj))
    return "".join(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class Atomic:
    """``Atomic``: ``CmdID, NoResp?, Meta?, (command)+``.

    DTD choice: Add, Delete, Copy, Atomic, Replace, Sequence, Get, Exec, Alert
    (OMA DM further forbids Get, Exec and nested Atomic; see :func:`syncml.check`).
    """

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    meta: Meta | None = None
    commands: tuple[Command, ...]
    unknown: tuple[Unknown, ...] = ()

    def __repr__(self) -> str:
        return _nested_repr(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sequence:
    """``Sequence``: ``CmdID, NoResp?, Meta?, (command)+``.

    DTD choice: Add, Replace, Delete, Copy, Atomic, Get, Alert, Exec.
    """

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    meta: Meta | None = None
    commands: tuple[Command, ...]
    unknown: tuple[Unknown, ...] = ()

    def __repr__(self) -> str:
        return _nested_repr(self)


#: The classes that nest into themselves, whose repr is built by a loop.
_NESTED: frozenset[type] = frozenset({Atomic, Sequence})


# --- Data synchronization (SyncML DS) ------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """``Field``: ``Item`` (DS 1.2 Filter: the field-level filter)."""

    item: Item
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """``Record``: ``Item`` (DS 1.2 Filter: the record-level filter)."""

    item: Item
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Filter:
    """``Filter``: ``Meta, Field?, Record?, FilterType?`` (DS 1.2, inside ``Target``)."""

    meta: Meta
    field: Field | None = None
    record: Record | None = None
    filter_type: str | None = None
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Put:
    """``Put``: ``CmdID, NoResp?, Lang?, Cred?, Meta?, Item+`` (DS: a peer's DevInf)."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    lang: str | None = None
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Move:
    """``Move``: ``CmdID, NoResp?, Cred?, Meta?, Item+`` (DS 1.2: an item to a new parent)."""

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    items: tuple[Item, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MapItem:
    """``MapItem``: ``Target, Source``: the server's id (GUID) and the client's (LUID) of one item."""

    target: Target
    source: Source
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Map:
    """``Map``: ``CmdID, Target, Source, Cred?, Meta?, MapItem+`` (DS: the client's id mapping)."""

    cmd_id: str = UNNUMBERED
    target: Target
    source: Source
    cred: Cred | None = None
    meta: Meta | None = None
    map_items: tuple[MapItem, ...]
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Search:
    """``Search``: ``CmdID, NoResp?, NoResults?, Cred?, Target?, Source+, Lang?, Meta, Data`` (DS).

    ``data`` is the query, kept exactly as written.
    """

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    no_results: bool = False
    cred: Cred | None = None
    target: Target | None = None
    sources: tuple[Source, ...]
    lang: str | None = None
    meta: Meta
    data: str
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Sync:
    """``Sync``: ``CmdID, NoResp?, Cred?, Target?, Source?, Meta?, NumberOfChanges?, (command)*`` (DS).

    One datastore's changes: DTD choice Add, Atomic, Copy, Delete, Move,
    Replace, Sequence.  ``Target`` and ``Source`` name the datastores (the
    receiver's first).
    """

    cmd_id: str = UNNUMBERED
    no_resp: bool = False
    cred: Cred | None = None
    target: Target | None = None
    source: Source | None = None
    meta: Meta | None = None
    number_of_changes: str | None = None
    commands: tuple[Command, ...] = ()
    unknown: tuple[Unknown, ...] = ()

    @property
    def number_of_changes_int(self) -> int | None:
        """``NumberOfChanges`` as a number, or None when absent."""
        return _as_opt_int(self.number_of_changes, "Sync/NumberOfChanges")


Command: TypeAlias = (
    Alert | Status | Results | Get | Add | Replace | Delete | Copy | Exec | Atomic | Sequence
    | Put | Map | Search | Sync | Move
)  # fmt: skip
"""Any command that may appear in a SyncBody, Atomic, Sequence or Sync."""


def wire_name(command: Command) -> str:
    """The element name ``command`` is written as (``"Alert"``, ``"Atomic"`` ...).

    It is the name a ``Status`` or ``Results`` gives in ``Cmd`` for this
    command.  Each command class is named as its element; the grammar
    (``syncml._grammar``) refuses at import a command whose class and element
    names differ, so this is the grammar's name.
    """
    return type(command).__name__


# --- Envelope ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncHdr:
    """``SyncHdr``: ``VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI?, NoResp?, Cred?, Meta?``.

    ``ver_dtd`` also picks the root namespace on output: ``1.1`` writes
    ``SYNCML:SYNCML1.1``, ``1.2`` writes ``SYNCML:SYNCML1.2``.
    """

    ver_dtd: str = "1.2"
    ver_proto: str = "DM/1.2"
    session_id: str
    msg_id: str
    target: Target
    source: Source
    resp_uri: str | None = None
    no_resp: bool = False
    cred: Cred | None = None
    meta: Meta | None = None
    unknown: tuple[Unknown, ...] = ()

    @property
    def msg_id_int(self) -> int:
        """``MsgID`` as a number."""
        return _as_int(self.msg_id, "SyncHdr/MsgID")

    @classmethod
    def empty(cls, ver_dtd: str = "1.2") -> SyncHdr:
        """The header of an empty ``<SyncHdr/>``, as Windows' local MDM API writes and reads it.

        Every field is empty but ``ver_dtd``, which keeps the version of the
        root namespace (1.2 when it has none) so the message is written back
        in it.  The encoders write this value, and only this one, as
        ``<SyncHdr/>``; a lenient parse reads ``<SyncHdr/>`` as it, with the
        ``empty-synchdr`` quirk.  Nothing in it names a session to answer.
        """
        return cls(
            ver_dtd=ver_dtd,
            ver_proto="",
            session_id="",
            msg_id="",
            target=Target(loc_uri=""),
            source=Source(loc_uri=""),
        )

    @property
    def is_empty(self) -> bool:
        """Whether this is :meth:`empty` (written as ``<SyncHdr/>``)."""
        return not self.msg_id and self == SyncHdr.empty(self.ver_dtd)


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncBody:
    """``SyncBody``: ``(command)+, Final?``; ``commands`` is in wire order.

    ``namespaces`` keeps prefixed declarations written on SyncBody, such as
    the ``xmlns:msft`` that Windows adds from SyncApplicationVersion 3.0.
    """

    commands: tuple[Command, ...]
    final: bool = False
    namespaces: Namespaces = ()
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncML:
    """``SyncML``: ``SyncHdr, SyncBody``, the whole message.

    ``quirks`` lists what a lenient parse tolerated (a wrong MetInf
    namespace, whitespace around values ...).  It is not part of the value:
    two messages that differ only in quirks compare equal.
    """

    header: SyncHdr
    body: SyncBody
    namespaces: Namespaces = ()
    quirks: tuple[Quirk, ...] = field(default=(), compare=False, repr=False)


class Commands(tuple[Command, ...]):
    """The commands of a fragment, in wire order, as :func:`syncml.parse_commands` returns them.

    A plain tuple (it compares equal to one) that also carries ``quirks``:
    what a lenient parse tolerated, as on :attr:`SyncML.quirks`.
    """

    quirks: tuple[Quirk, ...]

    def __new__(cls, commands: Iterable[Command] = (), quirks: tuple[Quirk, ...] = ()) -> Commands:
        self = super().__new__(cls, commands)
        self.quirks = quirks
        return self
