"""Markup in Data is worded the same whichever way the decoder reaches it.

The XML decoder serializes a Data element once when the document declares
no prefix, and child by child otherwise; the WBXML decoder words what it
renders the same way.  CDATA sections before the first child element used to
come back as escaped text on the child-by-child branch only.
"""

from __future__ import annotations

import pytest

import syncml
from syncml import model as m

_MESSAGE = (
    '<SyncML xmlns="SYNCML:SYNCML1.2"{decl}><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI>"
    "</Source></SyncHdr><SyncBody><Replace><CmdID>2</CmdID><Item><Target><LocURI>c</LocURI></Target>"
    "<Data>{markup}</Data></Item></Replace><Final/></SyncBody></SyncML>"
)

MARKUP = [
    "<![CDATA[a<b]]><e/><![CDATA[z]]>t",
    "<![CDATA[]]><e/>",
    "x&amp;<![CDATA[a<b]]>y<e/>",
    "<![CDATA[]]><![CDATA[x]]>y&lt;<e/>",
    "pre<e/>post",
    "<e/>",
]


def _data(decl: str, markup: str) -> tuple[syncml.SyncML, m.Markup]:
    message = syncml.parse(_MESSAGE.format(decl=decl, markup=markup))
    command = message.body.commands[0]
    assert isinstance(command, m.Replace)
    data = command.items[0].data
    assert isinstance(data, m.Markup)
    return message, data


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_is_worded_as_written_with_or_without_prefixes(markup: str) -> None:
    _, plain = _data("", markup)
    prefixed_message, prefixed = _data(' xmlns:p="urn:p"', markup)
    assert plain.xml == markup
    assert prefixed.xml == markup
    assert prefixed_message.namespaces == (("p", "urn:p"),)


@pytest.mark.parametrize("decl", ["", ' xmlns:p="urn:p"'])
@pytest.mark.parametrize("markup", MARKUP)
def test_markup_round_trips_through_xml_and_wbxml(decl: str, markup: str) -> None:
    message, _ = _data(decl, markup)
    assert syncml.parse(syncml.serialize(message)) == message
    assert syncml.parse(syncml.serialize(message, wbxml=True)) == message
