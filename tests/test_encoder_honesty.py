"""Encoder honesty: ``serialize`` writes what reads back equal, or raises EncodeError.

Markup and Unknown values are XML text the encoders copy; a value that would
read back as something else (a real command, two elements, other wording)
must be refused, by the XML and the WBXML encoder alike.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml import strategies as sst

from .builders import message_xml, synchdr_xml

REPLACE = "<Replace><CmdID>1</CmdID><Item><Data>1</Data></Item></Replace>"
BASE = syncml.parse(message_xml(REPLACE, hdr=synchdr_xml(target="s", source="d")))


def _with_body_unknown(xml: str) -> m.SyncML:
    return dataclasses.replace(BASE, body=dataclasses.replace(BASE.body, unknown=(m.Unknown(xml=xml, position=0),)))


def _with_item(item: m.Item) -> m.SyncML:
    command = BASE.body.commands[0]
    assert isinstance(command, m.Replace)
    return dataclasses.replace(
        BASE, body=dataclasses.replace(BASE.body, commands=(dataclasses.replace(command, items=(item,)),))
    )


WIPE = "<Exec><CmdID>9</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteWipe/doWipe</LocURI></Target></Item></Exec>"

REFUSED_UNKNOWN = [
    (WIPE, "is an element <SyncBody> knows"),
    ("<Final/>", "is an element <SyncBody> knows"),
    ("<X/><Y/>", "exactly one element"),
    ("<X/> ", "exactly one element"),
    ("text<X/>", "exactly one element"),
    ("<!--c--><X/>", "exactly one element"),
    ("<X", "not well-formed"),
    ("<X a='1'/>", "not worded as it reads back"),
    ("<X></X>", "not worded as it reads back"),
]


@pytest.mark.parametrize(("xml", "reason"), REFUSED_UNKNOWN)
@pytest.mark.parametrize("wbxml", [False, True])
def test_an_unknown_that_would_read_back_otherwise_is_refused(xml: str, reason: str, wbxml: bool) -> None:
    with pytest.raises(syncml.EncodeError, match=reason) as caught:
        syncml.serialize(_with_body_unknown(xml), wbxml=wbxml)
    assert caught.value.path == "SyncML/SyncBody"


@pytest.mark.parametrize("wbxml", [False, True])
def test_an_unknown_named_like_an_item_child_is_refused_inside_an_item(wbxml: bool) -> None:
    item = m.Item(data="1", unknown=(m.Unknown(xml="<Data>2</Data>", position=0),))
    with pytest.raises(syncml.EncodeError, match="<Data> is an element <Item> knows") as caught:
        syncml.serialize(_with_item(item), wbxml=wbxml)
    assert caught.value.path == "SyncML/SyncBody/Replace[1]/Item[1]"


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("<a>", "not well-formed"),
        ("text only", "at least one element"),
        ("<a/><!--c-->", "comment"),
        ("<a b='1'/>", "not worded as it reads back"),
        ("<a>&#65;</a>", "not worded as it reads back"),
        ("<!DOCTYPE a><a/>", "not well-formed"),
        ("<a>&ext;</a>", "not well-formed"),
    ],
)
@pytest.mark.parametrize("wbxml", [False, True])
def test_markup_that_would_read_back_otherwise_is_refused(xml: str, reason: str, wbxml: bool) -> None:
    with pytest.raises(syncml.EncodeError, match=reason) as caught:
        syncml.serialize(_with_item(m.Item(data=m.Markup(xml=xml))), wbxml=wbxml)
    assert caught.value.path == "SyncML/SyncBody/Replace[1]/Item[1]/Data"


def test_an_unknown_element_the_grammar_does_not_know_is_written_and_read_back() -> None:
    msg = _with_body_unknown('<X a="1"><Exec/></X>')
    for wbxml in (False, True):
        assert syncml.parse(syncml.serialize(msg, wbxml=wbxml), keep_unknown=True) == msg


def test_serialize_commands_checks_unknown_too() -> None:
    item = m.Item(data="1", unknown=(m.Unknown(xml="<Source><LocURI>x</LocURI></Source>", position=0),))
    with pytest.raises(syncml.EncodeError, match="<Source> is an element <Item> knows"):
        syncml.serialize_commands([m.Replace(cmd_id="1", items=(item,))])


# --- property: every model is written faithfully or refused --------------------------------

_MUTATIONS = st.sampled_from(
    ["", " ", "<X/>", "<Y/>", "<Exec/>", "<Data>1</Data>", "<!--c-->", "<a b='1'/>", "&amp;", "<", "<p:x/>", "t"]
)


@st.composite
def _mutated(draw: st.DrawFn) -> m.SyncML:
    """A generated message with one Unknown or Markup value mutated."""
    msg = draw(sst.messages())
    where = draw(st.sampled_from(["body", "item"]))
    base = draw(st.sampled_from(["<X/>", '<X a="1">t</X>', "<Enabled/>", "<Exec/>", "<CmdID>1</CmdID>"]))
    xml = draw(_MUTATIONS) + base + draw(_MUTATIONS)
    if where == "body":
        return dataclasses.replace(msg, body=dataclasses.replace(msg.body, unknown=(m.Unknown(xml=xml, position=0),)))
    command = next((c for c in msg.body.commands if isinstance(c, m.Replace | m.Add | m.Results)), None)
    if command is None or not command.items:
        return msg
    items = (dataclasses.replace(command.items[0], data=m.Markup(xml=xml)), *command.items[1:])
    commands = tuple(dataclasses.replace(c, items=items) if c is command else c for c in msg.body.commands)
    return dataclasses.replace(msg, body=dataclasses.replace(msg.body, commands=commands))


def _faithful_or_refused(msg: m.SyncML, *, wbxml: bool) -> None:
    try:
        written = syncml.serialize(msg, wbxml=wbxml)
    except syncml.EncodeError:
        return
    assert syncml.parse(written, keep_unknown=True) == msg


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(msg=st.one_of(sst.messages(), _mutated()))
def test_xml_serialize_writes_what_reads_back_equal_or_refuses(msg: m.SyncML) -> None:
    _faithful_or_refused(msg, wbxml=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(msg=st.one_of(sst.messages(), _mutated()))
def test_wbxml_serialize_writes_what_reads_back_equal_or_refuses(msg: m.SyncML) -> None:
    _faithful_or_refused(msg, wbxml=True)
