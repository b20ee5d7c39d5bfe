"""Relating the messages of a transcript: who answered what, and how the session went.

Every Status and Results is matched to the command it answers by SessionID,
MsgRef and CmdRef, in a message sent the other way (CmdRef 0 is the
SyncHdr).  A command is "unanswered" only when the other side sent a later
message of the same session that could have answered it.  The session is
followed message by message: MsgID counts 1, 2, 3 in each direction,
a message without Final must be followed by an Alert 1222 from the other
side, and one is asked for only after a message without Final.

Findings name where each message was found, so a person can go to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import model as m
from .._check import Direction, check
from .._grammar import is_container
from .._numbers import uint_or_none
from .._schema import validate
from ..codes import AlertCode, StatusCode
from ..errors import SchemaError, SyncMLError
from .render import Paint, direction

__all__ = ["Entry", "Report", "protocol_findings", "relate"]

_WS = " \t\r\n"
_CLIENT, _SERVER = "client -> server", "server -> client"
_OTHER = {_CLIENT: _SERVER, _SERVER: _CLIENT}


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One decoded message of the transcript and where it was found."""

    message: m.SyncML
    where: str
    xml: bytes | None = None  # the XML as found, for schema validation; None for WBXML or JSON


@dataclass(slots=True)
class Report:
    """Lines to print and the number of findings (exit status 1 under --check)."""

    lines: list[str] = field(default_factory=list)
    findings: int = 0


@dataclass(slots=True)
class _Sent:
    command: m.Command | None  # None: the SyncHdr
    index: int
    answered: bool = False


def relate(entries: list[Entry], paint: Paint, *, protocol: bool) -> Report:
    """The cross-message report; ``protocol`` adds syncml.check findings and schema violations."""
    report = Report()
    sides = _sides(entries)
    sent: dict[tuple[str, str, str, str], _Sent] = {}
    matched = 0
    for index, entry in enumerate(entries):
        msg, side = entry.message, sides[index]
        session = msg.header.session_id.strip(_WS)
        msg_id = msg.header.msg_id.strip(_WS)
        sent[(session, side, msg_id, "0")] = _Sent(command=None, index=index)
        for command in _walk(msg.body.commands):
            if isinstance(command, m.Status | m.Results):
                matched += _answer(command, index, entries, sides, sent, report, paint)
            else:
                sent[(session, side, msg_id, command.cmd_id.strip(_WS))] = _Sent(command=command, index=index)
    report.lines.insert(
        0, f"{paint.head('Transcript')}: {len(entries)} messages, {matched} answers matched to their commands"
    )
    _unanswered(entries, sides, sent, report, paint)
    _session(entries, sides, report, paint)
    if protocol:
        _protocol(entries, sides, report)
    return report


def _sides(entries: list[Entry]) -> list[str]:
    """Each message's direction; one nothing tells is taken as the opposite of the one before."""
    sides: list[str] = []
    for entry in entries:
        side = direction(entry.message)
        if side is None:
            side = _OTHER[sides[-1]] if sides else _CLIENT
        sides.append(side)
    return sides


def _walk(commands: tuple[m.Command, ...]) -> Iterator[m.Command]:
    for command in commands:
        yield command
        if is_container(command):
            yield from _walk(command.commands)


def _answer(
    answer: m.Status | m.Results,
    index: int,
    entries: list[Entry],
    sides: list[str],
    sent: dict[tuple[str, str, str, str], _Sent],
    report: Report,
    paint: Paint,
) -> int:
    msg = entries[index].message
    session = msg.header.session_id.strip(_WS)
    # Results may leave MsgRef out: it then answers the other side's latest message.
    msg_ref = (answer.msg_ref if answer.msg_ref is not None else _latest(entries, sides, index)).strip(_WS)
    key = (session, _OTHER[sides[index]], msg_ref, answer.cmd_ref.strip(_WS))
    kind = m.wire_name(answer)
    here = f"{entries[index].where} {kind} #{answer.cmd_id}"
    target = sent.get(key)
    if target is None:
        if (*key[:3], "0") in sent:  # the message is in the transcript, the command is not in it
            report.findings += 1
            report.lines.append(
                f"  {paint.bad('answers no command')}: {here} refers to CmdRef {key[3]} of message {msg_ref},"
                " which has none"
            )
        else:
            report.lines.append(f"  {paint.dim('outside the transcript')}: {here} answers message {msg_ref}, not in it")
        return 0
    target.answered = True
    asked = entries[target.index]
    name = "SyncHdr" if target.command is None else m.wire_name(target.command)
    what = f"{name} #{key[3]} of message {msg_ref} ({asked.where})"
    if isinstance(answer, m.Status):
        if answer.cmd.strip(_WS) != name:
            report.findings += 1
            report.lines.append(f"  {paint.bad('wrong Cmd')}: {here} says Cmd {answer.cmd!r} for {what}")
        value = uint_or_none(answer.data)
        if value is None or value >= 300:
            code = _meaning(value, answer.data)
            uri = _first_uri(target.command)
            report.lines.append(f"  {paint.bad('failed')}: {what}{uri} -> {code} ({here})")
    elif not isinstance(target.command, m.Get):
        report.findings += 1
        report.lines.append(f"  {paint.bad('Results for a command that is not a Get')}: {here} for {what}")
    return 1


def _latest(entries: list[Entry], sides: list[str], index: int) -> str:
    """MsgID of the latest message before *index* sent the other way in the same session ("" if none)."""
    session = entries[index].message.header.session_id
    for before in range(index - 1, -1, -1):
        other = entries[before].message.header
        if sides[before] != sides[index] and other.session_id == session:
            return other.msg_id
    return ""


def _meaning(value: int | None, raw: str) -> str:
    if value is None:
        return f"{raw!r} (not a code)"
    try:
        return f"{value} {StatusCode(value).meaning}"
    except ValueError:
        return f"{value} (unknown code)"


def _first_uri(command: m.Command | None) -> str:
    items = getattr(command, "items", ())
    if items and items[0].target is not None:
        return f" {items[0].target.loc_uri}"
    return ""


def _unanswered(
    entries: list[Entry], sides: list[str], sent: dict[tuple[str, str, str, str], _Sent], report: Report, paint: Paint
) -> None:
    last_from: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        last_from[(entry.message.header.session_id.strip(_WS), sides[index])] = index
    for (session, side, msg_id, cmd_id), item in sent.items():
        if item.answered or getattr(item.command, "no_resp", False) or entries[item.index].message.header.no_resp:
            continue
        reply = last_from.get((session, _OTHER[side]), -1)
        if reply <= item.index:
            continue  # the transcript ends before the other side could answer
        name = "SyncHdr" if item.command is None else m.wire_name(item.command)
        report.findings += 1
        report.lines.append(
            f"  {paint.bad('unanswered')}: {name} #{cmd_id}{_first_uri(item.command)} of message {msg_id}"
            f" ({entries[item.index].where}): no Status in the later messages"
        )


def _session(entries: list[Entry], sides: list[str], report: Report, paint: Paint) -> None:
    expected: dict[tuple[str, str], int] = {}
    previous_final: dict[str, bool] = {}
    session = None
    for index, entry in enumerate(entries):
        hdr, side = entry.message.header, sides[index]
        if hdr.is_empty:
            # A local MDM API answer: no session, no MsgID to count.
            report.lines.append(f"  {paint.dim('outside any session')}: {entry.where} (empty <SyncHdr/>)")
            continue
        sid = hdr.session_id.strip(_WS)
        if sid != session:
            report.lines.append(f"  {paint.head('session')} {sid} starts at {entry.where}")
            session, previous_final = sid, {}
        msg_id = uint_or_none(hdr.msg_id)
        want = expected.get((sid, side), 1)
        if msg_id != want:
            report.findings += 1
            report.lines.append(
                f"  {paint.bad('MsgID')}: {entry.where} has MsgID {hdr.msg_id!r}, {want} expected ({side})"
            )
        expected[(sid, side)] = (msg_id if msg_id is not None else want) + 1
        asks_next = any(
            isinstance(c, m.Alert) and uint_or_none(c.data) == AlertCode.NEXT_MESSAGE
            for c in entry.message.body.commands
        )
        other_final = previous_final.get(_OTHER[side])
        if other_final is False and not asks_next and not entry.message.body.final:
            pass  # both sides mid-package: unusual but not decidable here
        elif other_final is False and not asks_next:
            report.findings += 1
            report.lines.append(
                f"  {paint.bad('1222 missing')}: {entry.where} answers a message without Final but sends no Alert 1222"
            )
        elif other_final is True and asks_next:
            report.findings += 1
            report.lines.append(
                f"  {paint.bad('1222 unexpected')}: {entry.where} asks for more after a message with Final"
            )
        previous_final[side] = entry.message.body.final


def protocol_findings(entries: list[Entry]) -> Report:
    """syncml.check findings and schema violations of each message, alone or in its transcript."""
    report = Report()
    _protocol(entries, _sides(entries), report)
    return report


def _protocol(entries: list[Entry], sides: list[str], report: Report) -> None:
    """syncml.check on each message (answering the one before it from the other side), and the schemas."""
    last: dict[str, m.SyncML] = {}
    for index, entry in enumerate(entries):
        side = sides[index]
        answering = last.get(_OTHER[side])
        if answering is not None and answering.header.session_id != entry.message.header.session_id:
            answering = None
        way = Direction.CLIENT_TO_SERVER if side == _CLIENT else Direction.SERVER_TO_CLIENT
        for finding in check(entry.message, direction=way, answering=answering):
            report.findings += 1
            report.lines.append(f"  {entry.where}: {finding}")
        for violation in _schema(entry):
            report.findings += 1
            report.lines.append(f"  {entry.where}: schema: {violation}")
        last[side] = entry.message


def _schema(entry: Entry) -> list[str]:
    try:
        validate(entry.xml if entry.xml is not None else entry.message)
    except SchemaError as error:
        return [str(v) for v in error.violations]
    except SyncMLError as error:
        return [str(error)]
    return []
