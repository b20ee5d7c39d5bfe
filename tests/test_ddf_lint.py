"""syncml.ddf.lint, rule by rule: a clean command, the same command broken one way, and the finding.

Every message here is our own writing.  The built-in catalog supplies the
Windows nodes; a small DDF of our own supplies what the Windows DDFs do not
show (an ADMX-backed node with a RegEx and a list, AtomicRequired).
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

import pytest

import syncml
from syncml import ddf
from syncml import model as m
from syncml._meter import measure
from syncml.ddf import Rule

_MSFT = 'xmlns:MSFT="http://schemas.microsoft.com/MobileDevice/DM"'
OWN = f"""<MgmtTree {_MSFT}><VerDTD>1.2</VerDTD>
<Node><NodeName>Own</NodeName><Path>./Device/Vendor/MSFT</Path><DFProperties><AccessType><Get/></AccessType>
<DFFormat><node/></DFFormat><DFType><DDFName/></DFType></DFProperties>
<Node><NodeName>Policy</NodeName><DFProperties><AccessType><Add/><Replace/><Get/></AccessType>
<DFFormat><chr/></DFFormat><DFType><MIME/></DFType><MSFT:AllowedValues ValueType="ADMX">
<MSFT:AdmxBacked Area="A~B" Name="P" File="own.admx"/></MSFT:AllowedValues></DFProperties></Node>
<Node><NodeName>Id</NodeName><DFProperties><AccessType><Replace/><Get/></AccessType>
<DFFormat><chr/></DFFormat><DFType><MIME/></DFType><MSFT:AllowedValues ValueType="RegEx">
<MSFT:Value>[0-9a-f]{{4}}</MSFT:Value></MSFT:AllowedValues></DFProperties></Node>
<Node><NodeName>Colors</NodeName><DFProperties><AccessType><Replace/><Get/></AccessType>
<DFFormat><chr/></DFFormat><DFType><MIME/></DFType><MSFT:AllowedValues ValueType="ENUM">
<MSFT:Enum><MSFT:Value>red</MSFT:Value><MSFT:ValueDescription/></MSFT:Enum>
<MSFT:Enum><MSFT:Value>blue</MSFT:Value><MSFT:ValueDescription/></MSFT:Enum>
<MSFT:List Delimiter=","/></MSFT:AllowedValues></DFProperties></Node>
<Node><NodeName>Roles</NodeName><DFProperties><AccessType><Replace/></AccessType>
<DFFormat><int/></DFFormat><DFType><MIME/></DFType><MSFT:AllowedValues ValueType="Flag">
<MSFT:Enum><MSFT:Value>0x1</MSFT:Value><MSFT:ValueDescription/></MSFT:Enum>
<MSFT:Enum><MSFT:Value>0x4</MSFT:Value><MSFT:ValueDescription/></MSFT:Enum></MSFT:AllowedValues></DFProperties></Node>
<Node><NodeName>Blob</NodeName><DFProperties><AccessType><Replace/></AccessType>
<DFFormat><b64/></DFFormat><DFType><MIME/></DFType></DFProperties></Node>
<Node><NodeName>Doc</NodeName><DFProperties><AccessType><Replace/></AccessType>
<DFFormat><xml/></DFFormat><DFType><MIME/></DFType></DFProperties></Node>
<Node><NodeName>Flag</NodeName><DFProperties><AccessType><Replace/></AccessType>
<DFFormat><bool/></DFFormat><DFType><MIME/></DFType></DFProperties></Node>
<Node><NodeName>App</NodeName><DFProperties><AccessType><Add/><Get/></AccessType>
<DFFormat><node/></DFFormat><DFType><MIME/></DFType></DFProperties>
<Node><NodeName></NodeName><DFProperties><AccessType><Add/><Get/></AccessType>
<DFFormat><node/></DFFormat><DFTitle>Code</DFTitle><DFType><MIME/></DFType><MSFT:AtomicRequired/></DFProperties>
<Node><NodeName>Name</NodeName><DFProperties><AccessType><Add/><Get/></AccessType>
<DFFormat><chr/></DFFormat><DFType><MIME/></DFType></DFProperties></Node></Node></Node>
</Node></MgmtTree>"""

CATALOG = ddf.Catalog.builtin().merged(ddf.Catalog([(ddf.load(OWN), "own.ddf.xml")]))

UNENROLL = "./Vendor/MSFT/DMClient/Provider/MDM1/Unenroll"
CAMERA = "./Vendor/MSFT/Policy/Config/Camera/AllowCamera"
ENCRYPT = "./Device/Vendor/MSFT/BitLocker/RequireDeviceEncryption"


def item(uri: str, data: m.Data | None = None, fmt: str | None = None) -> m.Item:
    return m.Item(target=m.Target(loc_uri=uri), meta=m.Meta(format=fmt) if fmt else None, data=data)


def replace(uri: str, data: m.Data | None = None, fmt: str | None = None, cmd_id: str = "2") -> m.Replace:
    return m.Replace(cmd_id=cmd_id, items=(item(uri, data, fmt),))


def exec_(uri: str, data: m.Data | None = None, fmt: str | None = None) -> m.Exec:
    return m.Exec(cmd_id="2", items=(item(uri, data, fmt),))


def add(uri: str, data: m.Data | None = None, fmt: str | None = None) -> m.Add:
    return m.Add(cmd_id="2", items=(item(uri, data, fmt),))


def get(uri: str) -> m.Get:
    return m.Get(cmd_id="2", items=(item(uri),))


_DEFAULT = ddf.LintOptions()


@dataclass(frozen=True)
class Case:
    name: str
    clean: tuple[m.Command, ...]
    broken: tuple[m.Command, ...]
    rule: Rule
    options: ddf.LintOptions = _DEFAULT


CASES = [
    Case("LocURI without ./", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT[2:], "1", "int"),), Rule.LOCURI_SHAPE),
    Case(
        "LocURI with ..", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT + "/../X", "1", "int"),), Rule.LOCURI_SHAPE
    ),
    Case(
        "empty segment",
        (replace(ENCRYPT, "1", "int"),),
        (replace(ENCRYPT.replace("/MSFT/", "/MSFT//"), "1", "int"),),
        Rule.LOCURI_SHAPE,
    ),
    Case(
        "whitespace around", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT + " ", "1", "int"),), Rule.LOCURI_SHAPE
    ),
    Case(
        "bad percent-encoding",
        (exec_(UNENROLL, "MDM1", "chr"),),
        (exec_(UNENROLL.replace("MDM1", "MDM%G1"), "MDM1", "chr"),),
        Rule.LOCURI_SHAPE,
    ),
    Case(
        "reserved node through the scope-less form",
        (replace(ENCRYPT, "1", "int"),),
        (replace("./Vendor/MSFT/DMClient/Provider/MDM1/EntDMID", "x"),),
        Rule.RESERVED_NODE,
        ddf.LintOptions(reserved=("./Device/Vendor/MSFT/DMClient",)),
    ),
    Case("node exists", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT + "X", "1", "int"),), Rule.UNKNOWN_NODE),
    Case(
        "CSP known",
        (replace(ENCRYPT, "1", "int"),),
        (replace("./Device/Vendor/MSFT/NoSuchCsp/X", "1"),),
        Rule.UNKNOWN_CSP,
    ),
    Case("case of a CS node", (get("./DevInfo/DevId"),), (get("./DevInfo/DevID"),), Rule.NODE_CASE),
    Case(
        "user scope on a device-only node",
        (exec_(UNENROLL, "MDM1", "chr"),),
        (exec_(UNENROLL.replace("./Vendor", "./User/Vendor"), "MDM1", "chr"),),
        Rule.SCOPE,
    ),
    Case("Replace of a Get-only node", (get("./DevInfo/DevId"),), (replace("./DevInfo/DevId", "x"),), Rule.ACCESS),
    Case("Exec on a non-Exec node", (exec_(UNENROLL, "MDM1", "chr"),), (exec_(ENCRYPT),), Rule.ACCESS),
    Case(
        "Add where Add is not allowed",
        (replace("./Device/Vendor/MSFT/Own/Id", "ab12"),),
        (add("./Device/Vendor/MSFT/Own/Id", "ab12"),),
        Rule.ACCESS,
    ),
    Case("Meta Format agrees", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT, "1", "bool"),), Rule.META_FORMAT),
    Case("Meta Format given", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT, "1"),), Rule.META_FORMAT_MISSING),
    Case("int parses", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT, "one", "int"),), Rule.DATA_FORMAT),
    Case(
        "bool is true or false",
        (replace("./Device/Vendor/MSFT/Own/Flag", "true", "bool"),),
        (replace("./Device/Vendor/MSFT/Own/Flag", "yes", "bool"),),
        Rule.DATA_FORMAT,
    ),
    Case(
        "b64 decodes",
        (replace("./Device/Vendor/MSFT/Own/Blob", "aGk=", "b64"),),
        (replace("./Device/Vendor/MSFT/Own/Blob", "a!k=", "b64"),),
        Rule.DATA_FORMAT,
    ),
    Case(
        "xml is well-formed",
        (replace("./Device/Vendor/MSFT/Own/Doc", "<a/>", "xml"),),
        (replace("./Device/Vendor/MSFT/Own/Doc", "<a>", "xml"),),
        Rule.DATA_FORMAT,
    ),
    Case(
        "chr carrying unescaped markup",
        (replace("./Vendor/MSFT/WiFi/Profile/Home/WlanXml", m.CData(text="<WLANProfile/>"), "chr"),),
        (replace("./Vendor/MSFT/WiFi/Profile/Home/WlanXml", m.Markup(xml="<WLANProfile/>"), "chr"),),
        Rule.DATA_MARKUP,
    ),
    Case("ENUM", (replace(ENCRYPT, "1", "int"),), (replace(ENCRYPT, "5", "int"),), Rule.ALLOWED_VALUES),
    Case(
        "Range",
        (replace("./Vendor/MSFT/DMClient/Provider/MDM1/ConfigRefresh/Cadence", "90", "int"),),
        (replace("./Vendor/MSFT/DMClient/Provider/MDM1/ConfigRefresh/Cadence", "10", "int"),),
        Rule.ALLOWED_VALUES,
    ),
    Case(
        "RegEx",
        (replace("./Device/Vendor/MSFT/Own/Id", "ab12"),),
        (replace("./Device/Vendor/MSFT/Own/Id", "xyz"),),
        Rule.ALLOWED_VALUES,
    ),
    Case(
        "List with its delimiter",
        (replace("./Device/Vendor/MSFT/Own/Colors", "red,blue"),),
        (replace("./Device/Vendor/MSFT/Own/Colors", "red,green"),),
        Rule.ALLOWED_VALUES,
    ),
    Case(
        "Flag",
        (replace("./Device/Vendor/MSFT/Own/Roles", "5", "int"),),
        (replace("./Device/Vendor/MSFT/Own/Roles", "2", "int"),),
        Rule.ALLOWED_VALUES,
    ),
    Case(
        "ADMX-backed markup",
        (replace("./Device/Vendor/MSFT/Own/Policy", '<enabled/><data id="x" value="1"/>'),),
        (replace("./Device/Vendor/MSFT/Own/Policy", "1"),),
        Rule.ADMX_DATA,
    ),
    Case(
        "AtomicRequired",
        (m.Atomic(cmd_id="1", commands=(add("./Device/Vendor/MSFT/Own/App/{A1}/Name", "n"),)),),
        (add("./Device/Vendor/MSFT/Own/App/{A1}/Name", "n"),),
        Rule.ATOMIC_REQUIRED,
    ),
    Case(
        "duplicate targets in a profile",
        (replace(ENCRYPT, "1", "int"),),
        (
            replace(ENCRYPT, "1", "int"),
            replace("./Device/Vendor/MSFT/BitLocker/RequireDeviceEncryption", "0", "int", "3"),
        ),
        Rule.DUPLICATE_TARGET,
        ddf.LintOptions(profile=True),
    ),
    Case(
        "Get in a profile",
        (replace(ENCRYPT, "1", "int"),),
        (get(ENCRYPT),),
        Rule.PROFILE_COMMAND,
        ddf.LintOptions(profile=True),
    ),
    Case("empty profile", (replace(ENCRYPT, "1", "int"),), (), Rule.EMPTY_PROFILE, ddf.LintOptions(profile=True)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_both_ways(case: Case) -> None:
    assert ddf.lint(case.clean, catalog=CATALOG, options=case.options) == ()
    findings = ddf.lint(case.broken, catalog=CATALOG, options=case.options)
    assert case.rule in {f.rule for f in findings}, [str(f) for f in findings]
    finding = next(f for f in findings if f.rule == case.rule)
    assert finding.message
    assert str(finding).startswith(f"{finding.severity.value} {case.rule.value}: ")
    assert finding.source == case.rule.source


def test_every_rule_has_a_case() -> None:
    assert {c.rule for c in CASES} == set(Rule)


def test_findings_carry_the_ddf_fact() -> None:
    (finding,) = ddf.lint([replace("./DevInfo/DevId", "x")], catalog=CATALOG)
    assert finding.rule is Rule.ACCESS
    assert finding.severity is syncml.Severity.ERROR
    assert finding.fact == "./DevInfo/DevId: AccessType Get, DFFormat chr (devinfo.ddf.xml)"
    assert finding.path == "Replace[1]/Item[1]"
    assert finding.loc_uri == "./DevInfo/DevId"


@pytest.mark.parametrize("name", ["DevId", "Man", "Mod", "DmV", "Lang"])
def test_a_server_replace_of_devinfo_is_an_error_and_a_client_report_is_not(name: str) -> None:
    uri = f"./DevInfo/{name}"
    (finding,) = ddf.lint([replace(uri, "x")])
    assert finding.rule is Rule.ACCESS
    assert ddf.lint([replace(uri, "x")], direction=syncml.Direction.CLIENT_TO_SERVER) == ()
    assert ddf.lint([get(uri)]) == ()


def test_microsofts_unenroll_exec_lints_clean() -> None:
    # Exec's Data is the operation's argument: Format chr to a null node is right.
    for uri in (UNENROLL, "./Device/Vendor/MSFT/DMClient/Provider/MDM1/Unenroll"):
        assert ddf.lint([exec_(uri, "MDM1", "chr")]) == ()
    findings = ddf.lint([replace(UNENROLL, "MDM1", "chr")])
    assert {f.rule for f in findings} == {Rule.ACCESS, Rule.META_FORMAT, Rule.DATA_FORMAT}


#: Example messages that break a DDF rule on purpose or by their source's mistake.
EXPECTED_ERRORS: dict[str, list[str]] = {
    # The CDATA holds a raw '&' inside an attribute of the ADMX markup; the device reads
    # that markup as XML, so the value must say &amp; (inside the CDATA).
    "server-add-cdata-policy.xml": [
        "error admx-data: '<enabled/><data id=\"Publishing_Server...' is not ADMX markup: it is not well-formed"
        " [./Device/Vendor/MSFT/Policy/Config/AppVirtualization/PublishingAllowServer1: AccessType Add, Delete,"
        " Get, Replace, DFFormat chr (legacy-2019/policy.ddf.xml); ADMX appv.admx Publishing_Server1_Policy]"
        " - at SyncML/SyncBody/Replace[1]/Item[1]"
    ],
}


def test_the_example_messages_lint_as_expected() -> None:
    examples = pathlib.Path(__file__).parent / "examples"
    checked = 0
    for path in sorted(examples.glob("*.xml")):
        msg: syncml.SyncML | tuple[m.Command, ...]
        if path.name.startswith("fragment"):
            msg = tuple(syncml.parse_commands(path.read_bytes()))
        else:
            msg = syncml.parse(path.read_bytes())
            if msg.header.ver_dtd != "1.2":
                continue  # the DDFs describe DM 1.2 trees (DM 1.1's DMAcc is another shape)
        direction = (
            syncml.Direction.CLIENT_TO_SERVER if path.name.startswith("client") else syncml.Direction.SERVER_TO_CLIENT
        )
        errors = [str(f) for f in ddf.lint(msg, direction=direction) if f.severity is syncml.Severity.ERROR]
        assert errors == EXPECTED_ERRORS.get(path.name, []), path.name
        checked += 1
    assert checked > 0


def test_a_whole_message_and_nested_commands() -> None:
    msg = syncml.parse(
        b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        b"<SessionID>1</SessionID><MsgID>2</MsgID><Target><LocURI>dev</LocURI></Target>"
        b"<Source><LocURI>https://mdm.example.com</LocURI></Source></SyncHdr><SyncBody>"
        b"<Sequence><CmdID>3</CmdID><Replace><CmdID>4</CmdID><Item><Target><LocURI>./DevInfo/Lang</LocURI></Target>"
        b"<Data>en</Data></Item></Replace></Sequence><Final/></SyncBody></SyncML>"
    )
    (finding,) = ddf.lint(msg)
    assert finding.path == "SyncML/SyncBody/Sequence[1]/Replace[1]/Item[1]"


def test_lint_work_scales_linearly() -> None:
    def profile(n: int) -> list[m.Command]:
        return [replace(ENCRYPT, str(i % 3), "int", str(i + 1)) for i in range(n)]

    def cost(n: int) -> int:
        with measure() as meter:
            ddf.lint(profile(n), catalog=CATALOG, options=ddf.LintOptions(profile=True))
        return meter.work

    small, large = cost(50), cost(400)
    assert small > 0
    assert large <= 8 * small * 1.1
