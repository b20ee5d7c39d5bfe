"""The content models, once, for every codec.

Each model class in :mod:`syncml.model` has an :class:`Element` here that lists
its children in DTD order with their cardinality and how their value is held.
The XML decoder and encoder and the WBXML codec walk these tables, so an
element is described in exactly one place.  The hypothesis strategies are
written by hand; ``tests/test_strategies_coverage.py`` fails when they cannot
generate a child listed here.

Sources: SyncML RepPro 1.2 DTD (header part read; command models recalled and
corroborated by Nokia's and Synthesis' generators), MetInf 1.2 DTD (read in
full).  The data-synchronization commands (Put, Map, Search, Sync, Move) and
Target's Filter are SyncML DS only; OMA DM messages never carry them, which
:func:`syncml.check` reports by VerProto.  ``docs/conformance.md`` lists where the recalled models are uncertain.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING, TypeAlias

from . import model as m
from ._quirks import QuirkKind

if TYPE_CHECKING:  # annotations only: typing has TypeIs from Python 3.13
    from typing_extensions import TypeIs

NS_SYNCML_12 = "SYNCML:SYNCML1.2"
NS_SYNCML_11 = "SYNCML:SYNCML1.1"
NS_METINF = "syncml:metinf"
NS_MSFT = "http://schemas.microsoft.com/MobileDevice/MDM"

#: Root namespace by VerDTD, and back.
NAMESPACE_BY_VERSION = {"1.2": NS_SYNCML_12, "1.1": NS_SYNCML_11}
VERSION_BY_NAMESPACE = {ns: ver for ver, ns in NAMESPACE_BY_VERSION.items()}


class Kind(Enum):
    """How a child element's value is held in the model."""

    TEXT = "text"  # #PCDATA leaf; surrounding whitespace is layout
    RAW = "raw"  # #PCDATA kept exactly as written (Status/Alert/Cred Data)
    DATA = "data"  # Item Data: str, CData or Markup
    FLAG = "flag"  # EMPTY element, held as a bool
    NODE = "node"  # an element with its own model class
    COMMAND = "command"  # one of a choice of commands, held in ``commands``


class Occurs(Enum):
    ONE = "1"
    OPT = "?"
    MANY = "*"
    PLUS = "+"

    @property
    def repeats(self) -> bool:
        return self in (Occurs.MANY, Occurs.PLUS)

    @property
    def required(self) -> bool:
        return self in (Occurs.ONE, Occurs.PLUS)


@dataclass(frozen=True, slots=True)
class Child:
    """One child in a content model."""

    name: str
    field: str
    kind: Kind
    occurs: Occurs
    index: int  # position in the content model, for order checks
    node: type | None = None  # model class for NODE and COMMAND
    metinf: bool = False  # lives in the syncml:metinf namespace
    #: Set when the child is outside the DTD but tolerated leniently.
    quirk: QuirkKind | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Element:
    """The content model of one element."""

    name: str
    cls: type
    children: tuple[Child, ...]
    metinf: bool = False  # the element itself is a MetInf element
    any_order: bool = False  # MetInf children of Meta: any order is conformant
    keeps_namespaces: bool = False  # SyncML and SyncBody keep their prefixed declarations
    by_name: dict[str, Child] = field(default_factory=dict)
    #: Fields held as tuples (repeated children, and Exec's single Item).
    tuple_fields: frozenset[str] = frozenset()
    #: (field, how to name it) of each required child, for the missing-child check.
    required: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for child in self.children:
            self.by_name[child.name] = child
        tuples = {f.name for f in fields(self.cls) if str(f.type).startswith("tuple")}
        object.__setattr__(self, "tuple_fields", frozenset(tuples))
        required: dict[str, str] = {}
        for child in self.children:
            if child.occurs.required:
                shown = "a command" if child.kind is Kind.COMMAND else f"<{child.name}>"
                required.setdefault(child.field, shown)
        object.__setattr__(self, "required", tuple(required.items()))

    @property
    def repeated_fields(self) -> frozenset[str]:
        """Tuple fields that come from repeated children (not unknown/namespaces)."""
        return frozenset(c.field for c in self.children) & self.tuple_fields


def _children(*rows: tuple[str, str, Kind, Occurs, type | None], metinf: bool = False) -> tuple[Child, ...]:
    out = []
    for index, (name, fname, kind, occurs, node) in enumerate(rows):
        out.append(Child(name, fname, kind, occurs, index, node, metinf))
    return tuple(out)


T, R, D, F, N = Kind.TEXT, Kind.RAW, Kind.DATA, Kind.FLAG, Kind.NODE
ONE, OPT, MANY, PLUS = Occurs.ONE, Occurs.OPT, Occurs.MANY, Occurs.PLUS

ELEMENTS: dict[type, Element] = {}
BY_NAME: dict[str, Element] = {}


def _define(
    name: str,
    cls: type,
    *children: Child,
    metinf: bool = False,
    any_order: bool = False,
    keeps_namespaces: bool = False,
) -> None:
    if cls.__name__ != name:  # model.wire_name is the class name: the two must not differ
        raise TypeError(f"model class {cls.__name__} is defined for element <{name}>: name it as the element")
    element = Element(name, cls, children, metinf=metinf, any_order=any_order, keeps_namespaces=keeps_namespaces)
    ELEMENTS[cls] = element
    BY_NAME[name] = element


def _commands_choice(field_name: str, index: int, names: tuple[str, ...], occurs: Occurs) -> tuple[Child, ...]:
    return tuple(Child(name, field_name, Kind.COMMAND, occurs, index, COMMAND_CLASSES[name]) for name in names)


COMMAND_CLASSES: dict[str, type] = {
    "Alert": m.Alert,
    "Status": m.Status,
    "Results": m.Results,
    "Get": m.Get,
    "Add": m.Add,
    "Replace": m.Replace,
    "Delete": m.Delete,
    "Copy": m.Copy,
    "Exec": m.Exec,
    "Atomic": m.Atomic,
    "Sequence": m.Sequence,
    # Data synchronization (SyncML DS): not used by OMA DM.
    "Put": m.Put,
    "Map": m.Map,
    "Search": m.Search,
    "Sync": m.Sync,
    "Move": m.Move,
}

#: What each container admits by the DTD.  Lenient parsing admits any command
#: in any container and records a quirk.
BODY_COMMANDS = (
    "Alert", "Atomic", "Copy", "Exec", "Get", "Map", "Put", "Results", "Search", "Sequence", "Status", "Sync",
    "Add", "Move", "Replace", "Delete",
)  # fmt: skip
ATOMIC_COMMANDS = (
    "Add", "Delete", "Copy", "Atomic", "Map", "Move", "Replace", "Sequence", "Sync", "Get", "Exec", "Alert",
)  # fmt: skip
SEQUENCE_COMMANDS = ("Add", "Replace", "Delete", "Copy", "Atomic", "Map", "Move", "Sync", "Get", "Alert", "Exec")
SYNC_COMMANDS = ("Add", "Atomic", "Copy", "Delete", "Move", "Replace", "Sequence")
#: The commands OMA DM uses; the others are SyncML DS only.
DS_ONLY_COMMANDS = frozenset({"Put", "Map", "Search", "Sync", "Move"})

# --- MetInf (syncml:metinf) --------------------------------------------------

_define("Anchor", m.Anchor, *_children(
    ("Last", "last", T, OPT, None),
    ("Next", "next", T, ONE, None),
    metinf=True,
), metinf=True)  # fmt: skip

_define("Mem", m.Mem, *_children(
    ("SharedMem", "shared_mem", F, OPT, None),
    ("FreeMem", "free_mem", T, ONE, None),
    ("FreeID", "free_id", T, ONE, None),
    metinf=True,
), metinf=True)  # fmt: skip

_define("Meta", m.Meta, *_children(
    ("FieldLevel", "field_level", F, OPT, None),
    ("Format", "format", T, OPT, None),
    ("Type", "type", T, OPT, None),
    ("Mark", "mark", T, OPT, None),
    ("Size", "size", T, OPT, None),
    ("Anchor", "anchor", N, OPT, m.Anchor),
    ("Version", "version", T, OPT, None),
    ("NextNonce", "next_nonce", T, OPT, None),
    ("MaxMsgSize", "max_msg_size", T, OPT, None),
    ("MaxObjSize", "max_obj_size", T, OPT, None),
    ("EMI", "emi", T, MANY, None),
    ("Mem", "mem", N, OPT, m.Mem),
    metinf=True,
), any_order=True)  # fmt: skip

# --- Addressing --------------------------------------------------------------

_define("Field", m.Field, *_children(("Item", "item", N, ONE, m.Item)))
_define("Record", m.Record, *_children(("Item", "item", N, ONE, m.Item)))
_define("Filter", m.Filter, *_children(
    ("Meta", "meta", N, ONE, m.Meta),
    ("Field", "field", N, OPT, m.Field),
    ("Record", "record", N, OPT, m.Record),
    ("FilterType", "filter_type", T, OPT, None),
))  # fmt: skip
_define("Target", m.Target, *_children(
    ("LocURI", "loc_uri", T, ONE, None),
    ("LocName", "loc_name", T, OPT, None),
    ("Filter", "filter", N, OPT, m.Filter),
))  # fmt: skip
_define("Source", m.Source, *_children(
    ("LocURI", "loc_uri", T, ONE, None),
    ("LocName", "loc_name", T, OPT, None),
))  # fmt: skip
_define("SourceParent", m.SourceParent, *_children(("LocURI", "loc_uri", T, ONE, None)))
_define("TargetParent", m.TargetParent, *_children(("LocURI", "loc_uri", T, ONE, None)))

_define("Cred", m.Cred, *_children(
    ("Meta", "meta", N, OPT, m.Meta),
    ("Data", "data", R, ONE, None),
))  # fmt: skip
_define("Chal", m.Chal, *_children(("Meta", "meta", N, ONE, m.Meta)))

_define("Item", m.Item, *_children(
    ("Target", "target", N, OPT, m.Target),
    ("Source", "source", N, OPT, m.Source),
    ("SourceParent", "source_parent", N, OPT, m.SourceParent),
    ("TargetParent", "target_parent", N, OPT, m.TargetParent),
    ("Meta", "meta", N, OPT, m.Meta),
    ("Data", "data", D, OPT, None),
    ("MoreData", "more_data", F, OPT, None),
))  # fmt: skip

# --- Commands ----------------------------------------------------------------

_define("Alert", m.Alert, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Data", "data", R, OPT, None),
    ("Correlator", "correlator", T, OPT, None),
    ("Item", "items", N, MANY, m.Item),
))  # fmt: skip

_define("Status", m.Status, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("MsgRef", "msg_ref", T, ONE, None),
    ("CmdRef", "cmd_ref", T, ONE, None),
    ("Cmd", "cmd", T, ONE, None),
    ("TargetRef", "target_refs", T, MANY, None),
    ("SourceRef", "source_refs", T, MANY, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Chal", "chal", N, OPT, m.Chal),
    ("Data", "data", R, ONE, None),
    ("Item", "items", N, MANY, m.Item),
))  # fmt: skip

_define("Results", m.Results, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("MsgRef", "msg_ref", T, OPT, None),
    ("CmdRef", "cmd_ref", T, ONE, None),
    ("Cmd", "cmd", T, OPT, None),  # MS-MDM only: see _LENIENT_ONLY
    ("Meta", "meta", N, OPT, m.Meta),
    ("TargetRef", "target_ref", T, OPT, None),
    ("SourceRef", "source_ref", T, OPT, None),
    ("Item", "items", N, PLUS, m.Item),
))  # fmt: skip

_define("Get", m.Get, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Lang", "lang", T, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
    ("Item", "items", N, PLUS, m.Item),
))  # fmt: skip

for _name, _cls in (("Add", m.Add), ("Replace", m.Replace), ("Copy", m.Copy)):
    _define(_name, _cls, *_children(
        ("CmdID", "cmd_id", T, ONE, None),
        ("NoResp", "no_resp", F, OPT, None),
        ("Cred", "cred", N, OPT, m.Cred),
        ("Meta", "meta", N, OPT, m.Meta),
        ("Item", "items", N, PLUS, m.Item),
    ))  # fmt: skip

_define("Delete", m.Delete, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Archive", "archive", F, OPT, None),
    ("SftDel", "sft_del", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
    ("Item", "items", N, PLUS, m.Item),
))  # fmt: skip

_define("Exec", m.Exec, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
    ("Correlator", "correlator", T, OPT, None),
    ("Item", "items", N, ONE, m.Item),  # exactly one; held in a tuple
))  # fmt: skip

_define("Atomic", m.Atomic, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Meta", "meta", N, OPT, m.Meta),
), *_commands_choice("commands", 3, ATOMIC_COMMANDS, PLUS))  # fmt: skip

_define("Sequence", m.Sequence, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Meta", "meta", N, OPT, m.Meta),
), *_commands_choice("commands", 3, SEQUENCE_COMMANDS, PLUS))  # fmt: skip


# --- Data-synchronization commands (SyncML DS) -----------------------------------

_define("Put", m.Put, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Lang", "lang", T, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
    ("Item", "items", N, PLUS, m.Item),
))  # fmt: skip

_define("Move", m.Move, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
    ("Item", "items", N, PLUS, m.Item),
))  # fmt: skip

_define("MapItem", m.MapItem, *_children(
    ("Target", "target", N, ONE, m.Target),
    ("Source", "source", N, ONE, m.Source),
))  # fmt: skip

_define("Map", m.Map, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("Target", "target", N, ONE, m.Target),
    ("Source", "source", N, ONE, m.Source),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
    ("MapItem", "map_items", N, PLUS, m.MapItem),
))  # fmt: skip

_define("Search", m.Search, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("NoResults", "no_results", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Target", "target", N, OPT, m.Target),
    ("Source", "sources", N, PLUS, m.Source),
    ("Lang", "lang", T, OPT, None),
    ("Meta", "meta", N, ONE, m.Meta),
    ("Data", "data", R, ONE, None),
))  # fmt: skip

_define("Sync", m.Sync, *_children(
    ("CmdID", "cmd_id", T, ONE, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Target", "target", N, OPT, m.Target),
    ("Source", "source", N, OPT, m.Source),
    ("Meta", "meta", N, OPT, m.Meta),
    ("NumberOfChanges", "number_of_changes", T, OPT, None),
), *_commands_choice("commands", 7, SYNC_COMMANDS, MANY))  # fmt: skip


# MS-MDM's own content model shows Cmd in Results; real Windows Results carry
# none (ms-iot's DM client logs).  Kept when present, refused when strict.
def _tolerate(cls: type, name: str, quirk: QuirkKind) -> None:
    old = ELEMENTS[cls]
    children = tuple(dataclasses.replace(c, quirk=quirk) if c.name == name else c for c in old.children)
    _define(old.name, cls, *children, metinf=old.metinf, any_order=old.any_order, keeps_namespaces=old.keeps_namespaces)


_tolerate(m.Results, "Cmd", QuirkKind.RESULTS_CMD)

# --- Envelope ----------------------------------------------------------------

_define("SyncHdr", m.SyncHdr, *_children(
    ("VerDTD", "ver_dtd", T, ONE, None),
    ("VerProto", "ver_proto", T, ONE, None),
    ("SessionID", "session_id", T, ONE, None),
    ("MsgID", "msg_id", T, ONE, None),
    ("Target", "target", N, ONE, m.Target),
    ("Source", "source", N, ONE, m.Source),
    ("RespURI", "resp_uri", T, OPT, None),
    ("NoResp", "no_resp", F, OPT, None),
    ("Cred", "cred", N, OPT, m.Cred),
    ("Meta", "meta", N, OPT, m.Meta),
))  # fmt: skip

_define(
    "SyncBody",
    m.SyncBody,
    *_commands_choice("commands", 0, BODY_COMMANDS, PLUS),
    Child("Final", "final", Kind.FLAG, OPT, 1),
    keeps_namespaces=True,
)

_define("SyncML", m.SyncML, *_children(
    ("SyncHdr", "header", N, ONE, m.SyncHdr),
    ("SyncBody", "body", N, ONE, m.SyncBody),
), keeps_namespaces=True)  # fmt: skip

#: Elements whose path segment carries a sibling index (``Item[2]``).
REPEATABLE = frozenset({"Item", "TargetRef", "SourceRef", "EMI", "MapItem", *COMMAND_CLASSES})

#: Every element name of the SyncML namespace we know, and of MetInf.
SYNCML_NAMES = frozenset(
    child.name for el in ELEMENTS.values() if not el.metinf for child in el.children if not child.metinf
) | {"SyncML", "SyncHdr", "SyncBody"}
METINF_NAMES = frozenset(child.name for el in ELEMENTS.values() for child in el.children if child.metinf)


# --- Commands and containers, read from the models above -----------------------

#: Every command name, in the order of COMMAND_CLASSES.
COMMAND_NAMES = frozenset(COMMAND_CLASSES)
#: What ``Status/Cmd`` may name: a command, or ``SyncHdr`` (with CmdRef 0).
STATUS_CMDS = COMMAND_NAMES | {"SyncHdr"}
#: The commands that hold commands (their model has a command choice).
CONTAINERS: tuple[type, ...] = tuple(
    cls for cls in COMMAND_CLASSES.values() if any(c.kind is Kind.COMMAND for c in ELEMENTS[cls].children)
)
#: The containers that only group commands, which OMA DM has too; Sync also names datastores and is DS only.
GROUPS: tuple[type, ...] = tuple(cls for cls in CONTAINERS if cls.__name__ not in DS_ONLY_COMMANDS)

Container: TypeAlias = m.Atomic | m.Sequence | m.Sync
"""A command that holds commands; equal to :data:`CONTAINERS` (a test holds them together)."""
Group: TypeAlias = m.Atomic | m.Sequence
"""Atomic or Sequence; equal to :data:`GROUPS`."""


def is_container(command: object) -> TypeIs[Container]:
    """True for Atomic, Sequence and Sync: whatever holds ``commands`` to walk into."""
    return isinstance(command, CONTAINERS)


def is_group(command: object) -> TypeIs[Group]:
    """True for Atomic and Sequence: containers that group commands without naming a datastore."""
    return isinstance(command, GROUPS)


# --- What OMA DM narrows ----------------------------------------------------------
# The content models above are SyncML's; OMA DM allows less.  These are the
# rules atomic-content, sequence-content and client-command of
# docs/conformance.md, which gives their sources.

#: What a DM client sends; a server answers any other command 405.
DM_CLIENT_COMMANDS = ("Status", "Results", "Alert", "Replace")
#: What a DM Atomic may hold (a device answers anything else 500).
DM_ATOMIC_COMMANDS = ("Add", "Alert", "Delete", "Copy", "Replace")
#: What a DM Sequence may hold.
DM_SEQUENCE_COMMANDS = ("Add", "Replace", "Delete", "Copy", "Get", "Exec", "Alert")

ClientCommand: TypeAlias = m.Status | m.Results | m.Alert | m.Replace
"""A command a DM client may send; equal to :data:`DM_CLIENT_COMMANDS`."""


def command_classes(names: tuple[str, ...]) -> tuple[type, ...]:
    """The model classes of command *names*, for ``isinstance``."""
    return tuple(COMMAND_CLASSES[name] for name in names)


_CLIENT_CLASSES = command_classes(DM_CLIENT_COMMANDS)


def is_client_command(command: object) -> TypeIs[ClientCommand]:
    """True for the commands a DM client may send (:data:`DM_CLIENT_COMMANDS`)."""
    return isinstance(command, _CLIENT_CLASSES)
