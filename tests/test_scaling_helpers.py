"""The MDM helpers do work linear in what they are given: measured at n and 8n, never by a clock.

Each family builds a model (or text) of size n and 8n outside the
measurement, runs one helper on it, and counts two things: the Python and C
function calls made (``sys.setprofile``: a machine-independent stand-in for
time) and the peak of Python allocations (``tracemalloc``).  Linear work
grows about 8x; a quadratic step grows 64x.  The bound is 10x.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import TypeVar

import pytest

import syncml
import syncml.server
from syncml import Direction, StatusCode, _walk, largeobject, msft
from syncml import model as m
from syncml.alerts import generic_alert
from syncml.devinfo import DevInfo, devinfo_replace
from syncml.replies import command_statuses, renumber

from .builders import header, message

GROWTH = 10  # linear is 8x; a quadratic step is 64x
SERVER = "https://mdm.example.com/omadm"


@dataclass(frozen=True, slots=True)
class Cost:
    calls: int
    peak: int


def cost(run: Callable[[], object]) -> Cost:
    """Calls made and peak bytes allocated while *run* runs."""
    gc.collect()
    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    sys.setprofile(count)
    try:
        run()
    finally:
        sys.setprofile(None)
        peak = tracemalloc.get_traced_memory()[1] - base
        if not tracing:
            tracemalloc.stop()
    return Cost(calls=calls, peak=peak)


def _message(*commands: m.Command, msg_id: str = "1") -> m.SyncML:
    return message(*commands, hdr=header(target=SERVER, source="D", msg_id=msg_id), final=True)


def _node(index: int, data: str = "1") -> m.Item:
    return m.Item(target=m.Target(loc_uri=f"./Vendor/MSFT/Policy/Config/N{index}"), data=data)


def _replaces(n: int) -> m.SyncML:
    return _message(*(m.Replace(cmd_id=str(i + 1), items=(_node(i),)) for i in range(n)))


def _items(n: int) -> m.SyncML:
    return _message(m.Get(cmd_id="1", items=tuple(_node(i) for i in range(n))))


def _long_data(n: int) -> m.SyncML:
    return _message(m.Replace(cmd_id="1", items=(_node(0, "x" * (1000 * n)), _node(1, "y" * n))))


def _deep(n: int) -> m.SyncML:
    command: m.Command = m.Add(cmd_id="1", items=(_node(0),))
    for level in range(n):
        command = m.Atomic(cmd_id=str(level + 2), commands=(command,))
    return _message(command)


def _wide_and_deep(n: int) -> m.SyncML:
    # Containers 20 deep, each holding n/20 commands besides the next one.
    command: m.Command = m.Add(cmd_id="a", items=(_node(0),))
    for level in range(20):
        siblings = tuple(m.Replace(cmd_id=f"{level}-{i}", items=(_node(i),)) for i in range(n // 20))
        command = m.Sequence(cmd_id=f"s{level}", commands=(*siblings, command))
    return _message(command)


def _alerts(n: int) -> m.SyncML:
    item = m.Item(meta=m.Meta(type="com.example.t", format="chr"), data="v")
    alerts = [m.Alert(cmd_id=str(i + 1), data=("1226", "1224", "9" * 30)[i % 3], items=(item,)) for i in range(n)]
    return _message(*alerts)


def _alert_items(n: int) -> m.SyncML:
    one = generic_alert("com.example.t", "v", cmd_id="1")
    return _message(m.Alert(cmd_id="1", data="1226", items=one.items * n))


def _devinfo_items(n: int) -> m.SyncML:
    info = DevInfo(dev_id="D", man="M", extra=tuple((f"./DevInfo/Ext/N{i}", "v" * 20) for i in range(n)))
    return _message(devinfo_replace(info, cmd_id="1"))


def _chunks(n: int) -> list[m.Item]:
    whole = m.Item(target=m.Target(loc_uri="./Vendor/MSFT/Obj"), data="\u00e9abc" * (100 * n))
    return list(largeobject.split_item(whole, max_chunk=64))


def _reassemble(chunks: list[m.Item]) -> object:
    joiner = largeobject.Reassembler()
    results = [joiner.feed("Replace", chunk) for chunk in chunks]
    whole = results[-1].item
    assert whole is not None
    assert whole.data is not None
    return whole


T = TypeVar("T")
Prepare = Callable[[int], Callable[[], object]]


def _on(build: Callable[[int], T], helper: Callable[[T], object]) -> Prepare:
    """Build the input of size n now; run *helper* on it when measured."""

    def prepare(n: int) -> Callable[[], object]:
        value = build(n)
        return lambda: helper(value)

    return prepare


def _c2s(msg: m.SyncML) -> object:
    return syncml.check(msg, direction=Direction.CLIENT_TO_SERVER)


def _s2c(msg: m.SyncML) -> object:
    return syncml.check(msg, direction=Direction.SERVER_TO_CLIENT)


def _answered(msg: m.SyncML) -> object:
    return syncml.check(syncml.server.reply(msg, msg_id=1), answering=msg)


def _reply(msg: m.SyncML) -> object:
    return syncml.server.reply(msg, msg_id=1)


def _renumber(msg: m.SyncML) -> object:
    return renumber(msg.body.commands, start=1)


def _per_item(msg: m.SyncML) -> object:
    (get,) = msg.body.commands
    assert isinstance(get, m.Get)
    codes = [(200, 404, 500)[i % 3] for i in range(len(get.items))]
    return command_statuses(get, msg_ref="1", first_cmd_id=1, code=codes)


def _object(n: int) -> m.Item:
    return m.Item(target=m.Target(loc_uri="./O"), data="\u00e9abc" * (100 * n))


def _split(item: m.Item) -> object:
    return largeobject.split_item(item, max_chunk=64)


def _tags(n: int) -> str:
    return "<SyncML xmlns=&#39;SYNCML:SYNCML1.2&#39;>\n" + "<Data a=\u201cb\u201d>x</Data>\n" * (50 * n)


def _unclosed(n: int) -> str:
    return "<a x=&#39;1&#39;/>" + "<!-- <![CDATA[ <b c=&#39;2&#39;/>" * (50 * n)


def _long_name(n: int) -> str:
    return "<a " + "b" * (2000 * n) + " c=&#39;1&#39;/>"


#: name -> (prepare a run at size n, n)
FAMILIES: dict[str, tuple[Prepare, int]] = {
    "check: many commands": (_on(_replaces, _c2s), 200),
    "check: many Items": (_on(_items, _s2c), 300),
    "check: long Data": (_on(_long_data, syncml.check), 200),
    "check: deep nesting": (_on(_deep, syncml.check), 400),
    "check: wide and deep": (_on(_wide_and_deep, syncml.check), 200),
    "check: answering": (_on(_replaces, _answered), 200),
    "reply: many commands": (_on(_replaces, _reply), 200),
    "reply: many Items": (_on(_items, _reply), 300),
    "reply: deep nesting": (_on(_deep, _reply), 400),
    "renumber: deep nesting": (_on(_deep, _renumber), 400),
    "per-Item statuses": (_on(_items, _per_item), 300),
    "generic_alerts: many Alerts": (_on(_alerts, syncml.generic_alerts), 300),
    "client_events: many Alerts": (_on(_alerts, syncml.client_events), 300),
    "generic_alerts: many Items": (_on(_alert_items, syncml.generic_alerts), 300),
    "generic_alerts: deep nesting": (_on(_deep, syncml.generic_alerts), 400),
    "unenroll_request: many Alerts": (_on(_alerts, msft.unenroll_request), 300),
    "devinfo: many Items": (_on(_devinfo_items, syncml.read_devinfo), 300),
    "devinfo: deep nesting": (_on(_deep, syncml.read_devinfo), 400),
    "largeobject: split": (_on(_object, _split), 50),
    "largeobject: reassemble many chunks": (_on(_chunks, _reassemble), 50),
    "repair: many tags": (_on(_tags, syncml.repair_quotes), 10),
    "repair: unclosed comments and sections": (_on(_unclosed, syncml.repair_quotes), 10),
    # The attribute pattern once tried every position of a name run: 10 000
    # characters took 4 s and 40 000 took 51 s, all inside re (no calls to
    # count); this row would now run for hours if that came back.
    "repair: one long attribute name": (_on(_long_name, syncml.repair_quotes), 40),
}


def test_the_measure_sees_calls_and_allocations() -> None:
    spent = cost(lambda: [hex(i) * 10 for i in range(1000)])
    assert spent.calls >= 1000
    assert spent.peak >= 1000 * 40


@pytest.mark.parametrize("family", FAMILIES)
def test_helper_cost_grows_linearly(family: str) -> None:
    prepare, n = FAMILIES[family]
    small = cost(prepare(n))
    big = cost(prepare(8 * n))
    assert big.calls <= GROWTH * small.calls, (small, big)
    assert big.peak <= GROWTH * max(small.peak, 4096), (small, big)


def test_check_on_a_model_5000_deep_uses_little_memory() -> None:
    """Paths and container tuples per command once made this quadratic: ~300 MB at 5000 deep."""
    model = _deep(5_000)
    spent = cost(lambda: syncml.check(model))
    assert spent.peak < 4 * 1024 * 1024, spent
    rules = {f.rule for f in syncml.check(model)}
    assert syncml.Rule.NESTING in rules


def test_repair_scans_each_character_a_bounded_number_of_times() -> None:
    """The line of each tag used to be counted from the start of the text: quadratic in C, invisible to calls."""

    class Scanned(str):
        work = 0

        def count(self, sub: str, start: object = None, end: object = None) -> int:
            lo = start if isinstance(start, int) else 0
            hi = end if isinstance(end, int) else len(self)
            Scanned.work += max(hi - lo, 0)
            return super().count(sub, lo, hi)

        def find(self, sub: str, start: object = None, end: object = None) -> int:
            lo = start if isinstance(start, int) else 0
            found = super().find(sub, lo)
            Scanned.work += (len(self) if found < 0 else found) - lo
            return found

    def work(text: str) -> int:
        Scanned.work = 0
        syncml.repair_quotes(Scanned(text))
        return Scanned.work

    def document(n: int) -> str:
        return "<SyncML xmlns=&#39;S&#39;>\n" + "<Data a=\u201cb\u201d>x</Data>\n<!-- c --> <![CDATA[ d ]]>\n<!--" * n

    small, big = work(document(500)), work(document(4000))
    assert 0 < big <= GROWTH * small
    assert small <= 4 * len(document(500))


def test_reply_statuses_do_not_fit_error_is_typed() -> None:
    err = syncml.server.ReplyTooLargeError("too large", size=10, max_msg_size=5)
    assert err.status == StatusCode.REQUEST_ENTITY_TOO_LARGE


def _chain(depth: int) -> m.SyncML:
    """Atomic and Sequence in turn, *depth* deep, an Add at the bottom (a DM message)."""
    command: m.Command = m.Add(cmd_id="1", items=(m.Item(target=m.Target(loc_uri="./a"), data="1"),))
    for level in range(depth):
        command = (m.Atomic if level % 2 else m.Sequence)(cmd_id=str(level + 2), commands=(command,))
    return message(command)


def test_check_builds_paths_linear_in_depth(monkeypatch: pytest.MonkeyPatch) -> None:
    # A path per command is as long as its depth: built for every command,
    # the characters grew with the square of the depth (below the 256 cap).
    built = [0]
    plain: property = vars(_walk.Located)["path"]

    def counted(self: _walk.Located) -> str:
        assert plain.fget is not None
        path: str = plain.fget(self)
        built[0] += len(path)
        return path

    monkeypatch.setattr(_walk.Located, "path", property(counted))
    chars = []
    for depth in (30, 240):
        built[0] = 0
        findings = syncml.check(_chain(depth), direction=Direction.SERVER_TO_CLIENT)
        assert any(f.path == "SyncML/SyncBody/Atomic[1]/Sequence[1]" for f in findings)
        chars.append(built[0] + sum(len(f.path) + len(f.message) for f in findings))
    assert chars[1] <= GROWTH * chars[0], chars
    peaks = [cost(lambda depth=depth: syncml.check(_chain(depth))).peak for depth in (30, 240)]  # type: ignore[misc]
    assert peaks[1] <= GROWTH * peaks[0], peaks
