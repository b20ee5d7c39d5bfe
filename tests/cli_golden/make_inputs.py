"""Writes the inputs of the syncml-decode golden tests (run it from the repository root).

Every input is made here from messages built with the model: a four-message
session in both directions, then the same messages in each form a person
holds them (HTTP dumps, base64, hex, xxd, an HTML report, UTF-16, logs).
The files are committed; run this again only to change them, then
``SYNCML_UPDATE_GOLDEN=1 pytest tests/test_cli_golden.py`` to accept the new
output after reading its diff.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from pathlib import Path

import syncml
from syncml import model as m

HERE = Path(__file__).resolve().parent / "inputs"
SERVER = "https://mdm.example.com/ManagementServer/MDM.svc"
DEVICE = "4C4C4544-0037-3010-8052-B4C04F4B4E32"
JWT = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJleGFtcGxlIn0.c2lnbmF0dXJl"


def _hdr(msg_id: str, *, from_client: bool, cred: bool = False) -> m.SyncHdr:
    target, source = (SERVER, DEVICE) if from_client else (DEVICE, SERVER)
    return m.SyncHdr(
        session_id="2F",
        msg_id=msg_id,
        target=m.Target(loc_uri=target),
        source=m.Source(loc_uri=source),
        cred=m.Cred(meta=m.Meta(format="b64", type="syncml:auth-md5"), data="c2VjcmV0IGRpZ2VzdCAxMjM0NQ==")
        if cred
        else None,
    )


def _status(cmd_id: str, msg_ref: str, cmd_ref: str, cmd: str, code: str, *, uri: str | None = None) -> m.Status:
    return m.Status(
        cmd_id=cmd_id, msg_ref=msg_ref, cmd_ref=cmd_ref, cmd=cmd, data=code, target_refs=(uri,) if uri else ()
    )


def _src(uri: str, data: str) -> m.Item:
    return m.Item(source=m.Source(loc_uri=uri), data=data)


def _get(cmd_id: str, uri: str) -> m.Get:
    return m.Get(cmd_id=cmd_id, items=(m.Item(target=m.Target(loc_uri=uri)),))


def session() -> list[m.SyncML]:
    """Client starts, server asks, client answers (one Get fails), server closes."""
    devinfo = m.Replace(
        cmd_id="2",
        items=(
            _src("./DevInfo/DevId", DEVICE),
            _src("./DevInfo/Man", "Fabrikam"),
            _src("./DevInfo/Mod", "Surface-like 9"),
            _src("./DevInfo/DmV", "1.3"),
            _src("./DevInfo/Lang", "en-GB"),
        ),
    )
    first = m.SyncML(
        header=_hdr("1", from_client=True, cred=True),
        body=m.SyncBody(commands=(m.Alert(cmd_id="1", data="1201"), devinfo), final=True),
    )
    policy = m.Replace(
        cmd_id="6",
        items=(
            m.Item(
                target=m.Target(loc_uri="./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursStart"),
                meta=m.Meta(format="int"),
                data="8",
            ),
        ),
    )
    second = m.SyncML(
        header=_hdr("1", from_client=False),
        body=m.SyncBody(
            commands=(
                _status("1", "1", "0", "SyncHdr", "212"),
                _status("2", "1", "1", "Alert", "200"),
                _status("3", "1", "2", "Replace", "200"),
                _get("4", "./DevDetail/SwV"),
                _get("5", "./DevDetail/Ext/Microsoft/DNSComputerName"),
                policy,
            ),
            final=True,
        ),
    )
    token_event = m.Alert(
        cmd_id="6",
        data="1224",
        items=(m.Item(meta=m.Meta(type="com.microsoft/MDM/AADUserToken"), data=JWT),),
    )
    third = m.SyncML(
        header=_hdr("2", from_client=True),
        body=m.SyncBody(
            commands=(
                _status("1", "1", "0", "SyncHdr", "200"),
                _status("2", "1", "4", "Get", "200"),
                _status("3", "1", "5", "Get", "404", uri="./DevDetail/Ext/Microsoft/DNSComputerName"),
                _status("4", "1", "6", "Replace", "200"),
                m.Results(
                    cmd_id="5",
                    msg_ref="1",
                    cmd_ref="4",
                    items=(m.Item(source=m.Source(loc_uri="./DevDetail/SwV"), data="10.0.26100.1"),),
                ),
                token_event,
            ),
            final=True,
        ),
    )
    fourth = m.SyncML(
        header=_hdr("2", from_client=False),
        body=m.SyncBody(
            commands=(_status("1", "2", "0", "SyncHdr", "200"), _status("2", "2", "6", "Alert", "200")),
            final=True,
        ),
    )
    return [first, second, third, fourth]


def broken_session() -> list[m.SyncML]:
    """The same session with a Status missing, one answering nothing, and a MsgID skipped."""
    first, second, third, fourth = session()
    commands = tuple(c for c in second.body.commands if not (isinstance(c, m.Status) and c.cmd_ref == "2"))
    commands += (_status("7", "1", "9", "Add", "200"),)
    second = m.SyncML(header=second.header, body=m.SyncBody(commands=commands, final=True))
    third = m.SyncML(header=dataclasses.replace(third.header, msg_id="3"), body=third.body)
    return [first, second, third, fourth]


def xml(msg: m.SyncML) -> bytes:
    return syncml.serialize(msg, pretty=True)


def xxd(data: bytes) -> bytes:
    rows = []
    for at in range(0, len(data), 16):
        chunk = data[at : at + 16]
        groups = " ".join(chunk[i : i + 2].hex() for i in range(0, len(chunk), 2))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        rows.append(f"{at:08x}: {groups:<39}  {text}")
    return ("\n".join(rows) + "\n").encode()


def hexdump_c(data: bytes) -> bytes:
    rows = []
    for at in range(0, len(data), 16):
        chunk = data[at : at + 16]
        left = " ".join(f"{b:02x}" for b in chunk[:8])
        right = " ".join(f"{b:02x}" for b in chunk[8:])
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        rows.append(f"{at:08x}  {left:<23}  {right:<23}  |{text}|")
    rows.append(f"{len(data):08x}")
    return ("\n".join(rows) + "\n").encode()


def log(messages: list[m.SyncML]) -> bytes:
    """A server log: timestamps, XML bodies pasted in, the last one as base64 of WBXML."""
    lines: list[bytes] = [b"2026-12-05 10:00:00.120 INFO  mdm: session 2F opened by " + DEVICE.encode()]
    for number, msg in enumerate(messages[:-1], 1):
        side = "request" if number % 2 else "response"
        lines.append(f"2026-12-05 10:00:0{number}.200 DEBUG mdm: {side} body:".encode())
        lines.append(xml(msg).rstrip(b"\n"))
    wbxml = syncml.serialize(messages[-1], wbxml=True)
    lines.append(b"2026-12-05 10:00:05.900 DEBUG mdm: response (wbxml, base64) " + base64.b64encode(wbxml))
    lines.append(b"2026-12-05 10:00:06.000 INFO  mdm: session 2F closed")
    return b"\n".join(lines) + b"\n"


def http_dump(first: m.SyncML, second: m.SyncML) -> bytes:
    body = xml(first)
    request = (
        b"POST /ManagementServer/MDM.svc?mode=Maintenance&Platform=WoA HTTP/1.1\r\n"
        b"Host: mdm.example.com\r\n"
        b"Content-Type: application/vnd.syncml.dm+xml\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    wbxml = syncml.serialize(second, wbxml=True)
    half = len(wbxml) // 2
    chunks = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (wbxml[:half], wbxml[half:]))
    response = (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: application/vnd.syncml.dm+wbxml\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    )
    return request + b"\n" + response


def html_report(msg: m.SyncML) -> bytes:
    import html

    escaped = html.escape(xml(msg).decode())
    return (
        "<!DOCTYPE html>\n<html><head><title>MDM diagnostics (example)</title></head>\n<body>\n"
        "<h2>Last session</h2>\n<pre>" + escaped + "</pre>\n</body></html>\n"
    ).encode()


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    msgs = session()
    wbxml_first = syncml.serialize(msgs[0], wbxml=True)
    files: dict[str, bytes] = {
        "session.log": log(msgs),
        "broken-session.log": log(broken_session()),
        "exchange.http": http_dump(msgs[0], msgs[1]),
        "first.wbxml": wbxml_first,
        "first.b64": base64.encodebytes(wbxml_first),
        "second.b64url": base64.urlsafe_b64encode(xml(msgs[1])).rstrip(b"="),
        "first.hex": binascii.hexlify(wbxml_first, " ").upper() + b"\n",
        "first.xxd": xxd(wbxml_first),
        "first.hexdump": hexdump_c(wbxml_first),
        "report.html": html_report(msgs[2]),
        "utf16.xml": '<?xml version="1.0" encoding="UTF-16"?>\n'.encode("utf-16")
        + xml(msgs[3]).decode().encode("utf-16-le"),
        "bom-leading-space.xml": b"\xef\xbb\xbf  <?xml version='1.0' encoding='UTF-8'?>\n" + xml(msgs[3]),
        "wrong-encoding.xml": b"<?xml version='1.0' encoding='utf-16'?>" + xml(msgs[3]),
        "empty-synchdr.xml": b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/><SyncBody>'
        b"<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef><Item><Source>"
        b"<LocURI>./DevDetail/SwV</LocURI></Source><Data>10.0.26100.1</Data></Item></Results>"
        b"<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>"
        b"<Final/></SyncBody></SyncML>\n",
        "html-quotes.xml": xml(msgs[3]).replace(b'xmlns="SYNCML:SYNCML1.2"', b"xmlns=&quot;SYNCML:SYNCML1.2&quot;"),
        "unknown-element.xml": xml(msgs[3]).replace(
            b"    <Final/>", b"    <Frobnicate><CmdID>3</CmdID></Frobnicate>\n    <Final/>"
        ),
        "truncated.xml": xml(msgs[1])[: xml(msgs[1]).find(b"<Get>", xml(msgs[1]).find(b"<Get>") + 1) + 40],
        "profile.txt": b"Profile 'hours' as stored by the server:\n"
        + syncml.serialize_commands(msgs[1].body.commands[5:], pretty=True)
        + b"(end of profile)\n",
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
