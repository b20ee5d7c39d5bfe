"""A sans-I/O OMA DM server session, in the spirit of h11's ``Connection``.

One :class:`ServerSession` follows one device session.  It never touches a
socket, a file or a clock: the server hands it each message the device sent
(:meth:`ServerSession.receive`, with the time), gets back typed events
(:mod:`syncml.events`), queues its own commands (:meth:`ServerSession.send`)
and asks for the bytes of its answer (:meth:`ServerSession.reply`).

What it does for the server, by the rules of OMA DM 1.2 (Protocol sections
2.1-2.3):

- answers every received command: SyncHdr Status first, then one Status per
  command in order (Results get one only when not 200), with the codes the
  server chose (:meth:`ServerSession.set_status`) or sensible defaults;
- numbers our MsgIDs (1, 2, ... in our direction) and CmdIDs (from 1 in
  each message) and remembers what each CmdID of each message was, so every
  Status and Results the device returns is matched to the command it answers,
  or reported as unmatched;
- builds each message within the device's MaxMsgSize, measured on the
  serialized bytes, splitting a large Item across messages (MoreData, Size
  on the first chunk) and putting split Items from the device back together
  (213 per chunk, 424 on a size mismatch, Alert 1225 for an abandoned one);
- keeps the package rules: a device package without Final gets the "next
  message" answer (Statuses and Alert 1222, nothing else, no Final); a
  message with a chunk to follow has no Final; after a 401/407 or an abort
  the answer holds only Statuses.

- answers a retried message (the very bytes of the last one, sent again
  because our answer was lost) with the very bytes of the answer already
  sent, and reports nothing new;
- holds back every queued command when the device says it is unenrolling
  (the 1226 unenrollment alert), and reports each one (:class:`CommandHeld`);
- answers in the encoding the device used (XML or WBXML), unless
  :attr:`SessionConfig.wbxml` says otherwise.

Typical use, one HTTP request at a time (:class:`syncml.server.SessionTable`
keeps the sessions, keyed by the device's Source LocURI and SessionID)::

    session = table.get_or_start(...)
    for event in session.receive(request_body, now=now):
        ...                              # look at events, session.send(...)
    response_body = session.reply()
    if session.state is not SessionState.AWAITING_MESSAGE:
        leftovers = session.close(now=now)   # what never got an answer

``docs/server-howto.md`` walks through a whole session.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from . import model as m
from ._api import parse, serialize, serialize_commands
from ._grammar import is_client_command
from ._numbers import uint_or_none
from ._walk import walk
from .alerts import client_events, generic_alerts
from .codes import AlertCode, StatusCode
from .devinfo import read_devinfo
from .errors import DecodeError, SyncMLError
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
from .largeobject import (
    DEFAULT_MAX_OBJECT_SIZE,
    PartialObject,
    Reassembler,
    chunk,
    no_end_of_data_alert,
    object_size,
    textual,
)
from .limits import DEFAULT_LIMITS, Limits
from .msft import UNENROLL_ALERT_TYPE
from .outbox import Outbox, Packed, Piece, chunkable
from .replies import ItemCodes, renumber, reply_commands, reply_header

__all__ = [
    "DEFAULT_PEER_MAX_MSG_SIZE",
    "RetryMismatch",
    "ServerSession",
    "SessionConfig",
    "SessionError",
    "SessionState",
]

DEFAULT_PEER_MAX_MSG_SIZE = 512 * 1024
"""The MaxMsgSize assumed when the device announces none (what Intune announces; no normative Windows limit exists)."""

#: What one character of Data may take on the wire ("&amp;" is five bytes).
_WIDEST_CHARACTER = 5
_SESSION_START = (AlertCode.SERVER_INITIATED_MGMT, AlertCode.CLIENT_INITIATED_MGMT)
_AUTH_FAILURES = (StatusCode.INVALID_CREDENTIALS, StatusCode.MISSING_CREDENTIALS)


class SessionError(SyncMLError):
    """A message that does not belong in this session, or a call out of turn.

    ``status`` is the code to answer the device with when the message is at
    fault (a wrong SessionID, a MsgID out of sequence); 0 for a call made out
    of turn by the server itself.
    """

    def __init__(self, reason: str, *, status: int = 0) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


class RetryMismatch(SessionError):
    """A message repeating the last MsgID of the session with different bytes.

    A device whose answer got lost sends its message again, byte for byte;
    the session answers it with its previous reply.  Other bytes under the
    same SessionID and MsgID are not a retry and cannot be answered
    consistently: ``status`` is 400.
    """


def _is_wbxml(data: bytes) -> bool:
    # The rule syncml.parse applies: WBXML starts with its version byte
    # (below 0x09), XML with "<", whitespace, a BOM or UTF-16/32 zero bytes.
    return bool(data) and data[0] <= 0x08 and data[:2] not in (b"\x00<", b"\x00\x00")


class SessionState(StrEnum):
    """Whose turn it is."""

    #: Waiting for the device's next message (and before its first).
    AWAITING_MESSAGE = "awaiting-message"
    #: A message was received: :meth:`ServerSession.reply` must answer it.
    REPLY_DUE = "reply-due"
    #: Our last reply asked the device nothing: it sends no more (protocol 2.1).
    FINISHED = "finished"
    #: Aborted by either side (Alert 1223): nothing more is exchanged.
    ABORTED = "aborted"
    #: :meth:`ServerSession.close` was called.
    CLOSED = "closed"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionConfig:
    """How a :class:`ServerSession` behaves.

    Attributes:
        max_msg_size: our own MaxMsgSize, announced in our SyncHdr Meta when
            set (Windows ignores it; other OMA DM clients respect it).
        max_obj_size: our MaxObjSize, announced likewise; also the most a
            split object from the device may total (default 16 MiB).
        peer_max_msg_size: the MaxMsgSize assumed until the device announces
            one (default 512 KiB).
        limits: decoding limits for received messages (a model passed to
            ``receive`` is written and read back under them too).
        strict: decode received messages strictly.
        wbxml: answer in WBXML (True) or XML (False); None, the default,
            answers in the encoding of the device's last message.
    """

    max_msg_size: int | None = None
    max_obj_size: int | None = None
    peer_max_msg_size: int = DEFAULT_PEER_MAX_MSG_SIZE
    limits: Limits = DEFAULT_LIMITS
    strict: bool = False
    wbxml: bool | None = None

    def __post_init__(self) -> None:
        for name in ("max_msg_size", "max_obj_size", "peer_max_msg_size"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise SyncMLError(f"{name} must be a positive number of bytes, not {value!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Record:
    """What one CmdID of one of our messages was."""

    command: m.Command
    ticket: int  # 0 for the session's own Alerts
    key: str | None
    piece: Piece
    top: bool  # not nested in an Atomic or Sequence


@dataclass(frozen=True, slots=True)
class _Need:
    """What a queued command needs: bytes in a message (its first chunk, if split) and its object size."""

    message: int
    object: int | None


def _measure(command: m.Command) -> _Need:
    numbered = renumber((command,), start=1)[0]
    need = len(serialize_commands((numbered,)))
    if not chunkable(numbered):
        return _Need(need, None)
    item = textual(numbered.items[0])
    total = object_size(item.data)
    # Split, it needs room for its first chunk's envelope and one character.
    shell = dataclasses.replace(numbered, items=(chunk(item, "", first=True, last=False, total=total),))
    return _Need(min(need, len(serialize_commands((shell,))) + _WIDEST_CHARACTER), total)


class ServerSession:
    """One device session, seen from the server.  See the module docstring."""

    def __init__(self, config: SessionConfig | None = None) -> None:
        self.config = config or SessionConfig()
        self.state = SessionState.AWAITING_MESSAGE
        self.session_id: str | None = None
        self.device_id: str | None = None
        self.peer_max_msg_size = self.config.peer_max_msg_size
        self.peer_max_obj_size: int | None = None
        self.last_activity: datetime | None = None
        self.last_reply: m.SyncML | None = None
        self._msg_id = 0  # our last MsgID
        self._peer_msg_id = 0
        self._outbox = Outbox()
        self._reassembler = Reassembler(max_object_size=self.config.max_obj_size or DEFAULT_MAX_OBJECT_SIZE)
        self._sent: dict[tuple[str, str], _Record] = {}
        self._answered: set[int] = set()
        self._tickets: dict[int, _Record] = {}  # ticket -> what of it went out last
        self._received: m.SyncML | None = None
        self._aborted_by_device = False
        self._abort = False
        self._codes: dict[str, ItemCodes] = {}
        self._own_codes: dict[str, ItemCodes] = {}
        self._header_code: int = StatusCode.OK
        self._chal: m.Chal | None = None
        self._abandoned: list[PartialObject] = []
        self._package_open = False
        self._needs: dict[int, _Need] = {}  # ticket -> sizes measured when queued
        self._envelope: tuple[m.SyncML, int] | None = None  # the envelope size, per received message
        self._last_in: bytes | None = None  # the bytes of the last message received
        self._last_out: bytes | None = None  # the bytes of our answer to it
        self._replay: SessionState | None = None  # the state to return to after answering a retry
        self._holding = False
        self.wbxml = False  # the encoding of our replies

    @property
    def retried(self) -> bool:
        """True when the message just received repeats the last one: ``reply()`` sends the same answer."""
        return self._replay is not None

    @property
    def holding(self) -> bool:
        """True once the device said it is unenrolling: no command of ours goes out any more."""
        return self._holding

    @property
    def content_type(self) -> str:
        """The HTTP Content-Type of our replies (``application/vnd.syncml.dm+xml`` or ``+wbxml``)."""
        # Imported here: syncml.server imports this module.
        from .server.content import CONTENT_TYPE_WBXML, CONTENT_TYPE_XML  # noqa: PLC0415

        return CONTENT_TYPE_WBXML if self.wbxml else CONTENT_TYPE_XML

    # --- the device's messages ---------------------------------------------------

    def receive(self, data: bytes | str | m.SyncML, *, now: datetime) -> tuple[Event, ...]:
        """Take the device's next message; returns what it says, as events.

        A model is written out and read back, so that the session's limits
        and strictness apply to it as to bytes.  A message whose bytes equal
        the last one's (a device retrying after our answer was lost) returns
        no events, and :meth:`reply` returns the bytes of the answer already
        sent.

        Raises:
            DecodeError: *data* is not a SyncML message.  Its ``status`` is
                the SyncML status code for the answer (400, 413, 415, 505
                ...), not an HTTP status: :func:`syncml.server.error_response`
                turns it into what to send.
            RetryMismatch: the message repeats the last MsgID with other bytes.
            SessionError: the message belongs to another session, its MsgID
                goes back, or a reply is still due.
        """
        raw = self._bytes(data)
        if self.would_replay(raw):
            return self._replay_last(now)
        self._require(SessionState.AWAITING_MESSAGE, SessionState.FINISHED)
        # Text is decoded as text: its XML declaration may name any encoding.
        source = data if isinstance(data, str) else raw
        return self._take(parse(source, strict=self.config.strict, limits=self.config.limits), raw, now=now)

    def receive_decoded(self, msg: m.SyncML, data: bytes, *, now: datetime) -> tuple[Event, ...]:
        """:meth:`receive` for a message the caller decoded already from *data* under this session's config.

        For a server that reads the header first (to find the session,
        :class:`syncml.server.SessionTable`) without decoding twice.
        """
        if self.would_replay(data):
            return self._replay_last(now)
        return self._take(msg, data, now=now)

    def would_replay(self, data: bytes) -> bool:
        """Whether *data* repeats the last message received, which :meth:`receive` answers with the last reply."""
        waiting = self.state in (SessionState.AWAITING_MESSAGE, SessionState.FINISHED, SessionState.ABORTED)
        return waiting and self._last_out is not None and data == self._last_in

    def _replay_last(self, now: datetime) -> tuple[Event, ...]:
        self._replay, self.state = self.state, SessionState.REPLY_DUE
        self.last_activity = now
        return ()

    def _bytes(self, data: bytes | str | m.SyncML) -> bytes:
        """*data* as bytes, to compare with the last message (text as UTF-8, a model as written)."""
        if isinstance(data, m.SyncML):
            return serialize(data)
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def _take(self, msg: m.SyncML, raw: bytes, *, now: datetime) -> tuple[Event, ...]:
        """Receive *msg*, decoded already from *raw* under this session's config."""
        self._require(SessionState.AWAITING_MESSAGE, SessionState.FINISHED)
        limits = (self._received is None, self.peer_max_msg_size, self.peer_max_obj_size)
        skipped = self._check_header(msg.header, raw)
        self.last_activity = now
        self.wbxml = _is_wbxml(raw) if self.config.wbxml is None else self.config.wbxml
        self._last_in, self._last_out = raw, None
        self._received = msg
        self._codes, self._own_codes, self._abandoned = {}, {}, []
        self._header_code, self._chal = StatusCode.OK, None
        # Commands queued before the device said how much it takes, or
        # before it lowered its limits, may no longer fit.
        changed = limits != (False, self.peer_max_msg_size, self.peer_max_obj_size)
        events: list[Event] = list(skipped)
        events.extend(self._refuse_misfits() if changed else [])
        starts = self._starts(msg)
        commands: list[Event] = []
        for command in msg.body.commands:
            commands.extend(self._dispatch(command, started=bool(starts)))
        # The unenrollment alert comes first, with the commands it holds back:
        # a server acting on SessionStarted must already know.
        unenrolling = [e for e in commands if isinstance(e, UnenrollmentRequested)]
        if unenrolling:
            events.extend(unenrolling)
            events.extend(self._hold())
        events.extend(starts)
        events.extend(e for e in commands if not isinstance(e, UnenrollmentRequested))
        ended = self._reassembler.end_message()
        if ended is not None:
            self._abandoned.append(ended)
        events.extend(ObjectAbandoned(partial=p) for p in self._abandoned)
        self.state = SessionState.REPLY_DUE
        return tuple(events)

    def _hold(self) -> list[Event]:
        """Take every queued command out, unsent: the device is unenrolling."""
        self._holding = True
        held = self._outbox.drain()
        self._answered.update(h.ticket for h in held)
        return [CommandHeld(command=h.command, key=h.key) for h in held]

    def _starts(self, msg: m.SyncML) -> list[SessionStarted]:
        """A SessionStarted per 1200/1201 Alert, with the DevInfo the message reports."""
        starts = [a for a in msg.body.commands if isinstance(a, m.Alert) and _alert_code(a) in _SESSION_START]
        info = read_devinfo(msg) if starts else None
        return [
            SessionStarted(
                session_id=msg.header.session_id,
                device_id=msg.header.source.loc_uri,
                alert=_alert_code(alert) or 0,
                header=msg.header,
                devinfo=info,
            )
            for alert in starts
        ]

    def _check_header(self, header: m.SyncHdr, raw: bytes) -> list[Event]:
        """Check the message belongs here; returns :class:`MsgIdSkipped` when its MsgID is not the next."""
        try:
            msg_id = header.msg_id_int
        except DecodeError as exc:
            raise SessionError(f"MsgID {header.msg_id!r} is not a number", status=400) from exc
        if self.session_id is not None:
            if header.session_id != self.session_id:
                raise SessionError(
                    f"SessionID {header.session_id!r} is not this session's {self.session_id!r}", status=400
                )
            if header.source.loc_uri != self.device_id:
                raise SessionError(
                    f"device {header.source.loc_uri!r} is not this session's {self.device_id!r}", status=400
                )
            if msg_id == self._peer_msg_id:
                raise RetryMismatch(
                    f"MsgID {msg_id} repeats the last message with different bytes ({len(raw)} bytes)", status=400
                )
            if msg_id < self._peer_msg_id:
                raise SessionError(f"MsgID {msg_id} goes back (the last was {self._peer_msg_id})", status=400)
        self.session_id, self.device_id = header.session_id, header.source.loc_uri
        expected = self._peer_msg_id + 1
        self._peer_msg_id = msg_id
        meta = header.meta
        if meta is not None:
            try:
                self.peer_max_msg_size = meta.max_msg_size_int or self.peer_max_msg_size
                self.peer_max_obj_size = meta.max_obj_size_int or self.peer_max_obj_size
            except DecodeError as exc:
                raise SessionError(f"unreadable size in the device's SyncHdr Meta: {exc.reason}", status=400) from exc
        return [] if msg_id == expected else [MsgIdSkipped(expected=expected, received=msg_id)]

    def _dispatch(self, command: m.Command, *, started: bool) -> list[Event]:
        if isinstance(command, m.Status):
            return [self._on_status(command)]
        if not is_client_command(command):  # anything else is answered 405
            for located in walk([command]):
                self._own_codes[located.command.cmd_id] = StatusCode.COMMAND_NOT_ALLOWED
            return [CommandReceived(command=command)]
        whole = self._reassemble(command)
        if whole is None:
            return []
        if isinstance(whole, m.Results):
            return [self._on_results(whole)]
        if isinstance(whole, m.Alert):
            return self._on_alert(whole)
        if started and read_devinfo([whole]) is not None:
            return []  # reported in SessionStarted.devinfo
        return [CommandReceived(command=whole)]

    def _reassemble(self, command: m.Alert | m.Replace | m.Results) -> m.Alert | m.Replace | m.Results | None:
        """The command with its whole Items only, or None while all are buffered; sets chunk codes."""
        name = m.wire_name(command)
        whole: list[m.Item] = []
        codes: list[int] = []
        for item in command.items:
            result = self._reassembler.feed(name, item)
            if result.abandoned is not None:
                self._abandoned.append(result.abandoned)
            codes.append(result.status or StatusCode.OK)
            if result.item is not None:
                whole.append(result.item)
        if any(code != StatusCode.OK for code in codes):
            self._own_codes[command.cmd_id] = codes if len(set(codes)) > 1 else codes[0]
        if command.items and not whole:
            return None
        return dataclasses.replace(command, items=tuple(whole)) if command.items else command

    def _on_alert(self, alert: m.Alert) -> list[Event]:
        code = _alert_code(alert)
        if code is None and alert.data is not None:
            self._own_codes[alert.cmd_id] = StatusCode.BAD_REQUEST  # a lenient parse let "abc" through
        if code in _SESSION_START or code == AlertCode.NEXT_MESSAGE:
            return []  # SessionStarted came first; 1222 is flow the session handles
        if code == AlertCode.SESSION_ABORT:
            self._aborted_by_device = True
            return [SessionAborted(alert=alert)]
        if code == AlertCode.CLIENT_EVENT:
            return [ClientEventReceived(event=e) for e in client_events([alert])]
        if code == AlertCode.GENERIC_ALERT:
            return [
                UnenrollmentRequested(alert=g) if g.matches(UNENROLL_ALERT_TYPE) else GenericAlertReceived(alert=g)
                for g in generic_alerts([alert])
            ]
        return [CommandReceived(command=alert)]

    def _on_status(self, status: m.Status) -> Event:
        if status.cmd_ref == "0" and status.cmd == "SyncHdr":
            return HeaderStatusReceived(status=status, matched=_ours(status.msg_ref, self._msg_id))
        record = self._sent.get((status.msg_ref, status.cmd_ref))
        if record is None or m.wire_name(record.command) != status.cmd:
            return UnmatchedStatus(status=status)
        if record.piece in (Piece.FIRST, Piece.MIDDLE):
            if _success(status):
                return ChunkAccepted(status=status, command=record.command, key=record.key)
            self._outbox.cancel(record.ticket)  # the device refused the object: send no more of it
        if record.top:
            self._answered.add(record.ticket)
        return StatusReceived(status=status, command=record.command, key=record.key)

    def _on_results(self, results: m.Results) -> Event:
        # A Results without MsgRef answers the message the device is replying to
        # (the DTD comment's "MsgRef 1" is the same thing in a first exchange).
        msg_ref = results.msg_ref if results.msg_ref is not None else str(self._msg_id)
        record = self._sent.get((msg_ref, results.cmd_ref))
        if record is None or not isinstance(record.command, m.Get):
            return UnmatchedResults(results=results)
        return ResultsReceived(results=results, command=record.command, key=record.key)

    # --- our answer --------------------------------------------------------------

    def set_status(self, cmd_id: str, code: ItemCodes) -> None:
        """Choose the code (or per-Item codes) answering the received command *cmd_id*.

        Defaults: 200 for everything, Results get no Status when 200; 213,
        424 or 416 for a chunk as the reassembly requires; 405 for commands
        a client may not send.
        """
        self._require_fresh()
        self._codes[cmd_id] = code

    def set_header_status(self, code: int, *, chal: m.Chal | None = None) -> None:
        """Choose the code answering the received SyncHdr, e.g. 212, or 401/407 with a ``Chal``.

        After a 401 or 407 the reply holds only Statuses, and the device is
        expected to send its package 1 again with credentials.
        """
        self._require_fresh()
        self._header_code, self._chal = code, chal

    def send(self, command: m.Command, *, key: str | None = None) -> None:
        """Queue *command* for the device; it goes out in the next reply that has room.

        Its CmdID is replaced.  *key* comes back on the events about it.

        Raises:
            EncodeError: *command* cannot be written.
            SessionError: it can never fit the device's MaxMsgSize (and cannot
                be split), its object exceeds the device's MaxObjSize, the
                session is over, or the device is unenrolling (:attr:`holding`).
        """
        self._require(SessionState.AWAITING_MESSAGE, SessionState.REPLY_DUE, SessionState.FINISHED)
        if self._holding:
            raise SessionError("the device is unenrolling (1226 alert): commands are held, not sent")
        need = _measure(command)
        misfit = self._misfit(need)
        if misfit is not None:
            raise misfit
        ticket = self._outbox.add(command, key=key)
        self._needs[ticket] = need
        self._tickets[ticket] = _Record(command=command, ticket=ticket, key=key, piece=Piece.WHOLE, top=True)
        if self.state is SessionState.FINISHED:
            self.state = SessionState.AWAITING_MESSAGE

    def _misfit(self, need: _Need) -> SessionError | None:
        """Why a command of these sizes can never go to this device, or None when it can."""
        limit = self.peer_max_obj_size
        if need.object is not None and limit is not None and need.object > limit:
            return SessionError(f"an object of {need.object} bytes exceeds MaxObjSize {limit}", status=416)
        if self._received is not None and need.message + self._envelope_size() > self.peer_max_msg_size:
            return SessionError(
                f"a {need.message}-byte command cannot fit in MaxMsgSize {self.peer_max_msg_size}", status=413
            )
        return None

    def _refuse_misfits(self) -> list[Event]:
        """Take out of the queue what the device's (new) limits leave no room for."""
        events: list[Event] = []
        for waiting in self._outbox.waiting():
            misfit = self._misfit(self._needs[waiting.ticket])
            if misfit is not None:
                self._outbox.cancel(waiting.ticket)
                self._answered.add(waiting.ticket)
                events.append(
                    CommandTooLarge(
                        command=waiting.command, key=waiting.key, status=misfit.status, reason=misfit.reason
                    )
                )
        return events

    def abort(self) -> None:
        """End the session: the reply carries Alert 1223 and only Statuses besides."""
        self._require_fresh()
        self._abort = True

    def reply(self) -> bytes:
        """The bytes of our answer to the message just received.

        For a retried message, the bytes of the answer already sent.  In
        WBXML when the device wrote WBXML (see :attr:`content_type`).

        Raises:
            ReplyTooLargeError: the Statuses alone exceed the device's
                MaxMsgSize (``status`` 413; the reply stays due, nothing is
                used up).
            SessionError: no reply is due.
        """
        self._require(SessionState.REPLY_DUE)
        if self._replay is not None:
            assert self._last_out is not None
            self.state, self._replay = self._replay, None
            return self._last_out
        received = self._received
        assert received is not None
        header = reply_header(received.header, msg_id=self._msg_id + 1, meta=self._our_meta())
        leading = list(
            reply_commands(
                received, header_code=self._header_code, chal=self._chal, codes={**self._own_codes, **self._codes}
            )
        )
        leading.extend(no_end_of_data_alert(p, cmd_id="1") for p in self._abandoned)
        take, final, next_state = self._plan(received, leading)
        packed = self._outbox.pack(header, leading, max_msg_size=self.peer_max_msg_size, take=take, final=final)
        self._msg_id += 1  # only now: a reply that could not be built used no MsgID
        self._remember(packed)
        self.last_reply = packed.message
        # Our package stays open while a message of ours lacks Final, except
        # a "next message" reply, which is no package of its own.
        self._package_open = take and not packed.final
        self.state = next_state if next_state is not None else self._after(packed)
        # Sizes are measured on the XML; the WBXML of a message is smaller.
        self._last_out = serialize(packed.message, wbxml=True) if self.wbxml else packed.data
        return self._last_out

    def _plan(self, received: m.SyncML, leading: list[m.Command]) -> tuple[bool, bool, SessionState | None]:
        """(take queued commands, may be final, forced next state) for this reply."""
        if self._abort or self._aborted_by_device:
            if self._abort:
                leading.append(m.Alert(cmd_id="1", data=str(AlertCode.SESSION_ABORT.value)))
            return False, True, SessionState.ABORTED
        if self._header_code in _AUTH_FAILURES:
            return False, True, SessionState.AWAITING_MESSAGE  # the device resends package 1
        if not received.body.final and not self._package_open:
            # Protocol 2.1: while the device's package is open, the answer is
            # "next message": Statuses and Alert 1222, no new commands, no Final.
            leading.append(m.Alert(cmd_id="1", data=str(AlertCode.NEXT_MESSAGE.value)))
            return False, False, SessionState.AWAITING_MESSAGE
        return True, True, None

    def _after(self, packed: Packed) -> SessionState:
        asks = packed.sent or any(not isinstance(c, m.Status) for c in packed.leading)
        if asks or not packed.final or len(self._outbox):
            return SessionState.AWAITING_MESSAGE
        return SessionState.FINISHED

    def _remember(self, packed: Packed) -> None:
        msg_id = str(self._msg_id)
        for command in packed.leading:
            if isinstance(command, m.Alert):
                self._sent[msg_id, command.cmd_id] = _Record(
                    command=command, ticket=0, key=None, piece=Piece.WHOLE, top=True
                )
        for sent in packed.sent:
            for located in walk([sent.command]):
                nested = bool(located.containers)
                record = _Record(
                    command=located.command,
                    ticket=sent.ticket,
                    key=sent.key,
                    piece=Piece.WHOLE if nested else sent.piece,
                    top=not nested,
                )
                self._sent[msg_id, located.command.cmd_id] = record
                if not nested:
                    self._tickets[sent.ticket] = record

    def _our_meta(self) -> m.Meta | None:
        size, obj = self.config.max_msg_size, self.config.max_obj_size
        if size is None and obj is None:
            return None
        return m.Meta(
            max_msg_size=None if size is None else str(size),
            max_obj_size=None if obj is None else str(obj),
        )

    def _envelope_size(self) -> int:
        """Bytes of the smallest message of ours that can carry a command.

        Header, Final, and two Statuses: while the device's package stays
        open, each of its messages brings at least its SyncHdr and the 1222
        Alert asking for more, and we answer both.  References are taken
        five digits wide so that later, longer MsgIDs still fit.
        """
        received = self._received
        assert received is not None
        if self._envelope is not None and self._envelope[0] is received:
            return self._envelope[1]
        header = reply_header(received.header, msg_id=99999, meta=self._our_meta())
        hdr = m.Status(cmd_id="1", msg_ref="99999", cmd_ref="0", cmd="SyncHdr", data="200")
        ask = m.Status(cmd_id="2", msg_ref="99999", cmd_ref="99999", cmd="Alert", data="200")
        size = len(serialize(m.SyncML(header=header, body=m.SyncBody(commands=(hdr, ask), final=True))))
        self._envelope = (received, size)
        return size

    # --- the end -------------------------------------------------------------------

    def close(self, *, now: datetime) -> tuple[Event, ...]:
        """End the session; returns what never got an answer.

        :class:`CommandNotSent` for commands still queued (or split and only
        partly sent), :class:`CommandUnanswered` for commands that went out
        without a Status coming back, :class:`ObjectAbandoned` for a split
        object from the device that never completed.  The session's own
        Alerts are not reported.
        """
        self.last_activity = now
        drained = self._outbox.drain()
        events: list[Event] = [CommandNotSent(command=s.command, key=s.key) for s in drained]
        skip = self._answered | {s.ticket for s in drained}
        events.extend(
            CommandUnanswered(command=record.command, key=record.key)
            for ticket, record in self._tickets.items()
            if ticket not in skip
        )
        partial = self._reassembler.abandon()
        if partial is not None:
            events.append(ObjectAbandoned(partial=partial))
        self.state = SessionState.CLOSED
        return tuple(events)

    def expired(self, *, now: datetime, idle: timedelta) -> bool:
        """True when nothing was received for *idle* (the device went away mid-session)."""
        return self.last_activity is not None and now - self.last_activity >= idle

    @property
    def pending(self) -> int:
        """How many of our commands still wait for a Status (queued ones included)."""
        return sum(1 for t in self._tickets if t not in self._answered)

    def _require_fresh(self) -> None:
        """A reply is due, and not one repeating an answer already sent."""
        self._require(SessionState.REPLY_DUE)
        if self._replay is not None:
            raise SessionError("a retried message is answered with the reply already sent: nothing can change it")

    def _require(self, *states: SessionState) -> None:
        if self.state not in states:
            wanted = " or ".join(s.value for s in states)
            raise SessionError(f"the session is {self.state.value}, not {wanted}")


def _alert_code(alert: m.Alert) -> AlertCode | int | None:
    """The Alert's code, or None when its Data is missing or not a number."""
    try:
        return alert.code
    except DecodeError:
        return None


def _ours(msg_ref: str, last: int) -> bool:
    number = uint_or_none(msg_ref)
    return number is not None and 1 <= number <= last


def _success(status: m.Status) -> bool:
    try:
        return 100 <= status.code < 300
    except DecodeError:
        return False
