"""A stable JSON form of the model, for tools that do not speak XML.

Every model class becomes a JSON object whose keys are the field names of
:mod:`syncml.model` (``cmd_id``, ``loc_uri`` ...).  The rules, which
``docs/syncml-json.schema.json`` states as a JSON Schema:

- a field at its default (``None``, ``False``, an empty tuple, ``0``) is left
  out, every other field is written; key order is the model's field order;
- a command carries its element name first: ``{"command": "Alert", ...}``;
- ``Data`` is a JSON string when it is text, else an object with one key:
  ``{"cdata": ...}``, ``{"markup": ...}`` or
  ``{"base64": ...}`` (the bytes of an :class:`~syncml.Opaque`);
- tuples are arrays; a namespace or attribute pair is a two-string array;
- parse quirks are not part of the value and are not written.

So ``to_json(from_json(j)) == j`` for any ``j`` that :func:`to_json` wrote,
and ``from_json(to_json(msg)) == msg`` for any message.  JSON read back is
untrusted input: anything that is not this form raises
:class:`~syncml.DecodeError` with the JSON path of the fault.

>>> import pathlib, syncml, syncml.jsonform as jf
>>> msg = syncml.parse(pathlib.Path("tests/examples/client-unenroll-request.xml").read_bytes())
>>> jf.to_json(msg)["body"]["commands"][1]["command"]
'Alert'
>>> jf.loads(jf.dumps(msg)) == msg
True
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import typing
from collections.abc import Callable, Iterable
from functools import cache
from types import NoneType, UnionType
from typing import TypeAlias, Union

from . import model as m
from ._quirks import Quirk
from .errors import DecodeError
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "DOCUMENT_FORMAT",
    "DOCUMENT_VERSION",
    "JSON",
    "commands_from_json",
    "commands_to_json",
    "dumps",
    "from_json",
    "json_schema",
    "loads",
    "to_json",
]

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | bool | None
"""A value of the JSON data model as :mod:`json` reads it (floats never occur here)."""

#: ``format`` and ``version`` of the document ``syncml-decode --format json`` writes.
DOCUMENT_FORMAT = "syncml-json"
DOCUMENT_VERSION = 1

#: Every class of the model's Command union: a command added to the model has a JSON form at once.
_COMMANDS: tuple[type, ...] = typing.get_args(m.Command)
_COMMAND_BY_NAME: dict[str, type] = {cls.__name__: cls for cls in _COMMANDS}
_DATA_KEYS = ("cdata", "markup", "base64")
#: Unknown.position and similar counters: JSON numbers beyond this are refused.
_MAX_INT = 2**31 - 1


# --- model -> JSON -------------------------------------------------------------


def to_json(msg: m.SyncML) -> dict[str, JSON]:
    """The JSON form of a message (a dict ready for :func:`json.dumps`)."""
    return _object(msg)


def commands_to_json(commands: Iterable[m.Command]) -> list[JSON]:
    """The JSON form of a fragment's commands."""
    return [_value(command) for command in commands]


def dumps(msg: m.SyncML, *, indent: int | None = 2) -> str:
    """:func:`to_json` as text."""
    return json.dumps(to_json(msg), indent=indent, ensure_ascii=False)


def _object(value: object) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    if type(value) in _COMMAND_BY_NAME.values():
        out["command"] = type(value).__name__
    for f in dataclasses.fields(value):  # type: ignore[arg-type]
        if not f.compare:
            continue  # quirks: not part of the value
        item = getattr(value, f.name)
        # An unnumbered CmdID is the default; an empty one read from a message is not: the type tells them apart.
        if f.default is not dataclasses.MISSING and item == f.default and type(item) is type(f.default):
            continue
        if f.default_factory is not dataclasses.MISSING and item == f.default_factory():
            continue
        out[f.name] = _value(item)
    return out


def _value(value: object) -> JSON:
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, m.CData):
        return {"cdata": value.text}
    if isinstance(value, m.Markup):
        return {"markup": value.xml}
    if isinstance(value, m.Opaque):
        return {"base64": base64.b64encode(value.data).decode("ascii")}
    if dataclasses.is_dataclass(value):
        return _object(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")  # a model value of another type: our bug


# --- JSON -> model -------------------------------------------------------------


def from_json(obj: JSON, *, limits: Limits = DEFAULT_LIMITS) -> m.SyncML:
    """The message a :func:`to_json` value stands for.

    Raises:
        DecodeError: when *obj* is not the JSON form of a message.
    """
    msg = _Reader(limits).read(m.SyncML, obj, "$", 0)
    assert isinstance(msg, m.SyncML)
    return msg


def commands_from_json(obj: JSON, *, limits: Limits = DEFAULT_LIMITS) -> m.Commands:
    """The fragment a :func:`commands_to_json` value stands for."""
    if not isinstance(obj, list):
        raise DecodeError("commands must be a JSON array", path="$")
    reader = _Reader(limits)
    return m.Commands(reader.command(v, f"$[{i}]", 1) for i, v in enumerate(obj))


def loads(text: str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> m.SyncML:
    """:func:`from_json` of JSON text."""
    return from_json(parse_json(text, limits=limits), limits=limits)


def parse_json(text: str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> JSON:
    """JSON text as values, or DecodeError: too large, too deep, not JSON, or holding a float."""
    if len(text) > limits.max_size:
        raise DecodeError(f"JSON input of {len(text)} bytes is over the limit of {limits.max_size}", status=413)
    try:
        value: JSON = json.loads(text, parse_float=_no_float, parse_constant=_no_float)
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except UnicodeDecodeError as exc:
        raise DecodeError(f"JSON text is not UTF-8: {exc.reason}", offset=exc.start) from None
    except RecursionError:
        raise DecodeError("JSON nested too deep", status=400) from None
    except ValueError as exc:  # a float, NaN or a number of over 4300 digits
        raise DecodeError(f"not the syncml JSON form: {exc}") from None
    return value


def _no_float(text: str) -> JSON:
    raise ValueError(f"the number {text[:20]} is not an integer")


Hint: TypeAlias = object
_T = typing.TypeVar("_T")
_LOCALS = {"Quirk": Quirk}


@cache
def _hints(cls: type) -> tuple[tuple[str, Hint, bool], ...]:
    """(field name, type, required) of a model class, in field order."""
    types = typing.get_type_hints(cls, localns=_LOCALS)
    return tuple(
        (
            f.name,
            types[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.compare
    )


def _union_args(hint: Hint) -> tuple[object, ...]:
    if isinstance(hint, UnionType) or typing.get_origin(hint) is Union:
        return typing.get_args(hint)
    return ()


class _Reader:
    """Reads the JSON form back, bounded: nesting by max_depth, values by their type."""

    def __init__(self, limits: Limits) -> None:
        self.max_depth = limits.max_depth

    def read(self, cls: type, obj: JSON, path: str, depth: int) -> object:
        if depth > self.max_depth:
            raise DecodeError(f"nested deeper than {self.max_depth}", path=path)
        if not isinstance(obj, dict):
            raise DecodeError(f"{cls.__name__} must be a JSON object", path=path)
        fields = _hints(cls)
        known = {name for name, _, _ in fields}
        if cls in _COMMANDS:
            known.add("command")
        extra = sorted(set(obj) - known)
        if extra:
            raise DecodeError(f"{cls.__name__} has no field {extra[0]!r}", path=path)
        kwargs: dict[str, object] = {}
        for name, hint, required in fields:
            if name not in obj:
                if required:
                    raise DecodeError(f"{cls.__name__} is missing {name!r}", path=path)
                continue
            kwargs[name] = self.value(hint, obj[name], f"{path}.{name}", depth + 1)
        return cls(**kwargs)

    def value(self, hint: Hint, obj: JSON, path: str, depth: int) -> object:
        options = _union_args(hint)
        if options:
            return self._union(options, obj, path, depth)
        if hint is str:
            return _expect(str, obj, path, "a string")
        if hint is bool:
            return _expect(bool, obj, path, "true or false")
        if hint is int:
            if isinstance(obj, bool) or not isinstance(obj, int) or not 0 <= obj <= _MAX_INT:
                raise DecodeError(f"expected an integer from 0 to {_MAX_INT}", path=path)
            return obj
        origin = typing.get_origin(hint)
        if origin is tuple:
            return self._tuple(typing.get_args(hint), obj, path, depth)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.read(hint, obj, path, depth)
        raise TypeError(f"no JSON reader for {hint!r}")  # a model field of another type: our bug

    def _tuple(self, args: tuple[object, ...], obj: JSON, path: str, depth: int) -> tuple[object, ...]:
        if not isinstance(obj, list):
            raise DecodeError("expected a JSON array", path=path)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(self.value(args[0], v, f"{path}[{i}]", depth + 1) for i, v in enumerate(obj))
        if len(obj) != len(args):
            raise DecodeError(f"expected an array of {len(args)} values", path=path)
        pairs = enumerate(zip(args, obj, strict=True))
        return tuple(self.value(a, v, f"{path}[{i}]", depth + 1) for i, (a, v) in pairs)

    def _union(self, options: tuple[object, ...], obj: JSON, path: str, depth: int) -> object:
        real = tuple(o for o in options if o is not NoneType)
        if m.Alert in real:
            return self.command(obj, path, depth)
        if m.CData in real:
            return self.data(obj, path)
        if len(real) == 1:  # X | None: the field is present, so it is X
            return self.value(real[0], obj, path, depth)
        raise TypeError(f"no JSON reader for the union {options!r}")

    def command(self, obj: JSON, path: str, depth: int) -> m.Command:
        if not isinstance(obj, dict) or not isinstance(obj.get("command"), str):
            raise DecodeError('a command must be an object with "command" naming it', path=path)
        name = obj["command"]
        assert isinstance(name, str)
        cls = _COMMAND_BY_NAME.get(name)
        if cls is None:
            raise DecodeError(f"no command {name[:40]!r}", path=f"{path}.command")
        command: m.Command = self.read(cls, obj, path, depth)  # type: ignore[assignment]
        return command

    def data(self, obj: JSON, path: str) -> m.Data:
        if isinstance(obj, str):
            return obj
        if not isinstance(obj, dict):
            raise DecodeError("Data must be a string or an object", path=path)
        keys = [k for k in _DATA_KEYS if k in obj]
        if len(keys) != 1 or set(obj) != {keys[0]}:
            raise DecodeError('Data must have one of "cdata", "markup" or "base64"', path=path)
        key = keys[0]
        text = _expect(str, obj[key], f"{path}.{key}", "a string")
        if key == "cdata":
            return m.CData(text=text)
        if key == "markup":
            return m.Markup(xml=text)
        try:
            return m.Opaque(data=base64.b64decode(text.encode("ascii"), validate=True))
        except (binascii.Error, UnicodeEncodeError):
            raise DecodeError("base64 Data is not base64", path=f"{path}.base64") from None


def _expect(kind: type[_T], obj: JSON, path: str, what: str) -> _T:
    if not isinstance(obj, kind) or (kind is not bool and isinstance(obj, bool)):
        raise DecodeError(f"expected {what}", path=path)
    if isinstance(obj, str) and not _is_text(obj):
        raise DecodeError("a lone surrogate (\\ud800-\\udfff) is not text", path=path)
    return obj


def _is_text(value: str) -> bool:
    """False for a lone surrogate, which JSON's \\ud800 escapes allow and no message can hold."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- JSON Schema -----------------------------------------------------------------


def json_schema() -> dict[str, JSON]:
    """The JSON Schema (2020-12) of the document ``syncml-decode --format json`` writes.

    ``docs/syncml-json.schema.json`` is this value; a test keeps them equal.
    After a change of the model, write it again with
    ``python -m syncml.jsonform > docs/syncml-json.schema.json``.
    """
    defs: dict[str, JSON] = {}
    _define(m.SyncML, defs)
    for cls in _COMMANDS:
        _define(cls, defs)
    defs["Data"] = {
        "oneOf": [
            {"type": "string"},
            _closed({"cdata": {"type": "string"}}, ["cdata"]),
            _closed({"markup": {"type": "string"}}, ["markup"]),
            _closed({"base64": {"type": "string", "contentEncoding": "base64"}}, ["base64"]),
        ]
    }
    defs["Command"] = {"oneOf": [{"$ref": f"#/$defs/{cls.__name__}"} for cls in _COMMANDS]}
    entry: dict[str, JSON] = {
        "type": "object",
        "properties": {
            "where": {"type": "string"},
            "message": {"$ref": "#/$defs/SyncML"},
            "commands": {"type": "array", "items": {"$ref": "#/$defs/Command"}},
        },
        "required": ["where"],
        "oneOf": [{"required": ["message"]}, {"required": ["commands"]}],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/syncml/syncml/docs/syncml-json.schema.json",
        "title": "syncml JSON form (syncml-decode --format json)",
        "type": "object",
        "properties": {
            "format": {"const": DOCUMENT_FORMAT},
            "version": {"const": DOCUMENT_VERSION},
            "messages": {"type": "array", "items": entry},
        },
        "required": ["format", "version", "messages"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def _closed(properties: dict[str, JSON], required: list[JSON]) -> dict[str, JSON]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _define(cls: type, defs: dict[str, JSON]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder: classes refer to each other
    properties: dict[str, JSON] = {}
    required: list[JSON] = []
    if cls in _COMMANDS:
        properties["command"] = {"const": cls.__name__}
        required.append("command")
    for name, hint, needed in _hints(cls):
        properties[name] = _schema_of(hint, defs)
        if needed:
            required.append(name)
    defs[cls.__name__] = _closed(properties, required)


def _schema_of(hint: Hint, defs: dict[str, JSON]) -> JSON:
    options = tuple(o for o in _union_args(hint) if o is not NoneType)
    if m.Alert in options:
        return {"$ref": "#/$defs/Command"}
    if m.CData in options:
        return {"$ref": "#/$defs/Data"}
    if len(options) == 1:
        return _schema_of(options[0], defs)
    simple: dict[object, Callable[[], JSON]] = {
        str: lambda: {"type": "string"},
        bool: lambda: {"type": "boolean"},
        int: lambda: {"type": "integer", "minimum": 0, "maximum": _MAX_INT},
    }
    if hint in simple:
        return simple[hint]()
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _schema_of(args[0], defs)}
        return {
            "type": "array",
            "prefixItems": [_schema_of(a, defs) for a in args],
            "minItems": len(args),
            "maxItems": len(args),
        }
    assert isinstance(hint, type)
    _define(hint, defs)
    return {"$ref": f"#/$defs/{hint.__name__}"}


if __name__ == "__main__":  # python -m syncml.jsonform: print the schema (docs/syncml-json.schema.json)
    print(json.dumps(json_schema(), indent=2))
