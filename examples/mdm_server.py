"""A small Windows MDM management endpoint on the standard library's HTTP server.

Run it (127.0.0.1 only; it is an example, with no TLS and no authentication)::

    python examples/mdm_server.py --port 8080 --db queues.db

Devices POST their OMA DM messages to ``/ManagementServer/MDM.svc`` (XML or
WBXML); an administrator queues work over a small JSON API:

====================================  =============================================
``POST /admin/<device>/get``          ``{"uri": "./DevDetail/SwV"}``: queue a Get
``POST /admin/<device>/replace``      ``{"uri": ..., "value": ...}``: queue a Replace
``POST /admin/<device>/unenroll``     queue the unenroll Exec (once per enrollment)
``POST /admin/<device>/reenrolled``   the device enrolled again: held work may go
``GET /admin/<device>``               the queue, DevInfo and Results received
====================================  =============================================

Everything goes through the public API of :mod:`syncml.server`: a
:class:`~syncml.server.SessionTable` of sans-I/O sessions, one
:class:`~syncml.server.CommandQueue` per device kept in a
:class:`~syncml.server.SQLiteStore` and changed only through
:func:`~syncml.server.update_queue` (so the device's sessions and the
administrator's requests never lose each other's updates), and
:func:`~syncml.server.error_response` for anything that cannot be taken.
``docs/server-howto.md`` walks through it.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import syncml
from syncml import model as m
from syncml.server import (
    CommandQueue,
    CommandTooLarge,
    Event,
    QueueEntry,
    QueueStore,
    ReplyTooLargeError,
    ResultsReceived,
    SessionConfig,
    SessionError,
    SessionStarted,
    SessionTable,
    SQLiteStore,
    encoding_of,
    error_response,
    update_queue,
)

MANAGEMENT_PATH = "/ManagementServer/MDM.svc"
#: The largest oversized body read away before answering 413 (beyond: the connection is closed).
_MAX_DRAIN = 64 * 1024 * 1024
PROVIDER_ID = "Contoso MDM"


@dataclass(frozen=True, slots=True)
class Response:
    """What the endpoint answers: HTTP status, headers, body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _json(status: int, value: object) -> Response:
    return Response(status, {"Content-Type": "application/json"}, json.dumps(value, sort_keys=True).encode())


class MdmServer:
    """The endpoint's logic, one call per HTTP request (no socket here: see :func:`serve`)."""

    def __init__(
        self,
        store: QueueStore,
        *,
        config: SessionConfig | None = None,
        idle: timedelta = timedelta(minutes=5),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        provider_id: str = PROVIDER_ID,
    ) -> None:
        self.store = store
        self.config = config or SessionConfig()
        self.clock = clock
        self.provider_id = provider_id
        self.table = SessionTable(self.config, idle=idle)
        # Sessions are plain objects: one request at a time touches them.
        # Queues need no lock: update_queue saves by compare and swap.
        self._sessions_lock = threading.Lock()
        self.inventory: dict[str, dict[str, object]] = {}

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Response:
        """Answer one HTTP request."""
        if path == MANAGEMENT_PATH:
            if method != "POST":
                return Response(405, {"Allow": "POST"})
            return self.management(headers, body)
        parts = path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "admin":
            return self.admin(method, parts[1], parts[2] if len(parts) > 2 else "", body)
        return Response(404)

    # --- devices --------------------------------------------------------------------

    def management(self, headers: Mapping[str, str], body: bytes) -> Response:
        """One OMA DM message in, the answer out."""
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
        if encoding_of(content_type) is None:
            return Response(415)
        now = self.clock()
        with self._sessions_lock:
            for expired in self.table.expire(now=now):
                self._apply(expired.key.device_id, expired.leftovers, now)
            try:
                received = self.table.receive(body, now=now)
            except (syncml.DecodeError, SessionError) as exc:
                return self._refuse(body, exc)
            session, device = received.session, received.key.device_id
            if not session.retried:
                self._note(device, received.events)
                taken = self._apply(device, received.leftovers + received.events, now, take=True)
                for entry in taken:
                    try:
                        session.send(entry.command, key=entry.id)
                    except SessionError as exc:  # too large for this device: fail the entry
                        event = CommandTooLarge(
                            command=entry.command, key=entry.id, status=exc.status, reason=exc.reason
                        )
                        self._apply(device, (event,), now)
            try:
                answer = session.reply()
            except ReplyTooLargeError as exc:  # its Statuses alone exceed the device's MaxMsgSize
                self._apply(device, self.table.drop(received.key, now=now), now)
                return self._refuse(body, exc)
            return Response(200, {"Content-Type": session.content_type}, answer)

    def _refuse(self, body: bytes, error: syncml.SyncMLError) -> Response:
        refusal = error_response(body, error, limits=self.config.limits)
        headers = {"Content-Type": refusal.content_type} if refusal.content_type else {}
        return Response(refusal.http_status, headers, refusal.body or b"")

    def _apply(
        self, device: str, events: tuple[Event, ...], now: datetime, *, take: bool = False
    ) -> tuple[QueueEntry, ...]:
        def change(queue: CommandQueue) -> tuple[QueueEntry, ...]:
            queue.apply(events, now=now)
            return queue.take(now=now) if take else ()

        return update_queue(self.store, device, change)

    def _note(self, device: str, events: tuple[Event, ...]) -> None:
        record = self.inventory.setdefault(device, {"devinfo": None, "results": {}})
        for event in events:
            if isinstance(event, SessionStarted) and event.devinfo is not None:
                record["devinfo"] = {"man": event.devinfo.man, "mod": event.devinfo.mod, "lang": event.devinfo.lang}
            if isinstance(event, ResultsReceived):
                results = record["results"]
                assert isinstance(results, dict)
                for item in event.results.items:
                    uri = item.source.loc_uri if item.source is not None else ""
                    results[uri] = item.data if isinstance(item.data, str) else None

    # --- the administrator --------------------------------------------------------------

    def admin(self, method: str, device: str, action: str, body: bytes) -> Response:
        """The JSON API that queues work for a device."""
        now = self.clock()
        if method == "GET" and action == "":
            queue = self.store.load(device)
            return _json(200, {"queue": None if queue is None else queue.to_dict(), **self.inventory.get(device, {})})
        if method != "POST":
            return Response(405)
        try:
            request = json.loads(body or b"{}")
            if not isinstance(request, dict):
                raise ValueError("not an object")
            command = self._command(action, request)
        except (ValueError, KeyError, TypeError, syncml.SyncMLError) as exc:
            return _json(400, {"error": str(exc)})
        if action == "unenroll":
            queued = update_queue(self.store, device, lambda q: q.unenroll(self.provider_id, now=now))
            return _json(200, {"added": queued.added, "reason": queued.reason})
        if action == "reenrolled":
            changed = update_queue(self.store, device, lambda q: q.reenrolled(now=now))
            return _json(200, {"withdrawn": [e.id for e in changed]})
        if command is None:
            return Response(404)
        entry = update_queue(self.store, device, lambda q: q.add(command, now=now))
        return _json(200, {"id": entry.id})

    @staticmethod
    def _command(action: str, request: dict[str, object]) -> m.Command | None:
        uri = request.get("uri")
        if action not in ("get", "replace"):
            return None
        if not isinstance(uri, str):
            raise ValueError("uri must be a string")
        if action == "get":
            return m.Get(items=(m.Item(target=m.Target(loc_uri=uri)),))
        value = request.get("value")
        if not isinstance(value, str):
            raise ValueError("value must be a string")
        item = m.Item(target=m.Target(loc_uri=uri), meta=m.Meta(format="chr"), data=value)
        return m.Replace(items=(item,))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # the name http.server calls
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        try:
            response = self._response(method)
        except Exception:  # a bug must not take the endpoint down
            self.server.errors += 1
            response = Response(500)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _response(self, method: str) -> Response:
        text = self.headers.get("Content-Length", "0")
        # At most 12 ASCII digits: a bounded, checked conversion.
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            self.close_connection = True
            return Response(400)
        length = int(text)
        if length > self.server.app.config.limits.max_size:
            # Refuse a body over the decoding limit without keeping it: read it
            # away in small pieces (closing at once would reset the client).
            self.close_connection = True
            while 0 < length <= _MAX_DRAIN:
                piece = self.rfile.read(min(length, 65536))
                if not piece:
                    break
                length -= len(piece)
            return Response(413)
        body = self.rfile.read(length)
        return self.server.app.handle(method, self.path, dict(self.headers.items()), body)

    def log_message(self, format: str, *args: object) -> None:  # the signature http.server uses
        pass  # quiet: tests and benchmarks run thousands of requests


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, app: MdmServer) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.app = app
        self.errors = 0  # requests answered 500


def serve(app: MdmServer, *, port: int = 0) -> _Server:
    """Start *app* on 127.0.0.1:*port* (0: any free port) in a thread; ``shutdown()`` and ``server_close()`` stop it."""
    server = _Server(port, app)
    threading.Thread(target=server.serve_forever, name="mdm-server", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--db", type=Path, default=Path("queues.db"))
    args = parser.parse_args(argv)
    server = _Server(args.port, MdmServer(SQLiteStore(args.db)))
    print(f"listening on http://127.0.0.1:{server.server_address[1]}{MANAGEMENT_PATH}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
