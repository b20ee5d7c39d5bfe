"""Lenient parsing: each tolerance, what it yields and that strict refuses it.

Every row is one deviation seen in real traffic or documents (see
``syncml/_quirks.py`` for where), the quirk kinds a lenient parse records, and
a check of the value it produced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

import syncml
from syncml import QuirkKind as Q
from syncml import model as m

from .builders import ALERT, HDR, message_xml


def _item_meta(message: m.SyncML) -> m.Meta:
    command = message.body.commands[0]
    assert isinstance(command, m.Alert)
    meta = command.items[0].meta
    assert meta is not None
    return meta


def _meta_alert(meta: str) -> bytes:
    return message_xml(
        f"<Alert><CmdID>1</CmdID><Data>1226</Data><Item><Meta>{meta}</Meta><Data>1</Data></Item></Alert>"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Lenient:
    name: str
    data: bytes
    kinds: tuple[Q, ...]
    check: Callable[[m.SyncML], bool]


TABLE = [
    Lenient(
        name="metinfo typo",
        data=_meta_alert('<Type xmlns="syncml:metinfo">com.microsoft:mdm.unenrollment.userrequest</Type>'),
        kinds=(Q.METINF_NAMESPACE,),
        check=lambda x: _item_meta(x).type == "com.microsoft:mdm.unenrollment.userrequest",
    ),
    Lenient(
        name="unqualified MetInf",
        data=_meta_alert("<Format>int</Format><Type>text/plain</Type>"),
        kinds=(Q.METINF_NAMESPACE, Q.METINF_NAMESPACE),
        check=lambda x: _item_meta(x) == m.Meta(format="int", type="text/plain"),
    ),
    Lenient(
        name="MetInf with xmlns empty (Go encoding/xml)",
        data=_meta_alert('<Format xmlns="">int</Format>'),
        kinds=(Q.METINF_NAMESPACE,),
        check=lambda x: _item_meta(x).format == "int",
    ),
    Lenient(
        name="leading space in Type",
        data=_meta_alert('<Type xmlns="syncml:metinf"> com.microsoft:mdm.unenrollment.userrequest</Type>'),
        kinds=(Q.VALUE_WHITESPACE,),
        check=lambda x: _item_meta(x).type == "com.microsoft:mdm.unenrollment.userrequest",
    ),
    Lenient(
        name="LocURI wrapped over lines",
        data=message_xml(
            "<Get><CmdID>1</CmdID><Item><Target><LocURI>\n   ./DevDetail/SwV\n   </LocURI></Target></Item></Get>"
        ),
        kinds=(Q.VALUE_WHITESPACE,),
        check=lambda x: (
            x.body.commands[0] == m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri="./DevDetail/SwV")),))
        ),
    ),
    Lenient(
        name="Status children out of order (OMA examples)",
        data=message_xml(
            "<Status><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><CmdID>5</CmdID><Data>212</Data></Status>"
        ),
        kinds=(Q.CHILD_ORDER,),
        check=lambda x: x.body.commands[0] == m.Status(cmd_id="5", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="212"),
    ),
    Lenient(
        name="TargetParent before SourceParent (Synthesis)",
        data=message_xml(
            "<Add><CmdID>1</CmdID><Item><TargetParent><LocURI>./a</LocURI></TargetParent>"
            "<SourceParent><LocURI>./b</LocURI></SourceParent></Item></Add>"
        ),
        kinds=(Q.CHILD_ORDER,),
        check=lambda x: (
            x.body.commands[0]
            == m.Add(
                cmd_id="1",
                items=(
                    m.Item(source_parent=m.SourceParent(loc_uri="./b"), target_parent=m.TargetParent(loc_uri="./a")),
                ),
            )
        ),
    ),
    Lenient(
        name="utf-16 declared on UTF-8 bytes",
        data=b'<?xml version="1.0" encoding="utf-16"?>' + message_xml(ALERT),
        kinds=(Q.WRONG_ENCODING,),
        check=lambda x: x.body.commands[0] == m.Alert(cmd_id="1", data="1201"),
    ),
    Lenient(
        name="whitespace before the declaration (logged capture)",
        data=b' <?xml version="1.0" encoding="utf-8"?>\n' + message_xml(ALERT),
        kinds=(Q.LEADING_WHITESPACE,),
        check=lambda x: len(x.body.commands) == 1,
    ),
    Lenient(
        name="no namespace on the root (local MDM API)",
        data=message_xml(ALERT, root_attrs=""),
        kinds=(Q.NO_NAMESPACE,),
        check=lambda x: (
            x.header.ver_dtd == "1.2" and syncml.serialize(x).startswith(b'<SyncML xmlns="SYNCML:SYNCML1.2">')
        ),
    ),
    Lenient(
        name="lower-case namespace (Horde)",
        data=message_xml(ALERT, root_attrs=' xmlns="syncml:syncml1.2"'),
        kinds=(Q.NAMESPACE_CASE,),
        check=lambda x: x.header.session_id == "1",
    ),
    Lenient(
        name="placeholder text inside an Item",
        data=message_xml("<Replace><CmdID>2</CmdID><Item>\n  ...\n</Item></Replace>"),
        kinds=(Q.STRAY_TEXT,),
        check=lambda x: x.body.commands[0] == m.Replace(cmd_id="2", items=(m.Item(),)),
    ),
    Lenient(
        name="Results with Cmd (MS-MDM model)",
        data=message_xml(
            "<Results><CmdID>1</CmdID><CmdRef>2</CmdRef><Cmd>Get</Cmd><Item><Data>x</Data></Item></Results>"
        ),
        kinds=(Q.RESULTS_CMD,),
        check=lambda x: x.body.commands[0] == m.Results(cmd_id="1", cmd_ref="2", cmd="Get", items=(m.Item(data="x"),)),
    ),
    Lenient(
        name="Status inside Atomic",
        data=message_xml(
            "<Atomic><CmdID>1</CmdID><Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
            "<Cmd>SyncHdr</Cmd><Data>200</Data></Status></Atomic>"
        ),
        kinds=(Q.COMMAND_PLACEMENT,),
        check=lambda x: (
            isinstance(x.body.commands[0], m.Atomic) and isinstance(x.body.commands[0].commands[0], m.Status)
        ),
    ),
    Lenient(
        name="VerDTD 1.1 in a 1.2 document",
        data=message_xml(ALERT, hdr=HDR.replace("<VerDTD>1.2", "<VerDTD>1.1")),
        kinds=(Q.VERSION_MISMATCH,),
        check=lambda x: x.header.ver_dtd == "1.1",
    ),
    Lenient(
        name="whitespace inside an empty element",
        data=message_xml(ALERT + "<Final> </Final>"),
        kinds=(Q.VALUE_WHITESPACE,),
        check=lambda x: x.body.final,
    ),
]


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_lenient_records_the_quirk(case: Lenient) -> None:
    parsed = syncml.parse(case.data)
    assert tuple(q.kind for q in parsed.quirks) == case.kinds
    assert case.check(parsed)
    assert all(q.path for q in parsed.quirks if q.kind not in (Q.WRONG_ENCODING, Q.LEADING_WHITESPACE))


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_strict_refuses_it(case: Lenient) -> None:
    with pytest.raises(syncml.DecodeError):
        syncml.parse(case.data, strict=True)


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_tolerated_message_writes_back_clean(case: Lenient) -> None:
    parsed = syncml.parse(case.data)
    again = syncml.parse(syncml.serialize(parsed))
    assert again == parsed
    kinds = {q.kind for q in again.quirks}
    # What the serializer writes is conformant, except what the model itself
    # keeps (a Results Cmd, a command outside its DTD choice, VerDTD 1.1 with
    # its own namespace is fine).
    assert kinds <= {Q.RESULTS_CMD, Q.COMMAND_PLACEMENT}


def test_quirks_do_not_take_part_in_equality() -> None:
    quirky = syncml.parse(_meta_alert('<Type xmlns="syncml:metinfo">x</Type>'))
    clean = syncml.parse(_meta_alert('<Type xmlns="syncml:metinf">x</Type>'))
    assert quirky.quirks
    assert not clean.quirks
    assert quirky == clean


def test_quirk_text_says_what_and_where() -> None:
    parsed = syncml.parse(_meta_alert('<Type xmlns="syncml:metinfo">x</Type>'))
    assert str(parsed.quirks[0]) == (
        "metinf-namespace: <Type> in namespace 'syncml:metinfo'"
        " - at SyncML/SyncBody/Alert[1]/Item[1]/Meta/Type (line 1)"
    )


def test_keep_unknown_round_trips_in_place() -> None:
    data = message_xml(
        '<Alert><CmdID>1</CmdID><Data>1201</Data><x:Extra xmlns:x="urn:x" a="1"><x:y/></x:Extra></Alert>'
        "<Field><CmdID>2</CmdID></Field>" + ALERT.replace(">1<", ">3<")
    )
    with pytest.raises(syncml.DecodeError, match="unknown element"):
        syncml.parse(data)
    kept = syncml.parse(data, keep_unknown=True)
    alert = kept.body.commands[0]
    assert isinstance(alert, m.Alert)
    assert alert.unknown == (m.Unknown(xml='<x:Extra xmlns:x="urn:x" a="1"><x:y/></x:Extra>', position=2),)
    assert kept.body.unknown == (m.Unknown(xml="<Field><CmdID>2</CmdID></Field>", position=1),)
    assert kept.body.unknown[0].name == "Field"
    written = syncml.serialize(kept)
    assert b"<Data>1201</Data><x:Extra" in written
    assert b"</Alert><Field><CmdID>2</CmdID></Field><Alert>" in written
    assert syncml.parse(written, keep_unknown=True) == kept


_FOREIGN_VERSION = (
    '<SyncML xmlns="{ns}"><SyncHdr><VerDTD>{ver}</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>'
    "<MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI></Source></SyncHdr>"
    '<SyncBody><Get><CmdID>2</CmdID><Foo xmlns="SYNCML:SYNCML1.2">x</Foo><Bar>y</Bar>'
    '<Item><Target><LocURI>c</LocURI></Target><Data><A/><B xmlns="SYNCML:SYNCML1.2"/></Data></Item>'
    "</Get><Final/></SyncBody></SyncML>"
)


@pytest.mark.parametrize(
    ("ns", "ver", "inherited"),
    [
        ("SYNCML:SYNCML1.1", "1.2", "SYNCML:SYNCML1.1"),
        ("SYNCML:SYNCML1.2", "1.1", "SYNCML:SYNCML1.2"),
        ("syncml:syncml1.2", "1.2", "syncml:syncml1.2"),
    ],
)
def test_namespace_other_than_verdtd_keeps_unknown_and_markup_namespaces(ns: str, ver: str, inherited: str) -> None:
    # Written back in VerDTD's namespace: an unknown element in the
    # document's SyncML namespace moves there with the message (a Sony
    # Ericsson phone's 1.1 namespace with VerDTD 1.2, issue 14), and one in
    # VerDTD's namespace needs no declaration either.  Markup in Data is the
    # payload's own: it keeps the namespace it was written in.
    message = syncml.parse(_FOREIGN_VERSION.format(ns=ns, ver=ver), keep_unknown=True)
    get = message.body.commands[0]
    assert isinstance(get, m.Get)
    assert [u.xml for u in get.unknown] == ["<Foo>x</Foo>", "<Bar>y</Bar>"]
    assert isinstance(get.items[0].data, m.Markup)
    assert get.items[0].data.xml.startswith(f'<A xmlns="{inherited}"/>')
    again = syncml.parse(syncml.serialize(message), keep_unknown=True)
    assert again == message
    assert len(message.quirks) == 1  # decoding twice records the quirk once
