"""The DevInf content models, once, and the walk between them and a neutral tree.

Both wire forms read into the same :class:`Node` tree (name, text, children
and where the element started: line and column for XML, byte offset for
WBXML) and are written from it, so the content models, the order and
cardinality checks and the quirks live here only.  :data:`SPECS` lists each
model class's children in DTD order; the 1.1 flat CTCap, whose groups are
opened by a CTType, PropName or ParamName rather than by an element, has its
own small reader and writer below.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from .._numbers import is_uint
from .._quirks import Quirk, QuirkKind
from ..errors import DecodeError, EncodeError
from . import devinf as d

NS_DEVINF = "syncml:devinf"
VERSIONS = ("1.0", "1.1", "1.2")
#: What XML calls whitespace: what a lenient parse strips around a value.
WS = " \t\r\n"


class Kind(Enum):
    TEXT = "text"  # #PCDATA, kept as written
    NUM = "num"  # #PCDATA that strict parsing holds to decimal digits
    FLAG = "flag"  # EMPTY, held as a bool
    NODE = "node"  # an element with its own model class
    CTCAP = "ctcap"  # a CTCap in either form


class Row(NamedTuple):
    name: str
    field: str
    kind: Kind
    repeats: bool
    required: bool
    cls: type | None = None


def _rows(*rows: tuple[str, str, Kind, str, type | None]) -> tuple[Row, ...]:
    return tuple(Row(n, f, k, occ in "*+", occ in "1+", cls) for n, f, k, occ, cls in rows)


T, N, F, NODE, CT = Kind.TEXT, Kind.NUM, Kind.FLAG, Kind.NODE, Kind.CTCAP
_XMIT = (("CTType", "ct_type", T, "1", None), ("VerCT", "ver_ct", T, "1", None))

SPECS: dict[type, tuple[Row, ...]] = {
    d.Xmit: _rows(*_XMIT),
    d.DSMem: _rows(
        ("SharedMem", "shared_mem", F, "?", None),
        ("MaxMem", "max_mem", N, "?", None),
        ("MaxID", "max_id", N, "?", None),
    ),
    d.SyncCap: _rows(("SyncType", "sync_types", N, "+", None)),
    d.FilterCap: _rows(
        *_XMIT, ("FilterKeyword", "filter_keywords", T, "*", None), ("PropName", "prop_names", T, "*", None)
    ),
    d.Ext: _rows(("XNam", "x_nam", T, "1", None), ("XVal", "x_vals", T, "*", None)),
    d.PropParam: _rows(
        ("ParamName", "param_name", T, "1", None),
        ("DataType", "data_type", T, "?", None),
        ("ValEnum", "val_enums", T, "*", None),
        ("DisplayName", "display_name", T, "?", None),
    ),
    d.Property: _rows(
        ("PropName", "prop_name", T, "1", None),
        ("DataType", "data_type", T, "?", None),
        ("MaxOccur", "max_occur", N, "?", None),
        ("MaxSize", "max_size", N, "?", None),
        ("NoTruncate", "no_truncate", F, "?", None),
        ("ValEnum", "val_enums", T, "*", None),
        ("DisplayName", "display_name", T, "?", None),
        ("PropParam", "params", NODE, "*", d.PropParam),
    ),
    d.CTCap: _rows(
        *_XMIT, ("FieldLevel", "field_level", F, "?", None), ("Property", "properties", NODE, "+", d.Property)
    ),
    d.DataStore: _rows(
        ("SourceRef", "source_ref", T, "1", None),
        ("DisplayName", "display_name", T, "?", None),
        ("MaxGUIDSize", "max_guid_size", N, "?", None),
        ("Rx-Pref", "rx_pref", NODE, "1", d.Xmit),
        ("Rx", "rx", NODE, "*", d.Xmit),
        ("Tx-Pref", "tx_pref", NODE, "1", d.Xmit),
        ("Tx", "tx", NODE, "*", d.Xmit),
        ("CTCap", "ctcaps", CT, "*", None),
        ("DSMem", "ds_mem", NODE, "?", d.DSMem),
        ("SupportHierarchicalSync", "support_hierarchical_sync", F, "?", None),
        ("SyncCap", "sync_cap", NODE, "1", d.SyncCap),
        ("Filter-Rx", "filter_rx", NODE, "*", d.Xmit),
        ("FilterCap", "filter_caps", NODE, "*", d.FilterCap),
    ),
    d.DevInf: _rows(
        ("VerDTD", "ver_dtd", T, "1", None),
        ("Man", "man", T, "?", None),
        ("Mod", "mod", T, "?", None),
        ("OEM", "oem", T, "?", None),
        ("FwV", "fw_v", T, "?", None),
        ("SwV", "sw_v", T, "?", None),
        ("HwV", "hw_v", T, "?", None),
        ("DevID", "dev_id", T, "1", None),
        ("DevTyp", "dev_typ", T, "1", None),
        ("UTC", "utc", F, "?", None),
        ("SupportLargeObjs", "support_large_objs", F, "?", None),
        ("SupportNumberOfChanges", "support_number_of_changes", F, "?", None),
        ("DataStore", "data_stores", NODE, "+", d.DataStore),
        ("CTCap", "ctcaps", CT, "*", None),
        ("Ext", "exts", NODE, "*", d.Ext),
    ),
}
BY_NAME = {cls: {row.name: (i, row) for i, row in enumerate(rows)} for cls, rows in SPECS.items()}

#: The 1.1 flat CTCap's leaves, in the order each group holds them.
_FLAT_LEAVES = ("ValEnum", "DataType", "Size", "DisplayName")
_FLAT_NAMES = frozenset({"CTType", "PropName", "ParamName", *_FLAT_LEAVES})
#: Every element name a DevInf document may hold.
NAMES = frozenset(row.name for rows in SPECS.values() for row in rows) | _FLAT_NAMES | {"DevInf"}


@dataclass(slots=True)
class Node:
    """One element: its name, its text (all character data, children or not), its children, where it starts."""

    name: str
    text: str = ""
    children: list[Node] = field(default_factory=list)
    line: int | None = None
    column: int | None = None
    offset: int | None = None


# --- reading ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Reading:
    """One decode's options and what it tolerated."""

    strict: bool
    quirks: list[Quirk] = field(default_factory=list)

    def error(self, reason: str, node: Node, path: str, status: int = 400) -> DecodeError:
        return DecodeError(reason, line=node.line, column=node.column, offset=node.offset, path=path, status=status)

    def quirk(self, kind: QuirkKind, message: str, node: Node, path: str) -> None:
        if self.strict:
            raise self.error(message, node, path)
        self.quirks.append(Quirk(kind=kind, message=message, path=path, line=node.line, offset=node.offset))


def read_devinf(root: Node, reading: Reading) -> d.DevInf:
    """The DevInf model of a tree whose root is a ``DevInf`` element."""
    devinf = _read(root, d.DevInf, reading, "DevInf")
    assert isinstance(devinf, d.DevInf)
    if devinf.ver_dtd not in VERSIONS:
        reading.quirk(
            QuirkKind.VERSION_MISMATCH,
            f"DevInf VerDTD {devinf.ver_dtd!r} is not 1.0, 1.1 or 1.2",
            root,
            "DevInf/VerDTD",
        )
    _check_ctcap_forms(devinf, root, reading)
    return dataclasses.replace(devinf, quirks=tuple(reading.quirks))


def _check_ctcap_forms(devinf: d.DevInf, root: Node, reading: Reading) -> None:
    # DevInf 1.1 lists CTCap after the datastores, in the flat form; 1.2
    # moved it into each DataStore, nested.  Real devices mix them.
    nested = devinf.ver_dtd == "1.2"
    if devinf.ctcaps and nested:
        reading.quirk(
            QuirkKind.VERSION_MISMATCH, "CTCap outside DataStore in a DevInf 1.2 document", root, "DevInf/CTCap"
        )
    for index, store in enumerate(devinf.data_stores, 1):
        if store.ctcaps and not nested:
            path = f"DevInf/DataStore[{index}]/CTCap"
            reading.quirk(
                QuirkKind.VERSION_MISMATCH, f"CTCap in DataStore in a DevInf {devinf.ver_dtd} document", root, path
            )
    for cap in (*devinf.ctcaps, *(c for s in devinf.data_stores for c in s.ctcaps)):
        if isinstance(cap, d.FlatCTCap) == nested:
            form = "1.1 flat" if nested else "1.2 nested"
            reading.quirk(
                QuirkKind.VERSION_MISMATCH, f"a {form} CTCap in a DevInf {devinf.ver_dtd} document", root, "DevInf"
            )


def _element_only(node: Node, reading: Reading, path: str) -> None:
    if node.text.strip(WS):
        reading.quirk(QuirkKind.STRAY_TEXT, f"text {_shown(node.text.strip(WS))} between elements", node, path)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _read(node: Node, cls: type, reading: Reading, path: str) -> Any:
    _element_only(node, reading, path)
    table = BY_NAME[cls]
    values: dict[str, Any] = {}
    counts: dict[str, int] = {}
    last = -1
    for child in node.children:
        found = table.get(child.name)
        count = counts.get(child.name, 0) + 1
        counts[child.name] = count
        child_path = f"{path}/{child.name}" + (f"[{count}]" if found and found[1].repeats else "")
        if found is None:
            raise reading.error(f"unknown element <{child.name}> in <{node.name}>", child, child_path)
        index, row = found
        if index < last:
            reading.quirk(QuirkKind.CHILD_ORDER, f"<{child.name}> out of DTD order in <{node.name}>", child, child_path)
        last = max(last, index)
        if not row.repeats and count > 1:
            raise reading.error(f"<{child.name}> appears more than once in <{node.name}>", child, child_path)
        value = _value(child, row, reading, child_path)
        if row.repeats:
            values.setdefault(row.field, []).append(value)
        else:
            values[row.field] = value
    for row in SPECS[cls]:
        if row.required and row.field not in values:
            raise reading.error(f"<{node.name}> lacks <{row.name}>", node, path)
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def _value(node: Node, row: Row, reading: Reading, path: str) -> Any:
    if row.kind is Kind.NODE:
        assert row.cls is not None
        return _read(node, row.cls, reading, path)
    if row.kind is Kind.CTCAP:
        return _read_ctcap(node, reading, path)
    if node.children:
        raise reading.error(f"<{node.name}> must hold text, not <{node.children[0].name}>", node.children[0], path)
    if row.kind is Kind.FLAG:
        if node.text.strip(WS):
            raise reading.error(f"<{node.name}> must be empty", node, path)
        if node.text:
            reading.quirk(QuirkKind.VALUE_WHITESPACE, f"whitespace inside the empty <{node.name}>", node, path)
        return True
    return _text(node, row.kind, reading, path)


def _text(node: Node, kind: Kind, reading: Reading, path: str) -> str:
    text = node.text
    stripped = text.strip(WS)
    if stripped != text:
        reading.quirk(QuirkKind.VALUE_WHITESPACE, f"whitespace around {_shown(stripped)}", node, path)
    if kind is Kind.NUM and reading.strict and not is_uint(stripped):
        raise reading.error(f"<{node.name}> {_shown(stripped)} is not a decimal number", node, path)
    return stripped


def _read_ctcap(node: Node, reading: Reading, path: str) -> d.AnyCTCap:
    names = {child.name for child in node.children}
    if "Property" in names or "VerCT" in names:
        cap: d.CTCap = _read(node, d.CTCap, reading, path)
        return cap
    return _read_flat(node, reading, path)


class _FlatGroup:
    """One group being read: its fields so far and the position of the last leaf."""

    __slots__ = ("fields", "last", "params", "properties")

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields
        self.last = -1
        self.properties: list[_FlatGroup] = []
        self.params: list[_FlatGroup] = []


def _read_flat(node: Node, reading: Reading, path: str) -> d.FlatCTCap:
    _element_only(node, reading, path)
    types: list[_FlatGroup] = []
    prop: _FlatGroup | None = None
    group: _FlatGroup | None = None  # where the next leaf goes: a property or a parameter
    for child in node.children:
        child_path = f"{path}/{child.name}"
        if child.name not in _FLAT_NAMES:
            raise reading.error(f"unknown element <{child.name}> in <CTCap>", child, child_path)
        if child.children:
            raise reading.error(f"<{child.name}> must hold text", child.children[0], child_path)
        text = _text(child, Kind.NUM if child.name == "Size" else Kind.TEXT, reading, child_path)
        if child.name == "CTType":
            types.append(_FlatGroup({"ct_type": text}))
            prop = group = None
            continue
        if not types:
            raise reading.error(f"<{child.name}> before the first <CTType> of a CTCap", child, child_path)
        if child.name == "PropName":
            prop = group = _FlatGroup({"prop_name": text})
            types[-1].properties.append(prop)
        elif child.name == "ParamName":
            if prop is None:
                raise reading.error("<ParamName> before any <PropName> of its CTType", child, child_path)
            group = _FlatGroup({"param_name": text})
            prop.params.append(group)
        elif group is None:
            raise reading.error(f"<{child.name}> before any <PropName> of its CTType", child, child_path)
        else:
            _flat_leaf(group, child, text, reading, child_path)
    for flat in types:
        if not flat.properties:
            raise reading.error(f"CTType {flat.fields['ct_type']!r} has no <PropName>", node, path)
    return d.FlatCTCap(types=tuple(_flat_type(flat) for flat in types))


def _flat_leaf(group: _FlatGroup, child: Node, text: str, reading: Reading, path: str) -> None:
    index = _FLAT_LEAVES.index(child.name)
    if index < group.last:
        reading.quirk(QuirkKind.CHILD_ORDER, f"<{child.name}> out of DTD order in CTCap", child, path)
    group.last = max(group.last, index)
    if child.name == "ValEnum":
        group.fields.setdefault("val_enums", []).append(text)
        return
    key = {"DataType": "data_type", "Size": "size", "DisplayName": "display_name"}[child.name]
    if key in group.fields:
        raise reading.error(f"<{child.name}> appears twice in one CTCap group", child, path)
    group.fields[key] = text


def _frozen(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}


def _flat_type(flat: _FlatGroup) -> d.FlatCTType:
    properties = tuple(
        d.FlatProperty(**_frozen(prop.fields), params=tuple(d.FlatParam(**_frozen(p.fields)) for p in prop.params))
        for prop in flat.properties
    )
    return d.FlatCTType(ct_type=flat.fields["ct_type"], properties=properties)


# --- writing ---------------------------------------------------------------------------------------


def write_devinf(devinf: d.DevInf) -> Node:
    """The tree of *devinf*, checked: EncodeError names what cannot be written."""
    return _write(devinf, "DevInf", "DevInf")


def _check_text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise EncodeError(f"expected text, not {type(value).__name__}", path=path)
    if value != value.strip(WS):
        raise EncodeError(f"{_shown(value)} has whitespace at either end (a lenient parse would strip it)", path=path)
    return value


def _write(obj: Any, name: str, path: str) -> Node:
    node = Node(name)
    for row in SPECS[type(obj)]:
        value = getattr(obj, row.field)
        values = value if row.repeats else (() if value is None or value is False else (value,))
        if row.required and not values:
            raise EncodeError(f"<{name}> needs at least one <{row.name}>", path=path)
        for index, item in enumerate(values, 1):
            child_path = f"{path}/{row.name}" + (f"[{index}]" if row.repeats else "")
            node.children.append(_write_value(item, row, child_path))
    return node


def _write_value(value: Any, row: Row, path: str) -> Node:
    if row.kind is Kind.FLAG:
        return Node(row.name)
    if row.kind is Kind.NODE:
        return _write(value, row.name, path)
    if row.kind is Kind.CTCAP:
        if isinstance(value, d.FlatCTCap):
            return _write_flat(value, path)
        if isinstance(value, d.CTCap):
            return _write(value, "CTCap", path)
        raise EncodeError(f"expected a CTCap or FlatCTCap, not {type(value).__name__}", path=path)
    return Node(row.name, _check_text(value, path))


def _write_flat(cap: d.FlatCTCap, path: str) -> Node:
    node = Node("CTCap")
    if not cap.types:
        raise EncodeError("a CTCap needs at least one CTType", path=path)

    def leaf(name: str, value: str) -> None:
        node.children.append(Node(name, _check_text(value, f"{path}/{name}")))

    def group(fields: d.FlatProperty | d.FlatParam) -> None:
        for enum in fields.val_enums:
            leaf("ValEnum", enum)
        for name, value in (
            ("DataType", fields.data_type),
            ("Size", fields.size),
            ("DisplayName", fields.display_name),
        ):
            if value is not None:
                leaf(name, value)

    for ct in cap.types:
        leaf("CTType", ct.ct_type)
        if not ct.properties:
            raise EncodeError(f"CTType {ct.ct_type!r} needs at least one property", path=path)
        for prop in ct.properties:
            leaf("PropName", prop.prop_name)
            group(prop)
            for param in prop.params:
                leaf("ParamName", param.param_name)
                group(param)
    return node
