"""The generated fast path and the generic walk decode everything identically.

The fast path (``syncml/_xml_fast.py``) only handles clean documents, parsed
without blank text when possible, and hands anything unusual to the generic
walk over a full tree (the order is ``syncml._api.decode_xml``'s); these tests
decode the same bytes both ways, the second through its ``generic=True``
switch, and compare values, quirks and errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import _api as api
from syncml import _meter
from syncml import model as m
from syncml import strategies as sst
from syncml._grammar import ELEMENTS
from syncml._quirks import QuirkKind
from syncml._xml_decode import Decoder
from syncml._xml_fast import Bail, NeedsFullTree, source_of
from syncml._xmlfront import find_rare, lean_possible, parse_tree, prepare
from syncml.limits import DEFAULT_LIMITS, Limits

from .builders import message_xml, synchdr_xml
from .conftest import CORPUS, EXAMPLES


def generic_parse(data: bytes, *, limits: Limits = DEFAULT_LIMITS, **options: Any) -> m.SyncML:
    """``syncml.parse`` for XML by the generic walk alone."""
    return api.decode_xml(data, fragment=False, limits=limits, generic=True, **options)


def generic_parse_commands(data: bytes, *, limits: Limits = DEFAULT_LIMITS, **options: Any) -> m.Commands:
    """``syncml.parse_commands`` by the generic walk alone."""
    return api.decode_xml(data, fragment=True, limits=limits, generic=True, **options)


_BOTH = ((syncml.parse, generic_parse), (syncml.parse_commands, generic_parse_commands))


def outcome(decode: Callable[..., object], data: bytes, **options: Any) -> tuple[str, object, tuple[str, ...]]:
    try:
        value = decode(data, **options)
    except syncml.DecodeError as exc:
        return ("error", str(exc), ())
    quirks = getattr(value, "quirks", ())
    return ("value", value, tuple(str(q) for q in quirks))


def both_ways(data: bytes, **options: Any) -> None:
    options.setdefault("strict", False)
    options.setdefault("keep_unknown", False)
    for decode, generic in _BOTH:
        assert outcome(decode, data, **options) == outcome(generic, data, **options)


def _files() -> list[Path]:
    files = sorted(EXAMPLES.glob("*.xml"))
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.iterdir() if p.name != "PROVENANCE.md")
    return files


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
@pytest.mark.parametrize("strict", [False, True])
def test_files_decode_the_same_both_ways(path: Path, strict: bool) -> None:
    both_ways(path.read_bytes(), strict=strict)


@given(sst.messages(max_commands=3), st.booleans())
def test_generated_messages_decode_the_same_both_ways(msg: m.SyncML, pretty: bool) -> None:
    both_ways(syncml.serialize(msg, pretty=pretty), strict=False)


@given(sst.messages(max_commands=3), st.data())
def test_mutated_messages_decode_the_same_both_ways(msg: m.SyncML, data: st.DataObject) -> None:
    raw = bytearray(syncml.serialize(msg, pretty=data.draw(st.booleans())))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.integers(0, len(raw) - 1))
        raw[where] = data.draw(st.sampled_from(b" <>/a0\n\t"))
    both_ways(bytes(raw), strict=data.draw(st.booleans()))


def test_the_generated_source_is_readable_python() -> None:
    source = source_of()
    compile(source, "<fast path>", "exec")
    assert "def decode_Item(self, el, depth" in source
    assert source.count("def decode_") == len(ELEMENTS)


@given(
    st.binary(max_size=60).map(lambda b: bytes(b"<!?Dx"[c % 5] for c in b)),
    st.sampled_from([(b"<!", 1), (b"<?", 1), (b"<!DOCTYPE", 1), (b"<![CDATA[", 1), (b"x<?", 2)]),
    st.integers(0, 8),
)
def test_find_rare_is_bytes_find(buf: bytes, pattern: tuple[bytes, int], start: int) -> None:
    # The front end's memchr shortcut must find exactly what bytes.find finds,
    # false hits of the rare byte included (more than eight fall back to it).
    needle, anchor = pattern
    assert find_rare(buf, needle, anchor, start) == buf.find(needle, start)


# --- retries report each quirk once ----------------------------------------------------------

#: Quirks the front end finds: whitespace before the declaration, utf-16 declared on UTF-8 bytes.
_PROLOG = b'  \n<?xml version="1.0" encoding="utf-16"?>'
#: The SyncML namespace in lower case: a quirk the decoder records before its walk.
_LOWER_NS = ' xmlns="syncml:syncml1.2"'
_FRONT_AND_ROOT = [QuirkKind.LEADING_WHITESPACE, QuirkKind.WRONG_ENCODING, QuirkKind.NAMESPACE_CASE]
#: Whitespace around a value and stray text: the fast path bails at each.
_BAILS = message_xml(
    "<Alert><CmdID> 1</CmdID><Data>1201</Data></Alert>x<Final/>",
    hdr=synchdr_xml(session_id=" 7"),
    root_attrs=_LOWER_NS,
    prolog=_PROLOG,
)
#: Markup in Data, which a tree without blank text cannot word: the fast path reads it from a full tree.
_NEEDS_FULL_TREE = message_xml(
    "<Replace><CmdID>1</CmdID><Item><Data>\n  <Enabled/>\n</Data></Item></Replace><Final/>",
    root_attrs=_LOWER_NS,
    prolog=_PROLOG,
)


def _fast_attempts(data: bytes) -> list[str]:
    """How the fast path fares on the lean tree, then on the full tree ("bail", "full tree" or "done")."""
    source = prepare(data, strict=False, limits=DEFAULT_LIMITS)
    assert lean_possible(source)
    fared = []
    for lean in (True, False):
        tree = parse_tree(source, DEFAULT_LIMITS, lean=lean)
        decoder = Decoder(source, tree, strict=False, keep_unknown=False, limits=DEFAULT_LIMITS, lean=lean)
        try:
            decoder.message(fast=True)
            fared.append("done")
        except NeedsFullTree:
            fared.append("full tree")
        except Bail:
            fared.append("bail")
    return fared


@pytest.mark.parametrize(
    ("data", "fared", "walk"),
    [
        (_BAILS, ["bail", "bail"], [QuirkKind.VALUE_WHITESPACE, QuirkKind.STRAY_TEXT, QuirkKind.VALUE_WHITESPACE]),
        (_NEEDS_FULL_TREE, ["full tree", "done"], []),
    ],
    ids=["bails", "needs-full-tree"],
)
def test_retries_report_each_quirk_once_in_order(data: bytes, fared: list[str], walk: list[QuirkKind]) -> None:
    # The path taken is the one the case is about: bail on both trees, or
    # markup on the lean tree and done on the full one.
    assert _fast_attempts(data) == fared
    msg = syncml.parse(data)
    assert [q.kind for q in msg.quirks] == _FRONT_AND_ROOT + walk
    assert msg.quirks == generic_parse(data, strict=False, keep_unknown=False).quirks


def test_a_fragment_that_bails_reports_each_quirk_once_in_order() -> None:
    # Whitespace around a CmdID in each command: the fast path bails at the first.
    get = b"<Get><CmdID> 2</CmdID><Item><Target><LocURI>./a</LocURI></Target></Item></Get>"
    data = _PROLOG + b"<Alert><CmdID> 1</CmdID><Data>1201</Data></Alert>" + get
    commands = syncml.parse_commands(data)
    front = [QuirkKind.LEADING_WHITESPACE, QuirkKind.WRONG_ENCODING]
    assert [q.kind for q in commands.quirks] == [*front, QuirkKind.VALUE_WHITESPACE, QuirkKind.VALUE_WHITESPACE]
    assert commands.quirks == generic_parse_commands(data, strict=False, keep_unknown=False).quirks


def test_a_fragment_that_bails_after_markup_is_held_to_the_whole_output_budget() -> None:
    # Markup in the first command is worded (and charged) by the fast path;
    # the second bails.  The retry starts over from the root, so the value
    # accepted is charged all its output, as the generic walk alone charges it.
    markup = b"<Replace><CmdID>1</CmdID><Item><Data><A>" + b"x" * 200 + b"</A></Data></Item></Replace>"
    data = markup + b"<Get><CmdID> 2</CmdID><Item><Target><LocURI>./a</LocURI></Target></Item></Get>"
    with _meter.measure() as meter:
        generic_parse_commands(data, strict=False, keep_unknown=False)
    assert meter.output > len(data) + 200  # the input, the markup worded again, the quirk
    for most, accepted in ((meter.output, True), (meter.output - 1, False)):
        limits = Limits(max_output=most)
        for decode in (syncml.parse_commands, generic_parse_commands):
            result = outcome(decode, data, strict=False, keep_unknown=False, limits=limits)
            assert (result[0] == "value") is accepted, (decode, most, result)


# --- markup in Data ----------------------------------------------------------------------------


def _replace(*datas: str) -> bytes:
    items = "".join(f"<Item><Data>{data}</Data></Item>" for data in datas)
    return message_xml(f"<Replace><CmdID>1</CmdID>{items}</Replace><Final/>")


# Data in Replace/Item sits at depth 5 (SyncML, SyncBody, Replace, Item, Data).
_DATA_DEPTH = 5


@pytest.mark.parametrize("below", [1, 2, 3])
@pytest.mark.parametrize("strict", [False, True])
def test_markup_depth_limit_holds_at_its_edge_both_ways(below: int, strict: bool) -> None:
    # Markup reaching max_depth exactly is read; one level more is refused,
    # by the fast path's depth check as by the generic walk's.
    depth = _DATA_DEPTH + below
    nested = "<A>" * below + "x" + "</A>" * below
    data = _replace(nested)
    fits = Limits(max_depth=depth)
    assert outcome(syncml.parse, data, strict=strict, limits=fits)[0] == "value"
    too_deep = Limits(max_depth=depth - 1)
    result = outcome(syncml.parse, data, strict=strict, limits=too_deep)
    assert result[0] == "error"
    assert "nesting deeper" in str(result[1])
    for limits in (fits, too_deep):
        both_ways(data, strict=strict, limits=limits)


_BLANKS = st.sampled_from(["", "", " ", "\n  ", "\t"])


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(st.sampled_from(["A", "B", "DataStore", "Data"]))
    if depth >= 2 or draw(st.booleans()):
        body = draw(st.sampled_from(["", "x", "a > b", "&amp;"]))
    else:
        kids = draw(st.lists(_markup(depth + 1), min_size=1, max_size=3))
        body = draw(_BLANKS) + draw(_BLANKS).join(kids) + draw(_BLANKS)
    return f"<{name}>{body}</{name}>"


@given(st.lists(st.tuples(_BLANKS, _markup(), _BLANKS), min_size=1, max_size=3))
def test_markup_with_or_without_blank_text_decodes_the_same_both_ways(datas: list[tuple[str, str, str]]) -> None:
    both_ways(_replace(*("".join(parts) for parts in datas)), strict=False)
