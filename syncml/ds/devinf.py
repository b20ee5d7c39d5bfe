"""SyncML DevInf 1.1 and 1.2: what a data-sync device says it can do, as typed values.

A DS client sends its device information (DevInf) in a ``Put`` of package 1,
and answers a server's ``Get`` of ``./devinf12`` (or ``./devinf11``) with a
``Results``; the server sends its own the same way.  The document has its own
DTD and namespace, ``syncml:devinf``, and travels inside ``Item/Data``, as
XML (Meta Type ``application/vnd.syncml-devinf+xml``) or as a nested WBXML
document (``...+wbxml``, public id 0x1203 for 1.2, 0x0FD4 for 1.1).

Content models, in DTD order (DevInf 1.2; what 1.1 lacks is marked)::

    DevInf     VerDTD, Man?, Mod?, OEM?, FwV?, SwV?, HwV?, DevID, DevTyp, UTC?,
               SupportLargeObjs?, SupportNumberOfChanges?, DataStore+, CTCap*, Ext*
    DataStore  SourceRef, DisplayName?, MaxGUIDSize?, Rx-Pref, Rx*, Tx-Pref, Tx*,
               CTCap* (1.2), DSMem?, SupportHierarchicalSync? (1.2), SyncCap,
               Filter-Rx* (1.2), FilterCap* (1.2)
    Rx-Pref, Rx, Tx-Pref, Tx, Filter-Rx   CTType, VerCT
    DSMem      SharedMem?, MaxMem?, MaxID?
    SyncCap    SyncType+
    FilterCap  CTType, VerCT, FilterKeyword*, PropName*                   (1.2)
    Ext        XNam, XVal*
    CTCap 1.2  CTType, VerCT, FieldLevel?, Property+                      (in DataStore)
    Property   PropName, DataType?, MaxOccur?, MaxSize?, NoTruncate?, ValEnum*,
               DisplayName?, PropParam*
    PropParam  ParamName, DataType?, ValEnum*, DisplayName?
    CTCap 1.1  (CTType, (PropName, ValEnum*, DataType?, Size?, DisplayName?,
               (ParamName, ValEnum*, DataType?, Size?, DisplayName?)*)+)+  (in DevInf)

Sources: the element order of DataStore, DSMem, the transmit pairs,
FilterCap and the 1.2 CTCap from the Synthesis toolkit's ``smldevinfdtd.h``
(SyncEvolution's libsynthesis) and Nokia's Symbian ``smldtd`` DevInf
structures, which mark the 1.2 changes; the token values from libwbxml's
``wbxml_tables.c``.  The DevInf DTD text itself was not
found in public; ``docs/ds.md`` lists the content models as [R], recalled and
corroborated by those implementations.

The 1.1 CTCap is a flat list in which each CTType, PropName and ParamName
opens a group; :class:`FlatCTCap` holds it as those groups.  The 1.2 CTCap
nests the same facts (:class:`CTCap`, :class:`Property`,
:class:`PropParam`).  Either form is read where it is found, and written
back as it was read.  Values are kept as written: numbers (MaxGUIDSize,
MaxMem, MaxID, MaxSize, MaxOccur, Size, SyncType) are strings with ``*_int``
views.

>>> from syncml import ds as di
>>> doc = di.DevInf(
...     ver_dtd="1.2", dev_id="IMEI:490154203237518", dev_typ="phone",
...     data_stores=(di.DataStore(
...         source_ref="./contacts",
...         rx_pref=di.Xmit(ct_type="text/vcard", ver_ct="3.0"),
...         tx_pref=di.Xmit(ct_type="text/vcard", ver_ct="3.0"),
...         sync_cap=di.SyncCap(sync_types=("1", "2")),
...     ),),
... )
>>> di.parse_devinf(di.serialize_devinf(doc)) == doc
True
>>> di.parse_devinf(di.serialize_devinf(doc, wbxml=True)) == doc
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from .._numbers import read_uint

if TYPE_CHECKING:
    from .._quirks import Quirk

__all__ = [
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
]

#: SyncCap SyncType values (DS 1.2): 1 two-way, 2 slow sync, 3 one-way from
#: client, 4 refresh from client, 5 one-way from server, 6 refresh from server,
#: 7 server-alerted sync.  Alert code = 199 + SyncType for 1 to 6.
SYNC_TYPES = {
    "1": "two-way",
    "2": "slow sync",
    "3": "one-way from client",
    "4": "refresh from client",
    "5": "one-way from server",
    "6": "refresh from server",
    "7": "server-alerted sync",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Xmit:
    """``Rx-Pref``, ``Rx``, ``Tx-Pref``, ``Tx`` or ``Filter-Rx``: ``CTType, VerCT``."""

    ct_type: str
    ver_ct: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DSMem:
    """``DSMem``: ``SharedMem?, MaxMem?, MaxID?``."""

    shared_mem: bool = False
    max_mem: str | None = None
    max_id: str | None = None

    @property
    def max_mem_int(self) -> int | None:
        """``MaxMem`` in bytes, or None."""
        return None if self.max_mem is None else read_uint(self.max_mem, "DSMem/MaxMem")

    @property
    def max_id_int(self) -> int | None:
        """``MaxID``, the most items the datastore holds, or None."""
        return None if self.max_id is None else read_uint(self.max_id, "DSMem/MaxID")


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncCap:
    """``SyncCap``: ``SyncType+`` (see :data:`SYNC_TYPES`)."""

    sync_types: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterCap:
    """``FilterCap`` (1.2): ``CTType, VerCT, FilterKeyword*, PropName*``."""

    ct_type: str
    ver_ct: str
    filter_keywords: tuple[str, ...] = ()
    prop_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Ext:
    """``Ext``: ``XNam, XVal*``, a vendor extension."""

    x_nam: str
    x_vals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PropParam:
    """``PropParam`` (1.2): ``ParamName, DataType?, ValEnum*, DisplayName?``."""

    param_name: str
    data_type: str | None = None
    val_enums: tuple[str, ...] = ()
    display_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """``Property`` (1.2).

    ``PropName, DataType?, MaxOccur?, MaxSize?, NoTruncate?, ValEnum*, DisplayName?, PropParam*``.
    """

    prop_name: str
    data_type: str | None = None
    max_occur: str | None = None
    max_size: str | None = None
    no_truncate: bool = False
    val_enums: tuple[str, ...] = ()
    display_name: str | None = None
    params: tuple[PropParam, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CTCap:
    """``CTCap`` in its 1.2 form: ``CTType, VerCT, FieldLevel?, Property+``."""

    ct_type: str
    ver_ct: str
    field_level: bool = False
    properties: tuple[Property, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlatParam:
    """A 1.1 parameter group: ``ParamName, ValEnum*, DataType?, Size?, DisplayName?``."""

    param_name: str
    val_enums: tuple[str, ...] = ()
    data_type: str | None = None
    size: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FlatProperty:
    """A 1.1 property group: ``PropName, ValEnum*, DataType?, Size?, DisplayName?``, then its parameters."""

    prop_name: str
    val_enums: tuple[str, ...] = ()
    data_type: str | None = None
    size: str | None = None
    display_name: str | None = None
    params: tuple[FlatParam, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FlatCTType:
    """A 1.1 content-type group: ``CTType`` and the properties that follow it."""

    ct_type: str
    properties: tuple[FlatProperty, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlatCTCap:
    """``CTCap`` in its 1.1 flat form: one or more content-type groups."""

    types: tuple[FlatCTType, ...]


AnyCTCap: TypeAlias = CTCap | FlatCTCap
"""A CTCap in either form."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DataStore:
    """``DataStore``: one datastore and what it can take (content model in the module docstring)."""

    source_ref: str
    display_name: str | None = None
    max_guid_size: str | None = None
    rx_pref: Xmit
    rx: tuple[Xmit, ...] = ()
    tx_pref: Xmit
    tx: tuple[Xmit, ...] = ()
    ctcaps: tuple[AnyCTCap, ...] = ()
    ds_mem: DSMem | None = None
    support_hierarchical_sync: bool = False
    sync_cap: SyncCap
    filter_rx: tuple[Xmit, ...] = ()
    filter_caps: tuple[FilterCap, ...] = ()

    @property
    def max_guid_size_int(self) -> int | None:
        """``MaxGUIDSize`` in bytes, or None."""
        return None if self.max_guid_size is None else read_uint(self.max_guid_size, "DataStore/MaxGUIDSize")


@dataclass(frozen=True, slots=True, kw_only=True)
class DevInf:
    """``DevInf``: the device and its datastores.

    ``ctcaps`` is the DevInf-level CTCap list of DevInf 1.1 (1.2 puts
    CTCap in each DataStore).  ``quirks`` lists what a lenient parse
    tolerated; it is not part of the value.
    """

    ver_dtd: str = "1.2"
    man: str | None = None
    mod: str | None = None
    oem: str | None = None
    fw_v: str | None = None
    sw_v: str | None = None
    hw_v: str | None = None
    dev_id: str
    dev_typ: str
    utc: bool = False
    support_large_objs: bool = False
    support_number_of_changes: bool = False
    data_stores: tuple[DataStore, ...]
    ctcaps: tuple[AnyCTCap, ...] = ()
    exts: tuple[Ext, ...] = ()
    quirks: tuple[Quirk, ...] = field(default=(), compare=False, repr=False)
