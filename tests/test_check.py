"""Protocol checks: every rule fires where it should, and nowhere on clean messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syncml
import syncml.server
from syncml import Direction, Finding, QuirkKind, Rule, Severity
from syncml import _check as check_module
from syncml import model as m
from syncml import strategies as sst

from . import builders
from .conftest import EXAMPLES

C2S, S2C = Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT
SERVER = "https://mdm.example.com/omadm"
DEVICE = "DEV-1"
BODY = "SyncML/SyncBody"


def _msg(
    *commands: m.Command,
    direction: Direction = C2S,
    msg_id: str = "1",
    final: bool = True,
    **header: str,
) -> m.SyncML:
    target, source = (SERVER, DEVICE) if direction is C2S else (DEVICE, SERVER)
    hdr = builders.header(target=target, source=source, msg_id=msg_id, **header)
    return builders.message(*commands, hdr=hdr, final=final)


def _node(uri: str, data: str | None = "1", *, source: bool = False, more: bool = False) -> m.Item:
    if source:
        return m.Item(source=m.Source(loc_uri=uri), data=data, more_data=more)
    return m.Item(target=m.Target(loc_uri=uri), data=data, more_data=more)


def _status(cmd_id: str, cmd_ref: str, cmd: str, data: str = "200", msg_ref: str = "1") -> m.Status:
    return m.Status(cmd_id=cmd_id, msg_ref=msg_ref, cmd_ref=cmd_ref, cmd=cmd, data=data)


HDR_OK = _status("1", "0", "SyncHdr")
ALERT = m.Alert(cmd_id="2", data="1201")
GET = m.Get(cmd_id="3", items=(_node("./DevDetail/SwV", None),))
ADD = m.Add(cmd_id="4", items=(_node("./Vendor/MSFT/A"),))


def _generic(item: m.Item, code: str = "1226", cmd_id: str = "5") -> m.Alert:
    return m.Alert(cmd_id=cmd_id, data=code, items=(item,))


HUGE = "9" * 5000  # past int()'s 4300 digits: a bare ValueError once
SIZED = m.Meta(size=HUGE, max_msg_size="1e3", max_obj_size="\u00b2")


def _nest(depth: int) -> tuple[m.Command, ...]:
    command: m.Command = ADD
    for level in range(depth):
        command = m.Atomic(cmd_id=str(10 + level), commands=(command,))
    return (command,)


def _nest_findings(depth: int) -> tuple[tuple[Rule | QuirkKind, str], ...]:
    # The second Atomic is inside an Atomic: that finding stands for all it
    # holds (one per level repeated a path as long as the depth).  The one
    # holding commands at depth 256 is reported once, and nothing below it is walked.
    deepest = "/".join(["Atomic[1]"] * check_module.MAX_NESTING)
    return ((Rule.ATOMIC_CONTENT, "Atomic[1]/Atomic[1]"), (Rule.NESTING, deepest))


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    name: str
    source: m.SyncML | tuple[m.Command, ...]
    expected: tuple[tuple[Rule | QuirkKind, str], ...]
    direction: Direction | None = None
    answering: m.SyncML | None = None


TABLE = [
    Row(name="clean client package 1",
        source=_msg(ALERT, m.Replace(cmd_id="3", items=(_node("./DevInfo/Man", source=True),))),
        direction=C2S, expected=()),
    Row(name="clean server reply", source=_msg(HDR_OK, GET, ADD, direction=S2C), direction=S2C, expected=()),
    Row(name="zero and empty CmdID", source=(m.Alert(cmd_id="0"), m.Alert(cmd_id=" ")),
        expected=((Rule.CMDID_ZERO, "Alert[1]/CmdID"), (Rule.CMDID_ZERO, "Alert[2]/CmdID"))),
    Row(name="duplicate CmdID, nested", source=_msg(
            ALERT, m.Atomic(cmd_id="7", commands=(m.Add(cmd_id="2", items=(_node("./A"),)),))),
        expected=((Rule.CMDID_DUPLICATE, f"{BODY}/Atomic[1]/Add[1]/CmdID"),)),
    Row(name="SyncHdr Status not first", source=_msg(_status("1", "2", "Alert"), _status("2", "0", "SyncHdr"),
                                                      direction=S2C),
        expected=((Rule.SYNCHDR_STATUS_NOT_FIRST, f"{BODY}/Status[2]"),)),
    Row(name="server message without SyncHdr Status", source=_msg(GET, direction=S2C), direction=S2C,
        expected=((Rule.SYNCHDR_STATUS_MISSING, BODY),)),
    Row(name="client message 2 without SyncHdr Status", source=_msg(ALERT, msg_id="2"), direction=C2S,
        expected=((Rule.SYNCHDR_STATUS_MISSING, BODY),)),
    Row(name="Status Cmd/CmdRef mismatch and unknown Cmd",
        source=(_status("1", "0", "Alert"), _status("2", "4", "SyncHdr"), _status("3", "4", "Frobnicate")),
        expected=((Rule.STATUS_CMD, "Status[1]/Cmd"), (Rule.STATUS_CMD, "Status[2]/Cmd"),
                  (Rule.STATUS_CMD, "Status[3]/Cmd"))),
    Row(name="Status code not a number", source=(_status("1", "2", "Alert", data="OK"),),
        expected=((Rule.STATUS_CODE, "Status[1]/Data"),)),
    Row(name="Status answering the wrong command", answering=_msg(HDR_OK, GET, ADD, direction=S2C),
        source=(_status("1", "0", "SyncHdr"), _status("2", "3", "Add"), _status("3", "9", "Add"),
                _status("4", "9", "Add", msg_ref="7"),
                m.Results(cmd_id="5", msg_ref="1", cmd_ref="4", items=(_node("./A", source=True),)),
                m.Results(cmd_id="6", cmd_ref="3", items=(_node("./DevDetail/SwV", source=True),))),
        expected=((Rule.STATUS_CMD, "Status[2]/Cmd"), (Rule.STATUS_REF, "Status[3]/CmdRef"),
                  (Rule.STATUS_REF, "Results[1]/CmdRef"))),
    Row(name="Exec with two Items and with none",
        source=(m.Exec(cmd_id="1", items=(_node("./A"), _node("./B"))), m.Exec(cmd_id="2", items=())),
        expected=((Rule.EXEC_ITEMS, "Exec[1]"), (Rule.EXEC_ITEMS, "Exec[2]"))),
    Row(name="Get, Exec and Atomic inside Atomic",
        source=(m.Atomic(cmd_id="1", commands=(GET, m.Exec(cmd_id="5", items=(_node("./X"),)),
                                               m.Atomic(cmd_id="6", commands=(ADD,)))),),
        expected=((Rule.ATOMIC_CONTENT, "Atomic[1]/Get[1]"), (Rule.ATOMIC_CONTENT, "Atomic[1]/Exec[1]"),
                  (Rule.ATOMIC_CONTENT, "Atomic[1]/Atomic[1]"))),
    Row(name="Atomic inside Sequence",
        source=(m.Sequence(cmd_id="1", commands=(m.Atomic(cmd_id="2", commands=(ADD,)),)),),
        expected=((Rule.SEQUENCE_CONTENT, "Sequence[1]/Atomic[1]"),)),
    Row(name="Cred below SyncHdr", source=(m.Add(cmd_id="1", cred=m.Cred(data="x"), items=(_node("./A"),)),),
        expected=((Rule.CRED_BELOW_SYNCHDR, "Add[1]/Cred"),)),
    Row(name="commands a client may not send", direction=C2S,
        source=(ADD, m.Alert(cmd_id="8", data="1100"),
                m.Replace(cmd_id="9", items=(_node("./Vendor/MSFT/DMClient/HWDevID", source=True),
                                             _node("./Vendor/MSFT/Policy/X", source=True)))),
        expected=((Rule.CLIENT_COMMAND, "Add[1]"), (Rule.CLIENT_COMMAND, "Alert[1]"),
                  (Rule.CLIENT_COMMAND, "Replace[1]/Item[2]"))),
    Row(name="alerts and Results a server may not send", direction=S2C,
        source=(m.Alert(cmd_id="1", data="1201"), m.Results(cmd_id="2", cmd_ref="1", items=(_node("./A"),))),
        expected=((Rule.SERVER_COMMAND, "Alert[1]"), (Rule.SERVER_COMMAND, "Results[1]"))),
    Row(name="MoreData in a final message, not last, without Data",
        source=_msg(m.Replace(cmd_id="2", items=(_node("./A", "x", more=True), _node("./B", None, more=True)))),
        expected=((Rule.MOREDATA_LAST_CHUNK, f"{BODY}/Replace[1]/Item[1]"),
                  (Rule.MOREDATA_NOT_LAST, f"{BODY}/Replace[1]/Item[1]"),
                  (Rule.MOREDATA_NO_DATA, f"{BODY}/Replace[1]/Item[2]"),
                  (Rule.MOREDATA_LAST_CHUNK, f"{BODY}/Replace[1]/Item[2]"))),
    Row(name="MoreData chunk done right", expected=(),
        source=_msg(HDR_OK, m.Replace(cmd_id="2", items=(_node("./A", "x"), _node("./B", "y", more=True))),
                    final=False)),
    Row(name="MoreData then another command", source=(m.Add(cmd_id="1", items=(_node("./A", more=True),)), ALERT),
        expected=((Rule.MOREDATA_NOT_LAST, "Add[1]/Item[1]"),)),
    Row(name="DevID spelling", source=(m.Replace(cmd_id="1", items=(_node("./DevInfo/DevID", source=True),
                                                                    _node("./devinfo/lang", source=True),
                                                                    _node("./DevInfo/Ext/DevID", source=True))),),
        expected=((Rule.DEVID_SPELLING, "Replace[1]/Item[1]/Source/LocURI"),
                  (Rule.DEVID_SPELLING, "Replace[1]/Item[2]/Source/LocURI"))),
    Row(name="Target and Source swapped", source=_msg(ALERT, direction=S2C), direction=C2S,
        expected=((Rule.TARGET_SOURCE_SWAPPED, "SyncML/SyncHdr"),)),
    Row(name="NoResp", source=(m.Add(cmd_id="1", no_resp=True, items=(_node("./A"),)),),
        expected=((Rule.NO_RESP, "Add[1]/NoResp"),)),
    Row(name="version, SessionID, MsgID", source=_msg(ALERT, msg_id="0", ver_dtd="1.1", ver_proto="DM/1.1.2"),
        expected=((Rule.VERSION, "SyncML/SyncHdr"), (Rule.MSG_ID, "SyncML/SyncHdr/MsgID"))),
    Row(name="long SessionID", source=_msg(ALERT, session_id="18629"),
        expected=((Rule.SESSION_ID, "SyncML/SyncHdr/SessionID"),)),
    Row(name="generic alert without Item, Type, Format, Data",
        source=(m.Alert(cmd_id="1", data="1226"), _generic(m.Item()), _generic(m.Item(), code="1224", cmd_id="6")),
        expected=((Rule.ALERT_ITEM, "Alert[1]"), (Rule.ALERT_ITEM, "Alert[2]/Item[1]"),
                  (Rule.ALERT_ITEM, "Alert[2]/Item[1]"), (Rule.ALERT_ITEM, "Alert[2]/Item[1]"),
                  (Rule.ALERT_ITEM, "Alert[3]/Item[1]"), (Rule.ALERT_ITEM, "Alert[3]/Item[1]"))),
    Row(name="client event without Format is fine",
        source=(_generic(m.Item(meta=m.Meta(type="com.microsoft/MDM/LoginStatus"), data="user"), code="1224"),),
        expected=()),
    Row(name="Copy without Source", source=(m.Copy(cmd_id="1", items=(_node("./A"),)),),
        expected=((Rule.COPY_ITEM, "Copy[1]/Item[1]"),)),
    Row(name="numbers that are not numbers",
        source=_msg(_status("1", "0", "SyncHdr", msg_ref="\u00b2"), _status("2", "2", "Alert", data=HUGE, msg_ref=HUGE),
                    _status("3", "2", "Alert", data="2\u00b20", msg_ref="+1"),
                    m.Alert(cmd_id="4", data=HUGE), m.Alert(cmd_id="5", data="12\u00b26"),
                    m.Replace(cmd_id="6", meta=SIZED, items=(m.Item(source=m.Source(loc_uri="./DevInfo/Man"),
                                                                    meta=m.Meta(size="-1"), data="x"),)),
                    msg_id=HUGE),
        expected=((Rule.MSG_ID, "SyncML/SyncHdr/MsgID"), (Rule.MSG_REF, f"{BODY}/Status[1]/MsgRef"),
                  (Rule.MSG_REF, f"{BODY}/Status[2]/MsgRef"), (Rule.STATUS_CODE, f"{BODY}/Status[2]/Data"),
                  (Rule.MSG_REF, f"{BODY}/Status[3]/MsgRef"), (Rule.STATUS_CODE, f"{BODY}/Status[3]/Data"),
                  (Rule.ALERT_CODE, f"{BODY}/Alert[1]/Data"), (Rule.ALERT_CODE, f"{BODY}/Alert[2]/Data"),
                  (Rule.META_NUMBER, f"{BODY}/Replace[1]/Meta/Size"),
                  (Rule.META_NUMBER, f"{BODY}/Replace[1]/Meta/MaxMsgSize"),
                  (Rule.META_NUMBER, f"{BODY}/Replace[1]/Meta/MaxObjSize"),
                  (Rule.META_NUMBER, f"{BODY}/Replace[1]/Item[1]/Meta/Size"))),
    Row(name="MaxMsgSize of the SyncHdr", source=m.SyncML(
            header=m.SyncHdr(session_id="1", msg_id="1", target=m.Target(loc_uri=SERVER),
                             source=m.Source(loc_uri=DEVICE), meta=m.Meta(max_msg_size=HUGE)),
            body=m.SyncBody(commands=(ALERT,), final=True)),
        expected=((Rule.META_NUMBER, "SyncML/SyncHdr/Meta/MaxMsgSize"),)),
    Row(name="Atomic nested past any decoder", source=_nest(300), expected=_nest_findings(300)),
    Row(name="node URI with a leading slash", source=(m.Get(cmd_id="1", items=(_node("/DevDetail/SwV", None),)),),
        expected=((Rule.LOC_URI, "Get[1]/Item[1]/Target/LocURI"),)),
    Row(name="a data-sync command in a DM message", source=(m.Sync(cmd_id="1"),),
        expected=((Rule.DS_COMMAND, "Sync[1]"),)),
]  # fmt: skip


def _pairs(findings: tuple[Finding, ...]) -> tuple[tuple[Rule | QuirkKind, str], ...]:
    return tuple((f.rule, f.path) for f in findings)


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r.name)
def test_rule_table(row: Row) -> None:
    findings = syncml.check(row.source, direction=row.direction, answering=row.answering)
    assert _pairs(findings) == row.expected
    for finding in findings:
        assert isinstance(finding.rule, Rule)
        assert finding.severity is finding.rule.severity
        assert finding.message
        assert finding.source == finding.rule.source


def test_every_rule_has_a_row() -> None:
    covered = {rule for row in TABLE for rule, _ in row.expected}
    assert covered == set(Rule)


#: A rule's source: the specifications and sections it restates, then the rule in a few words.
_SOURCE = re.compile(r"(MS-MDM|OMA DM|SyncML RepPro|MetInf|OMA XSD|DevInfo CSP|MS Learn)[^:]*: \S.*")


def test_every_rule_names_its_source_and_severity() -> None:
    for rule in Rule:
        assert _SOURCE.fullmatch(rule.source), rule.source  # a specification section, then the rule
        assert rule.severity in (Severity.ERROR, Severity.WARNING)


def test_quirky_documentation_sample(corpus_dir: Path) -> None:
    """The MS Learn unenrollment sample shows every documented quirk but the quotes."""
    data = (corpus_dir / "msdocs-unenroll-first-package-generic-alert-quirky-sample.xml").read_bytes()
    findings = syncml.check(syncml.parse(syncml.repair_quotes(data).data), direction=C2S)
    assert _pairs(findings) == (
        (QuirkKind.METINF_NAMESPACE, f"{BODY}/Alert[1]/Item[1]/Meta/Type"),
        (QuirkKind.VALUE_WHITESPACE, f"{BODY}/Alert[1]/Item[1]/Meta/Type"),
        (QuirkKind.METINF_NAMESPACE, f"{BODY}/Alert[1]/Item[1]/Meta/Format"),
        (QuirkKind.STRAY_TEXT, f"{BODY}/Replace[1]/Item[2]"),
        (Rule.TARGET_SOURCE_SWAPPED, "SyncML/SyncHdr"),
        (Rule.CMDID_DUPLICATE, f"{BODY}/Replace[1]/CmdID"),
        (Rule.DEVID_SPELLING, f"{BODY}/Replace[1]/Item[1]/Source/LocURI"),
    )
    quirk = findings[0]
    assert (quirk.severity, quirk.line) == (Severity.WARNING, 20)
    assert "syncml:metinfo" in str(quirk)
    assert quirk.source.startswith("lenient parse")


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml", C2S),
        ("fleet-poc-dump-client-unenroll-generic-alert-1226-userrequest.xml", C2S),
        ("mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml", C2S),
        ("omadm12-spec-pkg1-client-init-alert1200-cred-basic-maxmsgsize.xml", C2S),
    ],
)
def test_real_client_messages_break_no_rule(corpus_dir: Path, name: str, direction: Direction) -> None:
    message = syncml.parse((corpus_dir / name).read_bytes())
    assert [f for f in syncml.check(message, direction=direction) if isinstance(f.rule, Rule)] == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("client-*.xml")), ids=lambda p: p.name)
def test_our_client_examples_break_no_rule(path: Path) -> None:
    message = syncml.parse(path.read_bytes())
    rules = {f.rule for f in syncml.check(message, direction=C2S)}
    # Continuation messages (MsgID > 1) of our examples show one step of a
    # session without the SyncHdr Status the real session would carry.
    assert rules <= {Rule.SYNCHDR_STATUS_MISSING}


def test_reply_skeletons_pass_the_reference_checks() -> None:
    received = syncml.parse((EXAMPLES / "client-status-results.xml").read_bytes())
    answer = syncml.server.reply(received, msg_id=2, commands=[GET])
    assert syncml.check(answer, direction=S2C, answering=received) == ()


@settings(max_examples=50)
@given(received=sst.messages(max_commands=4, max_items=2), direction=st.sampled_from([None, C2S, S2C]))
def test_check_is_total_and_replies_reference_correctly(received: m.SyncML, direction: Direction | None) -> None:
    """Invariants: check() returns findings for any valid model, never raises; a reply
    built by syncml.server.reply() breaks no Status reference or CmdID rule against what it answers."""
    findings = syncml.check(received, direction=direction)
    assert all(isinstance(f, Finding) for f in findings)
    answer = syncml.server.reply(received, msg_id=1)
    reference_rules = {Rule.STATUS_CMD, Rule.STATUS_REF, Rule.CMDID_ZERO, Rule.CMDID_DUPLICATE}
    reply_findings = syncml.check(answer, answering=received)
    assert [f for f in reply_findings if f.rule in reference_rules] == []


def test_fragments_report_their_quirks() -> None:
    fragment = syncml.parse_commands(
        b'<Alert><CmdID>1</CmdID><Data>1226</Data><Item><Meta><Type xmlns="syncml:metinfo">a.b</Type>'
        b'<Format xmlns="syncml:metinf">int</Format></Meta><Data>1</Data></Item></Alert>'
    )
    assert _pairs(syncml.check(fragment)) == ((QuirkKind.METINF_NAMESPACE, "Alert[1]/Item[1]/Meta/Type"),)
    assert _pairs(syncml.check(tuple(fragment))) == ()  # a plain tuple carries no quirks
