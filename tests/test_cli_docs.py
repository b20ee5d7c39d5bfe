"""docs/cli.md: every ``$ syncml-decode ...`` session on the page is run, and prints what the page shows.

Sessions run in tests/cli_golden/inputs.  What a terminal shows comes in
the order the tool writes it: stderr (notes and errors, written as they
arise) before stdout (written once at the end).  A session whose command
ends in ``; echo "exit status $?"`` shows its exit status on its last line.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path

import pytest

from syncml._cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
INPUTS = Path(__file__).resolve().parent / "cli_golden" / "inputs"
_STATUS = '; echo "exit status $?"'


def _sessions() -> list[tuple[str, str]]:
    """(command line, expected output) of each console block of the page."""
    blocks = re.findall(r"```console\n(.*?)```", PAGE.read_text(), flags=re.S)
    sessions = []
    for block in blocks:
        command, _, shown = block.partition("\n")
        assert command.startswith("$ syncml-decode "), command
        sessions.append((command[2:], shown))
    return sessions


SESSIONS = _sessions()


def _run(args: list[str]) -> tuple[int, str]:
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(args)
    finally:
        sys.stdout, sys.stderr = old
        out.flush()
        out.detach()
    return code, err.getvalue() + raw.getvalue().decode("utf-8")


def test_the_page_has_sessions() -> None:
    assert len(SESSIONS) >= 10


@pytest.mark.parametrize(("command", "shown"), SESSIONS, ids=[c for c, _ in SESSIONS])
def test_session(command: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INPUTS)
    monkeypatch.delenv("NO_COLOR", raising=False)
    with_status = command.endswith(_STATUS)
    args = shlex.split(command.removesuffix(_STATUS))[1:]
    code, text = _run(args)
    if with_status:
        text += f"exit status {code}\n"
    else:
        assert code == 0, text
    assert text == shown
