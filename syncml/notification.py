"""Package 0: the binary notifications that make a device open a session.

A server cannot open a session itself: it sends a short binary message (by
SMS or WAP push) that tells the device to call back.  Two forms share one
header and one digest:

- the **DM notification** (OMA DM Notification 1.2, the "NIA"): trigger
  header plus a vendor-specific part; :class:`Notification`, :func:`encode`,
  :func:`decode`;
- the **DS server-alerted sync** (SyncML DS 1.2 package 0, the "SAN"): the
  same header, then the datastores to synchronize with their sync types and
  content types; :class:`ServerAlertedSync`, :func:`encode_san`,
  :func:`decode_san`.

Layout (bits, most significant first; multi-byte fields big-endian)::

    digest            128   H(B64(H(server-id:password)):nonce:B64(H(trigger)))
    version            10   protocol version times ten: 12 for 1.2
    ui-mode             2   0 not specified, 1 background, 2 informative, 3 user interaction
    initiator           1   0 user, 1 server
    future-use         27   zero
    session-id         16
    server-id length    8   bytes
    server-id           n   UTF-8
    --- DM: vendor-specific bytes to the end
    --- DS: num-syncs 4, future-use 4, then per sync: sync-type 4 (alert code
        minus 200), future-use 4, content-type 24, server-URI length 8,
        server-URI; vendor-specific bytes to the end

H is MD5, B64 base64, and the trigger every byte after the digest.  Sources:
the header layout and digest formula as libdmclient's ``package0.c`` (Intel,
2012) and the Synthesis toolkit's ``san.cpp`` (DS 1.2 SAN, Synthesis AG)
implement them; the SAN body and the version value (ten times the major
version plus the minor) from ``san.cpp``, which libsynthesis and
SyncEvolution ship; the UI modes and initiator values from Funambol's
``SyncNotification.h``.  ``docs/notifications.md`` has a worked example.

Every field is kept as read, including the future-use bits that should be
zero, so ``decode(encode(n))`` gives ``n`` back with its digest.

>>> from syncml import notification as nia
>>> trigger = nia.Notification(session_id=0x1234, server_id="mdm.example.com")
>>> wire = nia.encode(trigger, password="secret", nonce=b"\\x01\\x02\\x03\\x04")
>>> len(wire)
39
>>> nia.decode(wire, password="secret", nonce=b"\\x01\\x02\\x03\\x04").server_id
'mdm.example.com'
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from .errors import DecodeError, EncodeError
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "DIGEST_SIZE",
    "Initiator",
    "Notification",
    "SanSync",
    "ServerAlertedSync",
    "UIMode",
    "compute_digest",
    "decode",
    "decode_san",
    "encode",
    "encode_san",
    "signed",
]

#: MD5 digest length in bytes.
DIGEST_SIZE = 16
#: The fixed part of the trigger header: 64 bits of fields and the length byte.
_HEADER_SIZE = 8
_MIN_SIZE = DIGEST_SIZE + _HEADER_SIZE
#: Status a peer answers a notification whose digest does not match (the
#: server could not prove it knows the password).
_BAD_DIGEST_STATUS = 401


class UIMode(IntEnum):
    """How much the user is involved in the session the notification asks for."""

    NOT_SPECIFIED = 0
    BACKGROUND = 1
    INFORMATIVE = 2
    USER_INTERACTION = 3


class Initiator(IntEnum):
    """Who asked for the session: the user (through the server) or the server itself."""

    USER = 0
    SERVER = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """An OMA DM 1.2 notification (package 0).

    ``digest`` is the 16 bytes read from the wire; :func:`encode` computes
    it and ignores the field.  ``future_use`` holds the 27 reserved bits,
    zero on every conforming notification, kept so that decoding and
    encoding give the same bytes.
    """

    version: int = 12
    ui_mode: UIMode = UIMode.NOT_SPECIFIED
    initiator: Initiator = Initiator.SERVER
    future_use: int = 0
    session_id: int
    server_id: str
    vendor: bytes = b""
    digest: bytes = b""


@dataclass(frozen=True, slots=True, kw_only=True)
class SanSync:
    """One datastore a DS server-alerted sync asks the device to synchronize.

    ``sync_type`` is the DS alert code (206 two-way ... 210 refresh from
    server, as the server-alerted forms), stored on the wire as the code
    minus 200 in four bits.  ``content_type`` is the 24-bit registered
    content-type number (0 = not specified), ``server_uri`` the server's
    datastore URI.
    """

    sync_type: int
    future_use: int = 0
    content_type: int = 0
    server_uri: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerAlertedSync:
    """A SyncML DS 1.2 server-alerted sync notification (package 0).

    The header fields mean what they mean in :class:`Notification`.  An
    empty ``syncs`` asks for every datastore the device syncs with the
    server; ``body_future_use`` holds the four reserved bits after the
    count.
    """

    version: int = 12
    ui_mode: UIMode = UIMode.NOT_SPECIFIED
    initiator: Initiator = Initiator.SERVER
    future_use: int = 0
    session_id: int
    server_id: str
    syncs: tuple[SanSync, ...] = ()
    body_future_use: int = 0
    vendor: bytes = b""
    digest: bytes = b""


# --- digest --------------------------------------------------------------------------


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _b64_md5(data: bytes) -> bytes:
    return base64.b64encode(hashlib.md5(data).digest())


def compute_digest(trigger: bytes, *, server_id: str, password: str | bytes, nonce: str | bytes) -> bytes:
    """The 16-byte digest of *trigger* (every byte after the digest).

    ``H(B64(H(server-id:password)):nonce:B64(H(trigger)))``; text is taken
    as UTF-8, and the nonce as the raw bytes the device holds for this
    server.
    """
    key = _b64_md5(_bytes(server_id) + b":" + _bytes(password))
    return hashlib.md5(key + b":" + _bytes(nonce) + b":" + _b64_md5(trigger)).digest()


# --- header ---------------------------------------------------------------------------


class _Header(NamedTuple):
    """The fields every package 0 starts with, read or to be written."""

    version: int
    ui_mode: int
    initiator: int
    future_use: int
    session_id: int
    server_id: str


def _field(value: object, bits: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << bits:
        raise EncodeError(f"{what} must be an int from 0 to {(1 << bits) - 1}, not {value!r}", path=what)
    return value


def _write_header(header: _Header) -> bytes:
    server_id = header.server_id.encode("utf-8")
    if not 0 < len(server_id) <= 0xFF:
        raise EncodeError(f"server_id must take 1 to 255 UTF-8 bytes, not {len(server_id)}", path="server_id")
    word = _field(header.version, 10, "version") << 54
    word |= _field(header.ui_mode, 2, "ui_mode") << 52
    word |= _field(header.initiator, 1, "initiator") << 51
    word |= _field(header.future_use, 27, "future_use") << 24
    word |= _field(header.session_id, 16, "session_id") << 8
    word |= len(server_id)
    return word.to_bytes(8, "big") + server_id


def _read_header(data: bytes) -> tuple[_Header, int]:
    """The header after the digest, and the offset just past the server identifier."""
    if len(data) < _MIN_SIZE:
        raise DecodeError(
            f"package 0 of {len(data)} bytes is shorter than its {_MIN_SIZE}-byte digest and header",
            offset=len(data),
            path="header",
        )
    word = int.from_bytes(data[DIGEST_SIZE:_MIN_SIZE], "big")
    length = word & 0xFF
    end = _MIN_SIZE + length
    if length == 0:
        raise DecodeError("the server identifier is empty", offset=_MIN_SIZE - 1, path="server-id length")
    if end > len(data):
        raise DecodeError(
            f"server identifier of {length} bytes, but only {len(data) - _MIN_SIZE} are left",
            offset=_MIN_SIZE - 1,
            path="server-id length",
        )
    header = _Header(
        version=word >> 54,
        ui_mode=word >> 52 & 0x3,
        initiator=word >> 51 & 0x1,
        future_use=word >> 24 & 0x7FFFFFF,
        session_id=word >> 8 & 0xFFFF,
        server_id=_text(data, _MIN_SIZE, end, "server-id"),
    )
    return header, end


def _text(data: bytes, start: int, end: int, what: str) -> str:
    try:
        return data[start:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{what} is not UTF-8 ({exc.reason})", offset=start + exc.start, path=what) from None


def _check_input(data: object, limits: Limits, password: object, nonce: object) -> bytes:
    if (password is None) != (nonce is None):
        raise TypeError("give both password and nonce to verify the digest, or neither")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DecodeError(f"expected bytes, not {type(data).__name__}")
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if size > limits.max_size:
        raise DecodeError(f"input of {size} bytes exceeds the {limits.max_size}-byte limit", status=413)
    return bytes(data)


def _verify(data: bytes, server_id: str, password: str | bytes | None, nonce: str | bytes | None) -> None:
    if password is None or nonce is None:
        return
    expected = compute_digest(data[DIGEST_SIZE:], server_id=server_id, password=password, nonce=nonce)
    if not hmac.compare_digest(expected, data[:DIGEST_SIZE]):
        raise DecodeError(
            "digest does not match (wrong server password or nonce, or altered bytes)",
            offset=0,
            path="digest",
            status=_BAD_DIGEST_STATUS,
        )


def _sign(trigger: bytes, server_id: str, password: str | bytes, nonce: str | bytes) -> bytes:
    return compute_digest(trigger, server_id=server_id, password=password, nonce=nonce) + trigger


# --- DM notification ------------------------------------------------------------------------


def encode(notification: Notification, *, password: str | bytes, nonce: str | bytes) -> bytes:
    """The wire bytes of *notification*, signed with the server's *password* and the device's *nonce*.

    Raises :class:`~syncml.EncodeError` when a field does not fit its bits
    or the server identifier is empty or longer than 255 UTF-8 bytes.
    """
    n = notification
    header = _Header(
        version=n.version,
        ui_mode=n.ui_mode,
        initiator=n.initiator,
        future_use=n.future_use,
        session_id=n.session_id,
        server_id=n.server_id,
    )
    return _sign(_write_header(header) + bytes(n.vendor), n.server_id, password, nonce)


def decode(
    data: bytes | bytearray | memoryview,
    *,
    password: str | bytes | None = None,
    nonce: str | bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Notification:
    """Read a DM notification; verify its digest when *password* and *nonce* are both given.

    Every malformed input is a :class:`~syncml.DecodeError` with the byte
    offset; a digest that does not match is one with status 401.
    """
    buf = _check_input(data, limits, password, nonce)
    header, end = _read_header(buf)
    _verify(buf, header.server_id, password, nonce)
    return Notification(
        version=header.version,
        ui_mode=UIMode(header.ui_mode),
        initiator=Initiator(header.initiator),
        future_use=header.future_use,
        session_id=header.session_id,
        server_id=header.server_id,
        vendor=buf[end:],
        digest=buf[:DIGEST_SIZE],
    )


# --- DS server-alerted sync ------------------------------------------------------------------


def _write_sync(sync: SanSync, index: int) -> bytes:
    where = f"syncs[{index}]"
    code = sync.sync_type
    if isinstance(code, bool) or not isinstance(code, int) or not 200 <= code <= 215:
        raise EncodeError(f"sync_type must be a DS alert code from 200 to 215, not {code!r}", path=where)
    word = (code - 200) << 28 | _field(sync.future_use, 4, f"{where}.future_use") << 24
    word |= _field(sync.content_type, 24, f"{where}.content_type")
    uri = sync.server_uri.encode("utf-8")
    if len(uri) > 0xFF:
        raise EncodeError(f"server_uri takes {len(uri)} UTF-8 bytes, more than 255", path=where)
    return word.to_bytes(4, "big") + bytes([len(uri)]) + uri


def encode_san(san: ServerAlertedSync, *, password: str | bytes, nonce: str | bytes) -> bytes:
    """The wire bytes of a DS server-alerted sync, signed as :func:`encode` signs."""
    if len(san.syncs) > 15:
        raise EncodeError(f"a SAN names at most 15 datastores, not {len(san.syncs)}", path="syncs")
    header = _Header(
        version=san.version,
        ui_mode=san.ui_mode,
        initiator=san.initiator,
        future_use=san.future_use,
        session_id=san.session_id,
        server_id=san.server_id,
    )
    count = bytes([len(san.syncs) << 4 | _field(san.body_future_use, 4, "body_future_use")])
    body = b"".join(_write_sync(sync, i) for i, sync in enumerate(san.syncs, 1))
    return _sign(_write_header(header) + count + body + bytes(san.vendor), san.server_id, password, nonce)


def _read_syncs(buf: bytes, pos: int) -> tuple[tuple[SanSync, ...], int, int]:
    """The datastore list at *pos*: (syncs, body future-use bits, offset past the list)."""
    if pos >= len(buf):
        raise DecodeError("the notification body is missing (no num-syncs byte)", offset=pos, path="num-syncs")
    count, reserved = buf[pos] >> 4, buf[pos] & 0xF
    pos += 1
    syncs = []
    for index in range(1, count + 1):
        where = f"sync[{index}]"
        if pos + 5 > len(buf):
            raise DecodeError(f"{where} is cut short: 5 bytes needed, {len(buf) - pos} left", offset=pos, path=where)
        word = int.from_bytes(buf[pos : pos + 4], "big")
        length = buf[pos + 4]
        start = pos + 5
        if start + length > len(buf):
            raise DecodeError(
                f"server URI of {length} bytes, but only {len(buf) - start} are left", offset=pos + 4, path=where
            )
        syncs.append(
            SanSync(
                sync_type=200 + (word >> 28),
                future_use=word >> 24 & 0xF,
                content_type=word & 0xFFFFFF,
                server_uri=_text(buf, start, start + length, f"{where}/server-uri"),
            )
        )
        pos = start + length
    return tuple(syncs), reserved, pos


def decode_san(
    data: bytes | bytearray | memoryview,
    *,
    password: str | bytes | None = None,
    nonce: str | bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ServerAlertedSync:
    """Read a DS server-alerted sync; verify its digest when *password* and *nonce* are both given."""
    buf = _check_input(data, limits, password, nonce)
    header, end = _read_header(buf)
    syncs, reserved, end = _read_syncs(buf, end)
    _verify(buf, header.server_id, password, nonce)
    return ServerAlertedSync(
        version=header.version,
        ui_mode=UIMode(header.ui_mode),
        initiator=Initiator(header.initiator),
        future_use=header.future_use,
        session_id=header.session_id,
        server_id=header.server_id,
        syncs=syncs,
        body_future_use=reserved,
        vendor=buf[end:],
        digest=buf[:DIGEST_SIZE],
    )


def signed(notification: Notification, *, password: str | bytes, nonce: str | bytes) -> Notification:
    """*notification* with the digest :func:`encode` would write (what :func:`decode` reads back)."""
    wire = encode(notification, password=password, nonce=nonce)
    return dataclasses.replace(notification, digest=wire[:DIGEST_SIZE])
