"""Numbers: every numeric field is read by syncml._numbers, and nothing else calls int() on text.

Python's ``int()`` raises a bare ValueError past 4300 digits and, behind
``str.isdigit()``, on ``"²"``; ``read_uint`` refuses both with a DecodeError
that names the element.  The first half of this file holds every helper
against every numeric field written that way; the second reads the source of
``syncml/`` and fails on any ``int()`` or ``isdigit()`` that is not known to
be applied to a value that is already a number.
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

import syncml
import syncml.server
from syncml import Direction, Rule, largeobject, msft
from syncml import model as m
from syncml._numbers import MAX_DIGITS, is_uint, read_uint, uint_or_none
from syncml.replies import reply_commands

from .builders import ALERT, message_xml, synchdr_xml

HUGE = "9" * 5000  # past int()'s 4300-digit limit
TOO_LONG = "1" * (MAX_DIGITS + 1)
SUPERSCRIPT = "\u00b2"  # passes str.isdigit, not int()
BAD_NUMBERS = [HUGE, TOO_LONG, SUPERSCRIPT, "1\u00b2", "+1", "1_000", "-1", "", " ", "0x10", "\u0661"]


# --- the reader itself --------------------------------------------------------


@pytest.mark.parametrize("text", BAD_NUMBERS)
def test_read_uint_refuses_what_is_not_ascii_digits(text: str) -> None:
    assert not is_uint(text.strip())
    assert uint_or_none(text) is None
    with pytest.raises(syncml.DecodeError) as caught:
        read_uint(text, "Meta/Size")
    assert caught.value.path == "Meta/Size"
    assert caught.value.status == 400
    assert len(str(caught.value)) < 200  # a 5000-digit value is not repeated whole


READABLE = [("0", 0), ("01", 1), (" 42\n", 42), ("9" * MAX_DIGITS, 10**MAX_DIGITS - 1)]


@pytest.mark.parametrize(("text", "value"), READABLE)
def test_read_uint_reads_ascii_digits(text: str, value: int) -> None:
    assert read_uint(text, "X") == value
    assert uint_or_none(text) == value
    assert uint_or_none(None) is None


# --- every field, every helper --------------------------------------------------

METINF = ' xmlns="syncml:metinf"'


def _message(*, msg_id: str = "1", meta: str = "", body: str = ALERT) -> m.SyncML:
    return syncml.parse(message_xml(body, hdr=synchdr_xml(source="DEV-1", msg_id=msg_id, tail=meta)))


def _status(*, msg_ref: str = "1", cmd_ref: str = "1", data: str = "200") -> str:
    return (
        f"<Status><CmdID>2</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef>"
        f"<Cmd>Alert</Cmd><Data>{data}</Data></Status>"
    )


def _chunk(size: str) -> str:
    return (
        "<Replace><CmdID>3</CmdID><Item><Source><LocURI>./DevInfo/Man</LocURI></Source>"
        f"<Meta><Size{METINF}>{size}</Size></Meta><Data>abc</Data><MoreData/></Item></Replace>"
    )


#: field -> (message with the bad value, the property that reads it, the path
#: its DecodeError names, the check() rule that reports it).
FIELDS: dict[str, tuple[Callable[[str], m.SyncML], Callable[[m.SyncML], object], str, Rule]] = {
    "MsgID": (lambda v: _message(msg_id=v), lambda msg: msg.header.msg_id_int, "SyncHdr/MsgID", Rule.MSG_ID),
    "Alert/Data": (
        lambda v: _message(body=f"<Alert><CmdID>1</CmdID><Data>{v}</Data></Alert>"),
        lambda msg: [c.code for c in msg.body.commands if isinstance(c, m.Alert)],
        "Alert/Data",
        Rule.ALERT_CODE,
    ),
    "Status/Data": (
        lambda v: _message(msg_id="2", body=_status(data=v)),
        lambda msg: [c.code for c in msg.body.commands if isinstance(c, m.Status)],
        "Status/Data",
        Rule.STATUS_CODE,
    ),
    "MaxMsgSize": (
        lambda v: _message(meta=f"<Meta><MaxMsgSize{METINF}>{v}</MaxMsgSize></Meta>"),
        lambda msg: msg.header.meta.max_msg_size_int if msg.header.meta else None,
        "Meta/MaxMsgSize",
        Rule.META_NUMBER,
    ),
    "MaxObjSize": (
        lambda v: _message(meta=f"<Meta><MaxObjSize{METINF}>{v}</MaxObjSize></Meta>"),
        lambda msg: msg.header.meta.max_obj_size_int if msg.header.meta else None,
        "Meta/MaxObjSize",
        Rule.META_NUMBER,
    ),
    "chunk Size": (
        lambda v: _message(body=ALERT + _chunk(v)),
        lambda msg: [i.meta.size_int for c in msg.body.commands if isinstance(c, m.Replace) for i in c.items if i.meta],
        "Meta/Size",
        Rule.META_NUMBER,
    ),
    "MsgRef": (
        lambda v: _message(msg_id="2", body=_status(msg_ref=v)),
        lambda msg: None,  # MsgRef is an identifier: no property reads it as a number
        "",
        Rule.MSG_REF,
    ),
}


def _feed_chunks(msg: m.SyncML) -> list[largeobject.Reassembly]:
    joiner = largeobject.Reassembler()
    return [joiner.feed(type(c).__name__, i) for c in msg.body.commands for i in getattr(c, "items", ())]


HELPERS: dict[str, Callable[[m.SyncML], object]] = {
    "check": lambda msg: syncml.check(msg, direction=Direction.CLIENT_TO_SERVER, answering=msg),
    "generic_alerts": syncml.generic_alerts,
    "client_events": syncml.client_events,
    "devinfo": syncml.read_devinfo,
    "reply": lambda msg: syncml.server.reply(msg, msg_id=1),
    "reply_commands": reply_commands,
    "unenroll_request": msft.unenroll_request,
    "reassembler": _feed_chunks,
    "serialize": syncml.serialize,
}

BAD_VALUES = [HUGE, SUPERSCRIPT, "2" + SUPERSCRIPT]


@pytest.mark.parametrize("value", BAD_VALUES, ids=["5000-digits", "superscript", "digit-superscript"])
@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("helper", HELPERS)
def test_every_helper_survives_every_bad_number(helper: str, field: str, value: str) -> None:
    build, _, _, _ = FIELDS[field]
    msg = build(value)  # lenient parsing keeps every value as written
    # A refusal is fine; a bare ValueError (or anything else) escaping is the bug.
    with contextlib.suppress(syncml.SyncMLError):
        HELPERS[helper](msg)


@pytest.mark.parametrize("value", BAD_VALUES, ids=["5000-digits", "superscript", "digit-superscript"])
@pytest.mark.parametrize("field", FIELDS)
def test_check_reports_every_bad_number(field: str, value: str) -> None:
    build, _, _, rule = FIELDS[field]
    findings = syncml.check(build(value))
    assert rule in {f.rule for f in findings}
    assert all(len(f.message) < 200 for f in findings)


@pytest.mark.parametrize("value", BAD_VALUES, ids=["5000-digits", "superscript", "digit-superscript"])
@pytest.mark.parametrize("field", [f for f in FIELDS if FIELDS[f][2]])
def test_properties_raise_decode_error_with_the_path(field: str, value: str) -> None:
    build, read, path, _ = FIELDS[field]
    with pytest.raises(syncml.DecodeError) as caught:
        read(build(value))
    assert caught.value.path == path


def test_a_bad_alert_code_is_neither_kind_of_alert() -> None:
    item = "<Item><Meta><Type xmlns='syncml:metinf'>t</Type></Meta><Data>1</Data></Item>"
    msg = _message(body=f"<Alert><CmdID>1</CmdID><Data>{HUGE}</Data>{item}</Alert>")
    assert syncml.generic_alerts(msg) == ()
    assert syncml.client_events(msg) == ()
    good = _message(body=f"<Alert><CmdID>1</CmdID><Data> 1226 </Data>{item}</Alert>")
    assert [a.type for a in syncml.generic_alerts(good)] == ["t"]


def test_a_bad_chunk_size_fails_the_run_with_424() -> None:
    (result,) = _feed_chunks(_message(body=_chunk(HUGE)))
    assert result.status is syncml.StatusCode.SIZE_MISMATCH


def test_a_reply_echoes_a_bad_msg_id_as_written() -> None:
    answer = syncml.server.reply(_message(msg_id=HUGE), msg_id=1)
    first = answer.body.commands[0]
    assert isinstance(first, m.Status)
    assert first.msg_ref == HUGE  # identifiers stay strings; nothing reads it as a number


# --- no int() on text anywhere else ---------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "syncml"

#: Enums whose members are ints: ``int(AlertCode.X)`` reads no text.
_ENUMS = frozenset({"AlertCode", "StatusCode"})

#: Calls known to convert a value that is already a number (or that a bounded
#: pattern has matched), by file and call as written.  Each says why.
ALLOWED: dict[tuple[str, str], str] = {
    ("syncml/_numbers.py", "int(text)"): "the reader itself, after is_uint()",
    ("syncml/_xmlfront.py", "int(huge)"): "a bool, naming a parser variant",
    ("syncml/_xmlfront.py", "int(lean)"): "a bool, naming a parser variant",
    ("syncml/_xmlfront.py", "int(merge_cdata)"): "a bool, naming a parser variant",
    ("syncml/_wbxml_encode.py", "int(el.get('i', '0'))"): "an index the encoder wrote itself on its own tree",
    ("syncml/codes.py", "int(c)"): "members of the IntEnums",
    ("syncml/replies.py", "int(code)"): "a Code: StatusCode | int given by the caller",
    ("syncml/replies.py", "int(c)"): "a Code: StatusCode | int given by the caller",
    ("syncml/ddf/_model.py", "int(match.group(1))"): "_RANGE matched [0-9]{1,18}",
    ("syncml/ddf/_model.py", "int(match.group(2))"): "_RANGE matched [0-9]{1,18}",
    ("syncml/ddf/_model.py", "int(match.group(1), 16)"): "matched [0-9A-Fa-f]{1,6}",
    ("syncml/ddf/_uri.py", "int(m.group(1), 16)"): "_PERCENT matched [0-9A-Fa-f]{2}",
    ("syncml/ddf/_values.py", "int(value)"): "_INT.fullmatch: -?[0-9]{1,18}",
    ("syncml/ddf/_values.py", "int(text)"): "_INT.fullmatch: -?[0-9]{1,18}",
    ("syncml/ddf/_values.py", "int(text, 16)"): "at most 16 ASCII hex digits after 0x",
    ("syncml/ds/sync.py", "int(code)"): "an AlertCode, or the caller's int status code",
    ("syncml/server/sqlite_store.py", "int(self._busy)"): "the caller's busy_timeout_ms, kept numeric in a PRAGMA",
}

#: Files whose owners still have to move to syncml._numbers: strict xfail, so
#: this test says so the moment they are fixed.
PENDING: dict[str, str] = {}


def _is_number(arg: ast.expr) -> bool:
    """Whether *arg* is a number by construction, whatever the input."""
    if isinstance(arg, ast.Constant):
        return True
    if isinstance(arg, ast.IfExp):
        return _is_number(arg.body) and _is_number(arg.orelse)
    if not isinstance(arg, ast.Attribute):
        return False
    # An enum member; or a ``.code``, which is the typed code property
    # everywhere in syncml (Alert.code, Status.code, GenericAlert.code), read
    # through _numbers.
    return (isinstance(arg.value, ast.Name) and arg.value.id in _ENUMS) or arg.attr == "code"


def _is_safe(call: ast.Call) -> bool:
    return len(call.args) == 1 and not call.keywords and _is_number(call.args[0])


def offending_calls(source: str, name: str) -> list[str]:
    """``int()`` and ``isdigit()``-like calls in *source* (the file *name*) that nothing above covers."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        text = ast.unparse(node)
        if isinstance(func, ast.Name) and func.id == "int" and not _is_safe(node) and (name, text) not in ALLOWED:
            found.append(f"{name}:{node.lineno}: {text}")
        if isinstance(func, ast.Attribute) and func.attr in ("isdigit", "isdecimal", "isnumeric"):
            found.append(f"{name}:{node.lineno}: {text} (accepts non-ASCII digits such as '\u00b2')")
    return found


def _source_files() -> list[object]:
    files = sorted(PACKAGE.rglob("*.py"))
    params: list[object] = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else []
        params.append(pytest.param(path, id=name, marks=marks))
    return params


@pytest.mark.parametrize("path", _source_files())
def test_no_int_on_untrusted_text(path: Path) -> None:
    assert offending_calls(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()) == []


def test_the_scan_finds_what_it_looks_for() -> None:
    code = (
        "def f(text, code, a):\n"
        "    return int(text), text.isdigit(), int(AlertCode.X), int(7), int(code.value), int(a.code),"
        " int(StatusCode.OK if a else StatusCode.ACCEPTED), int(StatusCode.OK if a else text)\n"
    )
    found = offending_calls(code, "syncml/alerts.py")
    assert [f.split(": ", 1)[1].split(" (")[0] for f in found] == [
        "int(text)",
        "text.isdigit()",
        "int(code.value)",
        "int(StatusCode.OK if a else text)",
    ]


def test_every_allowlist_entry_is_still_needed() -> None:
    present = set()
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                present.add((name, ast.unparse(node)))
    # An entry whose file is gone goes with it; one whose call is gone is stale.
    stale = {(name, call) for name, call in ALLOWED if (ROOT / name).exists() and (name, call) not in present}
    assert stale == set()
