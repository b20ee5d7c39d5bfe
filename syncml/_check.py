"""Protocol checks: the per-message rules of OMA DM that a schema cannot express.

:func:`check` looks at one decoded message (or a fragment's commands) and
returns :class:`Finding` values; it never raises on a finding and never
changes the message.  Each :class:`Rule` restates a rule of OMA DM, of
[MS-MDM] or of Microsoft's documentation and names where in
:attr:`Rule.source`; docs/conformance.md tables them.
The tolerances a lenient parse applied (``msg.quirks``) are reported too, as
findings whose rule is the :class:`~syncml.QuirkKind`: the ``syncml:metinfo``
namespace of the MS Learn unenrollment sample is ``metinf-namespace``.

Rules that need state across messages (MsgID sequence, one Status per command
sent, Final discipline across a package) belong to the session layer, with
one exception: given the message being answered (``answering=``), Status and
Results references are checked against it.

>>> import pathlib, syncml
>>> msg = syncml.parse(pathlib.Path("tests/examples/client-unenroll-request.xml").read_bytes())
>>> syncml.check(msg, direction=syncml.Direction.CLIENT_TO_SERVER)
()
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from . import model as m
from ._grammar import (
    DM_ATOMIC_COMMANDS,
    DM_SEQUENCE_COMMANDS,
    DS_ONLY_COMMANDS,
    STATUS_CMDS,
    command_classes,
    is_client_command,
    is_container,
)
from ._numbers import is_uint, uint_or_none
from ._quirks import EMPTY_SYNCHDR, Quirk, QuirkKind
from ._walk import CommandSource, Located, item_paths, walk
from .codes import AlertCode
from .devinfo import DEVINFO_NODES
from .limits import _MAX_DEPTH_CEILING

#: Commands inside this many containers are past what any encoder writes or
#: decoder reads; :func:`check` reports the container instead of walking on,
#: which keeps its time and memory linear however deep a hand-built model goes.
MAX_NESTING = _MAX_DEPTH_CEILING

__all__ = ["Direction", "Finding", "Rule", "Severity", "check"]

_WS = " \t\r\n"


class Severity(StrEnum):
    """How bad a finding is."""

    #: The message breaks a MUST of the protocol; a peer may refuse it.
    ERROR = "error"
    #: Allowed or tolerated, but a sign of trouble (a documentation typo,
    #: something real peers mishandle).
    WARNING = "warning"


class Direction(StrEnum):
    """Who sent the message being checked."""

    CLIENT_TO_SERVER = "client-to-server"
    SERVER_TO_CLIENT = "server-to-client"


class Rule(StrEnum):
    """One protocol rule :func:`check` applies."""

    CMDID_ZERO = "cmdid-zero"
    CMDID_DUPLICATE = "cmdid-duplicate"
    SYNCHDR_STATUS_NOT_FIRST = "synchdr-status-not-first"
    SYNCHDR_STATUS_MISSING = "synchdr-status-missing"
    STATUS_CMD = "status-cmd"
    STATUS_REF = "status-ref"
    STATUS_CODE = "status-code"
    ALERT_CODE = "alert-code"
    MSG_REF = "msg-ref"
    META_NUMBER = "meta-number"
    EXEC_ITEMS = "exec-items"
    ATOMIC_CONTENT = "atomic-content"
    SEQUENCE_CONTENT = "sequence-content"
    CRED_BELOW_SYNCHDR = "cred-below-synchdr"
    CLIENT_COMMAND = "client-command"
    SERVER_COMMAND = "server-command"
    MOREDATA_LAST_CHUNK = "moredata-last-chunk"
    MOREDATA_NOT_LAST = "moredata-not-last"
    MOREDATA_NO_DATA = "moredata-no-data"
    DEVID_SPELLING = "devid-spelling"
    TARGET_SOURCE_SWAPPED = "target-source-swapped"
    NO_RESP = "noresp"
    VERSION = "version"
    SESSION_ID = "session-id"
    MSG_ID = "msg-id"
    ALERT_ITEM = "alert-item"
    COPY_ITEM = "copy-item"
    LOC_URI = "loc-uri"
    NESTING = "nesting"
    DS_COMMAND = "ds-command"

    @property
    def severity(self) -> Severity:
        """How bad breaking this rule is."""
        return _RULES[self][0]

    @property
    def source(self) -> str:
        """Where the rule comes from: the sections of the specifications it restates."""
        return _RULES[self][1]


_E, _W = Severity.ERROR, Severity.WARNING
_RULES: dict[Rule, tuple[Severity, str]] = {
    Rule.CMDID_ZERO: (_E, "MS-MDM 2.2.3.2: CmdID present and never 0"),
    Rule.CMDID_DUPLICATE: (_E, "MS-MDM 2.2.3.2: CmdIDs unique in a message, nested ones included"),
    Rule.SYNCHDR_STATUS_NOT_FIRST: (_E, "MS-MDM 2.2.6.1: the SyncHdr Status is the first Status"),
    Rule.SYNCHDR_STATUS_MISSING: (_W, "OMA DM 2.3: every answer carries a SyncHdr Status"),
    Rule.STATUS_CMD: (_E, "MS-MDM 2.2.6.1: Cmd names the answered element, SyncHdr for CmdRef 0"),
    Rule.STATUS_REF: (_E, "MS-MDM 2.2.6.1: MsgRef/CmdRef name a command of the answered message"),
    Rule.STATUS_CODE: (_E, "SyncML RepPro 10: Status Data is a numeric code"),
    Rule.ALERT_CODE: (_E, "OMA DM RepPro Alert: Alert Data is a numeric alert code"),
    Rule.MSG_REF: (_E, "MS-MDM 2.2.3.6, 2.2.6.1: MsgRef is the MsgID answered, a number"),
    Rule.META_NUMBER: (_E, "MetInf 1.2: Size, MaxMsgSize and MaxObjSize are numbers of bytes"),
    Rule.NESTING: (
        _E,
        f"OMA DM RepPro Atomic, Sequence: they do not nest; no peer reads more than {MAX_NESTING} levels",
    ),
    Rule.EXEC_ITEMS: (_E, "OMA DM RepPro Exec: exactly one Item"),
    Rule.ATOMIC_CONTENT: (_E, "OMA DM RepPro Atomic: Add, Alert, Delete, Copy, Replace only"),
    Rule.SEQUENCE_CONTENT: (
        _E,
        "OMA DM RepPro Sequence: Add, Replace, Delete, Copy, Get, Exec, Alert",
    ),
    Rule.CRED_BELOW_SYNCHDR: (_E, "OMA DM RepPro 4.1.1.6: Cred only in SyncHdr"),
    Rule.CLIENT_COMMAND: (_E, "OMA DM 2.3: a client sends only Status, Results, Alert, Replace"),
    Rule.SERVER_COMMAND: (_E, "OMA DM 2.3.7, MS-MDM 2.2.7.2: 1200/1201/1224/1226 alerts flow client to server only"),
    Rule.MOREDATA_LAST_CHUNK: (
        _E,
        "OMA DM 2.2: MoreData only on a chunk that is not the last",
    ),
    Rule.MOREDATA_NOT_LAST: (_E, "OMA DM 2.2: the next chunk follows at once"),
    Rule.MOREDATA_NO_DATA: (_E, "OMA DM 2.2: a chunk carries Data"),
    Rule.DEVID_SPELLING: (_W, "DevInfo CSP: ./DevInfo node names are case-sensitive (DevId, not DevID)"),
    Rule.TARGET_SOURCE_SWAPPED: (_W, "MS-MDM 4: client to server, Target is the server URL"),
    Rule.NO_RESP: (_W, "OMA DM RepPro 4.1.1.14: NoResp is not used in DM"),
    Rule.VERSION: (_W, "OMA DM RepPro 4.1.1.25: VerDTD 1.2 and VerProto DM/1.2 for DM 1.2"),
    Rule.SESSION_ID: (_W, "OMA XSD, MS-MDM 2.2.3.8: SessionID at most 4 characters"),
    Rule.MSG_ID: (_E, "MS-MDM 2.2.3.6: MsgID is a positive integer"),
    Rule.ALERT_ITEM: (_E, "OMA DM 2.3.7: 1224/1226 Items carry Meta Type, Format and Data"),
    Rule.COPY_ITEM: (_E, "OMA DM RepPro Copy: each Item has Target and Source"),
    Rule.LOC_URI: (_E, "MS Learn OMA DM support: node URIs start ./, never /"),
    Rule.DS_COMMAND: (_E, "OMA DM RepPro 4.1.6: Map, Put, Search, Sync, Move are SyncML DS, not DM"),
}

_DEFAULT_QUIRK_SOURCE = "lenient parse: a deviation syncml tolerated (see syncml.QuirkKind)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One rule a message breaks, and where.

    ``rule`` is a :class:`Rule`, or the :class:`~syncml.QuirkKind` of a
    tolerance the lenient parse recorded; ``line`` is known for the latter.
    """

    rule: Rule | QuirkKind
    severity: Severity
    path: str
    message: str
    line: int | None = None

    @property
    def source(self) -> str:
        """Where the rule comes from."""
        return self.rule.source if isinstance(self.rule, Rule) else _DEFAULT_QUIRK_SOURCE

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line is not None else ""
        return f"{self.severity.value} {self.rule.value}: {self.message} - at {self.path}{where}"


def check(
    source: CommandSource,
    *,
    direction: Direction | None = None,
    answering: m.SyncML | None = None,
) -> tuple[Finding, ...]:
    """The protocol findings for *source*, a message or a fragment's commands.

    ``direction`` enables the rules that depend on who sent it (commands a
    client may not send, Target/Source swapped, a missing SyncHdr Status).
    ``answering`` is the message *source* replies to: Status and Results
    references are then checked against its commands.  Findings come in
    order: parse quirks, header, then commands in wire order.
    """
    quirks: tuple[Quirk, ...] = getattr(source, "quirks", ())
    findings = [_from_quirk(q) for q in quirks]
    ds = _is_data_sync(source)
    if isinstance(source, m.SyncML):
        findings.extend(_header(source, direction, ds))
    located = list(walk(source, max_depth=MAX_NESTING - 1))
    findings.extend(_cmd_ids(located))
    for where in located:
        findings.extend(_placed(where, _data_sync_command(where) if ds else _command(where, direction)))
    findings.extend(_statuses(source, located, direction))
    if answering is not None:
        findings.extend(_references(located, answering))
    findings.extend(_more_data(source, located))
    return tuple(findings)


#: Stands for a command's path in what its rules find: the path is put in
#: only when a rule found something.  Building it for every command cost
#: time and memory that grew with the square of the nesting depth.
_HERE = "\x00command\x00"


def _placed(where: Located, found: Iterable[Finding]) -> Iterator[Finding]:
    """*found* with the command's path in place of :data:`_HERE`, built once if needed."""
    path = ""
    for finding in found:
        path = path or where.path
        yield replace(finding, path=finding.path.replace(_HERE, path), message=finding.message.replace(_HERE, path))


def _finding(rule: Rule, path: str, message: str) -> Finding:
    return Finding(rule=rule, severity=rule.severity, path=path, message=message)


def _from_quirk(quirk: Quirk) -> Finding:
    message = quirk.message
    if quirk.kind is QuirkKind.EMPTY_VALUE:
        # The quirk names the element; a server needs what the emptiness costs it.
        means = _EMPTY_MEANS.get(quirk.path.rpartition("/")[2].partition("[")[0])
        message = f"{message}: {means}" if means else message
    return Finding(rule=quirk.kind, severity=Severity.WARNING, path=quirk.path, message=message, line=quirk.line)


#: What an identifier written empty (the ``empty-value`` quirk) leaves a server without.
_EMPTY_MEANS = {
    "SessionID": "the session cannot be told from another one",
    "MsgID": "no Status or Results can refer to this message",
    "CmdID": "no Status or Results can refer to this command",
    "LocURI": "it addresses no node, device or server",
    "MsgRef": "the answer names no message",
    "CmdRef": "the answer names no command",
    "Cmd": "the Status names no command",
    "TargetRef": "the answer names no target node",
    "SourceRef": "the answer names no source node",
}


# --- header ------------------------------------------------------------------


def _is_data_sync(source: CommandSource) -> bool:
    # VerProto tells the protocols apart: DM/1.2 for OMA DM, SyncML/1.2 for
    # data sync.  A fragment has no header and is held to DM's rules.
    return isinstance(source, m.SyncML) and source.header.ver_proto.strip(_WS).startswith("SyncML/")


def _header(msg: m.SyncML, direction: Direction | None, ds: bool) -> Iterator[Finding]:
    hdr = msg.header
    path = "SyncML/SyncHdr"
    if hdr.is_empty:
        # Nothing in it to check field by field: one finding says why.
        if not any(q.kind is QuirkKind.EMPTY_SYNCHDR for q in msg.quirks):
            yield Finding(rule=QuirkKind.EMPTY_SYNCHDR, severity=Severity.WARNING, path=path, message=EMPTY_SYNCHDR)
        return
    expected = ("1.2", "SyncML/1.2") if ds else ("1.2", "DM/1.2")
    if (hdr.ver_dtd, hdr.ver_proto) != expected and (hdr.ver_dtd, hdr.ver_proto) != ("1.1", "SyncML/1.1"):
        shown = " / ".join(expected)
        yield _finding(Rule.VERSION, path, f"VerDTD {hdr.ver_dtd} / VerProto {hdr.ver_proto}, not {shown}")
    if len(hdr.session_id.encode("utf-8")) > 4:
        yield _finding(Rule.SESSION_ID, f"{path}/SessionID", f"SessionID {hdr.session_id!r} is longer than 4 bytes")
    if not _positive(hdr.msg_id):
        yield _finding(Rule.MSG_ID, f"{path}/MsgID", f"MsgID {_shown(hdr.msg_id)} is not a positive integer")
    if hdr.no_resp and not ds:
        yield _finding(Rule.NO_RESP, f"{path}/NoResp", "NoResp in the SyncHdr")
    yield from _meta_numbers(hdr.meta, f"{path}/Meta")
    if direction is not None and _swapped(hdr, direction):
        yield _finding(
            Rule.TARGET_SOURCE_SWAPPED,
            path,
            f"Target {hdr.target.loc_uri!r} and Source {hdr.source.loc_uri!r} look swapped for {direction.value}",
        )


def _positive(text: str) -> bool:
    # Exactly as written: a MsgID has no whitespace, sign or non-ASCII digit.
    return is_uint(text) and text.strip("0") != ""


def _shown(value: str) -> str:
    """*value* quoted for a message, cut short: a finding stays small whatever the input."""
    return repr(value) if len(value) <= 40 else f"{value[:20]!r}... ({len(value)} characters)"


def _is_url(uri: str) -> bool:
    return uri.strip(_WS).lower().startswith(("http://", "https://"))


def _swapped(hdr: m.SyncHdr, direction: Direction) -> bool:
    server, device = (hdr.target, hdr.source) if direction is Direction.CLIENT_TO_SERVER else (hdr.source, hdr.target)
    return _is_url(device.loc_uri) and not _is_url(server.loc_uri)


# --- CmdIDs ------------------------------------------------------------------


def _cmd_ids(located: list[Located]) -> Iterator[Finding]:
    # Paths are built only for findings: a path per command would cost
    # memory that grows with depth times commands.
    first: dict[str, Located] = {}
    for where in located:
        cmd_id = where.command.cmd_id.strip(_WS)
        if cmd_id in ("", "0"):
            yield _finding(
                Rule.CMDID_ZERO, f"{where.path}/CmdID", f"CmdID {where.command.cmd_id!r}: 0 and empty are not CmdIDs"
            )
        elif cmd_id in first:
            message = f"CmdID {cmd_id} is already used at {first[cmd_id].path}"
            yield _finding(Rule.CMDID_DUPLICATE, f"{where.path}/CmdID", message)
        else:
            first[cmd_id] = where


# --- each command --------------------------------------------------------------

_ATOMIC_ALLOWS = command_classes(DM_ATOMIC_COMMANDS)
_SEQUENCE_ALLOWS = command_classes(DM_SEQUENCE_COMMANDS)
_CLIENT_ONLY_ALERTS = frozenset(
    {AlertCode.SERVER_INITIATED_MGMT, AlertCode.CLIENT_INITIATED_MGMT, AlertCode.CLIENT_EVENT, AlertCode.GENERIC_ALERT}
)
_UI_ALERTS = range(1100, 1200)
_NODE_COMMANDS = (m.Add, m.Replace, m.Delete, m.Get, m.Copy, m.Exec)


def _data_sync_command(where: Located) -> Iterator[Finding]:
    """The rules a SyncML DS message keeps: those of the representation protocol, not DM's.

    DS allows what DM forbids (NoResp, Cred on a command, a server's Results
    for a client's Get of DevInf, Map and Sync in Atomic) and its item ids
    are not node URIs.
    """
    command, path = where.command, _HERE
    yield from _meta_numbers(getattr(command, "meta", None), f"{path}/Meta")
    if isinstance(command, m.Status | m.Results):
        yield from _msg_ref(command.msg_ref, f"{path}/MsgRef")
    if isinstance(command, m.Status):
        yield from _status(command, path)
    if isinstance(command, m.Alert):
        code = uint_or_none(command.data)
        if command.data is not None and code is None:
            yield _finding(Rule.ALERT_CODE, f"{path}/Data", f"alert code {_shown(command.data)} is not a number")
    if isinstance(command, m.Exec) and len(command.items) != 1:
        yield _finding(Rule.EXEC_ITEMS, path, f"Exec with {len(command.items)} Items, not exactly one")
    items: tuple[m.Item, ...] = getattr(command, "items", ())
    for item, item_path in zip(items, item_paths(items, path), strict=True):
        yield from _meta_numbers(item.meta, f"{item_path}/Meta")


def _command(where: Located, direction: Direction | None) -> Iterator[Finding]:
    command, path = where.command, _HERE
    name = m.wire_name(command)
    if name in DS_ONLY_COMMANDS:
        yield _finding(Rule.DS_COMMAND, path, f"{name} in an OMA DM message (VerProto is not SyncML/...)")
    if getattr(command, "no_resp", False):
        yield _finding(Rule.NO_RESP, f"{path}/NoResp", f"NoResp on {name}")
    if getattr(command, "cred", None) is not None:
        yield _finding(
            Rule.CRED_BELOW_SYNCHDR, f"{path}/Cred", f"Cred in {name}: DM carries credentials in SyncHdr only"
        )
    yield from _placement(where)
    yield from _meta_numbers(getattr(command, "meta", None), f"{path}/Meta")
    if isinstance(command, m.Status | m.Results):
        yield from _msg_ref(command.msg_ref, f"{path}/MsgRef")
    if is_container(command) and command.commands and where.depth >= MAX_NESTING - 1:
        yield _finding(Rule.NESTING, path, f"{name} holds commands nested {MAX_NESTING} deep: they are not checked")
    if isinstance(command, m.Exec) and len(command.items) != 1:
        yield _finding(Rule.EXEC_ITEMS, path, f"Exec with {len(command.items)} Items, not exactly one")
    if isinstance(command, m.Status):
        yield from _status(command, path)
    if isinstance(command, m.Alert):
        yield from _alert(command, path, direction)
    if isinstance(command, m.Copy):
        yield from _copy(command, path)
    if direction is Direction.CLIENT_TO_SERVER:
        yield from _client_sends(command, path)
    elif direction is Direction.SERVER_TO_CLIENT and isinstance(command, m.Results):
        yield _finding(Rule.SERVER_COMMAND, path, "Results from a server: a client never sends a Get")
    yield from _items(command, path)


def _placement(where: Located) -> Iterator[Finding]:
    parent = where.container
    if parent is None or where.depth >= 2:
        # Deeper, the container is itself misplaced (DM allows none inside
        # another): its finding stands for what it holds.  One per level
        # would repeat a path as long as the depth at every level.
        return
    name, parent_name = m.wire_name(where.command), m.wire_name(parent)
    if isinstance(parent, m.Atomic) and not isinstance(where.command, _ATOMIC_ALLOWS):
        yield _finding(Rule.ATOMIC_CONTENT, where.path, f"{name} inside Atomic (a device answers 500)")
    elif isinstance(parent, m.Sequence) and not isinstance(where.command, _SEQUENCE_ALLOWS):
        yield _finding(Rule.SEQUENCE_CONTENT, where.path, f"{name} inside {parent_name}")


def _status(status: m.Status, path: str) -> Iterator[Finding]:
    cmd, ref = status.cmd.strip(_WS), status.cmd_ref.strip(_WS)
    if cmd not in STATUS_CMDS:
        yield _finding(Rule.STATUS_CMD, f"{path}/Cmd", f"Cmd {status.cmd!r} is not a command name")
    elif (ref == "0") != (cmd == "SyncHdr"):
        yield _finding(Rule.STATUS_CMD, f"{path}/Cmd", f"Cmd {cmd} with CmdRef {ref}: CmdRef 0 is the SyncHdr, only")
    if not is_uint(status.data.strip(_WS)):
        yield _finding(Rule.STATUS_CODE, f"{path}/Data", f"status code {_shown(status.data)} is not a number")


def _msg_ref(msg_ref: str | None, path: str) -> Iterator[Finding]:
    # Only the form: Windows answers some messages with MsgRef 0 (a check-in
    # Mattrax captured), which names no message but is a number.
    if msg_ref is not None and uint_or_none(msg_ref) is None:
        yield _finding(Rule.MSG_REF, path, f"MsgRef {_shown(msg_ref)} is not a number")


_META_NUMBERS = (("size", "Size"), ("max_msg_size", "MaxMsgSize"), ("max_obj_size", "MaxObjSize"))


def _meta_numbers(meta: m.Meta | None, path: str) -> Iterator[Finding]:
    # Exactly what Meta.size_int and its siblings refuse.
    if meta is None:
        return
    for field, element in _META_NUMBERS:
        value: str | None = getattr(meta, field)
        if value is not None and uint_or_none(value) is None:
            yield _finding(Rule.META_NUMBER, f"{path}/{element}", f"{element} {_shown(value)} is not a number of bytes")


def _alert(alert: m.Alert, path: str, direction: Direction | None) -> Iterator[Finding]:
    code = uint_or_none(alert.data)
    if alert.data is not None and code is None:
        yield _finding(Rule.ALERT_CODE, f"{path}/Data", f"alert code {_shown(alert.data)} is not a number")
    if direction is Direction.CLIENT_TO_SERVER and code in _UI_ALERTS:
        yield _finding(Rule.CLIENT_COMMAND, path, f"Alert {code}: user-interaction alerts go server to client")
    if direction is Direction.SERVER_TO_CLIENT and code in _CLIENT_ONLY_ALERTS:
        yield _finding(Rule.SERVER_COMMAND, path, f"Alert {code} from a server: it flows client to server only")
    if code not in (AlertCode.GENERIC_ALERT, AlertCode.CLIENT_EVENT):
        return
    if not alert.items:
        yield _finding(Rule.ALERT_ITEM, path, f"Alert {code} without an Item")
    for item, item_path in zip(alert.items, item_paths(alert.items, path), strict=True):
        meta = item.meta or m.Meta()
        if meta.type is None:
            yield _finding(Rule.ALERT_ITEM, item_path, f"Alert {code} Item without Meta/Type")
        # Windows leaves Format out of its 1224 LoginStatus event: only
        # generic alerts are held to it.
        if code == AlertCode.GENERIC_ALERT and meta.format is None:
            yield _finding(Rule.ALERT_ITEM, item_path, "generic alert Item without Meta/Format")
        if item.data is None:
            yield _finding(Rule.ALERT_ITEM, item_path, f"Alert {code} Item without Data")


def _copy(copy: m.Copy, path: str) -> Iterator[Finding]:
    for item, item_path in zip(copy.items, item_paths(copy.items, path), strict=True):
        if item.target is None or item.source is None:
            yield _finding(Rule.COPY_ITEM, item_path, "Copy Item without both Target and Source")


def _client_sends(command: m.Command, path: str) -> Iterator[Finding]:
    name = m.wire_name(command)
    if not is_client_command(command):
        yield _finding(
            Rule.CLIENT_COMMAND, path, f"{name} from a client: it may send only Status, Results, Alert, Replace"
        )
    elif isinstance(command, m.Replace):
        for item, item_path in zip(command.items, item_paths(command.items, path), strict=True):
            uri = _uri(item.source or item.target)
            if uri and not _device_reported(uri):
                yield _finding(Rule.CLIENT_COMMAND, item_path, f"client Replace of {uri!r}: only DevInfo nodes")


def _device_reported(uri: str) -> bool:
    # Windows adds ./Vendor/MSFT/DMClient/HWDevID to its DevInfo Replace
    # (Mattrax's capture of a real check-in).
    lower = uri.lower()
    return lower.startswith("./devinfo/") or (
        lower.startswith("./vendor/msft/dmclient/") and lower.endswith("/hwdevid")
    )


def _uri(where: m.Target | m.Source | None) -> str:
    return "" if where is None else where.loc_uri.strip(_WS)


def _items(command: m.Command, path: str) -> Iterator[Finding]:
    items: tuple[m.Item, ...] = getattr(command, "items", ())
    for item, item_path in zip(items, item_paths(items, path), strict=True):
        yield from _meta_numbers(item.meta, f"{item_path}/Meta")
        for where, part in ((item.target, "Target"), (item.source, "Source")):
            uri = _uri(where)
            if uri.lower().startswith("./devinfo/"):
                yield from _devinfo_spelling(uri, f"{item_path}/{part}/LocURI")
            if isinstance(command, _NODE_COMMANDS) and uri.startswith("/"):
                yield _finding(Rule.LOC_URI, f"{item_path}/{part}/LocURI", f"{uri!r} starts with /, not ./")


_STANDARD_BY_LOWER = {uri.lower(): uri for uri in DEVINFO_NODES.values()}


def _devinfo_spelling(uri: str, path: str) -> Iterator[Finding]:
    standard = _STANDARD_BY_LOWER.get(uri.lower())
    if standard is not None and standard != uri:
        yield _finding(Rule.DEVID_SPELLING, path, f"{uri} is spelled {standard}")


# --- message-level -----------------------------------------------------------


def _is_header_status(command: m.Command) -> bool:
    return isinstance(command, m.Status) and (command.cmd.strip(_WS) == "SyncHdr" or command.cmd_ref.strip(_WS) == "0")


def _statuses(source: CommandSource, located: list[Located], direction: Direction | None) -> Iterator[Finding]:
    top = [w for w in located if w.parent is None]
    statuses = [w for w in top if isinstance(w.command, m.Status)]
    header_statuses = [w for w in statuses if _is_header_status(w.command)]
    if header_statuses and not _is_header_status(statuses[0].command):
        yield _finding(
            Rule.SYNCHDR_STATUS_NOT_FIRST,
            header_statuses[0].path,
            f"the SyncHdr Status comes after {statuses[0].path}",
        )
    if not isinstance(source, m.SyncML) or header_statuses or direction is None:
        return
    answers = direction is Direction.SERVER_TO_CLIENT or ((uint_or_none(source.header.msg_id) or 0) > 1)
    if answers:
        yield _finding(
            Rule.SYNCHDR_STATUS_MISSING, "SyncML/SyncBody", "no Status for the SyncHdr of the message answered"
        )


def _references(located: list[Located], answering: m.SyncML) -> Iterator[Finding]:
    names: dict[str, set[str]] = {}
    for where in walk(answering):
        names.setdefault(where.command.cmd_id.strip(_WS), set()).add(m.wire_name(where.command))
    msg_id = answering.header.msg_id
    for where in located:
        command = where.command
        if not isinstance(command, m.Status | m.Results) or _is_header_status(command):
            continue
        if (command.msg_ref or "1").strip(_WS) != msg_id:
            continue  # it answers another message
        ref = command.cmd_ref.strip(_WS)
        sent = names.get(ref)
        if sent is None:
            yield _finding(Rule.STATUS_REF, f"{where.path}/CmdRef", f"CmdRef {ref} names no command of MsgID {msg_id}")
        elif isinstance(command, m.Status) and command.cmd.strip(_WS) not in sent:
            shown = " or ".join(sorted(sent))
            yield _finding(Rule.STATUS_CMD, f"{where.path}/Cmd", f"Cmd {command.cmd} but CmdRef {ref} is a {shown}")
        elif isinstance(command, m.Results) and "Get" not in sent:
            yield _finding(Rule.STATUS_REF, f"{where.path}/CmdRef", f"Results for CmdRef {ref}, which is not a Get")


def _more_data(source: CommandSource, located: list[Located]) -> Iterator[Finding]:
    final = isinstance(source, m.SyncML) and source.body.final
    last_command = len(located) - 1
    for position, where in enumerate(located):
        items: tuple[m.Item, ...] = getattr(where.command, "items", ())
        if not any(item.more_data for item in items):
            continue  # no path to build
        for index, (item, path) in enumerate(zip(items, item_paths(items, where.path), strict=True)):
            if not item.more_data:
                continue
            if item.data is None:
                yield _finding(Rule.MOREDATA_NO_DATA, path, "MoreData on an Item without Data")
            if final:
                yield _finding(Rule.MOREDATA_LAST_CHUNK, path, "MoreData in a message with Final: no chunk can follow")
            if position != last_command or index != len(items) - 1:
                yield _finding(Rule.MOREDATA_NOT_LAST, path, "MoreData on an Item that is not the last of the message")
