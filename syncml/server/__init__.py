"""The server side of OMA DM: sessions, command queues, stores and the answers to bad input.

Everything a management endpoint needs beside the codec, in one place:

- :class:`ServerSession` follows one device session (sans I/O) and
  :class:`SessionTable` keeps the sessions in progress, keyed by
  :func:`session_key` and expired with time passed in;
- :class:`CommandQueue` holds what waits for each device between sessions
  (the unenroll sent once per enrollment); a :class:`QueueStore` keeps the
  queues with compare-and-swap saves (:class:`MemoryStore`,
  :class:`SQLiteStore`), and :func:`update_queue` is the safe way to change
  one;
- :func:`reply` builds the answer to a received message (header Status,
  one Status per command, Results) and :func:`result_item` one Results Item;
  :class:`ReplyTooLargeError` says its Statuses alone exceed MaxMsgSize;
- :func:`error_response` says what to send for a message that cannot be
  taken; :data:`CONTENT_TYPE_XML`, :data:`CONTENT_TYPE_WBXML` and
  :func:`encoding_of` name the encodings; :func:`check_hmac` and
  :func:`sign` handle the ``x-syncml-hmac`` header.

The helpers with many functions are modules of their own, each imported by
name like every public module (see :mod:`syncml`): :mod:`syncml.auth`
(credentials, challenges, the HMAC header), :mod:`syncml.outbox` (commands
packed to MaxMsgSize) and :mod:`syncml.largeobject` (split and reassembled
Data).  The session uses them for you; a server calls them directly only to
check credentials or to pack messages without a session.

``examples/mdm_server.py`` is a whole endpoint built on this package, and
``docs/server-howto.md`` walks through it.
"""

from __future__ import annotations

from ..commandqueue import CommandQueue, EntryKind, EntryState, Queued, QueueEntry, QueueError
from ..events import (
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
from ..replies import ReplyTooLargeError, reply, result_item
from ..session import RetryMismatch, ServerSession, SessionConfig, SessionError, SessionState
from .content import (
    CONTENT_TYPE_WBXML,
    CONTENT_TYPE_XML,
    HMAC_HEADER,
    Encoding,
    HmacError,
    check_hmac,
    content_type,
    encoding_of,
    sign,
)
from .refusal import ErrorResponse, error_response, read_header
from .sessions import Expired, Received, SessionKey, SessionTable, session_key
from .sqlite_store import SQLiteStore
from .store import MemoryStore, QueueStore, StoreConflict, update_queue

__all__ = [
    "CONTENT_TYPE_WBXML",
    "CONTENT_TYPE_XML",
    "HMAC_HEADER",
    "ChunkAccepted",
    "ClientEventReceived",
    "CommandHeld",
    "CommandNotSent",
    "CommandQueue",
    "CommandReceived",
    "CommandTooLarge",
    "CommandUnanswered",
    "Encoding",
    "EntryKind",
    "EntryState",
    "ErrorResponse",
    "Event",
    "Expired",
    "GenericAlertReceived",
    "HeaderStatusReceived",
    "HmacError",
    "MemoryStore",
    "MsgIdSkipped",
    "ObjectAbandoned",
    "QueueEntry",
    "QueueError",
    "QueueStore",
    "Queued",
    "Received",
    "ReplyTooLargeError",
    "ResultsReceived",
    "RetryMismatch",
    "SQLiteStore",
    "ServerSession",
    "SessionAborted",
    "SessionConfig",
    "SessionError",
    "SessionKey",
    "SessionStarted",
    "SessionState",
    "SessionTable",
    "StatusReceived",
    "StoreConflict",
    "UnenrollmentRequested",
    "UnmatchedResults",
    "UnmatchedStatus",
    "check_hmac",
    "content_type",
    "encoding_of",
    "error_response",
    "read_header",
    "reply",
    "result_item",
    "session_key",
    "sign",
    "update_queue",
]
