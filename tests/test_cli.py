"""syncml-decode: what a person sees, and the exit status, for each kind of input and flag."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

import syncml
from syncml._cli import decode_to_lines, main

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
INPUTS = Path(__file__).resolve().parent / "cli_golden" / "inputs"


@pytest.fixture(autouse=True)
def _in_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named as a person types them, relative to where the tool runs."""
    monkeypatch.chdir(INPUTS)


def run_bytes(args: list[str], stdin: bytes = b"") -> tuple[int, bytes, str]:
    """Exit status, every byte written to stdout (text or binary), and stderr."""
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        code = main(args)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
        out.flush()
        out.detach()
    return code, raw.getvalue(), err.getvalue()


def run(args: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    code, out, err = run_bytes(args, stdin)
    return code, out.decode("utf-8", "replace"), err


# --- one message -----------------------------------------------------------------


def test_decodes_the_readme_example() -> None:
    code, out, err = run([str(EXAMPLES / "client-unenroll-request.xml")])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "SyncML 1.2 (DM/1.2)  SessionID 7  MsgID 1  client -> server"
    assert "  Alert #3  1226 generic alert" in lines
    assert "      Meta    format=int type=com.microsoft:mdm.unenrollment.userrequest" in lines
    assert "      Source  ./DevInfo/Man" in lines
    assert any("the user asked to unenroll" in line for line in lines)
    assert any(line.startswith("DevInfo DevId=") for line in lines)


def test_status_codes_refs_and_challenge_are_explained() -> None:
    code, out, _ = run([str(EXAMPLES / "server-status-407-chal.xml")])
    assert code == 0
    assert "  Status #1  407 credentials missing for SyncHdr of message 1" in out
    assert "  Status #2  407 credentials missing for Alert #1 in message 1" in out
    assert re.search(r"Chal    format=b64 type=syncml:auth-md5 NextNonce=\[masked: \d+ bytes\]", out)


def test_unenroll_exec_is_called_out() -> None:
    _, out, _ = run([str(EXAMPLES / "server-unenroll-exec.xml")])
    assert "Exec #2  ./Vendor/MSFT/DMClient/Provider/Example MDM/Unenroll: server-initiated unenrollment" in out


def test_nested_commands_and_data_forms() -> None:
    _, out, _ = run([str(EXAMPLES / "server-sequence-confirm.xml")])
    assert "  Sequence #1\n    Alert #2  1101 user interaction: confirm or reject" in out
    _, out, _ = run([str(EXAMPLES / "server-replace-admx-markup.xml")])
    assert "Data    markup, " in out
    assert "<Enabled/>" in out
    _, out, _ = run([str(EXAMPLES / "server-add-cdata-policy.xml")])
    assert "<enabled/>" in out


def test_long_data_is_shortened_with_its_length_and_b64_decoded() -> None:
    msg = syncml.parse((EXAMPLES / "server-get-devdetail.xml").read_bytes())
    wbxml = syncml.serialize(msg, wbxml=True)
    item = syncml.Item(
        target=syncml.Target(loc_uri="./Vendor/MSFT/Example/Blob"),
        meta=syncml.Meta(format="b64"),
        data=base64.b64encode(wbxml).decode(),
    )
    long_item = syncml.Item(target=syncml.Target(loc_uri="./Vendor/MSFT/Example/Long"), data="x" * 500)
    replace = syncml.Replace(cmd_id="9", items=(item, long_item))
    bigger = syncml.SyncML(header=msg.header, body=syncml.SyncBody(commands=(replace,), final=True))
    code, out, _ = run(["-"], syncml.serialize(bigger))
    assert code == 0
    assert f"b64, {len(wbxml)} bytes decoded" in out
    assert "WBXML inside, decoded:" in out
    assert "Get #3" in out  # the nested message's command
    assert "... (500 characters)" in out


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


def test_kept_unknown_elements_are_shown_as_such() -> None:
    path = Path("unknown-element.xml")
    code, out, err = run([str(path)])
    assert code == 2
    assert "hint: unknown element <Frobnicate>: try --keep-unknown" in err
    code, out, err = run(["--keep-unknown", str(path)])
    assert (code, err) == (0, "")
    assert "Unknown <Frobnicate> (kept by --keep-unknown" in out


# --- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<html><body>502</body></html>", "the root element is <html>"),
        (b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>", "malformed XML"),
        (b"", "empty input"),
        (b"\x02\xa4\x01", "WBXML"),
        (b"just some text", "no SyncML here"),
    ],
)
def test_bad_input_is_an_error_line_and_exit_2(data: bytes, expected: str) -> None:
    code, out, err = run(["-"], data)
    assert code == 2
    assert err.startswith("syncml-decode: <stdin>")
    assert expected in err
    assert "Traceback" not in err + out


def test_html_page_gets_a_hint() -> None:
    _, _, err = run(["-"], b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    assert "hint: this is an HTML page" in err


def test_quotes_hint_then_repair() -> None:
    path = Path("html-quotes.xml")
    code, _, err = run([str(path)])
    assert code == 2
    assert "hint: looks like HTML-escaped or typographic quotes: try --repair-quotes" in err
    code, out, _ = run(["--repair-quotes", str(path)])
    assert code == 0
    assert "note: repaired quotes" in out


def test_truncated_message_shows_what_was_understood() -> None:
    code, out, err = run(["truncated.xml"])
    assert code == 2
    assert out.startswith("understood before the error:\n")
    assert "    Get #4" in out
    assert "Get #5" not in out
    assert "(line 46, column 12)" in err


def test_strict_flag_and_its_hint(tmp_path: Path) -> None:
    path = tmp_path / "quirky.xml"
    path.write_bytes((EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"<CmdID>2<", b"<CmdID> 2 <"))
    assert run([str(path)])[0] == 0
    code, _, err = run(["--strict", str(path)])
    assert code == 2
    assert "whitespace" in err
    assert "hint: the default lenient mode decodes it" in err


def test_missing_file_and_other_files_still_decoded() -> None:
    code, out, err = run(["/nonexistent/message.xml", str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 2
    assert "syncml-decode: /nonexistent/message.xml: No such file or directory" in err
    assert "Get #3" in out


def test_error_inside_a_log_names_the_line_of_the_log(tmp_path: Path) -> None:
    bad = (EXAMPLES / "server-get-devdetail.xml").read_bytes().replace(b"<Final/>", b"<Field/><Final/>")
    log = tmp_path / "server.log"
    log.write_bytes(b"line one\nline two: " + bad)
    code, _, err = run([str(log)])
    assert code == 2
    first_error_line = next(i for i, text in enumerate(log.read_bytes().splitlines(), 1) if b"<Field/>" in text)
    where = f"at SyncML/SyncBody/Field (line {first_error_line}"
    assert f"server.log:2: unknown element <Field> in <SyncBody> - {where}" in err


def test_max_size_is_read_as_a_number() -> None:
    code, _, err = run(["--max-size", "1_000", str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 2
    assert "--max-size" in err
    code, _, err = run(["--max-size", "100", str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 2
    assert "413" in err or "limit" in err


def test_internal_error_is_one_line_unless_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    import syncml._cli as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "find_messages", broken)
    code, _, err = run([str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 2
    assert err == "syncml-decode: internal error RuntimeError: boom (--debug shows where)\n"
    code, _, err = run(["--debug", str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 2
    assert "Traceback" in err


# --- secrets ---------------------------------------------------------------------------


def test_secrets_are_masked_unless_asked() -> None:
    path = EXAMPLES / "client-session-start-md5.xml"
    _, out, _ = run([str(path)])
    assert "bm90IGEgcmVhbCBkaWdlc3Q=" not in out
    assert "Cred    syncml:auth-md5 b64  [masked: 24 bytes]" in out
    _, out, _ = run(["--show-secrets", str(path)])
    assert "bm90IGEgcmVhbCBkaWdlc3Q=" in out
    for fmt in ("xml", "json"):
        _, out, _ = run(["--format", fmt, str(path)])
        assert "bm90IGEgcmVhbCBkaWdlc3Q=" not in out
        assert "[masked: 24 bytes]" in out


def test_tokens_in_data_are_masked() -> None:
    code, out, _ = run(["session.log"])
    assert code == 0
    assert "eyJhbGciOi" not in out
    assert "com.microsoft/MDM/AADUserToken data=[masked: 56 bytes]" in out
    bearer = syncml.Item(target=syncml.Target(loc_uri="./Vendor/MSFT/Example/Auth"), data="Bearer abc.def")
    msg = syncml.parse((EXAMPLES / "server-get-devdetail.xml").read_bytes())
    with_bearer = syncml.SyncML(
        header=msg.header,
        body=syncml.SyncBody(commands=(syncml.Replace(cmd_id="4", items=(bearer,)),), final=True),
    )
    _, out, _ = run(["-"], syncml.serialize(with_bearer))
    assert "abc.def" not in out
    assert "[masked: 14 bytes]" in out


def test_raw_output_refuses_secrets_without_show_secrets() -> None:
    path = "first.b64"
    code, _, err = run(["--format", "raw", path])
    assert code == 2
    assert "--show-secrets" in err
    code, raw, _ = run_bytes(["--format", "raw", "--show-secrets", path])
    assert code == 0
    assert raw == (INPUTS / "first.wbxml").read_bytes()


# --- output formats ------------------------------------------------------------------------


def test_format_xml_is_pretty_and_reads_back() -> None:
    code, out, _ = run(["--format", "xml", "--show-secrets", "first.xxd"])
    assert code == 0
    assert out.startswith('<SyncML xmlns="SYNCML:SYNCML1.2">\n  <SyncHdr>')
    assert syncml.parse(out.encode()) == syncml.parse((INPUTS / "first.wbxml").read_bytes())


def test_format_xml_of_several_messages_labels_each() -> None:
    code, out, _ = run(["--format", "xml", "session.log"])
    assert code == 0
    assert out.count("<!-- session.log:") == 4


def test_format_wbxml_writes_one_message() -> None:
    code, raw, _ = run_bytes(["--format", "wbxml", "--show-secrets", str(EXAMPLES / "client-unenroll-request.xml")])
    assert code == 0
    assert syncml.parse(raw) == syncml.parse((EXAMPLES / "client-unenroll-request.xml").read_bytes())
    code, _, err = run(["--format", "wbxml", "session.log"])
    assert code == 2
    assert "one whole message; 4 found" in err


def test_format_json_is_read_back(tmp_path: Path) -> None:
    code, out, _ = run(["--format", "json", "--show-secrets", "exchange.http"])
    assert '"where": "exchange.http:71"' in out
    assert code == 0
    saved = tmp_path / "exchange.json"
    saved.write_text(out)
    code, again, _ = run(["--format", "json", "--show-secrets", str(saved)])
    assert (code, again) == (0, out)
    code, tree, _ = run([str(saved)])
    assert code == 0
    assert "== message 2 of 2: exchange.http:71" in tree


def test_bad_json_is_a_decode_error() -> None:
    code, _, err = run(["-"], b'{"format": "syncml-json", "version": 1, "messages": [{"where": "x", "message": {}}]}')
    assert code == 2
    assert "SyncML is missing 'header'" in err
    code, _, err = run(["-"], b'{"format": "syncml-json", "version": 1, "messages": ' + b"[" * 100_000)
    assert code == 2
    assert "Traceback" not in err


def test_version_and_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "syncml", "--version"], capture_output=True, check=False, timeout=60, text=True
    )
    assert (done.returncode, done.stdout) == (0, f"syncml-decode {syncml.__version__}\n")
    done = subprocess.run(
        [sys.executable, "-m", "syncml", "--help"], capture_output=True, check=False, timeout=60, text=True
    )
    assert done.returncode == 0
    assert "examples:" in done.stdout
    assert "exit status: 0 decoded, 1 decoded with findings (--check), 2 could not decode" in done.stdout


# --- several messages, --check --------------------------------------------------------------


def test_several_files_are_one_transcript() -> None:
    code, out, _ = run([str(EXAMPLES / "client-session-start-md5.xml"), str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 0
    assert "Transcript: 2 messages, 2 answers matched to their commands" in out


def test_check_lists_findings_and_sets_exit_1() -> None:
    code, out, _ = run(["--check", str(EXAMPLES / "client-unenroll-request.xml")])
    assert code == 0
    assert out.rstrip().endswith("Findings: none")
    data = (EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"<CmdID>3</CmdID>", b"<CmdID>2</CmdID>")
    code, out, _ = run(["--check", "-"], data)
    assert code == 1
    findings = out.split("Findings:\n", 1)[1]
    assert "cmdid-duplicate" in findings


def test_check_across_a_transcript() -> None:
    code, out, _ = run(["--check", "broken-session.log"])
    assert code == 1
    assert "answers no command: broken-session.log:65 Status #7 refers to CmdRef 9 of message 1" in out
    assert "unanswered: Replace #2 of message 1 (broken-session.log:3)" in out
    assert "MsgID: broken-session.log:132 has MsgID '3', 2 expected (client -> server)" in out
    assert "error status-ref" in out
    code, out, _ = run(["--check", "session.log"])
    assert code == 0
    assert out.rstrip().endswith("Findings: none")


def test_missing_1222_is_flagged(tmp_path: Path) -> None:
    first = (EXAMPLES / "client-session-start-md5.xml").read_bytes().replace(b"<Final/>", b"")
    second = (EXAMPLES / "server-get-devdetail.xml").read_bytes()
    (tmp_path / "a.xml").write_bytes(first)
    (tmp_path / "b.xml").write_bytes(second)
    _, out, _ = run([str(tmp_path / "a.xml"), str(tmp_path / "b.xml")])
    assert "1222 missing" in out


def test_schema_violations_are_findings() -> None:
    data = (EXAMPLES / "server-get-devdetail.xml").read_bytes().replace(b"<SessionID>1A<", b"<SessionID>1A2B3C<")
    code, out, _ = run(["--check", "-"], data)
    assert code == 1
    assert "session-id" in out


# --- the fuzz entry point and the rules of the code ------------------------------------------


def test_decode_to_lines_for_the_fuzz_harness() -> None:
    lines = list(decode_to_lines((INPUTS / "session.log").read_bytes(), findings=True))
    assert lines[0].startswith("SyncML 1.2")
    assert any(line.startswith("Transcript: 4 messages") for line in lines)
    with pytest.raises(syncml.SyncMLError):
        list(decode_to_lines(b"nothing here"))


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "syncml", str(EXAMPLES / "server-get-devdetail.xml")],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0
    assert b"Get #3" in done.stdout


def test_no_int_on_untrusted_text_in_the_tool() -> None:
    """Numbers from input go through syncml._numbers; int() is only for lengths the tool computes."""
    sources = [ROOT / "syncml" / "_cli.py", ROOT / "syncml" / "jsonform.py", *(ROOT / "syncml" / "_tool").glob("*.py")]
    for path in sources:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not re.search(r"(?<![\w.])int\(", line), f"{path.name}:{number}: {line.strip()}"


# --- DDF lint under --check (syncml.ddf, imported only when used) ------------------------------

_THING_DDF = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<MgmtTree><VerDTD>1.2</VerDTD>'
    "<Node><NodeName>Thing</NodeName><Path>./Vendor/Example</Path><DFProperties>"
    "<AccessType><Get/></AccessType><DFFormat><node/></DFFormat><DFType><DDFName/></DFType></DFProperties>"
    "<Node><NodeName>Level</NodeName><DFProperties><AccessType><Get/><Replace/></AccessType>"
    "<DFFormat><int/></DFFormat><DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>"
    "</Node></MgmtTree>"
)


def _replace_level(value: str) -> bytes:
    msg = syncml.parse((EXAMPLES / "server-get-devdetail.xml").read_bytes())
    item = syncml.Item(
        target=syncml.Target(loc_uri="./Vendor/Example/Thing/Level"), meta=syncml.Meta(format="int"), data=value
    )
    body = syncml.SyncBody(commands=(*msg.body.commands[:2], syncml.Replace(cmd_id="3", items=(item,))), final=True)
    return syncml.serialize(syncml.SyncML(header=msg.header, body=body))


def test_check_applies_the_ddf_catalog(tmp_path: Path) -> None:
    code, out, _ = run(["--check", "-"], _replace_level("3"))
    assert code == 1
    assert "<stdin>: ddf: " in out
    assert "./Vendor/Example/Thing/Level" in out
    ddf_file = tmp_path / "thing.xml"
    ddf_file.write_text(_THING_DDF)
    code, out, _ = run(["--check", "--ddf", str(ddf_file), "-"], _replace_level("3"))
    assert (code, out.rstrip().rsplit("\n", 1)[-1]) == (0, "Findings: none")
    code, out, _ = run(["--check", "--ddf", str(ddf_file), "-"], _replace_level("loud"))
    assert code == 1
    assert "ddf: error" in out


def test_ddf_zip_and_bad_ddf(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "ddf.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("v2/Thing.xml", _THING_DDF)
    code, out, _ = run(["--check", "--ddf", str(archive), "-"], _replace_level("3"))
    assert (code, out.rstrip().rsplit("\n", 1)[-1]) == (0, "Findings: none")
    broken = tmp_path / "broken.xml"
    broken.write_text("<MgmtTree>")
    code, _, err = run(["--check", "--ddf", str(broken), "-"], _replace_level("3"))
    assert code == 2
    assert err.startswith("syncml-decode: ")


def test_the_tool_works_without_syncml_ddf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "syncml.ddf", None)  # import syncml.ddf now raises ImportError
    monkeypatch.delattr(syncml, "ddf", raising=False)
    code, out, _ = run(["--check", "-"], _replace_level("3"))
    assert (code, out.rstrip().rsplit("\n", 1)[-1]) == (0, "Findings: none")
    code, _, err = run(["--check", "--ddf", "thing.xml", "-"], _replace_level("3"))
    assert code == 2
    assert "--ddf needs syncml.ddf" in err


# --- forced encodings, JSON edge cases, Results without MsgRef -------------------------------------


def test_forced_base64_and_hex() -> None:
    wbxml = (INPUTS / "first.wbxml").read_bytes()
    for flag, text in (("--base64", base64.b64encode(wbxml)), ("--hex", wbxml.hex(" ").encode())):
        code, out, _ = run([flag, "-"], text)
        assert code == 0
        assert "SessionID 2F  MsgID 1" in out
    code, _, err = run(["--base64", "-"], b"not base64!")
    assert code == 2
    assert "input is not base64" in err
    code, _, err = run(["--hex", "-"], b"abc")
    assert code == 2
    assert "input is not hex" in err


def test_json_that_no_message_can_hold() -> None:
    code, out, _ = run(["--format", "json", "--show-secrets", str(EXAMPLES / "server-get-devdetail.xml")])
    assert code == 0
    code, _, err = run(["-"], out.replace('"1A"', '"\\ud800"').encode())
    assert code == 2
    assert "lone surrogate" in err
    assert "$.messages[0].message.header.session_id" in err
    code, _, err = run(["--format", "xml", "-"], out.replace('"1A"', '"\\u0001"').encode())
    assert code == 2
    assert "cannot write it as XML" in err
    code, _, err = run(["-"], out.replace('"message":', '"other": 1, "message":').encode())
    assert code == 2
    assert 'each entry has "where" and "message" or "commands" - at $.messages[0]' in err


def test_results_without_msgref_answer_the_latest_message(tmp_path: Path) -> None:
    get = (EXAMPLES / "server-get-devdetail.xml").read_bytes()
    answer = (EXAMPLES / "client-status-results.xml").read_bytes()
    msg = syncml.parse(answer)
    results = [c for c in msg.body.commands if isinstance(c, syncml.Results)]
    assert results
    (tmp_path / "a.xml").write_bytes(get)
    (tmp_path / "b.xml").write_bytes(answer)
    _, with_ref, _ = run([str(tmp_path / "a.xml"), str(tmp_path / "b.xml")])
    without = answer.replace(b"<CmdID>3</CmdID>\n      <MsgRef>1</MsgRef>", b"<CmdID>3</CmdID>")
    assert without != answer
    (tmp_path / "b.xml").write_bytes(without)
    _, out, _ = run([str(tmp_path / "a.xml"), str(tmp_path / "b.xml")])
    summary = [line for line in out.splitlines() if line.startswith("Transcript:")]
    assert summary == [line for line in with_ref.splitlines() if line.startswith("Transcript:")]
    assert "answers no command" not in out


def test_a_larger_input_is_refused_unread(tmp_path: Path) -> None:
    code, _, err = run(["--max-size", "1000", "-"], b" " * 5000)
    assert code == 2
    assert "over the limit of 4000" in err


def test_wrong_forced_encoding_gets_a_hint_and_plain_text_is_no_syncml() -> None:
    code, out, err = run(["--hex", "first.b64"])
    assert (code, out) == (2, "")
    assert "hint: this is base64 of WBXML: drop --base64/--hex, the form is detected without them" in err
    code, out, err = run(["-"], b"GET /ping HTTP/1.1\r\nHost: example\r\n\r\n")
    assert (code, out) == (2, "")
    assert "no SyncML here" in err


def test_data_sync_commands_show_their_stores_and_id_pairs() -> None:
    _, out, _ = run([str(EXAMPLES / "ds-client-map.xml")])
    assert "  Map #4\n    Target  ./contacts\n    Source  contacts\n    MapItem g-7f3a <- 1003" in out
    _, out, _ = run([str(EXAMPLES / "ds-server-search-filter.xml")])
    assert "    Source  ./contacts\n    Source  ./archive" in out
