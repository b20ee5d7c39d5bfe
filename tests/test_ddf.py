"""syncml.ddf: loading DDF and TNDS documents, their quirks and refusals, the catalog and its lookups."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import syncml
from syncml import ddf
from syncml import model as m
from syncml._meter import measure
from syncml.ddf import DDFQuirkKind as Q

DDF_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "ddf"
ROOT = Path(__file__).resolve().parent.parent

_DOCTYPE = (
    '<!DOCTYPE MgmtTree PUBLIC " -//OMA//DTD-DM-DDF 1.2//EN"'
    ' "http://www.openmobilealliance.org/tech/DTD/DM_DDF-V1_2.dtd"[<?oma-dm-ddf-ver supported-versions="1.2"?>]>'
)
_MSFT = 'xmlns:MSFT="http://schemas.microsoft.com/MobileDevice/DM"'


def _ddf(nodes: str, *, doctype: str = "", msft: bool = True) -> str:
    decl = f" {_MSFT}" if msft else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<MgmtTree{decl}><VerDTD>1.2</VerDTD>{nodes}</MgmtTree>'


def _leaf(name: str, props: str) -> str:
    return f"<Node><NodeName>{name}</NodeName><DFProperties>{props}</DFProperties></Node>"


_PLAIN = "<AccessType><Get/></AccessType><DFFormat><chr/></DFFormat><DFType><MIME>text/plain</MIME></DFType>"
# Our own small CSP: a root, a dynamic node, an int leaf with a range and an Exec node.
SAMPLE = _ddf(
    "<Node><NodeName>Sample</NodeName><Path>./Device/Vendor/MSFT</Path><DFProperties>"
    "<AccessType><Get/></AccessType><DFFormat><node/></DFFormat><Occurrence><One/></Occurrence>"
    "<Scope><Permanent/></Scope><DFType><DDFName/></DFType>"
    "<MSFT:Applicability><MSFT:OsBuildVersion>10.0.22621, 10.0.22000.739</MSFT:OsBuildVersion>"
    "<MSFT:CspVersion>1.0</MSFT:CspVersion><MSFT:EditionAllowList>0x4;0x30;</MSFT:EditionAllowList>"
    "</MSFT:Applicability></DFProperties>"
    "<Node><NodeName> </NodeName><DFProperties><AccessType><Add/><Delete/><Get/></AccessType>"
    "<DFFormat><node/></DFFormat><Occurrence><ZeroOrMore/></Occurrence><Scope><Dynamic/></Scope>"
    "<DFTitle>Account</DFTitle><DFType><MIME/></DFType>"
    "<MSFT:DynamicNodeNaming><MSFT:ServerGeneratedUniqueIdentifier/></MSFT:DynamicNodeNaming></DFProperties>"
    + _leaf(
        "Level",
        "<AccessType><Add/><Get/><Replace/></AccessType><DefaultValue>3</DefaultValue>"
        "<Description>How loud.</Description><DFFormat><int/></DFFormat><DFType><MIME/></DFType>"
        '<MSFT:AllowedValues ValueType="Range"><MSFT:Value>[1-5]</MSFT:Value></MSFT:AllowedValues>',
    )
    + _leaf(
        "Mode",
        "<AccessType><Add/><Get/><Replace/></AccessType><DFFormat><chr/></DFFormat><DFType><MIME/></DFType>"
        '<MSFT:AllowedValues ValueType="ENUM"><MSFT:Enum><MSFT:Value>a</MSFT:Value>'
        "<MSFT:ValueDescription>first</MSFT:ValueDescription></MSFT:Enum></MSFT:AllowedValues>"
        "<MSFT:ConflictResolution>LastWrite</MSFT:ConflictResolution>",
    )
    + "</Node>"
    + _leaf("Wipe", "<AccessType><Exec/></AccessType><DFFormat><null/></DFFormat><DFType><MIME/></DFType>")
    + "</Node>",
    doctype=_DOCTYPE,
)


def test_a_ddf_loads_into_typed_nodes() -> None:
    tree = ddf.load(SAMPLE)
    root = tree.nodes[0]
    assert root.path == "./Device/Vendor/MSFT/Sample"
    assert root.applicability is not None
    assert root.applicability.os_builds == ("10.0.22621", "10.0.22000.739")
    assert root.applicability.editions == ("0x4", "0x30")
    account = root.children[0]
    assert account.dynamic
    assert account.name == ""
    assert account.title == "Account"
    assert account.dynamic_naming == "ServerGeneratedUniqueIdentifier"
    level = account.children[0]
    assert level.path == "./Device/Vendor/MSFT/Sample/<Account>/Level"
    assert level.access == frozenset({"Add", "Get", "Replace"})
    assert (level.format, level.default, level.description) == ("int", "3", "How loud.")
    assert level.allowed is not None
    assert level.allowed.range == (1, 5)
    mode = account.children[1]
    assert mode.allowed == ddf.AllowedValues(value_type="ENUM", enums=(ddf.EnumValue(value="a", description="first"),))
    assert mode.extensions == (f"<MSFT:ConflictResolution {_MSFT}>LastWrite</MSFT:ConflictResolution>",)
    assert root.children[1].access == frozenset({"Exec"})
    assert root.children[1].format == "null"
    assert [q.kind for q in tree.quirks] == [Q.DOCTYPE_PUBLIC_ID, Q.BLANK_NODE_NAME]


def test_load_records_one_call_on_the_meter() -> None:
    with measure() as meter:
        ddf.load(SAMPLE)
    assert meter.calls == 1
    assert meter.work >= len(SAMPLE)
    assert meter.nodes > 20


def test_write_then_load_gives_the_same_tree() -> None:
    tree = ddf.load(SAMPLE)
    text = ddf.write(tree)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE MgmtTree PUBLIC "-//OMA')
    again = ddf.load(text)
    assert again == tree
    assert Q.DOCTYPE_PUBLIC_ID not in {q.kind for q in again.quirks}


# --- the deviations of real DDF files, one by one: lenient records, strict refuses ---------------

QUIRKS = [
    (
        "raw markup in a Description (2019 Policy DDF)",
        _ddf(_leaf("A", _PLAIN.replace("<DFFormat>", "<Description>use <about:blank> here</Description><DFFormat>"))),
        Q.MARKUP_IN_TEXT,
    ),
    (
        "missing DFType (2019 Registry DDF)",
        _ddf(_leaf("A", "<AccessType><Get/></AccessType><DFFormat><chr/></DFFormat>")),
        Q.MISSING_DFTYPE,
    ),
    ("empty AccessType (2019 Accounts DDF)", _ddf(_leaf("A", _PLAIN.replace("<Get/>", ""))), Q.EMPTY_ACCESS),
    (
        "<Set/> access (2019 CertificateStore DDF)",
        _ddf(_leaf("A", _PLAIN.replace("<Get/>", "<Get/><Set/>"))),
        Q.UNKNOWN_ACCESS,
    ),
    ("DOCTYPE public id with a leading space", _ddf(_leaf("A", _PLAIN), doctype=_DOCTYPE), Q.DOCTYPE_PUBLIC_ID),
    ("no xmlns:MSFT (2019 DeviceLock DDF)", _ddf(_leaf("A", _PLAIN), msft=False), Q.MISSING_MSFT_NAMESPACE),
    (
        "MSFT elements used without xmlns:MSFT",
        _ddf(_leaf("A", _PLAIN + "<MSFT:AtomicRequired/>"), msft=False),
        Q.MISSING_MSFT_NAMESPACE,
    ),
    (
        "quoted DefaultValue (2024 DiagnosticLog DDF)",
        _ddf(_leaf("A", _PLAIN + '<DefaultValue>"0"</DefaultValue>')),
        Q.QUOTED_DEFAULT,
    ),
    ("whitespace-only NodeName (2024 DDFs)", _ddf(_leaf("\n   ", _PLAIN)), Q.BLANK_NODE_NAME),
    ("unknown DFFormat", _ddf(_leaf("A", _PLAIN.replace("<chr/>", "<text/>"))), Q.UNKNOWN_VALUE),
    ("unknown element", _ddf(_leaf("A", _PLAIN + "<Frobnicate/>")), Q.UNKNOWN_ELEMENT),
]


@pytest.mark.parametrize(("name", "text", "kind"), QUIRKS, ids=[q[0] for q in QUIRKS])
def test_a_deviation_is_a_quirk_when_lenient_and_refused_when_strict(name: str, text: str, kind: Q) -> None:
    tree = ddf.load(text)
    assert kind in {q.kind for q in tree.quirks}, name
    quirk = next(q for q in tree.quirks if q.kind == kind)
    assert quirk.line is not None
    assert str(quirk).startswith(kind.value)
    with pytest.raises(syncml.DecodeError) as info:
        ddf.load(text, strict=True)
    assert info.value.line is not None


def test_the_repaired_description_keeps_its_text() -> None:
    text = _ddf(
        _leaf("A", _PLAIN.replace("<DFFormat>", "<Description>a <b> c <![CDATA[<x>]]></Description><DFFormat>"))
    )
    assert ddf.load(text).nodes[0].description == "a <b> c <x>"


def test_a_quoted_default_keeps_its_quotes_and_set_stays_in_access() -> None:
    tree = ddf.load(_ddf(_leaf("A", _PLAIN.replace("<Get/>", "<Get/><Set/>") + '<DefaultValue>"0"</DefaultValue>')))
    assert tree.nodes[0].default == '"0"'
    assert tree.nodes[0].access == frozenset({"Get", "Set"})


# --- refusals: every bad input is a DecodeError with a position ----------------------------------

BAD = [
    ("not XML", b"<MgmtTree><VerDTD>", None),
    (
        "an entity in the DOCTYPE",
        b'<!DOCTYPE MgmtTree [<!ENTITY x "y">]><MgmtTree><VerDTD>&x;</VerDTD></MgmtTree>',
        None,
    ),
    ("a SYSTEM DOCTYPE", b'<!DOCTYPE MgmtTree SYSTEM "file:///etc/passwd"><MgmtTree/>', None),
    ("another root", b"<SyncML/>", "SyncML"),
    ("no VerDTD", _ddf(_leaf("A", _PLAIN)).replace("<VerDTD>1.2</VerDTD>", "").encode(), "MgmtTree"),
    ("no Node", _ddf("").encode(), "MgmtTree"),
    ("a Node without NodeName", _ddf("<Node><DFProperties/></Node>").encode(), "MgmtTree/Node[1]"),
    ("a foreign namespace", _ddf(_leaf("A", _PLAIN.replace("<Get/>", '<Get xmlns="urn:x"/>'))).encode(), "AccessType"),
    ("raw markup in a NodeName", _ddf(_leaf("A<b>", _PLAIN)).encode(), None),
    ("invalid UTF-8", b"<MgmtTree><VerDTD>\xff</VerDTD></MgmtTree>", None),
    ("empty", b"", None),
]


@pytest.mark.parametrize(("name", "data", "path"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_a_decode_error(name: str, data: bytes, path: str | None) -> None:
    with pytest.raises(syncml.DecodeError) as info:
        ddf.load(data)
    assert info.value.line is not None or info.value.offset is not None or info.value.path, name
    if path is not None:
        assert info.value.path is not None
        assert path in info.value.path


def test_limits_apply() -> None:
    deep = _ddf("<Node><NodeName>a</NodeName>" * 40 + "</Node>" * 40)
    with pytest.raises(syncml.DecodeError) as info:
        ddf.load(deep)
    assert info.value.status == 413
    with pytest.raises(syncml.DecodeError) as info:
        ddf.load(SAMPLE, limits=syncml.Limits(max_size=100))
    assert info.value.status == 413
    with pytest.raises(syncml.DecodeError):
        ddf.load(SAMPLE, limits=syncml.Limits(max_nodes=10))


def test_a_bad_type_is_a_decode_error() -> None:
    with pytest.raises(syncml.DecodeError):
        ddf.load(12)  # type: ignore[arg-type]


# --- the shared DDF files -----------------------------------------------------------------------


def _shared() -> list[Path]:
    if not DDF_DIR.is_dir():
        return []
    return sorted(DDF_DIR.glob("*.xml")) + sorted((DDF_DIR / "legacy-2019").glob("*.xml"))


@pytest.fixture
def ddf_dir() -> Path:
    if not DDF_DIR.is_dir():
        pytest.skip("../shared/ddf is not present")
    return DDF_DIR


#: Quirks each shared file shows (files not listed: only the DOCTYPE's leading space, or none).
EXPECTED_QUIRKS = {
    "legacy-2019/policy.ddf.xml": {Q.DOCTYPE_PUBLIC_ID, Q.MARKUP_IN_TEXT},
    "legacy-2019/registry.ddf.xml": {Q.MISSING_DFTYPE},
    "legacy-2019/healthattestation.ddf.xml": {Q.DOCTYPE_PUBLIC_ID, Q.MISSING_DFTYPE},
    "legacy-2019/devicelock.ddf.xml": {Q.MISSING_MSFT_NAMESPACE},
    "legacy-2019/storage.ddf.xml": {Q.MISSING_MSFT_NAMESPACE},
    "legacy-2019/certificatestore.ddf.xml": {Q.DOCTYPE_PUBLIC_ID, Q.UNKNOWN_ACCESS},
    "legacy-2019/accounts.ddf.xml": {Q.DOCTYPE_PUBLIC_ID, Q.EMPTY_ACCESS},
    "diagnosticlog.ddf.xml": {Q.DOCTYPE_PUBLIC_ID, Q.BLANK_NODE_NAME, Q.QUOTED_DEFAULT},
    "dmclient.ddf.xml": {Q.DOCTYPE_PUBLIC_ID, Q.BLANK_NODE_NAME},
}


@pytest.mark.parametrize("path", _shared(), ids=lambda p: p.name)
def test_every_shared_file_loads_and_round_trips(path: Path) -> None:
    tree = ddf.load(path.read_bytes())
    assert tree.nodes
    assert all(node.path.startswith(".") for node in tree.walk())
    name = path.relative_to(DDF_DIR).as_posix()
    kinds = {q.kind for q in tree.quirks}
    if name in EXPECTED_QUIRKS:
        assert kinds == EXPECTED_QUIRKS[name]
    else:
        assert kinds <= {Q.DOCTYPE_PUBLIC_ID, Q.BLANK_NODE_NAME, Q.QUOTED_DEFAULT, Q.MARKUP_IN_TEXT}
    assert ddf.load(ddf.write(tree)) == tree


def test_the_2019_policy_ddf_needs_the_repair(ddf_dir: Path) -> None:
    data = (ddf_dir / "legacy-2019" / "policy.ddf.xml").read_bytes()
    with pytest.raises(syncml.DecodeError) as info:
        ddf.load(data.replace(b'" -//OMA', b'"-//OMA', 1), strict=True)
    assert info.value.line == 1396
    tree = ddf.load(data)
    assert len(tree.walk()) == 2955
    assert any(q.kind == Q.MARKUP_IN_TEXT and q.line == 1387 for q in tree.quirks)


def test_the_mission_nodes_in_the_2024_files(ddf_dir: Path) -> None:
    dmclient = ddf.load((ddf_dir / "dmclient.ddf.xml").read_bytes())
    unenroll = [n for n in dmclient.walk() if n.name == "Unenroll"]
    assert {n.path for n in unenroll} == {
        "./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll",
        "./Device/Vendor/MSFT/DMClient/Unenroll",
        "./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/LinkedEnrollment/Unenroll",
    }
    provider = next(n for n in unenroll if n.path.endswith("<ProviderID>/Unenroll"))
    assert (provider.access, provider.format, provider.mime) == (frozenset({"Exec", "Get"}), "null", "")
    devinfo = ddf.load((ddf_dir / "devinfo.ddf.xml").read_bytes())
    leaves = {n.name: n for n in devinfo.walk() if n.name in ("DevId", "Man", "Mod", "DmV", "Lang")}
    assert len(leaves) == 5
    assert all(n.access == frozenset({"Get"}) and n.format == "chr" for n in leaves.values())
    delimiter = next(n for n in dmclient.walk() if n.name == "ExpectedPolicies").allowed
    assert delimiter is not None
    assert delimiter.list_delimiter == "\\xF000"
    assert delimiter.separator == "\uf000"


# --- the catalog ----------------------------------------------------------------------------------


def test_builtin_catalog_resolves_the_scope_forms() -> None:
    catalog = ddf.Catalog.builtin()
    device = catalog.lookup("./Device/Vendor/MSFT/DMClient/Provider/MDM%201/Unenroll")
    assert device is not None
    assert device.path == "./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll"
    assert catalog.lookup("./Vendor/MSFT/DMClient/Provider/x/Unenroll") is device
    assert catalog.lookup("./User/Vendor/MSFT/DMClient/Provider/x/Unenroll") is None
    assert catalog.lookup("./User/Vendor/MSFT/DMClient/Provider/x/FirstSyncStatus") is not None
    assert catalog.lookup("./DevInfo/DevId") is not None
    assert catalog.lookup("./DevInfo/DevID") is None  # case-sensitive unless the node says CIS
    resolution = catalog.resolve("./DevInfo/DevID")
    assert resolution.node is not None
    assert resolution.case_mismatch == ("DevID",)
    assert catalog.lookup("./Device/Vendor/MSFT/Nothing") is None
    assert catalog.resolve("./Device/Vendor/MSFT/DMClient/Nope").deepest is not None
    assert catalog is ddf.Catalog.builtin()  # loaded once
    assert len(catalog) > 80


def test_catalog_from_files_and_a_later_tree_wins(tmp_path: Path) -> None:
    first = tmp_path / "sample.ddf.xml"
    first.write_text(SAMPLE)
    catalog = ddf.Catalog.from_files([first])
    node = catalog.lookup("./Vendor/MSFT/Sample/acc1/Level")
    assert node is not None
    assert node.format == "int"
    second = tmp_path / "sample2.ddf.xml"
    second.write_text(SAMPLE.replace("<NodeName>Level</NodeName>", "<NodeName>Volume</NodeName>"))
    merged = ddf.Catalog.builtin().merged(ddf.Catalog.from_files([first, second]))
    assert merged.lookup("./Vendor/MSFT/Sample/acc1/Level") is None
    assert merged.lookup("./Vendor/MSFT/Sample/acc1/Volume") is not None
    assert merged.lookup("./DevInfo/Lang") is not None
    with pytest.raises(syncml.DecodeError):
        ddf.Catalog.from_files([tmp_path / "missing.xml"])


def test_catalog_from_zip(tmp_path: Path) -> None:
    archive = tmp_path / "DDFv2.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("DDFv2/Sample.xml", SAMPLE)
        zf.writestr("DDFv2/readme.txt", "not a DDF")
        zf.writestr("DDFv2/Broken.xml", "<MgmtTree>")
    with pytest.raises(syncml.DecodeError) as info:
        ddf.Catalog.from_zip(archive)
    assert info.value.path is not None
    assert "Broken.xml" in info.value.path
    catalog = ddf.Catalog.from_zip(archive, skip_invalid=True)
    assert catalog.lookup("./Device/Vendor/MSFT/Sample/x/Mode") is not None
    assert [name for name, _ in catalog.skipped] == ["DDFv2/Broken.xml"]
    catalog = ddf.Catalog.from_zip(archive, skip_invalid=True, limits=syncml.Limits(max_size=64))
    assert {name: exc.status for name, exc in catalog.skipped} == {"DDFv2/Broken.xml": 400, "DDFv2/Sample.xml": 413}
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"PK nothing")
    with pytest.raises(syncml.DecodeError):
        ddf.Catalog.from_zip(not_zip)


def test_catalog_from_zip_of_the_shared_files(ddf_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "shared.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(ddf_dir.glob("*.xml")):
            zf.write(path, path.name)
    catalog = ddf.Catalog.from_zip(archive)
    assert catalog.lookup("./Device/Vendor/MSFT/BitLocker/RequireDeviceEncryption") is not None
    assert len(catalog) >= 14


def test_the_committed_catalog_matches_the_shared_files(ddf_dir: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_ddf_catalog", ROOT / "scripts" / "build_ddf_catalog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(ddf_dir)
    assert built == (ROOT / "syncml" / "ddf" / "catalog.ddfpack").read_bytes()


def test_builtin_trees_equal_the_loaded_files(ddf_dir: Path) -> None:
    loaded = ddf.load((ddf_dir / "devinfo.ddf.xml").read_bytes())
    builtin = ddf.Catalog.builtin().lookup("./DevInfo")
    assert builtin == loaded.nodes[0]


# --- TNDS -------------------------------------------------------------------------------------------

TNDS = (
    '<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD><Man>Contoso</Man>'
    "<Node><NodeName>DevInfo</NodeName><Path>.</Path><RTProperties><ACL>Get=*</ACL><Format><node/></Format>"
    "<Type><DDFName>urn:oma:mo:oma-dm-devinfo:1.0</DDFName></Type></RTProperties>"
    "<Node><NodeName>Lang</NodeName><RTProperties><Format><chr/></Format><Size>5</Size><Title>language</Title>"
    "<TStamp>2026-12-05T18:00:00Z</TStamp><Type><MIME>text/plain</MIME></Type><VerNo>3</VerNo></RTProperties>"
    "<Value>en-US</Value></Node></Node></MgmtTree>"
)


def test_tnds_reads_run_time_properties_and_values() -> None:
    tree = ddf.load(TNDS, strict=True)
    assert tree.is_tnds
    assert tree.namespace == "syncml:dmddf1.2"
    assert tree.man == "Contoso"
    lang = tree.nodes[0].children[0]
    assert lang.path == "./DevInfo/Lang"
    assert lang.value == "en-US"
    assert lang.rt == ddf.RTProperties(
        format="chr", size="5", title="language", tstamp="2026-12-05T18:00:00Z", mime="text/plain", ver_no="3"
    )
    assert tree.nodes[0].rt is not None
    assert tree.nodes[0].rt.acl == "Get=*"
    assert ddf.load(ddf.write(tree)) == tree


def test_tnds_in_a_message_item() -> None:
    tree = ddf.load(TNDS)
    item = ddf.tnds_item(tree, source="./DevInfo")
    results = m.Results(cmd_id="3", cmd_ref="2", items=(item,))
    wire = syncml.serialize_commands([results])
    back = syncml.parse_commands(wire)
    received = back[0]
    assert isinstance(received, m.Results)
    assert ddf.tnds_of(received.items[0]) == tree
    as_markup = m.Item(meta=m.Meta(type=ddf.TNDS_TYPE), data=m.Markup(xml=TNDS))
    assert ddf.tnds_of(as_markup) == tree
    assert ddf.tnds_of(m.Item(data="x")) is None
    with pytest.raises(syncml.DecodeError):
        ddf.tnds_of(m.Item(meta=m.Meta(type=ddf.TNDS_TYPE), data="not xml"))
    with pytest.raises(syncml.DecodeError) as info:
        ddf.tnds_of(m.Item(meta=m.Meta(type="application/vnd.syncml.dmtnds+wbxml"), data="x"))
    assert info.value.status == 415
    with pytest.raises(syncml.DecodeError):
        ddf.tnds_of(m.Item(meta=m.Meta(type=ddf.TNDS_TYPE)))


# --- URIs and typed views ------------------------------------------------------------------------

URIS = [
    ("./Device/Vendor/MSFT/X", ("Device", "Vendor", "MSFT", "X"), False, ()),
    ("./Vendor/MSFT/X", ("Device", "Vendor", "MSFT", "X"), True, ()),
    ("./Vendor/MSFT/Diag/Microsoft%2FAdmin", ("Device", "Vendor", "MSFT", "Diag", "Microsoft/Admin"), True, ()),
    ("./A/%C3%A9", ("A", "\u00e9"), False, ()),
    ("./A/%FF", ("A", "%FF"), False, ("segment '%FF' does not decode to UTF-8",)),
    ("./A/%G1", ("A", "%G1"), False, ("segment '%G1' has a % that is not followed by two hex digits",)),
    ("/A/B", ("A", "B"), False, ("does not start with ./ (it starts with /)",)),
    ("./A//B/", ("A", "B"), False, ("ends with /", "has an empty segment (//)")),
    (" ./A/../B", ("A", "B"), False, ("has whitespace around it", "has a '..' segment")),
    ("./A/B?list=Struct", ("A", "B"), False, ()),
    (".", (), False, ()),
]


@pytest.mark.parametrize(("text", "segments", "scopeless", "problems"), URIS, ids=[u[0] for u in URIS])
def test_read_uri(text: str, segments: tuple[str, ...], scopeless: bool, problems: tuple[str, ...]) -> None:
    from syncml.ddf._uri import read_uri

    uri = read_uri(text)
    assert uri.segments == segments
    assert uri.scopeless == scopeless
    assert uri.problems == problems


def test_typed_views_of_allowed_values() -> None:
    assert ddf.AllowedValues(value_type="Range", value="[0]").range == (0, 0)
    assert ddf.AllowedValues(value_type="Range", value="[-5-10]").range == (-5, 10)
    assert ddf.AllowedValues(value_type="Range", value="1..2").range is None
    assert ddf.AllowedValues(value_type="ENUM", value="[0-1]").range is None
    assert ddf.AllowedValues(value_type="None", list_delimiter=";").separator == ";"
    assert ddf.AllowedValues(value_type="None").separator is None
    assert ddf.Applicability().os_builds == ()
