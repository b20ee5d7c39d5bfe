"""How each model form is written in WBXML, checked both ways from one table,
what other encoders write that we read, and the WBXML quirks.

Each row of ``FORMS`` is a model Item and the exact bytes of the message that
carries it: encoding the model must give those bytes, decoding them the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

import syncml
from syncml import _wbxml_tables as t
from syncml import model as m
from syncml._grammar import NS_MSFT
from syncml._quirks import QuirkKind

from . import builders
from .wbxml_tokens import alert, document, el, header, mb, message, meta, mi, opaque, s, switch

HDR = builders.header(target="dev", source="srv")
TNDS_XML = (
    '<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD><Node><NodeName>a &amp; b</NodeName></Node></MgmtTree>'
)
DEVINF_XML = '<DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD><Man>Fabrikam</Man><SupportLargeObjs/></DevInf>'
DDF_FPI = b"-//OMA//DTD-DM-DDF 1.2//EN\x00"


def _replace(*items: m.Item, namespaces: tuple[tuple[str, str], ...] = ()) -> m.SyncML:
    body = m.SyncBody(commands=(m.Replace(cmd_id="2", items=items),), namespaces=namespaces)
    return m.SyncML(header=HDR, body=body)


def _replace_wire(*items: bytes, table: bytes = b"", body_attrs: bytes = b"") -> bytes:
    command = el("Replace", el("CmdID", s("2")), *items)
    return document(el("SyncML", header(), el("SyncBody", command, attrs=body_attrs)), table=table)


@dataclass(frozen=True)
class Form:
    name: str
    model: m.SyncML
    wire: bytes


FORMS = [
    Form("text", _replace(m.Item(data="a & b")), _replace_wire(el("Item", el("Data", s("a & b"))))),
    Form("empty text", _replace(m.Item(data="")), _replace_wire(el("Item", el("Data")))),
    Form("no Data", _replace(m.Item()), _replace_wire(el("Item"))),
    Form(
        "CDATA as OPAQUE",
        _replace(m.Item(data=m.CData(text="<x/> ]]> \r"))),
        _replace_wire(el("Item", el("Data", opaque(b"<x/> ]]> \r")))),
    ),
    Form(
        "binary as OPAQUE",
        _replace(m.Item(meta=m.Meta(format="bin"), data=m.Opaque(data=b"\xff\x00\x01"))),
        _replace_wire(el("Item", meta(mi("Format", "bin")), el("Data", opaque(b"\xff\x00\x01")))),
    ),
    Form(
        "markup as literal tags",
        _replace(m.Item(data=m.Markup(xml='<Enabled/><data id="x" value="1 &amp; 2"/>'))),
        _replace_wire(
            el(
                "Item",
                el(
                    "Data",
                    bytes([t.LITERAL]) + mb(0),
                    bytes([t.LITERAL_A]) + mb(8) + b"\x04" + mb(13) + s("x") + b"\x04" + mb(16) + s("1 & 2") + b"\x01",
                ),
            ),
            table=b"Enabled\x00data\x00id\x00value\x00",
        ),
    ),
    Form(
        "markup with text and a MetInf element",
        _replace(m.Item(data=m.Markup(xml='x<Type xmlns="syncml:metinf">t</Type>y'))),
        _replace_wire(el("Item", el("Data", s("x"), switch(1), el("Type", s("t"), page=1), s("y")))),
    ),
    Form(
        "Windows' originalerror attribute on Status Data",
        m.SyncML(
            header=HDR,
            body=m.SyncBody(
                commands=(
                    m.Status(
                        cmd_id="1",
                        msg_ref="1",
                        cmd_ref="2",
                        cmd="Add",
                        data="500",
                        data_attributes=((f"{{{NS_MSFT}}}originalerror", "0x80070057"),),
                    ),
                ),
                namespaces=(("msft", NS_MSFT),),
            ),
        ),
        document(
            el(
                "SyncML",
                header(),
                el(
                    "SyncBody",
                    el(
                        "Status",
                        el("CmdID", s("1")),
                        el("MsgRef", s("1")),
                        el("CmdRef", s("2")),
                        el("Cmd", s("Add")),
                        el("Data", s("500"), attrs=b"\x04" + mb(11) + s("0x80070057") + b"\x01"),
                    ),
                    attrs=b"\x04\x00" + s(NS_MSFT) + b"\x01",
                ),
            ),
            table=b"xmlns:msft\x00msft:originalerror\x00",
        ),
    ),
    Form(
        "TNDS document nested in OPAQUE, Type written +wbxml",
        _replace(m.Item(meta=m.Meta(format="xml", type=t.TNDS.xml_type), data=m.Markup(xml=TNDS_XML))),
        _replace_wire(
            el(
                "Item",
                meta(mi("Format", "xml"), mi("Type", t.TNDS.wbxml_type)),
                el(
                    "Data",
                    opaque(
                        b"\x03\x00\x00\x6a"
                        + mb(len(DDF_FPI))
                        + DDF_FPI
                        + switch(2)
                        + b"\x60\x77"
                        + s("1.2")
                        + b"\x01\x64\x66"
                        + s("a & b")
                        + b"\x01\x01\x01"
                    ),
                ),
            )
        ),
    ),
    Form(
        "DevInf document nested in OPAQUE under the command's Type",
        m.SyncML(
            header=HDR,
            body=m.SyncBody(
                commands=(
                    m.Results(
                        cmd_id="2",
                        cmd_ref="1",
                        meta=m.Meta(type=t.DEVINF.xml_type),
                        items=(m.Item(source=m.Source(loc_uri="./devinf12"), data=m.Markup(xml=DEVINF_XML)),),
                    ),
                )
            ),
        ),
        document(
            el(
                "SyncML",
                header(),
                el(
                    "SyncBody",
                    el(
                        "Results",
                        el("CmdID", s("2")),
                        el("CmdRef", s("1")),
                        meta(mi("Type", t.DEVINF.wbxml_type)),
                        el(
                            "Item",
                            el("Source", el("LocURI", s("./devinf12"))),
                            el(
                                "Data",
                                opaque(
                                    b"\x03"
                                    + mb(0x1203)
                                    + b"\x6a\x00\x4a\x65"
                                    + s("1.2")
                                    + b"\x01\x51"
                                    + s("Fabrikam")
                                    + b"\x01\x2a\x01"
                                ),
                            ),
                        ),
                    ),
                ),
            )
        ),
    ),
    Form(
        "NextNonce in base64 as OPAQUE bytes",
        _replace(m.Item(meta=m.Meta(next_nonce="Tm9uY2U="))),
        _replace_wire(el("Item", meta(el("NextNonce", opaque(b"Nonce"), page=1), back=False))),
    ),
    Form(
        "NextNonce that is not base64 as text",
        _replace(m.Item(meta=m.Meta(next_nonce="not base64"))),
        _replace_wire(el("Item", meta(mi("NextNonce", "not base64"), back=False))),
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_encode(form: Form) -> None:
    assert syncml.serialize(form.model, wbxml=True).hex(" ") == form.wire.hex(" ")


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_decode(form: Form) -> None:
    decoded = syncml.parse(form.wire, strict=True)
    assert decoded == form.model
    assert decoded.namespaces == form.model.namespaces


def _binary(form: Form) -> bool:
    return any(isinstance(i.data, m.Opaque) for c in form.model.body.commands for i in getattr(c, "items", ()))


# Binary data travels as base64 text in XML: those forms do not read back as such.
_XML_FORMS = [f for f in FORMS if not _binary(f)]


@pytest.mark.parametrize("form", _XML_FORMS, ids=[f.name for f in _XML_FORMS])
def test_xml_reads_the_same_model(form: Form) -> None:
    # Nested documents and markup are XML in the model: the XML encoding of
    # the model decodes to it too.
    assert syncml.parse(syncml.serialize(form.model), strict=True) == form.model


def test_opaque_bytes_that_are_xml_text_read_as_cdata() -> None:
    # libwbxml writes Add/Replace Data (and CDATA sections) as OPAQUE.
    wire = _replace_wire(el("Item", el("Data", opaque("käse".encode()))))
    item = syncml.parse(wire).body.commands[0].items[0]  # type: ignore[union-attr]
    assert item.data == m.CData(text="käse")


def test_opaque_bytes_with_control_characters_read_as_binary() -> None:
    wire = _replace_wire(el("Item", el("Data", opaque(b"ab\x07"))))
    item = syncml.parse(wire).body.commands[0].items[0]  # type: ignore[union-attr]
    assert item.data == m.Opaque(data=b"ab\x07")


def test_binary_that_looks_like_a_nested_document_is_refused() -> None:
    item = m.Item(meta=m.Meta(type=t.TNDS.wbxml_type), data=m.Opaque(data=b"\x03\x00"))
    with pytest.raises(syncml.EncodeError, match="reads back as the document"):
        syncml.serialize(_replace(item), wbxml=True)


def test_markup_that_is_not_one_nestable_document_stays_inline() -> None:
    # Text beside the document: a nested document cannot carry it.
    item = m.Item(meta=m.Meta(type=t.TNDS.xml_type), data=m.Markup(xml=TNDS_XML + " "))
    written = syncml.serialize(_replace(item), wbxml=True)
    assert t.TNDS.wbxml_type.encode() not in written
    assert syncml.parse(written, strict=True) == _replace(item)


# --- what other encoders write -------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    name: str
    wire: bytes
    check: Callable[[m.SyncML], bool]


def _first(msg: m.SyncML) -> m.Command:
    return msg.body.commands[0]


def _loc(*content: bytes, table: bytes = b"", charset: int = 106) -> bytes:
    hdr = el(
        "SyncHdr",
        el("VerDTD", s("1.2")),
        el("VerProto", s("DM/1.2")),
        el("SessionID", s("1")),
        el("MsgID", s("1")),
        el("Target", el("LocURI", *content)),
        el("Source", el("LocURI", s("srv"))),
    )
    return message(hdr=hdr, table=table, charset=charset)


ACCEPTED = [
    Accepted(
        "text split over inline strings (Horde)",
        _loc(s("./Dev"), s("Info")),
        lambda x: x.header.target.loc_uri == "./DevInfo",
    ),
    Accepted(
        "string-table reference",
        _loc(b"\x83" + mb(4), table=b"abc\x00./DevInfo\x00"),
        lambda x: x.header.target.loc_uri == "./DevInfo",
    ),
    Accepted(
        "reference into the middle of an entry",
        _loc(b"\x83" + mb(2), table=b"./x\x00"),
        lambda x: x.header.target.loc_uri == "x",
    ),
    Accepted("ENTITY", _loc(s("caf"), b"\x02" + mb(0xE9)), lambda x: x.header.target.loc_uri == "café"),
    Accepted("OPAQUE text in a token element", _loc(opaque(b"./a")), lambda x: x.header.target.loc_uri == "./a"),
    Accepted("ISO-8859-1 charset", _loc(b"\x03caf\xe9\x00", charset=4), lambda x: x.header.target.loc_uri == "café"),
    Accepted("charset 0 (unknown) read as UTF-8", _loc(s("é"), charset=0), lambda x: x.header.target.loc_uri == "é"),
    Accepted("WBXML 1.1", message(version=1), lambda x: x.header.msg_id == "1"),
    Accepted("WBXML 1.2", message(version=2), lambda x: x.header.msg_id == "1"),
    Accepted(
        "literal public id with its NUL",
        message(public_id=b"\x00\x00", table=b"-//SYNCML//DTD SyncML 1.2//EN\x00"),
        lambda x: x.header.ver_dtd == "1.2",
    ),
    Accepted(
        "literal public id in another case",
        message(public_id=b"\x00\x00", table=b"-//syncml//dtd syncml 1.2//en\x00"),
        lambda x: x.header.ver_dtd == "1.2",
    ),
    Accepted(
        "SyncML 1.1 public id",
        document(el("SyncML", header("1.1"), el("SyncBody", alert())), public_id=b"\x9f\x53"),
        lambda x: x.header.ver_dtd == "1.1",
    ),
    Accepted("empty element with the content flag", message(alert(), b"\x52\x01"), lambda x: x.body.final),
    Accepted("redundant SWITCH_PAGE", message(switch(0) + alert() + switch(0)), lambda x: len(x.body.commands) == 1),
    Accepted(
        "whitespace text between elements (xml2wbxml -k)",
        message(s("\n  ") + alert() + s("\n")),
        lambda x: not x.quirks,
    ),
    Accepted(
        "several OPAQUE in Data read as one",
        message(el("Replace", el("CmdID", s("2")), el("Item", el("Data", opaque(b"ab"), opaque(b"c"))))),
        lambda x: _first(x).items[0].data == m.CData(text="abc"),  # type: ignore[union-attr]
    ),
    Accepted(
        "OPAQUE and inline text in Data read as text",
        message(el("Replace", el("CmdID", s("2")), el("Item", el("Data", s("a"), opaque(b"b"))))),
        lambda x: _first(x).items[0].data == "ab",  # type: ignore[union-attr]
    ),
    Accepted(
        "MetInf in any order (Windows writes Type first)",
        message(el("Replace", el("CmdID", s("2")), el("Item", meta(mi("Type", "t"), mi("Format", "int"))))),
        lambda x: _first(x).items[0].meta == m.Meta(type="t", format="int") and not x.quirks,  # type: ignore[union-attr]
    ),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.name for c in ACCEPTED])
def test_reads_what_other_encoders_write(case: Accepted) -> None:
    decoded = syncml.parse(case.wire, strict=True)
    assert case.check(decoded)
    assert syncml.parse(syncml.serialize(decoded, wbxml=True), strict=True) == decoded


# --- quirks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerated:
    name: str
    wire: bytes
    kinds: tuple[QuirkKind, ...]
    check: Callable[[m.SyncML], bool]


FPI = b"-//SYNCML//DTD SyncML 1.2//EN"
TOLERATED = [
    Tolerated(
        "literal public id without NUL (Horde)",
        message(public_id=b"\x00\x00", table=FPI),
        (QuirkKind.WBXML_UNTERMINATED_FPI,),
        lambda x: x.header.ver_dtd == "1.2",
    ),
    Tolerated(
        "unknown public id (xml2wbxml -a)",
        message(public_id=b"\x01"),
        (QuirkKind.WBXML_UNKNOWN_PUBLIC_ID,),
        lambda x: x.header.ver_dtd == "1.2",
    ),
    Tolerated(
        "literal public id naming no SyncML DTD",
        message(public_id=b"\x00\x00", table=b"-//EXAMPLE//DTD Something//EN\x00"),
        (QuirkKind.WBXML_UNKNOWN_PUBLIC_ID,),
        lambda x: x.header.ver_dtd == "1.2",
    ),
    Tolerated(
        "namespace as a nameless literal attribute (Nokia)",
        message(root_attrs=b"\x04\x00" + s("SYNCML:SYNCML1.2") + b"\x01"),
        (QuirkKind.WBXML_LITERAL_XMLNS,),
        lambda x: x.header.ver_dtd == "1.2" and not x.namespaces,
    ),
    Tolerated(
        "children out of order",
        message(
            hdr=el(
                "SyncHdr",
                el("VerDTD", s("1.2")),
                el("VerProto", s("DM/1.2")),
                el("MsgID", s("1")),
                el("SessionID", s("1")),
                el("Target", el("LocURI", s("dev"))),
                el("Source", el("LocURI", s("srv"))),
            )
        ),
        (QuirkKind.CHILD_ORDER,),
        lambda x: x.header.session_id == "1",
    ),
    Tolerated(
        "whitespace around a value",
        _loc(s(" ./a\n")),
        (QuirkKind.VALUE_WHITESPACE,),
        lambda x: x.header.target.loc_uri == "./a",
    ),
    Tolerated(
        "stray text between commands",
        message(alert() + s("...")),
        (QuirkKind.STRAY_TEXT,),
        lambda x: len(x.body.commands) == 1,
    ),
    Tolerated(
        "command outside its container's choice",
        message(
            el(
                "Atomic",
                el("CmdID", s("1")),
                el(
                    "Status",
                    el("CmdID", s("2")),
                    el("MsgRef", s("1")),
                    el("CmdRef", s("0")),
                    el("Cmd", s("SyncHdr")),
                    el("Data", s("200")),
                ),
            )
        ),
        (QuirkKind.COMMAND_PLACEMENT,),
        lambda x: isinstance(_first(x).commands[0], m.Status),  # type: ignore[union-attr]
    ),
    Tolerated(
        "Results with Cmd (MS-MDM's model)",
        message(
            el(
                "Results",
                el("CmdID", s("3")),
                el("CmdRef", s("2")),
                el("Cmd", s("Get")),
                el("Item", el("Data", s("v"))),
            )
        ),
        (QuirkKind.RESULTS_CMD,),
        lambda x: _first(x).cmd == "Get",  # type: ignore[union-attr]
    ),
    Tolerated(
        "VerDTD 1.1 under the 1.2 public id",
        document(el("SyncML", header("1.1"), el("SyncBody", alert()))),
        (QuirkKind.VERSION_MISMATCH,),
        lambda x: x.header.ver_dtd == "1.1",
    ),
    Tolerated(
        "whitespace in an empty element",
        message(alert(), b"\x52" + s(" ") + b"\x01"),
        (QuirkKind.VALUE_WHITESPACE,),
        lambda x: x.body.final,
    ),
]


@pytest.mark.parametrize("case", TOLERATED, ids=[c.name for c in TOLERATED])
def test_lenient_records_the_quirk(case: Tolerated) -> None:
    decoded = syncml.parse(case.wire)
    assert tuple(q.kind for q in decoded.quirks) == case.kinds
    assert case.check(decoded)
    assert all(q.offset is not None and q.line is None for q in decoded.quirks)


@pytest.mark.parametrize("case", TOLERATED, ids=[c.name for c in TOLERATED])
def test_strict_refuses_it(case: Tolerated) -> None:
    with pytest.raises(syncml.DecodeError) as info:
        syncml.parse(case.wire, strict=True)
    assert info.value.offset is not None


@pytest.mark.parametrize("case", TOLERATED, ids=[c.name for c in TOLERATED])
def test_tolerated_message_writes_back_clean(case: Tolerated) -> None:
    decoded = syncml.parse(case.wire)
    again = syncml.parse(syncml.serialize(decoded, wbxml=True))
    assert again == decoded
    assert {q.kind for q in again.quirks} <= {QuirkKind.RESULTS_CMD, QuirkKind.COMMAND_PLACEMENT}


def test_quirk_text_gives_the_byte_offset() -> None:
    decoded = syncml.parse(_loc(s(" ./a")))
    assert (
        str(decoded.quirks[0])
        == "value-whitespace: whitespace around './a' - at SyncML/SyncHdr/Target/LocURI (byte 35)"
    )


# --- unknown elements ---------------------------------------------------------------------------

SYNC = el("Field", el("CmdID", s("5")), el("Target", el("LocURI", s("./x"))))
UNKNOWN_XML = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI>"
    b"</Source></SyncHdr><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Field><CmdID>5</CmdID>"
    b'<Target><LocURI>./x</LocURI></Target></Field><Extra xmlns="urn:x" a="1"><y>t</y></Extra></SyncBody></SyncML>'
)
EXTRA = bytes([t.LITERAL_AC]) + mb(0) + b"\x04" + mb(6) + s("urn:x") + b"\x04" + mb(12) + s("1") + b"\x01"
EXTRA += bytes([t.LITERAL_C]) + mb(14) + s("t") + b"\x01\x01"


def test_keep_unknown_keeps_what_xml_keeps() -> None:
    wire = message(alert(), SYNC, EXTRA, table=b"Extra\x00xmlns\x00a\x00y\x00")
    decoded = syncml.parse(wire, keep_unknown=True)
    assert decoded == syncml.parse(UNKNOWN_XML, keep_unknown=True)
    assert [u.xml for u in decoded.body.unknown] == [
        "<Field><CmdID>5</CmdID><Target><LocURI>./x</LocURI></Target></Field>",
        '<Extra xmlns="urn:x" a="1"><y>t</y></Extra>',
    ]
    assert syncml.parse(syncml.serialize(decoded, wbxml=True), keep_unknown=True) == decoded


def test_unknown_elements_are_errors_without_keep_unknown() -> None:
    with pytest.raises(syncml.DecodeError, match="unknown element <Field> in <SyncBody>") as info:
        syncml.parse(message(alert(), SYNC))
    assert info.value.path == "SyncML/SyncBody"


@pytest.mark.parametrize(
    ("element", "nested"),
    [("Size", True), ("MaxSize", False)],  # DevInf 1.1 has Size where 1.2 has MaxSize
)
def test_devinf_in_a_11_message_uses_the_11_table(element: str, nested: bool) -> None:
    devinf = m.Markup(xml=f'<DevInf xmlns="syncml:devinf"><{element}>1</{element}></DevInf>')
    item = m.Item(meta=m.Meta(type=t.DEVINF.xml_type), data=devinf)
    msg = m.SyncML(
        header=m.SyncHdr(
            ver_dtd="1.1", ver_proto="DM/1.1", session_id="1", msg_id="1", target=HDR.target, source=HDR.source
        ),
        body=m.SyncBody(commands=(m.Replace(cmd_id="2", items=(item,)),)),
    )
    written = syncml.serialize(msg, wbxml=True)
    assert (t.DEVINF.wbxml_type.encode() in written) is nested
    assert (b"\x03" + mb(0x0FD4) in written) is nested  # a nested WBXML 1.3 DevInf 1.1 header
    assert syncml.parse(written, strict=True) == msg


# CDATA sections inside markup travel as OPAQUE and read back as sections
# (found by fuzz_wbxml_agreement): each row is the content of an Item's Data
# in XML, and the WBXML form of the model must read back as the same model.
CDATA_IN_MARKUP = [
    "<x/><![CDATA[a<b]]>",
    "<![CDATA[lead]]><x/>",
    "<x><![CDATA[in]]>tail</x>",
    "<x><![CDATA[a]]]]><![CDATA[>b]]></x>",
    'a<Type xmlns="syncml:metinf"><![CDATA[&]]></Type>',
    '<DevInf xmlns="syncml:devinf"><Man><![CDATA[x]]></Man></DevInf>',
]


@pytest.mark.parametrize("prefixed", [False, True])
@pytest.mark.parametrize("content", CDATA_IN_MARKUP)
def test_cdata_sections_in_markup_survive(content: str, prefixed: bool) -> None:
    body_attrs = f' xmlns:msft="{NS_MSFT}"' if prefixed else ""
    xml = (
        '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI>"
        f"</Source></SyncHdr><SyncBody{body_attrs}><Results><CmdID>2</CmdID><CmdRef>1</CmdRef><Meta>"
        f'<Type xmlns="syncml:metinf">{t.DEVINF.xml_type}</Type></Meta><Item><Data>{content}</Data></Item></Results>'
        f"<Field><CmdID>3</CmdID>{content}</Field></SyncBody></SyncML>"
    ).encode()
    msg = syncml.parse(xml, keep_unknown=True)
    assert isinstance(msg.body.commands[0].items[0].data, m.Markup)  # type: ignore[union-attr]
    written = syncml.serialize(msg, wbxml=True)
    assert t.DEVINF.wbxml_type.encode() not in written  # a document with a section stays inline
    assert syncml.parse(written, keep_unknown=True) == msg


def test_an_element_flagged_with_content_but_empty_reads_as_an_empty_tag() -> None:
    # Found by fuzz_wbxml: <Filter> with the content flag and END at once was
    # worded <Filter></Filter>, where XML (and so a round trip) words <Filter/>.
    wire = message(alert(), bytes([0x40 | t.SYNCML_TAGS["Filter"]]) + b"\x01")
    msg = syncml.parse(wire, keep_unknown=True)
    assert [u.xml for u in msg.body.unknown] == ["<Filter/>"]
    assert syncml.parse(syncml.serialize(msg, wbxml=True), keep_unknown=True) == msg
    literal = bytes([t.LITERAL_C]) + mb(0) + b"\x01"
    markup = message(el("Replace", el("CmdID", s("2")), el("Item", el("Data", literal))), table=b"x\x00")
    item = syncml.parse(markup).body.commands[0].items[0]  # type: ignore[union-attr]
    assert item.data == m.Markup(xml="<x/>")


@pytest.mark.parametrize(
    "content",
    [
        '<Type xmlns="syncml:metinf"><Type xmlns="syncml:metinf">t</Type></Type>',
        '<x xmlns:msft="http://schemas.microsoft.com/MobileDevice/MDM"><Add xmlns="SYNCML:SYNCML1.2"/></x>',
        '<x xmlns:b="urn:b" xmlns="urn:a"><y xmlns:b="urn:b" b:c="1"/></x>',
    ],
)
def test_redundant_declarations_in_markup_survive(content: str) -> None:
    # Found by fuzz_wbxml: an unknown element declaring again a prefix its
    # parent declares lost the declaration, which lxml (so XML) keeps.
    xml = (
        '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI>"
        f'</Source></SyncHdr><SyncBody xmlns:msft="{NS_MSFT}"><Replace><CmdID>2</CmdID><Item><Data>{content}</Data>'
        f'</Item></Replace><Field xmlns:msft="{NS_MSFT}">{content}</Field></SyncBody></SyncML>'
    ).encode()
    msg = syncml.parse(xml, keep_unknown=True)
    assert syncml.parse(syncml.serialize(msg, wbxml=True), keep_unknown=True) == msg
