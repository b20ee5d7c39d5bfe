"""SyncML DS: data synchronization on the same codec as OMA DM.

:mod:`syncml.ds.devinf` holds the DevInf 1.1/1.2 document (a DS device's
capabilities) as typed values with its own XML and WBXML codec.  The name
``syncml.devinfo`` was taken by the DM ``./DevInfo`` node reader, so the DS
document lives here, under ``syncml.ds``.
"""

from __future__ import annotations

from ._devinf_codec import parse_devinf, serialize_devinf
from .devinf import (
    CTCap,
    DataStore,
    DevInf,
    DSMem,
    Ext,
    FilterCap,
    FlatCTCap,
    FlatCTType,
    FlatParam,
    FlatProperty,
    Property,
    PropParam,
    SyncCap,
    Xmit,
)
from .items import DEVINF_WBXML_TYPE, DEVINF_XML_TYPE, devinf_item, devinf_of, devinfs

__all__ = [
    "DEVINF_WBXML_TYPE",
    "DEVINF_XML_TYPE",
    "CTCap",
    "DSMem",
    "DataStore",
    "DevInf",
    "Ext",
    "FilterCap",
    "FlatCTCap",
    "FlatCTType",
    "FlatParam",
    "FlatProperty",
    "PropParam",
    "Property",
    "SyncCap",
    "Xmit",
    "devinf_item",
    "devinf_of",
    "devinfs",
    "parse_devinf",
    "serialize_devinf",
]
