"""The hostile inputs, and the child process that measures one of them.

``tests/test_hostile.py`` runs ``python -m tests.hostile_cases NAME`` once per
case, so that each measurement starts from a fresh interpreter: the peak
resident memory it reports includes libxml2's own allocations (which
``tracemalloc`` cannot see), and the work count is the number of Python
function calls made while decoding (``sys.setprofile``; a generator resuming
counts too), a machine-independent stand-in for time.  The child prints one
JSON line.

Most cases decode bytes; a case with ``act`` does something else with what
``build`` returns (serialize a model, receive it in a ServerSession, call a
helper, load a CommandQueue, construct Limits), and names the error it must
end in.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import FrameType
from typing import cast

import syncml
import syncml.auth
import syncml.ds
import syncml.server
from syncml import Limits
from syncml import model as m
from syncml import notification as nia
from syncml._meter import measure

from . import wbxml_tokens as w
from .builders import message_xml, synchdr_xml

MIB = 1024 * 1024

#: This module's SyncHdr: the shared one, from device DEV-1 (the cases are sized with it).
HDR = synchdr_xml(source="DEV-1").encode()
ALERT = b"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"
PUBLIC_DOCTYPE = (
    b'<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN"'
    b' "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd">'
)


def message(body: bytes = ALERT, *, prolog: bytes = b"", body_attrs: bytes = b"") -> bytes:
    """A message with *body* in its SyncBody (:func:`tests.builders.message_xml`, one join, no larger temporaries)."""
    return message_xml(body, hdr=HDR, prolog=prolog, body_attrs=body_attrs)


#: What a case does with what it builds: decode it by default.
Act = Callable[[object, Limits], object]


@dataclass(frozen=True, slots=True, kw_only=True)
class Hostile:
    """One attack: how to build it, what the library must answer, and what it may cost.

    ``refused`` is part of the error's reason (None: the input is accepted),
    ``error`` its class and ``status`` its ``status`` attribute (None for an
    error that has none).  ``act`` is what is done with the input (default:
    ``parse``, or ``parse_commands`` for a ``fragment``); ``accepts``, when
    set, must hold for what an accepted input returned.  ``max_rss_mib``
    bounds the growth of peak resident memory while acting, ``max_calls``
    the Python function calls made.  ``max_traced_mib``, when set, bounds
    Python allocations (tracemalloc) too: the proof that a refused input was
    never copied.
    """

    name: str
    build: Callable[[], object]
    refused: str | None
    status: int | None = 400
    error: type[Exception] = syncml.DecodeError
    limits: Limits = syncml.DEFAULT_LIMITS
    fragment: bool = False
    act: Act | None = None
    accepts: Callable[[object], bool] | None = None
    max_rss_mib: float
    max_calls: int
    max_traced_mib: float | None = None
    #: When set, lines of Python executed are counted (``sys.settrace``) and
    #: bounded: loops and generators that make no call (a quadratic scan
    #: inside one function) show there, not in ``max_calls``.
    max_lines: int | None = None
    #: Why the case still fails (a strict xfail: it fails the suite the day it is fixed).
    known_bug: str | None = None


def _billion_laughs() -> bytes:
    entities = [b'<!ENTITY lol0 "lol">']
    entities += [b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)]
    return message(b"<Alert><CmdID>&lol9;</CmdID></Alert>", prolog=b"<!DOCTYPE SyncML [" + b"".join(entities) + b"]>")


def _quadratic_blowup() -> bytes:
    entity = b'<!DOCTYPE SyncML [<!ENTITY a "' + b"A" * 50_000 + b'">]>'
    return message(b"<Alert><CmdID>1</CmdID><Data>" + b"&a;" * 50_000 + b"</Data></Alert>", prolog=entity)


def _nested(depth: int) -> bytes:
    opening = b"<Atomic><CmdID>1</CmdID>" * depth
    return message(opening + b"<Get><CmdID>2</CmdID><Item/></Get>" + b"</Atomic>" * depth)


def _items(count: int) -> bytes:
    return message(b"<Add><CmdID>1</CmdID>" + b"<Item/>" * count + b"</Add>")


def _text(size: int) -> bytes:
    return message(b"<Add><CmdID>1</CmdID><Item><Data>" + b"A" * size + b"</Data></Item></Add>")


def _quirk_per_item(count: int) -> bytes:
    # A LocURI with a leading space is a tolerated quirk: one per Item.
    return message(b"<Add><CmdID>1</CmdID>" + b"<Item><Target><LocURI> x</LocURI></Target></Item>" * count + b"</Add>")


def _attributes(count: int) -> bytes:
    attributes = b" ".join(b'a%d="1"' % i for i in range(count))
    status = b"<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
    return message(status + b"<Data " + attributes + b">200</Data></Status>")


def _declarations(count: int, markups: int) -> bytes:
    declarations = b" " + b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(count))
    items = b"<Item><Data><x/></Data></Item>" * markups
    return message(b"<Add><CmdID>1</CmdID>" + items + b"</Add>", body_attrs=declarations)


_BIG = Limits(max_size=64 * MIB)


def _wbxml(edit: Callable[[bytes, bytes], bytes | bytearray]) -> Callable[[], bytes | bytearray]:
    """A WBXML message edited by *edit(header, tokens)*; the header is version, public id, charset, table length."""

    def build() -> bytes | bytearray:
        encoded = syncml.serialize(syncml.parse(message()), wbxml=True)
        assert encoded[:5] == b"\x03\xa4\x01\x6a\x00"  # WBXML 1.3, SyncML 1.2, UTF-8, no string table
        return edit(encoded[:5], encoded[5:])

    return build


# WBXML tokens: SyncML, SyncHdr and VerDTD with content, then their text.
_OPENING = b"\x6d\x6c\x71"


CASES: list[Hostile] = [
    # --- XML bombs and entities: refused before libxml2 sees a DTD ------------------
    Hostile(name="billion laughs", build=_billion_laughs, refused="DOCTYPE refused", max_rss_mib=4, max_calls=200),
    Hostile(name="quadratic blow-up", build=_quadratic_blowup, refused="DOCTYPE refused", max_rss_mib=4, max_calls=200),
    Hostile(
        name="external entity to a file",
        build=lambda: message(
            b"<Alert><CmdID>&x;</CmdID></Alert>", prolog=b'<!DOCTYPE SyncML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        ),
        refused="DOCTYPE refused",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="external entity to a URL",
        build=lambda: message(
            b"<Alert><CmdID>&x;</CmdID></Alert>",
            prolog=b'<!DOCTYPE SyncML [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
        ),
        refused="DOCTYPE refused",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="external DTD, system id only",
        build=lambda: message(prolog=b'<!DOCTYPE SyncML SYSTEM "http://127.0.0.1:9/evil.dtd">'),
        refused="DOCTYPE refused",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="parameter entities",
        build=lambda: message(prolog=b'<!DOCTYPE SyncML [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>'),
        refused="DOCTYPE refused",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="internal DTD subset",
        build=lambda: message(prolog=b"<!DOCTYPE SyncML [<!ELEMENT SyncML ANY>]>"),
        refused="DOCTYPE refused",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="public SyncML DOCTYPE with an internal subset",
        build=lambda: message(prolog=PUBLIC_DOCTYPE[:-1] + b' [<!ENTITY x "y">]>'),
        refused="DOCTYPE refused",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="plain public SyncML DOCTYPE, as libwbxml writes it",
        build=lambda: message(prolog=b'<?xml version="1.0"?>' + PUBLIC_DOCTYPE),
        refused=None,
        max_rss_mib=16,
        max_calls=10_000,
    ),
    Hostile(
        name="plain DOCTYPE and an undeclared entity reference",
        build=lambda: message(b"<Alert><CmdID>&xxe;</CmdID></Alert>", prolog=PUBLIC_DOCTYPE),
        refused="entity reference &xxe; is not expanded",
        max_rss_mib=16,
        max_calls=10_000,
    ),
    # --- depth -------------------------------------------------------------------
    Hostile(
        name="100 000 nested Atomic",
        build=lambda: _nested(100_000),
        refused="200014 elements exceed the limit of 100000",
        status=413,
        max_rss_mib=8,
        max_calls=200,
    ),
    Hostile(
        name="100 000 nested Atomic, max_nodes raised: libxml2's depth guard",
        build=lambda: _nested(100_000),
        refused="Excessive depth in document: 256",
        status=413,
        limits=Limits(max_nodes=1_000_000),
        max_rss_mib=8,
        max_calls=200,
    ),
    Hostile(
        name="100 000 nested Atomic, huge-tree parser (max_size raised)",
        build=lambda: _nested(100_000),
        refused="Excessive depth in document: 2048",
        status=413,
        limits=Limits(max_size=64 * MIB, max_nodes=1_000_000),
        max_rss_mib=8,
        max_calls=200,
    ),
    Hostile(
        name="200 nested Atomic",
        build=lambda: _nested(200),
        refused="nesting deeper than 32",
        max_rss_mib=16,
        max_calls=10_000,
    ),
    # --- breadth and size --------------------------------------------------------------
    Hostile(
        name="1 million sibling Items",
        build=lambda: _items(1_000_000),
        refused="exceed the limit",
        status=413,
        max_rss_mib=16,
        max_calls=200,
    ),
    Hostile(
        name="the most Items the default limits accept",
        build=lambda: _items(syncml.DEFAULT_LIMITS.max_nodes - 20),
        refused=None,
        max_rss_mib=100,
        max_calls=300_000,
    ),
    Hostile(
        name="100 MB message",
        build=lambda: _text(100 * MIB),
        refused="exceeds the 8388608-byte limit",
        status=413,
        max_rss_mib=1,
        max_calls=100,
        max_traced_mib=0.1,
    ),
    Hostile(
        name="100 MB message as a bytearray",
        build=lambda: bytearray(_text(100 * MIB)),
        refused="exceeds the 8388608-byte limit",
        status=413,
        max_rss_mib=1,
        max_calls=100,
        max_traced_mib=0.1,
    ),
    Hostile(
        name="100 MB message as text",
        build=lambda: _text(100 * MIB).decode(),
        refused="exceeds the 8388608-byte limit",
        status=413,
        max_rss_mib=1,
        max_calls=100,
        max_traced_mib=0.1,
    ),
    Hostile(
        name="50 MB text node under the default limit",
        build=lambda: _text(50 * MIB),
        refused="exceeds",
        status=413,
        max_rss_mib=1,
        max_calls=100,
        max_traced_mib=0.1,
    ),
    Hostile(
        name="50 MB text node, limit raised to 64 MiB",
        build=lambda: _text(50 * MIB),
        refused=None,
        limits=_BIG,
        max_rss_mib=170,
        max_calls=10_000,
    ),
    # --- encodings and characters -------------------------------------------------------
    Hostile(
        name="invalid UTF-8",
        build=lambda: message(b"<Alert><CmdID>\xff</CmdID></Alert>"),
        refused="invalid UTF-8",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="overlong UTF-8 for '<'",
        build=lambda: message(b"<Alert><CmdID>\xc0\xbc</CmdID></Alert>"),
        refused="invalid UTF-8",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="a surrogate encoded as UTF-8",
        build=lambda: message(b"<Alert><CmdID>\xed\xa0\x80</CmdID></Alert>"),
        refused="invalid UTF-8",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="UTF-16 BOM, then UTF-8",
        build=lambda: b"\xff\xfe" + message()[:40].decode().encode("utf-16-le") + message()[40:],
        refused="invalid UTF-16",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="UTF-16 with an odd byte at the end",
        build=lambda: b"\xff\xfe" + message().decode().encode("utf-16-le") + b"\x00",
        refused="invalid UTF-16",
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="UTF-32",
        build=lambda: b"\xff\xfe\x00\x00" + message().decode().encode("utf-32-le"),
        refused="UTF-32",
        status=415,
        max_rss_mib=4,
        max_calls=200,
    ),
    Hostile(
        name="a NUL byte in a value",
        build=lambda: message(b"<Alert><CmdID>1\x00</CmdID></Alert>"),
        refused="Char 0x0 out of allowed range",
        max_rss_mib=4,
        max_calls=500,
    ),
    Hostile(
        name="a reference to NUL",
        build=lambda: message(b"<Alert><CmdID>&#0;</CmdID></Alert>"),
        refused="invalid xmlChar value 0",
        max_rss_mib=4,
        max_calls=500,
    ),
    Hostile(
        name="a lone surrogate escaped as a reference",
        build=lambda: message(b"<Alert><CmdID>&#xD800;</CmdID></Alert>"),
        refused="invalid xmlChar value 55296",
        max_rss_mib=4,
        max_calls=500,
    ),
    Hostile(
        name="8 MiB of whitespace",
        build=lambda: b" " * (8 * MIB),
        refused="empty input",
        max_rss_mib=1,
        max_calls=100,
    ),
    # --- WBXML ------------------------------------------------------------------------------
    Hostile(
        name="WBXML: overlong multi-byte integer",
        build=_wbxml(lambda head, rest: b"\x03\x80\x80\x80\x80\x80\x81\x01\x6a\x00" + rest),
        refused="multi-byte integer longer than 5 bytes",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: multi-byte integer over 32 bits",
        build=_wbxml(lambda head, rest: b"\x03\x90\x80\x80\x80\x00\x6a\x00" + rest),
        refused="does not fit in 32 bits",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: a 4 GB string table length",
        build=_wbxml(lambda head, rest: head[:4] + b"\x8f\xff\xff\xff\x7f" + rest),
        refused="string table of 4294967295 bytes",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: a 4 GB OPAQUE length",
        build=_wbxml(lambda head, rest: head + _OPENING + b"\xc3\x8f\xff\xff\xff\x7f" + b"x"),
        refused="OPAQUE of 4294967295 bytes",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: string-table index out of range",
        build=_wbxml(lambda head, rest: head + _OPENING + b"\x83\x8f\xff\xff\xff\x7f\x01" + rest[11:]),
        refused="string-table index 4294967295 outside the 0-byte table",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: SWITCH_PAGE to an unknown code page",
        build=_wbxml(lambda head, rest: head + b"\x00\x07" + rest),
        refused="SWITCH_PAGE to code page 7",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: unbalanced END tokens",
        build=_wbxml(lambda head, rest: head + rest + b"\x01\x01"),
        refused="2 bytes after the end of the document",
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML: missing END",
        build=_wbxml(lambda head, rest: head + rest[:-2]),
        refused="unexpected end of the WBXML document",
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML: an inline string without its NUL",
        build=_wbxml(lambda head, rest: head + _OPENING + b"\x03" + b"1" * 100_000),
        refused="inline string without its terminating NUL",
        max_rss_mib=4,
        max_calls=2_000,
    ),
    Hostile(
        name="WBXML: 100 MB message as a bytearray",
        build=_wbxml(lambda head, rest: bytearray(head + rest + b"\x00" * (100 * MIB))),
        refused="exceeds the 8388608-byte limit",
        status=413,
        max_rss_mib=1,
        max_calls=100,
        max_traced_mib=0.1,
    ),
    Hostile(
        name="WBXML: 100 000 nested Atomic",
        build=_wbxml(lambda head, rest: head + b"\x6d\x6b" + b"\x48" * 100_000),  # SyncML, SyncBody, Atomic...
        refused="nesting deeper than 32",
        max_rss_mib=4,
        max_calls=10_000,
    ),
    # --- amplification through the decoder's own work ------------------------------------
    Hostile(
        name="a tolerated quirk in each of 20 000 Items",
        build=lambda: _quirk_per_item(20_000),
        refused=None,
        max_rss_mib=80,
        max_calls=1_000_000,
    ),
    Hostile(
        name="50 000 attributes on Status Data",
        build=lambda: _attributes(50_000),
        refused="attributes",
        status=413,
        max_rss_mib=40,
        max_calls=10_000,
    ),
    Hostile(
        name="20 000 namespace declarations and 2 000 markup Data",
        build=lambda: _declarations(20_000, 2_000),
        refused="more than 32 attributes on <SyncBody> (namespace declarations included)",
        status=413,
        max_rss_mib=4,
        max_calls=2_000,
    ),
]


# --- issue 11: every cost linear in the input ------------------------------------------------

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STR_T0 = b"\x83\x00"  # STR_T, index 0: the whole first string-table entry
BIG = 100_000  # bytes in the string-table entry the bombs reference
DIGITS = b"9" * 5000  # past Python's 4300-digit int() limit


def _bomb(*commands: bytes, entries: bytes = b"") -> bytes:
    """A WBXML message whose string table starts with one 100 KB entry (index 0)."""
    return w.message(*commands, table=b"A" * BIG + b"\x00" + entries)


def _in_data(content: bytes, *, attrs: bytes = b"", entries: bytes = b"") -> bytes:
    item = w.el("Item", w.el("Data", content, attrs=attrs))
    return _bomb(w.el("Replace", w.el("CmdID", w.s("1")), item), entries=entries)


def _literal(index: int, *, content: bool = False) -> bytes:
    return bytes([0x44 if content else 0x04]) + w.mb(index)


def _attribute_bomb() -> bytes:
    # 32 attributes on Data, each value 600 references: 1.9 GB if expanded.
    names = b"".join(b"a%d\x00" % i for i in range(32))
    offsets = [BIG + 1 + sum(len(b"a%d" % k) + 1 for k in range(i)) for i in range(32)]
    attrs = b"".join(b"\x04" + w.mb(offset) + STR_T0 * 600 for offset in offsets) + b"\x01"
    return _in_data(w.s("x"), attrs=attrs, entries=names)


def _nested_bomb() -> bytes:
    # A nested DevInf (public id 0x1203) with a table of its own: Man is 20 000 references.
    table = b"A" * BIG + b"\x00"
    devinf = (
        b"\x03\xa4\x03\x6a" + w.mb(len(table)) + table + b"\x4a\x65\x031.2\x00\x01\x51" + STR_T0 * 20_000 + b"\x01\x01"
    )
    meta = w.meta(w.mi("Type", "application/vnd.syncml-devinf+wbxml"))
    item = w.el("Item", meta, w.el("Data", w.opaque(devinf)))
    return w.message(w.el("Replace", w.el("CmdID", w.s("1")), item))


def _devinf_flood() -> bytes:
    """A Put carrying one DevInf (XML in Data) whose one CTCap lists 25 000 Properties."""
    props = b"".join(b"<Property><PropName>P%d</PropName></Property>" % i for i in range(25_000))
    devinf = (
        b'<DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD><Man>m</Man><Mod>m</Mod><OEM>o</OEM><FwV>1</FwV>'
        b"<SwV>1</SwV><HwV>1</HwV><DevID>d</DevID><DevTyp>phone</DevTyp><DataStore><SourceRef>./c</SourceRef>"
        b"<Rx-Pref><CTType>text/vcard</CTType><VerCT>3.0</VerCT></Rx-Pref>"
        b"<Tx-Pref><CTType>text/vcard</CTType><VerCT>3.0</VerCT></Tx-Pref>"
        b"<CTCap><CTType>text/vcard</CTType><VerCT>3.0</VerCT>" + props + b"</CTCap>"
        b"<SyncCap><SyncType>1</SyncType></SyncCap></DataStore></DevInf>"
    )
    meta = b'<Meta><Type xmlns="syncml:metinf">application/vnd.syncml-devinf+xml</Type></Meta>'
    item = b"<Item><Source><LocURI>./devinf12</LocURI></Source><Data>" + devinf + b"</Data></Item>"
    return message(b"<Put><CmdID>1</CmdID>" + meta + item + b"</Put>")


def _receive(data: object, limits: Limits) -> object:
    return syncml.server.ServerSession().receive(cast(bytes, data), now=NOW)


def _parsed(act: Callable[[m.SyncML], object]) -> Act:
    return lambda data, limits: act(syncml.parse(cast(bytes, data), limits=limits))


def _helpers(msg: m.SyncML) -> object:
    """Every helper a server runs on a device message."""
    return (syncml.check(msg), syncml.generic_alerts(msg), syncml.client_events(msg))


def _msg_id(value: bytes) -> bytes:
    return message().replace(b"<MsgID>1</MsgID>", b"<MsgID>" + value + b"</MsgID>")


def _max_msg_size(value: bytes) -> bytes:
    meta = b'<Meta><MaxMsgSize xmlns="syncml:metinf">' + value + b"</MaxMsgSize></Meta></SyncHdr>"
    return message().replace(b"</SyncHdr>", meta)


_STATUS_SUP2 = (
    b"<Status><CmdID>1</CmdID><MsgRef>\xc2\xb2</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>"
)


def _status_code(msg: m.SyncML) -> object:
    return [command.code for command in msg.body.commands if isinstance(command, m.Status)]


def _alert_code(msg: m.SyncML) -> object:
    return [command.code for command in msg.body.commands if isinstance(command, m.Alert)]


def _declarations_model(declarations: int, markups: int) -> m.SyncML:
    """What the decoder gives for markup Data under many declarations (read with limits raised to fit)."""
    attrs = b" " + b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(declarations))
    items = b"<Item><Data><p1:x/></Data></Item>" * markups
    raised = Limits(max_attributes=declarations + 1, max_total_attributes=declarations + markups + 64)
    return syncml.parse(message(b"<Add><CmdID>1</CmdID>" + items + b"</Add>", body_attrs=attrs), limits=raised)


def _serialize(*, wbxml: bool) -> Act:
    return lambda model, limits: syncml.serialize(cast(m.SyncML, model), wbxml=wbxml)


def _with_body(**fields: object) -> Callable[[], m.SyncML]:
    def build() -> m.SyncML:
        base = syncml.parse(message())
        return m.SyncML(header=base.header, body=m.SyncBody(**fields))  # type: ignore[arg-type]

    return build


_WIPE = (
    "<Exec><CmdID>9</CmdID><Item><Target><LocURI>./Device/Vendor/MSFT/RemoteWipe/doWipe</LocURI></Target></Item></Exec>"
)


def _xml_declarations(count: int) -> bytes:
    decls = b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(count))
    return message().replace(b'<SyncML xmlns="SYNCML:SYNCML1.2">', b'<SyncML xmlns="SYNCML:SYNCML1.2" ' + decls + b">")


def _wbxml_declarations(count: int) -> bytes:
    names = b"".join(b"xmlns:p%d\x00" % i for i in range(count))
    offsets = [sum(len(b"xmlns:p%d" % k) + 1 for k in range(i)) for i in range(count)]
    attrs = b"".join(b"\x04" + w.mb(offset) + w.s(f"urn:{i}") for i, offset in enumerate(offsets)) + b"\x01"
    return w.message(root_attrs=attrs, table=names)


def _agree(data: object, limits: Limits) -> object:
    """XML -> model -> WBXML -> model gives the same model."""
    msg = syncml.parse(cast(bytes, data), limits=limits)
    return syncml.parse(syncml.serialize(msg, wbxml=True), limits=limits) == msg


def _data_attribute_flood() -> bytes:
    # Data elements with 32 attributes each, as many as fit in 7.9 MB.
    unit = b"<Item><Data " + b" ".join(b'a%d=""' % i for i in range(32)) + b">1</Data></Item>"
    return message(b"<Add><CmdID>1</CmdID>" + unit * (7_900_000 // len(unit)) + b"</Add>")


def _one_element_attributes(count: int) -> bytes:
    attrs = b" ".join(b'a%d=""' % i for i in range(count))
    return message(b"<Add><CmdID>1</CmdID><Item><Data " + attrs + b">1</Data></Item></Add>")


def _wbxml_attribute_flood(count: int = 2_100) -> bytes:
    # *count* Data with 32 literal attributes each (2 100: 67 200 in the message).
    names = b"".join(b"a%d\x00" % i for i in range(32))
    offsets = [sum(len(b"a%d" % k) + 1 for k in range(i)) for i in range(32)]
    attrs = b"".join(b"\x04" + w.mb(offset) for offset in offsets) + b"\x01"
    items = w.el("Item", w.el("Data", w.s("1"), attrs=attrs)) * count
    return w.message(w.el("Add", w.el("CmdID", w.s("1")), items), table=names)


def _queue_json(old: str, new: str) -> str:
    """A stored queue of one Get, with *old* replaced by *new* in its JSON."""
    queue = syncml.server.CommandQueue(device_id="d")
    queue.add(m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri="./a")),)), now=NOW)
    text = queue.to_json()
    assert old in text
    return text.replace(old, new)


def _deep_wbxml(depth: int) -> bytes:
    inner = w.el("Get", w.el("CmdID", w.s("2")), w.el("Item"))
    for _ in range(depth):
        inner = w.el("Atomic", w.el("CmdID", w.s("1")), inner)
    return w.message(inner)


def _from_deep_stack(frames: int) -> Act:
    def call(data: object, limits: Limits, left: int = frames) -> object:
        return syncml.parse(cast(bytes, data), limits=limits) if left == 0 else call(data, limits, left - 1)

    return call


def _deep_model(depth: int) -> m.SyncML:
    command: m.Command = m.Get(cmd_id="2", items=(m.Item(),))
    for _ in range(depth):
        command = m.Atomic(cmd_id="1", commands=(command,))
    header = m.SyncHdr(session_id="1", msg_id="1", target=m.Target(loc_uri="S"), source=m.Source(loc_uri="D"))
    return m.SyncML(header=header, body=m.SyncBody(commands=(command,)))


def _reply_over_max_msg_size(data: object, limits: Limits) -> object:
    session = syncml.server.ServerSession()
    session.receive(cast(bytes, data), now=NOW)
    return session.reply()


def _md5_for_the_empty_nonce() -> m.SyncHdr:
    header = syncml.parse(message()).header
    cred = syncml.auth.md5_cred(username="u", password="p", nonce=b"")
    return m.SyncHdr(
        session_id=header.session_id, msg_id=header.msg_id, target=header.target, source=header.source, cred=cred
    )


def _quirk_under_nesting(items: int) -> bytes:
    # A tolerated quirk in each Item, 24 Atomic deep: each Quirk records its element path.
    item = w.el("Item", w.el("Target", w.el("LocURI", w.s(" x"))))
    inner = w.el("Add", w.el("CmdID", w.s("1")), item * items)
    for _ in range(24):
        inner = w.el("Atomic", w.el("CmdID", w.s("1")), inner)
    return w.message(inner)


RESOURCE_CASES: list[Hostile] = [
    # --- WBXML string-table amplification (issue 11, 1) ---------------------------------
    Hostile(
        name="WBXML string table: 20 000 references to a 100 KB entry in one Data",
        build=lambda: _in_data(STR_T0 * 20_000),
        refused="decoded output over",
        status=413,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML string table: the same through ServerSession.receive",
        build=lambda: _in_data(STR_T0 * 20_000),
        refused="decoded output over",
        status=413,
        act=_receive,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML string table: 20 000 references in a LocURI",
        build=lambda: _bomb(
            w.el("Replace", w.el("CmdID", w.s("1")), w.el("Item", w.el("Target", w.el("LocURI", STR_T0 * 20_000))))
        ),
        refused="decoded output over",
        status=413,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML string table: 32 Data attribute values of 600 references each",
        build=_attribute_bomb,
        refused="decoded output over",
        status=413,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML string table: 90 000 LITERAL tags named by one 50 KB entry",
        build=lambda: w.message(
            w.el("Replace", w.el("CmdID", w.s("1")), w.el("Item", w.el("Data", _literal(0) * 90_000))),
            table=b"x" * 50_000 + b"\x00",
        ),
        refused="decoded output over",
        status=413,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML string table: markup text of 20 000 references",
        build=lambda: _in_data(_literal(BIG + 1, content=True) + STR_T0 * 20_000 + b"\x01", entries=b"x\x00"),
        refused="decoded output over",
        status=413,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    Hostile(
        name="WBXML string table: a nested DevInf whose own table is referenced 20 000 times",
        build=_nested_bomb,
        refused="decoded output over",
        status=413,
        max_rss_mib=4,
        max_calls=5_000,
    ),
    # --- numbers: 5000 digits and superscript two (issue 11, 2) ---------------------------
    Hostile(
        name="5000-digit MsgID: parse keeps it as written",
        build=lambda: _msg_id(DIGITS),
        refused=None,
        accepts=lambda msg: cast(m.SyncML, msg).header.msg_id == DIGITS.decode(),
        max_rss_mib=8,
        max_calls=10_000,
    ),
    Hostile(
        name="5000-digit MsgID: msg_id_int",
        build=lambda: _msg_id(DIGITS),
        refused="is not a non-negative integer of at most 18 ASCII digits",
        act=_parsed(lambda msg: msg.header.msg_id_int),
        max_rss_mib=8,
        max_calls=10_000,
    ),
    Hostile(
        name="5000-digit MsgID through ServerSession.receive",
        build=lambda: _msg_id(DIGITS),
        refused="MsgID",
        error=syncml.server.SessionError,
        act=_receive,
        max_rss_mib=8,
        max_calls=20_000,
    ),
    Hostile(
        name="5000-digit Alert Data: Alert.code",
        build=lambda: message(b"<Alert><CmdID>1</CmdID><Data>" + DIGITS + b"</Data></Alert>"),
        refused="Alert/Data",
        act=_parsed(_alert_code),
        max_rss_mib=8,
        max_calls=10_000,
    ),
    Hostile(
        name="5000-digit Alert Data: check, generic_alerts, client_events",
        build=lambda: message(b"<Alert><CmdID>1</CmdID><Data>" + DIGITS + b"</Data></Alert>"),
        refused=None,
        act=_parsed(_helpers),
        accepts=lambda found: any(
            "alert" in str(f.rule) for f in cast(tuple[tuple[syncml.Finding, ...], object, object], found)[0]
        ),
        max_rss_mib=4,
        max_calls=20_000,
    ),
    Hostile(
        name="5000-digit MaxMsgSize through ServerSession.receive",
        build=lambda: _max_msg_size(DIGITS),
        refused="MaxMsgSize",
        error=syncml.server.SessionError,
        act=_receive,
        max_rss_mib=8,
        max_calls=20_000,
    ),
    Hostile(
        name="5000-digit MaxMsgSize: check",
        build=lambda: _max_msg_size(DIGITS),
        refused=None,
        act=_parsed(_helpers),
        max_rss_mib=4,
        max_calls=20_000,
    ),
    Hostile(
        name="superscript two as a Status MsgRef through ServerSession.receive",
        build=lambda: message(_STATUS_SUP2),
        refused=None,
        act=_receive,
        max_rss_mib=8,
        max_calls=20_000,
    ),
    Hostile(
        name="superscript two as a Status MsgRef: check, generic_alerts, client_events",
        build=lambda: message(_STATUS_SUP2),
        refused=None,
        act=_parsed(_helpers),
        max_rss_mib=4,
        max_calls=20_000,
    ),
    Hostile(
        name="superscript two as Status Data: Status.code",
        build=lambda: message(_STATUS_SUP2.replace(b"<Data>200</Data>", b"<Data>\xc2\xb2</Data>")),
        refused="Status/Data",
        act=_parsed(_status_code),
        max_rss_mib=8,
        max_calls=10_000,
    ),
    # --- CDATA alternation (issue 11, 3) -------------------------------------------------------
    Hostile(
        name="CDATA alternation: 590 000 sections between text in one Data (7.9 MiB)",
        build=lambda: message(
            b"<Add><CmdID>1</CmdID><Item><Data>" + b"a<![CDATA[x]]>" * 590_000 + b"</Data></Item></Add>"
        ),
        refused=None,
        max_rss_mib=200,
        max_calls=10_000,
    ),
    Hostile(
        name="CDATA alternation in a LocURI (7.9 MiB)",
        build=lambda: message(
            b"<Add><CmdID>1</CmdID><Item><Target><LocURI>"
            + b"a<![CDATA[x]]>" * 590_000
            + b"</LocURI></Target></Item></Add>"
        ),
        refused=None,
        max_rss_mib=16,
        max_calls=10_000,
    ),
    # --- quadratic WBXML encoding (issue 11, 4): an encode ------------------------------------
    Hostile(
        name="serialize as WBXML: 16 000 declarations and 1 000 markup Data",
        build=lambda: _declarations_model(16_000, 1_000),
        refused=None,
        act=_serialize(wbxml=True),
        max_rss_mib=40,
        max_calls=300_000,
        max_lines=2_000_000,
    ),
    Hostile(
        name="serialize as XML: 16 000 declarations and 1 000 markup Data",
        build=lambda: _declarations_model(16_000, 1_000),
        refused=None,
        act=_serialize(wbxml=False),
        max_rss_mib=40,
        max_calls=300_000,
        max_lines=2_000_000,
    ),
    # --- XML and WBXML agree on namespace declarations (issue 11, 5) -------------------------
    Hostile(
        name="namespace declarations: 33 on SyncML, as XML",
        build=lambda: _xml_declarations(33),
        refused="more than 32 attributes",
        status=413,
        max_rss_mib=8,
        max_calls=2_000,
    ),
    Hostile(
        name="namespace declarations: 33 on SyncML, as WBXML",
        build=lambda: _wbxml_declarations(33),
        refused="more than 32 attributes",
        status=413,
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="namespace declarations: 31 on SyncML (32 attributes with its xmlns) travel from XML to WBXML unchanged",
        build=lambda: _xml_declarations(31),
        refused=None,
        act=_agree,
        accepts=lambda same: same is True,
        max_rss_mib=8,
        max_calls=20_000,
    ),
    # --- counts with a message-wide limit (issue 11, 6) -----------------------------------------
    Hostile(
        name="attribute flood: Data with 32 attributes each, 7.9 MB",
        build=_data_attribute_flood,
        refused="attributes",
        status=413,
        max_rss_mib=8,
        max_calls=2_000,
    ),
    Hostile(
        name="attribute flood: 1 000 000 attributes on one Data",
        build=lambda: _one_element_attributes(1_000_000),
        refused="attributes",
        status=413,
        limits=Limits(max_size=16 * MIB),
        max_rss_mib=8,
        max_calls=2_000,
    ),
    Hostile(
        name="attribute flood: WBXML, 2 100 Data with 32 literal attributes each",
        build=lambda: _wbxml_attribute_flood(2_100),
        refused="attributes in the message",
        status=413,
        max_rss_mib=4,
        max_calls=600_000,
    ),
    Hostile(
        name="OPAQUE token flood: 2.6 million one-byte OPAQUE in one Data",
        build=lambda: w.message(
            w.el("Replace", w.el("CmdID", w.s("1")), w.el("Item", w.el("Data", w.opaque(b"A") * 2_600_000)))
        ),
        refused="more than",
        status=413,
        max_rss_mib=40,
        max_calls=600_000,
    ),
    # --- encoder honesty (issue 11, 7): an encode ----------------------------------------------
    Hostile(
        name="Unknown smuggling: an Exec (RemoteWipe) as an unknown element of SyncBody",
        build=_with_body(commands=(m.Alert(cmd_id="1", data="1201"),), unknown=(m.Unknown(xml=_WIPE),)),
        refused="Unknown <Exec>",
        status=None,
        error=syncml.EncodeError,
        act=_serialize(wbxml=False),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="Unknown smuggling: the same as WBXML",
        build=_with_body(commands=(m.Alert(cmd_id="1", data="1201"),), unknown=(m.Unknown(xml=_WIPE),)),
        refused="Unknown <Exec>",
        status=None,
        error=syncml.EncodeError,
        act=_serialize(wbxml=True),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="Unknown smuggling: a Data element as an unknown element of Item",
        build=_with_body(commands=(m.Add(cmd_id="1", items=(m.Item(unknown=(m.Unknown(xml="<Data>x</Data>"),)),)),)),
        refused="Unknown <Data>",
        status=None,
        error=syncml.EncodeError,
        act=_serialize(wbxml=False),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="Markup that is not well-formed",
        build=_with_body(commands=(m.Add(cmd_id="1", items=(m.Item(data=m.Markup(xml="<a><b></a>")),)),)),
        refused="markup",
        status=None,
        error=syncml.EncodeError,
        act=_serialize(wbxml=False),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    # --- lesser points (issue 11, 8) ------------------------------------------------------------
    Hostile(
        name="str input: 2.2 million 4-byte characters (8.8 MB in UTF-8)",
        build=lambda: "\U0001f600" * 2_200_000,
        refused="UTF-8 bytes exceeds the 8388608-byte limit",
        status=413,
        max_rss_mib=10,  # measured by encoding at most max_size bytes of it
        max_calls=100,
        max_traced_mib=9,
    ),
    Hostile(
        name="single-byte encoding growth: 4 MB of windows-1252 0x80 (12 MB in UTF-8)",
        build=lambda: (
            b'<?xml version="1.0" encoding="windows-1252"?>'
            + message(b"<Add><CmdID>1</CmdID><Item><Data>" + b"\x80" * 4_000_000 + b"</Data></Item></Add>")
        ),
        refused="over the 8388608-byte limit",
        status=413,
        max_rss_mib=40,
        max_calls=200,
    ),
    Hostile(
        name="Limits validation: max_size=nan",
        build=lambda: float("nan"),
        refused="must be an int, not nan",
        status=None,
        error=TypeError,
        act=lambda value, limits: Limits(max_size=cast(int, value)),
        max_rss_mib=1,
        max_calls=100,
    ),
    Hostile(
        name='Limits validation: max_size="8"',
        build=lambda: "8",
        refused="must be an int, not str",
        status=None,
        error=TypeError,
        act=lambda value, limits: Limits(max_size=cast(int, value)),
        max_rss_mib=1,
        max_calls=100,
    ),
    Hostile(
        name='CommandQueue.from_json("[" * 100_000)',
        build=lambda: "[" * 100_000,
        refused="nested too deeply",
        status=None,
        error=syncml.server.QueueError,
        act=lambda text, limits: syncml.server.CommandQueue.from_json(cast(str, text)),
        max_rss_mib=8,
        max_calls=1_000,
    ),
    Hostile(
        name="CommandQueue.from_json: a 5000-digit entry id",
        build=lambda: _queue_json('"id": "1"', '"id": "' + DIGITS.decode() + '"'),
        refused="entry id",
        status=None,
        error=syncml.server.QueueError,
        act=lambda text, limits: syncml.server.CommandQueue.from_json(cast(str, text)),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="CommandQueue.from_json: a 5000-digit next_id",
        build=lambda: _queue_json('"next_id": 2', '"next_id": ' + DIGITS.decode()),
        refused="",
        status=None,
        error=syncml.server.QueueError,
        act=lambda text, limits: syncml.server.CommandQueue.from_json(cast(str, text)),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="CommandQueue.from_json: negative attempts",
        build=lambda: _queue_json('"attempts": 0', '"attempts": -1'),
        refused="attempts -1",
        status=None,
        error=syncml.server.QueueError,
        act=lambda text, limits: syncml.server.CommandQueue.from_json(cast(str, text)),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="CommandQueue.from_json: state sent without sent_at",
        build=lambda: _queue_json('"state": "queued"', '"state": "sent"'),
        refused="has no sent_at",
        status=None,
        error=syncml.server.QueueError,
        act=lambda text, limits: syncml.server.CommandQueue.from_json(cast(str, text)),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="serialize as WBXML: items=None",
        build=_with_body(commands=(m.Replace(cmd_id="1", items=cast(tuple[m.Item, ...], None)),)),
        refused="<Item> is required",
        status=None,
        error=syncml.EncodeError,
        act=_serialize(wbxml=True),
        max_rss_mib=8,
        max_calls=5_000,
    ),
    Hostile(
        name="deep caller stack: WBXML 250 deep with max_depth=256, from 500 frames down",
        build=lambda: _deep_wbxml(250),
        refused="all the call stack has room for",
        status=413,
        limits=Limits(max_depth=256),
        act=_from_deep_stack(500),
        max_rss_mib=8,
        max_calls=20_000,
    ),
    Hostile(
        name="check() on a model nested 5 000 deep",
        build=lambda: _deep_model(5_000),
        refused=None,
        act=lambda model, limits: syncml.check(cast(m.SyncML, model)),
        max_rss_mib=8,
        max_calls=20_000,
    ),
    Hostile(
        name="reply(): the Statuses alone exceed the device's MaxMsgSize",
        build=lambda: _max_msg_size(b"200").replace(ALERT, ALERT * 20),
        refused="MaxMsgSize 200",
        status=413,
        error=syncml.server.ReplyTooLargeError,
        act=_reply_over_max_msg_size,
        max_rss_mib=8,
        max_calls=50_000,
    ),
    Hostile(
        name="auth.verify: an MD5 digest made for the empty nonce, no nonce sent",
        build=_md5_for_the_empty_nonce,
        refused=None,
        act=lambda header, limits: syncml.auth.verify(cast(m.SyncHdr, header), password="p", nonce=None),
        accepts=lambda valid: valid is False,
        max_rss_mib=1,
        max_calls=1_000,
    ),
    # --- found while measuring: what quirks record ------------------------------------------------
    Hostile(
        name="WBXML: a whitespace quirk in each of 30 000 Items, 24 Atomic deep",
        build=lambda: _quirk_under_nesting(30_000),
        # Each quirk's message and path are charged to the decoded-output budget.
        refused="decoded output over",
        status=413,
        max_rss_mib=20 * 0.3,  # 20 times the 300 KB input
        max_calls=2_000_000,
    ),
]
CASES += RESOURCE_CASES


def _wbxml_items(count: int) -> bytes:
    """*count* empty Items (one byte each) in one Replace."""
    return w.message(w.el("Replace", w.el("CmdID", w.s("1")), w.el("Item") * count))


def _deep_atomic(depth: int) -> m.Atomic:
    command: m.Command = m.Get(cmd_id="1", items=(m.Item(),))
    for level in range(depth):
        command = m.Atomic(cmd_id=str(level), commands=(command,))
    return cast(m.Atomic, command)


# --- the element budget, linear in the input (issue 11, round 2) ------------------------------
NODE_BUDGET_CASES: list[Hostile] = [
    Hostile(
        name="WBXML: 64 KiB of empty Items, one byte each",
        build=lambda: _wbxml_items(65_000),
        refused="elements (one per 3 bytes",
        status=413,
        # Refused at the 23 736th Item: what was built by then, not 65 000 Items (+17 MiB before).
        max_rss_mib=20 * 64 / 1024,  # 20 times the input
        max_calls=200_000,
    ),
    Hostile(
        name="WBXML: 8 MB of empty Items",
        build=lambda: _wbxml_items(8_000_000),
        refused="more than 100000 elements",
        status=413,
        max_rss_mib=16,
        max_calls=600_000,
    ),
    Hostile(
        name="WBXML: 20 000 empty Items in 20 KB, over the budget of one per 3 bytes",
        build=lambda: _wbxml_items(20_000),
        refused="elements (one per 3 bytes",
        status=413,
        max_rss_mib=20 * 20 / 1024,
        max_calls=100_000,
    ),
    Hostile(
        name="WBXML: 3 000 empty Items in 3 KB, within the budget (n // 3 + 2048)",
        build=lambda: _wbxml_items(3_000),
        refused=None,
        accepts=lambda msg: len(cast(m.SyncML, msg).body.commands[0].items) == 3_000,  # type: ignore[union-attr]
        max_rss_mib=1,
        max_calls=100_000,
    ),
    Hostile(
        name="XML: 60 000 Items under max_nodes=50 000, with the byte offset",
        build=lambda: _items(60_000),
        refused="exceed the limit of 50000",
        status=413,
        limits=Limits(max_nodes=50_000),
        max_rss_mib=4,
        max_calls=500,
    ),
    Hostile(
        name="WBXML: 900 Data with 32 literal attributes each (64 KiB), over one attribute per 8 bytes",
        build=lambda: _wbxml_attribute_flood(900),
        refused="attributes in the message (one per 8 bytes",
        status=413,
        max_rss_mib=20 * 64 / 1024,  # 20 times the input
        max_calls=200_000,
    ),
    Hostile(
        name="WBXML: 30 Data with 32 literal attributes each, within the budget (n // 8 + 1024)",
        build=lambda: _wbxml_attribute_flood(30),
        refused=None,
        max_rss_mib=1,
        max_calls=100_000,
    ),
    Hostile(
        name="XML: 1 700 Data with 32 empty attributes each (400 KB), over one attribute per 8 bytes",
        build=lambda: message(
            b"<Add><CmdID>1</CmdID>"
            + (b"<Item><Data" + b"".join(b' a%d=""' % i for i in range(32)) + b">1</Data></Item>") * 1_700
            + b"</Add>"
        ),
        refused="attributes in the message (one per 8 bytes",
        status=413,
        max_rss_mib=1,
        max_calls=1_000,
    ),
    Hostile(
        name="repr() of a model nested 250 deep (Atomic in Atomic)",
        build=lambda: _deep_atomic(250),
        refused=None,
        act=lambda model, limits: repr(model),
        accepts=lambda text: cast(str, text).count("Atomic(") == 250,
        max_rss_mib=4,
        max_calls=20_000,
    ),
    # --- SyncML DS and package 0 (issue 17) ---------------------------------------------------
    Hostile(
        name="DS: a Sync flooded with 20 000 Adds (the element limit refuses it)",
        build=lambda: message(
            b"<Sync><CmdID>1</CmdID>"
            + b"".join(
                b"<Add><CmdID>%d</CmdID><Item><Source><LocURI>%d</LocURI></Source><Data>v</Data></Item></Add>" % (i, i)
                for i in range(20_000)
            )
            + b"</Sync>"
        ),
        refused="elements exceed the limit of 100000",
        status=413,
        max_rss_mib=120,
        max_calls=2_000_000,
    ),
    Hostile(
        name="DS: a DevInf in Put whose CTCap lists 25 000 Properties (1 MiB), read by syncml.ds.devinfs",
        build=_devinf_flood,
        refused=None,
        act=lambda data, limits: syncml.ds.devinfs(syncml.parse(cast(bytes, data), limits=limits), limits=limits),
        accepts=lambda found: len(cast(tuple[syncml.ds.DevInf, ...], found)) == 1,
        max_rss_mib=60,  # measured 30 MiB (26x): the markup Data, then the typed DevInf
        max_calls=700_000,  # measured 325 000
    ),
    Hostile(
        name="SAN: 15 datastores declared, the bytes cut short",
        build=lambda: bytes(16) + bytes([0x03, 0x00, 0, 0, 0, 0, 0, 1]) + b"s" + b"\xff" + b"\x60\x00\x00\x07",
        refused="sync[1] is cut short",
        act=lambda data, limits: nia.decode_san(cast(bytes, data), limits=limits),
        max_rss_mib=1,
        max_calls=500,
    ),
    Hostile(
        name="NIA: a 255-byte server identifier with 10 bytes left",
        build=lambda: bytes(16) + bytes([0x03, 0x00, 0, 0, 0, 0, 0, 0xFF]) + b"s" * 10,
        refused="server identifier of 255 bytes, but only 10 are left",
        act=lambda data, limits: nia.decode(cast(bytes, data), limits=limits),
        max_rss_mib=1,
        max_calls=500,
    ),
    Hostile(
        name="NIA: 100 MB vendor part as a bytearray",
        build=lambda: bytearray(bytes(16) + bytes([0x03, 0x00, 0, 0, 0, 0, 0, 1]) + b"s" + bytes(100 * MIB)),
        refused="exceeds the 8388608-byte limit",
        status=413,
        act=lambda data, limits: nia.decode(cast(bytes, data), limits=limits),
        max_rss_mib=1,
        max_calls=200,
        max_traced_mib=0.1,
    ),
]
CASES += NODE_BUDGET_CASES


def run(name: str) -> dict[str, object]:
    """Act on one case in this process and report what happened and what it cost."""
    hostile = next(h for h in CASES if h.name == name)
    data = hostile.build()
    _warm_up()
    gc.collect()
    _reset_peak()
    before = _rss_kib()
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    act = hostile.act or _decode(fragment=hostile.fragment)
    if hostile.max_traced_mib is not None:
        tracemalloc.start()
    lines = 0

    def trace(frame: FrameType, event: str, arg: object) -> object:
        nonlocal lines
        if event == "line":
            lines += 1
        return trace

    with measure() as meter:
        sys.setprofile(count)
        if hostile.max_lines is not None:
            sys.settrace(trace)  # type: ignore[arg-type]  # typeshed's TraceFunction is private
        try:
            result = act(data, hostile.limits)
            outcome: dict[str, object] = {"refused": None}
            if hostile.accepts is not None:
                outcome["accepts"] = bool(hostile.accepts(result))
        except Exception as exc:  # its class is reported, and compared by the test
            reason = exc.reason if isinstance(exc, syncml.DecodeError) else str(exc)
            outcome = {"raised": type(exc).__name__, "refused": reason, "status": getattr(exc, "status", None)}
        finally:
            sys.setprofile(None)
            sys.settrace(None)
    traced = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else 0
    tracemalloc.stop()
    size = len(data) if isinstance(data, bytes | bytearray | str) else 0
    outcome.update(
        calls=calls,
        lines=lines,
        work=meter.work,
        rss_mib=(_peak_kib() - before) / 1024,
        traced_mib=traced / MIB,
        input_mib=size / MIB,
    )
    return outcome


def _warm_up() -> None:
    """Decode and check a small message first, so that lazy imports and caches are not counted as the case's cost."""
    syncml.check(syncml.parse(message()))
    syncml.parse(w.message())


def _decode(*, fragment: bool) -> Act:
    decode = syncml.parse_commands if fragment else syncml.parse
    # A bytearray is not in parse()'s signature but servers hold one: it must be refused cheaply too.
    return lambda data, limits: decode(cast(bytes, data), limits=limits)


def _reset_peak() -> None:
    # Linux: writing 5 resets the peak RSS (VmHWM), so building the input
    # does not count towards what decoding it costs.
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _rss_kib() -> int:
    current = _status_kib("VmRSS")
    return current if current is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_kib() -> int:
    peak = _status_kib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))
