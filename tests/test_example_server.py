"""The example MDM endpoint (examples/mdm_server.py) over real HTTP on 127.0.0.1, driven by simulated devices.

Every message is real bytes (XML or WBXML) through a real socket; the
server's queues live in a SQLite file.  Each test checks the server never
answered 500 (a crash of a request) and shuts it down.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

import syncml
from syncml import model as m
from syncml.server import CONTENT_TYPE_WBXML, CONTENT_TYPE_XML, EntryState, SQLiteStore

from .devicesim import Device, exchange, post

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mdm_server.py"
CORPUS = ROOT.parent / "shared" / "corpus"


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mdm_server_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mdm = _load_example()


class Clock:
    """Time for the server, moved by the test (no test depends on the wall clock)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Running:
    def __init__(self, db: Path) -> None:
        self.clock = Clock()
        self.store = SQLiteStore(db)
        self.app = mdm.MdmServer(self.store, clock=self.clock)
        self.server = mdm.serve(self.app, port=0)
        host, port = self.server.server_address[:2]
        assert host == "127.0.0.1"
        self.base = f"http://127.0.0.1:{port}"
        self.url = self.base + mdm.MANAGEMENT_PATH

    def admin(self, device: str, action: str, body: dict[str, str] | None = None) -> dict[str, object]:
        if action == "":
            with urllib.request.urlopen(f"{self.base}/admin/{device}", timeout=30) as response:
                value = json.loads(response.read())
        else:
            status, _, data = post(
                f"{self.base}/admin/{device}/{action}", json.dumps(body or {}).encode(), "application/json"
            )
            assert status == 200, data
            value = json.loads(data)
        assert isinstance(value, dict)
        return value

    def session(self, device: Device, session_id: str, *, user_unenroll: bool = False) -> list[bytes]:
        return exchange(self.url, device, device.start(session_id=session_id, user_unenroll=user_unenroll))


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    server = Running(tmp_path / "queues.db")
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.store.close()
    assert server.server.errors == 0, "a request was answered 500"


def _execs(device: Device) -> list[str]:
    return [uri for uri in device.executed if uri.endswith("/Unenroll")]


@pytest.mark.parametrize("wbxml", [False, True], ids=["xml", "wbxml"])
def test_first_package_get_results_and_replace(running: Running, wbxml: bool) -> None:
    device = Device(device_id=f"DEV-{wbxml}", wbxml=wbxml, tree={"./DevDetail/SwV": "10.0.22631", "./Vendor/X": "a"})
    status, content_type, body = post(running.url, device.start(session_id="1"), device.content_type)
    assert (status, content_type) == (200, CONTENT_TYPE_WBXML if wbxml else CONTENT_TYPE_XML)
    assert (body[0] <= 8) is wbxml  # answered in the device's encoding
    first = syncml.parse(body, strict=True)
    assert [(s.cmd, s.data) for s in first.body.commands if isinstance(s, m.Status)][:2] == [
        ("SyncHdr", "200"),
        ("Alert", "200"),
    ]
    assert device.answer(body) is None  # nothing queued: Statuses only, the session ends
    info = running.admin(device.device_id, "")
    assert info["devinfo"] == {"man": "Contoso", "mod": "Laptop 7", "lang": "en-US"}

    assert running.admin(device.device_id, "get", {"uri": "./DevDetail/SwV"}) == {"id": "1"}
    assert running.admin(device.device_id, "replace", {"uri": "./Vendor/X", "value": "b & c"}) == {"id": "2"}
    answers = running.session(device, "2")
    assert all((a[0] <= 8) is wbxml for a in answers)
    assert device.tree["./Vendor/X"] == "b & c"
    queue = running.store.load(device.device_id)
    assert queue is not None
    assert [(e.id, e.state) for e in queue.entries] == [("1", EntryState.DONE), ("2", EntryState.DONE)]
    assert running.admin(device.device_id, "")["results"] == {"./DevDetail/SwV": "10.0.22631"}


def test_user_initiated_unenroll_holds_everything(running: Running) -> None:
    device = Device(device_id="DEV-U", tree={"./DevDetail/SwV": "10.0.22631"})
    running.session(device, "1")
    running.admin(device.device_id, "get", {"uri": "./DevDetail/SwV"})
    answers = running.session(device, "2", user_unenroll=True)
    # The 1226 alert came in package 1: the queued Get was held, not sent.
    assert len(answers) == 1
    assert not any(isinstance(c, m.Get) for c in syncml.parse(answers[0]).body.commands)
    queue = running.store.load(device.device_id)
    assert queue is not None
    assert queue.unenrolled
    assert queue.get("1").state is EntryState.QUEUED
    refused = running.admin(device.device_id, "unenroll")
    assert refused["added"] is False
    assert "the device is unenrolled" in str(refused["reason"])
    # Enrolled again: the held Get goes out.
    device.unenrolled = False
    assert running.admin(device.device_id, "reenrolled") == {"withdrawn": []}
    running.session(device, "3")
    queue = running.store.load(device.device_id)
    assert queue is not None
    assert queue.get("1").state is EntryState.DONE


@pytest.mark.parametrize("answers_exec", [False, True], ids=["aborts", "status-200"])
def test_server_initiated_unenroll_is_delivered_once(running: Running, answers_exec: bool) -> None:
    device = Device(device_id="DEV-S", unenroll_status=answers_exec)
    running.session(device, "1")
    first = running.admin(device.device_id, "unenroll")
    second = running.admin(device.device_id, "unenroll")
    assert (first["added"], second["added"]) == (True, False)
    running.admin(device.device_id, "get", {"uri": "./DevDetail/SwV"})  # queued after the unenroll: held
    running.session(device, "2")
    assert len(_execs(device)) == 1
    assert device.unenrolled
    queue = running.store.load(device.device_id)
    assert queue is not None
    unenroll = queue.get("1")
    assert unenroll.state is (EntryState.ANSWERED if answers_exec else EntryState.SENT)
    third = running.admin(device.device_id, "unenroll")
    assert third["added"] is False  # answered with 200 or not: still in its life
    # The device reports in a new session with the 1226 alert (MsgID 1).
    running.clock.now += timedelta(minutes=30)  # the first session expires meanwhile
    running.session(device, "3")
    queue = running.store.load(device.device_id)
    assert queue is not None
    assert queue.get("1").state is EntryState.CONFIRMED
    assert queue.get("2").state is EntryState.QUEUED  # held: the device is unenrolled
    assert running.admin(device.device_id, "unenroll")["added"] is False
    running.session(device, "4")
    assert len(_execs(device)) == 1


def test_a_dropped_response_is_answered_again_with_the_same_bytes(running: Running) -> None:
    device = Device(device_id="DEV-R", tree={"./A": "1", "./B": "2"})
    running.session(device, "1")
    running.admin(device.device_id, "get", {"uri": "./A"})
    running.admin(device.device_id, "replace", {"uri": "./B", "value": "3"})
    first = device.start(session_id="2")
    answers = exchange(running.url, device, first, drop=1)  # the retry is checked byte for byte inside
    more = exchange(running.url, device, device.start(session_id="3"), drop=2)
    del answers, more
    queue = running.store.load(device.device_id)
    assert queue is not None
    assert [(e.state, e.attempts) for e in queue.entries] == [(EntryState.DONE, 1), (EntryState.DONE, 1)]
    assert device.tree["./B"] == "3"


def test_two_devices_at_once(running: Running) -> None:
    devices = [Device(device_id=f"DEV-{n}", wbxml=n == 1, tree={"./A": f"value {n}"}) for n in range(2)]
    for device in devices:
        running.session(device, "1")
        for _ in range(5):
            running.admin(device.device_id, "get", {"uri": "./A"})
    failures: list[BaseException] = []

    def run(device: Device) -> None:
        try:
            for session in range(2, 5):
                running.session(device, str(session))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for n, device in enumerate(devices):
        queue = running.store.load(device.device_id)
        assert queue is not None
        assert [e.state for e in queue.entries] == [EntryState.DONE] * 5
        assert running.admin(device.device_id, "")["results"] == {"./A": f"value {n}"}


def _bad_inputs() -> list[tuple[str, bytes, str, int, int | None]]:
    """(name, body, content type, HTTP status, SyncHdr Status code or None)."""
    good = syncml.serialize(syncml.parse(Device(device_id="DEV-B").start(session_id="9")))
    xxe = b'<?xml version="1.0"?><!DOCTYPE SyncML [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + good.replace(
        b"<Data>1201</Data>", b"<Data>&x;</Data>"
    )
    return [
        ("garbage", b"\x00\x01\x02 not a message", CONTENT_TYPE_WBXML, 415, None),
        ("text", b"hello", CONTENT_TYPE_XML, 400, None),
        ("xxe", xxe, CONTENT_TYPE_XML, 400, None),
        ("wrong namespace", good.replace(b"SYNCML:SYNCML1.2", b"urn:example"), CONTENT_TYPE_XML, 400, None),
        ("newer version", good.replace(b"SYNCML:SYNCML1.2", b"SYNCML:SYNCML2.0"), CONTENT_TYPE_XML, 200, 505),
        ("bad body", good.replace(b"<CmdID>", b"<CmdId>", 1), CONTENT_TYPE_XML, 200, 400),
        ("oversized", good + b" " * (9 * 1024 * 1024), CONTENT_TYPE_XML, 413, None),
        ("wrong content type", good, "text/html", 415, None),
    ]


@pytest.mark.parametrize(
    ("name", "body", "content_type", "http_status", "code"), _bad_inputs(), ids=[b[0] for b in _bad_inputs()]
)
def test_bad_input_is_answered_per_the_recipe(
    running: Running, name: str, body: bytes, content_type: str, http_status: int, code: int | None
) -> None:
    status, answer_type, answer = post(running.url, body, content_type)
    assert status == http_status, (name, answer[:200])
    if code is None:
        assert answer == b""
    else:
        assert answer_type == CONTENT_TYPE_XML
        header_status = syncml.parse(answer, strict=True).body.commands[0]
        assert isinstance(header_status, m.Status)
        assert (header_status.cmd, header_status.data) == ("SyncHdr", str(code))
    # The server is still there and serves a device.
    device = Device(device_id="DEV-after")
    assert len(running.session(device, "1")) == 1


def test_runs_as_a_program(tmp_path: Path) -> None:
    command = [sys.executable, str(EXAMPLE), "--port", "0", "--db", str(tmp_path / "q.db")]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("listening on http://127.0.0.1:"), line
            url = line.split()[-1]
            device = Device(device_id="DEV-P")
            status, _, body = post(url, device.start(session_id="1"), device.content_type)
            assert status == 200
            assert syncml.parse(body).header.target.loc_uri == "DEV-P"
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert (tmp_path / "q.db").exists()


def test_real_windows_package_one_over_http(running: Running) -> None:
    sample = CORPUS / "fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml"
    if not sample.exists():
        pytest.skip("../shared/corpus is absent")
    status, _, body = post(running.url, sample.read_bytes(), CONTENT_TYPE_XML)
    assert status == 200
    assert syncml.parse(body).body.commands[0].data == "200"  # type: ignore[union-attr]


def test_a_device_whose_limit_leaves_no_room_for_the_statuses_gets_413(running: Running) -> None:
    events = tuple(syncml.alerts.client_event(syncml.AlertType.LOGIN_STATUS, "user", cmd_id="1") for _ in range(12))
    device = Device(device_id="DEV-T", max_msg_size=400)
    status, _, body = post(running.url, device.start(session_id="1", events=events), device.content_type)
    assert status == 200
    header_status = syncml.parse(body).body.commands[0]
    assert isinstance(header_status, m.Status)
    assert (header_status.cmd, header_status.data) == ("SyncHdr", "413")
    assert len(running.app.table) == 0  # the session was dropped
