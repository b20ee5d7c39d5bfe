"""Sessions in progress, keyed by device and SessionID, with expiry.

A device's session is named by two values of its SyncHdr: ``Source/LocURI``
(the device: its DevID, or the client URI of its enrollment) and
``SessionID`` (the device chooses it; Windows counts in hex and uses each
for one session).  The pair is the key (:func:`session_key`): two devices
may use the same SessionID, and one device uses many.

:class:`SessionTable` finds the session a message belongs to (starting one
for a new key) and closes those idle too long.  A finished session is kept
until it expires, so that a device whose last answer was lost can send its
message again and get the same answer back (see
:meth:`syncml.server.ServerSession.receive`).  Time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import model as m
from .._api import parse
from ..events import Event
from ..session import ServerSession, SessionConfig, SessionError, SessionState

__all__ = ["Expired", "Received", "SessionKey", "SessionTable", "session_key"]


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class SessionKey:
    """What names a device session: the device's Source LocURI and its SessionID, as written."""

    device_id: str
    session_id: str


def session_key(header: m.SyncHdr) -> SessionKey:
    """The key of the session *header* belongs to."""
    return SessionKey(device_id=header.source.loc_uri, session_id=header.session_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Received:
    """One message taken by :meth:`SessionTable.receive`.

    ``leftovers`` are what an earlier session under the same key never got
    answered (it ended, and the device reused its SessionID for a new one).
    """

    key: SessionKey
    session: ServerSession
    events: tuple[Event, ...]
    new: bool
    leftovers: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Expired:
    """A session closed for idleness, and what never got an answer in it."""

    key: SessionKey
    session: ServerSession
    leftovers: tuple[Event, ...]


class SessionTable:
    """The sessions in progress, each a :class:`~syncml.server.ServerSession` made with *config*.

    *idle* is how long a session may go without a message before
    :meth:`expire` closes it.  *max_sessions* bounds the state devices can
    make the table hold: a message that would start one more session is
    refused (``SessionError`` with status 503, "service unavailable").
    """

    def __init__(
        self,
        config: SessionConfig | None = None,
        *,
        idle: timedelta = timedelta(minutes=5),
        max_sessions: int = 10_000,
    ) -> None:
        self.config = config or SessionConfig()
        self.idle = idle
        self.max_sessions = max_sessions
        self._sessions: dict[SessionKey, ServerSession] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, key: SessionKey) -> ServerSession | None:
        """The session under *key*, if any."""
        return self._sessions.get(key)

    def receive(self, data: bytes, *, now: datetime) -> Received:
        """Decode *data* once, find (or start) its session and let it take the message.

        A session that finished or was aborted is replaced by a new one when
        the message is not a retry of its last one (a device reusing a
        SessionID for a new session starts at MsgID 1).

        Raises:
            DecodeError, SessionError: as :meth:`syncml.server.ServerSession.receive`;
                a SessionError with status 503 when *max_sessions* are in progress.
        """
        msg = parse(data, strict=self.config.strict, limits=self.config.limits)
        key = session_key(msg.header)
        session = self._sessions.get(key)
        leftovers: tuple[Event, ...] = ()
        ended = (SessionState.FINISHED, SessionState.ABORTED, SessionState.CLOSED)
        if session is not None and session.state in ended and not session.would_replay(data):
            leftovers = session.close(now=now) if session.state is not SessionState.CLOSED else ()
            session = None
        new = session is None
        if session is None:
            if key not in self._sessions and len(self._sessions) >= self.max_sessions:
                raise SessionError(f"{self.max_sessions} sessions are in progress: try again later", status=503)
            session = self._sessions[key] = ServerSession(self.config)
        events = session.receive_decoded(msg, data, now=now)
        return Received(key=key, session=session, events=events, new=new, leftovers=leftovers)

    def drop(self, key: SessionKey, *, now: datetime) -> tuple[Event, ...]:
        """Close and forget the session under *key* (one that cannot go on); returns its leftovers."""
        session = self._sessions.pop(key, None)
        if session is None or session.state is SessionState.CLOSED:
            return ()
        return session.close(now=now)

    def expire(self, *, now: datetime) -> tuple[Expired, ...]:
        """Close and drop the sessions idle for :attr:`idle` or longer; returns them with their leftovers."""
        out = []
        for key, session in list(self._sessions.items()):
            if session.last_activity is None or session.expired(now=now, idle=self.idle):
                leftovers = session.close(now=now) if session.state is not SessionState.CLOSED else ()
                del self._sessions[key]
                out.append(Expired(key=key, session=session, leftovers=leftovers))
        return tuple(out)
