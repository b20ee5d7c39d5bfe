"""Our WBXML as Wireshark's WBXML dissector reads it (Debian ``tshark``).

Each message is written into a pcap as an HTTP POST of
``application/vnd.syncml.dm+wbxml`` on 127.0.0.1, one TCP segment per
message; ``tshark -V`` dissects it.  Wireshark must name every tag we
intended, in document order (the element names of our XML for the same
model), and report no malformed packet and no expert warning or error.

Wireshark shows a nested DevInf or TNDS document as OPAQUE bytes, so the
elements of one are not expected from it.  Under ``CI=true`` tshark must be
there (``.ci/run`` installs it); elsewhere the tests skip without it.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from lxml import etree

import syncml
from syncml import _wbxml_tables as t
from syncml import model as m
from syncml import strategies as sts

from .example_models import EXPECTED
from .interop_wbxml import nested_devinf_model

_TIMEOUT = 120  # a hang guard only
_MESSAGES = sorted(name for name, value in EXPECTED.items() if isinstance(value, m.SyncML))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_NESTED = {t.DEVINF.namespace, t.TNDS.namespace}
# A tag line of the "Data representation" table: "| Tag | ... | <Name" (attributes are "Attr" lines).
_TAG = re.compile(r"^\s*\d*\s*\|\s*Tag\s*\|.*\|\s*<([^\s/>]+)", re.M)
_TROUBLE = re.compile(r"Malformed|Expert Info \((?:Warning|Error)|\[Dissector bug")


def _tshark() -> str:
    tshark = shutil.which("tshark")
    if tshark:
        return tshark
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true needs Wireshark's tshark (apt-get install tshark)")
    pytest.skip("tshark is not installed")


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _frame(body: bytes, port: int) -> bytes:
    """An IPv4/TCP packet from 127.0.0.1:port to 127.0.0.1:80 holding one whole HTTP POST."""
    http = (
        b"POST /omadm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/vnd.syncml.dm+wbxml\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    loopback = bytes([127, 0, 0, 1])
    tcp = struct.pack("!HHIIBBHHH", port, 80, 1, 1, 5 << 4, 0x18, 65535, 0, 0)
    pseudo = loopback + loopback + struct.pack("!BBH", 0, 6, len(tcp) + len(http))
    tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp + http)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(http), 1, 0x4000, 64, 6, 0, loopback, loopback)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    return ip + tcp + http


def _pcap(bodies: list[bytes]) -> bytes:
    """A pcap (link type 101, raw IP) with one packet per body, each in its own TCP stream."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 1 << 20, 101)]
    for n, body in enumerate(bodies):
        frame = _frame(body, 40000 + n)
        out.append(struct.pack("<IIII", n, 0, len(frame), len(frame)) + frame)
    return b"".join(out)


def _dissect(bodies: list[bytes], tmp_path: Path) -> list[str]:
    """tshark's verbose text of each packet, in order."""
    tshark = _tshark()
    capture = tmp_path / "syncml.pcap"
    capture.write_bytes(_pcap(bodies))
    proc = subprocess.run(
        [tshark, "-r", str(capture), "-V"], capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )
    assert proc.returncode == 0, proc.stderr
    packets = re.split(r"^Frame \d+:", proc.stdout, flags=re.M)[1:]
    assert len(packets) == len(bodies)
    return packets


def _intended(msg: m.SyncML) -> list[str]:
    """The tags our WBXML writes: the elements of our XML, a nested document's excepted."""
    root = etree.fromstring(syncml.serialize(msg), _PARSER)
    names: list[str] = []

    def walk(element: Any) -> None:
        names.append(etree.QName(element).localname)
        for child in element.iterchildren(etree.Element):
            if etree.QName(child).namespace in _NESTED and _nested(msg):
                continue  # an OPAQUE nested document, bytes to Wireshark
            walk(child)

    walk(root)
    return names


def _nested(msg: m.SyncML) -> bool:
    wbxml = syncml.serialize(msg, wbxml=True)
    return any(v.wbxml_type.encode() in wbxml for v in (t.DEVINF, t.TNDS))


# Wireshark's SyncML 1.1 table lacks the 1.2 additions, as libwbxml's does:
# it renders their tokens "(Requested token not defined ...)" in a 1.1 message.
_ADDED_IN_12 = {"Correlator", "TargetParent", "SourceParent", "FieldLevel"}
_UNDEFINED = "(Requested"


def _assert_named(msg: m.SyncML, packet: str) -> None:
    assert "WAP Binary XML" in packet
    assert not _TROUBLE.search(packet), _TROUBLE.search(packet)
    intended = _intended(msg)
    if msg.header.ver_dtd == "1.1":
        intended = [_UNDEFINED if name in _ADDED_IN_12 else name for name in intended]
    assert _TAG.findall(packet) == intended


_OPTIONS: list[dict[str, Any]] = [{}, {"string_table": True, "version": "1.2"}]


@pytest.mark.parametrize("options", _OPTIONS, ids=["plain", "string-table"])
def test_examples_named_by_wireshark(options: dict[str, Any], tmp_path: Path) -> None:
    messages = [EXPECTED[name] for name in _MESSAGES]
    messages.append(nested_devinf_model("application/vnd.syncml-devinf+xml"))
    typed = [msg for msg in messages if isinstance(msg, m.SyncML)]
    packets = _dissect([syncml.serialize(msg, wbxml=syncml.WBXMLOptions(**options)) for msg in typed], tmp_path)
    for msg, packet in zip(typed, packets, strict=True):
        _assert_named(msg, packet)


def test_literal_public_id_is_read_but_not_rendered(tmp_path: Path) -> None:
    # Wireshark's known gap (docs/wbxml.md): it reads a public identifier
    # given as text in the string table, but picks token tables by the
    # numeric id only, so it renders no tag names for such a document.  It
    # says so with an expert note and finds nothing malformed.
    msg = EXPECTED["client-unenroll-request.xml"]
    assert isinstance(msg, m.SyncML)
    (packet,) = _dissect([syncml.serialize(msg, wbxml=syncml.WBXMLOptions(literal_public_id=True))], tmp_path)
    assert 'Public ID: "-//SYNCML//DTD SyncML 1.2//EN"' in packet
    assert "Rendering of this content type not (yet) supported" in packet
    assert "Malformed" not in packet
    assert "SyncHdr" not in packet


def test_a_broken_document_is_reported(tmp_path: Path) -> None:
    # The oracle can fail: a document cut short is not named in full.
    msg = EXPECTED["client-unenroll-request.xml"]
    assert isinstance(msg, m.SyncML)
    (packet,) = _dissect([syncml.serialize(msg, wbxml=True)[:-20]], tmp_path)
    assert _TAG.findall(packet) != _intended(msg)


def test_generated_messages_named_by_wireshark(tmp_path: Path) -> None:
    # 200 generated messages in one capture: tshark takes a second to start,
    # so the messages are drawn first and dissected together.  A failure
    # prints the message it concerns (unshrunk).
    drawn: list[m.SyncML] = []

    @settings(
        max_examples=200,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,  # the same examples every run, as for the other oracles
    )
    @given(sts.messages(max_commands=4))
    def draw(msg: m.SyncML) -> None:
        drawn.append(msg)

    draw()
    assert len(drawn) == 200
    packets = _dissect([syncml.serialize(msg, wbxml=True) for msg in drawn], tmp_path)
    for msg, packet in zip(drawn, packets, strict=True):
        try:
            _assert_named(msg, packet)
        except AssertionError as failure:
            raise AssertionError(syncml.serialize(msg).decode()) from failure
