"""syncml.jsonform: the JSON form round-trips, matches its documented schema, and refuses anything else."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given

import syncml
from syncml import jsonform
from syncml import model as m
from syncml import strategies as sst

from .conftest import EXAMPLES

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "syncml-json.schema.json"


def _validator() -> Callable[[object], None] | None:
    """A compiled validator of the schema, when jsonschema is installed (it is not a dependency)."""
    try:
        module = importlib.import_module("jsonschema")
    except ImportError:
        return None
    validate: Callable[[object], None] = module.Draft202012Validator(jsonform.json_schema()).validate
    return validate


_VALIDATOR = _validator()


@given(sst.messages())
def test_json_round_trips_and_fits_its_schema(msg: m.SyncML) -> None:
    """model -> JSON -> model is equal; JSON -> model -> JSON is identical; the JSON fits the schema."""
    data = jsonform.to_json(msg)
    assert jsonform.from_json(data) == msg
    text = json.dumps(data)
    assert json.dumps(jsonform.to_json(jsonform.loads(text))) == text
    if _VALIDATOR is not None:
        _VALIDATOR({"format": "syncml-json", "version": 1, "messages": [{"where": "x", "message": data}]})


@given(sst.commands())
def test_commands_round_trip(command: m.Command) -> None:
    data = jsonform.commands_to_json([command])
    assert jsonform.commands_from_json(data) == (command,)
    assert jsonform.commands_to_json(jsonform.commands_from_json(data)) == data


def test_every_example_round_trips_through_json() -> None:
    for path in sorted(EXAMPLES.glob("*.xml")):
        if path.name.startswith("fragment-"):
            commands = syncml.parse_commands(path.read_bytes())
            assert jsonform.commands_from_json(jsonform.commands_to_json(commands)) == commands
            continue
        msg = syncml.parse(path.read_bytes())
        assert jsonform.loads(jsonform.dumps(msg)) == msg, path.name


def test_data_forms_and_defaults_left_out() -> None:
    item = m.Item(data=m.Opaque(data=b"\x00\xff"), more_data=True)
    markup = m.Item(data=m.Markup(xml='<a:b xmlns:a="urn:a"/>'))
    cdata = m.Item(data=m.CData(text="<x/>"))
    add = m.Add(cmd_id="2", items=(item, markup, cdata))
    assert jsonform.commands_to_json([add]) == [
        {
            "command": "Add",
            "cmd_id": "2",
            "items": [
                {"data": {"base64": "AP8="}, "more_data": True},
                {"data": {"markup": '<a:b xmlns:a="urn:a"/>'}},
                {"data": {"cdata": "<x/>"}},
            ],
        }
    ]


def test_the_documented_schema_is_the_generated_one() -> None:
    written = json.loads(SCHEMA_FILE.read_text())
    assert written == jsonform.json_schema(), "run: python -m syncml.jsonform > docs/syncml-json.schema.json"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"[", "not JSON"),
        (b"[]", "SyncML must be a JSON object"),
        (b'{"header": {}, "body": {}}', "SyncHdr is missing 'session_id'"),
        (b'{"header": 1, "body": {}}', "SyncHdr must be a JSON object"),
        (b'{"extra": 1}', "SyncML has no field 'extra'"),
        (b'{"header": {"session_id": 1}}', "expected a string"),
        (b'{"x": 1.5}', "is not an integer"),
        (b'{"x": NaN}', "is not an integer"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deep"),
        (b'["\x80"]', "not UTF-8"),
    ],
)
def test_bad_json_is_a_decode_error(text: bytes, message: str) -> None:
    with pytest.raises(syncml.DecodeError, match=message):
        jsonform.loads(text)


def _message_json() -> dict[str, jsonform.JSON]:
    return jsonform.to_json(syncml.parse((EXAMPLES / "server-atomic.xml").read_bytes()))


@pytest.mark.parametrize(
    ("change", "message", "path"),
    [
        (lambda j: j["body"]["commands"][0].update(command="Nope"), "no command 'Nope'", "$.body.commands[0].command"),
        (lambda j: j["body"]["commands"][0].pop("command"), 'with "command" naming it', "$.body.commands[0]"),
        (lambda j: j["body"].update(final="yes"), "true or false", "$.body.final"),
        (lambda j: j["body"].update(namespaces=[["a"]]), "array of 2 values", "$.body.namespaces[0]"),
        (lambda j: j["body"].update(commands={}), "JSON array", "$.body.commands"),
    ],
)
def test_bad_model_json_names_the_path(change: object, message: str, path: str) -> None:
    data = _message_json()
    change(data)  # type: ignore[operator]
    with pytest.raises(syncml.DecodeError, match=message) as caught:
        jsonform.from_json(data)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cdata": 1}, "expected a string"),
        ({"base64": "!!"}, "not base64"),
        ({"cdata": "a", "markup": "b"}, "one of"),
        ({"cdata": "a", "namespaces": []}, "one of"),
        ({"markup": "<a/>", "namespaces": [["a", "urn:a"]]}, "one of"),
        ([], "a string or an object"),
    ],
)
def test_bad_data_forms(data: jsonform.JSON, message: str) -> None:
    doc: jsonform.JSON = [{"command": "Add", "cmd_id": "1", "items": [{"data": data}]}]
    with pytest.raises(syncml.DecodeError, match=message):
        jsonform.commands_from_json(doc)


def test_depth_and_size_are_limited() -> None:
    nested: jsonform.JSON = {"command": "Add", "cmd_id": "1", "items": []}
    for _ in range(40):
        nested = {"command": "Atomic", "cmd_id": "1", "commands": [nested]}
    with pytest.raises(syncml.DecodeError, match="nested deeper than"):
        jsonform.commands_from_json([nested])
    with pytest.raises(syncml.DecodeError, match="over the limit") as caught:
        jsonform.loads(b" " * 2048, limits=syncml.Limits(max_size=1024))
    assert caught.value.status == 413
    with pytest.raises(syncml.DecodeError, match="JSON array"):
        jsonform.commands_from_json({})
    with pytest.raises(syncml.DecodeError, match="integer from 0"):
        jsonform.commands_from_json(
            [{"command": "Add", "cmd_id": "1", "items": [], "unknown": [{"xml": "<a/>", "position": -1}]}]
        )
