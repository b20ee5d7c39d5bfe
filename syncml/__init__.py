"""syncml: a lossless, hardened codec for SyncML / OMA DM 1.2 as Windows MDM speaks it.

>>> import syncml
>>> msg = syncml.parse(b'''<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD>
... <VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>
... <Target><LocURI>https://mdm.example.com</LocURI></Target><Source><LocURI>DEV-1</LocURI></Source>
... </SyncHdr><SyncBody><Alert><CmdID>2</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>''')
>>> msg.body.commands[0].code
<AlertCode.CLIENT_INITIATED_MGMT: 1201>

What is where:

- ``syncml`` (this package) holds what a user of the codec needs: ``parse``,
  ``serialize`` and their fragment forms, ``validate``, ``check``, the errors,
  ``Limits``, every class of :mod:`syncml.model`, the status and alert codes,
  quirks, and the message-level helpers any reader of a parsed message needs
  (generic alerts and client events, DevInfo, the quote repair).
- ``syncml.server`` holds the server machinery: the sans-I/O session and its
  events, the command queue and its stores, the reply builder and the
  answers to bad input.  ``import syncml`` loads none of it.

One rule for modules: ``__all__`` (here and in ``syncml.server``) lists
classes, functions and constants, never a module, and a public module is
imported by its own dotted name, never reached as an attribute of a package
imported earlier::

    from syncml import msft, alerts, auth, ddf   # modules, each imported by name
    from syncml.server import ServerSession      # a name from a package's __all__

No public function or class shares its name with a module beside it, so
``syncml.devinfo`` is always the module (its reader is :func:`read_devinfo`).
"""

from __future__ import annotations

from ._api import WBXMLOptions, parse, parse_commands, serialize, serialize_commands
from ._check import Direction, Finding, Rule, Severity, check
from ._quirks import Quirk, QuirkKind
from ._schema import validate
from .alerts import AlertType, GenericAlert, client_event, client_events, generic_alert, generic_alerts
from .codes import AlertCode, StatusCode, alert_code, status_code
from .devinfo import DevInfo, devinfo_replace, read_devinfo
from .errors import DecodeError, EncodeError, SchemaError, SyncMLError, Violation
from .limits import DEFAULT_LIMITS, Limits, LimitsError
from .model import (
    UNNUMBERED,
    Add,
    Alert,
    Anchor,
    Atomic,
    CData,
    Chal,
    Command,
    Commands,
    Copy,
    Cred,
    Data,
    Delete,
    Exec,
    Field,
    Filter,
    Get,
    Item,
    Map,
    MapItem,
    Markup,
    Mem,
    Meta,
    Move,
    Opaque,
    Put,
    Record,
    Replace,
    Results,
    Search,
    Sequence,
    Source,
    SourceParent,
    Status,
    Sync,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
    TargetParent,
    Unknown,
    data_text,
    is_numbered,
    wire_name,
)
from .repair import repair_quotes

__version__ = "0.1.0"

__all__ = [
    "Add",
    "Alert",
    "AlertCode",
    "AlertType",
    "Anchor",
    "Atomic",
    "CData",
    "Chal",
    "Command",
    "Commands",
    "Copy",
    "Cred",
    "DEFAULT_LIMITS",
    "Data",
    "DecodeError",
    "Delete",
    "DevInfo",
    "Direction",
    "EncodeError",
    "Exec",
    "Field",
    "Filter",
    "Finding",
    "GenericAlert",
    "Get",
    "Item",
    "Limits",
    "LimitsError",
    "Map",
    "MapItem",
    "Markup",
    "Mem",
    "Meta",
    "Move",
    "Opaque",
    "Put",
    "Quirk",
    "QuirkKind",
    "Record",
    "Replace",
    "Results",
    "Rule",
    "SchemaError",
    "Search",
    "Sequence",
    "Severity",
    "Source",
    "SourceParent",
    "Status",
    "StatusCode",
    "Sync",
    "SyncBody",
    "SyncHdr",
    "SyncML",
    "SyncMLError",
    "Target",
    "TargetParent",
    "UNNUMBERED",
    "Unknown",
    "Violation",
    "WBXMLOptions",
    "alert_code",
    "check",
    "client_event",
    "client_events",
    "data_text",
    "devinfo_replace",
    "generic_alert",
    "generic_alerts",
    "is_numbered",
    "parse",
    "parse_commands",
    "read_devinfo",
    "repair_quotes",
    "serialize",
    "serialize_commands",
    "status_code",
    "validate",
    "wire_name",
]
