"""DevInf read from the Items that carry it, in every form Data takes, and written back."""

from __future__ import annotations

import pytest

import syncml
from syncml import DecodeError, QuirkKind, ds
from syncml import model as m

from .test_ds_devinf import DEVINF_11, DEVINF_12

_XML = ds.serialize_devinf(DEVINF_12).decode()
_META = m.Meta(type=ds.DEVINF_XML_TYPE)


@pytest.mark.parametrize(
    "data",
    [m.Markup(xml=_XML), m.CData(text=_XML), _XML, m.Opaque(data=ds.serialize_devinf(DEVINF_12, wbxml=True))],
    ids=["markup", "cdata", "text", "nested-wbxml"],
)
def test_every_data_form(data: m.Data) -> None:
    item = m.Item(meta=_META, data=data)
    assert ds.devinf_of(item, strict=True) == DEVINF_12


def test_type_on_the_command_or_the_item() -> None:
    item = m.Item(data=m.Markup(xml=_XML))
    assert ds.devinf_of(item, command_meta=m.Meta(type=ds.DEVINF_WBXML_TYPE), strict=True) == DEVINF_12
    # The Item's own Meta wins over the command's.
    own = m.Item(meta=m.Meta(type=" application/vnd.syncml-devinf+XML "), data=m.Markup(xml=_XML))
    assert ds.devinf_of(own, command_meta=m.Meta(type="text/plain"), strict=True) == DEVINF_12


def test_items_without_devinf() -> None:
    assert ds.devinf_of(m.Item(meta=_META)) is None
    assert ds.devinf_of(m.Item(data="BEGIN:VCARD")) is None
    assert ds.devinf_of(m.Item(meta=m.Meta(type="text/x-vcard"), data=m.Opaque(data=b"\x00\x01"))) is None


def test_wrong_meta_type_is_a_quirk() -> None:
    item = m.Item(meta=m.Meta(type="text/xml"), data=m.Markup(xml=_XML))
    doc = ds.devinf_of(item)
    assert doc == DEVINF_12
    assert doc is not None
    assert [q.kind for q in doc.quirks] == [QuirkKind.DEVINF_META_TYPE]
    with pytest.raises(DecodeError, match="under Meta Type 'text/xml'") as info:
        ds.devinf_of(item, strict=True)
    assert info.value.path == "Item/Meta/Type"
    untyped = m.Item(data=m.Opaque(data=ds.serialize_devinf(DEVINF_11, wbxml=True)))
    assert ds.devinf_of(untyped) == DEVINF_11


def test_a_broken_document_is_a_decode_error() -> None:
    item = m.Item(meta=_META, data=m.Markup(xml=_XML.replace("<DevID>", "<DevId>").replace("</DevID>", "</DevId>")))
    with pytest.raises(DecodeError, match="unknown element <DevId>"):
        ds.devinf_of(item)


def test_devinf_item_writes_what_devinf_of_reads() -> None:
    for doc in (DEVINF_12, DEVINF_11):
        item = ds.devinf_item(doc)
        assert item.source is not None
        assert item.source.loc_uri == {"1.2": "./devinf12", "1.1": "./devinf11"}[doc.ver_dtd]
        assert ds.devinf_of(item, strict=True) == doc
    wbxml_typed = ds.devinf_item(DEVINF_12, source="./devinf", wbxml_type=True)
    assert wbxml_typed.meta == m.Meta(type=ds.DEVINF_WBXML_TYPE)


def _results_message(*, wbxml: bool) -> syncml.SyncML:
    item = ds.devinf_item(DEVINF_12, wbxml_type=wbxml)
    results = m.Results(cmd_id="2", msg_ref="1", cmd_ref="4", items=(item,))
    header = m.SyncHdr(
        session_id="1", msg_id="2", target=m.Target(loc_uri="https://ds.example.com"), source=m.Source(loc_uri="IMEI:1")
    )
    return m.SyncML(header=header, body=m.SyncBody(commands=(results,), final=True))


@pytest.mark.parametrize("wbxml", [False, True])
def test_devinf_through_a_whole_message(wbxml: bool) -> None:
    message = _results_message(wbxml=wbxml)
    received = syncml.parse(syncml.serialize(message, wbxml=wbxml))
    assert ds.devinfs(received) == (DEVINF_12,)
    assert ds.devinfs(received.body.commands) == (DEVINF_12,)
