"""syncml.server: error_response (one recipe for bad input), content types, the HMAC header, the session table."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import syncml
import syncml.server
from syncml import auth
from syncml import model as m
from syncml.server import (
    CONTENT_TYPE_WBXML,
    CONTENT_TYPE_XML,
    HMAC_HEADER,
    Encoding,
    ErrorResponse,
    HmacError,
    SessionConfig,
    SessionKey,
    SessionState,
    SessionTable,
    check_hmac,
    content_type,
    encoding_of,
    error_response,
    read_header,
    session_key,
    sign,
)

from .devicesim import Device

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
GOOD = syncml.serialize(syncml.parse(Device(device_id="DEV-1").start(session_id="7")))
WBXML = syncml.serialize(syncml.parse(GOOD), wbxml=True)


def _refuse(data: bytes) -> ErrorResponse:
    with pytest.raises(syncml.DecodeError) as raised:
        syncml.parse(data)
    return error_response(data, raised.value)


def _header_status(response: ErrorResponse) -> tuple[str, str, str]:
    assert response.body is not None
    answer = syncml.parse(response.body, strict=True)
    [status] = answer.body.commands
    assert isinstance(status, m.Status)
    assert answer.body.final
    assert answer.header.target.loc_uri.startswith("DEV-")  # addressed back to the device
    return status.cmd, status.msg_ref, status.data or ""


# (name, input, HTTP status, SyncML code in the SyncHdr Status or None)
CASES = [
    ("readable header, bad body", GOOD.replace(b"<CmdID>", b"<CmdId>", 1), 200, "400"),
    ("VerDTD 2.0", GOOD.replace(b"<VerDTD>1.2</VerDTD>", b"<VerDTD>2.0</VerDTD>"), 200, "505"),
    ("SyncML 2.0 namespace", GOOD.replace(b"SYNCML:SYNCML1.2", b"SYNCML:SYNCML2.0"), 200, "505"),
    ("not SyncML", GOOD.replace(b"SYNCML:SYNCML1.2", b"urn:example"), 400, None),
    ("no header end", GOOD.split(b"</SyncHdr>")[0], 400, None),
    ("garbage", b"\x00\x05\xff", 415, None),
    ("text", b"hello", 400, None),
    ("too large", GOOD + b" " * (8 * 1024 * 1024), 413, None),
    (
        "XXE",
        b'<!DOCTYPE SyncML [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + GOOD.replace(b"1201", b"&x;"),
        400,
        None,
    ),
    (
        "comment before the header",
        GOOD.replace(b"<SyncHdr>", b"<!-- x --><SyncHdr>").replace(b"<CmdID>", b"<X>", 1),
        400,
        None,
    ),
    ("WBXML, bad body", WBXML[:-2] + b"\x7f\x01", 200, "400"),
    ("WBXML, truncated header", WBXML[:20], 400, None),
]


@pytest.mark.parametrize(("name", "data", "http_status", "code"), CASES, ids=[c[0] for c in CASES])
def test_error_response_follows_the_recipe(name: str, data: bytes, http_status: int, code: str | None) -> None:
    response = _refuse(data)
    assert response.http_status == http_status
    assert response.http_status != 505
    if code is None:
        assert (response.content_type, response.body) == (None, None)
    else:
        assert _header_status(response) == ("SyncHdr", "1", code)
        wbxml = name.startswith("WBXML")
        assert response.content_type == (CONTENT_TYPE_WBXML if wbxml else CONTENT_TYPE_XML)
        assert response.body is not None
        assert (response.body[0] <= 8) is wbxml


def test_session_errors_and_challenges() -> None:
    session = syncml.server.ServerSession()
    session.receive(GOOD, now=NOW)
    session.reply()
    other = GOOD.replace(b"<SessionID>7</SessionID>", b"<SessionID>8</SessionID>")
    with pytest.raises(syncml.server.SessionError) as raised:
        session.receive(other, now=NOW)
    response = error_response(other, raised.value, msg_id=2)
    assert response.http_status == 200
    assert _header_status(response) == ("SyncHdr", "1", "400")
    assert response.body is not None
    assert syncml.parse(response.body).header.msg_id == "2"

    failed = HmacError("no header")
    assert error_response(GOOD, failed).http_status == 401  # a 401 needs a Chal to go in SyncML
    challenge = auth.chal(auth.AuthScheme.HMAC, nonce=b"\x01\x02")
    answered = error_response(GOOD, failed, chal=challenge)
    assert _header_status(answered) == ("SyncHdr", "1", "401")
    assert answered.body is not None
    status = syncml.parse(answered.body).body.commands[0]
    assert isinstance(status, m.Status)
    assert auth.next_nonce(status) == b"\x01\x02"
    assert error_response(GOOD, syncml.server.SessionError("called out of turn")) == ErrorResponse(
        http_status=500, content_type=None, body=None
    )


def test_read_header_answers_in_our_versions() -> None:
    header = read_header(GOOD.replace(b"<VerProto>DM/1.2</VerProto>", b"<VerProto>DM/9</VerProto>"))
    assert header is not None
    assert (header.ver_dtd, header.ver_proto, header.session_id) == ("1.2", "DM/1.2", "7")
    wbxml = read_header(WBXML)
    assert wbxml is not None
    assert wbxml.source.loc_uri == "DEV-1"
    assert read_header(b"") is None
    assert read_header(WBXML[:3]) is None


def test_read_header_is_linear() -> None:
    def work(n: int) -> int:
        data = GOOD.replace(b"</SyncHdr>", b"</SyncHdr>" + b"<Alert><CmdID>9</CmdID></Alert>" * n)
        with syncml._meter.measure() as meter:
            assert read_header(data) is not None
        return meter.work + 1

    small, large = work(1000), work(8000)
    assert large <= 9 * small


def test_content_types() -> None:
    assert encoding_of(CONTENT_TYPE_XML) is Encoding.XML
    assert encoding_of("Application/VND.SyncML.DM+WBXML ; charset=utf-8") is Encoding.WBXML
    assert encoding_of("application/xml") is None
    assert encoding_of(None) is None
    assert content_type(Encoding.WBXML) == CONTENT_TYPE_WBXML
    assert content_type(Encoding.XML) == CONTENT_TYPE_XML


def test_hmac_header_helpers() -> None:
    nonce = b"\x07" * 16
    headers = sign(GOOD, username="dev-user", password="secret", nonce=nonce)
    assert list(headers) == [HMAC_HEADER]
    assert check_hmac({"X-SyncML-HMAC": headers[HMAC_HEADER]}, GOOD, password="secret", nonce=nonce) == "dev-user"
    with pytest.raises(HmacError, match="does not match") as raised:
        check_hmac(headers, GOOD + b" ", password="secret", nonce=nonce)
    assert raised.value.status == 401
    with pytest.raises(HmacError, match="no x-syncml-hmac"):
        check_hmac({}, GOOD, password="secret", nonce=nonce)
    with pytest.raises(HmacError, match="unreadable"):
        check_hmac({HMAC_HEADER: "mac"}, GOOD, password="secret", nonce=nonce)
    with pytest.raises(HmacError, match="does not match"):
        check_hmac(headers, GOOD, password="secret", nonce=nonce, username="someone-else")


# --- the session table --------------------------------------------------------------------------


def test_session_table_keys_retries_reuse_and_expiry() -> None:
    table = SessionTable(SessionConfig(), idle=timedelta(minutes=5))
    device = Device(device_id="DEV-1")
    first = device.start(session_id="A1")
    received = table.receive(first, now=NOW)
    assert received.key == SessionKey(device_id="DEV-1", session_id="A1") == session_key(syncml.parse(first).header)
    assert received.new
    received.session.send(m.Get(cmd_id="", items=(m.Item(target=m.Target(loc_uri="./A")),)), key="a")
    reply = received.session.reply()
    again = table.receive(first, now=NOW)  # the answer was lost
    assert (again.new, again.events, again.session.reply()) == (False, (), reply)
    other = table.receive(Device(device_id="DEV-2").start(session_id="A1"), now=NOW)
    assert other.new
    assert len(table) == 2
    other.session.reply()
    assert other.session.state is SessionState.FINISHED
    # The device reuses the SessionID for a new session: the finished one is replaced.
    reused = table.receive(Device(device_id="DEV-2").start(session_id="A1", user_unenroll=True), now=NOW)
    assert reused.new
    assert reused.leftovers == ()
    reused.session.reply()
    expired = table.expire(now=NOW + timedelta(minutes=5))
    assert sorted(e.key.device_id for e in expired) == ["DEV-1", "DEV-2"]
    dev1 = next(e for e in expired if e.key.device_id == "DEV-1")
    assert [(type(e).__name__, getattr(e, "key", None)) for e in dev1.leftovers] == [("CommandUnanswered", "a")]
    assert len(table) == 0
    assert table.get(received.key) is None
    dropped = table.receive(first, now=NOW)
    dropped.session.send(m.Get(cmd_id="", items=(m.Item(target=m.Target(loc_uri="./A")),)), key="b")
    assert [type(e).__name__ for e in table.drop(dropped.key, now=NOW)] == ["CommandNotSent"]
    assert table.drop(dropped.key, now=NOW) == ()


def test_codec_modules_never_import_the_server_package() -> None:
    codec = [p for p in (ROOT / "syncml").glob("*.py") if p.name.startswith(("_xml", "_wbxml", "_api", "_check"))]
    assert len(codec) >= 5
    for path in codec:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "server" not in (node.module or ""), path
            if isinstance(node, ast.Import):
                assert not any("server" in alias.name for alias in node.names), path
    code = (
        "import sys, syncml; syncml.serialize(syncml.parse(sys.stdin.buffer.read())); "
        "print('syncml.server' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], input=GOOD, capture_output=True, check=True)
    assert result.stdout.strip() == b"False"


def test_the_table_is_bounded() -> None:
    table = SessionTable(max_sessions=2)
    for n in range(2):
        table.receive(Device(device_id=f"DEV-{n}").start(session_id="1"), now=NOW).session.reply()
    third = Device(device_id="DEV-3").start(session_id="1")
    with pytest.raises(syncml.server.SessionError, match="2 sessions are in progress") as raised:
        table.receive(third, now=NOW)
    assert raised.value.status == 503
    assert _header_status(error_response(third, raised.value))[2] == "503"
    assert error_response(b"junk", raised.value).http_status == 503
    assert len(table.expire(now=NOW + timedelta(minutes=5))) == 2
    assert table.receive(third, now=NOW).new
