"""Generic alerts (1226) and client events (1224): extraction, tolerance, builders."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import AlertCode, AlertType, GenericAlert
from syncml import model as m
from syncml import strategies as sst
from syncml.alerts import alert_command, client_event, generic_alert, type_name

from .builders import message_xml
from .conftest import EXAMPLES

UNENROLL = "com.microsoft:mdm.unenrollment.userrequest"
LOGIN = "com.microsoft/MDM/LoginStatus"


def _alert(items: str, code: str = "1226", cmd_id: str = "3", extra: str = "") -> bytes:
    return message_xml(f"<Alert><CmdID>{cmd_id}</CmdID><Data>{code}</Data>{extra}{items}</Alert>")


def _item(meta: str, data: str = "<Data>1</Data>", source: str = "") -> str:
    return f"<Item>{source}<Meta>{meta}</Meta>{data}</Item>"


MI = 'xmlns="syncml:metinf"'


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    name: str
    data: bytes
    alerts: tuple[GenericAlert, ...] = ()
    events: tuple[GenericAlert, ...] = ()


TABLE = [
    Row(
        name="Windows unenrollment alert",
        data=_alert(_item(f"<Type {MI}>{UNENROLL}</Type><Format {MI}>int</Format>")),
        alerts=(GenericAlert(type=UNENROLL, format="int", data="1", cmd_id="3"),),
    ),
    Row(
        name="OMA form with prefix, Mark, Source and Correlator",
        data=_alert(
            _item(
                f"<Type {MI}>Reversed-Domain-Name: org.example.alert</Type><Format {MI}>chr</Format>"
                f"<Mark {MI}>critical</Mark>",
                "<Data>disk failing</Data>",
                "<Source><LocURI>./Ext/Disk</LocURI></Source>",
            ),
            extra="<Correlator>abc-1</Correlator>",
        ),
        alerts=(
            GenericAlert(
                type="Reversed-Domain-Name: org.example.alert",
                format="chr",
                mark="critical",
                data="disk failing",
                source="./Ext/Disk",
                correlator="abc-1",
                cmd_id="3",
            ),
        ),
    ),
    Row(
        name="two Items are two alerts",
        data=_alert(
            _item(f"<Type {MI}>a.b</Type><Format {MI}>int</Format>", "<Data>0</Data>")
            + _item(f"<Type {MI}>c.d</Type><Format {MI}>int</Format>", "<Data>3</Data>")
        ),
        alerts=(
            GenericAlert(type="a.b", format="int", data="0", cmd_id="3"),
            GenericAlert(type="c.d", format="int", data="3", cmd_id="3"),
        ),
    ),
    Row(
        name="LoginStatus client event without Format (Windows package 1)",
        data=_alert(_item(f"<Type {MI}>com.microsoft/MDM/LoginStatus</Type>", "<Data>user</Data>"), code="1224"),
        events=(
            GenericAlert(type="com.microsoft/MDM/LoginStatus", data="user", cmd_id="3", code=AlertCode.CLIENT_EVENT),
        ),
    ),
    Row(
        name="metinfo namespace typo and leading space (MS Learn sample)",
        data=_alert(
            _item(f'<Type xmlns="syncml:metinfo"> {UNENROLL}</Type><Format xmlns= "syncml:metinfo">int</Format>')
        ),
        alerts=(GenericAlert(type=UNENROLL, format="int", data="1", cmd_id="3"),),
    ),
    Row(
        name="empty Meta (MicrosoftDocs issue 8376 log)",
        data=_alert("<Item><Meta/><Data>1</Data></Item>"),
        alerts=(GenericAlert(data="1", cmd_id="3"),),
    ),
    Row(
        name="declared configuration as markup",
        data=_alert(
            _item(f"<Type {MI}>com.microsoft.mdm.declaredconfigurationdocuments</Type>", "<Data><Docs/></Data>"),
            code="1224",
        ),
        events=(
            GenericAlert(
                type="com.microsoft.mdm.declaredconfigurationdocuments",
                data=m.Markup(xml="<Docs/>"),
                cmd_id="3",
                code=AlertCode.CLIENT_EVENT,
            ),
        ),
    ),
    Row(name="session start is neither", data=_alert("", code="1201")),
    Row(
        name="code with whitespace still counts",
        data=_alert("<Item><Data>x</Data></Item>", code=" 1226 "),
        alerts=(GenericAlert(data="x", cmd_id="3"),),
    ),
    Row(name="non-numeric code is neither", data=_alert("<Item><Data>x</Data></Item>", code="12x6")),
    Row(
        name="nested in Sequence",
        data=message_xml(
            "<Sequence><CmdID>1</CmdID><Alert><CmdID>2</CmdID><Data>1226</Data>"
            + _item(f"<Type {MI}>a.b</Type>", "<Data>1</Data>")
            + "</Alert></Sequence>"
        ),
        alerts=(GenericAlert(type="a.b", data="1", cmd_id="2"),),
    ),
]


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r.name)
def test_extraction_table(row: Row) -> None:
    message = syncml.parse(row.data)
    assert syncml.generic_alerts(message) == row.alerts
    assert syncml.client_events(message) == row.events


def test_examples_and_fragments() -> None:
    message = syncml.parse((EXAMPLES / "client-generic-alert-app-install.xml").read_bytes())
    found = syncml.generic_alerts(message)
    assert [a.known for a in found] == [AlertType.HOSTED_APP_INSTALL_RESULT, AlertType.HEALTH_ATTESTATION_RESULT]
    assert found[0].source is not None
    assert found[0].source.endswith("/HostedInstall")
    assert found[0].mark == "informational"
    assert syncml.generic_alerts(message.body.commands) == found
    keepalive = syncml.parse((EXAMPLES / "client-keepalive-request-pending.xml").read_bytes())
    [event] = syncml.client_events(keepalive)
    assert event.known is AlertType.REQUEST_PENDING
    assert event.matches("com.microsoft.mdm.requestpending")


@pytest.mark.parametrize(
    ("name", "types"),
    [
        ("fleet-poc-dump-client-unenroll-generic-alert-1226-userrequest.xml", ([UNENROLL], [LOGIN])),
        ("fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml", ([], [LOGIN])),
        ("msdocs-dmclient-keepalive-alert-1224-requestpending-no-final.xml", ([], [AlertType.REQUEST_PENDING.value])),
        ("mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml", ([], [LOGIN])),
        ("msdocs-server-initiated-unenroll-alert-1226-fragment.xml", ([UNENROLL], [])),
        ("msdocs-loginstatus-alert-1224-fragment.xml", ([], [LOGIN])),
    ],
)  # fmt: skip
def test_corpus(corpus_dir: Path, name: str, types: tuple[list[str], list[str]]) -> None:
    data = (corpus_dir / name).read_bytes()
    try:
        source: syncml.SyncML | syncml.Commands = syncml.parse(data)
    except syncml.DecodeError:
        source = syncml.parse_commands(data)
    assert [a.type for a in syncml.generic_alerts(source)] == types[0]
    assert [a.type for a in syncml.client_events(source)] == types[1]


def test_empty_meta_log_is_refused_but_its_alert_shape_is_kept(corpus_dir: Path) -> None:
    # The vendor's log ends in <SyncBody> instead of </SyncBody>: not XML.
    data = (corpus_dir / "msdocs-issue8376-real-unenroll-syncbody-empty-meta-logged.xml").read_bytes()
    with pytest.raises(syncml.DecodeError):
        syncml.parse(data)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("com.microsoft/MDM/LoginStatus", "com.microsoft/MDM/LoginStatus"),
        ("Reversed-Domain-Name:com.microsoft.mdm.requestpending", "com.microsoft.mdm.requestpending"),
        ("reversed-domain-name: org.example", "org.example"),
        ("  Reversed-Domain-Name: \torg.example\n", "org.example"),
        ("Content-Type: text/plain", "Content-Type: text/plain"),
        ("", ""),
    ],
)
def test_type_name(written: str, name: str) -> None:
    assert type_name(written) == name


def test_known_types_and_their_alert_codes() -> None:
    assert (
        GenericAlert(type=f"Reversed-Domain-Name:{UNENROLL}", cmd_id="1").known is AlertType.UNENROLLMENT_USER_REQUEST
    )
    assert GenericAlert(type="com.microsoft.mdm.requestpending", cmd_id="1").known is AlertType.REQUEST_PENDING
    assert GenericAlert(type="org.example", cmd_id="1").known is None
    assert GenericAlert(cmd_id="1").known is None
    assert GenericAlert(cmd_id="1").name is None
    assert not GenericAlert(cmd_id="1").matches(UNENROLL)
    assert AlertType.UNENROLLMENT_USER_REQUEST.alert is AlertCode.GENERIC_ALERT
    assert AlertType.LOGIN_STATUS.alert is AlertCode.CLIENT_EVENT
    assert AlertType.MSI_INSTALL_RESULT.alert is AlertCode.CLIENT_EVENT
    assert len({type_name(t.value) for t in AlertType}) == len(AlertType)


def test_text_view_of_each_data_form() -> None:
    assert GenericAlert(data="1", cmd_id="1").text == "1"
    assert GenericAlert(data=m.CData(text="<x>"), cmd_id="1").text == "<x>"
    assert GenericAlert(data=m.Markup(xml="<x/>"), cmd_id="1").text == "<x/>"
    assert GenericAlert(data=m.Opaque(data=b"\x00\xff"), cmd_id="1").text == "AP8="
    assert GenericAlert(cmd_id="1").text is None


def test_builders_write_what_windows_sends() -> None:
    alert = generic_alert(AlertType.UNENROLLMENT_USER_REQUEST, "1", cmd_id="3", format="int")
    assert alert == m.Alert(
        cmd_id="3",
        data="1226",
        items=(m.Item(meta=m.Meta(format="int", type=UNENROLL), data="1"),),
    )
    event = client_event(AlertType.LOGIN_STATUS, "user", cmd_id="2", format=None)
    assert event.data == "1224"
    assert event.items == (m.Item(meta=m.Meta(type="com.microsoft/MDM/LoginStatus"), data="user"),)
    bare = generic_alert("x.y", "1", cmd_id="4", source="./A", mark="fatal", correlator="c")
    assert bare.correlator == "c"
    assert bare.items[0].source == m.Source(loc_uri="./A")
    assert GenericAlert(data="1", cmd_id="1").item() == m.Item(data="1")


def test_alert_command_refuses_what_one_alert_cannot_carry() -> None:
    with pytest.raises(syncml.EncodeError, match="at least one"):
        alert_command([])
    a = GenericAlert(type="a", data="1", cmd_id="1")
    for other in (
        GenericAlert(type="a", data="1", cmd_id="2"),
        GenericAlert(type="a", data="1", cmd_id="1", code=AlertCode.CLIENT_EVENT),
        GenericAlert(type="a", data="1", cmd_id="1", correlator="c"),
    ):
        with pytest.raises(syncml.EncodeError, match="share"):
            alert_command([a, other])


def _generic_alerts(code: AlertCode) -> st.SearchStrategy[list[GenericAlert]]:
    one = st.builds(
        GenericAlert,
        type=st.none() | st.sampled_from([t.value for t in AlertType]) | sst.tokens(),
        format=st.none() | st.sampled_from(["int", "chr", "b64", "xml"]),
        mark=st.none() | st.sampled_from(["fatal", "critical", "informational"]),
        data=st.none() | sst.data_values(),
        source=st.none() | sst.loc_uris(),
        correlator=st.just(None),
        cmd_id=st.just("7"),
        code=st.just(code),
    )
    return st.lists(one, min_size=1, max_size=4)


@given(alerts=_generic_alerts(AlertCode.GENERIC_ALERT), events=_generic_alerts(AlertCode.CLIENT_EVENT))
def test_builder_parse_extract_round_trip(alerts: list[GenericAlert], events: list[GenericAlert]) -> None:
    """Invariant: extract(parse(serialize(build(alerts)))) == alerts, for both alert codes."""
    events = [dataclasses.replace(e, cmd_id="8") for e in events]
    message = syncml.parse(
        message_xml(syncml.serialize_commands([alert_command(alerts), alert_command(events)]).decode())
    )
    assert syncml.generic_alerts(message) == tuple(alerts)
    assert syncml.client_events(message) == tuple(events)
