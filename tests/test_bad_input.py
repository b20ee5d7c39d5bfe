"""Every way decoding can refuse input, from one table.

Each row names the input, the mode, the SyncML status a server should answer,
and where the error points (element path, line and column).  Nothing but
:class:`syncml.DecodeError` may come out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import syncml
from syncml import DecodeError, Limits

from .builders import ALERT, HDR, message_xml


@dataclass(frozen=True, slots=True, kw_only=True)
class Bad:
    name: str
    data: bytes | str
    reason: str  # a part of the message
    status: int = 400
    path: str | None = None
    line: int | None = None
    column: int | None = None
    strict: bool = False
    fragment: bool = False
    limits: Limits = syncml.DEFAULT_LIMITS


TABLE = [
    # --- before parsing -------------------------------------------------------
    Bad(name="empty", data=b"", reason="empty input", line=1, column=1),
    Bad(name="whitespace only", data=b" \n\t ", reason="empty input"),
    Bad(name="too large bytes", data=message_xml(ALERT), reason="exceeds", status=413, limits=Limits(max_size=100)),
    Bad(
        name="too large text",
        data=message_xml(ALERT).decode(),
        reason="exceeds",
        status=413,
        limits=Limits(max_size=100),
    ),
    Bad(name="lone surrogate in text", data="<SyncML>\ud800</SyncML>", reason="surrogate"),
    Bad(name="UTF-32", data=b"\xff\xfe\x00\x00<\x00\x00\x00", reason="UTF-32", status=415),
    Bad(name="odd UTF-16", data=b"\xff\xfe<\x00S", reason="UTF-16"),
    Bad(
        name="invalid UTF-8",
        data=message_xml("<Alert><CmdID>\xff</CmdID></Alert>".replace("\xff", "X")).replace(b"X", b"\xff"),
        reason="invalid UTF-8",
        line=1,
        column=258,
    ),
    Bad(
        name="unknown encoding",
        data=b'<?xml version="1.0" encoding="x-nothing"?><SyncML/>',
        reason="unsupported encoding",
        status=415,
    ),
    Bad(
        name="whitespace before declaration (strict)",
        data=b'  <?xml version="1.0"?>' + message_xml(ALERT),
        reason="whitespace before the XML declaration",
        strict=True,
    ),
    Bad(
        name="declared utf-16 on UTF-8 (strict)",
        data=b'<?xml version="1.0" encoding="utf-16"?>' + message_xml(ALERT),
        reason="says utf-16",
        strict=True,
    ),
    Bad(
        name="declared ascii on UTF-8 (strict)",
        data=b'<?xml version="1.0" encoding="us-ascii"?>' + message_xml("<Alert><CmdID>\u00e9</CmdID></Alert>"),
        reason="bytes are UTF-8",
        strict=True,
    ),
    # --- DOCTYPE and entities -------------------------------------------------
    Bad(name="internal subset", data=b'<!DOCTYPE SyncML [<!ENTITY a "x">]><SyncML/>', reason="DOCTYPE refused"),
    Bad(
        name="billion laughs",
        data=b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><SyncML>&lol2;</SyncML>',
        reason="DOCTYPE refused",
        line=1,
        column=22,
    ),
    Bad(
        name="external entity", data=b'<!DOCTYPE SyncML SYSTEM "file:///etc/passwd"><SyncML/>', reason="DOCTYPE refused"
    ),
    Bad(
        name="entity beside a plain DOCTYPE",
        data=b'<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN" "x.dtd">'
        + message_xml("<Alert><CmdID>&e;</CmdID></Alert>"),
        reason="entity reference",
    ),
    Bad(
        name="undefined entity", data=message_xml("<Alert><CmdID>&e;</CmdID></Alert>"), reason="Entity 'e' not defined"
    ),
    # --- not XML, not SyncML ------------------------------------------------------
    Bad(name="truncated", data=message_xml(ALERT)[:-20], reason="malformed XML", line=1),
    Bad(
        name="HTML error page",
        data=b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        reason="root element is <html>",
        path="html",
        line=1,
        column=1,
    ),
    Bad(name="foreign namespace", data=message_xml(ALERT, root_attrs=' xmlns="urn:other"'), reason="not SyncML"),
    Bad(
        name="SyncML 1.0",
        data=message_xml(ALERT, root_attrs=' xmlns="SYNCML:SYNCML1.0"'),
        reason="unsupported SyncML version",
        status=505,
    ),
    Bad(
        name="VerDTD 2.0",
        data=message_xml(ALERT, hdr=HDR.replace("<VerDTD>1.2", "<VerDTD>2.0")),
        reason="unsupported VerDTD",
        status=505,
    ),
    Bad(
        name="VerProto of neither DM nor data sync (strict)",
        data=message_xml(ALERT, hdr=HDR.replace("DM/1.2", "OBEX/1.0")),
        reason="unsupported VerProto",
        status=513,
        strict=True,
    ),
    Bad(
        name="undeclared prefix",
        data=message_xml("<Alert><CmdID>1</CmdID><A:Data>1</A:Data></Alert>"),
        reason="prefix A",
    ),
    # --- structure ------------------------------------------------------------------
    Bad(
        name="no SyncHdr",
        data=b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncBody>' + ALERT.encode() + b"</SyncBody></SyncML>",
        reason="missing <SyncHdr>",
        path="SyncML",
        line=1,
        column=1,
    ),
    Bad(
        name="empty SyncHdr (strict)",
        data=message_xml(ALERT, hdr="<SyncHdr/>"),
        reason="an empty <SyncHdr/>",
        path="SyncML/SyncHdr",
        strict=True,
    ),
    Bad(name="empty SyncBody", data=message_xml(""), reason="missing a command", path="SyncML/SyncBody"),
    Bad(
        name="Status without CmdRef",
        data=message_xml("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>"),
        reason="missing <CmdRef>",
        path="SyncML/SyncBody/Status[1]",
        line=1,
        column=244,
    ),
    Bad(
        name="unknown command",
        data=message_xml("<Field><CmdID>1</CmdID></Field>"),
        reason="unknown element <Field>",
        path="SyncML/SyncBody/Field",
    ),
    Bad(
        name="two Meta in an Item",
        data=message_xml("<Add><CmdID>1</CmdID><Item><Meta/><Meta/></Item></Add>"),
        reason="more than one <Meta>",
        path="SyncML/SyncBody/Add[1]/Item[1]/Meta",
    ),
    Bad(
        name="Exec with two Items",
        data=message_xml("<Exec><CmdID>1</CmdID><Item/><Item/></Exec>"),
        reason="more than one <Item>",
        path="SyncML/SyncBody/Exec[1]/Item[2]",
    ),
    Bad(
        name="Add without Item",
        data=message_xml("<Add><CmdID>1</CmdID></Add>"),
        reason="missing <Item>",
        path="SyncML/SyncBody/Add[1]",
    ),
    Bad(
        name="element inside a leaf",
        data=message_xml("<Alert><CmdID><b>1</b></CmdID></Alert>"),
        reason="must hold text",
        path="SyncML/SyncBody/Alert[1]/CmdID/b",
    ),
    Bad(
        name="attribute on CmdID",
        data=message_xml('<Alert><CmdID id="x">1</CmdID></Alert>'),
        reason="unexpected attribute",
        path="SyncML/SyncBody/Alert[1]/CmdID",
    ),
    Bad(
        name="text in Final",
        data=message_xml(ALERT + "<Final>yes</Final>"),
        reason="must be empty",
        path="SyncML/SyncBody/Final",
    ),
    Bad(
        name="Status Data with markup",
        data=message_xml(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data><x/></Data></Status>"
        ),
        reason="must hold text",
        path="SyncML/SyncBody/Status[1]/Data/x",
    ),
    Bad(
        name="too deep",
        data=message_xml("<Atomic><CmdID>1</CmdID>" * 40 + ALERT + "</Atomic>" * 40),
        reason="nesting deeper",
    ),
    Bad(
        name="too many elements",
        data=message_xml(ALERT * 30),
        reason="exceed the limit",
        status=413,
        limits=Limits(max_nodes=50),
    ),
    Bad(
        name="deep markup in Data",
        data=message_xml("<Add><CmdID>1</CmdID><Item><Data>" + "<x>" * 40 + "</x>" * 40 + "</Data></Item></Add>"),
        reason="nesting deeper",
    ),
    # --- strict refusals of what lenient mode tolerates ------------------------------
    Bad(
        name="CmdID 0 (strict)",
        data=message_xml("<Alert><CmdID>0</CmdID></Alert>"),
        reason="must not be 0",
        strict=True,
        path="SyncML/SyncBody/Alert[1]/CmdID",
    ),
    Bad(
        name="Status code not a number (strict)",
        data=message_xml(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>OK</Data></Status>"
        ),
        reason="must be a code",
        strict=True,
    ),
    Bad(
        name="children out of order (strict)",
        data=message_xml("<Alert><Data>1201</Data><CmdID>1</CmdID></Alert>"),
        reason="out of order",
        strict=True,
        path="SyncML/SyncBody/Alert[1]/CmdID",
    ),
    Bad(
        name="whitespace around a value (strict)",
        data=message_xml("<Alert><CmdID> 1 </CmdID></Alert>"),
        reason="whitespace",
        strict=True,
    ),
    Bad(
        name="metinf typo (strict)",
        data=message_xml(
            '<Alert><CmdID>1</CmdID><Item><Meta><Type xmlns="syncml:metinfo">x</Type></Meta></Item></Alert>'
        ),
        reason="namespace",
        strict=True,
        path="SyncML/SyncBody/Alert[1]/Item[1]/Meta/Type",
    ),
    Bad(name="no root namespace (strict)", data=message_xml(ALERT, root_attrs=""), reason="no namespace", strict=True),
    Bad(name="stray text (strict)", data=message_xml("<Alert><CmdID>1</CmdID>...</Alert>"), reason="text", strict=True),
    Bad(
        name="Results with Cmd (strict)",
        data=message_xml("<Results><CmdID>1</CmdID><CmdRef>2</CmdRef><Cmd>Get</Cmd><Item/></Results>"),
        reason="Results",
        strict=True,
        path="SyncML/SyncBody/Results[1]/Cmd",
    ),
    Bad(
        name="Status inside Atomic (strict)",
        data=message_xml(
            "<Atomic><CmdID>1</CmdID><Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
            "<Cmd>SyncHdr</Cmd><Data>200</Data></Status></Atomic>"
        ),
        reason="not allowed in <Atomic>",
        strict=True,
    ),
    # --- fragments ---------------------------------------------------------------------
    Bad(name="fragment given a whole message", data=message_xml(ALERT), reason="use syncml.parse()", fragment=True),
    Bad(name="fragment of non-commands", data=b"<CmdID>1</CmdID>", reason="not a command", fragment=True),
    Bad(name="empty fragment", data=b"<!-- nothing -->", reason="no command", fragment=True),
]


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_refused(case: Bad) -> None:
    decode = syncml.parse_commands if case.fragment else syncml.parse
    with pytest.raises(DecodeError) as caught:
        decode(case.data, strict=case.strict, limits=case.limits)
    err = caught.value
    assert case.reason in str(err)
    assert err.status == case.status
    if case.path is not None:
        assert err.path == case.path
    if case.line is not None:
        assert err.line == case.line
    if case.column is not None:
        assert err.column == case.column
    assert isinstance(err, ValueError)
    assert isinstance(err, syncml.SyncMLError)


def test_error_message_says_where() -> None:
    data = message_xml("<Add><CmdID>1</CmdID><Item><Meta/><Meta/></Item></Add>")
    with pytest.raises(DecodeError) as caught:
        syncml.parse(data)
    text = str(caught.value)
    assert text.endswith("- at SyncML/SyncBody/Add[1]/Item[1]/Meta (line 1, column 278)")


def test_position_counts_lines_and_columns() -> None:
    data = message_xml("\n  <Exec><CmdID>1</CmdID>\n    <Item/><Item/></Exec>")
    with pytest.raises(DecodeError) as caught:
        syncml.parse(data)
    assert (caught.value.line, caught.value.column) == (3, 12)


def test_position_after_stripped_leading_whitespace() -> None:
    data = b'\n\n   <?xml version="1.0"?>' + message_xml("<Alert><CmdID>1</CmdID></Alert><Foo/>")
    with pytest.raises(DecodeError) as caught:
        syncml.parse(data)
    assert caught.value.line == 3
    assert caught.value.column == len("   ") + data.lstrip().index(b"<Foo/>") + 1


def test_invalid_utf8_reports_the_byte_offset() -> None:
    data = message_xml(ALERT).replace(b"1201", b"12\xc3\x28")
    with pytest.raises(DecodeError) as caught:
        syncml.parse(data)
    assert caught.value.offset == data.index(b"\xc3")


def test_not_bytes() -> None:
    with pytest.raises(DecodeError, match="expected bytes or str"):
        syncml.parse(12345)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("attribute", "value", "path"),
    [
        ("Status", syncml.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="OK"), "Status/Data"),
        ("Alert", syncml.Alert(cmd_id="1", data="12x"), "Alert/Data"),
        (
            "MsgID",
            syncml.SyncHdr(
                session_id="1", msg_id="one", target=syncml.Target(loc_uri="a"), source=syncml.Source(loc_uri="b")
            ),
            "SyncHdr/MsgID",
        ),
        ("Size", syncml.Meta(size="-1"), "Meta/Size"),
    ],
)
def test_typed_views_refuse_non_numbers(attribute: str, value: object, path: str) -> None:
    name = {"Status": "code", "Alert": "code", "MsgID": "msg_id_int", "Size": "size_int"}[attribute]
    with pytest.raises(DecodeError) as caught:
        getattr(value, name)
    assert caught.value.path == path


def test_exec_item_view_refuses_wrong_count() -> None:
    with pytest.raises(DecodeError, match="2 Items"):
        _ = syncml.Exec(cmd_id="1", items=(syncml.Item(), syncml.Item())).item


def test_kept_unknown_elements_count_towards_the_depth_limit() -> None:
    deep = "<x>" * 30 + "</x>" * 30  # Alert sits at level 3: the last <x> at 33
    data = message_xml(f"<Alert><CmdID>1</CmdID>{deep}</Alert>")
    with pytest.raises(DecodeError, match="nesting deeper"):
        syncml.parse(data, keep_unknown=True)
    shallow = "<x>" * 20 + "</x>" * 20
    kept = syncml.parse(message_xml(f"<Alert><CmdID>1</CmdID>{shallow}</Alert>"), keep_unknown=True)
    assert len(kept.body.commands[0].unknown) == 1
