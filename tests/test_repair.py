"""The opt-in repair of documentation quote typos: what it changes, and what it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syncml
from syncml import strategies as sst
from syncml.repair import QuoteFix, repair_quotes

from .conftest import EXAMPLES

TABLE = [
    ("HTML-escaped single quotes", "<a x=&#39;v&#39;/>", '<a x="v"/>'),
    ("hex and named references", "<a x=&#x27;v&apos; y=&quot;w&#34;/>", '<a x="v" y="w"/>'),
    ("typographic quotes", "<a x=\u201cv\u201d y=\u2019w\u2019 z=\u201ev\u201c/>", '<a x="v" y="w" z="v"/>'),
    ("spaces around =", "<a xmlns = \u201dsyncml:metinf\u201d>t</a>", '<a xmlns = "syncml:metinf">t</a>'),
    ("attribute on the next line", "<a\n  x=\u2019v\u2019>", '<a\n  x="v">'),
    ("text is left alone", "<a>x=\u201cv\u201d &#39;q&#39;</a>", "<a>x=\u201cv\u201d &#39;q&#39;</a>"),
    ("comments are left alone", "<!-- <a x=\u201cv\u201d> --><a/>", "<!-- <a x=\u201cv\u201d> --><a/>"),
    ("CDATA is left alone", "<a><![CDATA[<b x=\u201cv\u201d>]]></a>", "<a><![CDATA[<b x=\u201cv\u201d>]]></a>"),
    ("only the opening quote is wrong", "<a x=\u201dv\" y=&#39;w'/>", '<a x="v" y="w"/>'),
    ("proper quotes are untouched", "<a x=\"v\" y='w'/>", "<a x=\"v\" y='w'/>"),
    ("a quote inside the value is not guessed at", '<a x=\u201cv"w\u201d/>', '<a x=\u201cv"w\u201d/>'),
]


@pytest.mark.parametrize(("name", "before", "after"), TABLE, ids=[row[0] for row in TABLE])
def test_repair_table(name: str, before: str, after: str) -> None:
    repaired = repair_quotes(before)
    assert repaired.data == after.encode("utf-8")
    assert len(repaired.fixes) == (0 if before == after else after.count('"') // 2 - before.count('"') // 2)
    assert repair_quotes(before.encode("utf-8")) == repaired


def test_fixes_say_where() -> None:
    repaired = repair_quotes("<a>\n<b\n x=&#39;1&#39;\n y=\u201c2\u201d/></a>")
    assert repaired.fixes == (
        QuoteFix(line=3, before="x=&#39;1&#39;", after='x="1"'),
        QuoteFix(line=4, before="y=\u201c2\u201d", after='y="2"'),
    )
    assert str(repaired.fixes[0]) == 'line 3: x=&#39;1&#39; -> x="1"'


def test_bytes_must_be_utf8() -> None:
    with pytest.raises(syncml.DecodeError, match="UTF-8"):
        repair_quotes(b"<a x=\xff/>")


@pytest.mark.parametrize(
    ("name", "fixes"),
    [
        ("msdocs-unenroll-first-package-generic-alert-quirky-sample.xml", 1),
        ("omadm12-spec-auth-basic-pkg2-server-chal-407.xml", 2),
        ("omadm12-spec-auth-md5-pkg2-server-chal-nextnonce-212.xml", 3),
    ],
)
def test_documentation_samples_parse_once_repaired(corpus_dir: Path, name: str, fixes: int) -> None:
    data = (corpus_dir / name).read_bytes()
    with pytest.raises(syncml.DecodeError):
        syncml.parse(data)
    repaired = repair_quotes(data)
    assert len(repaired.fixes) == fixes
    assert repaired.data.count(b"\n") == data.count(b"\n")
    assert syncml.parse(repaired.data).header.ver_proto == "DM/1.2"


def test_a_space_in_a_namespace_is_not_a_quote_typo(corpus_dir: Path) -> None:
    # The OMA MD5 example also writes 'syncml :metinf': no quote repair makes that a URI.
    repaired = repair_quotes((corpus_dir / "omadm12-spec-auth-md5-pkg1-client-cred-locname.xml").read_bytes())
    assert len(repaired.fixes) == 2
    with pytest.raises(syncml.DecodeError, match="not a valid URI"):
        syncml.parse(repaired.data)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.xml")), ids=lambda p: p.name)
def test_valid_messages_are_unchanged(path: Path) -> None:
    data = path.read_bytes()
    assert repair_quotes(data) == syncml.repair.Repaired(data=data)


@settings(max_examples=40)
@given(sst.messages(max_commands=3), st.booleans())
def test_repair_keeps_valid_messages_and_is_idempotent(message: syncml.SyncML, pretty: bool) -> None:
    """Invariants: a valid message comes back byte for byte; repairing twice changes nothing more."""
    data = syncml.serialize(message, pretty=pretty)
    once = repair_quotes(data)
    assert once.data == data
    assert once.fixes == ()
    broken = data.replace(b'xmlns="', "xmlns=\u201d".encode()).replace(b'metinf">', "metinf\u201d>".encode())
    fixed = repair_quotes(broken)
    assert syncml.parse(fixed.data) == syncml.parse(data)
    assert repair_quotes(fixed.data).fixes == ()


def test_decode_tool_repairs_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from syncml._cli import main

    text = (EXAMPLES / "client-unenroll-request.xml").read_text("utf-8")
    sample = tmp_path / "doc-sample.xml"
    sample.write_text(text.replace('xmlns="SYNCML:SYNCML1.2"', "xmlns=&#39;SYNCML:SYNCML1.2&#39;"), "utf-8")
    assert main([str(sample)]) == 2  # docs/cli.md: 2 for input that does not decode
    assert "AttValue" in capsys.readouterr().err
    assert main([str(sample), "--repair-quotes"]) == 0
    out = capsys.readouterr().out.splitlines()
    # The tool words it as a note of its own ("note: repaired quotes: ...").
    assert out[0].endswith('repaired quotes: line 1: xmlns=&#39;SYNCML:SYNCML1.2&#39; -> xmlns="SYNCML:SYNCML1.2"')
    assert out[1].startswith("SyncML 1.2 (DM/1.2)  SessionID 7")
