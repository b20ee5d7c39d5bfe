"""The WBXML codec: golden vector both ways, the example table through WBXML, properties.

Invariants: ``parse(serialize(m, wbxml=True)) == m`` for every generated
model and every encoder option, and the WBXML and XML encodings of a model
decode to equal models.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import _wbxml_tables as t
from syncml import model as m
from syncml import strategies as sts
from syncml._grammar import METINF_NAMES, NS_MSFT, SYNCML_NAMES
from syncml._wbxml_decode import is_wbxml

from .example_models import EXPECTED

# The golden vector of wbxml-and-oracles.md: libwbxml 0.11.8's xml2wbxml
# output (WBXML 1.3, public id 0x1201, UTF-8, no string table) for this message.
GOLDEN_XML = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.example.com/omadm</LocURI></Target>"
    b"<Source><LocURI>DEVICE-1</LocURI></Source></SyncHdr><SyncBody><Alert><CmdID>2</CmdID><Data>1226</Data>"
    b'<Item><Meta><Type xmlns="syncml:metinf">com.microsoft:mdm.unenrollment.userrequest</Type>'
    b'<Format xmlns="syncml:metinf">int</Format></Meta><Data>1</Data></Item></Alert><Final/></SyncBody></SyncML>'
)
GOLDEN_WBXML = bytes.fromhex(
    "03a4016a006d6c7103312e3200017203444d2f312e32000165033100015b033100016e570368747470733a2f2f6d646d2e6578"
    "616d706c652e636f6d2f6f6d61646d0001016757034445564943452d31000101016b464b033200014f0331323236000154"
    "5a00015303636f6d2e6d6963726f736f66743a6d646d2e756e656e726f6c6c6d656e742e75736572726571756573740001"
    "4703696e7400010100004f033100010101120101"
)

MESSAGES = sorted(name for name, value in EXPECTED.items() if isinstance(value, m.SyncML))

#: Every encoder option worth a combination: version, string table, literal public id.
OPTIONS: list[dict[str, Any]] = [
    {"version": version, "string_table": table, "literal_public_id": literal}
    for version, table, literal in itertools.product(("1.1", "1.2", "1.3"), (False, True), (False, True))
]


def _expected(name: str) -> m.SyncML:
    value = EXPECTED[name]
    assert isinstance(value, m.SyncML)
    return value


# --- the golden vector --------------------------------------------------------------


def test_golden_vector_sizes_are_as_documented() -> None:
    assert (len(GOLDEN_XML), len(GOLDEN_WBXML)) == (489, 169)


def test_golden_vector_decodes_to_the_message() -> None:
    decoded = syncml.parse(GOLDEN_WBXML, strict=True)
    assert decoded == syncml.parse(GOLDEN_XML, strict=True)
    alert = decoded.body.commands[0]
    assert isinstance(alert, m.Alert)
    assert alert.code == syncml.AlertCode.GENERIC_ALERT
    assert alert.items[0].meta == m.Meta(type="com.microsoft:mdm.unenrollment.userrequest", format="int")
    assert not decoded.quirks


def test_golden_vector_encodes_to_the_same_bytes() -> None:
    # libwbxml keeps the XML's MetInf order (Type before Format, as Windows
    # writes it); the model does not, so that order is an encoder option.
    msg = syncml.parse(GOLDEN_XML, strict=True)
    assert syncml.serialize(msg, wbxml=syncml.WBXMLOptions(metinf_order=("Type", "Format"))) == GOLDEN_WBXML


def test_default_metinf_order_is_the_dtd_order() -> None:
    msg = syncml.parse(GOLDEN_XML, strict=True)
    written = syncml.serialize(msg, wbxml=True)
    assert len(written) == len(GOLDEN_WBXML)
    assert written != GOLDEN_WBXML
    assert written.index(b"\x47\x03int") < written.index(b"\x53\x03com.microsoft")  # Format, then Type
    assert syncml.parse(written, strict=True) == msg


# --- the tables -----------------------------------------------------------------------


def test_every_grammar_element_has_a_token() -> None:
    assert set(t.SYNCML_TAGS) >= SYNCML_NAMES
    assert set(t.METINF_TAGS) >= METINF_NAMES


def test_tokens_are_unique_per_code_page_and_fit_in_six_bits() -> None:
    for table in (t.SYNCML_TAGS, t.METINF_TAGS, *(tags for v in t.NESTED for tags in v.tags_by_public_id.values())):
        assert len(set(table.values())) == len(table)
        assert all(t.FIRST_TAG <= token <= t.TOKEN_MASK for token in table.values())


@pytest.mark.parametrize(
    ("name", "page", "token"),
    [("SyncML", 0, 0x2D), ("Final", 0, 0x12), ("Correlator", 0, 0x3C), ("NextNonce", 1, 0x10), ("FieldLevel", 1, 0x16)],
)
def test_token_values_from_the_digest(name: str, page: int, token: int) -> None:
    assert (t.SYNCML_TAGS if page == 0 else t.METINF_TAGS)[name] == token


# --- the examples through WBXML -----------------------------------------------------------


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("name", MESSAGES)
def test_examples_round_trip_through_wbxml(name: str, options: dict[str, Any]) -> None:
    expected = _expected(name)
    written = syncml.serialize(expected, wbxml=syncml.WBXMLOptions(**options))
    assert written[0] == t.VERSIONS[options["version"]]
    decoded = syncml.parse(written, strict=True)
    assert decoded == expected
    assert not decoded.quirks


@pytest.mark.parametrize("name", MESSAGES)
def test_wbxml_is_smaller_than_xml(name: str) -> None:
    expected = _expected(name)
    assert len(syncml.serialize(expected, wbxml=True)) < len(syncml.serialize(expected)) * 0.7


def test_string_table_holds_repeated_values_only_when_asked() -> None:
    msg = _expected("client-session-start-md5.xml")
    plain = syncml.serialize(msg, wbxml=True)
    shared = syncml.serialize(msg, wbxml=syncml.WBXMLOptions(string_table=True))
    # Version, public id (2 bytes), charset, then the string table's length:
    # without the option it holds only the literal names (xmlns:msft here).
    assert plain[4] == len(b"xmlns:msft\x00")
    assert shared[4] > plain[4]
    assert bytes([t.STR_T]) in shared[5 + shared[4] :]
    assert bytes([t.STR_T]) not in plain[5 + plain[4] :]
    assert len(shared) < len(plain)
    assert syncml.parse(shared, strict=True) == msg


def test_literal_public_id_is_the_fpi_in_the_string_table() -> None:
    msg = _expected("dm11-server-bootstrap.xml")
    written = syncml.serialize(msg, wbxml=syncml.WBXMLOptions(literal_public_id=True))
    assert written[1:3] == b"\x00\x00"  # public id 0, then string-table index 0
    assert b"-//SYNCML//DTD SyncML 1.1//EN\x00" in written
    assert syncml.parse(written, strict=True) == msg


def test_syncml_11_message_gets_the_11_public_id() -> None:
    written = syncml.serialize(_expected("dm11-server-bootstrap.xml"), wbxml=True)
    assert written[1:3] == b"\x9f\x53"  # mb_u_int32 of 0x0FD3


# --- properties ---------------------------------------------------------------------------


@given(sts.messages(), st.sampled_from(OPTIONS))
def test_round_trip_and_agreement_with_xml(msg: m.SyncML, options: dict[str, Any]) -> None:
    # One generated model checks every invariant: generating is the costly part.
    written = syncml.serialize(msg, wbxml=syncml.WBXMLOptions(**options))
    from_wbxml = syncml.parse(written, strict=True)
    assert from_wbxml == msg
    assert syncml.parse(syncml.serialize(msg), strict=True) == from_wbxml
    assert syncml.serialize(from_wbxml, wbxml=syncml.WBXMLOptions(**options)) == written


def _with_binary(msg: m.SyncML, draw: st.DrawFn) -> m.SyncML:
    """*msg* with some Item Data replaced by binary (Opaque) data."""

    def item(value: m.Item) -> m.Item:
        if draw(_COIN):
            return dataclasses.replace(value, data=m.Opaque(data=draw(_BINARY)))
        return value

    def command(value: m.Command) -> m.Command:
        if isinstance(value, m.Atomic | m.Sequence | m.Sync):
            return dataclasses.replace(value, commands=tuple(command(c) for c in value.commands))
        if isinstance(value, m.Map | m.Search):
            return value
        items = getattr(value, "items", ())
        return dataclasses.replace(value, items=tuple(item(i) for i in items)) if items else value

    body = dataclasses.replace(msg.body, commands=tuple(command(c) for c in msg.body.commands))
    return dataclasses.replace(msg, body=body)


# What the decoder reads as Opaque is what is not UTF-8 text of XML
# characters: 0xFF never occurs in UTF-8.
_BINARY = st.binary(max_size=23).map(lambda tail: b"\xff" + tail)
_COIN = st.booleans()
# Built once: building strategies is most of hypothesis' cost.
_SMALL_MESSAGES = sts.messages(max_commands=3)


@st.composite
def _binary_messages(draw: st.DrawFn) -> m.SyncML:
    return _with_binary(draw(_SMALL_MESSAGES), draw)


@given(_binary_messages())
def test_binary_data_round_trips(msg: m.SyncML) -> None:
    assert syncml.parse(syncml.serialize(msg, wbxml=True), strict=True) == msg


# --- recognising WBXML ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (GOLDEN_WBXML, True),
        (b"\x01\x01\x6a\x00", True),
        (b"\x02", True),
        (b"\x00\x01\x6a\x00", True),  # WBXML 1.0: recognised, then refused
        (GOLDEN_XML, False),
        (b"\xef\xbb\xbf<SyncML/>", False),
        (b"\xff\xfe<\x00", False),
        (b"\x00<\x00S", False),  # UTF-16BE XML
        (b"\x00\x00\xfe\xff", False),  # UTF-32 BOM
        (b"  \n<SyncML/>", False),
        (b"", False),
        ("\x03 as text", False),
    ],
)
def test_is_wbxml(data: bytes | str, expected: bool) -> None:
    assert is_wbxml(data) is expected


def test_wbxml_fragments_are_refused_with_a_pointer_to_parse() -> None:
    with pytest.raises(syncml.DecodeError, match=r"syncml\.parse\(\)") as info:
        syncml.parse_commands(GOLDEN_WBXML)
    assert info.value.status == 415


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"version": "1.0"}, "WBXML version"),
        ({"version": 3}, "WBXML version"),
        ({"string_table": 1}, "string_table must be a bool"),
        ({"literal_public_id": "yes"}, "literal_public_id must be a bool"),
        ({"metinf_order": ["Type"]}, "tuple of MetInf"),
        ({"metinf_order": (1,)}, "tuple of MetInf"),
    ],
)
def test_wbxml_options_are_checked_when_built(options: dict[str, Any], match: str) -> None:
    with pytest.raises(syncml.EncodeError, match=match):
        syncml.WBXMLOptions(**options)


def test_wbxml_is_a_flag_or_options() -> None:
    msg = _expected("client-unenroll-request.xml")
    assert syncml.serialize(msg, wbxml=True) == syncml.serialize(msg, wbxml=syncml.WBXMLOptions())
    assert syncml.serialize(msg, wbxml=False) == syncml.serialize(msg)
    with pytest.raises(syncml.EncodeError, match="bool or WBXMLOptions"):
        syncml.serialize(msg, wbxml="1.2")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        syncml.serialize(msg, wbxml=True, string_table=True)  # type: ignore[call-arg]


@pytest.mark.parametrize("options", [{"pretty": True}, {"xml_declaration": True}])
def test_xml_options_do_not_apply_to_wbxml(options: dict[str, Any]) -> None:
    with pytest.raises(syncml.EncodeError, match="XML, not WBXML"):
        syncml.serialize(_expected("client-unenroll-request.xml"), wbxml=True, **options)


@pytest.mark.parametrize(
    ("options", "match"),
    [
                ({"metinf_order": ("Type", "Type")}, "once each"),
        ({"metinf_order": ("Data",)}, "MetInf elements"),
    ],
)
def test_bad_encoder_options(options: dict[str, Any], match: str) -> None:
    with pytest.raises(syncml.EncodeError, match=match):
        syncml.serialize(_expected("client-unenroll-request.xml"), wbxml=syncml.WBXMLOptions(**options))


_NAMES = st.sampled_from(["x", "Enabled", "LocURI", '{"syncml:metinf"}Type', '{"urn:x"}y'])


@given(sts.text_values(), st.lists(st.tuples(_NAMES, sts.text_values(), sts.text_values()), min_size=1, max_size=3))
def test_markup_text_and_names_read_back_as_xml_words_them(lead: str, parts: list[tuple[str, str, str]]) -> None:
    # Markup as the XML decoder words it (any text, SyncML, MetInf and other
    # names) reads back from WBXML as exactly the same string.
    def element(name: str, text: str) -> str:
        if name.startswith("{"):
            ns, local = name[2:].split('"}')
            return f'<{local} xmlns="{ns}">{_xml_text(text)}</{local}>'
        return f"<{name}>{_xml_text(text)}</{name}>"

    content = _xml_text(lead) + "".join(element(name, text) + _xml_text(tail) for name, text, tail in parts)
    xml = GOLDEN_XML.replace(b"<Data>1</Data>", f"<Data>{content}</Data>".encode())
    msg = syncml.parse(xml, strict=True)
    assert isinstance(msg.body.commands[0].items[0].data, m.Markup)  # type: ignore[union-attr]
    assert syncml.parse(syncml.serialize(msg, wbxml=True), strict=True) == msg


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def test_blank_text_in_markup_survives_a_strict_xml_parse_with_prefixes() -> None:
    # Found by the XML agreement property: with an attribute on Data and
    # strict=True, the XML decoder walked the tree parsed without blank text
    # and lost the space before <Enabled/>; WBXML kept it.
    item = m.Item(data=m.Markup(xml=" <Enabled/>"))
    attributed = m.Item(data="", data_attributes=((f"{{{NS_MSFT}}}originalerror", "0x80070057"),))
    body = m.SyncBody(commands=(m.Add(cmd_id="2", items=(attributed,)), m.Add(cmd_id="3", items=(item,))))
    msg = m.SyncML(header=syncml.parse(GOLDEN_XML).header, body=body)
    for strict in (False, True):
        assert syncml.parse(syncml.serialize(msg), strict=strict) == msg
        assert syncml.parse(syncml.serialize(msg, wbxml=True), strict=strict) == msg
