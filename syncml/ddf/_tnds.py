"""TNDS documents carried in a message: typed access from an Item, and the Item to send one.

OMA DM carries a TNDS document in Item Data with Meta Type
``application/vnd.syncml.dmtnds+xml`` (DM_TND 1.2, 7; a ``Get`` with
``?list=Struct`` and friends returns one in Results, and an ``Add`` may
create a subtree from one).  Over XML the document is inline markup, a CDATA
section or escaped text; all three read the same here.  The ``+wbxml`` form
(an embedded WBXML document) is refused with status 415.
"""

from __future__ import annotations

from .. import model as m
from ..errors import DecodeError
from ..limits import DEFAULT_LIMITS, Limits
from ._load import load
from ._model import MgmtTree
from ._write import write

__all__ = ["TNDS_TYPE", "TNDS_WBXML_TYPE", "tnds_item", "tnds_of"]

TNDS_TYPE = "application/vnd.syncml.dmtnds+xml"
TNDS_WBXML_TYPE = "application/vnd.syncml.dmtnds+wbxml"
_WS = " \t\r\n"


def tnds_of(item: m.Item, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> MgmtTree | None:
    """The TNDS tree *item* carries, or None when its Meta Type does not say TNDS.

    Raises :class:`syncml.DecodeError` when the Item says TNDS but its Data
    is not a TNDS document.
    """
    kind = (item.meta.type or "").strip(_WS) if item.meta is not None else ""
    if kind == TNDS_WBXML_TYPE:
        raise DecodeError("TNDS in WBXML is not supported; ask for application/vnd.syncml.dmtnds+xml", status=415)
    if kind != TNDS_TYPE:
        return None
    if item.data is None:
        raise DecodeError("the Item says TNDS but has no Data", path="Item/Data")
    return load(item.text or "", strict=strict, limits=limits)


def tnds_item(tree: MgmtTree, *, target: str | None = None, source: str | None = None) -> m.Item:
    """An Item carrying *tree* as TNDS text (escaped by the serializer), Meta Format xml."""
    return m.Item(
        target=m.Target(loc_uri=target) if target is not None else None,
        source=m.Source(loc_uri=source) if source is not None else None,
        meta=m.Meta(format="xml", type=TNDS_TYPE),
        data=write(tree, declaration=False),
    )
