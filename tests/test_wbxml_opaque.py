"""The ``Opaque`` Data form (binary, WBXML only) as the XML side writes it.

XML has no binary: an Item whose Data is :class:`syncml.Opaque` is written as
base64 text with its own Meta Format ``b64`` (OMA DM TND 1.2, 8.3.7.2), which
reads back as the base64 text.
"""

from __future__ import annotations

import base64

import pytest

import syncml
from syncml import model as m
from syncml._cli import decode_to_lines

from .builders import header, message


def _message(item: m.Item) -> m.SyncML:
    return message(m.Replace(cmd_id="2", items=(item,)), hdr=header(target="dev", source="srv"), final=True)


@pytest.mark.parametrize(
    ("meta", "expected_meta"),
    [
        (None, m.Meta(format="b64")),
        (m.Meta(format="bin", type="application/octet-stream"), m.Meta(format="b64", type="application/octet-stream")),
        (m.Meta(type="text/plain", size="4"), m.Meta(format="b64", type="text/plain", size="4")),
    ],
)
def test_xml_writes_opaque_as_base64_with_format_b64(meta: m.Meta | None, expected_meta: m.Meta) -> None:
    raw = b"\x00\xff\x10A"
    item = m.Item(target=m.Target(loc_uri="./Vendor/X/Bin"), meta=meta, data=m.Opaque(data=raw))
    back = syncml.parse(syncml.serialize(_message(item)), strict=True)
    read = back.body.commands[0]
    assert isinstance(read, m.Replace)
    assert read.items[0].data == base64.b64encode(raw).decode("ascii")
    assert read.items[0].meta == expected_meta


def test_xml_refuses_opaque_that_is_not_bytes() -> None:
    item = m.Item(data=m.Opaque(data="text"))  # type: ignore[arg-type]
    with pytest.raises(syncml.EncodeError, match="bytes"):
        syncml.serialize(_message(item))


def test_decode_tool_shows_binary_data_as_hex() -> None:
    wbxml = syncml.serialize(_message(m.Item(data=m.Opaque(data=b"\x01\xab"))), wbxml=True)
    assert "Data    binary, 2 bytes: 01 ab" in "\n".join(decode_to_lines(wbxml))
    # What XML carries instead is base64 text (Format b64), shown with its decoded length.
    xml = syncml.serialize(_message(m.Item(data=m.Opaque(data=b"\x01\xab"))))
    assert "Data    b64, 2 bytes decoded: Aas=" in "\n".join(decode_to_lines(xml))
