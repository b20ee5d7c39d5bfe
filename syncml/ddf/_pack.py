"""The compact form of trees that the built-in catalog ships in.

A tree packs to JSON-ready lists, one per node, positional and with trailing
empty fields cut, so that the whole catalog of Windows CSPs is a small gzip
file that loads in a few milliseconds.  ``extensions`` are not packed: the
lint does not read them, and users who need them load the DDF files.
:func:`unpack` rebuilds paths as :func:`~syncml.ddf.load` does, so a packed
tree (without extensions) unpacks equal to the loaded one.
"""

from __future__ import annotations

from typing import Any

from ._model import AdmxBacked, AllowedValues, Applicability, EnumValue, MgmtTree, Node, node_path

__all__ = ["FORMAT_VERSION", "pack", "unpack"]

#: Bumped whenever the layout below changes; unpack refuses other versions.
FORMAT_VERSION = 1

# Node fields in packed order (children last, handled apart).
_TEXT_FIELDS = (
    "name",
    "parent_path",
    "default",
    "description",
    "format",
    "occurrence",
    "scope",
    "title",
    "mime",
    "ddf_name",
    "case_sense",
    "dynamic_naming",
    "unique_name",
)


def pack(tree: MgmtTree) -> dict[str, Any]:
    """*tree* as JSON-ready values (DDF trees only: run-time properties are not packed)."""
    return {"ver_dtd": tree.ver_dtd, "man": tree.man, "mod": tree.mod, "nodes": [_pack_node(n) for n in tree.nodes]}


def _pack_node(node: Node) -> list[Any]:
    row: list[Any] = [getattr(node, name) for name in _TEXT_FIELDS]
    row.append(",".join(sorted(node.access)))
    app = node.applicability
    row.append(None if app is None else [app.os_build_version, app.csp_version, app.edition_allow_list])
    row.append(_pack_allowed(node.allowed))
    row.append(1 if node.atomic_required else 0)
    row.append([_pack_node(child) for child in node.children])
    while row and (row[-1] is None or row[-1] == [] or row[-1] == 0):  # "" is a value (an empty MIME)
        row.pop()
    return row


def _pack_allowed(allowed: AllowedValues | None) -> list[Any] | None:
    if allowed is None:
        return None
    admx = allowed.admx
    return [
        allowed.value_type,
        allowed.value,
        [[e.value, e.description] for e in allowed.enums],
        None if admx is None else [admx.area, admx.name, admx.file],
        allowed.list_delimiter,
    ]


def unpack(data: dict[str, Any]) -> MgmtTree:
    """A tree from :func:`pack`'s values."""
    return MgmtTree(
        ver_dtd=data["ver_dtd"],
        man=data.get("man"),
        mod=data.get("mod"),
        nodes=tuple(_unpack_node(row, None) for row in data["nodes"]),
    )


_EMPTY: frozenset[str] = frozenset()
_ACCESS_CACHE: dict[str, frozenset[str]] = {"": _EMPTY}


def _unpack_node(row: list[Any], parent: str | None) -> Node:
    row = row + [None] * (len(_TEXT_FIELDS) + 5 - len(row))
    name, parent_path = row[0], row[1]
    title = row[7]
    base = parent if parent is not None else (parent_path if parent_path is not None else ".")
    path = node_path(base, name, title)
    access_text = row[13] if row[13] is not None else ""
    access = _ACCESS_CACHE.get(access_text)
    if access is None:
        access = _ACCESS_CACHE[access_text] = frozenset(access_text.split(","))
    app = row[14]
    return Node(
        name=name,
        path=path,
        parent_path=parent_path,
        access=access,
        default=row[2],
        description=row[3],
        format=row[4],
        occurrence=row[5],
        scope=row[6],
        title=title,
        mime=row[8],
        ddf_name=row[9],
        case_sense=row[10],
        dynamic_naming=row[11],
        unique_name=row[12],
        applicability=None
        if app is None
        else Applicability(os_build_version=app[0], csp_version=app[1], edition_allow_list=app[2]),
        allowed=_unpack_allowed(row[15]),
        atomic_required=bool(row[16]),
        children=tuple(_unpack_node(child, path) for child in row[17] or ()),
    )


def _unpack_allowed(row: list[Any] | None) -> AllowedValues | None:
    if row is None:
        return None
    admx = row[3]
    return AllowedValues(
        value_type=row[0],
        value=row[1],
        enums=tuple(EnumValue(value=v, description=d) for v, d in row[2]),
        admx=None if admx is None else AdmxBacked(area=admx[0], name=admx[1], file=admx[2]),
        list_delimiter=row[4],
    )
