"""Package 0: DM notifications and DS server-alerted syncs, both ways, and every bad input."""

from __future__ import annotations

import base64
import dataclasses
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncml import DecodeError, EncodeError, Limits
from syncml import notification as nia

PASSWORD = "secret"
NONCE = b"\x01\x02\x03\x04"

# --- golden vectors ------------------------------------------------------------------------

#: Our own DM vector: version 12, ui-mode 0, initiator server, session 0x1234,
#: server "mdm.example.com", no vendor part.  The 8 header bytes worked out by
#: hand from the bit layout: 0000001100|00|1|0{27} = 03 08 00 00 00, then the
#: session id 12 34 and the length 0f.
DM_TRIGGER = bytes.fromhex("030800000012340f") + b"mdm.example.com"
DM_WIRE = bytes.fromhex("e37b7aa317f10c280a971b5a951d4811") + DM_TRIGGER


def _digest_by_hand(trigger: bytes, server_id: bytes, password: bytes, nonce: bytes) -> bytes:
    """The formula spelt out step by step, independently of the module."""
    h_server = base64.b64encode(hashlib.md5(server_id + b":" + password).digest())
    h_trigger = base64.b64encode(hashlib.md5(trigger).digest())
    return hashlib.md5(h_server + b":" + nonce + b":" + h_trigger).digest()


def test_dm_golden_vector_both_ways() -> None:
    notification = nia.Notification(session_id=0x1234, server_id="mdm.example.com")
    assert nia.encode(notification, password=PASSWORD, nonce=NONCE) == DM_WIRE
    assert DM_WIRE[:16] == _digest_by_hand(DM_TRIGGER, b"mdm.example.com", b"secret", NONCE)
    decoded = nia.decode(DM_WIRE, password=PASSWORD, nonce=NONCE)
    assert decoded == dataclasses.replace(notification, digest=DM_WIRE[:16])


def test_dm_fields_land_on_their_bits() -> None:
    notification = nia.Notification(
        version=0x3FF,
        ui_mode=nia.UIMode.USER_INTERACTION,
        initiator=nia.Initiator.USER,
        future_use=0x5A5A5A5,
        session_id=0xBEEF,
        server_id="s",
        vendor=b"\x00\xffvendor",
    )
    wire = nia.encode(notification, password=b"\xff", nonce="0x00000000")
    word = int.from_bytes(wire[16:24], "big")
    assert word >> 54 == 0x3FF
    assert word >> 52 & 3 == 3
    assert word >> 51 & 1 == 0
    assert word >> 24 & 0x7FFFFFF == 0x5A5A5A5
    assert word >> 8 & 0xFFFF == 0xBEEF
    assert word & 0xFF == 1
    assert wire[24:] == b"s\x00\xffvendor"
    assert nia.decode(wire) == nia.signed(notification, password=b"\xff", nonce="0x00000000")


#: A DS SAN in the layout of the Synthesis toolkit's san.cpp: two datastores,
#: two-way server-alerted (206) for text/x-vcard (content-type 0x07) and
#: refresh from server (210) with no content type.
SAN = nia.ServerAlertedSync(
    ui_mode=nia.UIMode.BACKGROUND,
    session_id=7,
    server_id="ds.example.com",
    syncs=(
        nia.SanSync(sync_type=206, content_type=0x07, server_uri="contacts"),
        nia.SanSync(sync_type=210, server_uri="./calendar"),
    ),
)
SAN_BODY = (
    bytes.fromhex("20") + bytes.fromhex("60000007") + b"\x08contacts" + bytes.fromhex("a0000000") + b"\x0a./calendar"
)


def test_san_golden_layout() -> None:
    wire = nia.encode_san(SAN, password=PASSWORD, nonce=NONCE)
    header = bytes.fromhex("031800000000070e") + b"ds.example.com"
    assert wire[16:] == header + SAN_BODY
    assert wire[:16] == _digest_by_hand(wire[16:], b"ds.example.com", b"secret", NONCE)
    assert nia.decode_san(wire, password=PASSWORD, nonce=NONCE) == dataclasses.replace(SAN, digest=wire[:16])


def test_san_without_datastores_means_all() -> None:
    san = nia.ServerAlertedSync(session_id=1, server_id="x", body_future_use=0xF, vendor=b"tail")
    wire = nia.encode_san(san, password="", nonce="")
    assert wire[-5:] == b"\x0ftail"
    decoded = nia.decode_san(wire)
    assert decoded.syncs == ()
    assert decoded.vendor == b"tail"
    assert decoded.body_future_use == 0xF


# --- round trips -----------------------------------------------------------------------------

_SERVER_IDS = st.text(min_size=1, max_size=60).filter(lambda s: len(s.encode("utf-8", "surrogatepass")) <= 255)
_SERVER_IDS = _SERVER_IDS.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
_HEADERS = {
    "version": st.integers(0, 1023),
    "ui_mode": st.sampled_from(nia.UIMode),
    "initiator": st.sampled_from(nia.Initiator),
    "future_use": st.integers(0, 2**27 - 1),
    "session_id": st.integers(0, 0xFFFF),
    "server_id": _SERVER_IDS,
}


@given(st.builds(nia.Notification, vendor=st.binary(max_size=40), **_HEADERS), st.binary(max_size=8), st.text())
def test_dm_round_trip(notification: nia.Notification, nonce: bytes, password: str) -> None:
    wire = nia.encode(notification, password=password, nonce=nonce)
    expected = nia.signed(notification, password=password, nonce=nonce)
    assert nia.decode(wire, password=password, nonce=nonce) == expected
    assert nia.encode(expected, password=password, nonce=nonce) == wire


_URIS = st.text(max_size=30).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
_SYNCS = st.builds(
    nia.SanSync,
    sync_type=st.integers(200, 215),
    future_use=st.integers(0, 15),
    content_type=st.integers(0, 2**24 - 1),
    server_uri=_URIS,
)


@given(
    st.builds(
        nia.ServerAlertedSync,
        syncs=st.lists(_SYNCS, max_size=15).map(tuple),
        body_future_use=st.integers(0, 15),
        vendor=st.binary(max_size=20),
        **_HEADERS,
    )
)
def test_san_round_trip(san: nia.ServerAlertedSync) -> None:
    wire = nia.encode_san(san, password=PASSWORD, nonce=NONCE)
    decoded = nia.decode_san(wire, password=PASSWORD, nonce=NONCE)
    assert decoded == dataclasses.replace(san, digest=wire[:16])
    assert nia.encode_san(decoded, password=PASSWORD, nonce=NONCE) == wire


@given(st.binary(max_size=64))
def test_any_bytes_decode_or_raise_decode_error(data: bytes) -> None:
    for reader in (nia.decode, nia.decode_san):
        error: DecodeError | None = None
        try:
            reader(data)
        except DecodeError as exc:
            error = exc
        assert error is None or error.offset is not None


# --- bad input ---------------------------------------------------------------------------------

_UTF8_BAD = DM_WIRE[:16] + bytes.fromhex("0308000000123402") + b"\xc3("


@pytest.mark.parametrize(
    ("data", "offset", "words"),
    [
        (b"", 0, "shorter than"),
        (DM_WIRE[:23], 23, "shorter than"),
        (DM_WIRE[:24] + b"", 23, "server identifier of 15 bytes"),
        (DM_WIRE[:30], 23, "only 6 are left"),
        (DM_WIRE[:23] + b"\x00", 23, "server identifier is empty"),
        (_UTF8_BAD, 24, "not UTF-8"),
    ],
)
def test_dm_bad_input(data: bytes, offset: int, words: str) -> None:
    with pytest.raises(DecodeError, match=words) as info:
        nia.decode(data)
    assert info.value.offset == offset
    assert info.value.status == 400


@pytest.mark.parametrize(
    ("password", "nonce"),
    [("wrong", NONCE), (PASSWORD, b"\x01\x02\x03\x05"), (PASSWORD, "")],
)
def test_wrong_digest(password: str, nonce: bytes | str) -> None:
    with pytest.raises(DecodeError, match="digest does not match") as info:
        nia.decode(DM_WIRE, password=password, nonce=nonce)
    assert (info.value.offset, info.value.status, info.value.path) == (0, 401, "digest")


def test_altered_trigger_fails_the_digest() -> None:
    altered = DM_WIRE[:-1] + b"n"
    assert nia.decode(altered).server_id == "mdm.example.con"
    with pytest.raises(DecodeError, match="digest"):
        nia.decode(altered, password=PASSWORD, nonce=NONCE)


def test_password_without_nonce_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="both"):
        nia.decode(DM_WIRE, password=PASSWORD)
    with pytest.raises(TypeError, match="both"):
        nia.decode_san(DM_WIRE, nonce=NONCE)


def test_input_type_and_size() -> None:
    with pytest.raises(DecodeError, match="expected bytes"):
        nia.decode("text")  # type: ignore[arg-type]
    with pytest.raises(DecodeError, match="exceeds") as info:
        nia.decode(bytearray(DM_WIRE), limits=Limits(max_size=30))
    assert info.value.status == 413
    assert nia.decode(memoryview(DM_WIRE)).session_id == 0x1234


_SAN_WIRE = nia.encode_san(SAN, password=PASSWORD, nonce=NONCE)
_SAN_HEADER_END = 16 + 8 + len("ds.example.com")


@pytest.mark.parametrize(
    ("data", "offset", "words"),
    [
        (_SAN_WIRE[:_SAN_HEADER_END], _SAN_HEADER_END, "no num-syncs byte"),
        (_SAN_WIRE[: _SAN_HEADER_END + 3], _SAN_HEADER_END + 1, "cut short"),
        (_SAN_WIRE[: _SAN_HEADER_END + 8], _SAN_HEADER_END + 5, "only 2 are left"),
        (_SAN_WIRE[: _SAN_HEADER_END + 6] + b"\xff" + _SAN_WIRE[_SAN_HEADER_END + 7 :], _SAN_HEADER_END + 6, "UTF-8"),
    ],
)
def test_san_bad_input(data: bytes, offset: int, words: str) -> None:
    with pytest.raises(DecodeError, match=words) as info:
        nia.decode_san(data)
    assert info.value.offset == offset


@pytest.mark.parametrize(
    ("notification", "words"),
    [
        (nia.Notification(session_id=0x10000, server_id="s"), "session_id"),
        (nia.Notification(session_id=-1, server_id="s"), "session_id"),
        (nia.Notification(version=1024, session_id=1, server_id="s"), "version"),
        (nia.Notification(future_use=2**27, session_id=1, server_id="s"), "future_use"),
        (nia.Notification(session_id=True, server_id="s"), "session_id"),
        (nia.Notification(session_id=1, server_id=""), "1 to 255"),
        (nia.Notification(session_id=1, server_id="é" * 128), "1 to 255"),
    ],
)
def test_dm_encode_errors(notification: nia.Notification, words: str) -> None:
    with pytest.raises(EncodeError, match=words):
        nia.encode(notification, password=PASSWORD, nonce=NONCE)


@pytest.mark.parametrize(
    ("syncs", "words"),
    [
        ((nia.SanSync(sync_type=199, server_uri="a"),), "200 to 215"),
        ((nia.SanSync(sync_type=216, server_uri="a"),), "200 to 215"),
        ((nia.SanSync(sync_type=206, content_type=2**24, server_uri="a"),), "content_type"),
        ((nia.SanSync(sync_type=206, future_use=16, server_uri="a"),), "future_use"),
        ((nia.SanSync(sync_type=206, server_uri="u" * 256),), "more than 255"),
        (tuple(nia.SanSync(sync_type=206, server_uri="a") for _ in range(16)), "at most 15"),
    ],
)
def test_san_encode_errors(syncs: tuple[nia.SanSync, ...], words: str) -> None:
    san = dataclasses.replace(SAN, syncs=syncs)
    with pytest.raises(EncodeError, match=words):
        nia.encode_san(san, password=PASSWORD, nonce=NONCE)
