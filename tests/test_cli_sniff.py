"""Input detection of syncml-decode: each form found without flags, and every cost linear in the input.

Scaling is measured by the work counter (``syncml._meter``: bytes the
detector scans) and by tracemalloc, at n and 8n, never by a clock.
"""

from __future__ import annotations

import base64
import tracemalloc
from collections.abc import Callable

import pytest

import syncml
from syncml._meter import measure
from syncml._tool.sniff import Kind, Scan, find_messages

from .conftest import EXAMPLES

LIMITS = syncml.Limits()
XML = (EXAMPLES / "server-get-devdetail.xml").read_bytes()
MSG = syncml.parse(XML)
WBXML = syncml.serialize(MSG, wbxml=True)


def scan(data: bytes, limits: syncml.Limits = LIMITS) -> Scan:
    return find_messages(data, "in", limits=limits)


def only(data: bytes) -> tuple[bytes, tuple[str, ...], Kind]:
    found = scan(data).found
    assert len(found) == 1, found
    return found[0].data, found[0].how, found[0].kind


# --- each form -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "how"),
    [
        (XML, ()),
        (WBXML, ()),
        (base64.b64encode(WBXML), ("base64",)),
        (base64.encodebytes(XML), ("base64",)),
        (base64.urlsafe_b64encode(XML).rstrip(b"="), ("base64url",)),
        (WBXML.hex().encode(), ("hex",)),
        (WBXML.hex(" ").upper().encode(), ("hex",)),
        (b"0x" + WBXML.hex().encode(), ("hex",)),
        (base64.b64encode(base64.b64encode(WBXML)), ("base64", "base64")),
    ],
)
def test_whole_input_forms(data: bytes, how: tuple[str, ...]) -> None:
    got, got_how, kind = only(data)
    assert got_how == how
    assert kind is Kind.MESSAGE
    assert syncml.parse(got) == MSG


def test_xxd_and_hexdump_dumps() -> None:
    rows = []
    for at in range(0, len(WBXML), 16):
        chunk = WBXML[at : at + 16]
        groups = " ".join(chunk[i : i + 2].hex() for i in range(0, len(chunk), 2))
        rows.append(f"{at:08x}: {groups:<39}  {'.' * len(chunk)}")
    got, how, _ = only("\n".join(rows).encode())
    assert (got, how) == (WBXML, ("hex dump (xxd)",))
    rows = [
        f"{at:08x}  " + " ".join(f"{b:02x}" for b in WBXML[at : at + 16]) + "  |....|"
        for at in range(0, len(WBXML), 16)
    ]
    got, how, _ = only("\n".join(rows).encode())
    assert (got, how) == (WBXML, ("hex dump (hexdump -C)",))


def test_byte_order_marks_and_utf16() -> None:
    result = scan(b"\xef\xbb\xbf" + XML)
    assert result.notes == ["a UTF-8 byte order mark was removed"]
    assert result.found[0].data == XML
    for codec, note in (("utf-16", "little"), ("utf-16-be", "big")):
        result = scan(XML.decode().encode(codec))
        assert result.notes == [f"read as UTF-16 ({note}-endian)"]
        assert syncml.parse(result.found[0].data) == MSG
    with pytest.raises(syncml.DecodeError, match="UTF-16"):
        scan(b"\xff\xfe<\x00\x00\xd8")  # a lone surrogate


def test_http_request_and_chunked_response() -> None:
    request = b"POST /mdm HTTP/1.1\r\nContent-Type: application/vnd.syncml.dm+xml\r\nContent-Length: %d\r\n\r\n" % len(
        XML
    )
    chunks = b"%x\r\n" % 10 + WBXML[:10] + b"\r\n" + b"%X\r\n" % (len(WBXML) - 10) + WBXML[10:] + b"\r\n0\r\n\r\n"
    response = b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.syncml.dm+wbxml\r\nTransfer-Encoding: chunked\r\n\r\n"
    found = scan(request + XML + b"\r\n" + response + chunks).found
    assert [f.data for f in found] == [XML, WBXML]
    assert found[0].how == ("HTTP POST body (application/vnd.syncml.dm+xml)",)
    assert found[1].how == ("HTTP 200 response body (application/vnd.syncml.dm+wbxml)",)
    assert found[0].where == "in:5"


def test_http_content_length_is_respected_and_short_bodies_noted() -> None:
    head = b"POST /mdm HTTP/1.1\r\nContent-Length: %d\r\n\r\n"
    result = scan(head % len(XML) + XML + b"trailing text that is not SyncML")
    assert [f.data for f in result.found] == [XML]
    result = scan(head % (len(XML) + 50) + XML)
    assert any("Content-Length" in note for note in result.notes)
    result = scan(b"POST /mdm HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n" + XML)
    assert result.found[0].data == XML
    assert any("is not a number" in note for note in result.notes)


def test_http_bad_chunk_and_endless_headers() -> None:
    result = scan(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + XML)
    assert any("not hex" in note for note in result.notes)
    result = scan(b"POST /mdm HTTP/1.1\r\n" + b"X-Filler: y\r\n" * 10)
    assert result.found[0].kind is Kind.PROBLEM
    assert "headers without an end" in result.found[0].problem


def test_log_with_messages_blobs_and_fragments() -> None:
    commands = syncml.serialize_commands(MSG.body.commands[2:])
    log = (
        b"10:00 request:\n" + XML + b"\n10:01 wbxml " + base64.b64encode(WBXML) + b" sent\n"
        b"10:02 wrapped:\n" + base64.encodebytes(WBXML) + b"10:03 profile " + commands + b" stored\n"
        b"10:04 escaped <pre>"
        + XML.replace(b"<", b"&lt;").replace(b">", b"&gt;").replace(b'"', b"&quot;")
        + b"</pre>\n"
        b"10:05 a long word " + b"A" * 80 + b" that is not base64 of anything\n"
    )
    found = scan(log).found
    assert [(f.kind, f.how) for f in found] == [
        (Kind.MESSAGE, ()),
        (Kind.MESSAGE, ("base64",)),
        (Kind.MESSAGE, ("base64",)),
        (Kind.FRAGMENT, ()),
        (Kind.MESSAGE, ("HTML-escaped",)),
    ]
    assert found[0].where == "in:2"
    assert found[0].line == 2
    assert found[1].line is None  # lines inside base64 are not lines of the log
    assert [f.data for f in found[:3]] == [XML.rstrip(), WBXML, WBXML]
    assert syncml.parse_commands(found[3].data) == MSG.body.commands[2:]
    assert syncml.parse(found[4].data) == MSG


def test_unterminated_blocks_reported_once() -> None:
    result = scan(b"log <SyncML xmlns='SYNCML:SYNCML1.2'> cut\n" * 50 + b"and <SyncBody> too")
    problems = [f for f in result.found if f.kind is Kind.PROBLEM]
    assert len(problems) == 1
    assert "without its </SyncML>" in problems[0].problem
    assert result.notes == ["50 more start tag(s) without an end were passed over"]


def test_too_large_input_and_pieces() -> None:
    small = syncml.Limits(max_size=1024)
    with pytest.raises(syncml.DecodeError, match="over the limit") as caught:
        scan(b" " * 5000, small)
    assert caught.value.status == 413
    big = b"x\n<SyncML>" + b"<Status/>" * 200 + b"</SyncML>"
    found = scan(big, small).found
    assert found[0].kind is Kind.PROBLEM
    assert "over Limits.max_size" in found[0].problem


def test_nothing_found() -> None:
    found = scan(b"plain words").found
    assert [(f.data, f.kind) for f in found] == [(b"plain words", Kind.PROBLEM)]
    assert found[0].problem.startswith("no SyncML here")
    found = scan(b"<html><body>502</body></html>").found  # markup: the codec says what it is
    assert [(f.data, f.kind) for f in found] == [(b"<html><body>502</body></html>", Kind.MESSAGE)]


def test_json_form_is_recognised() -> None:
    data = b'{"format": "syncml-json", "version": 1, "messages": []}'
    assert only(data)[2] is Kind.JSON


# --- linear cost on hostile text ------------------------------------------------------------

N = 64 * 1024


def _wrapped(text: bytes) -> bytes:
    return b"\n".join(text[i : i + 76] for i in range(0, len(text), 76))


#: name -> input of about ``size`` bytes
HOSTILE: dict[str, Callable[[int], bytes]] = {
    "SyncML starts without end": lambda size: b"<SyncML " * (size // 8),
    "SyncML starts, one end at the very end": lambda size: b"<SyncML>" * (size // 8) + b"</SyncML>",
    "escaped starts without end": lambda size: b"&lt;SyncML " * (size // 11),
    "command starts without end": lambda size: b"<Status>" * (size // 8),
    "empty commands in a row": lambda size: b"x <Add></Add>" * (size // 13),
    "base64-looking run": lambda size: b"QUJD" * (size // 4),
    "base64-looking wrapped lines": lambda size: _wrapped(b"QUJD" * (size // 4)),
    "base64 runs just too short": lambda size: (b"A" * 39 + b" ") * (size // 40),
    "hex-looking run": lambda size: b"4142" * (size // 4),
    "xxd-looking lines": lambda size: b"00000000: 4142 4344  ABCD\n" * (size // 26),
    "endless HTTP headers": lambda size: b"POST / HTTP/1.1\r\n" + b"X-A: b\r\n" * (size // 8),
    "endless chunks": lambda size: (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1\r\nx\r\n" * (size // 6)
    ),
}


def _work(data: bytes) -> int:
    with measure() as meter:
        find_messages(data, "in", limits=LIMITS)
    return meter.work


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_detection_work_is_linear(name: str) -> None:
    make = HOSTILE[name]
    small, large = make(N), make(8 * N)
    work_small, work_large = _work(small), _work(large)
    assert work_small >= len(small) // 2  # the counter sees the scan
    ratio = work_large / work_small
    assert ratio <= 8 * 1.25, f"{name}: work grew {ratio:.1f}x for 8x the input"


@pytest.mark.parametrize(
    "name", ["SyncML starts without end", "base64-looking wrapped lines", "empty commands in a row"]
)
def test_detection_memory_is_linear(name: str) -> None:
    peaks = []
    for size in (N // 4, 2 * N):  # tracemalloc slows every allocation: smaller sizes, still 8x apart
        data = HOSTILE[name](size)
        tracemalloc.start()
        try:
            find_messages(data, "in", limits=LIMITS)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] <= 8 * 1.5 * peaks[0] + 64 * 1024


def test_ten_megabytes_of_hostile_text_is_refused_or_scanned_once() -> None:
    data = b"<SyncML " * (10 * 1024 * 1024 // 8)
    assert _work(data) <= 5 * len(data)
    data = b"QUJD" * (10 * 1024 * 1024 // 4)
    assert _work(data) <= 4 * len(data)


def test_a_command_name_in_prose_is_passed_over() -> None:
    result = scan(b"10:00 got <Status> 404 from the device\n" + XML)
    assert [(f.kind, f.data) for f in result.found] == [(Kind.MESSAGE, XML.rstrip())]
    assert result.notes == ["in:1: <Status> without its </Status>: passed over"]


def test_a_message_cut_off_before_the_next_one() -> None:
    cut = XML[: len(XML) // 2]
    result = scan(b"first (cut by the logger): " + cut + b"\nsecond: " + XML)
    assert [f.kind for f in result.found] == [Kind.PROBLEM, Kind.MESSAGE]
    assert result.found[0].problem == "<SyncML> without its </SyncML>: cut off"
    assert result.found[1].data == XML.rstrip()
