"""DevInf carried in a message: read from the Items of Put and Results, written back.

A DS peer sends its DevInf in a ``Put`` (or in the ``Results`` answering a
``Get`` of ``./devinf12``); each Item's Data holds the document, and the
Meta Type, on the command or on the Item, says which form:
``application/vnd.syncml-devinf+xml`` for XML inline in Data,
``application/vnd.syncml-devinf+wbxml`` for a nested WBXML document.  The
message codec reads a nested WBXML DevInf as markup already, so both arrive
as :class:`~syncml.Markup`; a document escaped as text, in CDATA, or kept as
binary is read too.

Real peers get the type wrong (``+wbxml`` on an XML message, a plain
``text/xml``, none at all).  An Item whose Data is a DevInf document under
another type is read leniently with a ``devinf-meta-type`` quirk, and
refused when strict.

>>> from syncml import ds, model as m
>>> doc = ds.DevInf(dev_id="D", dev_typ="pc", data_stores=(ds.DataStore(
...     source_ref="a", rx_pref=ds.Xmit(ct_type="t", ver_ct="1"), tx_pref=ds.Xmit(ct_type="t", ver_ct="1"),
...     sync_cap=ds.SyncCap(sync_types=("1",))),))
>>> item = ds.devinf_item(doc)
>>> item.source.loc_uri, item.meta.type
('./devinf12', 'application/vnd.syncml-devinf+xml')
>>> ds.devinf_of(item) == doc
True
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import model as m
from .._quirks import Quirk, QuirkKind
from .._walk import CommandSource, walk
from ..errors import DecodeError
from ..limits import DEFAULT_LIMITS, Limits
from ._devinf_codec import parse_devinf, serialize_devinf
from .devinf import DevInf

__all__ = ["DEVINF_TYPES", "DEVINF_WBXML_TYPE", "DEVINF_XML_TYPE", "devinf_item", "devinf_of", "devinfs"]

DEVINF_XML_TYPE = "application/vnd.syncml-devinf+xml"
DEVINF_WBXML_TYPE = "application/vnd.syncml-devinf+wbxml"
DEVINF_TYPES = frozenset({DEVINF_XML_TYPE, DEVINF_WBXML_TYPE})
#: Where DS puts the DevInf of each version.
DEVINF_URIS = {"1.2": "./devinf12", "1.1": "./devinf11", "1.0": "./devinf10"}
_WS = " \t\r\n"


def _type_of(item: m.Item, command_meta: m.Meta | None) -> str | None:
    # An Item's own Meta overrides the command's, element by element.
    for meta in (item.meta, command_meta):
        if meta is not None and meta.type is not None:
            return meta.type.strip(_WS).lower()
    return None


def _document(data: m.Data | None) -> bytes | str | None:
    if isinstance(data, m.Markup):
        return data.xml
    if isinstance(data, m.CData):
        return data.text
    if isinstance(data, m.Opaque):
        return data.data
    return data


def _looks_like_devinf(document: bytes | str) -> bool:
    head = document[:64]
    if isinstance(head, bytes):
        return head[:1] in (b"\x01", b"\x02", b"\x03") or b"<DevInf" in head
    return "<DevInf" in head


def devinf_of(
    item: m.Item, *, command_meta: m.Meta | None = None, strict: bool = False, limits: Limits = DEFAULT_LIMITS
) -> DevInf | None:
    """The DevInf an Item carries, or None when it carries none.

    *command_meta* is the Meta of the command around the Item (Put and
    Results carry the type there as often as on the Item).  A document that
    does not parse is a :class:`~syncml.DecodeError` whose path starts at
    the DevInf root.
    """
    document = _document(item.data)
    if document is None:
        return None
    declared = _type_of(item, command_meta)
    if declared not in DEVINF_TYPES:
        if not _looks_like_devinf(document):
            return None
        message = f"a DevInf document under Meta Type {declared!r}"
        if strict:
            raise DecodeError(message, path="Item/Meta/Type")
        devinf = parse_devinf(document, strict=False, limits=limits)
        quirk = Quirk(kind=QuirkKind.DEVINF_META_TYPE, message=message, path="Item/Meta/Type")
        return _with_quirk(devinf, quirk)
    return parse_devinf(document, strict=strict, limits=limits)


def _with_quirk(devinf: DevInf, quirk: Quirk) -> DevInf:
    return dataclasses.replace(devinf, quirks=(quirk, *devinf.quirks))


def devinfs(source: CommandSource, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> tuple[DevInf, ...]:
    """Every DevInf carried by a Put or Results of *source*, in wire order."""
    found: list[DevInf] = []
    for located in walk(source):
        command: Any = located.command
        if m.wire_name(command) not in ("Put", "Results"):
            continue
        for item in command.items:
            devinf = devinf_of(item, command_meta=command.meta, strict=strict, limits=limits)
            if devinf is not None:
                found.append(devinf)
    return tuple(found)


def devinf_item(devinf: DevInf, *, source: str | None = None, wbxml_type: bool = False) -> m.Item:
    """The Item that carries *devinf*: ``Source/LocURI`` ``./devinf12`` (by version), Meta Type, markup Data.

    ``wbxml_type`` sets the Meta Type to the ``+wbxml`` form, which a
    message sent as WBXML carries (its encoder nests the document as WBXML).
    """
    uri = source if source is not None else DEVINF_URIS.get(devinf.ver_dtd, "./devinf12")
    return m.Item(
        source=m.Source(loc_uri=uri),
        meta=m.Meta(type=DEVINF_WBXML_TYPE if wbxml_type else DEVINF_XML_TYPE),
        data=m.Markup(xml=serialize_devinf(devinf).decode("utf-8")),
    )
