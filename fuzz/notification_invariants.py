"""The promise the package-0 harness checks, without atheris (kept apart from invariants.py, the codec's).

Any bytes given to :func:`syncml.notification.decode` or
:func:`~syncml.notification.decode_san` end in a value or a
:class:`syncml.SyncMLError`; verifying a digest with a wrong password is a
refusal too, never another exception; the value is no larger than its input
allows (the bounds of ``invariants.py``); and an accepted value written back
with a password and nonce gives the same trigger bytes and reads back equal
(its digest now the one computed).
"""

from __future__ import annotations

import contextlib
import dataclasses

from invariants import Broken, check_size

import syncml
from syncml import notification as nia

PASSWORD = "fuzz"
NONCE = b"\x00\x01\x02\x03"


def _round_trip(value: nia.Notification | nia.ServerAlertedSync, data: bytes) -> None:
    if isinstance(value, nia.Notification):
        wire = nia.encode(value, password=PASSWORD, nonce=NONCE)
        again: object = nia.decode(wire, password=PASSWORD, nonce=NONCE)
    else:
        wire = nia.encode_san(value, password=PASSWORD, nonce=NONCE)
        again = nia.decode_san(wire, password=PASSWORD, nonce=NONCE)
    if wire[nia.DIGEST_SIZE :] != data[nia.DIGEST_SIZE :]:
        raise Broken(f"{type(value).__name__}: the trigger bytes changed on the way back")
    if again != dataclasses.replace(value, digest=wire[: nia.DIGEST_SIZE]):
        raise Broken(f"{type(value).__name__}: encode/decode changed the value")


def check_notification(data: bytes) -> None:
    """Both decoders return or raise SyncMLError, with and without a password; what they accept round-trips."""
    for decode in (nia.decode, nia.decode_san):
        with contextlib.suppress(syncml.SyncMLError):  # a wrong digest is a refusal, status 401
            decode(data, password=PASSWORD, nonce=NONCE)
        try:
            value = decode(data)
        except syncml.SyncMLError:
            continue
        check_size(value, len(data), decode.__name__)
        try:
            _round_trip(value, data)
        except syncml.SyncMLError as exc:
            raise Broken(f"{decode.__name__}: an accepted value did not encode and read back: {exc}") from exc
