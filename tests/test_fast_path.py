"""The generated fast path and the generic walk decode everything identically.

The fast path (``syncml/_xml_fast.py``) only handles clean documents, parsed
without blank text when possible, and hands anything unusual to the generic
walk over a full tree; these tests decode the same bytes both ways and
compare values, quirks and errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import syncml
from syncml import _api as api
from syncml import model as m
from syncml import strategies as sst
from syncml._grammar import ELEMENTS
from syncml._xml_decode import Decoder
from syncml._xml_fast import source_of
from syncml._xmlfront import find_rare

from .conftest import CORPUS, EXAMPLES


@contextmanager
def generic_only() -> Iterator[None]:
    original = Decoder.decode

    def generic(self: Decoder, el: etree._Element, cls: type, depth: int) -> Any:
        return self.node(el, self.layouts[cls], depth)

    lean = getattr(api, "lean_possible")  # noqa: B009 - not re-exported, so mypy needs getattr
    Decoder.decode = generic  # type: ignore[method-assign]
    setattr(api, "lean_possible", lambda source: False)  # noqa: B010
    try:
        yield
    finally:
        Decoder.decode = original  # type: ignore[method-assign]
        setattr(api, "lean_possible", lean)  # noqa: B010


def outcome(decode: Callable[..., object], data: bytes, **options: Any) -> tuple[str, object, tuple[str, ...]]:
    try:
        value = decode(data, **options)
    except syncml.DecodeError as exc:
        return ("error", str(exc), ())
    quirks = getattr(value, "quirks", ())
    return ("value", value, tuple(str(q) for q in quirks))


def both_ways(data: bytes, **options: Any) -> None:
    for decode in (syncml.parse, syncml.parse_commands):
        fast = outcome(decode, data, **options)
        with generic_only():
            generic = outcome(decode, data, **options)
        assert fast == generic


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
