"""Hostile input: each attack's answer (error class, status) and what it may cost.

The table lives in ``tests/hostile_cases.py``; each case is decoded in a fresh
interpreter that reports its peak memory growth (libxml2's allocations
included) and the Python function calls made while decoding.  Costs are
bounded by counts and sizes, never by a clock: the subprocess timeout is only
a hang guard, far above what any case needs.

The second half checks that the decoder's and encoder's work grows linearly
with the input, by counting calls (and bytes handed to libxml2) at n and 2n.
"""

from __future__ import annotations

import contextlib
import gc
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import syncml
from syncml import _xml_encode
from syncml import model as m

from .hostile_cases import CASES, MIB, PUBLIC_DOCTYPE, Hostile, message

#: The fuzzing invariants' bound on the decoders' work (fuzz/invariants.py, fuzz/README.md).
WORK_PER_BYTE = 32
WORK_FLOOR = 256 * 1024

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 600  # seconds; every case needs a few at most


def _measure(case: Hostile) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile_cases", case.name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def _params() -> list[object]:
    return [
        pytest.param(case, id=case.name, marks=[pytest.mark.xfail(strict=True, reason=case.known_bug)])
        if case.known_bug
        else pytest.param(case, id=case.name)
        for case in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_hostile_input_is_answered_within_bounds(case: Hostile) -> None:
    report = _measure(case)
    if case.refused is None:
        assert report["refused"] is None, report
        if case.accepts is not None:
            assert report["accepts"] is True, report
    else:
        assert report["refused"] is not None, "accepted, should be refused"
        assert report["raised"] == case.error.__name__, report
        assert case.refused in report["refused"], report
        assert report["status"] == case.status, report
    assert report["calls"] <= case.max_calls, report
    if case.max_lines is not None:
        assert report["lines"] <= case.max_lines, report
    assert report["rss_mib"] <= case.max_rss_mib, report
    if case.act is None:  # a decode: the work meter stays within what the fuzzing invariants allow
        size = report["input_mib"] * MIB
        assert report["work"] <= WORK_PER_BYTE * size + WORK_FLOOR, report
    if case.max_traced_mib is not None:
        assert report["traced_mib"] <= case.max_traced_mib, report


def test_the_table_covers_the_named_attacks() -> None:
    names = " ".join(case.name for case in CASES)
    for attack in (
        "billion laughs",
        "quadratic blow-up",
        "external entity to a file",
        "external entity to a URL",
        "parameter entities",
        "internal DTD subset",
        "plain public SyncML DOCTYPE",
        "100 000 nested Atomic",
        "1 million sibling Items",
        "100 MB message",
        "50 MB text node",
        "invalid UTF-8",
        "UTF-16",
        "NUL",
        # issue 11: one row per family and per point
        "WBXML string table: 20 000 references to a 100 KB entry in one Data",
        "through ServerSession.receive",
        "references in a LocURI",
        "Data attribute values",
        "LITERAL tags named by one 50 KB entry",
        "markup text of 20 000 references",
        "a nested DevInf",
        "5000-digit MsgID",
        "5000-digit Alert Data",
        "5000-digit MaxMsgSize",
        "superscript two",
        "CDATA alternation",
        "serialize as WBXML: 16 000 declarations",
        "namespace declarations: 33 on SyncML, as XML",
        "namespace declarations: 33 on SyncML, as WBXML",
        "attribute flood",
        "OPAQUE token flood",
        "Unknown smuggling",
        "str input",
        "single-byte encoding growth",
        "Limits validation: max_size=nan",
        'Limits validation: max_size="8"',
        'CommandQueue.from_json("[" * 100_000)',
        "5000-digit entry id",
        "negative attempts",
        "sent without sent_at",
        "items=None",
        "deep caller stack",
        "check() on a model nested 5 000 deep",
        "reply(): the Statuses alone exceed",
        "auth.verify",
    ):
        assert attack in names


def test_plain_doctype_is_accepted_and_ignored() -> None:
    with_doctype = syncml.parse(b'<?xml version="1.0"?>' + PUBLIC_DOCTYPE + message())
    assert with_doctype == syncml.parse(message())
    assert b"DOCTYPE" not in syncml.serialize(with_doctype)


# --- work grows linearly with the input ---------------------------------------------------


def _calls(work: Callable[[], object]) -> int:
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    work()  # warm caches (generated decoders, lru caches) outside the count
    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def _items(body_item: bytes, count: int) -> bytes:
    return message(b"<Add><CmdID>1</CmdID>" + body_item * count + b"</Add>")


def _quirk_per_item(n: int) -> Callable[[], object]:
    # Each quirk records its element path: counting preceding siblings per quirk was O(n^2).
    data = _items(b"<Item><Target><LocURI> x</LocURI></Target></Item>", n)
    return lambda: syncml.parse(data)


def _quirk_per_command(n: int) -> Callable[[], object]:
    data = message(b"<Alert><CmdID> 1</CmdID></Alert>" * n)
    return lambda: syncml.parse(data)


def _unknown_between_items(n: int) -> Callable[[], object]:
    # Each kept unknown records how many known elements precede it: recounting per unknown was O(n^2).
    data = _items(b"<Item/><X/>", n)
    return lambda: syncml.parse(data, keep_unknown=True)


def _error_after_items(n: int) -> Callable[[], object]:
    data = _items(b"<Item/>", n).replace(b"</Add>", b"<Item><X/></Item></Add>")
    return lambda: _refused(data)


LINEAR: list[tuple[str, Callable[[int], Callable[[], object]]]] = [
    ("a quirk in each Item", _quirk_per_item),
    ("a quirk in each command", _quirk_per_command),
    ("unknown elements between Items", _unknown_between_items),
    ("an error after n Items", _error_after_items),
]


def _refused(data: bytes) -> None:
    with pytest.raises(syncml.DecodeError):
        syncml.parse(data)


@pytest.mark.parametrize(("name", "work"), LINEAR, ids=[name for name, _ in LINEAR])
def test_decoding_work_grows_linearly(name: str, work: Callable[[int], Callable[[], object]]) -> None:
    small, large = _calls(work(1_000)), _calls(work(2_000))
    assert large <= 2.2 * small, (small, large)


class _CountingEtree:
    """Stands in for lxml.etree in the encoder, adding up the bytes handed to libxml2."""

    def __init__(self) -> None:
        self.parsed = 0

    def fromstring(self, text: bytes, parser: etree.XMLParser | None = None) -> etree._Element:
        self.parsed += len(text)
        return etree.fromstring(text, parser)

    def __getattr__(self, name: str) -> Any:
        return getattr(etree, name)


def _declarations_and_markup(declarations: int, markups: int) -> m.SyncML:
    attrs = b" " + b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(declarations))
    items = b"<Item><Data><p1:x/></Data></Item>" * markups
    # Declarations count against max_attributes: this many need the limit raised.
    limits = syncml.Limits(max_attributes=declarations + 1)
    return syncml.parse(message(b"<Add><CmdID>1</CmdID>" + items + b"</Add>", body_attrs=attrs), limits=limits)


def test_markup_check_reads_only_the_declarations_it_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each markup Data is checked for well-formedness with the prefixes it names, not all of them."""
    counting = _CountingEtree()
    monkeypatch.setattr(_xml_encode, "etree", counting)
    msg = _declarations_and_markup(5_000, 500)
    syncml.serialize(msg)
    assert 0 < counting.parsed <= 500 * 100  # each check: the markup and one declaration


@pytest.mark.parametrize("keep_unknown", [False, True])
def test_serialize_of_an_accepted_hostile_model_round_trips(keep_unknown: bool) -> None:
    extra = b"<X/>" if keep_unknown else b""
    data = _items(b"<Item><Target><LocURI> x</LocURI></Target></Item>" + extra, 2_000)
    msg = syncml.parse(data, keep_unknown=keep_unknown)
    assert len(msg.quirks) == 2_000
    assert syncml.parse(syncml.serialize(msg), keep_unknown=keep_unknown) == msg


# --- a long-running server: nothing accumulates ---------------------------------------------


def _frames_of(module: str) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, types.FrameType) and o.f_code.co_filename.endswith(module))


@pytest.mark.parametrize(
    "data",
    [
        _items(b"<Item><Target><LocURI> x</LocURI></Target></Item>", 3),  # a quirk: the fast path bails
        message(b"<Replace><CmdID>1</CmdID><Item><Data>\n  <Enabled/>\n</Data></Item></Replace>"),  # markup: full tree
        message(b"<Alert><CmdID>1</CmdID><X/></Alert>"),  # refused
    ],
    ids=["quirk", "markup", "refused"],
)
def test_decoding_keeps_no_frame_alive(data: bytes) -> None:
    """Re-raising one shared exception instance chained every traceback onto it: each message's frames leaked."""
    for _ in range(20):
        with contextlib.suppress(syncml.SyncMLError):
            syncml.parse(data)
    assert _frames_of("_xml_decode.py") == 0
    assert _frames_of("_api.py") == 0


# --- models built by hand: nesting beyond the recursion limit ----------------------------------


def _nested_model(depth: int) -> m.SyncML:
    command: m.Command = m.Get(cmd_id="2", items=(m.Item(),))
    for _ in range(depth):
        command = m.Atomic(cmd_id="1", commands=(command,))
    header = m.SyncHdr(session_id="1", msg_id="1", target=m.Target(loc_uri="S"), source=m.Source(loc_uri="D"))
    return m.SyncML(header=header, body=m.SyncBody(commands=(command,)))


DEEP = _nested_model(5_000)
ENCODERS: list[tuple[str, Callable[[], object]]] = [
    ("serialize", lambda: syncml.serialize(DEEP)),
    ("serialize wbxml", lambda: syncml.serialize(DEEP, wbxml=True)),
    ("serialize_commands", lambda: syncml.serialize_commands(DEEP.body.commands)),
    ("validate", lambda: syncml.validate(DEEP)),
]


@pytest.mark.parametrize(("name", "encode"), ENCODERS, ids=[name for name, _ in ENCODERS])
def test_a_model_nested_too_deep_is_an_encode_error(name: str, encode: Callable[[], object]) -> None:
    """5 000 nested Atomic used to end in a bare RecursionError."""
    with pytest.raises(syncml.EncodeError, match="nested more than 256 deep"):
        encode()


def test_the_command_walk_has_no_depth_limit() -> None:
    findings = syncml.check(DEEP)
    assert isinstance(findings, tuple)
    assert syncml.serialize(_nested_model(200)).count(b"<Atomic>") == 200


def test_repr_of_a_model_nested_to_the_depth_limit() -> None:
    """250 Atomic/Sequence deep (decodable with max_depth=256): the generated repr recursed past Python's limit."""
    command: m.Command = m.Get(cmd_id="2", items=(m.Item(),))
    for level in range(250):
        command = (m.Atomic if level % 2 else m.Sequence)(cmd_id=str(level), commands=(command,))
    text = repr(_nested_model(0).body.__class__(commands=(command,)))
    assert text.count("Atomic(") == 125
    assert text.count("Sequence(") == 125
    assert text.startswith("SyncBody(commands=(Atomic(cmd_id='249', no_resp=False, meta=None, commands=(Sequence(")


def test_repr_of_a_container_reads_as_the_dataclass_repr() -> None:
    meta = m.Meta(format="chr")
    get = m.Get(cmd_id="2", items=(m.Item(), m.Item()))
    atomic = m.Atomic(cmd_id="1", no_resp=True, meta=meta, commands=(get,))
    assert repr(atomic) == (
        f"Atomic(cmd_id='1', no_resp=True, meta={meta!r}, commands=({get!r},), unknown=())"
    )
    unknown = (m.Unknown(xml="<X/>"),)
    sequence = m.Sequence(cmd_id="3", commands=(atomic, get), unknown=unknown)
    assert repr(sequence) == (
        f"Sequence(cmd_id='3', no_resp=False, meta=None, commands=({atomic!r}, {get!r}), unknown={unknown!r})"
    )
