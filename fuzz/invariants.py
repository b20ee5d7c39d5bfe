"""The promises the fuzz harnesses check, one function per harness, without atheris.

Each function takes the raw input and returns normally when the promise held.
Refusing the input with :class:`syncml.SyncMLError` is a kept promise; any
other exception escaping, an accepted value that does not read back equal, or
a decode that cost more than its input allows, is a broken one
(:class:`Broken`, or the stray exception itself).  The atheris harnesses call
these, and ``tests/test_fuzz_regressions.py`` replays every saved crash input
through them, so a crash and its regression test check the same thing.

Resources are part of the promise (see "Resource bounds" in fuzz/README.md):
every decode of untrusted bytes runs inside :func:`syncml._meter.measure`,
and both what it produced (:func:`syncml.fuzzing.model_size`) and the work
the decoders charged must stay linear in the input's size.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

import syncml
import syncml.server
from syncml import model as m
from syncml._cli import decode_to_lines
from syncml._meter import measure
from syncml._wbxml_decode import is_wbxml
from syncml.events import SessionStarted
from syncml.fuzzing import model_size

T = TypeVar("T")

#: A decoded value's size (``model_size(...).total``: characters plus nodes)
#: may be at most ``SIZE_PER_BYTE * len(input) + SIZE_FLOOR``.  The floor
#: is what ``Limits.output_budget`` grants any input (64 KiB of decoded
#: characters) and room for nodes and quirks; the slope is twice the largest
#: ratio measured on seeds and hostile inputs (fuzz/README.md).
SIZE_PER_BYTE = 16
SIZE_FLOOR = 128 * 1024
#: The decoders' work counter (``Meter.work``) may be at most
#: ``WORK_PER_BYTE * len(input) + WORK_FLOOR`` per decode.
WORK_PER_BYTE = 32
WORK_FLOOR = 256 * 1024


class Broken(AssertionError):
    """An accepted input whose model does not survive a round trip, or a decode over its resource bounds."""


#: ``syncml-decode`` decodes each message it finds at most four times: as a
#: message, as a fragment, the part before an error line, and (with
#: ``--strict``) leniently to say whether that would read it.
TOOL_DECODES = 4


def metered(decode: Callable[[], T], size: int, what: str, *, recorded: bool = False, decodes: int = 1) -> T:
    """Run *decode* (of *size* input bytes) and check the work it charged, whether it returns or refuses.

    *decodes* is how many whole decodes of the input the call may make (each
    held to the per-decode bound).  With *recorded*, a decode that returns
    must have reported its work (``Meter.calls > 0``): an unmetered path
    would make the bound vacuous.
    """
    with measure() as meter:
        try:
            value = decode()
        finally:
            if meter.work > decodes * (WORK_PER_BYTE * size + WORK_FLOOR):
                raise Broken(f"{what}: {meter.work} units of work for {size} bytes of input")
    if recorded and meter.calls == 0:
        raise Broken(f"{what}: accepted without reporting its work to syncml._meter")
    return value


def check_size(value: object, size: int, what: str) -> None:
    """A value decoded from *size* bytes is at most linear in them."""
    measured = model_size(value)
    if measured.total > SIZE_PER_BYTE * size + SIZE_FLOOR:
        raise Broken(f"{what}: {measured.characters} characters and {measured.nodes} nodes decoded from {size} bytes")


def parse_bounded(data: bytes, *, strict: bool = False, keep_unknown: bool = False) -> m.SyncML:
    """``syncml.parse`` under the resource invariants."""
    decode = partial(syncml.parse, data, strict=strict, keep_unknown=keep_unknown)
    msg = metered(decode, len(data), "parse", recorded=True)
    check_size(msg, len(data), "parse")
    return msg


def parse_commands_bounded(data: bytes, *, strict: bool = False, keep_unknown: bool = False) -> syncml.Commands:
    """``syncml.parse_commands`` under the resource invariants."""
    decode = partial(syncml.parse_commands, data, strict=strict, keep_unknown=keep_unknown)
    commands = metered(decode, len(data), "parse_commands", recorded=True)
    check_size(commands, len(data), "parse_commands")
    return commands


#: (strict, keep_unknown) combinations every XML input goes through: the
#: lenient default a server uses, the strict mode, and keeping unknown elements.
MODES: tuple[tuple[bool, bool], ...] = ((False, False), (True, False), (False, True))


def check_parse(data: bytes) -> None:
    """``parse`` returns or raises SyncMLError; if it returns, ``parse(serialize(m)) == m``."""
    for strict, keep_unknown in MODES:
        try:
            msg = parse_bounded(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        mode = f"strict={strict}, keep_unknown={keep_unknown}"
        try:
            again = parse_bounded(syncml.serialize(msg), keep_unknown=keep_unknown)
        except syncml.SyncMLError as exc:
            raise Broken(f"an accepted message did not serialize and read back ({mode}): {exc}") from exc
        if again != msg:
            raise Broken(f"round trip changed the model ({mode})")


def check_parse_commands(data: bytes) -> None:
    """``parse_commands`` returns or raises SyncMLError; if it returns, the commands round-trip."""
    for strict, keep_unknown in MODES:
        try:
            commands = parse_commands_bounded(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        mode = f"strict={strict}, keep_unknown={keep_unknown}"
        try:
            again = parse_commands_bounded(syncml.serialize_commands(commands), keep_unknown=keep_unknown)
        except syncml.SyncMLError as exc:
            raise Broken(f"accepted commands did not serialize and read back ({mode}): {exc}") from exc
        if again != commands:
            raise Broken(f"round trip changed the commands ({mode})")


def check_decode_tool(data: bytes) -> None:
    """``syncml-decode`` returns lines or raises SyncMLError, within the resource bounds.

    It runs the tool's whole pipeline: detection (HTTP, logs and transcripts,
    base64/hex/xxd), decoding with its second tries, tree, JSON, transcript.
    """
    for strict, findings in ((False, True), (True, False)):
        try:
            lines = metered(partial(_lines, data, strict, findings), len(data), "decode_to_lines", decodes=TOOL_DECODES)
        except syncml.SyncMLError:
            continue
        if not all(isinstance(line, str) for line in lines):
            raise Broken("decode_to_lines yielded something that is not a str")
        # The tool tries a message, then a fragment: two decodes' worth.
        check_size(lines, len(data) * 2, "decode_to_lines")


def _lines(data: bytes, strict: bool, findings: bool) -> list[str]:
    return list(decode_to_lines(data, strict=strict, findings=findings))


def check_wbxml(data: bytes) -> None:
    """WBXML ``parse`` returns or raises SyncMLError; a returned model round-trips as WBXML, its XML form is stable.

    XML has no binary: ``Opaque`` data is written as base64 text with Meta
    Format b64 (docs/wbxml.md), so the XML form reads back as that text, and
    what is checked on the XML side is that writing it again gives the same bytes.
    """
    if not is_wbxml(data):
        return  # the XML harnesses cover the rest
    for strict, keep_unknown in MODES:
        try:
            msg = parse_bounded(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        mode = f"strict={strict}, keep_unknown={keep_unknown}"
        try:
            again = parse_bounded(syncml.serialize(msg, wbxml=True), keep_unknown=keep_unknown)
            xml = syncml.serialize(msg)
            xml_again = syncml.serialize(parse_bounded(xml, keep_unknown=keep_unknown))
        except syncml.SyncMLError as exc:
            raise Broken(f"an accepted WBXML message did not read back ({mode}): {exc}") from exc
        if again != msg:
            raise Broken(f"WBXML round trip changed the model ({mode})")
        if xml_again != xml:
            raise Broken(f"the XML form of a WBXML message is not stable ({mode})")


def check_wbxml_agreement(data: bytes) -> None:
    """XML -> model -> WBXML -> model: what the XML decoder accepts, WBXML carries unchanged (same mode)."""
    if is_wbxml(data):
        return
    for strict, keep_unknown in MODES:
        try:
            msg = parse_bounded(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        mode = f"strict={strict}, keep_unknown={keep_unknown}"
        try:
            again = parse_bounded(syncml.serialize(msg, wbxml=True), strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError as exc:
            raise Broken(f"an accepted XML message did not travel as WBXML ({mode}): {exc}") from exc
        if again != msg:
            raise Broken(f"XML and WBXML disagree on the model ({mode})")


def check_validate(data: bytes) -> None:
    """``validate`` accepts exactly what ``parse(strict=True)`` accepts; both refuse only with SyncMLError."""
    if is_wbxml(data):
        return  # the XSDs describe XML
    try:
        parse_bounded(data, strict=True)
        parsed = True
    except syncml.SyncMLError:
        parsed = False
    try:
        syncml.validate(data)
        valid = True
    except syncml.SchemaError:
        valid = False
    if parsed != valid:
        raise Broken(
            f"strict parse {'accepts' if parsed else 'refuses'} what validate {'accepts' if valid else 'refuses'}"
        )


#: Separates the device's messages in one server-session input.
NEXT_MESSAGE = b"\n--next-message--\n"
_GET = m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri="./DevDetail/SwV")),))


def serve(requests: list[bytes]) -> list[int]:
    """An in-process MDM endpoint on :class:`syncml.server.ServerSession`: one session, one request per message.

    Returns the HTTP status of each answer.  A message the library refuses
    is answered with the error's status (a server would send it and drop the
    session).  Every reply must read back; while the device's messages are
    valid (strictly), so must the replies be (the session echoes header
    values such as VerProto, so a device's garbage may come back to it).
    """
    session = syncml.server.ServerSession()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    answered: list[int] = []
    valid = True
    for body in requests:
        try:
            events = metered(partial(session.receive, body, now=now), len(body), "ServerSession.receive")
            if any(isinstance(event, SessionStarted) for event in events):
                session.send(_GET)
            reply = session.reply()
        except syncml.SyncMLError as exc:
            answered.append(int(getattr(exc, "status", 0) or 500))
            break
        valid = valid and _strictly_valid(body)
        try:
            syncml.parse(reply, strict=valid)
        except syncml.SyncMLError as exc:
            raise Broken(f"the session's own reply does not parse (strict={valid}): {exc}") from exc
        answered.append(200)
        if session.state is not syncml.server.SessionState.AWAITING_MESSAGE:
            break
        now += timedelta(seconds=1)
    return answered


def _strictly_valid(body: bytes) -> bool:
    try:
        syncml.parse(body, strict=True)
    except syncml.SyncMLError:
        return False
    return True


def check_server_session(data: bytes) -> None:
    """Any sequence of device messages ends in replies that parse strictly, or in a SyncMLError the server answers."""
    serve(data.split(NEXT_MESSAGE)[:4])


#: Harness name (its file is ``fuzz/fuzz_<name>.py``, its crashes ``fuzz/crashes/<name>/``) -> invariant.
INVARIANTS: dict[str, Callable[[bytes], None]] = {
    "parse": check_parse,
    "parse_commands": check_parse_commands,
    "decode_tool": check_decode_tool,
    "structured": check_parse,
    "wbxml": check_wbxml,
    "wbxml_agreement": check_wbxml_agreement,
    "validate": check_validate,
    "server_session": check_server_session,
}
