"""Windows unenrollment both ways: finding the alert, building and recognising the Exec."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml import msft
from syncml import strategies as sst

from .builders import message_xml
from .c14n import canonical
from .conftest import EXAMPLES

QUIRKY = "msdocs-unenroll-first-package-generic-alert-quirky-sample.xml"


def test_unenroll_request_in_our_example() -> None:
    message = syncml.parse((EXAMPLES / "client-unenroll-request.xml").read_bytes())
    found = msft.unenroll_request(message)
    assert found is not None
    assert (found.cmd_id, found.format, found.data) == ("3", "int", "1")
    assert msft.unenroll_request(message.body.commands) == found


def test_no_unenroll_request_where_there_is_none() -> None:
    for name in ("client-session-start-md5.xml", "client-generic-alert-app-install.xml"):
        assert msft.unenroll_request(syncml.parse((EXAMPLES / name).read_bytes())) is None


def test_unenroll_request_with_prefix_and_in_a_client_event_is_only_the_former() -> None:
    item = (
        '<Item><Meta><Type xmlns="syncml:metinf">Reversed-Domain-Name:com.microsoft:mdm.unenrollment.userrequest'
        "</Type></Meta><Data>1</Data></Item>"
    )
    as_alert = syncml.parse(message_xml(f"<Alert><CmdID>5</CmdID><Data>1226</Data>{item}</Alert>"))
    as_event = syncml.parse(message_xml(f"<Alert><CmdID>5</CmdID><Data>1224</Data>{item}</Alert>"))
    found = msft.unenroll_request(as_alert)
    assert found is not None
    assert found.cmd_id == "5"
    assert msft.unenroll_request(as_event) is None


def test_quirky_documentation_sample_needs_the_opt_in_repair(corpus_dir: Path) -> None:
    data = (corpus_dir / QUIRKY).read_bytes()
    with pytest.raises(syncml.DecodeError, match="AttValue"):
        syncml.parse(data)
    repaired = syncml.repair_quotes(data)
    assert [fix.line for fix in repaired.fixes] == [1]
    message = syncml.parse(repaired.data)
    found = msft.unenroll_request(message)
    assert found is not None
    assert found.type == "com.microsoft:mdm.unenrollment.userrequest"  # leading space trimmed
    assert (found.cmd_id, found.format, found.data) == ("2", "int", "1")
    kinds = {q.kind for q in message.quirks}
    assert {syncml.QuirkKind.METINF_NAMESPACE, syncml.QuirkKind.VALUE_WHITESPACE} <= kinds


@pytest.mark.parametrize(
    "name",
    [
        "fleet-poc-dump-client-unenroll-generic-alert-1226-userrequest.xml",
        "msdocs-server-initiated-unenroll-alert-1226-fragment.xml",
    ],
)
def test_unenroll_request_in_corpus(corpus_dir: Path, name: str) -> None:
    data = (corpus_dir / name).read_bytes()
    try:
        source: syncml.SyncML | syncml.Commands = syncml.parse(data)
    except syncml.DecodeError:
        source = syncml.parse_commands(data)
    found = msft.unenroll_request(source)
    assert found is not None
    assert found.data == "1"


GOLDEN_EXEC = b"""<Exec><CmdID>5</CmdID><Item>
<Target><LocURI>./Vendor/MSFT/DMClient/Provider/Contoso MDM/Unenroll</LocURI></Target>
<Meta><Format xmlns="syncml:metinf">chr</Format></Meta><Data>Contoso MDM</Data></Item></Exec>"""


def test_unenroll_exec_golden_both_ways() -> None:
    built = msft.unenroll_exec("Contoso MDM", cmd_id="5")
    assert canonical(syncml.serialize_commands([built])) == canonical(GOLDEN_EXEC)
    assert syncml.parse_commands(GOLDEN_EXEC) == (built,)


@pytest.mark.parametrize(
    ("provider", "device_scoped", "uri"),
    [
        ("TestMDMServer", False, "./Vendor/MSFT/DMClient/Provider/TestMDMServer/Unenroll"),
        ("MDM Provider", False, "./Vendor/MSFT/DMClient/Provider/MDM Provider/Unenroll"),
        ("MDM Provider", True, "./Device/Vendor/MSFT/DMClient/Provider/MDM Provider/Unenroll"),
        ("a%20b", False, "./Vendor/MSFT/DMClient/Provider/a%20b/Unenroll"),
        ("{7A5B3E0F}", True, "./Device/Vendor/MSFT/DMClient/Provider/{7A5B3E0F}/Unenroll"),
    ],
)
def test_unenroll_uri_forms(provider: str, device_scoped: bool, uri: str) -> None:
    assert msft.unenroll_uri(provider, device_scoped=device_scoped) == uri
    built = msft.unenroll_exec(provider, cmd_id="2", device_scoped=device_scoped)
    assert built.items[0].target == m.Target(loc_uri=uri)
    assert built.items[0].data == provider
    assert msft.unenroll_provider(built) == provider


@pytest.mark.parametrize("provider", ["", "a/b", " padded", "padded\n"])
def test_unenroll_uri_refuses_what_cannot_be_a_segment(provider: str) -> None:
    with pytest.raises(syncml.EncodeError, match="ProviderID"):
        msft.unenroll_exec(provider, cmd_id="2")


def _exec(uri: str, data: str | None = None, items: int = 1) -> m.Exec:
    item = m.Item(target=m.Target(loc_uri=uri), data=data)
    return m.Exec(cmd_id="9", items=(item,) * items)


@pytest.mark.parametrize(
    ("command", "provider"),
    [
        (_exec("./Vendor/MSFT/DMClient/Provider/P1/Unenroll"), "P1"),
        (_exec("./device/Vendor/MSFT/DMClient/Provider/P 2/Unenroll"), "P 2"),
        (_exec("./Vendor/MSFT/DMClient/Unenroll", "Legacy MDM"), "Legacy MDM"),
        (_exec("./Vendor/MSFT/DMClient/Unenroll"), ""),
        (_exec("./Device/Vendor/MSFT/DMClient/Unenroll", " X "), "X"),
        # MS-MDE2's example with an extra segment is not a node Windows has.
        (_exec("./Vendor/MSFT/DMClient/Provider/P/TestMDMServer/Unenroll"), None),
        (_exec("./Vendor/MSFT/DMClient/Provider/P/HWDevID"), None),
        (_exec("./Vendor/MSFT/DMClient/Provider//Unenroll"), None),
        (_exec("./Vendor/MSFT/DMClient/Provider/P1/Unenroll", items=2), None),
        (m.Exec(cmd_id="9", items=(m.Item(data="P"),)), None),
        (
            m.Get(cmd_id="9", items=(m.Item(target=m.Target(loc_uri="./Vendor/MSFT/DMClient/Provider/P/Unenroll")),)),
            None,
        ),
    ],
)
def test_unenroll_provider_table(command: m.Command, provider: str | None) -> None:
    assert msft.unenroll_provider(command) == provider


def test_unenroll_provider_in_our_server_example() -> None:
    message = syncml.parse((EXAMPLES / "server-unenroll-exec.xml").read_bytes())
    assert [msft.unenroll_provider(c) for c in message.body.commands] == [None, "Example MDM"]


def test_unenroll_exec_sample_with_placeholder_is_not_xml(corpus_dir: Path) -> None:
    # DMClient CSP's sample writes <ProviderID> in the LocURI: even after the
    # quote repair it is an unclosed element, so it stays refused.
    data = syncml.repair_quotes(
        (corpus_dir / "msdocs-dmclient-exec-unenroll-curly-quotes-providerid-placeholder.xml").read_bytes()
    )
    assert len(data.fixes) == 1
    with pytest.raises(syncml.DecodeError, match="mismatch"):
        syncml.parse_commands(data.data)


_PROVIDER_IDS = sst.tokens(max_size=30).filter(lambda t: "/" not in t and t.strip() == t)


@given(provider=_PROVIDER_IDS, device_scoped=st.booleans(), cmd_id=sst.cmd_ids())
def test_exec_round_trip(provider: str, device_scoped: bool, cmd_id: str) -> None:
    """Invariant: unenroll_provider(parse(serialize(unenroll_exec(p)))) == p."""
    built = msft.unenroll_exec(provider, cmd_id=cmd_id, device_scoped=device_scoped)
    [parsed] = syncml.parse_commands(syncml.serialize_commands([built]), strict=True)
    assert parsed == built
    assert msft.unenroll_provider(parsed) == provider
