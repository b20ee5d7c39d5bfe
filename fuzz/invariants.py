"""The promises the fuzz harnesses check, one function per harness, without atheris.

Each function takes the raw input and returns normally when the promise held.
Refusing the input with :class:`syncml.SyncMLError` is a kept promise; any
other exception escaping, or an accepted value that does not read back equal,
is a broken one (:class:`Broken`, or the stray exception itself).  The atheris
harnesses call these, and ``tests/test_fuzz_crashes.py`` replays every saved
crash input through them, so a crash and its regression test check the same
thing.
"""

from __future__ import annotations

from collections.abc import Callable

import syncml
from syncml._cli import decode_to_lines


class Broken(AssertionError):
    """An accepted input whose model does not survive a round trip."""


#: (strict, keep_unknown) combinations every XML input goes through: the
#: lenient default a server uses, the strict mode, and keeping unknown elements.
MODES: tuple[tuple[bool, bool], ...] = ((False, False), (True, False), (False, True))


def check_parse(data: bytes) -> None:
    """``parse`` returns or raises SyncMLError; if it returns, ``parse(serialize(m)) == m``."""
    for strict, keep_unknown in MODES:
        try:
            msg = syncml.parse(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        mode = f"strict={strict}, keep_unknown={keep_unknown}"
        try:
            again = syncml.parse(syncml.serialize(msg), keep_unknown=keep_unknown)
        except syncml.SyncMLError as exc:
            raise Broken(f"an accepted message did not serialize and read back ({mode}): {exc}") from exc
        if again != msg:
            raise Broken(f"round trip changed the model ({mode})")


def check_parse_commands(data: bytes) -> None:
    """``parse_commands`` returns or raises SyncMLError; if it returns, the commands round-trip."""
    for strict, keep_unknown in MODES:
        try:
            commands = syncml.parse_commands(data, strict=strict, keep_unknown=keep_unknown)
        except syncml.SyncMLError:
            continue
        mode = f"strict={strict}, keep_unknown={keep_unknown}"
        try:
            again = syncml.parse_commands(syncml.serialize_commands(commands), keep_unknown=keep_unknown)
        except syncml.SyncMLError as exc:
            raise Broken(f"accepted commands did not serialize and read back ({mode}): {exc}") from exc
        if again != commands:
            raise Broken(f"round trip changed the commands ({mode})")


def check_decode_tool(data: bytes) -> None:
    """``syncml-decode``'s input detection returns lines or raises SyncMLError."""
    for strict in (False, True):
        try:
            lines = list(decode_to_lines(data, strict=strict))
        except syncml.SyncMLError:
            continue
        if not all(isinstance(line, str) for line in lines):
            raise Broken("decode_to_lines yielded something that is not a str")


#: Harness name (its file is ``fuzz/fuzz_<name>.py``, its crashes ``fuzz/crashes/<name>/``) -> invariant.
INVARIANTS: dict[str, Callable[[bytes], None]] = {
    "parse": check_parse,
    "parse_commands": check_parse_commands,
    "decode_tool": check_decode_tool,
    "structured": check_parse,
}
