"""DevInf 1.1/1.2: the example documents both ways, XML and WBXML, quirks, every bad input, scaling."""

from __future__ import annotations

import contextlib
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncml import DecodeError, EncodeError, Limits, QuirkKind, ds
from syncml._meter import measure
from syncml.ds import _devinf_wbxml
from syncml.ds import devinf as d
from syncml.ds import strategies as st_ds

from .conftest import EXAMPLES

DEVINF_DIR = EXAMPLES / "devinf"

DEVINF_12 = ds.DevInf(
    ver_dtd="1.2",
    man="Example Phones",
    mod="EP-12",
    oem="Example OEM",
    fw_v="1.0.3",
    sw_v="2.4",
    hw_v="B",
    dev_id="IMEI:490154203237518",
    dev_typ="phone",
    utc=True,
    support_large_objs=True,
    support_number_of_changes=True,
    data_stores=(
        ds.DataStore(
            source_ref="./contacts",
            display_name="Contacts",
            max_guid_size="32",
            rx_pref=ds.Xmit(ct_type="text/vcard", ver_ct="3.0"),
            rx=(ds.Xmit(ct_type="text/x-vcard", ver_ct="2.1"),),
            tx_pref=ds.Xmit(ct_type="text/vcard", ver_ct="3.0"),
            tx=(ds.Xmit(ct_type="text/x-vcard", ver_ct="2.1"),),
            ctcaps=(
                ds.CTCap(
                    ct_type="text/vcard",
                    ver_ct="3.0",
                    field_level=True,
                    properties=(
                        ds.Property(prop_name="BEGIN", val_enums=("VCARD",)),
                        ds.Property(
                            prop_name="TEL",
                            data_type="chr",
                            max_occur="5",
                            max_size="40",
                            no_truncate=True,
                            display_name="Phone",
                            params=(ds.PropParam(param_name="TYPE", val_enums=("HOME", "WORK"), display_name="Kind"),),
                        ),
                    ),
                ),
            ),
            ds_mem=ds.DSMem(shared_mem=True, max_mem="65536", max_id="500"),
            support_hierarchical_sync=True,
            sync_cap=ds.SyncCap(sync_types=("1", "2", "7")),
            filter_rx=(ds.Xmit(ct_type="syncml:filtertype-cgi", ver_ct="1.0"),),
            filter_caps=(
                ds.FilterCap(ct_type="text/vcard", ver_ct="3.0", filter_keywords=("TEL",), prop_names=("N",)),
            ),
        ),
        ds.DataStore(
            source_ref="./calendar",
            rx_pref=ds.Xmit(ct_type="text/calendar", ver_ct="2.0"),
            tx_pref=ds.Xmit(ct_type="text/calendar", ver_ct="2.0"),
            sync_cap=ds.SyncCap(sync_types=("1",)),
        ),
    ),
    exts=(ds.Ext(x_nam="X-Example-Battery", x_vals=("full", "charging")),),
)

DEVINF_11 = ds.DevInf(
    ver_dtd="1.1",
    man="Example Phones",
    mod="EP-11",
    dev_id="IMEI:351234567890123",
    dev_typ="phone",
    data_stores=(
        ds.DataStore(
            source_ref="Contacts",
            max_guid_size="8",
            rx_pref=ds.Xmit(ct_type="text/x-vcard", ver_ct="2.1"),
            tx_pref=ds.Xmit(ct_type="text/x-vcard", ver_ct="2.1"),
            ds_mem=ds.DSMem(max_id="250"),
            sync_cap=ds.SyncCap(sync_types=("1", "2")),
        ),
    ),
    ctcaps=(
        ds.FlatCTCap(
            types=(
                ds.FlatCTType(
                    ct_type="text/x-vcard",
                    properties=(
                        ds.FlatProperty(prop_name="BEGIN", val_enums=("VCARD",)),
                        ds.FlatProperty(
                            prop_name="TEL",
                            data_type="chr",
                            size="40",
                            params=(
                                ds.FlatParam(param_name="TYPE", val_enums=("HOME", "WORK")),
                                ds.FlatParam(param_name="PREF"),
                            ),
                        ),
                    ),
                ),
                ds.FlatCTType(
                    ct_type="text/x-vcalendar",
                    properties=(ds.FlatProperty(prop_name="SUMMARY", display_name="Title"),),
                ),
            ),
        ),
    ),
    exts=(ds.Ext(x_nam="X-Example-Flag"),),
)

EXAMPLES_TABLE = {"devinf-12.xml": DEVINF_12, "devinf-11.xml": DEVINF_11}


@pytest.mark.parametrize("name", sorted(EXAMPLES_TABLE))
def test_example_decodes_to_its_model(name: str) -> None:
    data = (DEVINF_DIR / name).read_bytes()
    assert ds.parse_devinf(data, strict=True) == EXAMPLES_TABLE[name]
    assert ds.parse_devinf(data.decode("utf-8")) == EXAMPLES_TABLE[name]


@pytest.mark.parametrize("name", sorted(EXAMPLES_TABLE))
def test_model_encodes_to_the_example(name: str) -> None:
    written = ds.serialize_devinf(EXAMPLES_TABLE[name])
    compact = b"".join(line.strip() for line in (DEVINF_DIR / name).read_bytes().splitlines())
    assert written == compact
    wbxml = ds.serialize_devinf(EXAMPLES_TABLE[name], wbxml=True)
    assert ds.parse_devinf(wbxml, strict=True) == EXAMPLES_TABLE[name]
    assert ds.serialize_devinf(ds.parse_devinf(wbxml), wbxml=True) == wbxml


def test_quirky_document_reads_leniently_with_its_quirks() -> None:
    data = (DEVINF_DIR / "devinf-quirky.xml").read_bytes()
    doc = ds.parse_devinf(data)
    assert doc.ver_dtd == "1.2"
    assert (doc.dev_id, doc.dev_typ) == ("DEV-7", "phone")
    assert isinstance(doc.ctcaps[0], ds.FlatCTCap)
    kinds = [q.kind for q in doc.quirks]
    assert kinds == [
        QuirkKind.NO_NAMESPACE,
        QuirkKind.VALUE_WHITESPACE,
        QuirkKind.CHILD_ORDER,
        QuirkKind.VERSION_MISMATCH,
        QuirkKind.VERSION_MISMATCH,
    ]
    assert str(doc.quirks[1]) == "value-whitespace: whitespace around '1.2' - at DevInf/VerDTD (line 2)"
    with pytest.raises(DecodeError, match="without the syncml:devinf namespace") as info:
        ds.parse_devinf(data, strict=True)
    assert (info.value.line, info.value.column) == (1, 1)
    # Written back in DTD order, in the namespace; the quirks are not part of the value.
    assert ds.parse_devinf(ds.serialize_devinf(doc)) == doc


def test_namespace_in_another_case_is_a_quirk() -> None:
    data = (DEVINF_DIR / "devinf-11.xml").read_bytes().replace(b"syncml:devinf", b"SYNCML:DEVINF")
    assert [q.kind for q in ds.parse_devinf(data).quirks] == [QuirkKind.NAMESPACE_CASE]
    with pytest.raises(DecodeError, match="namespace written"):
        ds.parse_devinf(data, strict=True)


def test_golden_wbxml() -> None:
    doc = ds.DevInf(
        dev_id="D",
        dev_typ="pc",
        utc=True,
        data_stores=(
            ds.DataStore(
                source_ref="a",
                rx_pref=ds.Xmit(ct_type="t", ver_ct="1"),
                tx_pref=ds.Xmit(ct_type="t", ver_ct="1"),
                sync_cap=ds.SyncCap(sync_types=("1",)),
            ),
        ),
    )
    # Header 03 (WBXML 1.3), public id 0x1203 as mb_u_int32 a4 03, UTF-8 6a,
    # empty string table; DevInf 0x0A|0x40, VerDTD 0x25|0x40, DevID 0x09|0x40,
    # DevTyp 0x0B|0x40, UTC 0x28 (empty), DataStore 0x07|0x40 ... END 01.
    expected = bytes.fromhex(
        "03a4036a00"
        "4a" "6503312e320001" "4903440001" "4b0370630001" "28"
        "47" "5d03610001"
        "5a" "4603740001" "6403310001" "01"
        "62" "4603740001" "6403310001" "01"
        "5f" "6003310001" "01"
        "01" "01"
    )  # fmt: skip
    assert ds.serialize_devinf(doc, wbxml=True) == expected
    assert ds.parse_devinf(expected, strict=True) == doc


# --- round trips ------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st_ds.devinfs())
def test_round_trip_xml(doc: ds.DevInf) -> None:
    written = ds.serialize_devinf(doc)
    assert ds.parse_devinf(written, strict=True) == doc
    assert ds.serialize_devinf(ds.parse_devinf(written)) == written


@settings(max_examples=60, deadline=None)
@given(st_ds.devinfs())
def test_round_trip_wbxml(doc: ds.DevInf) -> None:
    written = ds.serialize_devinf(doc, wbxml=True)
    assert ds.parse_devinf(written, strict=True) == doc
    assert ds.serialize_devinf(ds.parse_devinf(written), wbxml=True) == written


_WBXML_12 = ds.serialize_devinf(DEVINF_12, wbxml=True)
_XML_12 = ds.serialize_devinf(DEVINF_12)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_bytes_parse_or_raise_decode_error(data: st.DataObject) -> None:
    source = bytearray(data.draw(st.sampled_from([_WBXML_12, _XML_12])))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(source) - 1))
        source[at] = data.draw(st.integers(0, 255))
    with contextlib.suppress(DecodeError):
        ds.parse_devinf(bytes(source))


# --- bad XML ------------------------------------------------------------------------------------------

_OK = (DEVINF_DIR / "devinf-12.xml").read_text()


def _swap(old: str, new: str) -> str:
    assert old in _OK
    return _OK.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "words", "path"),
    [
        ("<SyncML/>", "not <DevInf>", "SyncML"),
        ('<DevInf xmlns="syncml:other"/>', "in namespace 'syncml:other'", "DevInf"),
        (_swap("<Man>", '<Man a="1">'), "carries an attribute", "DevInf/Man"),
        (_swap("<Man>", "<Brand>x</Brand><Man>"), "unknown element <Brand>", "DevInf/Brand"),
        (_swap("<Man>", '<x:Man xmlns:x="other">a</x:Man><Man>'), "in namespace 'other'", "DevInf/Man"),
        (_swap("<DevID>IMEI:490154203237518</DevID>", ""), "lacks <DevID>", "DevInf"),
        (_swap("<Man>", "<Man>a</Man><Man>"), "more than once", "DevInf/Man"),
        (_swap("<UTC/>", "<UTC>yes</UTC>"), "must be empty", "DevInf/UTC"),
        (_swap("<Man>Example Phones</Man>", "<Man><b/></Man>"), "must hold text", "DevInf/Man"),
        (_swap("<SyncCap><SyncType>1</SyncType>", "<SyncCap>"), None, None),
        (_swap("<DevTyp>phone</DevTyp>", "<DevTyp>phone</DevTyp>stray"), "text 'stray' between", "DevInf"),
        (_swap("<MaxMem>65536</MaxMem>", "<MaxMem>64k</MaxMem>"), "not a decimal number", None),
        (_swap("<SyncCap><SyncType>1</SyncType><SyncType>2</SyncType><SyncType>7</SyncType></SyncCap>", ""),
         "lacks <SyncCap>", "DevInf/DataStore[1]"),
        (_swap("<MaxGUIDSize>32</MaxGUIDSize>", "").replace("<DisplayName>Contacts</DisplayName>",
         "<MaxGUIDSize>32</MaxGUIDSize><DisplayName>Contacts</DisplayName>", 1), "out of DTD order", None),
    ],
)  # fmt: skip
def test_bad_xml(text: str, words: str | None, path: str | None) -> None:
    if words is None:  # a valid variation, for contrast
        assert ds.parse_devinf(text, strict=True).data_stores[0].sync_cap.sync_types == ("2", "7")
        return
    with pytest.raises(DecodeError, match=words) as info:
        ds.parse_devinf(text, strict=True)
    assert info.value.line is not None
    if path is not None:
        assert info.value.path == path


def _flat(body: str) -> str:
    head = (DEVINF_DIR / "devinf-11.xml").read_text()
    start, end = head.index("<CTCap>"), head.index("</CTCap>") + len("</CTCap>")
    return head[:start] + f"<CTCap>{body}</CTCap>" + head[end:]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<PropName>A</PropName>", "before the first <CTType>"),
        ("<CTType>t</CTType><ParamName>P</ParamName>", "<ParamName> before any <PropName>"),
        ("<CTType>t</CTType><ValEnum>v</ValEnum>", "<ValEnum> before any <PropName>"),
        ("<CTType>t</CTType><PropName>A</PropName><DataType>a</DataType><DataType>b</DataType>", "appears twice"),
        ("<CTType>t</CTType>", "has no <PropName>"),
        ("<CTType>t</CTType><PropName>A</PropName><Bogus/>", "unknown element <Bogus>"),
        ("<CTType>t</CTType><PropName><b/></PropName>", "must hold text"),
        ("<CTType>t</CTType><PropName>A</PropName><Size>x</Size>", "not a decimal number"),
        (
            "<CTType>t</CTType><PropName>A</PropName><DisplayName>d</DisplayName><DataType>c</DataType>",
            "out of DTD order",
        ),
    ],
)
def test_bad_flat_ctcap(body: str, words: str) -> None:
    with pytest.raises(DecodeError, match=words):
        ds.parse_devinf(_flat(body), strict=True)


def test_flat_order_is_a_quirk_when_lenient() -> None:
    body = "<CTType>t</CTType><PropName>A</PropName><DisplayName>d</DisplayName><DataType>c</DataType>"
    doc = ds.parse_devinf(_flat(body))
    assert [q.kind for q in doc.quirks] == [QuirkKind.CHILD_ORDER]
    cap = doc.ctcaps[0]
    assert isinstance(cap, ds.FlatCTCap)
    assert cap.types[0].properties[0] == ds.FlatProperty(prop_name="A", display_name="d", data_type="c")


def test_version_checks() -> None:
    nested_in_11 = _swap("<VerDTD>1.2</VerDTD>", "<VerDTD>1.1</VerDTD>")
    with pytest.raises(DecodeError, match=r"CTCap in DataStore in a DevInf 1\.1"):
        ds.parse_devinf(nested_in_11, strict=True)
    assert QuirkKind.VERSION_MISMATCH in [q.kind for q in ds.parse_devinf(nested_in_11).quirks]
    unknown = _swap("<VerDTD>1.2</VerDTD>", "<VerDTD>2.0</VerDTD>")
    with pytest.raises(DecodeError, match=r"not 1\.0, 1\.1 or 1\.2"):
        ds.parse_devinf(unknown, strict=True)


def test_limits_apply_to_xml() -> None:
    with pytest.raises(DecodeError, match="deeper than 4") as info:
        ds.parse_devinf(_OK, limits=Limits(max_depth=4))
    assert info.value.path is not None
    with pytest.raises(DecodeError, match="exceeds") as info:
        ds.parse_devinf(_OK.encode(), limits=Limits(max_size=100))
    assert info.value.status == 413
    with pytest.raises(DecodeError, match="DOCTYPE"):
        ds.parse_devinf('<!DOCTYPE DevInf [<!ENTITY a "b">]><DevInf xmlns="syncml:devinf"/>')


# --- bad WBXML --------------------------------------------------------------------------------------

_SMALL = bytes.fromhex("03a4036a00") + bytes.fromhex("4a6503312e320001") + b"\x01"


@pytest.mark.parametrize(
    ("data", "words", "offset"),
    [
        (b"\x03", "unexpected end", 1),
        (b"\x03\xa4", "unexpected end", 2),
        (b"\x03\x81\x81\x81\x81\x81\x01", "longer than 5 bytes", 1),
        (b"\x03\x9f\xff\xff\xff\x7f\x6a\x00", "does not fit in 32 bits", 1),
        (bytes.fromhex("03a4036a05") + b"ab", "string table of 5 bytes", 4),
        (bytes.fromhex("0301") + b"\x6a\x00", None, None),
        (bytes.fromhex("03a4016a00") + b"\x4a\x01", "public id 0x1201 is not a DevInf document", 1),
        (bytes.fromhex("03a403ff0000"), "charset MIBenum", 3),
        (bytes.fromhex("0300056a02") + b"ab" + b"\x4a\x01", "string-table index 5", 1),
        (bytes.fromhex("0300006a02") + b"ab" + b"\x4a\x01", "does not end with NUL", 1),
        (bytes.fromhex("03a4036a00") + b"\x7f\x01", "undefined token 0x7f", 5),
        (bytes.fromhex("03a4036a00") + b"\xca\x01", "has attributes", 5),
        (bytes.fromhex("03a4036a00") + b"\x00\x01\x4a\x01", "SWITCH_PAGE to code page 1", 5),
        (bytes.fromhex("03a4036a00") + b"\x43", "PI where a DevInf element", 5),
        (bytes.fromhex("03a4036a00") + b"\x4a\x65\x03a", "without its terminating NUL", 7),
        (bytes.fromhex("03a4036a00") + b"\x4a\x65\x02\x80\x80\x04", "not an XML character", 7),
        (bytes.fromhex("03a4036a00") + b"\x4a\x65\xc3\x09ab", "OPAQUE of 9 bytes", 7),
        (bytes.fromhex("03a4036a00") + b"\x4a\x65\x03\xff\x00", "not utf-8", 8),
        (bytes.fromhex("03a4036a00") + b"\x4a\x65\x03\x01\x00", "U\\+0001 cannot be written", 8),
        (bytes.fromhex("03a4036a00") + b"\x4a\x65\x83\x07", "string-table index 7", 7),
        (_SMALL + b"\x00", "1 bytes after the end", len(_SMALL)),
        (bytes.fromhex("03a4036a00") + b"\x65\x03x\x00\x01", "the root is <VerDTD>", 5),
        (_SMALL, "lacks <DevID>", None),
        (bytes.fromhex("03a4036a02") + b"X\x00" + b"\x44\x00\x01", "LITERAL tag <X> is not a DevInf", 7),
        (bytes.fromhex("03a4036a02") + b"X\x00" + b"\x84\x00\x01", "LITERAL tag <X> is not a DevInf", 7),
        (bytes.fromhex("03a4036a07") + b"DevInf\x00" + b"\x84\x00\x01", "has attributes", 12),
    ],
)
def test_bad_wbxml(data: bytes, words: str | None, offset: int | None) -> None:
    if words is None:  # public id 1 ("unknown"): read as DevInf 1.2, a quirk
        with pytest.raises(DecodeError, match="no DevInf public id"):
            ds.parse_devinf(data, strict=True)
        with pytest.raises(DecodeError, match="unexpected end"):
            ds.parse_devinf(data)
        return
    with pytest.raises(DecodeError, match=words) as info:
        ds.parse_devinf(data)
    if offset is not None:
        assert info.value.offset == offset


def test_wbxml_version_byte() -> None:
    # parse_devinf sends only 0x01-0x03 to the WBXML reader; the reader checks anyway.
    with pytest.raises(DecodeError, match="version byte 0x07") as info:
        _devinf_wbxml.decode(bytes.fromhex("07a4036a00"), strict=False, limits=Limits())
    assert info.value.status == 415
    with pytest.raises(DecodeError, match="invalid UTF-8"):
        ds.parse_devinf(bytes.fromhex("07a4036a00"))


def test_wbxml_unknown_public_id_and_literal_fpi() -> None:
    body = _WBXML_12[5:]
    anonymous = bytes.fromhex("03016a00") + body
    doc = ds.parse_devinf(anonymous)
    assert doc == DEVINF_12
    assert [q.kind for q in doc.quirks] == [QuirkKind.WBXML_UNKNOWN_PUBLIC_ID]
    fpi = b"-//SYNCML//DTD DevInf 1.2//EN\x00"
    literal = bytes([0x03, 0x00, 0x00, 0x6A, len(fpi)]) + fpi + body
    assert ds.parse_devinf(literal, strict=True) == DEVINF_12


def test_literal_tags_and_public_id_mismatch() -> None:
    # What libwbxml's xml2wbxml makes of DevInf 1.1: the 1.2 public id, and
    # Size (which 1.2's table lacks) as a LITERAL tag.
    wbxml = ds.serialize_devinf(DEVINF_11, wbxml=True)
    size_token = bytes([0x1C | 0x40])  # 1.1's Size, where 1.2 has MaxSize
    head, tail = wbxml[:5], wbxml[5:]
    assert head == bytes.fromhex("039f546a00")
    table = b"Size\x00"
    libwbxml_like = bytes.fromhex("03a4036a05") + table + tail.replace(size_token, b"\x44\x00")
    doc = ds.parse_devinf(libwbxml_like)
    assert doc == DEVINF_11
    assert [str(q) for q in doc.quirks] == [
        "version-mismatch: DevInf 1.1 coded with the DevInf 1.2 public id - at DevInf (byte 10)"
    ]
    with pytest.raises(DecodeError, match=r"coded with the DevInf 1\.2 public id"):
        ds.parse_devinf(libwbxml_like, strict=True)


def test_wbxml_limits() -> None:
    with pytest.raises(DecodeError, match="more than 5 elements") as info:
        ds.parse_devinf(_WBXML_12, limits=Limits(max_nodes=5))
    assert info.value.status == 413
    with pytest.raises(DecodeError, match="deeper than 4"):
        ds.parse_devinf(_WBXML_12, limits=Limits(max_depth=4))
    with pytest.raises(DecodeError, match="exceeds"):
        ds.parse_devinf(_WBXML_12, limits=Limits(max_size=10))
    # One 300-byte string-table entry referenced over and over: the output budget stops it.
    entry = b"x" * 300 + b"\x00"
    refs = b"\x65\x83\x00\x01" * 400
    bomb = bytes([0x03, 0xA4, 0x03, 0x6A, 0x82, 0x2D]) + entry + b"\x4a" + refs + b"\x01"
    with pytest.raises(DecodeError, match="output limit") as info:
        ds.parse_devinf(bomb, limits=Limits(max_size=4096, max_output=20_000))
    assert info.value.status == 413


# --- encoding errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "words", "wbxml"),
    [
        (dataclasses.replace(DEVINF_12, man=" padded"), "whitespace at either end", False),
        (dataclasses.replace(DEVINF_12, man="bell\x07"), "U\\+0007 cannot be written", False),
        (dataclasses.replace(DEVINF_12, man="bell\x07"), "U\\+0007 cannot be written", True),
        (dataclasses.replace(DEVINF_12, data_stores=()), "needs at least one <DataStore>", False),
        (dataclasses.replace(DEVINF_11, ctcaps=(ds.FlatCTCap(types=()),)), "at least one CTType", False),
        (
            dataclasses.replace(DEVINF_11, ctcaps=(ds.FlatCTCap(types=(ds.FlatCTType(ct_type="t", properties=()),)),)),
            "at least one property",
            False,
        ),
        (dataclasses.replace(DEVINF_12, ver_dtd="1.1"), "no token in this DevInf version", True),
        (dataclasses.replace(DEVINF_12, ctcaps=("x",)), "expected a CTCap", False),  # type: ignore[arg-type]
        (dataclasses.replace(DEVINF_12, man=3), "expected text", False),  # type: ignore[arg-type]
    ],
)
def test_encode_errors(doc: ds.DevInf, words: str, wbxml: bool) -> None:
    with pytest.raises(EncodeError, match=words):
        ds.serialize_devinf(doc, wbxml=wbxml)


def test_number_views() -> None:
    store = DEVINF_12.data_stores[0]
    assert store.max_guid_size_int == 32
    assert store.ds_mem is not None
    assert (store.ds_mem.max_mem_int, store.ds_mem.max_id_int) == (65536, 500)
    assert DEVINF_12.data_stores[1].max_guid_size_int is None
    assert ds.DSMem().max_mem_int is None
    assert ds.DSMem().max_id_int is None
    with pytest.raises(DecodeError, match="MaxGUIDSize"):
        _ = dataclasses.replace(store, max_guid_size="x").max_guid_size_int
    assert d.SYNC_TYPES["7"] == "server-alerted sync"


# --- cost ---------------------------------------------------------------------------------------------


def _stores(n: int) -> ds.DevInf:
    return dataclasses.replace(DEVINF_12, data_stores=DEVINF_12.data_stores * n)


@pytest.mark.parametrize("wbxml", [False, True])
def test_work_is_linear(wbxml: bool) -> None:
    small, large = (ds.serialize_devinf(_stores(n), wbxml=wbxml) for n in (50, 400))
    with measure() as m_small:
        ds.parse_devinf(small)
    with measure() as m_large:
        ds.parse_devinf(large)
    assert m_small.calls == m_large.calls == 1
    assert 7 <= m_large.work / m_small.work <= 9
    assert 7 <= m_large.nodes / m_small.nodes <= 9
