"""What a :class:`~syncml.server.ServerSession` reports about the messages it receives.

Each event is a frozen value.  ``ServerSession.receive`` returns them in
this order (``docs/server-howto.md`` has the table of what to do with each):

1. :class:`MsgIdSkipped`, when the message's MsgID is not the one expected;
2. :class:`CommandTooLarge` for queued commands the device's (new) limits
   leave no room for;
3. :class:`UnenrollmentRequested`, first of the commands' events, when the
   message carries the unenrollment alert, then :class:`CommandHeld` for
   every queued command the session holds back because of it;
4. :class:`SessionStarted`;
5. the events of the commands, in the order of the commands they come from;
6. :class:`ObjectAbandoned` for split objects the device stopped sending.

A retried message (same bytes as the last one) gives no events at all.
``ServerSession.close`` returns what never got an answer.

``key`` is whatever the server passed to ``ServerSession.send(..., key=...)``
for the command concerned (a :class:`~syncml.server.CommandQueue` entry id, say);
commands the session sends on its own (Alerts 1222, 1223, 1225) have none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from . import model as m
from .alerts import GenericAlert
from .codes import AlertCode
from .devinfo import DevInfo
from .largeobject import PartialObject

__all__ = [
    "ChunkAccepted",
    "ClientEventReceived",
    "CommandNotSent",
    "CommandReceived",
    "CommandTooLarge",
    "CommandHeld",
    "CommandUnanswered",
    "Event",
    "GenericAlertReceived",
    "HeaderStatusReceived",
    "MsgIdSkipped",
    "ObjectAbandoned",
    "ResultsReceived",
    "SessionAborted",
    "SessionStarted",
    "StatusReceived",
    "UnenrollmentRequested",
    "UnmatchedResults",
    "UnmatchedStatus",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStarted:
    """The device opened (or, after an authentication challenge, reopened) its session.

    ``alert`` is 1201 for a session the device started by itself, 1200 for
    one a server notification asked for.  ``header`` is the device's SyncHdr,
    with its ``Cred`` and ``Source/LocName`` for authentication
    (:func:`syncml.auth.verify`).  ``devinfo`` is what its package 1
    reported, if anything.
    """

    session_id: str
    device_id: str
    alert: AlertCode | int
    header: m.SyncHdr
    devinfo: DevInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GenericAlertReceived:
    """One 1226 generic alert Item (other than the unenrollment alert)."""

    alert: GenericAlert


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientEventReceived:
    """One 1224 client event Item (LoginStatus, AADUserToken, requestpending ...)."""

    event: GenericAlert


@dataclass(frozen=True, slots=True, kw_only=True)
class UnenrollmentRequested:
    """The device is unenrolling: the 1226 ``com.microsoft:mdm.unenrollment.userrequest`` alert.

    It comes when the user unenrolled on the device and, in a new session,
    after the server's unenroll ``Exec`` (which itself gets no Status).
    """

    alert: GenericAlert


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusReceived:
    """The Status for a command we sent (for a split object: for its last chunk).

    ``command`` is the command as it went out (numbered; for a split object,
    its last chunk; for a nested command, the nested one).  A command whose
    Items got different codes receives one such event per Status.
    """

    status: m.Status
    command: m.Command
    key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChunkAccepted:
    """The device buffered one chunk of a split object we sent (Status 213)."""

    status: m.Status
    command: m.Command
    key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultsReceived:
    """The Results of a Get we sent; a split value arrives here whole."""

    results: m.Results
    command: m.Get
    key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderStatusReceived:
    """The device's Status for the SyncHdr of one of our messages.

    ``matched`` is False when its MsgRef names no message of ours (a Windows
    client retrying a session sends one with ``MsgRef 0``).
    """

    status: m.Status
    matched: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmatchedStatus:
    """A Status whose MsgRef/CmdRef/Cmd names nothing we sent."""

    status: m.Status


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmatchedResults:
    """A Results whose MsgRef/CmdRef names no Get we sent."""

    results: m.Results


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionAborted:
    """The device aborted the session (Alert 1223): the reply holds only Statuses."""

    alert: m.Alert


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandReceived:
    """A command the session has no more specific event for, whole (chunks joined).

    Such as a Replace outside package 1, an Alert 1225 about one of our
    objects, or a command a client may not send (answered 405 unless the
    server says otherwise).
    """

    command: m.Command


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectAbandoned:
    """The device stopped sending a split object before its last chunk; we answer Alert 1225."""

    partial: PartialObject


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandUnanswered:
    """A command that went out but got no Status before the session closed.

    The device may or may not have run it.  After an unenroll ``Exec`` this
    is expected: the device aborts without answering.
    """

    command: m.Command
    key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandTooLarge:
    """A queued command the device's MaxMsgSize (413) or MaxObjSize (416) leaves no room for.

    It was queued before the device announced its limits (or before it
    lowered them) and has been taken out of the queue unsent.
    """

    command: m.Command
    key: str | None = None
    status: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandHeld:
    """A queued command held back because the device is unenrolling (the 1226 alert came).

    It was taken out of the session unsent: a device that is unenrolling
    must not get new commands.  Put it back in the queue
    (:meth:`syncml.server.CommandQueue.apply` does).
    """

    command: m.Command
    key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MsgIdSkipped:
    """The message's MsgID is not the one expected: accepted, and reported.

    ``expected`` is 1 for the first message of a session (a device that
    starts at 5 was in a session this server lost, after a restart say), or
    the last MsgID plus one (messages of the device went missing).
    """

    expected: int
    received: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandNotSent:
    """A command still queued (or only partly sent, if split) when the session closed."""

    command: m.Command
    key: str | None = None


Event: TypeAlias = (
    SessionStarted
    | GenericAlertReceived
    | ClientEventReceived
    | UnenrollmentRequested
    | StatusReceived
    | ChunkAccepted
    | ResultsReceived
    | HeaderStatusReceived
    | UnmatchedStatus
    | UnmatchedResults
    | SessionAborted
    | CommandReceived
    | ObjectAbandoned
    | CommandUnanswered
    | CommandNotSent
    | CommandTooLarge
    | CommandHeld
    | MsgIdSkipped
)
"""Anything a session reports."""
