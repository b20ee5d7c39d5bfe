"""Every family of hostile XML costs work and memory linear in its size.

Each family is built at n and 8n; the decoder's work counter
(:func:`syncml._meter.measure`) and the traced peak memory must grow at most
about 8x (10x allowed), and the result is a model or a DecodeError.  No clocks.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest

import syncml
from syncml import _meter

from .builders import NS_12, message_xml, synchdr_xml

SYNCHDR = synchdr_xml(target="s", source="d")
# Limits large enough that the families are decoded, not refused at the door.
ROOMY = syncml.Limits(max_size=64 * 1024 * 1024, max_nodes=2_000_000, max_total_attributes=4_000_000)


def _body(commands: bytes, root_attrs: bytes = b"") -> bytes:
    return message_xml(commands, hdr=SYNCHDR, root_attrs=NS_12 + root_attrs.decode())


def _replace(items: bytes) -> bytes:
    return _body(b"<Replace><CmdID>1</CmdID>" + items + b"</Replace>")


def _data(content: bytes) -> bytes:
    return _replace(b"<Item><Data>" + content + b"</Data></Item>")


def _deep(n: int) -> bytes:
    # Atomic nests up to the depth limit, repeated n times side by side.
    nest = (
        b"<Atomic><CmdID>1</CmdID>" * 14
        + b"<Get><CmdID>2</CmdID><Item><Target><LocURI>x</LocURI></Target></Item></Get>"
    )
    return _body((nest + b"</Atomic>" * 14) * n)


def _fragment(n: int) -> bytes:
    return b"<Replace><CmdID>1</CmdID><Item><Data>a<![CDATA[x]]></Data></Item></Replace>" * n


Build = Callable[[int], bytes]
FAMILIES: dict[str, tuple[Build, int, bool]] = {
    # name: (build at n, n, decode as a fragment)
    "CDATA alternating with text in Data": (lambda n: _data(b"a<![CDATA[x]]>" * n), 4_000, False),
    "CDATA sections back to back in Data": (lambda n: _data(b"<![CDATA[x]]>" * n), 4_000, False),
    "CDATA alternating with text in LocURI": (
        lambda n: _replace(b"<Item><Target><LocURI>" + b"a<![CDATA[x]]>" * n + b"</LocURI></Target></Item>"),
        4_000,
        False,
    ),
    "attribute flood on one element": (
        lambda n: _replace(b"<Item><Data" + b"".join(b' a%d="1"' % i for i in range(n)) + b">x</Data></Item>"),
        4_000,
        False,
    ),
    "attributes spread over many elements": (
        lambda n: _replace(b'<Item><Data a="1" b="2">x</Data></Item>' * n),
        2_000,
        False,
    ),
    "namespace-declaration flood": (
        lambda n: _body(
            b"<Replace><CmdID>1</CmdID><Item><Data>x</Data></Item></Replace>",
            b"".join(b' xmlns:p%d="urn:%d"' % (i, i) for i in range(n)),
        ),
        4_000,
        False,
    ),
    "deep nesting up to the limit": (_deep, 400, False),
    "many commands": (
        lambda n: _body(b"<Get><CmdID>1</CmdID><Item><Target><LocURI>x</LocURI></Target></Item></Get>" * n),
        2_000,
        False,
    ),
    "many Items": (
        lambda n: _replace(b"<Item><Target><LocURI>./a</LocURI></Target><Data>v</Data></Item>" * n),
        2_000,
        False,
    ),
    "long text": (lambda n: _data(b"abcdefgh" * n), 20_000, False),
    "many character references": (lambda n: _data(b"&#65;&amp;" * n), 10_000, False),
    "comments and PIs in text": (lambda n: _data(b"a<!--c-->b<?p x?>" * n), 5_000, False),
    "markup in Data with many children": (lambda n: _data(b"<x>1</x>" * n), 4_000, False),
    "prefixed markup with many children": (
        lambda n: _body(
            b"<Replace><CmdID>1</CmdID><Item><Data>" + b"<p:x>1</p:x>" * n + b"</Data></Item></Replace>",
            b' xmlns:p="urn:p"',
        ),
        4_000,
        False,
    ),
    "fragments via parse_commands": (_fragment, 500, True),
    "str input with multibyte characters": (lambda n: _data("é€😀".encode() * n), 5_000, False),
}


def _cost(data: bytes | str, *, fragment: bool) -> tuple[int, int]:
    tracemalloc.start()
    try:
        with _meter.measure() as meter:
            try:
                if fragment:
                    syncml.parse_commands(data, limits=ROOMY)
                else:
                    syncml.parse(data, keep_unknown=True, limits=ROOMY)
            except syncml.DecodeError:
                pass  # refusing is a fine answer; the cost is what is measured
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert meter.calls == 1
    return meter.work, peak


@pytest.mark.parametrize("family", list(FAMILIES))
def test_cost_grows_linearly(family: str) -> None:
    build, n, fragment = FAMILIES[family]
    small, large = build(n), build(8 * n)
    if family.startswith("str input"):
        small_in: bytes | str = small.decode()
        large_in: bytes | str = large.decode()
    else:
        small_in, large_in = small, large
    _cost(small_in, fragment=fragment)  # warm caches (generated decoders, parsers)
    work_small, peak_small = _cost(small_in, fragment=fragment)
    work_large, peak_large = _cost(large_in, fragment=fragment)
    assert work_small > 0
    assert work_large <= 10 * work_small, (work_small, work_large)
    assert peak_large <= 10 * peak_small, (peak_small, peak_large)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_default_limits_give_a_model_or_a_decode_error(family: str) -> None:
    build, n, fragment = FAMILIES[family]
    data = build(8 * n)
    outcome: object
    try:
        outcome = syncml.parse_commands(data) if fragment else syncml.parse(data, keep_unknown=True)
    except syncml.DecodeError as exc:
        outcome = exc
    if isinstance(outcome, syncml.DecodeError):
        assert outcome.status in (400, 413)
    else:
        assert isinstance(outcome, syncml.model.SyncML | tuple)


def test_the_work_counter_sees_the_cost_of_joined_text_pieces() -> None:
    # A short run of CDATA sections is joined by lxml piece by piece: the
    # counter charges each text read once per piece, so removing the merged
    # parse for long runs would show as quadratic work here.
    few = _data(b"a<![CDATA[x]]>" * 8)
    plain = _data(b"ax" * 8 + b"a")
    with _meter.measure() as with_sections:
        syncml.parse(few)
    with _meter.measure() as without:
        syncml.parse(plain)
    assert with_sections.work > 4 * without.work


# --- refusals: each new error path names its reason, status and place ------------------------


def _refusal(data: bytes | str, limits: syncml.Limits = syncml.DEFAULT_LIMITS) -> syncml.DecodeError:
    with pytest.raises(syncml.DecodeError) as caught:
        syncml.parse(data, limits=limits)
    return caught.value


def test_text_input_is_measured_in_utf8() -> None:
    limits = syncml.Limits(max_size=4096)
    text = _data("€".encode() * 1500).decode()  # about 1 700 characters, 4 700 bytes
    assert len(text) < 4096
    error = _refusal(text, limits)
    assert (error.status, "UTF-8 bytes exceeds the 4096-byte limit") == (413, error.reason[error.reason.index("UTF") :])


def test_a_single_byte_encoding_is_measured_again_after_transcoding() -> None:
    limits = syncml.Limits(max_size=4096)
    body = _data(b"\xe9" * 3000)
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body
    assert len(data) <= 4096
    error = _refusal(data, limits)
    assert error.status == 413
    assert "in UTF-8" in error.reason


def test_namespace_declarations_count_against_max_attributes() -> None:
    declarations = b"".join(b' xmlns:p%d="urn:%d"' % (i, i) for i in range(32))  # and the default one: 33
    error = _refusal(_body(b"<Replace><CmdID>1</CmdID><Item><Data>x</Data></Item></Replace>", declarations))
    assert error.status == 413
    assert "more than 32 attributes on <SyncML>" in error.reason
    assert (error.line, error.column) == (1, 1)
    fewer = declarations.rsplit(b" xmlns:", 1)[0]
    syncml.parse(_body(b"<Replace><CmdID>1</CmdID><Item><Data>x</Data></Item></Replace>", fewer))


def test_attributes_count_against_the_message_total() -> None:
    limits = syncml.Limits(max_total_attributes=100)
    data = _replace(b'<Item><Data a="1" b="2">x</Data></Item>' * 60)
    error = _refusal(data, limits)
    assert error.status == 413
    assert "more than 100 attributes in the message" in error.reason
    assert error.line == 1
    assert error.column is not None
    assert error.column > len(f"<SyncML{NS_12}>{SYNCHDR}")  # past the header


def test_an_attribute_flood_is_refused_before_the_tree_is_built() -> None:
    flood = _replace(b"<Item><Data" + b"".join(b' a%x=""' % i for i in range(200_000)) + b">x</Data></Item>")
    tracemalloc.start()
    try:
        error = _refusal(flood)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.status == 413
    assert peak < 4 * len(flood)


def test_worded_markup_is_charged_to_the_output_budget() -> None:
    data = _data(b"<x>1</x>" * 50)
    limits = syncml.Limits(max_output=len(data) + 100)
    error = _refusal(data, limits)
    assert error.status == 413
    assert "decoded output exceeds the budget" in error.reason
    assert error.path is not None
    assert error.path.endswith("Item[1]/Data")
    assert error.line == 1


def test_input_larger_than_the_output_budget_is_refused_up_front() -> None:
    data = _data(b"x" * 100)
    error = _refusal(data, syncml.Limits(max_output=64))
    assert (error.status, error.line) == (413, 1)
    assert "decoded output exceeds the budget of 64" in error.reason


def test_the_meter_records_each_decode_once_even_when_refused() -> None:
    with _meter.measure() as meter:
        syncml.parse(_data(b"x"))
        with pytest.raises(syncml.DecodeError):
            syncml.parse(b"<SyncML")
        syncml.parse_commands(b"<Replace><CmdID>1</CmdID><Item><Data>x</Data></Item></Replace>")
    assert meter.calls == 3
    assert meter.work > 0
    assert meter.output > 0


# --- a long run of CDATA sections reads the same as a short one ---------------------------


@pytest.mark.parametrize("sections", [4, 40])
def test_cdata_runs_decode_alike_merged_or_not(sections: int) -> None:
    msg = syncml.parse(_data(b"a<![CDATA[<x>]]>" * sections))
    item = msg.body.commands[0].items[0]  # type: ignore[union-attr]
    assert item.data == syncml.model.CData(text="a<x>" * sections)
    uri = syncml.parse(
        _replace(b"<Item><Target><LocURI>" + b"a<![CDATA[b]]>" * sections + b"</LocURI></Target></Item>")
    )
    assert uri.body.commands[0].items[0].target.loc_uri == "ab" * sections  # type: ignore[union-attr]


def test_markup_keeps_its_sections_in_a_long_run() -> None:
    msg = syncml.parse(_data(b"<m>" + b"a<![CDATA[<x>]]>" * 40 + b"</m>"))
    data = msg.body.commands[0].items[0].data  # type: ignore[union-attr]
    assert data == syncml.model.Markup(xml="<m>" + "a<![CDATA[<x>]]>" * 40 + "</m>")
    assert syncml.parse(syncml.serialize(msg)) == msg


def test_an_element_flood_is_refused_with_the_offset_of_the_first_element_over() -> None:
    limits = syncml.Limits(max_nodes=50_000)
    data = _replace(b"<Item/>" * 60_000)
    with pytest.raises(syncml.DecodeError) as info:
        syncml.parse(data, limits=limits)
    error = info.value
    assert error.status == 413
    assert error.offset is not None
    assert data[error.offset : error.offset + 7] == b"<Item/>"
    # The 50 001st element: the Items start after the header's elements.
    assert data.count(b"<", 0, error.offset) - data.count(b"</", 0, error.offset) == 50_000


@pytest.mark.parametrize("items", [20_000, 160_000])
def test_xml_and_wbxml_refuse_an_element_flood_alike(items: int) -> None:
    # The same budget (max_nodes, and one element per 3 input bytes) in both forms.
    limits = syncml.Limits(max_nodes=items // 2)
    xml = _replace(b"<Item><Data>1</Data></Item>" * items)
    wbxml = syncml.serialize(syncml.parse(xml, limits=ROOMY), wbxml=True)
    for data in (xml, wbxml):
        with pytest.raises(syncml.DecodeError) as info:
            syncml.parse(data, limits=limits)
        assert info.value.status == 413
        assert info.value.offset is not None
