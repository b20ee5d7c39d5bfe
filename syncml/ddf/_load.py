"""Reading DDF and TNDS documents: untrusted bytes in, a :class:`MgmtTree` out.

The bytes go through the message codec's hardened front end (no DTD, no
entities, no network, size and node limits before parsing).  Two things are
done before it, because DDF documents are not SyncML messages:

* the DDF DOCTYPE, ``<!DOCTYPE MgmtTree PUBLIC "..." "..." [<?pi?>]>``, is
  blanked out (its internal subset may hold processing instructions only;
  anything else, such as an ENTITY, is left for the front end to refuse);
* in lenient mode, a document that is not well-formed because a text
  element (Description, DFTitle ...) holds raw ``<``, or because ``MSFT:``
  elements are used without ``xmlns:MSFT``, is repaired and parsed again,
  each repair recorded as a quirk.

The element walk then charges every element, attribute and character to the
caller's :class:`~syncml.Limits`, and records one finished call on the work
meter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from lxml import etree

from .. import _meter
from .._quirks import Quirk
from .._xmlfront import Source, line_of, parse_tree, prepare
from ..errors import DecodeError
from ..limits import DEFAULT_LIMITS, Limits
from ._model import (
    ACCESS_TYPES,
    CASE_SENSES,
    FORMATS,
    OCCURRENCES,
    SCOPES,
    AdmxBacked,
    AllowedValues,
    Applicability,
    DDFQuirk,
    DDFQuirkKind,
    EnumValue,
    MgmtTree,
    Node,
    RTProperties,
    node_path,
)

__all__ = ["MSFT_NS", "TNDS_NS", "load"]

MSFT_NS = "http://schemas.microsoft.com/MobileDevice/DM"
#: The default namespace of a TNDS document (OMA DM TND 1.2, 7.1).
TNDS_NS = "syncml:dmddf1.2"

_WS = " \t\r\n"
_DOCTYPE = (
    r"<!DOCTYPE[ \t\r\n]+MgmtTree[ \t\r\n]+PUBLIC[ \t\r\n]+(\"[^\"<>\[]*\"|'[^'<>\[]*')"
    r"(?:[ \t\r\n]+(?:\"[^\"<>\[]*\"|'[^'<>\[]*'))?[ \t\r\n]*"
    # An internal subset of processing instructions only ([^<>]*? cannot pass
    # a '>', so each PI matches one way: the scan stays linear).
    r"(?:\[(?:[ \t\r\n]|<\?[A-Za-z][^<>]*?\?>)*\][ \t\r\n]*)?>"
)
_DOCTYPE_STR = re.compile(_DOCTYPE)
_DOCTYPE_BYTES = re.compile(_DOCTYPE.encode("ascii"))
_PROLOG_STR = re.compile(r"\ufeff?[ \t\r\n]*(?:<\?xml[ \t\r\n][^>]*?\?>)?(?:[ \t\r\n]+|<!--.*?-->)*", re.S)
_PROLOG_BYTES = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*(?:<\?xml[ \t\r\n][^>]*?\?>)?(?:[ \t\r\n]+|<!--.*?-->)*", re.S)
_NOT_NEWLINE_STR = re.compile(r"[^\r\n]")
_NOT_NEWLINE_BYTES = re.compile(rb"[^\r\n]")

#: Text elements whose content the repair may escape (DM_DDF 1.2 gives them
#: #PCDATA only).
_TEXT_ELEMENTS = (b"Description", b"DFTitle", b"DefaultValue", b"MSFT:ValueDescription")
_MSFT_DECL = b' xmlns:MSFT="' + MSFT_NS.encode("ascii") + b'"'


def load(data: bytes | str, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> MgmtTree:
    """Read one DDF or TNDS document into a :class:`MgmtTree`.

    Lenient by default: the deviations seen in Microsoft's published DDFs
    are accepted and listed in ``tree.quirks`` (see :class:`DDFQuirkKind`);
    ``strict=True`` refuses each of them.  Every refusal is a
    :class:`syncml.DecodeError` with the element path and the line.
    """
    size = len(data) if isinstance(data, str | bytes | bytearray) else 0
    if size > limits.max_size:
        raise DecodeError(f"input of {size} bytes exceeds the {limits.max_size}-byte limit", status=413)
    quirks: list[DDFQuirk] = []
    data = _blank_doctype(data, strict=strict, quirks=quirks)
    source = prepare(data, strict=strict, limits=limits)
    quirks.extend(_from_front(q) for q in source.quirks)
    source, root = _parse(source, limits, strict=strict, quirks=quirks)
    reader = _Reader(source, limits, strict=strict, quirks=quirks, size=len(source.buf))
    tree = reader.tree(root)
    _meter.record(work=reader.work, output=reader.output, nodes=reader.nodes, attributes=reader.attributes)
    return tree


def _from_front(quirk: Quirk) -> DDFQuirk:
    return DDFQuirk(kind=quirk.kind, message=quirk.message, path=quirk.path, line=quirk.line)


# --- prolog and repair ----------------------------------------------------------


def _blank_doctype(data: bytes | str, *, strict: bool, quirks: list[DDFQuirk]) -> bytes | str:
    """Replace a DDF DOCTYPE with spaces (newlines kept, so positions hold)."""
    if isinstance(data, str):
        prolog = _PROLOG_STR.match(data)
        at = prolog.end() if prolog else 0
        match = _DOCTYPE_STR.match(data, at)
        if match is None:
            return data
        public_id = match.group(1)[1:-1]
        _check_public_id(public_id, strict=strict, quirks=quirks, line=data.count("\n", 0, at) + 1)
        blank = _NOT_NEWLINE_STR.sub(" ", match.group(0))
        return data[:at] + blank + data[match.end() :]
    if not isinstance(data, bytes | bytearray):
        return data  # the front end refuses it with its own message
    buf = bytes(data)
    prolog_b = _PROLOG_BYTES.match(buf)
    at = prolog_b.end() if prolog_b else 0
    match_b = _DOCTYPE_BYTES.match(buf, at)
    if match_b is None:
        return buf
    public = match_b.group(1)[1:-1].decode("latin-1")
    _check_public_id(public, strict=strict, quirks=quirks, line=buf.count(b"\n", 0, at) + 1)
    blank_b = _NOT_NEWLINE_BYTES.sub(b" ", match_b.group(0))
    return buf[:at] + blank_b + buf[match_b.end() :]


def _check_public_id(public_id: str, *, strict: bool, quirks: list[DDFQuirk], line: int) -> None:
    if public_id == public_id.strip(_WS):
        return
    if strict:
        raise DecodeError(f"DOCTYPE public id {public_id!r} has surrounding whitespace", line=line, path="DOCTYPE")
    quirks.append(
        DDFQuirk(
            kind=DDFQuirkKind.DOCTYPE_PUBLIC_ID,
            message=f"DOCTYPE public id {public_id!r} has surrounding whitespace",
            path="DOCTYPE",
            line=line,
        )
    )


def _parse(source: Source, limits: Limits, *, strict: bool, quirks: list[DDFQuirk]) -> tuple[Source, etree._Element]:
    try:
        return source, parse_tree(source, limits)
    except DecodeError as first:
        if strict or not first.reason.startswith("malformed XML"):
            raise
        repaired, repairs = _repair(source.buf)
        if not repairs:
            raise
        fixed = Source(buf=repaired, prefix=source.prefix, column_shift=source.column_shift)
        try:
            root = parse_tree(fixed, limits)
        except DecodeError:
            raise first from None
    lines_before = source.prefix.count(b"\n")
    for kind, message, line in repairs:
        quirks.append(DDFQuirk(kind=kind, message=message, path="", line=line + lines_before))
    return fixed, root


class _Repair(NamedTuple):
    kind: DDFQuirkKind
    message: str
    line: int


def _repair(buf: bytes) -> tuple[bytes, list[_Repair]]:
    """Escape raw ``<`` in text elements; declare ``MSFT`` when it is used undeclared.

    Each opening tag is paired with the next closing tag of the same name by
    ``find`` calls that only move forward, so the repair is linear in the
    input; CDATA sections inside the text are left as they are.
    """
    repairs: list[_Repair] = []
    parts: list[bytes] = []
    events: list[tuple[int, bytes, bytes]] = []  # (start, end-tag, open-tag)
    for name in _TEXT_ELEMENTS:
        open_tag, close_tag = b"<" + name + b">", b"</" + name + b">"
        at = buf.find(open_tag)
        while at >= 0:
            end = buf.find(close_tag, at + len(open_tag))
            if end < 0:
                break
            events.append((at + len(open_tag), close_tag, open_tag))
            at = buf.find(open_tag, end + len(close_tag))
    events.sort()
    done = 0
    for start, close_tag, open_tag in events:
        if start < done:
            continue
        end = buf.find(close_tag, start)
        text = buf[start:end]
        escaped = _escape_outside_cdata(text)
        if escaped != text:
            line = buf.count(b"\n", 0, start) + 1
            tag = open_tag[1:-1].decode("ascii")
            repairs.append(_Repair(DDFQuirkKind.MARKUP_IN_TEXT, f"raw '<' in {tag} read as text", line))
        parts.append(buf[done:start])
        parts.append(escaped)
        done = end
    parts.append(buf[done:])
    fixed = b"".join(parts)
    root_at = fixed.find(b"<MgmtTree")
    if root_at >= 0 and b"<MSFT:" in fixed:
        tag_end = fixed.find(b">", root_at)
        if tag_end > 0 and b"xmlns:MSFT" not in fixed[root_at:tag_end]:
            insert = tag_end - 1 if fixed[tag_end - 1 : tag_end] == b"/" else tag_end
            fixed = fixed[:insert] + _MSFT_DECL + fixed[insert:]
            line = fixed.count(b"\n", 0, root_at) + 1
            repairs.append(_Repair(DDFQuirkKind.MISSING_MSFT_NAMESPACE, "MSFT elements used undeclared", line))
    return fixed, repairs


def _escape_outside_cdata(text: bytes) -> bytes:
    if b"<" not in text:
        return text
    out: list[bytes] = []
    at = 0
    while True:
        cdata = text.find(b"<![CDATA[", at)
        chunk_end = cdata if cdata >= 0 else len(text)
        out.append(text[at:chunk_end].replace(b"<", b"&lt;"))
        if cdata < 0:
            break
        close = text.find(b"]]>", cdata)
        if close < 0:
            out.append(text[cdata:])
            break
        out.append(text[cdata : close + 3])
        at = close + 3
    return b"".join(out)


# --- the element walk --------------------------------------------------------------


def _local(el: etree._Element) -> tuple[str | None, str]:
    qname = etree.QName(el)
    return qname.namespace, qname.localname


class _Reader:
    """Turns the lxml tree into model values, charging every unit of work."""

    def __init__(self, source: Source, limits: Limits, *, strict: bool, quirks: list[DDFQuirk], size: int) -> None:
        self.source = source
        self.limits = limits
        self.strict = strict
        self.quirks = quirks
        self.budget = limits.output_budget(size)
        self.work = size
        self.output = 0
        self.nodes = 0
        self.attributes = 0
        self.root: etree._Element | None = None
        self.namespace: str | None = None

    # errors and quirks

    def fail(self, reason: str, el: etree._Element, path: str, status: int = 400) -> DecodeError:
        assert self.root is not None
        line, column = self.source.position(self.root, el)
        return DecodeError(reason, line=line, column=column, path=path, status=status)

    def quirk(self, kind: DDFQuirkKind, message: str, el: etree._Element, path: str) -> None:
        if self.strict:
            raise self.fail(message, el, path)
        line = line_of(el)
        if line is not None:
            line += self.source.prefix.count(b"\n")
        self.quirks.append(DDFQuirk(kind=kind, message=message, path=path, line=line))

    def charge(self, text: str, el: etree._Element, path: str) -> str:
        self.output += len(text)
        self.work += len(text)
        if self.output > self.budget:
            raise self.fail(f"decoded text exceeds the budget of {self.budget} characters", el, path, 413)
        return text

    # structure

    def census(self, root: etree._Element) -> None:
        """Count elements and attributes and check depth, before reading anything."""
        depth = 0
        total_attributes = 0
        limits = self.limits
        for event, el in etree.iterwalk(root, events=("start", "end")):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            self.nodes += 1
            if depth > limits.max_depth:
                raise self.fail(f"nesting deeper than {limits.max_depth} elements", el, _local(el)[1], 413)
            count = len(el.attrib)
            if count > limits.max_attributes:
                raise self.fail(f"{count} attributes exceed the limit of {limits.max_attributes}", el, "", 413)
            total_attributes += count
            if total_attributes > limits.total_attributes:
                raise self.fail(f"more than {limits.total_attributes} attributes", el, "", 413)
        self.attributes = total_attributes
        self.work += self.nodes + total_attributes

    def tree(self, root: etree._Element) -> MgmtTree:
        self.root = root
        namespace, name = _local(root)
        if name != "MgmtTree" or namespace not in (None, TNDS_NS):
            raise self.fail(f"the root element is {root.tag!r}, not MgmtTree", root, name)
        self.namespace = namespace
        self.census(root)
        if namespace is None and "MSFT" not in (root.nsmap or {}):
            self.quirk(DDFQuirkKind.MISSING_MSFT_NAMESPACE, "MgmtTree does not declare xmlns:MSFT", root, "MgmtTree")
        ver_dtd: str | None = None
        man: str | None = None
        mod: str | None = None
        nodes: list[Node] = []
        for child in root:
            ns, local = _local(child)
            path = f"MgmtTree/{local}"
            if ns == MSFT_NS:
                continue  # MSFT:Diagnostics and the like describe the file, not a node
            self.own(child, ns, path)
            if local == "VerDTD":
                ver_dtd = self.text(child, path)
            elif local == "Man":
                man = self.text(child, path)
            elif local == "Mod":
                mod = self.text(child, path)
            elif local == "Node":
                nodes.append(self.node(child, f"MgmtTree/Node[{len(nodes) + 1}]", None))
            else:
                self.unknown(child, path)
        if ver_dtd is None:
            raise self.fail("MgmtTree has no VerDTD", root, "MgmtTree")
        if not nodes:
            raise self.fail("MgmtTree has no Node", root, "MgmtTree")
        return MgmtTree(
            ver_dtd=ver_dtd, man=man, mod=mod, nodes=tuple(nodes), namespace=namespace, quirks=tuple(self.quirks)
        )

    def own(self, el: etree._Element, ns: str | None, path: str) -> None:
        if ns != self.namespace:
            raise self.fail(f"element {el.tag!r} is in the wrong namespace", el, path)

    def unknown(self, el: etree._Element, path: str) -> None:
        self.quirk(DDFQuirkKind.UNKNOWN_ELEMENT, f"unknown element {_local(el)[1]!r} ignored", el, path)

    def text(self, el: etree._Element, path: str) -> str:
        if len(el):
            self.quirk(DDFQuirkKind.MARKUP_IN_TEXT, "elements inside a text value read as their text", el, path)
            return self.charge("".join(str(t) for t in el.itertext()), el, path)
        return self.charge(el.text or "", el, path)

    def node(self, el: etree._Element, path: str, parent: str | None) -> Node:
        name: str | None = None
        parent_path: str | None = None
        fields: dict[str, object] = {}
        rt: RTProperties | None = None
        value: str | None = None
        kids: list[etree._Element] = []
        for child in el:
            ns, local = _local(child)
            here = f"{path}/{local}"
            if ns == MSFT_NS:
                self.unknown(child, here)
                continue
            self.own(child, ns, here)
            if local == "NodeName":
                name = self.node_name(child, here)
            elif local == "Path":
                parent_path = self.text(child, here)
            elif local == "DFProperties":
                fields = self.df_properties(child, here)
            elif local == "RTProperties":
                rt = self.rt_properties(child, here)
            elif local == "Node":
                kids.append(child)
            elif local == "Value":
                value = self.text(child, here)
            else:
                self.unknown(child, here)
        if name is None:
            raise self.fail("Node has no NodeName", el, path)
        title = fields.get("title")
        base = parent if parent is not None else (parent_path if parent_path is not None else ".")
        full = node_path(base, name, title if isinstance(title, str) else None)
        children = tuple(self.node(kid, f"{path}/Node[{i}]", full) for i, kid in enumerate(kids, 1))
        return Node(
            name=name,
            path=full,
            parent_path=parent_path,
            rt=rt,
            value=value,
            children=children,
            **fields,  # type: ignore[arg-type]
        )

    def node_name(self, el: etree._Element, path: str) -> str:
        name = self.text(el, path)
        if name and not name.strip(_WS):
            self.quirk(DDFQuirkKind.BLANK_NODE_NAME, "NodeName of whitespace only read as unnamed", el, path)
            return ""
        return name

    # DFProperties

    def df_properties(self, el: etree._Element, path: str) -> dict[str, object]:
        out: dict[str, object] = {}
        extensions: list[str] = []
        legacy: dict[str, etree._Element] = {}
        seen_access = seen_format = seen_type = False
        for child in el:
            ns, local = _local(child)
            here = f"{path}/{'MSFT:' if ns == MSFT_NS else ''}{local}"
            if ns == MSFT_NS:
                self.msft(child, local, here, out, extensions, legacy)
                continue
            self.own(child, ns, here)
            handler = _DF_HANDLERS.get(local)
            if handler is None:
                self.unknown(child, here)
                continue
            key, value = handler(self, child, here)
            if isinstance(value, dict):
                out.update(value)
            else:
                out[key] = value
            seen_access |= local == "AccessType"
            seen_format |= local == "DFFormat"
            seen_type |= local == "DFType"
        if not seen_access:
            self.quirk(DDFQuirkKind.EMPTY_ACCESS, "DFProperties without AccessType", el, path)
        if not seen_format:
            self.quirk(DDFQuirkKind.MISSING_DFFORMAT, "DFProperties without DFFormat", el, path)
        if not seen_type:
            self.quirk(DDFQuirkKind.MISSING_DFTYPE, "DFProperties without DFType", el, path)
        if legacy:
            self.legacy_admx(legacy, out, extensions, path)
        if extensions:
            out["extensions"] = tuple(extensions)
        return out

    def access(self, el: etree._Element, path: str) -> tuple[str, object]:
        names: list[str] = []
        for child in el:
            ns, local = _local(child)
            self.own(child, ns, f"{path}/{local}")
            if local not in ACCESS_TYPES:
                self.quirk(DDFQuirkKind.UNKNOWN_ACCESS, f"access type {local!r} is not OMA's", child, f"{path}/{local}")
            names.append(self.charge(local, child, path))
        if not names:
            self.quirk(DDFQuirkKind.EMPTY_ACCESS, "AccessType names no access", el, path)
        return "access", frozenset(names)

    def choice(self, el: etree._Element, path: str, allowed: tuple[str, ...]) -> str | None:
        names = [_local(child) for child in el]
        if len(names) != 1:
            self.quirk(DDFQuirkKind.UNKNOWN_VALUE, f"{_local(el)[1]} should hold exactly one element", el, path)
            if not names:
                return None
        ns, local = names[0]
        self.own(el[0], ns, f"{path}/{local}")
        if local not in allowed:
            self.quirk(DDFQuirkKind.UNKNOWN_VALUE, f"{_local(el)[1]} {local!r} is not defined by OMA", el, path)
        return self.charge(local, el, path)

    def default(self, el: etree._Element, path: str) -> tuple[str, object]:
        text = self.text(el, path)
        if len(text) >= 2 and text[0] == text[-1] == '"':
            self.quirk(DDFQuirkKind.QUOTED_DEFAULT, f"DefaultValue {text} is written in quotes", el, path)
        return "default", text

    def df_type(self, el: etree._Element, path: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for child in el:
            ns, local = _local(child)
            here = f"{path}/{local}"
            self.own(child, ns, here)
            if local == "MIME":
                out["mime"] = self.text(child, here)
            elif local == "DDFName":
                out["ddf_name"] = self.text(child, here)
            else:
                self.unknown(child, here)
        return out

    # MSFT extensions

    def msft(
        self,
        el: etree._Element,
        local: str,
        path: str,
        out: dict[str, object],
        extensions: list[str],
        legacy: dict[str, etree._Element],
    ) -> None:
        if local == "Applicability":
            out["applicability"] = self.applicability(el, path)
        elif local == "DynamicNodeNaming":
            self.dynamic_naming(el, path, out)
        elif local == "AllowedValues":
            out["allowed"] = self.allowed(el, path)
        elif local == "AtomicRequired":
            out["atomic_required"] = True
        elif local == "SupportedValues" and "allowed" not in out:
            out["allowed"] = self.supported_values(el, path)
        elif local == "XMLSchema" and "allowed" not in out:
            out["allowed"] = AllowedValues(value_type="XSD", value=self.text(el, path))
        elif local in ("ADMXBacked", "ADMXCategory", "ADMXPolicyName"):
            legacy[local] = el
        else:
            extensions.append(self.extension(el, path))

    def extension(self, el: etree._Element, path: str) -> str:
        xml = etree.tostring(el, encoding="unicode", with_tail=False)
        return self.charge(xml, el, path)

    def applicability(self, el: etree._Element, path: str) -> Applicability:
        fields: dict[str, str] = {}
        for child in el:
            ns, local = _local(child)
            key = _APPLICABILITY.get(local) if ns == MSFT_NS else None
            if key is None:
                self.unknown(child, f"{path}/{local}")
                continue
            fields[key] = self.text(child, f"{path}/MSFT:{local}")
        return Applicability(**fields)

    def dynamic_naming(self, el: etree._Element, path: str, out: dict[str, object]) -> None:
        for child in el:
            ns, local = _local(child)
            if ns != MSFT_NS:
                self.unknown(child, f"{path}/{local}")
                continue
            out["dynamic_naming"] = self.charge(local, child, path)
            if local == "UniqueName":
                out["unique_name"] = self.text(child, f"{path}/MSFT:{local}")

    def allowed(self, el: etree._Element, path: str) -> AllowedValues:
        value_type = self.charge(el.get("ValueType", ""), el, path)
        value: str | None = None
        enums: list[EnumValue] = []
        admx: AdmxBacked | None = None
        delimiter: str | None = None
        for child in el:
            ns, local = _local(child)
            here = f"{path}/MSFT:{local}"
            if ns != MSFT_NS:
                self.unknown(child, here)
            elif local == "Value":
                value = self.text(child, here)
            elif local == "Enum":
                enums.append(self.enum(child, here))
            elif local == "AdmxBacked":
                admx = AdmxBacked(
                    area=self.charge(child.get("Area", ""), child, here),
                    name=self.charge(child.get("Name", ""), child, here),
                    file=self.charge(child.get("File", ""), child, here),
                )
            elif local == "List":
                delimiter = self.charge(child.get("Delimiter", ""), child, here)
            else:
                self.unknown(child, here)
        return AllowedValues(
            value_type=value_type, value=value, enums=tuple(enums), admx=admx, list_delimiter=delimiter
        )

    def enum(self, el: etree._Element, path: str) -> EnumValue:
        value = ""
        description = ""
        for child in el:
            ns, local = _local(child)
            if ns == MSFT_NS and local == "Value":
                value = self.text(child, f"{path}/MSFT:Value")
            elif ns == MSFT_NS and local == "ValueDescription":
                description = self.text(child, f"{path}/MSFT:ValueDescription")
            else:
                self.unknown(child, f"{path}/{local}")
        return EnumValue(value=value, description=description)

    def supported_values(self, el: etree._Element, path: str) -> AllowedValues:
        """The 2019 form: ``low``/``high``, an ``AllowedValues="0,1"`` list, or SupportedValue children."""
        enums = [
            EnumValue(
                value=self.charge(child.get("value", ""), child, path),
                description=self.charge(child.get("description", ""), child, path),
            )
            for child in el
            if _local(child) == (MSFT_NS, "SupportedValue")
        ]
        listed = el.get("AllowedValues")
        if listed is not None:
            have = {e.value for e in enums}
            for part in self.charge(listed, el, path).split(","):
                if part.strip(_WS) and part.strip(_WS) not in have:
                    have.add(part.strip(_WS))
                    enums.append(EnumValue(value=part.strip(_WS)))
        low, high = el.get("low"), el.get("high")
        if low is not None and high is not None and not enums:
            return AllowedValues(value_type="Range", value=self.charge(f"[{low}-{high}]", el, path))
        return AllowedValues(value_type="ENUM", enums=tuple(enums))

    def legacy_admx(
        self, legacy: dict[str, etree._Element], out: dict[str, object], extensions: list[str], path: str
    ) -> None:
        """The 2019 ADMX elements: only ``MSFT:ADMXBacked`` makes the value ADMX markup."""
        if "ADMXBacked" not in legacy:
            extensions.extend(self.extension(el, path) for el in legacy.values())
            return

        def text(key: str) -> str:
            el = legacy.get(key)
            return "" if el is None else self.text(el, f"{path}/MSFT:{key}")

        admx = AdmxBacked(area=text("ADMXCategory"), name=text("ADMXPolicyName"), file=text("ADMXBacked"))
        out["allowed"] = AllowedValues(value_type="ADMX", admx=admx)

    # RTProperties (TNDS)

    def rt_properties(self, el: etree._Element, path: str) -> RTProperties:
        fields: dict[str, str | None] = {}
        for child in el:
            ns, local = _local(child)
            here = f"{path}/{local}"
            self.own(child, ns, here)
            key = _RT_TEXT.get(local)
            if key is not None:
                fields[key] = self.text(child, here)
            elif local == "Format":
                fields["format"] = self.choice(child, here, FORMATS)
            elif local == "Type":
                fields.update(self.df_type(child, here))
            else:
                self.unknown(child, here)
        return RTProperties(**fields)


_APPLICABILITY = {
    "OsBuildVersion": "os_build_version",
    "CspVersion": "csp_version",
    "EditionAllowList": "edition_allow_list",
}
_RT_TEXT = {"ACL": "acl", "Name": "name", "Size": "size", "Title": "title", "TStamp": "tstamp", "VerNo": "ver_no"}

_Handler = Callable[[_Reader, etree._Element, str], tuple[str, object]]


def _text_field(key: str) -> _Handler:
    return lambda reader, el, path: (key, reader.text(el, path))


def _choice_field(key: str, allowed: tuple[str, ...]) -> _Handler:
    return lambda reader, el, path: (key, reader.choice(el, path, allowed))


def _df_type(reader: _Reader, el: etree._Element, path: str) -> tuple[str, object]:
    return "dftype", reader.df_type(el, path)


_DF_HANDLERS: dict[str, _Handler] = {
    "AccessType": _Reader.access,
    "DefaultValue": _Reader.default,
    "Description": _text_field("description"),
    "DFFormat": _choice_field("format", FORMATS),
    "Occurrence": _choice_field("occurrence", OCCURRENCES),
    "Scope": _choice_field("scope", SCOPES),
    "DFTitle": _text_field("title"),
    "DFType": _df_type,
    "CaseSense": _choice_field("case_sense", CASE_SENSES),
}
