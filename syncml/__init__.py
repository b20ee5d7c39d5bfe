"""syncml: a lossless, hardened codec for SyncML / OMA DM 1.2 as Windows MDM speaks it.

>>> import syncml
>>> msg = syncml.parse(b'''<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD>
... <VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>
... <Target><LocURI>https://mdm.example.com</LocURI></Target><Source><LocURI>DEV-1</LocURI></Source>
... </SyncHdr><SyncBody><Alert><CmdID>2</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>''')
>>> msg.body.commands[0].code
<AlertCode.CLIENT_INITIATED_MGMT: 1201>
"""

from __future__ import annotations

from . import auth, ddf, msft
from ._api import parse, parse_commands, serialize, serialize_commands
from ._check import Direction, Finding, Rule, Severity, check
from ._quirks import Quirk, QuirkKind
from ._schema import validate
from .alerts import AlertType, GenericAlert, client_events, generic_alerts
from .codes import AlertCode, StatusCode, alert_code, status_code
from .commandqueue import CommandQueue, EntryKind, EntryState, Queued, QueueEntry, QueueError
from .devinfo import DevInfo, devinfo
from .errors import DecodeError, EncodeError, SchemaError, SyncMLError, Violation
from .events import (
    ChunkAccepted,
    ClientEventReceived,
    CommandHeld,
    CommandNotSent,
    CommandReceived,
    CommandTooLarge,
    CommandUnanswered,
    Event,
    GenericAlertReceived,
    HeaderStatusReceived,
    MsgIdSkipped,
    ObjectAbandoned,
    ResultsReceived,
    SessionAborted,
    SessionStarted,
    StatusReceived,
    UnenrollmentRequested,
    UnmatchedResults,
    UnmatchedStatus,
)
from .limits import DEFAULT_LIMITS, Limits, LimitsError
from .model import (
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
    Get,
    Item,
    Markup,
    Mem,
    Meta,
    Opaque,
    Replace,
    Results,
    Sequence,
    Source,
    SourceParent,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
    TargetParent,
    Unknown,
)
from .repair import repair_quotes
from .replies import ReplyTooLargeError, reply
from .session import RetryMismatch, ServerSession, SessionConfig, SessionError, SessionState

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
    "ChunkAccepted",
    "ClientEventReceived",
    "Command",
    "CommandHeld",
    "CommandNotSent",
    "CommandQueue",
    "CommandReceived",
    "CommandTooLarge",
    "CommandUnanswered",
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
    "EntryKind",
    "EntryState",
    "Event",
    "Exec",
    "Finding",
    "GenericAlert",
    "GenericAlertReceived",
    "Get",
    "HeaderStatusReceived",
    "Item",
    "Limits",
    "LimitsError",
    "Markup",
    "Mem",
    "Meta",
    "MsgIdSkipped",
    "ObjectAbandoned",
    "Opaque",
    "QueueEntry",
    "QueueError",
    "Queued",
    "Quirk",
    "QuirkKind",
    "Replace",
    "ReplyTooLargeError",
    "Results",
    "ResultsReceived",
    "RetryMismatch",
    "Rule",
    "SchemaError",
    "Sequence",
    "ServerSession",
    "SessionAborted",
    "SessionConfig",
    "SessionError",
    "SessionStarted",
    "SessionState",
    "Severity",
    "Source",
    "SourceParent",
    "Status",
    "StatusCode",
    "StatusReceived",
    "SyncBody",
    "SyncHdr",
    "SyncML",
    "SyncMLError",
    "Target",
    "TargetParent",
    "UnenrollmentRequested",
    "Unknown",
    "UnmatchedResults",
    "UnmatchedStatus",
    "Violation",
    "alert_code",
    "auth",
    "check",
    "client_events",
    "ddf",
    "devinfo",
    "generic_alerts",
    "msft",
    "parse",
    "parse_commands",
    "repair_quotes",
    "reply",
    "serialize",
    "serialize_commands",
    "status_code",
    "validate",
]
