"""The scans for the prefixes markup names find what a plain tokenizer finds.

``_PREFIXED`` decides which in-scope namespace declarations the encoders
write on a markup Data and which the WBXML decoder carries; ``_PREFIX_USE``
which declarations the encoder's markup check reads.  Both start a match only
where a run of name characters starts, so that a long run without a colon is
read once (64 KiB of it in one Data stays linear).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml._encode_check import _PREFIX_USE
from syncml._xml_encode import _PREFIXED

from .builders import message

_DELIMITERS = frozenset(" \t\r\n<>\"'=/:&;!?")


def prefixes(text: str) -> list[str]:
    """Each maximal run of non-delimiters directly followed by ':'."""
    found, start = [], 0
    for index, char in enumerate(text):
        if char in _DELIMITERS:
            if char == ":" and index > start:
                found.append(text[start:index])
            start = index + 1
    return found


@given(st.text(alphabet=st.sampled_from(list("ab:<> \"'=/x;&!?\t\u00e9")), max_size=40))
def test_the_scan_finds_each_run_followed_by_a_colon(text: str) -> None:
    assert _PREFIXED.findall(text) == prefixes(text)


def names_before_colons(text: str) -> list[str]:
    """Each maximal run of word characters, '.' and '-' followed by ':', from its first letter or '_'."""
    found, run = [], ""
    for char in text + " ":
        if char.isalnum() or char in "_.-":
            run += char
            continue
        start = next((i for i, c in enumerate(run) if (c.isalpha() or c == "_") and not c.isdigit()), None)
        if char == ":" and start is not None:
            found.append(run[start:])
        run = ""
    return found


@given(st.text(alphabet=st.sampled_from(list('ab1_.-:<> "\u00e9x')), max_size=40))
def test_the_check_scan_finds_each_name_before_a_colon(text: str) -> None:
    assert _PREFIX_USE.findall(text) == names_before_colons(text)


def test_markup_names_its_prefixes_in_order() -> None:
    assert _PREFIXED.findall('<p:e q:a="1">x:y</p:e>') == ["p", "q", "x", "p"]
    assert _PREFIXED.findall("<a>" + "x" * 1000 + "</a>") == []


def test_a_long_text_run_in_markup_round_trips() -> None:
    markup = m.Markup(xml="<a>" + "x" * 65_536 + "</a>")
    msg = message(m.Replace(cmd_id="1", items=(m.Item(data=markup),)))
    assert syncml.parse(syncml.serialize(msg)) == msg
    assert syncml.parse(syncml.serialize(msg, wbxml=True)) == msg
