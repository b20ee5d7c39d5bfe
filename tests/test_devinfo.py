"""DevInfo from a client's first package, and the client-side Replace that reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import syncml
from syncml import DevInfo
from syncml import model as m
from syncml import strategies as sst
from syncml.devinfo import DEVINFO_NODES, devinfo_replace

from .builders import message_xml
from .c14n import canonical
from .conftest import EXAMPLES


def _replace(*nodes: tuple[str, str], where: str = "Source") -> str:
    items = "".join(f"<Item><{where}><LocURI>{uri}</LocURI></{where}><Data>{v}</Data></Item>" for uri, v in nodes)
    return f"<Replace><CmdID>4</CmdID>{items}</Replace>"


WINDOWS = (
    ("./DevInfo/DevId", "D1"),
    ("./DevInfo/Man", "Contoso"),
    ("./DevInfo/Mod", "M7"),
    ("./DevInfo/DmV", "1.3"),
    ("./DevInfo/Lang", "en-US"),
)
FULL = DevInfo(dev_id="D1", man="Contoso", mod="M7", dmv="1.3", lang="en-US")

TABLE = [
    ("Windows package 1", _replace(*WINDOWS), FULL),
    (
        "with HWDevID",
        _replace(*WINDOWS, ("./Vendor/MSFT/DMClient/HWDevID", "HW9")),
        DevInfo(dev_id="D1", man="Contoso", mod="M7", dmv="1.3", lang="en-US",
                extra=(("./Vendor/MSFT/DMClient/HWDevID", "HW9"),)),
    ),
    (
        "DevID spelling of the MS Learn sample",
        _replace(("./DevInfo/DevID", "D1"), ("./DevInfo/Man", "Contoso")),
        DevInfo(dev_id="D1", man="Contoso", misspelled=("./DevInfo/DevID",)),
    ),
    (
        "Target instead of Source, other order, a second DevId",
        _replace(("./DevInfo/Lang", "de"), ("./DevInfo/DevId", "A"), ("./DevInfo/DevId", "B"), where="Target"),
        DevInfo(dev_id="A", lang="de", extra=(("./DevInfo/DevId", "B"),)),
    ),
    ("other DevInfo nodes are extra", _replace(("./DevInfo/Ext/X", "1")), DevInfo(extra=(("./DevInfo/Ext/X", "1"),))),
    ("a Replace of something else is not DevInfo", _replace(("./Vendor/MSFT/X", "1")), None),
    ("no Replace at all", "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>", None),
    (
        "nested in Atomic, CDATA value",
        "<Atomic><CmdID>1</CmdID><Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/Mod</LocURI></Source>"
        "<Data><![CDATA[A&B]]></Data></Item></Replace></Atomic>",
        DevInfo(mod="A&B"),
    ),
    (
        "Item without a node or Data is kept as extra",
        "<Replace><CmdID>4</CmdID><Item><Source><LocURI>./DevInfo/Man</LocURI></Source></Item><Item/></Replace>",
        DevInfo(man="", extra=(("", ""),)),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_devinfo_table(name: str, body: str, expected: DevInfo | None) -> None:
    assert syncml.read_devinfo(syncml.parse(message_xml(body))) == expected


def test_our_examples() -> None:
    md5 = syncml.parse((EXAMPLES / "client-session-start-md5.xml").read_bytes())
    info = syncml.read_devinfo(md5)
    assert info is not None
    assert (info.dev_id, info.man, info.mod, info.dmv, info.lang) == (
        "4C4C4544-0037-3010-8052-B4C04F4B4E32", "Fabrikam", "Model & Co 7", "1.3", "fr-FR",
    )  # fmt: skip
    assert info.hw_dev_id == "0A1B2C3D4E5F"
    assert info.get("./DevInfo/Lang") == "fr-FR"
    assert info.get("./devinfo/lang") is None  # URIs are case-sensitive
    assert info.get("./DevDetail/SwV") is None
    assert syncml.read_devinfo(syncml.parse((EXAMPLES / "server-get-devdetail.xml").read_bytes())) is None


@pytest.mark.parametrize(
    ("name", "dev_id", "hw_dev_id", "misspelled"),
    [
        ("fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml",
         "B5B954E81FBCB94EB79BD08BE625F4EE", None, ()),
        ("mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml", "abc", "def", ()),
        ("omadm12-spec-pkg1-client-init-alert1200-cred-basic-maxmsgsize.xml", "IMEI:493005100592800", None, ()),
        ("msdocs-unenroll-first-package-generic-alert-quirky-sample.xml", "{unique device ID}", None,
         ("./DevInfo/DevID",)),
    ],
)  # fmt: skip
def test_corpus(corpus_dir: Path, name: str, dev_id: str, hw_dev_id: str | None, misspelled: tuple[str, ...]) -> None:
    message = syncml.parse(syncml.repair_quotes((corpus_dir / name).read_bytes()).data)
    info = syncml.read_devinfo(message)
    assert info is not None
    assert info.dev_id == dev_id
    assert info.hw_dev_id == hw_dev_id
    assert info.misspelled == misspelled


def test_omadm_example_values(corpus_dir: Path) -> None:
    data = (corpus_dir / "omadm12-spec-pkg1-client-init-alert1200-cred-basic-maxmsgsize.xml").read_bytes()
    info = syncml.read_devinfo(syncml.parse(data))
    assert info == DevInfo(
        dev_id="IMEI:493005100592800", man="Device Factory, Inc.", mod="SmartPhone2000", dmv="1.0.0.1", lang="en-US"
    )


GOLDEN = (
    b"<Replace><CmdID>4</CmdID>"
    + b"".join(f"<Item><Source><LocURI>{u}</LocURI></Source><Data>{v}</Data></Item>".encode() for u, v in WINDOWS)
    + b"</Replace>"
)


def test_builder_golden_both_ways() -> None:
    built = devinfo_replace(FULL, cmd_id="4")
    assert canonical(syncml.serialize_commands([built])) == canonical(GOLDEN)
    assert syncml.parse_commands(GOLDEN) == (built,)


def test_builder_writes_standard_spelling_and_skips_unset_nodes() -> None:
    built = devinfo_replace(DevInfo(dev_id="X", misspelled=("./DevInfo/DevID",)), cmd_id="2")
    assert built.items == (m.Item(source=m.Source(loc_uri="./DevInfo/DevId"), data="X"),)


_VALUES = st.none() | sst.text_values(max_size=20)
_EXTRA_URIS = st.sampled_from(["./Vendor/MSFT/DMClient/HWDevID", "./DevInfo/Ext/Microsoft/X", "./DevInfo/Ext/Y"])


@given(
    info=st.builds(
        DevInfo,
        dev_id=_VALUES,
        man=_VALUES,
        mod=_VALUES,
        dmv=_VALUES,
        lang=_VALUES,
        extra=st.lists(st.tuples(_EXTRA_URIS, sst.text_values(max_size=20)), max_size=3).map(tuple),
    ),
    cmd_id=sst.cmd_ids(),
)
def test_builder_parse_extract_round_trip(info: DevInfo, cmd_id: str) -> None:
    """Invariant: devinfo(parse(serialize(devinfo_replace(info)))) == info (None without a DevInfo node)."""
    standard = any(getattr(info, f) is not None for f in DEVINFO_NODES)
    assume(standard or info.extra)
    reported = standard or any(uri.startswith("./DevInfo/") for uri, _ in info.extra)
    data = syncml.serialize_commands([devinfo_replace(info, cmd_id=cmd_id)])
    assert syncml.read_devinfo(syncml.parse_commands(data, strict=True)) == (info if reported else None)
