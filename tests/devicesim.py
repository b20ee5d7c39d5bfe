"""A simulated Windows-like OMA DM device, built from the library's helpers, for session tests.

It talks to a server only through bytes: :meth:`Device.start` returns the
bytes of package 1, :meth:`Device.answer` takes the server's bytes and returns
the device's next message, or None when the device sends nothing more (the
session ended, was aborted, or the device ran an unenroll Exec and dropped
the session as Windows does).

What it does, by OMA DM 1.2 and the Windows documents:

- package 1: Alert 1201 (or 1200), optional 1224/1226 alerts, the DevInfo
  Replace, Final; a device that unenrolled starts its next session with the
  1226 ``com.microsoft:mdm.unenrollment.userrequest`` alert (MsgID 1);
- runs Get / Add / Replace / Delete / Exec on an in-memory tree and answers
  each with a Status (Get also with Results), Atomic and Sequence included;
- puts split Items from the server back together (213 per chunk) and splits
  its own large Results to fit the server's MaxMsgSize (when announced);
- keeps the package rules: no Final while the server's package is open, Alert
  1222 when it has nothing else to say then, and no message at all when it
  would hold only a successful SyncHdr Status;
- writes WBXML instead of XML with ``wbxml=True`` (it reads either);
- answers the unenroll Exec with Status 200 before dropping the enrollment
  with ``unenroll_status=True`` (a device that does not abort at once: the
  server must not take that Status as the end of the unenrollment).

:func:`post` and :func:`exchange` carry the same bytes over real HTTP.
"""

from __future__ import annotations

import dataclasses
import http.client
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import syncml
from syncml import model as m
from syncml._numbers import read_uint
from syncml.alerts import AlertType, client_event, generic_alert
from syncml.codes import AlertCode, StatusCode
from syncml.devinfo import DevInfo, devinfo_replace
from syncml.largeobject import Reassembler, no_end_of_data_alert
from syncml.msft import unenroll_provider
from syncml.outbox import Outbox
from syncml.replies import ItemCodes, reply_commands, result_item

SERVER_URL = "https://mdm.example.com/ManagementServer/MDM.svc"


@dataclass
class Device:
    """One simulated device and its management tree.

    ``max_msg_size`` is announced in package 1 (the server must respect it);
    ``server_max_msg_size`` bounds the device's own messages when the server
    announces none.  ``log`` keeps every message both ways, as bytes.
    """

    device_id: str = "4C4C4544-0037-3010-8052-B4C04F4B4E32"
    tree: dict[str, str] = field(default_factory=dict)
    max_msg_size: int | None = None
    server_max_msg_size: int = 512 * 1024
    info: DevInfo = field(
        default_factory=lambda: DevInfo(dev_id="4C4C4544-0037", man="Contoso", mod="Laptop 7", dmv="1.3", lang="en-US")
    )
    unenrolled: bool = False
    wbxml: bool = False
    unenroll_status: bool = False
    log: list[tuple[str, bytes]] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._session_id = "0"
        self._msg_id = 0
        self._outbox = Outbox()
        self._joiner = Reassembler()
        self._header: m.SyncHdr | None = None
        self._server_final = True

    # --- a session ------------------------------------------------------------------

    def start(
        self,
        *,
        session_id: str = "1",
        alert: AlertCode = AlertCode.CLIENT_INITIATED_MGMT,
        user_unenroll: bool = False,
        events: tuple[m.Alert, ...] = (),
        report_unenroll: bool = True,
    ) -> bytes:
        """Package 1 of a new session (without the 1226 alert when *report_unenroll* is False: it is best effort)."""
        self._session_id, self._msg_id = session_id, 0
        self._outbox, self._joiner = Outbox(), Reassembler()
        self._server_final = True
        if user_unenroll:
            self.unenrolled = True
        commands: list[m.Command] = [m.Alert(cmd_id="1", data=str(int(alert)))]
        commands.append(client_event(AlertType.LOGIN_STATUS, "user", cmd_id="1", format=None))
        if self.unenrolled and report_unenroll:
            commands.append(generic_alert(AlertType.UNENROLLMENT_USER_REQUEST, "1", cmd_id="1", format="int"))
        commands.extend(events)
        commands.append(devinfo_replace(self.info, cmd_id="1"))
        return self._send(self._new_header(), tuple(commands), take=False, final=True)

    def answer(self, data: bytes) -> bytes | None:
        """The device's next message in answer to the server's *data*, or None."""
        self.log.append(("server", data))
        msg = syncml.parse(data, strict=True)
        assert msg.header.session_id == self._session_id
        self._header = msg.header
        # The server's package is open when its message has no Final, unless
        # that message is a "next message" reply (Alert 1222, protocol 2.1).
        asks_next = any(isinstance(c, m.Alert) and c.code == AlertCode.NEXT_MESSAGE for c in msg.body.commands)
        self._server_final = msg.body.final or asks_next
        if msg.header.meta is not None and msg.header.meta.max_msg_size is not None:
            self.server_max_msg_size = read_uint(msg.header.meta.max_msg_size, "SyncHdr/Meta/MaxMsgSize")
        codes: dict[str, ItemCodes] = {}
        results: list[m.Results] = []
        extra: list[m.Command] = []
        for command in msg.body.commands:
            if isinstance(command, m.Alert) and command.code == AlertCode.SESSION_ABORT:
                return None  # a client receiving 1223 does not answer (protocol digest 4.4 rule 27)
            if isinstance(command, m.Exec) and unenroll_provider(command) is not None:
                # Windows aborts every session of the enrollment at once: no Status.
                self.unenrolled = True
                self.executed.append(command.items[0].target.loc_uri if command.items[0].target else "")
                if not self.unenroll_status:
                    return None
                codes[command.cmd_id] = StatusCode.OK
                continue
            self._run(command, msg.header.msg_id, codes, results)
        ended = self._joiner.end_message()
        if ended is not None:
            extra.append(no_end_of_data_alert(ended, cmd_id="1"))
        statuses = [c for c in reply_commands(msg, codes=codes) if isinstance(c, m.Status)]
        # Only the SyncHdr Status must lead; the others may spill into later
        # messages of the device's package, as Results may (protocol 2.1).
        queued: list[m.Command] = [*statuses[1:], *results]
        for answer in queued:
            self._outbox.add(answer)
        header = dataclasses.replace(self._new_header(), target=m.Target(loc_uri=msg.header.source.loc_uri))
        leading: tuple[m.Command, ...] = (statuses[0], *extra)
        only_hdr_ok = len(leading) == 1 and statuses[0].data == "200" and not len(self._outbox)
        if only_hdr_ok and self._server_final:
            return None  # protocol digest 4.3 rule 20: such a message is not sent
        if not self._server_final and not results:
            leading += (m.Alert(cmd_id="1", data=str(int(AlertCode.NEXT_MESSAGE))),)
        return self._send(header, leading, take=True, final=self._server_final)

    # --- running commands -----------------------------------------------------------------

    def _run(self, command: m.Command, msg_ref: str, codes: dict[str, ItemCodes], results: list[m.Results]) -> None:
        if isinstance(command, m.Status | m.Results):
            return
        if isinstance(command, m.Alert | m.Map | m.Search):  # a DM device answers data sync with 200 too
            codes[command.cmd_id] = StatusCode.OK
            return
        if isinstance(command, m.Atomic | m.Sequence | m.Sync):
            codes[command.cmd_id] = StatusCode.OK
            for child in command.commands:
                self._run(child, msg_ref, codes, results)
            return
        per_item: list[int] = []
        found: list[m.Item] = []
        for item in command.items:
            code, value = self._apply(command, item)
            per_item.append(code)
            if value is not None:
                found.append(value)
        codes[command.cmd_id] = per_item if len(set(per_item)) > 1 else per_item[0]
        if isinstance(command, m.Get) and found:
            results.append(m.Results(cmd_id="1", msg_ref=msg_ref, cmd_ref=command.cmd_id, items=tuple(found)))

    def _apply(self, command: m.Command, item: m.Item) -> tuple[int, m.Item | None]:
        uri = item.target.loc_uri if item.target is not None else ""
        if isinstance(command, m.Get):
            if uri not in self.tree:
                return StatusCode.NOT_FOUND, None
            return StatusCode.OK, result_item(uri, self.tree[uri], format="chr")
        if isinstance(command, m.Exec):
            self.executed.append(uri)
            return StatusCode.OK, None
        if isinstance(command, m.Delete):
            return (StatusCode.OK if self.tree.pop(uri, None) is not None else StatusCode.NOT_FOUND), None
        joined = self._joiner.feed(type(command).__name__, item)
        if joined.status is not None:
            return joined.status, None
        assert joined.item is not None
        value = joined.item.text or ""
        if isinstance(command, m.Add) and uri in self.tree:
            return StatusCode.ALREADY_EXISTS, None
        if isinstance(command, m.Replace) and uri not in self.tree:
            return StatusCode.NOT_FOUND, None
        self.tree[uri] = value
        return StatusCode.OK, None

    # --- messages -----------------------------------------------------------------------

    def _new_header(self) -> m.SyncHdr:
        self._msg_id += 1
        meta = None if self.max_msg_size is None else m.Meta(max_msg_size=str(self.max_msg_size))
        return m.SyncHdr(
            session_id=self._session_id,
            msg_id=str(self._msg_id),
            target=m.Target(loc_uri=SERVER_URL),
            source=m.Source(loc_uri=self.device_id),
            meta=meta,
        )

    def _send(self, header: m.SyncHdr, leading: tuple[m.Command, ...], *, take: bool, final: bool) -> bytes:
        packed = self._outbox.pack(
            header, leading, max_msg_size=self.server_max_msg_size, take=take, final=final, until_empty=True
        )
        data = syncml.serialize(packed.message, wbxml=True) if self.wbxml else packed.data
        self.log.append(("device", data))
        return data

    @property
    def content_type(self) -> str:
        """The Content-Type of this device's messages."""
        return "application/vnd.syncml.dm+wbxml" if self.wbxml else "application/vnd.syncml.dm+xml"


def post(url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """POST *body* to *url* (http only); returns (HTTP status, Content-Type, body)."""
    parts = urlsplit(url)
    assert parts.scheme == "http", url
    assert parts.hostname == "127.0.0.1", url
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(
            "POST", parts.path or "/", body=body, headers={"Content-Type": content_type, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def exchange(url: str, device: Device, first: bytes, *, drop: int | None = None, limit: int = 200) -> list[bytes]:
    """Run one session of *device* against the server at *url*; returns the server's answers.

    With *drop* = n, the server's n-th answer (from 1) is "lost": the device
    posts the same message again and goes on with the second answer.
    """
    answers: list[bytes] = []
    message: bytes | None = first
    while message is not None and len(answers) < limit:
        status, _, body = post(url, message, device.content_type)
        assert status == 200, (status, body[:200])
        if drop == len(answers) + 1:
            again = post(url, message, device.content_type)
            assert again == (status, again[1], body), "a retry must get the same bytes back"
        answers.append(body)
        message = device.answer(body)
    return answers
