"""``syncml.validate``: what it accepts, and how it reports what it refuses.

The verdicts themselves are held to strict parsing by
``test_schema_agreement.py`` and to the grammar by ``test_schema_negative.py``;
here: the examples and generated messages validate, a report lists every
violation with path, line and column, the front end's refusals arrive as
one violation, the error pickles, and threads do not disturb the validators.
"""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pytest
from hypothesis import given
from lxml import etree

import syncml
from syncml import _schema, _schema_report
from syncml import model as m
from syncml import strategies as st_syncml

from .builders import ALERT, HDR, message_xml
from .conftest import EXAMPLES
from .example_models import EXPECTED

MESSAGES = sorted(name for name, value in EXPECTED.items() if isinstance(value, m.SyncML))
FRAGMENTS = sorted(name for name, value in EXPECTED.items() if not isinstance(value, m.SyncML))


def refusal(data: bytes | str | m.SyncML, **kwargs: syncml.Limits) -> syncml.SchemaError:
    with pytest.raises(syncml.SchemaError) as caught:
        syncml.validate(data, **kwargs)
    return caught.value


# --- what validates ---------------------------------------------------------------------


@pytest.mark.parametrize("name", MESSAGES)
def test_every_example_message_validates_as_bytes_text_and_model(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    syncml.validate(data)
    syncml.validate(data.decode("utf-8"))
    syncml.validate(EXPECTED[name])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", FRAGMENTS)
def test_a_fragment_is_not_a_message(name: str) -> None:
    # Fragments are checked by parse_commands; validate takes whole messages.
    assert refusal((EXAMPLES / name).read_bytes()).violations


@given(st_syncml.messages())
def test_every_generated_message_validates(msg: m.SyncML) -> None:
    syncml.validate(msg)
    syncml.validate(syncml.serialize(msg, pretty=True, xml_declaration=True))


# --- the report -------------------------------------------------------------------------

MANY_WRONGS = b"""<SyncML xmlns="SYNCML:SYNCML1.2">
<SyncHdr><VerDTD>1.1</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>
<Target><LocURI>https://mdm.example.com</LocURI></Target><Source><LocURI>DEV</LocURI></Source></SyncHdr>
<SyncBody>
<Get><CmdID>0</CmdID></Get>
<Replace><CmdID>2</CmdID><Meta>
  <Format xmlns="syncml:metinf">int</Format><Format xmlns="syncml:metinf">chr</Format>
</Meta><Item><Data>1</Data></Item><Field/></Replace>
<Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>OK</Data></Status>
<Final>now</Final>
</SyncBody>
</SyncML>"""

EXPECTED_VIOLATIONS = [
    ("SyncML/SyncHdr/VerDTD", 2, "<VerDTD> '1.1' is not the version the namespace 'SYNCML:SYNCML1.2' names"),
    ("SyncML/SyncBody/Get[1]", 5, "<Get> is missing <Item>"),
    ("SyncML/SyncBody/Get[1]/CmdID", 5, "<CmdID> '0' must not be 0"),
    ("SyncML/SyncBody/Replace[1]/Meta/Format", 7, "more than one <Format> in <Meta>"),
    ("SyncML/SyncBody/Replace[1]/Field", 8, "unknown element <Field> in <Replace>"),
    ("SyncML/SyncBody/Status[1]/Data", 9, "<Data> 'OK' must be a code"),
    ("SyncML/SyncBody/Final", 10, "<Final> must be empty"),
]


def test_the_report_lists_every_violation_in_document_order() -> None:
    error = refusal(MANY_WRONGS)
    found = [(v.path, v.line, v.reason) for v in error.violations]
    assert [(path, line) for path, line, _ in found] == [(path, line) for path, line, _ in EXPECTED_VIOLATIONS]
    for (_, _, reason), (_, _, start) in zip(found, EXPECTED_VIOLATIONS, strict=True):
        assert reason.startswith(start), reason
    assert all(v.column is not None and v.column >= 1 for v in error.violations)
    # The error itself is the first violation, and says how many follow.
    assert (error.path, error.line, error.column) == ("SyncML/SyncHdr/VerDTD", 2, 10)
    assert str(error).endswith("(and 6 more violations) - at SyncML/SyncHdr/VerDTD (line 2, column 10)")
    assert error.status == 400


def test_a_strict_parse_stops_at_one_of_the_same_violations() -> None:
    with pytest.raises(syncml.DecodeError) as caught:
        syncml.parse(MANY_WRONGS, strict=True)
    paths = {v.path for v in refusal(MANY_WRONGS).violations}
    assert caught.value.path in paths


REFUSED = [
    ("wrong child", message_xml("<Alert><CmdID>1</CmdID><Cmd>Get</Cmd></Alert>"), "unknown element <Cmd> in <Alert>"),
    ("out of order", message_xml("<Alert><Data>1201</Data><CmdID>1</CmdID></Alert>"), "<Data> out of order in <Alert>"),
    ("missing first", message_xml("<Alert><Data>1201</Data></Alert>"), "<Alert> is missing <CmdID>"),
    ("repeated", message_xml("<Exec><CmdID>1</CmdID><Item/><Item/></Exec>"), "more than one <Item> in <Exec>"),
    (
        "misplaced command",
        message_xml("<Atomic><CmdID>1</CmdID><Status/></Atomic>"),
        "<Status> is not allowed in <Atomic> by the DTD",
    ),
    (
        "metinf namespace",
        message_xml("<Add><CmdID>1</CmdID><Meta><Type>x</Type></Meta><Item/></Add>"),
        "<Type> in the wrong namespace 'SYNCML:SYNCML1.2', not 'syncml:metinf'",
    ),
    ("stray text", message_xml(ALERT + "oops"), "text 'oops' where only elements belong"),
    ("markup in a leaf", message_xml("<Alert><CmdID><b/></CmdID></Alert>"), "<CmdID> must hold text, not <b>"),
    (
        "results cmd",
        message_xml("<Results><CmdID>1</CmdID><CmdRef>1</CmdRef><Cmd>Get</Cmd><Item/></Results>"),
        "<Cmd> in <Results> is not in the DTD",
    ),
    ("attribute", message_xml('<Alert><CmdID a="1">1</CmdID></Alert>'), "unexpected attribute 'a' on <CmdID>"),
    ("whitespace", message_xml("<Alert><CmdID> 1</CmdID></Alert>"), "<CmdID> ' 1' has whitespace at either end"),
    (
        "VerProto",
        message_xml(hdr=HDR.replace("DM/1.2", "OBEX/1.0")),
        "<VerProto> 'OBEX/1.0' is not an OMA DM or SyncML DS protocol (DM/... or SyncML/...)",
    ),
]


@pytest.mark.parametrize(("data", "reason"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_each_kind_of_violation_is_worded_as_strict_parsing_words_it(data: bytes, reason: str) -> None:
    assert [v.reason for v in refusal(data).violations] == [reason]
    with pytest.raises(syncml.DecodeError):
        syncml.parse(data, strict=True)


# --- before the schema ------------------------------------------------------------------

EARLY = [
    ("malformed", b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>", 400, "malformed XML"),
    ("not SyncML", message_xml(root="Envelope"), 400, "not a SyncML message"),
    ("a global Meta as root", b'<Meta xmlns="SYNCML:SYNCML1.2"/>', 400, "not a SyncML message"),
    ("no namespace", message_xml(root_attrs=' xmlns=""'), 400, "must be in namespace"),
    ("namespace case", message_xml(root_attrs=' xmlns="syncml:syncml1.2"'), 400, "must be in namespace"),
    ("unknown version", message_xml(root_attrs=' xmlns="SYNCML:SYNCML1.3"'), 505, "unsupported SyncML version"),
    ("internal subset", b"<!DOCTYPE SyncML [<!ENTITY x 'y'>]>" + message_xml(), 400, "DOCTYPE refused"),
    (
        "schema location",
        message_xml().replace(
            b"<SyncML ",
            b'<SyncML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x http://x/x.xsd" ',
        ),
        400,
        "schema-instance attribute xsi:schemaLocation",
    ),
    ("not bytes", 42, 400, "expected bytes or str"),
]


@pytest.mark.parametrize(("data", "status", "reason"), [c[1:] for c in EARLY], ids=[c[0] for c in EARLY])
def test_what_the_xsds_never_see_is_one_violation(data: bytes, status: int, reason: str) -> None:
    error = refusal(data)
    assert len(error.violations) == 1
    assert reason in error.violations[0].reason
    assert error.status == status


def test_a_front_end_refusal_keeps_its_position_and_cause() -> None:
    data = b"<SyncML xmlns='SYNCML:SYNCML1.2'>\n  <SyncHdr></SyncML>"
    error = refusal(data)
    with pytest.raises(syncml.DecodeError) as parsed:
        syncml.parse(data, strict=True)
    assert (error.reason, error.line, error.column) == (parsed.value.reason, parsed.value.line, parsed.value.column)
    assert error.line == 2
    assert isinstance(error.__cause__, syncml.DecodeError)


@pytest.mark.parametrize(
    ("limits", "status"),
    [(syncml.Limits(max_size=100), 413), (syncml.Limits(max_nodes=10), 413), (syncml.Limits(max_depth=4), 400)],
    ids=["size", "nodes", "depth"],
)
def test_limits_apply_as_in_strict_parsing(limits: syncml.Limits, status: int) -> None:
    # Deepest element: SyncML/SyncBody/Add/Item/Meta/Anchor/Next, at 7.
    data = message_xml(
        '<Add><CmdID>1</CmdID><Item><Meta><Anchor xmlns="syncml:metinf"><Next>1</Next></Anchor></Meta></Item></Add>'
    )
    syncml.validate(data)
    with pytest.raises(syncml.DecodeError) as parsed:
        syncml.parse(data, strict=True, limits=limits)
    error = refusal(data, limits=limits)
    assert error.status == parsed.value.status == status


def test_a_model_that_cannot_be_written_is_an_encode_error() -> None:
    broken = m.SyncML(
        header=m.SyncHdr(session_id="1", msg_id="1", target=m.Target(loc_uri="a"), source=m.Source(loc_uri="b")),
        body=m.SyncBody(commands=()),
    )
    with pytest.raises(syncml.EncodeError):
        syncml.validate(broken)


def test_a_model_with_a_bad_value_is_reported_where_it_would_be_written() -> None:
    msg = EXPECTED["server-get-devdetail.xml"]
    assert isinstance(msg, m.SyncML)
    bad = m.SyncML(header=msg.header, body=m.SyncBody(commands=(m.Get(cmd_id="0", items=(m.Item(),)),)))
    assert [v.path for v in refusal(bad).violations] == ["SyncML/SyncBody/Get[1]/CmdID"]


# --- the error ----------------------------------------------------------------------------


def test_schema_error_is_a_decode_error_and_pickles_with_its_violations() -> None:
    error = refusal(MANY_WRONGS)
    assert isinstance(error, syncml.DecodeError)
    assert isinstance(error, syncml.SyncMLError)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is syncml.SchemaError
    assert back.violations == error.violations
    assert str(back) == str(error)


def test_violation_says_what_and_where() -> None:
    violation = syncml.Violation(reason="bad", path="SyncML/SyncHdr", line=3, column=4)
    assert str(violation) == "bad - at SyncML/SyncHdr (line 3, column 4)"
    assert str(syncml.Violation(reason="bad")) == "bad"
    assert str(syncml.SchemaError([])) == "the document is not valid"


# --- machinery ----------------------------------------------------------------------------


def test_validators_are_safe_to_use_from_threads() -> None:
    inputs = [(EXAMPLES / name).read_bytes() for name in MESSAGES] + [MANY_WRONGS] * 4
    expected = [_outcome(data) for data in inputs]
    results: list[list[object]] = []

    def work() -> None:
        results.append([_outcome(data) for data in inputs])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)  # a hang guard only
    assert results == [expected] * 4


def _outcome(data: bytes) -> object:
    try:
        syncml.validate(data)
    except syncml.SchemaError as exc:
        return exc.violations
    return None


def test_the_libxml2_report_names_elements_too() -> None:
    # Used only if xmlschema ever found nothing where libxml2 refused.
    document = _schema._document(MANY_WRONGS, syncml.DEFAULT_LIMITS)
    validator = _schema._libxml2(document.ns)
    assert not validator.validate(document.root)
    violations = _schema_report.from_libxml2(validator, document.decoder)
    assert violations
    assert violations[0].path == "SyncML/SyncHdr/VerDTD"
    assert violations[0].line == 2


def test_the_schemas_are_found_in_the_package_or_the_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    found = _schema.schema_dir()
    assert (found / "syncml12.xsd").is_file()
    monkeypatch.setattr(_schema, "_PACKAGED", tmp_path / "none")
    monkeypatch.setattr(_schema, "_CHECKOUT", tmp_path / "neither")
    with pytest.raises(syncml.SyncMLError, match="XSDs are missing"):
        _schema.schema_dir()


def test_xsds_need_no_network_and_declare_no_entities() -> None:
    # Every schemaLocation is a file beside the schema; nothing else is fetched.
    for path in sorted(_schema.schema_dir().glob("*.xsd")):
        doc = etree.parse(str(path))
        assert b"<!DOCTYPE" not in path.read_bytes()
        locations = doc.getroot().xpath("//@schemaLocation")
        assert isinstance(locations, list)
        assert all((path.parent / str(location)).is_file() for location in locations)
