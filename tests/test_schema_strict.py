"""Strict parsing and the schemas on the edges where they once disagreed.

Each test here pins one decision that keeps ``parse(data, strict=True)`` and
:func:`syncml.validate` answering alike (the broad agreement is checked by
``test_schema_agreement.py``).
"""

from __future__ import annotations

import pytest

import syncml

from .builders import message_xml


def markup_message(levels: int) -> bytes:
    """Item Data (depth 5) holding markup whose deepest element is at 5 + *levels*."""
    inner = "<x>" * (levels - 1) + "</x>" * (levels - 1)
    return message_xml(f"<Replace><CmdID>1</CmdID><Item><Data><r>{inner}</r></Data></Item></Replace>")


@pytest.mark.parametrize("strict", [False, True])
def test_markup_up_to_the_depth_limit_is_accepted(strict: bool) -> None:
    # Regression: the subtree depth check once added the depth of whichever
    # node it visited last, refusing markup well inside the limit.
    limit = syncml.DEFAULT_LIMITS.max_depth
    msg = syncml.parse(markup_message(limit - 5), strict=strict)
    data = msg.body.commands[0].items[0].data  # type: ignore[union-attr]
    assert isinstance(data, syncml.Markup)
    with pytest.raises(syncml.DecodeError, match="nesting deeper"):
        syncml.parse(markup_message(limit - 4), strict=strict)


XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


@pytest.mark.parametrize(
    "body",
    [
        f'<Replace><CmdID>1</CmdID><Item><Data {XSI} xsi:type="x">1</Data></Item></Replace>',
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
        f'<Data {XSI} xsi:nil="true">200</Data></Status>',
    ],
    ids=["Item/Data", "Status/Data"],
)
def test_schema_instance_attributes_on_data_are_refused_when_strict(body: str) -> None:
    # A schema validator would act on them rather than keep them.
    data = message_xml(body)
    with pytest.raises(syncml.DecodeError, match="schema-instance attribute"):
        syncml.parse(data, strict=True)
    with pytest.raises(syncml.SchemaError, match="schema-instance attribute"):
        syncml.validate(data)
    kept = syncml.parse(data).body.commands[0]
    attributes = kept.items[0].data_attributes if isinstance(kept, syncml.Replace) else kept.data_attributes  # type: ignore[union-attr]
    assert attributes[0][0].startswith("{http://www.w3.org/2001/XMLSchema-instance}")


def test_schema_instance_attributes_inside_data_markup_are_content() -> None:
    # Skipped by the schema (processContents="skip"), kept verbatim by the codec.
    data = message_xml(f'<Replace><CmdID>1</CmdID><Item><Data><p {XSI} xsi:type="q"/></Data></Item></Replace>')
    syncml.validate(data)
    assert isinstance(syncml.parse(data, strict=True).body.commands[0].items[0].data, syncml.Markup)  # type: ignore[union-attr]
