"""Management trees as typed, immutable values: DDF and TNDS share them.

A Device Description Framework document (OMA ``DM_DDF-V1_2``) describes the
nodes a device supports: for each one its access types, value format,
occurrence, scope and, in Microsoft's v2 extensions, the allowed values and
the Windows builds that have it.  A Tree and Node Description Serialization
document (OMA DM TND 1.2, ``application/vnd.syncml.dmtnds+xml``) carries a
piece of a live tree: node names, run-time properties and values.  Both are a
``MgmtTree`` of ``Node`` elements, so one model holds both: a DDF node has
DFProperties (``access``, ``format`` ...), a TNDS node has :class:`RTProperties`
and perhaps a ``value``.

DDF content model (DM_DDF 1.2; MSFT elements per Microsoft's DDFv2.xsd)::

    MgmtTree    (VerDTD, Man?, Mod?, Node+)
    Node        (NodeName, Path?, (DFProperties | RTProperties), Node*, Value?)
    DFProperties (AccessType, DefaultValue?, Description?, DFFormat,
                  Occurrence?, Scope?, DFTitle?, DFType, CaseSense?,
                  MSFT:Applicability?, MSFT:DynamicNodeNaming?,
                  MSFT:AllowedValues?, ... other MSFT extensions)

Text is kept as written (a quoted DefaultValue keeps its quotes); typed
views are properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from .._quirks import QuirkKind

__all__ = [
    "ACCESS_TYPES",
    "FORMATS",
    "AdmxBacked",
    "AllowedValues",
    "Applicability",
    "DDFQuirk",
    "DDFQuirkKind",
    "EnumValue",
    "MgmtTree",
    "Node",
    "RTProperties",
]

#: OMA DM AccessType children, in the order the writer puts them.
ACCESS_TYPES = ("Add", "Copy", "Delete", "Exec", "Get", "Replace")
#: DFFormat children (DM_DDF 1.2 and DDFv2.xsd).
FORMATS = ("b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date", "time", "float")
OCCURRENCES = ("One", "ZeroOrOne", "ZeroOrMore", "OneOrMore", "ZeroOrN", "OneOrN")
SCOPES = ("Permanent", "Dynamic")
CASE_SENSES = ("CS", "CIS")

_WS = " \t\r\n"
_RANGE = re.compile(r"\[\s*(-?[0-9]{1,18})\s*(?:-\s*(-?[0-9]{1,18})\s*)?\]")


class DDFQuirkKind(StrEnum):
    """A deviation from DM_DDF 1.2 that a lenient :func:`~syncml.ddf.load` accepts."""

    #: Markup-like text such as ``<about:blank>`` written raw inside a
    #: Description (the 2019 Policy DDF): the ``<`` is read as text.
    MARKUP_IN_TEXT = "ddf-markup-in-text"
    #: DFProperties without DFType (2019 Registry and HealthAttestation DDFs).
    MISSING_DFTYPE = "ddf-missing-dftype"
    #: DFProperties without DFFormat.
    MISSING_DFFORMAT = "ddf-missing-dfformat"
    #: An empty ``<AccessType/>`` (2019 Accounts DDF).
    EMPTY_ACCESS = "ddf-empty-access"
    #: An access type OMA does not define, such as ``<Set/>`` (2019
    #: CertificateStore DDF); kept in ``Node.access`` as written.
    UNKNOWN_ACCESS = "ddf-unknown-access"
    #: A DFFormat, Occurrence, Scope or CaseSense child OMA does not define.
    UNKNOWN_VALUE = "ddf-unknown-value"
    #: The DOCTYPE public id ``" -//OMA//DTD-DM-DDF 1.2//EN"`` with a leading
    #: space (every Microsoft DDF page).
    DOCTYPE_PUBLIC_ID = "ddf-doctype-public-id"
    #: A DDF ``<MgmtTree>`` without ``xmlns:MSFT`` (2019 DeviceLock and
    #: Storage DDFs); when MSFT elements are used, the declaration is supplied.
    MISSING_MSFT_NAMESPACE = "ddf-missing-msft-namespace"
    #: A DefaultValue wrapped in double quotes, ``"0"`` (2024 DiagnosticLog
    #: DDF); the quotes are kept in ``Node.default``.
    QUOTED_DEFAULT = "ddf-quoted-default"
    #: An element DM_DDF 1.2 does not define where it stands (not an
    #: ``MSFT:`` extension, which is kept in ``Node.extensions``); dropped.
    UNKNOWN_ELEMENT = "ddf-unknown-element"
    #: A NodeName of whitespace only, meaning an unnamed (dynamic) node
    #: (every 2024 DDF page); read as the empty name.
    BLANK_NODE_NAME = "ddf-blank-node-name"


@dataclass(frozen=True, slots=True, kw_only=True)
class DDFQuirk:
    """One tolerance applied while loading a tree, and where.

    ``kind`` is a :class:`DDFQuirkKind`, or a :class:`syncml.QuirkKind` the
    shared XML front end applied (whitespace before the declaration, a
    declared encoding the bytes are not in).
    """

    kind: DDFQuirkKind | QuirkKind
    message: str
    path: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" - at {self.path}" if self.path else ""
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{self.kind.value}: {self.message}{where}"


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumValue:
    """``MSFT:Enum``: one allowed value and what it means."""

    value: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AdmxBacked:
    """``MSFT:AdmxBacked``: the ADMX policy a node stands for.

    The node's value is then ADMX markup (``<enabled/>`` or ``<disabled/>``
    followed by ``<data id=... value=.../>`` elements), not a plain value.
    """

    area: str = ""
    name: str = ""
    file: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AllowedValues:
    """``MSFT:AllowedValues``: what values a node accepts.

    ``value_type`` is the ValueType attribute as written: ``ENUM``,
    ``Flag``, ``Range``, ``RegEx``, ``ADMX``, ``XSD``, ``JSON``, ``SDDL`` or
    ``None`` (no restriction, perhaps a list).  ``value`` is the
    ``MSFT:Value`` text of Range (``[1-2048]``), RegEx, XSD, JSON and SDDL;
    ``enums`` the ENUM and Flag members; ``admx`` the ADMX policy; and
    ``list_delimiter`` the ``MSFT:List Delimiter`` as written (``\\xF000``
    is Microsoft's notation for U+F000, see :attr:`separator`).

    The 2019 DDFs' ``MSFT:SupportedValues`` (``low``/``high`` and
    ``SupportedValue`` children), ``MSFT:ADMXBacked`` and ``MSFT:XMLSchema``
    are read into the same shape.
    """

    value_type: str
    value: str | None = None
    enums: tuple[EnumValue, ...] = ()
    admx: AdmxBacked | None = None
    list_delimiter: str | None = None

    @property
    def range(self) -> tuple[int, int] | None:
        """``(low, high)`` of a Range value such as ``[1-2048]`` or ``[0]``, or None."""
        if self.value_type.lower() != "range" or self.value is None:
            return None
        match = _RANGE.fullmatch(self.value.strip())
        if match is None:
            return None
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) is not None else low
        return (low, high)

    @property
    def separator(self) -> str | None:
        """The list delimiter as a character: ``\\xF000`` (as written) reads as U+F000."""
        text = self.list_delimiter
        if text is None:
            return None
        match = re.fullmatch(r"\\x([0-9A-Fa-f]{1,6})", text)
        if match is not None and int(match.group(1), 16) <= 0x10FFFF:
            return chr(int(match.group(1), 16))
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Applicability:
    """``MSFT:Applicability``: the Windows builds, CSP version and editions that have a node.

    Text is kept as written; :attr:`os_builds` and :attr:`editions` split it
    (``10.0.22621, 10.0.22000.739`` lists several builds; ``99.9.99999`` is
    Microsoft's placeholder for "not yet released").
    """

    os_build_version: str | None = None
    csp_version: str | None = None
    edition_allow_list: str | None = None

    @property
    def os_builds(self) -> tuple[str, ...]:
        """Each OS build listed."""
        return _split(self.os_build_version, ",")

    @property
    def editions(self) -> tuple[str, ...]:
        """Each edition id listed (``0x4``, ``0x88*`` ...)."""
        return _split(self.edition_allow_list, ";")


def node_path(base: str, name: str, title: str | None) -> str:
    """The URI of a node named *name* under *base*; an unnamed node's segment is ``<Title>``."""
    segment = name or f"<{title if title and title.strip(_WS) else 'Name'}>"
    return f"{base.rstrip('/')}/{segment}" if base else segment


def _split(text: str | None, sep: str) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(part.strip() for part in text.split(sep) if part.strip())


@dataclass(frozen=True, slots=True, kw_only=True)
class RTProperties:
    """TNDS ``RTProperties``: a live node's run-time properties (OMA DM TND 1.2, 7.3).

    ``format`` is the Format child's name (``chr``, ``int`` ...); ``mime`` and
    ``ddf_name`` the Type's ``MIME`` or ``DDFName``.  Other values are text as
    written (ACL ``Add=*&Get=*``, TStamp, VerNo, Size).
    """

    acl: str | None = None
    format: str | None = None
    name: str | None = None
    size: str | None = None
    title: str | None = None
    tstamp: str | None = None
    mime: str | None = None
    ddf_name: str | None = None
    ver_no: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """One node: its name, full URI, properties and children.

    ``name`` is the NodeName as written; an empty name marks an unnamed node
    (:attr:`dynamic`) whose real name the server or the client chooses, such
    as DMClient's ``Provider/<ProviderID>``.  ``path`` is the node's full URI,
    with each unnamed segment written ``<Title>`` from its DFTitle
    (``./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll``).
    ``parent_path`` is the ``Path`` element as written, on the nodes that
    carry one (a DDF's root node: ``./Device/Vendor/MSFT``).

    DDF nodes fill the DFProperties fields; ``access`` holds the AccessType
    children (``Add``, ``Delete``, ``Exec``, ``Get``, ``Replace``; ``Copy``
    and non-standard names as written).  TNDS nodes have ``rt`` and perhaps
    a ``value`` instead.  ``extensions`` keeps every other ``MSFT:`` element
    of DFProperties as XML text, in document order.
    """

    name: str
    path: str
    parent_path: str | None = None
    access: frozenset[str] = frozenset()
    default: str | None = None
    description: str | None = None
    format: str | None = None
    occurrence: str | None = None
    scope: str | None = None
    title: str | None = None
    mime: str | None = None
    ddf_name: str | None = None
    case_sense: str | None = None
    applicability: Applicability | None = None
    #: The MSFT:DynamicNodeNaming child: ``ServerGeneratedUniqueIdentifier``,
    #: ``ClientInventory`` or ``UniqueName``.
    dynamic_naming: str | None = None
    #: The UniqueName rule text, when dynamic_naming is ``UniqueName``.
    unique_name: str | None = None
    allowed: AllowedValues | None = None
    atomic_required: bool = False
    extensions: tuple[str, ...] = ()
    rt: RTProperties | None = None
    value: str | None = None
    children: tuple[Node, ...] = ()

    @property
    def dynamic(self) -> bool:
        """Whether the node is unnamed: its name is chosen at run time."""
        return not self.name

    @property
    def is_leaf(self) -> bool:
        """Whether the node holds a value rather than children (DFFormat other than ``node``)."""
        if self.rt is not None:
            return self.rt.format not in (None, "node")
        return self.format != "node"

    @property
    def mime_type(self) -> str | None:
        """The DFType MIME, or the TNDS Type MIME."""
        return self.rt.mime if self.rt is not None else self.mime

    def walk(self) -> tuple[Node, ...]:
        """This node and every descendant, parents first (no recursion)."""
        out: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class MgmtTree:
    """``MgmtTree``: ``VerDTD, Man?, Mod?, Node+``, one DDF or TNDS document.

    ``namespace`` is the default namespace as written (TNDS documents use
    ``syncml:dmddf1.2``; DDF files none).  ``quirks`` lists what a lenient
    load tolerated; it is not part of the value.
    """

    ver_dtd: str = "1.2"
    man: str | None = None
    mod: str | None = None
    nodes: tuple[Node, ...] = ()
    namespace: str | None = None
    quirks: tuple[DDFQuirk, ...] = field(default=(), compare=False, repr=False)

    @property
    def is_tnds(self) -> bool:
        """Whether the tree carries run-time properties (a TNDS document) rather than DFProperties."""
        return any(node.rt is not None or node.value is not None for root in self.nodes for node in root.walk())

    def walk(self) -> tuple[Node, ...]:
        """Every node of the tree, parents first, in document order."""
        return tuple(node for root in self.nodes for node in root.walk())
