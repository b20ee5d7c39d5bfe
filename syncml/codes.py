"""SyncML status codes and OMA DM alert codes.

Both enums are ``IntEnum`` so they compare equal to the plain numbers on the
wire.  Numbers we do not know (vendor codes such as 250 or 260 exist in the
wild) are never an error: :func:`status_code` and :func:`alert_code` return
them as plain ``int``.

Sources: SyncML RepPro 1.2 section 10 as listed by the Funambol SDK enum,
Microsoft's "OMA DM protocol support" page, and OMA DM Protocol 1.2
section 2.4 / 4.1 (alert codes); docs/conformance.md tables them.  Every
code of those tables is a member, with its meaning.  The
data-sync alert codes (100, 200-210, 221-225) are members too, as Horde's
SyncML constants list them (224 and 225 new in DS 1.2); they are never valid
in DM, which :attr:`AlertCode.data_sync` tells.  What is deliberately not a
member, and so stays a plain ``int``: 515 (not assigned in any table
consulted), the reserved alert ranges 211-220, 1105-1199, 1202-1221 and
1227-1299.

>>> StatusCode(424).meaning
'size mismatch (reassembled object differs from Meta Size)'
>>> status_code(515), alert_code(1227)
(515, 1227)
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["AlertCode", "StatusCode", "alert_code", "status_code"]


class StatusCode(IntEnum):
    """Result codes carried in ``Status/Data`` (SyncML RepPro 1.2 section 10)."""

    IN_PROGRESS = 101
    OK = 200
    ITEM_ADDED = 201
    ACCEPTED = 202
    NON_AUTHORITATIVE = 203
    NO_CONTENT = 204
    RESET_CONTENT = 205
    PARTIAL_CONTENT = 206
    CONFLICT_RESOLVED_WITH_MERGE = 207
    CONFLICT_RESOLVED_CLIENT_WINS = 208
    CONFLICT_RESOLVED_WITH_DUPLICATE = 209
    DELETE_WITHOUT_ARCHIVE = 210
    ITEM_NOT_DELETED = 211
    AUTHENTICATION_ACCEPTED = 212
    CHUNKED_ITEM_ACCEPTED = 213
    OPERATION_CANCELLED = 214
    NOT_EXECUTED = 215
    ATOMIC_ROLLBACK_OK = 216
    MULTIPLE_CHOICES = 300
    MOVED_PERMANENTLY = 301
    FOUND = 302
    SEE_OTHER = 303
    NOT_MODIFIED = 304
    USE_PROXY = 305
    BAD_REQUEST = 400
    INVALID_CREDENTIALS = 401
    PAYMENT_REQUIRED = 402
    FORBIDDEN = 403
    NOT_FOUND = 404
    COMMAND_NOT_ALLOWED = 405
    OPTIONAL_FEATURE_NOT_SUPPORTED = 406
    MISSING_CREDENTIALS = 407
    REQUEST_TIMEOUT = 408
    CONFLICT = 409
    GONE = 410
    SIZE_REQUIRED = 411
    INCOMPLETE_COMMAND = 412
    REQUEST_ENTITY_TOO_LARGE = 413
    URI_TOO_LONG = 414
    UNSUPPORTED_MEDIA_TYPE = 415
    REQUESTED_SIZE_TOO_BIG = 416
    RETRY_LATER = 417
    ALREADY_EXISTS = 418
    CONFLICT_RESOLVED_WITH_SERVER_DATA = 419
    DEVICE_FULL = 420
    UNKNOWN_SEARCH_GRAMMAR = 421
    BAD_CGI_SCRIPT = 422
    SOFT_DELETE_CONFLICT = 423
    SIZE_MISMATCH = 424
    PERMISSION_DENIED = 425
    COMMAND_FAILED = 500
    COMMAND_NOT_IMPLEMENTED = 501
    BAD_GATEWAY = 502
    SERVICE_UNAVAILABLE = 503
    GATEWAY_TIMEOUT = 504
    DTD_VERSION_NOT_SUPPORTED = 505
    PROCESSING_ERROR = 506
    ATOMIC_FAILED = 507
    REFRESH_REQUIRED = 508
    RESERVED_509 = 509
    DATA_STORE_FAILURE = 510
    SERVER_FAILURE = 511
    SYNCHRONIZATION_FAILED = 512
    PROTOCOL_VERSION_NOT_SUPPORTED = 513
    OPERATION_CANCELLED_BEFORE_PROCESSING = 514
    ATOMIC_ROLLBACK_FAILED = 516
    ATOMIC_RESPONSE_TOO_LARGE = 517

    @property
    def meaning(self) -> str:
        """One line saying what the code means."""
        return _STATUS_MEANINGS[self]

    @property
    def is_success(self) -> bool:
        """True for 1xx and 2xx codes."""
        return self < 300


_STATUS_MEANINGS: dict[StatusCode, str] = {
    StatusCode.IN_PROGRESS: "in progress",
    StatusCode.OK: "OK",
    StatusCode.ITEM_ADDED: "item added",
    StatusCode.ACCEPTED: "accepted for processing (asynchronous)",
    StatusCode.NON_AUTHORITATIVE: "non-authoritative response",
    StatusCode.NO_CONTENT: "no content",
    StatusCode.RESET_CONTENT: "reset content",
    StatusCode.PARTIAL_CONTENT: "partial content",
    StatusCode.CONFLICT_RESOLVED_WITH_MERGE: "conflict resolved with merge",
    StatusCode.CONFLICT_RESOLVED_CLIENT_WINS: "conflict resolved, client wins",
    StatusCode.CONFLICT_RESOLVED_WITH_DUPLICATE: "conflict resolved with duplicate",
    StatusCode.DELETE_WITHOUT_ARCHIVE: "deleted without archive",
    StatusCode.ITEM_NOT_DELETED: "item not deleted",
    StatusCode.AUTHENTICATION_ACCEPTED: "authentication accepted for the session",
    StatusCode.CHUNKED_ITEM_ACCEPTED: "chunked item accepted and buffered",
    StatusCode.OPERATION_CANCELLED: "operation cancelled by the user",
    StatusCode.NOT_EXECUTED: "not executed",
    StatusCode.ATOMIC_ROLLBACK_OK: "rolled back with its Atomic",
    StatusCode.MULTIPLE_CHOICES: "multiple choices",
    StatusCode.MOVED_PERMANENTLY: "moved permanently",
    StatusCode.FOUND: "found at another URI",
    StatusCode.SEE_OTHER: "see other URI",
    StatusCode.NOT_MODIFIED: "not modified (user answered No)",
    StatusCode.USE_PROXY: "use proxy",
    StatusCode.BAD_REQUEST: "bad request (malformed command)",
    StatusCode.INVALID_CREDENTIALS: "invalid credentials",
    StatusCode.PAYMENT_REQUIRED: "payment required",
    StatusCode.FORBIDDEN: "forbidden",
    StatusCode.NOT_FOUND: "not found",
    StatusCode.COMMAND_NOT_ALLOWED: "command not allowed",
    StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED: "optional feature not supported",
    StatusCode.MISSING_CREDENTIALS: "credentials missing",
    StatusCode.REQUEST_TIMEOUT: "request timeout",
    StatusCode.CONFLICT: "update conflict",
    StatusCode.GONE: "gone",
    StatusCode.SIZE_REQUIRED: "size required",
    StatusCode.INCOMPLETE_COMMAND: "incomplete command",
    StatusCode.REQUEST_ENTITY_TOO_LARGE: "request entity too large",
    StatusCode.URI_TOO_LONG: "URI too long",
    StatusCode.UNSUPPORTED_MEDIA_TYPE: "unsupported media type or format",
    StatusCode.REQUESTED_SIZE_TOO_BIG: "requested size too big",
    StatusCode.RETRY_LATER: "retry later",
    StatusCode.ALREADY_EXISTS: "already exists",
    StatusCode.CONFLICT_RESOLVED_WITH_SERVER_DATA: "conflict resolved with server data",
    StatusCode.DEVICE_FULL: "device full",
    StatusCode.UNKNOWN_SEARCH_GRAMMAR: "unknown search grammar",
    StatusCode.BAD_CGI_SCRIPT: "bad CGI script",
    StatusCode.SOFT_DELETE_CONFLICT: "soft-delete conflict",
    StatusCode.SIZE_MISMATCH: "size mismatch (reassembled object differs from Meta Size)",
    StatusCode.PERMISSION_DENIED: "permission denied",
    StatusCode.COMMAND_FAILED: "command failed",
    StatusCode.COMMAND_NOT_IMPLEMENTED: "command not implemented",
    StatusCode.BAD_GATEWAY: "bad gateway",
    StatusCode.SERVICE_UNAVAILABLE: "service unavailable",
    StatusCode.GATEWAY_TIMEOUT: "gateway timeout",
    StatusCode.DTD_VERSION_NOT_SUPPORTED: "DTD version not supported",
    StatusCode.PROCESSING_ERROR: "processing error",
    StatusCode.ATOMIC_FAILED: "Atomic failed",
    StatusCode.REFRESH_REQUIRED: "refresh required",
    StatusCode.RESERVED_509: "reserved",
    StatusCode.DATA_STORE_FAILURE: "data store failure",
    StatusCode.SERVER_FAILURE: "server failure",
    StatusCode.SYNCHRONIZATION_FAILED: "synchronization failed",
    StatusCode.PROTOCOL_VERSION_NOT_SUPPORTED: "protocol version not supported",
    StatusCode.OPERATION_CANCELLED_BEFORE_PROCESSING: "operation cancelled before processing",
    StatusCode.ATOMIC_ROLLBACK_FAILED: "Atomic rollback failed",
    StatusCode.ATOMIC_RESPONSE_TOO_LARGE: "Atomic response too large to fit in one message",
}


class AlertCode(IntEnum):
    """Alert codes (``Alert/Data``): data sync (DS) below 1000, OMA DM from 1100."""

    DS_DISPLAY = 100
    TWO_WAY = 200
    SLOW_SYNC = 201
    ONE_WAY_FROM_CLIENT = 202
    REFRESH_FROM_CLIENT = 203
    ONE_WAY_FROM_SERVER = 204
    REFRESH_FROM_SERVER = 205
    TWO_WAY_BY_SERVER = 206
    ONE_WAY_FROM_CLIENT_BY_SERVER = 207
    REFRESH_FROM_CLIENT_BY_SERVER = 208
    ONE_WAY_FROM_SERVER_BY_SERVER = 209
    REFRESH_FROM_SERVER_BY_SERVER = 210
    RESULT_ALERT = 221
    DS_NEXT_MESSAGE = 222
    DS_NO_END_OF_DATA = 223
    SUSPEND = 224
    RESUME = 225
    DISPLAY = 1100
    CONFIRM_OR_REJECT = 1101
    TEXT_INPUT = 1102
    SINGLE_CHOICE = 1103
    MULTIPLE_CHOICE = 1104
    SERVER_INITIATED_MGMT = 1200
    CLIENT_INITIATED_MGMT = 1201
    NEXT_MESSAGE = 1222
    SESSION_ABORT = 1223
    CLIENT_EVENT = 1224
    NO_END_OF_DATA = 1225
    GENERIC_ALERT = 1226

    @property
    def meaning(self) -> str:
        """One line saying what the alert asks for or reports."""
        return _ALERT_MEANINGS[self]

    @property
    def data_sync(self) -> bool:
        """True for the SyncML DS codes, which OMA DM never uses."""
        return self < 1000


_ALERT_MEANINGS: dict[AlertCode, str] = {
    AlertCode.DS_DISPLAY: "data sync: display text",
    AlertCode.TWO_WAY: "data sync: two-way sync",
    AlertCode.SLOW_SYNC: "data sync: slow sync (every item compared)",
    AlertCode.ONE_WAY_FROM_CLIENT: "data sync: one-way sync from the client",
    AlertCode.REFRESH_FROM_CLIENT: "data sync: refresh from the client",
    AlertCode.ONE_WAY_FROM_SERVER: "data sync: one-way sync from the server",
    AlertCode.REFRESH_FROM_SERVER: "data sync: refresh from the server",
    AlertCode.TWO_WAY_BY_SERVER: "data sync: two-way sync alerted by the server",
    AlertCode.ONE_WAY_FROM_CLIENT_BY_SERVER: "data sync: one-way from the client, alerted by the server",
    AlertCode.REFRESH_FROM_CLIENT_BY_SERVER: "data sync: refresh from the client, alerted by the server",
    AlertCode.ONE_WAY_FROM_SERVER_BY_SERVER: "data sync: one-way from the server, alerted by the server",
    AlertCode.REFRESH_FROM_SERVER_BY_SERVER: "data sync: refresh from the server, alerted by the server",
    AlertCode.RESULT_ALERT: "data sync: ask for the results of a command",
    AlertCode.DS_NEXT_MESSAGE: "data sync: send the next message of the package",
    AlertCode.DS_NO_END_OF_DATA: "data sync: large object ended without its last chunk",
    AlertCode.SUSPEND: "data sync: suspend the session",
    AlertCode.RESUME: "data sync: resume a suspended session",
    AlertCode.DISPLAY: "user interaction: display text",
    AlertCode.CONFIRM_OR_REJECT: "user interaction: confirm or reject",
    AlertCode.TEXT_INPUT: "user interaction: text input",
    AlertCode.SINGLE_CHOICE: "user interaction: single choice",
    AlertCode.MULTIPLE_CHOICE: "user interaction: multiple choice",
    AlertCode.SERVER_INITIATED_MGMT: "session started by a server notification",
    AlertCode.CLIENT_INITIATED_MGMT: "session started by the client",
    AlertCode.NEXT_MESSAGE: "send the next message of the package",
    AlertCode.SESSION_ABORT: "session aborted",
    AlertCode.CLIENT_EVENT: "client event",
    AlertCode.NO_END_OF_DATA: "large object ended without its last chunk",
    AlertCode.GENERIC_ALERT: "generic alert",
}

_STATUS_BY_VALUE: dict[int, StatusCode] = {int(c): c for c in StatusCode}
_ALERT_BY_VALUE: dict[int, AlertCode] = {int(c): c for c in AlertCode}


def status_code(value: int) -> StatusCode | int:
    """Return the :class:`StatusCode` for *value*, or *value* itself if unknown."""
    return _STATUS_BY_VALUE.get(value, value)


def alert_code(value: int) -> AlertCode | int:
    """Return the :class:`AlertCode` for *value*, or *value* itself if unknown."""
    return _ALERT_BY_VALUE.get(value, value)
