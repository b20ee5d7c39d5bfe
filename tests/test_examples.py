"""The hand-written examples, checked both ways from one table.

Decode: each file in ``tests/examples/`` parses (strictly) to the model in
``example_models.EXPECTED``.  Encode: that model serializes to XML equal to the
file after canonicalisation (MetInf children in DTD order).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import syncml
from syncml import model as m

from .c14n import canonical
from .conftest import EXAMPLES
from .example_models import EXPECTED

NAMES = sorted(EXPECTED)


def _decode(data: bytes, expected: m.SyncML | tuple[m.Command, ...]) -> m.SyncML | tuple[m.Command, ...]:
    if isinstance(expected, m.SyncML):
        return syncml.parse(data, strict=True)
    return syncml.parse_commands(data, strict=True)


def _encode(expected: m.SyncML | tuple[m.Command, ...]) -> bytes:
    if isinstance(expected, m.SyncML):
        return syncml.serialize(expected)
    return b"<r>" + syncml.serialize_commands(expected) + b"</r>"


def _fragment_as_document(data: bytes) -> bytes:
    body = data
    if body.lstrip().startswith(b"<SyncBody"):
        body = body.split(b">", 1)[1].rsplit(b"</SyncBody>", 1)[0].replace(b"<Final/>", b"")
    return b"<r>" + body + b"</r>"


def test_every_example_file_has_an_expected_model() -> None:
    files = sorted(p.name for p in EXAMPLES.glob("*.xml"))
    assert files == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_decode(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    assert _decode(data, EXPECTED[name]) == EXPECTED[name]


@pytest.mark.parametrize("name", NAMES)
def test_encode(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    expected = EXPECTED[name]
    written = _encode(expected)
    original = data if isinstance(expected, m.SyncML) else _fragment_as_document(data)
    assert canonical(written) == canonical(original)


@pytest.mark.parametrize("name", NAMES)
def test_pretty_output_reads_back(name: str) -> None:
    expected = EXPECTED[name]
    if isinstance(expected, m.SyncML):
        assert syncml.parse(syncml.serialize(expected, pretty=True), strict=True) == expected
    else:
        assert syncml.parse_commands(syncml.serialize_commands(expected, pretty=True), strict=True) == expected


def _commands(value: m.SyncML | tuple[m.Command, ...]) -> list[m.Command]:
    top = value.body.commands if isinstance(value, m.SyncML) else value
    found: list[m.Command] = []
    for command in top:
        found.append(command)
        if isinstance(command, (m.Atomic, m.Sequence)):
            found.extend(_commands(command.commands))
    return found


@pytest.mark.parametrize("direction", ["client", "server"])
def test_examples_cover_every_command_in_each_direction(direction: str) -> None:
    seen = {type(c).__name__ for name in NAMES if name.startswith(direction) for c in _commands(EXPECTED[name])}
    if direction == "client":
        # OMA DM 1.2: a client sends only Status, Results, Alert and Replace.
        assert seen == {"Status", "Results", "Alert", "Replace"}
    else:
        every = {"Alert", "Status", "Get", "Add", "Replace", "Delete", "Copy", "Exec", "Atomic", "Sequence"}
        assert every <= seen


def test_examples_cover_both_syncml_versions_and_data_forms() -> None:
    messages = [v for v in EXPECTED.values() if isinstance(v, m.SyncML)]
    assert {msg.header.ver_dtd for msg in messages} == {"1.1", "1.2"}
    data = [item.data for msg in messages for c in _commands(msg) for item in getattr(c, "items", ())]
    assert any(isinstance(d, m.CData) for d in data)
    assert any(isinstance(d, m.Markup) for d in data)
    assert any(isinstance(d, str) and "&" in d for d in data)


def test_readme_example_file_is_one_of_the_examples() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "tests/examples/client-unenroll-request.xml" in readme
    assert "client-unenroll-request.xml" in EXPECTED
