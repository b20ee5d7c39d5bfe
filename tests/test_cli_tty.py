"""syncml-decode run the way a person runs it: in a terminal (colours), from a pipe, with files."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

INPUTS = Path(__file__).resolve().parent / "cli_golden" / "inputs"
ESC = b"\x1b["


def _environment(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _in_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run the tool with stdout and stderr on a pseudo-terminal; its exit status and what it wrote."""
    main, child = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "syncml", *args], stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=env
        )
    finally:
        os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=60), b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colours_on_a_terminal() -> None:
    code, out = _in_terminal([str(EXAMPLES / "server-status-407-chal.xml")], _environment())
    assert code == 0
    assert ESC + b"1mSyncML" + ESC + b"0m" in out  # names in bold
    assert ESC + b"31m407 credentials missing" + ESC + b"0m" in out  # a failure in red
    assert b"Status" in out.replace(ESC + b"1m", b"").replace(ESC + b"0m", b"")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(("args", "env"), [(["--no-color"], {}), ([], {"NO_COLOR": "1"})])
def test_no_colour_when_asked(args: list[str], env: dict[str, str]) -> None:
    code, out = _in_terminal([*args, str(EXAMPLES / "server-status-407-chal.xml")], _environment(**env))
    assert code == 0
    assert b"407 credentials missing" in out
    assert ESC not in out


def test_no_colour_when_piped_and_stdin_from_a_pipe() -> None:
    data = (INPUTS / "first.b64").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "syncml", "-"],
        input=data,
        capture_output=True,
        check=False,
        timeout=60,
        env=_environment(),
    )
    assert done.returncode == 0
    assert done.stdout.startswith(b"== <stdin>  (base64, WBXML)\nSyncML 1.2 (DM/1.2)  SessionID 2F")
    assert ESC not in done.stdout


def test_several_files_from_the_shell(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "syncml", "--check", "first.b64", "second.b64url"],
        capture_output=True,
        check=False,
        timeout=60,
        cwd=INPUTS,
        env=_environment(),
    )
    assert done.returncode == 0, done.stderr
    assert b"Transcript: 2 messages, 3 answers matched to their commands" in done.stdout
    assert done.stdout.rstrip().endswith(b"Findings: none")


def test_binary_output_refused_on_a_terminal() -> None:
    code, out = _in_terminal(["--format", "wbxml", str(EXAMPLES / "server-get-devdetail.xml")], _environment())
    assert code == 2
    assert b"binary output: redirect it to a file or a pipe" in out
