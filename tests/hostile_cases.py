"""The hostile inputs, and the child process that measures one of them.

``tests/test_hostile.py`` runs ``python -m tests.hostile_cases NAME`` once per
case, so that each measurement starts from a fresh interpreter: the peak
resident memory it reports includes libxml2's own allocations (which
``tracemalloc`` cannot see), and the work count is the number of Python
function calls made while decoding (``sys.setprofile``), a machine-independent
stand-in for time.  The child prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import syncml
from syncml import Limits

MIB = 1024 * 1024

HDR = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.example.com</LocURI></Target>"
    b"<Source><LocURI>DEV-1</LocURI></Source></SyncHdr>"
)
ALERT = b"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"
PUBLIC_DOCTYPE = (
    b'<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN"'
    b' "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd">'
)


def message(body: bytes = ALERT, *, prolog: bytes = b"", body_attrs: bytes = b"") -> bytes:
    """A message with *body* in its SyncBody; built with one join, so no larger temporaries."""
    return b"".join((prolog, HDR, b"<SyncBody", body_attrs, b">", body, b"</SyncBody></SyncML>"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Hostile:
    """One attack: how to build it, what the decoder must answer, and what it may cost.

    ``refused`` is part of the DecodeError's reason (None: the input is
    accepted).  ``max_rss_mib`` bounds the growth of peak resident memory
    while decoding, ``max_calls`` the Python function calls made.
    ``max_traced_mib``, when set, bounds Python allocations (tracemalloc)
    too: the proof that a refused input was never copied.
    """

    name: str
    build: Callable[[], bytes | bytearray | str]
    refused: str | None
    status: int = 400
    limits: Limits = syncml.DEFAULT_LIMITS
    fragment: bool = False
    max_rss_mib: float
    max_calls: int
    max_traced_mib: float | None = None


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
        refused=None,
        max_rss_mib=40,
        max_calls=150_000,
    ),
]


def run(name: str) -> dict[str, object]:
    """Decode one case in this process and report what happened and what it cost."""
    hostile = next(h for h in CASES if h.name == name)
    data = hostile.build()
    gc.collect()
    _reset_peak()
    before = _rss_kib()
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    decode = syncml.parse_commands if hostile.fragment else syncml.parse
    if hostile.max_traced_mib is not None:
        tracemalloc.start()
    sys.setprofile(count)
    try:
        # A bytearray is not in parse()'s signature but servers hold one: it must be refused cheaply too.
        decode(cast(bytes, data), limits=hostile.limits)
        outcome: dict[str, object] = {"refused": None}
    except syncml.DecodeError as exc:
        outcome = {"refused": exc.reason, "status": exc.status}
    except Exception as exc:  # reported, and the test fails on it
        outcome = {"unexpected": f"{type(exc).__name__}: {exc}"}
    finally:
        sys.setprofile(None)
    traced = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else 0
    tracemalloc.stop()
    outcome.update(
        calls=calls,
        rss_mib=(_peak_kib() - before) / 1024,
        traced_mib=traced / MIB,
        input_mib=len(data) / MIB,
    )
    return outcome


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
