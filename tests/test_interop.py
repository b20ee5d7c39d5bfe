"""What real implementations write: which shapes we read, which we refuse and why.

One row per shape, each an example of our own writing in
``tests/examples/interop/`` (docs/conformance.md, "Real implementations").
A read shape is read leniently with exactly the listed quirks, refused under
``strict=True``, and written back conformant (a strict parse reads what we
write); a refused shape is refused in every mode with the listed reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syncml
from syncml import QuirkKind as Q
from syncml import _wbxml_tables as wbxml_tables
from syncml import jsonform, strategies
from syncml import model as m
from syncml._cli import main as cli_main

from . import wbxml_tokens as tokens
from .interop_wbxml import BUILDERS, DIR, XMLNS_TABLE, xmlns_attr
from .test_wbxml_horde import _horde
from .test_wbxml_oracle import _run, _tools
from .test_wbxml_wireshark import _TAG, _TROUBLE, _dissect


@dataclass(frozen=True, slots=True, kw_only=True)
class Read:
    implementation: str
    example: str
    quirks: frozenset[Q]
    commands_too: bool = False  # parse_commands reads its body as well


@dataclass(frozen=True, slots=True, kw_only=True)
class Refused:
    implementation: str
    example: str
    reason: str
    status: int = 400


Row = Read | Refused

TABLE: list[Row] = [
    Read(
        implementation="Windows (local MDM API)",
        example="interop-windows-local-mdm-empty-synchdr.xml",
        quirks=frozenset({Q.EMPTY_SYNCHDR, Q.WRONG_ENCODING, Q.NO_NAMESPACE}),
        commands_too=True,
    ),
    Read(
        implementation="Windows (declared configuration)",
        example="interop-windows-declared-config-no-namespace.xml",
        quirks=frozenset({Q.EMPTY_SYNCHDR, Q.NO_NAMESPACE}),
        commands_too=True,
    ),
    Read(
        implementation="Motorola OMA DM engine",
        example="interop-motorola-empty-targetref.xml",
        quirks=frozenset({Q.EMPTY_VALUE}),
    ),
    Read(
        implementation="Motorola OMA DM engine",
        example="interop-motorola-public-id-12-verdtd-11.wbxml",
        quirks=frozenset({Q.VERSION_MISMATCH}),
    ),
    Refused(
        implementation="Motorola OMA DM engine",
        example="interop-motorola-alert-bare-ampersand.xml",
        reason="EntityRef: expecting ';'",
    ),
    Read(
        implementation="buteo-syncml",
        example="interop-buteo-empty-sessionid-locuri.xml",
        quirks=frozenset({Q.EMPTY_VALUE}),
    ),
    Read(
        implementation="buteo-syncml",
        example="interop-buteo-versionless-namespace.xml",
        quirks=frozenset({Q.VERSIONLESS_NAMESPACE}),
    ),
    Read(
        implementation="data-sync test data",
        example="interop-empty-msgref-sourceref.xml",
        quirks=frozenset({Q.EMPTY_VALUE}),
    ),
    Refused(
        implementation="Funambol-style test data",
        example="interop-funambol-results-no-cmdid.xml",
        reason="missing <CmdID>",
    ),
    Refused(
        implementation="Devices with nothing to say", example="interop-empty-syncbody.xml", reason="missing a command"
    ),
    Read(
        implementation="Perl WAP::wbxml",
        example="interop-perl-wbxml-metinf-xmlns.wbxml",
        quirks=frozenset({Q.WBXML_REDUNDANT_XMLNS}),
    ),
    Read(
        implementation="Perl WAP::wbxml",
        example="interop-perl-wbxml-metinf-xmlns-in-data.wbxml",
        quirks=frozenset({Q.WBXML_REDUNDANT_XMLNS}),
    ),
    Refused(
        implementation="Perl WAP::wbxml (contradicting namespace)",
        example="interop-perl-wbxml-metinf-xmlns-contradicting.wbxml",
        reason="but its code page is 'syncml:metinf'",
    ),
    Read(
        implementation="Go encoding/xml (Fleet)",
        example="interop-go-encoding-xml-metinf-xmlns-empty.xml",
        quirks=frozenset({Q.METINF_NAMESPACE}),
    ),
    Refused(
        implementation="Go encoding/xml (Fleet)",
        example="interop-go-encoding-xml-invented-target.xml",
        reason="unknown element <Target>",
    ),
    Read(implementation="Horde", example="interop-horde-lowercase-namespace.xml", quirks=frozenset({Q.NAMESPACE_CASE})),
    Read(
        implementation="libwbxml",
        example="interop-libwbxml-anonymous-public-id.wbxml",
        quirks=frozenset({Q.WBXML_UNKNOWN_PUBLIC_ID}),
    ),
    Read(
        implementation="Horde",
        example="interop-horde-nested-devinf-xml-type.wbxml",
        quirks=frozenset({Q.NESTED_WBXML_TYPE}),
    ),
    Read(
        implementation="data-sync clients reusing one Meta",
        example="interop-nested-devinf-text-plain-type.wbxml",
        quirks=frozenset({Q.NESTED_WBXML_TYPE}),
    ),
]


_DOCS = Path(__file__).resolve().parent.parent / "docs" / "conformance.md"


def _documented_implementations() -> set[str]:
    """The first column of the conformance page's table of real implementations."""
    text = _DOCS.read_text(encoding="utf-8")
    table = text.split("## Real implementations", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return set(rows[1:])  # the header row names the columns


def test_every_documented_implementation_has_a_row() -> None:
    tested = {row.implementation.split(" (")[0] for row in TABLE}
    documented = {name.split(" (")[0] for name in _documented_implementations()}
    # Two rows have tests of their own below: the DOCTYPE fragment (any
    # peer) and the Sony Ericsson shape (it needs keep_unknown).
    assert documented - {"Any peer", "Sony Ericsson phone"} <= tested


def _data(row: Row) -> bytes:
    return (DIR / row.example).read_bytes()


def test_every_interop_example_has_a_row() -> None:
    files = {p.name for p in DIR.iterdir() if p.suffix in (".xml", ".wbxml")}
    rows = {row.example for row in TABLE} | {
        "interop-doctype-headerless.xml",
        "interop-sonyericsson-ns11-verdtd12-unknown.xml",
    }
    assert files == rows


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_wbxml_examples_are_what_the_script_builds(name: str) -> None:
    assert (DIR / name).read_bytes() == BUILDERS[name]()


def _ids(rows: list[Row]) -> list[str]:
    return [f"{row.implementation}: {Path(row.example).stem}" for row in rows]


_READ = [row for row in TABLE if isinstance(row, Read)]
_REFUSED = [row for row in TABLE if isinstance(row, Refused)]


@pytest.mark.parametrize("row", _READ, ids=_ids(list(_READ)))
def test_read_with_its_quirks_and_refused_when_strict(row: Read) -> None:
    data = _data(row)
    decoded = syncml.parse(data)
    assert frozenset(q.kind for q in decoded.quirks) == row.quirks
    with pytest.raises(syncml.DecodeError):
        syncml.parse(data, strict=True)
    if row.commands_too:
        commands = syncml.parse_commands(data)
        assert commands == decoded.body.commands
        # A fragment may come without namespace: that is no quirk there.
        assert frozenset(q.kind for q in commands.quirks) == row.quirks - {Q.NO_NAMESPACE}
        with pytest.raises(syncml.DecodeError):
            syncml.parse_commands(data, strict=True)


@pytest.mark.parametrize("row", _READ, ids=_ids(list(_READ)))
def test_written_back_conformant(row: Read) -> None:
    decoded = syncml.parse(_data(row))
    # The model invents no identifier and no header: an empty one is written
    # as it came (<SyncHdr/> is what Windows' local MDM API reads too); every
    # other tolerance is repaired, in XML and in WBXML.
    kept = row.quirks & {Q.EMPTY_VALUE, Q.EMPTY_SYNCHDR}
    for written in (syncml.serialize(decoded), syncml.serialize(decoded, wbxml=True)):
        again = syncml.parse(written)
        assert again == decoded
        assert {q.kind for q in again.quirks} == kept
        if not kept:
            assert syncml.parse(written, strict=True) == decoded
    if row.commands_too:
        commands = syncml.parse_commands(_data(row))
        assert syncml.parse_commands(syncml.serialize_commands(commands), strict=True) == commands


@pytest.mark.parametrize("row", _REFUSED, ids=_ids(list(_REFUSED)))
def test_refused_in_every_mode(row: Refused) -> None:
    data = _data(row)
    for strict in (False, True):
        with pytest.raises(syncml.DecodeError) as caught:
            syncml.parse(data, strict=strict)
        assert row.reason in str(caught.value)
        assert caught.value.status == row.status


def test_doctype_then_headerless_message_reads_as_a_fragment() -> None:
    data = (DIR / "interop-doctype-headerless.xml").read_bytes()
    commands = syncml.parse_commands(data, strict=True)
    assert commands == syncml.parse_commands(data.split(b"\n", 2)[2])
    assert commands == (
        m.Replace(
            cmd_id="1",
            items=(
                m.Item(target=m.Target(loc_uri="./DevDetail/Ext/Conf/Interval"), meta=m.Meta(format="int"), data="30"),
            ),
        ),
    )
    assert syncml.parse_commands(syncml.serialize_commands(commands), strict=True) == commands


def test_doctype_blanking_keeps_lines() -> None:
    data = (DIR / "interop-doctype-headerless.xml").read_bytes().replace(b"<CmdID>1</CmdID>", b"<CmdID>0</CmdID>")
    with pytest.raises(syncml.DecodeError) as caught:
        syncml.parse_commands(data, strict=True)
    assert caught.value.line == 6


# --- Windows' local MDM API: the empty <SyncHdr/> ------------------------------------

_LOCAL_MDM = "interop-windows-local-mdm-empty-synchdr.xml"


def test_empty_synchdr_reads_as_the_empty_header() -> None:
    msg = syncml.parse((DIR / _LOCAL_MDM).read_bytes())
    assert msg.header == m.SyncHdr.empty("1.2")
    assert msg.header.is_empty
    assert msg.namespaces == (("msft", "http://schemas.microsoft.com/MobileDevice/MDM"),)
    (quirk,) = [q for q in msg.quirks if q.kind is Q.EMPTY_SYNCHDR]
    assert (quirk.path, quirk.line) == ("SyncML/SyncHdr", 2)
    status, results = msg.body.commands
    assert isinstance(status, m.Status)
    assert status.data == "200"
    assert isinstance(results, m.Results)
    assert isinstance(results.items[0].data, str)
    assert results.items[0].data.startswith("<Collection><ID>")
    assert jsonform.loads(jsonform.dumps(msg)) == msg  # syncml-decode --format json, read back


@pytest.mark.parametrize(
    ("namespace", "version"),
    [
        ("SYNCML:SYNCML1.1", "1.1"),
        ("SYNCML:SYNCML1.2", "1.2"),
        ("syncml:syncml1.1", "1.1"),  # Horde's lowercase: namespace-case as well
        ("syncml:syncml", "1.2"),  # buteo's versionless one names none: 1.2
        ("", "1.2"),
    ],
)
def test_empty_synchdr_takes_the_namespace_version(namespace: str, version: str) -> None:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    data = (
        f"<SyncML{xmlns}><SyncHdr>\n</SyncHdr><SyncBody><Get><CmdID>1</CmdID>"
        "<Item><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item></Get></SyncBody></SyncML>"
    )
    msg = syncml.parse(data)
    assert msg.header == m.SyncHdr.empty(version)
    written = syncml.serialize(msg)
    assert f'<SyncML xmlns="SYNCML:SYNCML{version}"><SyncHdr/><SyncBody>'.encode() in written
    assert [q.kind for q in syncml.parse(written).quirks] == [Q.EMPTY_SYNCHDR]


def test_empty_synchdr_in_wbxml() -> None:
    msg = syncml.parse((DIR / _LOCAL_MDM).read_bytes())
    wbxml = syncml.serialize(msg, wbxml=True)
    # SyncHdr's token without the content bit, then SyncBody: <SyncHdr/><SyncBody>.
    tags = wbxml_tables.SYNCML_TAGS
    assert bytes([tags["SyncHdr"], tags["SyncBody"] | wbxml_tables.HAS_CONTENT]) in wbxml
    again = syncml.parse(wbxml)
    assert again == msg
    (quirk,) = again.quirks
    assert quirk.kind is Q.EMPTY_SYNCHDR
    assert quirk.offset is not None
    with pytest.raises(syncml.DecodeError, match="an empty <SyncHdr/>") as caught:
        syncml.parse(wbxml, strict=True)
    assert caught.value.offset == quirk.offset


@pytest.mark.parametrize(
    "header",
    [tokens.el("SyncHdr"), bytes([wbxml_tables.SYNCML_TAGS["SyncHdr"] | wbxml_tables.HAS_CONTENT, wbxml_tables.END])],
    ids=["no content bit", "content bit, no content"],
)
def test_empty_synchdr_in_hand_made_wbxml(header: bytes) -> None:
    msg = syncml.parse(tokens.message(hdr=header))
    assert msg.header == m.SyncHdr.empty("1.2")
    assert [q.kind for q in msg.quirks] == [Q.EMPTY_SYNCHDR]


def test_wbxml_synchdr_with_only_an_unknown_element_is_not_empty() -> None:
    # <SyncHdr><Foo/></SyncHdr>: Foo a LITERAL tag naming the string table's first entry.
    header = bytes([wbxml_tables.SYNCML_TAGS["SyncHdr"] | wbxml_tables.HAS_CONTENT, wbxml_tables.LITERAL, 0])
    data = tokens.message(hdr=header + bytes([wbxml_tables.END]), table=b"Foo\x00")
    with pytest.raises(syncml.DecodeError, match="missing <VerDTD>"):
        syncml.parse(data, keep_unknown=True)


def test_oracles_read_our_empty_synchdr_wbxml(tmp_path: Path) -> None:
    # The empty-header message of the CLI goldens: no attribute, so Horde can carry it.
    msg = syncml.parse((DIR.parent.parent / "cli_golden" / "inputs" / "empty-synchdr.xml").read_bytes())
    wbxml = syncml.serialize(msg, wbxml=True)
    _, wbxml2xml = _tools()
    from_libwbxml = _run(wbxml2xml, ["-m", "0"], wbxml)
    assert b"<SyncHdr/><SyncBody>" in from_libwbxml
    assert syncml.parse(from_libwbxml) == msg
    from_horde = syncml.parse(_horde("decode", wbxml))
    assert from_horde == msg
    assert {q.kind for q in from_horde.quirks} == {Q.EMPTY_SYNCHDR, Q.NAMESPACE_CASE}
    (packet,) = _dissect([wbxml], tmp_path)
    assert not _TROUBLE.search(packet)
    assert _TAG.findall(packet)[:4] == ["SyncML", "SyncHdr", "SyncBody", "Results"]


def test_only_the_empty_header_is_written_empty() -> None:
    nearly = dataclasses.replace(m.SyncHdr.empty(), msg_id="1")
    assert not nearly.is_empty
    body = m.SyncBody(commands=(m.Alert(cmd_id="1", data="1201"),))
    written = syncml.serialize(m.SyncML(header=nearly, body=body))
    assert b"<SyncHdr><VerDTD>1.2</VerDTD>" in written
    assert b"<MsgID>1</MsgID>" in written


def test_empty_synchdr_refused_by_validate() -> None:
    msg = syncml.parse((DIR / _LOCAL_MDM).read_bytes())
    with pytest.raises(syncml.SchemaError, match="missing <VerDTD>"):
        syncml.validate(msg)


def test_empty_synchdr_is_one_check_finding() -> None:
    msg = syncml.parse((DIR / _LOCAL_MDM).read_bytes())
    for direction in (None, *syncml.Direction):
        findings = [f for f in syncml.check(msg, direction=direction) if f.path.startswith("SyncML/SyncHdr")]
        # No MsgID, VerProto or SessionID findings beside it: one says it all.
        assert [f.rule for f in findings] == [Q.EMPTY_SYNCHDR]
        assert "belongs to no DM session" in findings[0].message


def test_empty_header_built_by_hand_is_a_check_finding() -> None:
    body = m.SyncBody(commands=(m.Alert(cmd_id="1", data="1201"),))
    (finding,) = syncml.check(m.SyncML(header=m.SyncHdr.empty(), body=body))
    assert finding.rule is Q.EMPTY_SYNCHDR
    assert finding.path == "SyncML/SyncHdr"


@settings(max_examples=40, deadline=None)
@given(body=strategies.sync_bodies(), version=st.sampled_from(["1.1", "1.2"]))
def test_empty_header_round_trips(body: m.SyncBody, version: str) -> None:
    msg = m.SyncML(header=m.SyncHdr.empty(version), body=body)
    for written in (syncml.serialize(msg), syncml.serialize(msg, wbxml=True)):
        again = syncml.parse(written)
        assert again == msg
        assert [q.kind for q in again.quirks] == [Q.EMPTY_SYNCHDR]


@pytest.mark.parametrize("name", [_LOCAL_MDM, "interop-windows-declared-config-no-namespace.xml"])
def test_syncml_decode_shows_the_local_mdm_answer(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DIR)
    code, out = _decode_cli([name])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "SyncML 1.2  <SyncHdr/> (empty: a Windows local MDM API answer, outside any DM session)"
    assert lines[1] == "SyncBody"
    assert "Status #1  200 OK for Get" in lines[2]
    assert any(line.startswith("  empty-synchdr: an empty <SyncHdr/>") for line in lines)
    code, out = _decode_cli(["--strict", name])
    assert code == 2
    assert "drop --strict" in out


def test_syncml_decode_summary_puts_local_mdm_answers_in_no_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DIR)
    code, out = _decode_cli(["--summary", _LOCAL_MDM, "interop-windows-declared-config-no-namespace.xml"])
    assert code == 0
    assert out.count("outside any session") == 2
    assert "MsgID" not in out
    assert "session " not in out.replace("outside any session", "")


def _decode_cli(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["--no-color", *args])
    return code, out.getvalue() + err.getvalue()


def test_empty_synchdr_with_content_is_still_a_whole_message() -> None:
    # Only an empty SyncHdr is skipped: one with children is a message for parse().
    data = (DIR / "interop-motorola-empty-targetref.xml").read_bytes()
    with pytest.raises(syncml.DecodeError, match="a whole message"):
        syncml.parse_commands(data)


@pytest.mark.parametrize(
    ("example", "said"),
    [
        ("interop-motorola-empty-targetref.xml", ["<TargetRef> is empty: the answer names no target node"]),
        (
            "interop-buteo-empty-sessionid-locuri.xml",
            [
                "<SessionID> is empty: the session cannot be told from another one",
                "<LocURI> is empty: it addresses no node, device or server",
            ],
        ),
    ],
)
def test_empty_value_is_a_check_finding_saying_what_it_costs(example: str, said: list[str]) -> None:
    msg = syncml.parse((DIR / example).read_bytes())
    findings = [f for f in syncml.check(msg) if f.rule is Q.EMPTY_VALUE]
    assert [f.message for f in findings] == said


def test_wbxml_empty_value_is_recorded_too() -> None:
    msg = syncml.parse((DIR / "interop-buteo-empty-sessionid-locuri.xml").read_bytes())
    wbxml = syncml.serialize(msg, wbxml=True)
    assert [q.kind for q in syncml.parse(wbxml).quirks] == [Q.EMPTY_VALUE, Q.EMPTY_VALUE]
    with pytest.raises(syncml.DecodeError, match="must not be empty"):
        syncml.parse(wbxml, strict=True)


def test_nested_devinf_without_any_meta_is_recognised_by_its_header() -> None:
    data = (DIR / "interop-horde-nested-devinf-xml-type.wbxml").read_bytes()
    # Cut the Results' Meta (with its Type and the switch back to code page 0).
    start = data.index(bytes([wbxml_tables.SYNCML_TAGS["Meta"] | wbxml_tables.HAS_CONTENT]))
    end = data.index(b"+xml\x00", start) + len(b"+xml\x00") + 4
    assert data[end - 4 : end] == bytes([wbxml_tables.END, wbxml_tables.END, wbxml_tables.SWITCH_PAGE, 0])
    msg = syncml.parse(data[:start] + data[end:])
    results = msg.body.commands[0]
    assert isinstance(results, m.Results)
    assert results.meta is None
    assert isinstance(results.items[0].data, m.Markup)
    assert results.items[0].data.xml.startswith('<DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD>')
    assert [q.kind for q in msg.quirks] == [Q.NESTED_WBXML_TYPE]
    with pytest.raises(syncml.DecodeError, match="nested DevInf WBXML document"):
        syncml.parse(data[:start] + data[end:], strict=True)
    for written in (syncml.serialize(msg), syncml.serialize(msg, wbxml=True)):
        assert syncml.parse(written, strict=True) == msg


def test_nested_markup_without_the_redundant_declaration() -> None:
    msg = syncml.parse((DIR / "interop-perl-wbxml-metinf-xmlns-in-data.wbxml").read_bytes())
    replace = msg.body.commands[0]
    assert isinstance(replace, m.Replace)
    assert replace.items[0].data == m.Markup(xml='<Type xmlns="syncml:metinf">text/plain</Type>')


def test_unknown_element_moves_to_the_repaired_namespace() -> None:
    data = (DIR / "interop-sonyericsson-ns11-verdtd12-unknown.xml").read_bytes()
    msg = syncml.parse(data, keep_unknown=True)
    assert [q.kind for q in msg.quirks] == [Q.VERSION_MISMATCH]
    assert msg.body.unknown == (
        m.Unknown(xml="<VendorExt><CmdID>2</CmdID><Item><Data>x</Data></Item></VendorExt>", position=1),
    )
    written = syncml.serialize(msg)
    assert b"SYNCML1.1" not in written
    assert syncml.parse(written, keep_unknown=True) == msg
    assert syncml.parse(syncml.serialize(msg, wbxml=True), keep_unknown=True) == msg


def _replace_with_data(data: bytes) -> bytes:
    item = tokens.el("Item", tokens.el("Target", tokens.el("LocURI", tokens.s("./Vendor/Example/Note"))), data)
    return tokens.message(tokens.el("Replace", tokens.el("CmdID", tokens.s("2")), item), table=XMLNS_TABLE)


@pytest.mark.parametrize("where", ["Item", "Alert"])
def test_redundant_xmlns_on_data_is_no_data_attribute(where: str) -> None:
    # Item/Data keeps attributes (msft:originalerror): a redundant xmlns must
    # not become one, or XML would read it back as a declaration, not a value.
    data = tokens.el("Data", tokens.s("1201"), attrs=xmlns_attr("SYNCML:SYNCML1.2"))
    if where == "Item":
        wbxml = _replace_with_data(data)
    else:
        wbxml = tokens.message(tokens.el("Alert", tokens.el("CmdID", tokens.s("1")), data), table=XMLNS_TABLE)
    msg = syncml.parse(wbxml)
    assert [q.kind for q in msg.quirks] == [Q.WBXML_REDUNDANT_XMLNS]
    assert b"<Data>1201</Data>" in syncml.serialize(msg)
    assert syncml.parse(syncml.serialize(msg), strict=True) == msg
    with pytest.raises(syncml.DecodeError, match="declares its code page's namespace"):
        syncml.parse(wbxml, strict=True)


def test_contradicting_xmlns_on_data_is_refused() -> None:
    wbxml = _replace_with_data(tokens.el("Data", tokens.s("x"), attrs=xmlns_attr("urn:example:other")))
    for strict in (False, True):
        with pytest.raises(syncml.DecodeError, match=r"but its code page is 'SYNCML:SYNCML1\.2'") as caught:
            syncml.parse(wbxml, strict=strict)
        assert caught.value.path == "SyncML/SyncBody/Replace[1]/Item[1]/Data"


@pytest.mark.parametrize("key", ["xmlns", "xmlns:msft", "{http://www.w3.org/2000/xmlns/}msft"])
def test_a_declaration_is_not_written_as_a_data_attribute(key: str) -> None:
    item = m.Item(target=m.Target(loc_uri="./a"), data="x", data_attributes=((key, "urn:example:other"),))
    msg = syncml.parse((DIR / "interop-motorola-empty-targetref.xml").read_bytes())
    msg = dataclasses.replace(msg, body=m.SyncBody(commands=(m.Replace(cmd_id="2", items=(item,)),)))
    for wbxml in (False, True):
        with pytest.raises(syncml.EncodeError, match="namespace declaration, not a data attribute"):
            syncml.serialize(msg, wbxml=wbxml)


def test_repaired_unknown_element_with_a_syncml_token_travels_as_the_token() -> None:
    # Field is a SyncML element (DS Filter) unknown in SyncBody: after the
    # version repair it is in the message's namespace, so WBXML writes its
    # token, not a LITERAL tag naming it in the string table.
    data = (DIR / "interop-sonyericsson-ns11-verdtd12-unknown.xml").read_bytes().replace(b"VendorExt", b"Field")
    msg = syncml.parse(data, keep_unknown=True)
    assert msg.body.unknown == (
        m.Unknown(xml="<Field><CmdID>2</CmdID><Item><Data>x</Data></Item></Field>", position=1),
    )
    wbxml = syncml.serialize(msg, wbxml=True)
    assert b"Field" not in wbxml
    field = wbxml_tables.SYNCML_TAGS["Field"] | wbxml_tables.HAS_CONTENT
    assert bytes([field, wbxml_tables.SYNCML_TAGS["CmdID"] | wbxml_tables.HAS_CONTENT]) in wbxml
    assert syncml.parse(wbxml, keep_unknown=True) == msg


def test_libwbxml_reads_the_perl_shape_as_we_do() -> None:
    # The claim, checked: libwbxml reads a literal xmlns on MetInf
    # tags, and its XML parses to the model we decode from the WBXML.
    _, wbxml2xml = _tools()
    data = (DIR / "interop-perl-wbxml-metinf-xmlns.wbxml").read_bytes()
    assert syncml.parse(_run(wbxml2xml, ["-m", "0"], data), strict=True) == syncml.parse(data)


def test_wireshark_reads_the_perl_shape(tmp_path: Path) -> None:
    data = (DIR / "interop-perl-wbxml-metinf-xmlns.wbxml").read_bytes()
    (packet,) = _dissect([data], tmp_path)
    assert not _TROUBLE.search(packet)
    assert packet.count("<xmlns />") == 2
    assert _TAG.findall(packet)[-5:] == ["Item", "Meta", "Format", "Type", "Data"]
