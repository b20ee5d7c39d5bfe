"""Write a seed corpus for the harnesses from our own test examples.

Usage: ``python fuzz/seeds.py [--wbxml | --session | --notification] OUT_DIR``.

XML seeds (the default) are the hand-written messages in ``tests/examples/``
as they are, and the expected models of ``tests/example_models.py``
serialized compact and pretty, whole and as bare commands.  ``--wbxml``
writes the same messages as WBXML 1.1 to 1.3, with and without a string
table and a literal public id.  ``--session`` writes device-side
conversations for ``fuzz_server_session.py``: the client messages, alone and
chained.  Nothing is copied from the shared corpus of real captures, and
nothing generated here is committed.

Each kind also gets large messages, 100 KB to 1 MB (:func:`large_xml`,
:func:`large_wbxml`, :func:`large_session`): many Items, one long value,
CDATA sections between text, namespace declarations over markup, Data
attributes, many Status; as WBXML, string tables referenced many times and
nested documents with tables of their own.  Without them a campaign never
starts from an input above a few kilobytes, and the costs that grow with
the input go unseen (run the harnesses with ``-max_len=1048576`` so that
libFuzzer reads them whole).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.example_models, when run from a checkout
sys.path.insert(0, str(ROOT / "fuzz"))

from invariants import NEXT_MESSAGE  # noqa: E402

import syncml  # noqa: E402  (after the path is set)
from syncml import notification as nia  # noqa: E402
from syncml.fuzzing import WbxmlMutation, mutate_wbxml  # noqa: E402
from tests.example_models import EXPECTED  # noqa: E402

EXAMPLES = ROOT / "tests" / "examples"


def _messages() -> Iterator[syncml.SyncML]:
    for expected in EXPECTED.values():
        if isinstance(expected, syncml.SyncML):
            yield expected


def xml_seeds() -> Iterator[bytes]:
    """Every XML seed, the example files first."""
    for path in sorted(EXAMPLES.glob("*.xml")):
        yield path.read_bytes()
    for expected in EXPECTED.values():
        if isinstance(expected, syncml.SyncML):
            yield syncml.serialize(expected)
            yield syncml.serialize(expected, pretty=True, xml_declaration=True)
            yield syncml.serialize_commands(expected.body.commands)
        else:
            yield syncml.serialize_commands(expected)
            yield syncml.serialize_commands(expected, pretty=True)


def wbxml_seeds() -> Iterator[bytes]:
    """Each example message in each WBXML form the encoder writes."""
    for msg in _messages():
        for version in ("1.1", "1.2", "1.3"):
            yield syncml.serialize(msg, wbxml=syncml.WBXMLOptions(version=version))
        yield syncml.serialize(msg, wbxml=syncml.WBXMLOptions(string_table=True))
        yield syncml.serialize(msg, wbxml=syncml.WBXMLOptions(literal_public_id=True, metinf_order=("Type", "Format")))


KB = 1000
#: Largest seed: under libFuzzer's -max_len of the campaigns (1 MiB).
LARGEST = 1000 * KB

HDR = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.example.com/ManagementServer/MDM.svc"
    b"</LocURI></Target><Source><LocURI>4C4C4544-0037-3010-8052-B4C04F4B4E32</LocURI></Source></SyncHdr>"
)
_POLICY = (
    b"<Item><Target><LocURI>./Vendor/MSFT/Policy/Config/Update/ActiveHoursStart%d</LocURI></Target>"
    b'<Meta><Format xmlns="syncml:metinf">int</Format></Meta><Data>%d</Data></Item>'
)
_STATUS = b"<Status><CmdID>%d</CmdID><MsgRef>1</MsgRef><CmdRef>%d</CmdRef><Cmd>Replace</Cmd><Data>200</Data></Status>"
_RESULT = (
    b"<Item><Source><LocURI>./DevDetail/Ext/Microsoft/Node%d</LocURI></Source>"
    b'<Meta><Format xmlns="syncml:metinf">chr</Format><Type xmlns="syncml:metinf">text/plain</Type></Meta>'
    b"<Data>value %d</Data></Item>"
)


def _message(body: bytes) -> bytes:
    return HDR + b"<SyncBody>" + body + b"<Final/></SyncBody></SyncML>"


def _repeat(unit: bytes, size: int) -> bytes:
    """Numbered copies of *unit* (two %d) adding up to about *size* bytes."""
    out: list[bytes] = []
    total = n = 0
    while total < size:
        piece = unit % (n, n)
        out.append(piece)
        total += len(piece)
        n += 1
    return b"".join(out)


def large_xml() -> Iterator[bytes]:
    """XML messages of 100 KB to 1 MB, each a shape the decoder's costs grow with."""
    for size in (120 * KB, 500 * KB, LARGEST - 2 * KB):
        yield _message(b"<Replace><CmdID>2</CmdID>" + _repeat(_POLICY, size) + b"</Replace>")
    yield _message(b"<Add><CmdID>2</CmdID><Item><Data>" + b"QUJD" * (200 * KB // 4) + b"</Data></Item></Add>")
    yield _message(
        b"<Add><CmdID>2</CmdID><Item><Data>" + b"a<![CDATA[<x>]]>" * (150 * KB // 16) + b"</Data></Item></Add>"
    )
    declarations = b" ".join(b'xmlns:p%d="urn:x:%d"' % (i, i) for i in range(31))  # 32 attributes with xmlns
    markup = b"<Item><Data><p1:Enabled/><p2:x a='1'>t</p2:x></Data></Item>" * (150 * KB // 60)
    yield HDR + b"<SyncBody " + declarations + b"><Add><CmdID>2</CmdID>" + markup + b"</Add></SyncBody></SyncML>"
    attributes = b" ".join(b'msft:a%d="%d"' % (i, i) for i in range(30))
    data = b'<Item><Data xmlns:msft="http://schemas.microsoft.com/MobileDevice/MDM" ' + attributes + b">1</Data></Item>"
    yield _message(b"<Add><CmdID>2</CmdID>" + data * (150 * KB // len(data)) + b"</Add>")
    yield _message(_repeat(_STATUS, 250 * KB))


def large_wbxml() -> Iterator[bytes]:
    """WBXML messages of 100 KB to 1 MB: string tables, many references, nested documents."""
    for xml in large_xml():
        try:
            msg = syncml.parse(xml)
        except syncml.SyncMLError:
            continue  # a refused XML seed has no WBXML form
        yield syncml.serialize(msg, wbxml=syncml.WBXMLOptions(string_table=True))
    # The string-table shape, within the default budget: one 100 KB
    # entry referenced 5 times from one Data.
    base = syncml.serialize(
        syncml.parse(_message(b"<Replace><CmdID>2</CmdID><Item><Data>QQQ</Data></Item></Replace>")), wbxml=True
    )
    table = b"A" * (100 * KB) + b"\x00"
    size = bytes([0x80 | len(table) >> 14, 0x80 | len(table) >> 7 & 0x7F, len(table) & 0x7F])
    yield base[:4] + size + table + base[5:].replace(b"\x03QQQ\x00", b"\x83\x00" * 5)
    # Nested DevInf and DM DDF documents with tables of their own, 100 KB of them.
    start = syncml.serialize(
        syncml.parse(_message(b"<Replace><CmdID>2</CmdID><Item><Data>Q</Data></Item></Replace>")), wbxml=True
    )
    grown = start
    for seed in range(400):
        grown = mutate_wbxml(grown, seed, kinds=[WbxmlMutation.NESTED], max_size=LARGEST)
        if len(grown) > 100 * KB:
            break
    yield grown


def large_session() -> Iterator[bytes]:
    """A device answering 2 000 Gets at once (about 400 KB), alone and after the session's first message."""
    results = (
        b"<Results><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>" + _repeat(_RESULT, 400 * KB) + b"</Results>"
    )
    big = _message(_STATUS % (1, 0) + results)
    yield big
    for path in sorted(EXAMPLES.glob("client-session-start-*.xml")):
        yield path.read_bytes() + NEXT_MESSAGE + big.replace(b"<MsgID>1</MsgID>", b"<MsgID>2</MsgID>")


def session_seeds() -> Iterator[bytes]:
    """Device messages, alone and as the first and next message of one session."""
    clients = [path.read_bytes() for path in sorted(EXAMPLES.glob("client-*.xml"))]
    yield from clients
    for first in clients:
        for second in clients:
            yield first + NEXT_MESSAGE + second


def notification_seeds() -> Iterator[bytes]:
    """Package 0: DM notifications (NIA) and DS server-alerted syncs (SAN), whole and cut short."""
    password, nonce = "secret", b"\x01\x02\x03\x04"
    dm = nia.Notification(ui_mode=nia.UIMode.BACKGROUND, session_id=0x1234, server_id="mdm.example.com")
    stores = tuple(
        nia.SanSync(sync_type=206 + i % 5, content_type=0x07 * i, server_uri=f"./store{i}") for i in range(3)
    )
    san = nia.ServerAlertedSync(session_id=1, server_id="ds.example.com", syncs=stores)
    for wire in (
        nia.encode(dm, password=password, nonce=nonce),
        nia.encode(dataclasses.replace(dm, vendor=b"\x00vendor", server_id="s" * 255), password=password, nonce=nonce),
        nia.encode_san(san, password=password, nonce=nonce),
        nia.encode_san(dataclasses.replace(san, syncs=()), password=password, nonce=nonce),
    ):
        yield wire
        yield wire[: len(wire) // 2]


def large_notification() -> Iterator[bytes]:
    """A notification with a 100 KB vendor part (the only part that can grow)."""
    dm = nia.Notification(session_id=1, server_id="mdm.example.com", vendor=b"V" * (100 * KB))
    yield nia.encode(dm, password="secret", nonce=b"n")


def write(out: Path, seeds: Iterator[bytes]) -> int:
    """Write each distinct seed to *out* under its SHA-1 (as libFuzzer names inputs)."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for data in seeds:
        target = out / hashlib.sha1(data).hexdigest()
        if not target.exists():
            target.write_bytes(data)
            written += 1
    return written


def _with_large(
    small: Callable[[], Iterator[bytes]], large: Callable[[], Iterator[bytes]]
) -> Callable[[], Iterator[bytes]]:
    return lambda: itertools.chain(small(), large())


KINDS = {
    "--xml": _with_large(xml_seeds, large_xml),
    "--wbxml": _with_large(wbxml_seeds, large_wbxml),
    "--session": _with_large(session_seeds, large_session),
    "--notification": _with_large(notification_seeds, large_notification),
}

if __name__ == "__main__":
    args = sys.argv[1:]
    kind = args.pop(0) if args and args[0] in KINDS else "--xml"
    if len(args) != 1:
        sys.exit("usage: python fuzz/seeds.py [--wbxml | --session | --notification] OUT_DIR")
    print(f"{write(Path(args[0]), KINDS[kind]())} seeds written to {args[0]}")
