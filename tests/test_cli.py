"""syncml-decode: readable tree on success, one line and exit 1 on bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from syncml._cli import main

from .conftest import EXAMPLES


def run(args: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        code = main(args)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_decodes_the_readme_example() -> None:
    code, out, err = run([str(EXAMPLES / "client-unenroll-request.xml")])
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "SyncML 1.2 (DM/1.2)  SessionID 7  MsgID 1"
    assert "  Alert #3  1226 generic alert" in lines
    assert "      Meta    format=int type=com.microsoft:mdm.unenrollment.userrequest" in lines
    assert "      Source  ./DevInfo/Man" in lines
    assert lines[-1] == "  Final"


def test_status_codes_and_refs_are_explained() -> None:
    code, out, _ = run([str(EXAMPLES / "server-status-407-chal.xml")])
    assert code == 0
    assert "  Status #1  SyncHdr CmdRef=0 MsgRef=1" in out
    assert "-> 407 credentials missing" in out


def test_nested_commands_and_data_forms() -> None:
    _, out, _ = run([str(EXAMPLES / "server-sequence-confirm.xml")])
    assert "  Sequence #1\n    Alert #2  1101 user interaction: confirm or reject" in out
    _, out, _ = run([str(EXAMPLES / "server-replace-admx-markup.xml")])
    assert "Data    markup <Enabled/>" in out
    _, out, _ = run([str(EXAMPLES / "server-add-cdata-policy.xml")])
    assert "Data    CDATA <enabled/>" in out


def test_fragments_are_decoded_too() -> None:
    code, out, _ = run([str(EXAMPLES / "fragment-profile-commands.xml")])
    assert code == 0
    assert out.splitlines()[:2] == ["fragment: 2 command(s)", "Replace #1"]


def test_reads_standard_input_and_lists_quirks() -> None:
    data = (EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"syncml:metinf", b"syncml:metinfo")
    code, out, _ = run(["-"], data)
    assert code == 0
    assert "Quirks tolerated:" in out
    assert "metinf-namespace" in out


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"<html><body>502</body></html>",
            "not a SyncML message: the root element is <html> - at html (line 1, column 1)",
        ),
        (b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>", "malformed XML"),
        (b"", "empty input"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(data: bytes, expected: str) -> None:
    code, out, err = run(["-"], data)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("syncml-decode: <stdin>: ")
    assert expected in err
    assert "Traceback" not in err


def test_strict_flag(tmp_path: Path) -> None:
    path = tmp_path / "quirky.xml"
    path.write_bytes((EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"<CmdID>2<", b"<CmdID> 2 <"))
    assert run([str(path)])[0] == 0
    code, _, err = run(["--strict", str(path)])
    assert code == 1
    assert "whitespace" in err


def test_missing_file() -> None:
    code, _, err = run(["/nonexistent/message.xml"])
    assert code == 1
    assert err.strip() == "syncml-decode: /nonexistent/message.xml: No such file or directory"


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "syncml", str(EXAMPLES / "server-get-devdetail.xml")],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0
    assert b"Get #3" in done.stdout


def test_check_lists_findings() -> None:
    code, out, _ = run(["--check", str(EXAMPLES / "client-unenroll-request.xml")])
    assert code == 0
    assert out.rstrip().endswith("Findings: none")
    data = (EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"<CmdID>3</CmdID>", b"<CmdID>2</CmdID>")
    code, out, _ = run(["--check", "-"], data)
    assert code == 0
    findings = out.split("Findings:\n", 1)[1]
    assert "duplicate" in findings.lower()


def test_base64_and_hex_input(tmp_path: Path) -> None:
    import base64

    import syncml

    msg = syncml.parse((EXAMPLES / "client-unenroll-request.xml").read_bytes())
    wbxml = syncml.serialize(msg, wbxml=True)
    (tmp_path / "m.b64").write_text(base64.b64encode(wbxml).decode() + "\n")
    (tmp_path / "m.hex").write_text(wbxml.hex(" "))
    for flag, name in (("--base64", "m.b64"), ("--hex", "m.hex")):
        code, out, _ = run([flag, str(tmp_path / name)])
        assert code == 0
        assert out.splitlines()[:2] == ["encoding: WBXML 1.3", "SyncML 1.2 (DM/1.2)  SessionID 7  MsgID 1"]
    code, _, err = run(["--base64", "-"], b"not base64!")
    assert code == 1
    assert "input is not base64" in err
