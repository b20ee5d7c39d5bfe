"""Content types of OMA DM over HTTP, and the HMAC integrity header.

OMA DM 1.2 over HTTP (the DM HTTP binding) posts
each message with the media type of its encoding: XML or WBXML.  A server
answers in the encoding the device used (:class:`syncml.server.ServerSession` does).

The ``x-syncml-hmac`` header (``syncml:auth-MAC``) proves the body is the
one the sender wrote: :func:`check_hmac` verifies a request's header with
the nonce *you* gave the device, :func:`sign` makes the header for your
answer with the nonce the *device* gave you.  A request that fails the check
is refused like any other bad message: ``error_response(body, error,
chal=...)`` (a 401 in the SyncHdr Status, with a challenge carrying a fresh
nonce).

>>> encoding_of("application/vnd.syncml.dm+wbxml; charset=utf-8")
<Encoding.WBXML: 'wbxml'>
>>> encoding_of("text/html") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .. import auth
from ..errors import DecodeError, SyncMLError

__all__ = [
    "CONTENT_TYPE_WBXML",
    "CONTENT_TYPE_XML",
    "HMAC_HEADER",
    "Encoding",
    "HmacError",
    "check_hmac",
    "content_type",
    "encoding_of",
    "sign",
]

CONTENT_TYPE_XML = "application/vnd.syncml.dm+xml"
CONTENT_TYPE_WBXML = "application/vnd.syncml.dm+wbxml"
#: The HTTP header of ``syncml:auth-MAC`` (header names are case-insensitive).
HMAC_HEADER = "x-syncml-hmac"


class Encoding(StrEnum):
    """How a message is written on the wire."""

    XML = "xml"
    WBXML = "wbxml"


_BY_TYPE = {CONTENT_TYPE_XML: Encoding.XML, CONTENT_TYPE_WBXML: Encoding.WBXML}


def encoding_of(content_type: str | None) -> Encoding | None:
    """The encoding a Content-Type names, or None when it is not an OMA DM type (answer HTTP 415).

    Parameters (``; charset=...``) and case are ignored.
    """
    if content_type is None:
        return None
    return _BY_TYPE.get(content_type.split(";", 1)[0].strip().lower())


def content_type(encoding: Encoding) -> str:
    """The Content-Type for *encoding*."""
    return CONTENT_TYPE_WBXML if encoding is Encoding.WBXML else CONTENT_TYPE_XML


class HmacError(SyncMLError):
    """A request whose ``x-syncml-hmac`` header is missing, unreadable or wrong.

    ``status`` is 401 (the SyncML code to answer with, through
    :func:`syncml.server.error_response` with a ``chal``).
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.status = 401
        super().__init__(reason)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def check_hmac(
    headers: Mapping[str, str], body: bytes, *, password: str, nonce: bytes, username: str | None = None
) -> str:
    """Verify the request's ``x-syncml-hmac`` header over *body*; returns the user it names.

    *nonce* is the one this server last gave the device (raw bytes).

    Raises:
        HmacError: the header is missing, unreadable, names another user, or
            its mac does not match.
    """
    value = _header(headers, HMAC_HEADER)
    if value is None:
        raise HmacError(f"the request has no {HMAC_HEADER} header")
    try:
        found = auth.parse_hmac_header(value)
        valid = auth.verify_hmac(value, password=password, nonce=nonce, body=body, username=username)
    except DecodeError as exc:
        raise HmacError(f"{HMAC_HEADER} is unreadable: {exc.reason}") from None
    if not valid:
        raise HmacError(f"{HMAC_HEADER} does not match the body for user {found.username!r}")
    return found.username


def sign(body: bytes, *, username: str, password: str, nonce: bytes) -> dict[str, str]:
    """The ``x-syncml-hmac`` header for our answer *body* (nonce: the one the device gave us)."""
    return {HMAC_HEADER: auth.hmac_header(username, password, nonce, body)}
