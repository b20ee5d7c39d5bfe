"""Truncated and mutated WBXML: decode, or raise DecodeError, never anything else.

Invariant (for every prefix and every random mutation of valid WBXML): the
decoder returns a model or raises :class:`syncml.DecodeError`; a model it
returns writes back as WBXML that reads back equal.  The work per input is
bounded by counts (the limits below), never by a clock.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml._wbxml_decode import is_wbxml

from .example_models import EXPECTED

_SEEDS = {
    f"{name} {options}": syncml.serialize(value, wbxml=syncml.WBXMLOptions(**options))  # type: ignore[arg-type]
    for name, value in sorted(EXPECTED.items())
    if isinstance(value, m.SyncML)
    for options in ({"string_table": False}, {"string_table": True, "literal_public_id": True})
}
_LIMITS = syncml.Limits(max_size=1 << 20, max_depth=24, max_nodes=5000)


def _decodes_or_refuses(data: bytes) -> m.SyncML | None:
    """The invariant: a model that round-trips, or DecodeError (with an offset, for WBXML)."""
    refused: syncml.DecodeError | None = None
    try:
        msg = syncml.parse(data, keep_unknown=True, limits=_LIMITS)
    except syncml.DecodeError as exc:
        refused = exc
    if refused is not None:
        if is_wbxml(data):
            assert refused.offset is not None
            assert 0 <= refused.offset <= len(data)
        return None
    again = syncml.parse(syncml.serialize(msg, wbxml=True), keep_unknown=True, limits=_LIMITS)
    assert again == msg
    return msg


@pytest.mark.parametrize("name", sorted(_SEEDS))
def test_every_prefix_is_refused(name: str) -> None:
    data = _SEEDS[name]
    assert _decodes_or_refuses(data) is not None
    for end in range(len(data)):
        with pytest.raises(syncml.DecodeError):
            syncml.parse(data[:end], limits=_LIMITS)


_EDIT = st.tuples(st.sampled_from(["set", "insert", "delete", "flip"]), st.integers(0, 1 << 16), st.integers(0, 255))


@given(st.sampled_from(sorted(_SEEDS)), st.lists(_EDIT, min_size=1, max_size=6))
def test_mutations_decode_or_raise(name: str, edits: list[tuple[str, int, int]]) -> None:
    data = bytearray(_SEEDS[name])
    for kind, where, value in edits:
        at = where % (len(data) + 1)
        if kind == "insert":
            data.insert(at, value)
        elif at == len(data):
            continue
        elif kind == "set":
            data[at] = value
        elif kind == "delete":
            del data[at]
        else:
            data[at] ^= 1 << (value % 8)
    _decodes_or_refuses(bytes(data))


@given(st.binary(max_size=300))
def test_random_bytes_after_a_header_decode_or_raise(tail: bytes) -> None:
    _decodes_or_refuses(b"\x03\xa4\x01\x6a\x00" + tail)
