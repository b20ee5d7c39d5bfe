"""Golden output of syncml-decode: for each input kind and output format, stdout, stderr and exit status.

The inputs (``tests/cli_golden/inputs``, made by ``make_inputs.py``) are of
our own writing; each expected file holds the command, its exit status, its
stdout and its stderr.  After a deliberate change of output, accept it with
``SYNCML_UPDATE_GOLDEN=1 pytest tests/test_cli_golden.py`` and read the diff.
The quirky files of the shared corpus are checked by what they must show
(their text is not copied here).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from syncml._cli import main

HERE = Path(__file__).resolve().parent / "cli_golden"
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"

#: (case name, arguments); the case's expected output is EXPECTED/<name>.txt.
CASES: list[tuple[str, list[str]]] = [
    ("xml", ["bom-leading-space.xml"]),
    ("utf16", ["utf16.xml"]),
    ("wrong-encoding", ["wrong-encoding.xml"]),
    ("wbxml", ["first.wbxml"]),
    ("base64", ["first.b64"]),
    ("base64url", ["second.b64url"]),
    ("hex", ["first.hex"]),
    ("xxd", ["first.xxd"]),
    ("hexdump", ["first.hexdump"]),
    ("http", ["exchange.http"]),
    ("html-report", ["report.html"]),
    ("log-transcript", ["session.log"]),
    ("log-fragment", ["profile.txt"]),
    ("empty-synchdr", ["empty-synchdr.xml"]),
    ("check-clean", ["--check", "session.log"]),
    ("check-broken", ["--check", "broken-session.log"]),
    ("several-files", ["first.b64", "second.b64url"]),
    ("show-secrets", ["--show-secrets", "first.xxd"]),
    ("format-xml", ["--format", "xml", "exchange.http"]),
    ("format-json", ["--format", "json", "first.hex"]),
    ("format-wbxml", ["--format", "wbxml", "--show-secrets", "first.b64"]),
    ("format-raw", ["--format", "raw", "--show-secrets", "second.b64url"]),
    ("error-quotes", ["html-quotes.xml"]),
    ("repair-quotes", ["--repair-quotes", "html-quotes.xml"]),
    ("error-unknown", ["unknown-element.xml"]),
    ("keep-unknown", ["--keep-unknown", "unknown-element.xml"]),
    ("error-truncated", ["truncated.xml"]),
]


def _run(args: list[str]) -> str:
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
    data = raw.getvalue()
    try:
        stdout = data.decode("utf-8")
    except UnicodeDecodeError:  # binary output: shown as hex, 32 bytes a line
        stdout = "".join(data[i : i + 32].hex(" ") + "\n" for i in range(0, len(data), 32))
    return f"$ syncml-decode {' '.join(args)}\n[exit {code}]\n{stdout}--- stderr\n{err.getvalue()}"


@pytest.mark.parametrize(("name", "args"), CASES, ids=[name for name, _ in CASES])
def test_golden_output(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INPUTS)
    monkeypatch.delenv("NO_COLOR", raising=False)
    got = _run(args)
    expected = EXPECTED / f"{name}.txt"
    if os.environ.get("SYNCML_UPDATE_GOLDEN"):
        EXPECTED.mkdir(exist_ok=True)
        expected.write_text(got)
    assert got == expected.read_text()


def test_every_input_has_a_case() -> None:
    used = {arg for _, args in CASES for arg in args}
    assert {p.name for p in INPUTS.iterdir()} <= used


def test_no_stale_expected_files() -> None:
    assert {p.stem for p in EXPECTED.glob("*.txt")} == {name for name, _ in CASES}


# --- the shared corpus: what each quirky file must show -----------------------------------

#: (file, extra arguments, exit status, texts stdout+stderr must contain)
CORPUS_CASES: list[tuple[str, list[str], int, list[str]]] = [
    (
        "msiot-issue84-local-mdm-api-response-utf16-decl-empty-synchdr.xml",
        [],
        0,
        ["SyncML 1.2  <SyncHdr/> (empty", "Status #2  405", "empty-synchdr: an empty <SyncHdr/>", "wrong-encoding"],
    ),
    (
        "msdocs-unenroll-first-package-generic-alert-quirky-sample.xml",
        [],
        2,
        ["hint: looks like HTML-escaped or typographic quotes: try --repair-quotes"],
    ),
    (
        "msdocs-unenroll-first-package-generic-alert-quirky-sample.xml",
        ["--repair-quotes"],
        0,
        ["the user asked to unenroll", "metinf-namespace"],
    ),
    ("omadm12-spec-auth-md5-pkg2-server-chal-nextnonce-212.xml", ["--repair-quotes"], 0, ["NextNonce=[masked: "]),
    ("omadm12-spec-auth-basic-pkg2-server-chal-407.xml", [], 2, ["try --repair-quotes"]),
    ("libwbxml-syncml-014-ds11-cdata-in-data.xml", [], 2, ["<Sync> is missing <CmdID>"]),
    ("libwbxml-syncml-014-ds11-cdata-in-data.xml", ["--keep-unknown"], 2, ["<Sync> is missing <CmdID>"]),
    ("syncmlviewer-SyncML-Examples-replace-syncbody-only.txt", [], 0, ["byte order mark", "fragment:"]),
    ("msdocs-aad-usertoken-alert-1224-prose-in-block-ns-trailing-space.txt", [], 2, [".txt:"]),
    ("fleet-poc-dump-client-unenroll-generic-alert-1226-userrequest.xml", [], 0, ["the user asked to unenroll"]),
    ("mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml", [], 0, ["Cred    ", "[masked: "]),
    ("msdocs-admx-enable-appv-unescaped-xml-in-data-unqualified-meta.xml", [], 0, ["markup, "]),
]


@pytest.mark.parametrize(("name", "args", "status", "texts"), CORPUS_CASES)
def test_corpus_file(
    name: str, args: list[str], status: int, texts: list[str], corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus_dir)
    got = _run([*args, name])
    assert f"[exit {status}]" in got
    for text in texts:
        assert text in got
    assert "Traceback" not in got


def test_every_corpus_file_decodes_or_explains(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus_dir)
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in (".xml", ".txt"):
            continue
        got = _run([path.name])
        assert "[exit 0]" in got or ("[exit 2]" in got and f"syncml-decode: {path.name}" in got), got
        assert "internal error" not in got
