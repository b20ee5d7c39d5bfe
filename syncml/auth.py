"""OMA DM application-layer authentication: basic, MD5 digest and the HMAC header.

OMA DM Protocol 1.2 section 2.4 and DM Security section 5.1:

- Credentials travel only in the SyncHdr ``Cred``: ``Meta`` with Type and
  Format, then ``Data``.
- ``syncml:auth-basic``: Data = b64(``user:password``).
- ``syncml:auth-md5``: Data = b64(MD5(b64(MD5(``user:password``)) ``:`` nonce)),
  Format ``b64``; the nonce is the raw bytes decoded from the last
  NextNonce received, and the user id goes in ``Source/LocName``.
- ``syncml:auth-MAC``: never in Cred but in the HTTP header
  ``x-syncml-hmac: algorithm=MD5, username="...", mac=...`` with
  mac = b64(MD5(b64(MD5(``user:password``)) ``:`` nonce ``:`` b64(MD5(body)))),
  the body hashed exactly as sent.
- A 401 or 407 SyncHdr Status carries a ``Chal`` (Meta Type, Format ``b64``
  and for MD5 a NextNonce); 212 means authenticated for the session and may
  carry the next session's nonce.  Windows expects a new nonce every session.

Everything here is a pure function: randomness comes from the caller
(:func:`new_nonce` takes the random source), and every comparison of a
secret is constant-time (:func:`hmac.compare_digest`).

The OMA DM 1.2 specification's own example (user ``Bruce2``, password
``OhBehave``, nonce ``Nonce``):

>>> md5_digest("Bruce2", "OhBehave", b"Nonce")
'Zz6EivR3yeaaENcRN6lpAQ=='
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from . import model as m
from .codes import StatusCode
from .errors import DecodeError, EncodeError
from .replies import Code, header_status

__all__ = [
    "AuthScheme",
    "Credentials",
    "HmacHeader",
    "basic_cred",
    "challenge",
    "chal",
    "credentials",
    "hmac_header",
    "hmac_mac",
    "md5_cred",
    "md5_digest",
    "new_nonce",
    "next_nonce",
    "parse_hmac_header",
    "verify",
    "verify_basic",
    "verify_hmac",
    "verify_md5",
]

_WS = " \t\r\n"


class AuthScheme(StrEnum):
    """Authentication types carried in ``Meta/Type`` of Cred and Chal."""

    BASIC = "syncml:auth-basic"
    MD5 = "syncml:auth-md5"
    #: HMAC-MD5 message integrity: announced in Chal, never sent in Cred.
    HMAC = "syncml:auth-MAC"


def _b64(raw: bytes) -> bytes:
    return base64.b64encode(raw)


def _md5(raw: bytes) -> bytes:
    # MD5 is what the protocol specifies; it is not used for anything else.
    return hashlib.md5(raw, usedforsecurity=False).digest()


def _b64_decode(text: str) -> bytes | None:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def _user_secret(username: str, password: str) -> bytes:
    """b64(MD5(user:password)), the part a server may store instead of the password."""
    return _b64(_md5(f"{username}:{password}".encode()))


def md5_digest(username: str, password: str, nonce: bytes) -> str:
    """The ``syncml:auth-md5`` credential: b64(MD5(b64(MD5(user:password)) + ':' + nonce))."""
    return _b64(_md5(_user_secret(username, password) + b":" + nonce)).decode("ascii")


def basic_cred(username: str, password: str) -> m.Cred:
    """A ``syncml:auth-basic`` Cred: b64 of ``user:password``."""
    data = _b64(f"{username}:{password}".encode()).decode("ascii")
    return m.Cred(meta=m.Meta(format="b64", type=AuthScheme.BASIC.value), data=data)


def md5_cred(username: str, password: str, nonce: bytes) -> m.Cred:
    """A ``syncml:auth-md5`` Cred for *nonce*; put *username* in ``Source/LocName`` too."""
    return m.Cred(meta=m.Meta(format="b64", type=AuthScheme.MD5.value), data=md5_digest(username, password, nonce))


@dataclass(frozen=True, slots=True, kw_only=True)
class Credentials:
    """What a SyncHdr's Cred claims, before verification.

    ``scheme`` is an :class:`AuthScheme` or the Type as written (None when
    Cred has no Type: OMA's default is basic, but a server should not guess).
    ``username`` is decoded from basic credentials, or taken from
    ``Source/LocName`` for MD5; None when it cannot be read.
    """

    scheme: AuthScheme | str | None
    username: str | None
    cred: m.Cred


def _scheme(cred: m.Cred) -> AuthScheme | str | None:
    written = None if cred.meta is None or cred.meta.type is None else cred.meta.type.strip(_WS)
    if written is None:
        return None
    for scheme in AuthScheme:
        if scheme.value.lower() == written.lower():
            return scheme
    return written


def credentials(header: m.SyncHdr) -> Credentials | None:
    """The credentials *header* carries, or None without Cred."""
    cred = header.cred
    if cred is None:
        return None
    scheme = _scheme(cred)
    username = header.source.loc_name
    if scheme is AuthScheme.BASIC:
        raw = _b64_decode(cred.data)
        try:
            username = None if raw is None or b":" not in raw else raw.split(b":", 1)[0].decode("utf-8")
        except UnicodeDecodeError:
            username = None
    return Credentials(scheme=scheme, username=username, cred=cred)


def verify_basic(cred: m.Cred, *, username: str, password: str) -> bool:
    """True when *cred* is basic credentials for *username* / *password*."""
    raw = _b64_decode(cred.data)
    expected = f"{username}:{password}".encode()
    return raw is not None and _scheme(cred) is AuthScheme.BASIC and hmac.compare_digest(raw, expected)


def verify_md5(cred: m.Cred, *, username: str, password: str, nonce: bytes) -> bool:
    """True when *cred* is the MD5 digest of *username* / *password* for *nonce*."""
    raw = _b64_decode(cred.data)
    expected = _md5(_user_secret(username, password) + b":" + nonce)
    return raw is not None and _scheme(cred) is AuthScheme.MD5 and hmac.compare_digest(raw, expected)


def verify(header: m.SyncHdr, *, password: str, nonce: bytes | None, username: str | None = None) -> bool:
    """True when the header's Cred is valid for *password* (and *nonce*, for MD5).

    *nonce* has no default, so that no caller checks an MD5 digest against a
    nonce it never sent: pass the raw nonce of the last ``NextNonce`` you
    sent this device, or None when you sent none.  With None, MD5
    credentials are never valid (answer 401 with :func:`challenge` and a
    fresh nonce); an empty nonce counts only when passed as ``b""``, since a
    digest made for it can be replayed.  Basic credentials ignore *nonce*.

    The user is *username* when given, else the one the credentials name
    (see :func:`credentials`); look the password up for that user first.
    Unknown schemes and missing credentials are not valid.
    """
    found = credentials(header)
    if found is None:
        return False
    user = username if username is not None else found.username
    if user is None:
        return False
    if found.scheme is AuthScheme.BASIC:
        return verify_basic(found.cred, username=user, password=password)
    if found.scheme is AuthScheme.MD5 and nonce is not None:
        return verify_md5(found.cred, username=user, password=password, nonce=nonce)
    return False


def new_nonce(random_bytes: Callable[[int], bytes] = secrets.token_bytes, *, size: int = 16) -> bytes:
    """A fresh nonce of *size* bytes from *random_bytes* (pass your own for tests)."""
    return random_bytes(size)


def chal(scheme: AuthScheme = AuthScheme.MD5, *, nonce: bytes | None = None) -> m.Chal:
    """A ``Chal``: Meta Type *scheme*, Format ``b64`` and, when given, NextNonce = b64(*nonce*)."""
    next_value = None if nonce is None else _b64(nonce).decode("ascii")
    return m.Chal(meta=m.Meta(format="b64", type=scheme.value, next_nonce=next_value))


def challenge(
    received: m.SyncHdr,
    *,
    cmd_id: int | str,
    code: Code = StatusCode.INVALID_CREDENTIALS,
    scheme: AuthScheme = AuthScheme.MD5,
    nonce: bytes | None = None,
) -> m.Status:
    """The SyncHdr Status that challenges (401, 407) or accepts (212, 200) with a Chal.

    For MD5 and HMAC a nonce is required: the peer computes its next digest
    with it.

    Raises:
        EncodeError: when an MD5 or HMAC challenge has no nonce.
    """
    if scheme is not AuthScheme.BASIC and nonce is None:
        raise EncodeError(f"a {scheme.value} challenge needs a NextNonce", path="Status/Chal/Meta/NextNonce")
    return header_status(received, cmd_id=cmd_id, code=code, chal=chal(scheme, nonce=nonce))


def next_nonce(source: m.Status | m.Chal | None) -> bytes | None:
    """The raw nonce a Status's (or Chal's) NextNonce carries, or None when there is none.

    Raises:
        DecodeError: when NextNonce is not base64.
    """
    found = source.chal if isinstance(source, m.Status) else source
    if found is None or found.meta.next_nonce is None:
        return None
    raw = _b64_decode(found.meta.next_nonce)
    if raw is None:
        raise DecodeError(f"NextNonce {found.meta.next_nonce!r} is not base64", path="Chal/Meta/NextNonce")
    return raw


def hmac_mac(username: str, password: str, nonce: bytes, body: bytes) -> str:
    """The ``mac`` of the ``x-syncml-hmac`` header for *body* exactly as sent."""
    digest = _md5(_user_secret(username, password) + b":" + nonce + b":" + _b64(_md5(body)))
    return _b64(digest).decode("ascii")


def hmac_header(username: str, password: str, nonce: bytes, body: bytes) -> str:
    """The value of the ``x-syncml-hmac`` HTTP header for *body*.

    Raises:
        EncodeError: for a username that a quoted header value cannot carry.
    """
    if any(c in username for c in '"\\\r\n'):
        raise EncodeError(f"username {username!r} cannot be quoted in x-syncml-hmac")
    return f'algorithm=MD5, username="{username}", mac={hmac_mac(username, password, nonce, body)}'


@dataclass(frozen=True, slots=True, kw_only=True)
class HmacHeader:
    """A parsed ``x-syncml-hmac`` header value."""

    algorithm: str
    username: str
    mac: str


_HMAC_PARAM = re.compile(r'\s*([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|([^,\s"]*))\s*(?:,|$)')


def parse_hmac_header(value: str) -> HmacHeader:
    """Read ``algorithm=MD5, username="...", mac=...`` (algorithm defaults to MD5).

    Raises:
        DecodeError: when the value is not in that form or lacks username or mac.
    """
    params: dict[str, str] = {}
    pos = 0
    text = value.strip()
    while pos < len(text):
        match = _HMAC_PARAM.match(text, pos)
        if match is None or match.end() == pos:
            raise DecodeError(f"x-syncml-hmac is malformed at character {pos}: {value!r}")
        params[match.group(1).lower()] = match.group(2) if match.group(2) is not None else match.group(3)
        pos = match.end()
    if "username" not in params or "mac" not in params:
        raise DecodeError(f"x-syncml-hmac needs username and mac: {value!r}")
    return HmacHeader(algorithm=params.get("algorithm", "MD5"), username=params["username"], mac=params["mac"])


def verify_hmac(value: str, *, password: str, nonce: bytes, body: bytes, username: str | None = None) -> bool:
    """True when the ``x-syncml-hmac`` header *value* matches *body* for the user's *password*.

    With *username*, the header must also name that user.

    Raises:
        DecodeError: when *value* cannot be read (see :func:`parse_hmac_header`).
    """
    header = parse_hmac_header(value)
    if header.algorithm.upper() != "MD5":
        return False
    if username is not None and header.username != username:
        return False
    user = header.username
    given = _b64_decode(header.mac)
    expected = base64.b64decode(hmac_mac(user, password, nonce, body))
    return given is not None and hmac.compare_digest(given, expected)
