"""Writing trees: the mirror of :mod:`._load`, DDF and TNDS alike.

A node with run-time properties or a value is written the TNDS way
(``RTProperties``, ``Value``); any other node the DDF way (``DFProperties``
in DM_DDF 1.2 order, then Microsoft's extensions in DDFv2.xsd order).  A DDF
document gets the standard DOCTYPE and ``xmlns:MSFT``; a TNDS document its
default namespace.  ``load(write(tree)) == tree`` for every tree whose text
is XML characters and whose paths are those :func:`~syncml.ddf.load` gives.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ._load import MSFT_NS
from ._model import ACCESS_TYPES, AllowedValues, Applicability, MgmtTree, Node, RTProperties

__all__ = ["write"]

_DOCTYPE = (
    '<!DOCTYPE MgmtTree PUBLIC "-//OMA//DTD-DM-DDF 1.2//EN"'
    ' "http://www.openmobilealliance.org/tech/DTD/DM_DDF-V1_2.dtd">'
)
# Carriage returns would be read back as newlines: keep them as references.
_TEXT_ENTITIES = {"\r": "&#13;"}


def write(tree: MgmtTree, *, declaration: bool = True) -> str:
    """*tree* as a DDF document, or as TNDS when it carries run-time properties or values."""
    out: list[str] = []
    if declaration:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    if tree.namespace is None and declaration and not tree.is_tnds:
        out.append(_DOCTYPE + "\n")
    xmlns = f" xmlns={quoteattr(tree.namespace)}" if tree.namespace is not None else ""
    out.append(f"<MgmtTree{xmlns} xmlns:MSFT={quoteattr(MSFT_NS)}>")
    out.append(_element("VerDTD", tree.ver_dtd))
    if tree.man is not None:
        out.append(_element("Man", tree.man))
    if tree.mod is not None:
        out.append(_element("Mod", tree.mod))
    for node in tree.nodes:
        _node(node, out)
    out.append("</MgmtTree>\n")
    return "".join(out)


def _text(value: str) -> str:
    return escape(value, _TEXT_ENTITIES)


def _element(name: str, value: str) -> str:
    return f"<{name}>{_text(value)}</{name}>"


def _node(root: Node, out: list[str]) -> None:
    # An explicit stack: trees built by hand may nest deeper than recursion allows.
    stack: list[Node | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        out.append("<Node>" + _element("NodeName", item.name))
        if item.parent_path is not None:
            out.append(_element("Path", item.parent_path))
        if item.rt is not None:
            _rt_properties(item.rt, out)
        if item.rt is None or _has_df(item):
            _df_properties(item, out)
        tail = "</Node>" if item.value is None else _element("Value", item.value) + "</Node>"
        stack.append(tail)
        stack.extend(reversed(item.children))


def _has_df(node: Node) -> bool:
    return bool(node.access) or node.format is not None or node.mime is not None or node.ddf_name is not None


def _df_properties(node: Node, out: list[str]) -> None:
    out.append("<DFProperties><AccessType>")
    out.extend(f"<{name}/>" for name in ACCESS_TYPES if name in node.access)
    out.extend(f"<{name}/>" for name in sorted(node.access.difference(ACCESS_TYPES)))
    out.append("</AccessType>")
    if node.default is not None:
        out.append(_element("DefaultValue", node.default))
    if node.description is not None:
        out.append(_element("Description", node.description))
    if node.format is not None:
        out.append(f"<DFFormat><{node.format}/></DFFormat>")
    if node.occurrence is not None:
        out.append(f"<Occurrence><{node.occurrence}/></Occurrence>")
    if node.scope is not None:
        out.append(f"<Scope><{node.scope}/></Scope>")
    if node.title is not None:
        out.append(_element("DFTitle", node.title))
    _df_type(node.mime, node.ddf_name, "DFType", out)
    if node.case_sense is not None:
        out.append(f"<CaseSense><{node.case_sense}/></CaseSense>")
    if node.applicability is not None:
        _applicability(node.applicability, out)
    if node.dynamic_naming is not None:
        inner = f"<MSFT:{node.dynamic_naming}"
        inner += f">{_text(node.unique_name)}</MSFT:{node.dynamic_naming}>" if node.unique_name is not None else "/>"
        out.append(f"<MSFT:DynamicNodeNaming>{inner}</MSFT:DynamicNodeNaming>")
    if node.allowed is not None:
        _allowed(node.allowed, out)
    out.extend(node.extensions)
    if node.atomic_required:
        out.append("<MSFT:AtomicRequired/>")
    out.append("</DFProperties>")


def _df_type(mime: str | None, ddf_name: str | None, name: str, out: list[str]) -> None:
    if mime is None and ddf_name is None:
        return
    out.append(f"<{name}>")
    if mime is not None:
        out.append(_element("MIME", mime))
    if ddf_name is not None:
        out.append(_element("DDFName", ddf_name))
    out.append(f"</{name}>")


def _applicability(app: Applicability, out: list[str]) -> None:
    out.append("<MSFT:Applicability>")
    for name, value in (
        ("OsBuildVersion", app.os_build_version),
        ("CspVersion", app.csp_version),
        ("EditionAllowList", app.edition_allow_list),
    ):
        if value is not None:
            out.append(_element(f"MSFT:{name}", value))
    out.append("</MSFT:Applicability>")


def _allowed(allowed: AllowedValues, out: list[str]) -> None:
    out.append(f"<MSFT:AllowedValues ValueType={quoteattr(allowed.value_type)}>")
    if allowed.value is not None:
        out.append(_element("MSFT:Value", allowed.value))
    for member in allowed.enums:
        out.append(
            "<MSFT:Enum>"
            + _element("MSFT:Value", member.value)
            + _element("MSFT:ValueDescription", member.description)
            + "</MSFT:Enum>"
        )
    if allowed.admx is not None:
        admx = allowed.admx
        out.append(f"<MSFT:AdmxBacked Area={_attr(admx.area)} Name={_attr(admx.name)} File={_attr(admx.file)}/>")
    if allowed.list_delimiter is not None:
        out.append(f"<MSFT:List Delimiter={_attr(allowed.list_delimiter)}/>")
    out.append("</MSFT:AllowedValues>")


def _attr(value: str) -> str:
    # Attribute values are normalised on reading: tabs and newlines must be references.
    return quoteattr(value, {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def _rt_properties(rt: RTProperties, out: list[str]) -> None:
    out.append("<RTProperties>")
    if rt.acl is not None:
        out.append(_element("ACL", rt.acl))
    if rt.format is not None:
        out.append(f"<Format><{rt.format}/></Format>")
    for name, value in (("Name", rt.name), ("Size", rt.size), ("Title", rt.title), ("TStamp", rt.tstamp)):
        if value is not None:
            out.append(_element(name, value))
    _df_type(rt.mime, rt.ddf_name, "Type", out)
    if rt.ver_no is not None:
        out.append(_element("VerNo", rt.ver_no))
    out.append("</RTProperties>")
