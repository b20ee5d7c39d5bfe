"""Each piece the sniffer found, decoded with the public codec, or explained.

A whole document goes to :func:`syncml.parse` (which reads the empty
``<SyncHdr/>`` Windows' local MDM API answers with); when that refuses it, to
:func:`syncml.parse_commands` (a fragment saved as a file).  What still fails
becomes an error carrying what was understood before the fault (the header
and the commands that closed before it) and a hint naming the flag that
would help.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import jsonform
from .. import model as m
from .._api import parse, parse_commands
from ..errors import DecodeError, SyncMLError
from ..limits import Limits
from ..repair import repair_quotes
from .sniff import Found, Kind, fragment_root

__all__ = ["Decoded", "Options", "decode"]

_COMMAND_CLOSES = tuple(
    f"</{name}>".encode()
    for name in ("Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get", "Replace", "Results", "Sequence", "Status")
)
#: Attribute quotes of documentation samples: HTML-escaped, or typographic (U+2018, U+2019, U+201C, U+201D).
_ODD_QUOTES = (b"=&quot;", b"=&#39;", b"=&#34;", b"=\xe2\x80\x98", b"=\xe2\x80\x99", b"=\xe2\x80\x9c", b"=\xe2\x80\x9d")


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """How to decode: the codec's modes and limits, and the opt-in repair."""

    strict: bool = False
    keep_unknown: bool = False
    repair_quotes: bool = False
    limits: Limits


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoded:
    """One found piece: a message, a fragment, or an error with what was understood."""

    found: Found
    data: bytes
    message: m.SyncML | None = None
    commands: m.Commands | None = None
    error: SyncMLError | None = None
    understood: m.SyncML | None = None
    hints: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    where: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def decode(found: Found, options: Options) -> list[Decoded]:
    """The decoded piece (several for a JSON document listing several messages)."""
    if found.kind is Kind.PROBLEM:
        return [Decoded(found=found, data=found.data, error=DecodeError(found.problem), where=found.where)]
    if found.kind is Kind.JSON:
        return _json(found, options)
    data, notes = found.data, tuple[str, ...]()
    if options.repair_quotes:  # opt-in: documentation samples only, see syncml.repair
        fixed = repair_quotes(data)
        data, notes = fixed.data, tuple(f"repaired quotes: {fix}" for fix in fixed.fixes)
    try:
        if found.kind is Kind.FRAGMENT:
            return [_fragment(found, data, options, notes)]
        msg = parse(data, strict=options.strict, keep_unknown=options.keep_unknown, limits=options.limits)
        return [Decoded(found=found, data=data, message=msg, notes=notes, where=found.where)]
    except DecodeError as error:
        return [_second_try(found, data, error, options, notes)]


def _fragment(found: Found, data: bytes, options: Options, notes: tuple[str, ...]) -> Decoded:
    commands = parse_commands(data, strict=options.strict, keep_unknown=options.keep_unknown, limits=options.limits)
    return Decoded(found=found, data=data, commands=commands, notes=notes, where=found.where)


def _second_try(found: Found, data: bytes, error: DecodeError, options: Options, notes: tuple[str, ...]) -> Decoded:
    """A fragment, or the error with what was understood."""
    is_xml = not (data[:1] and data[0] <= 8)
    if is_xml and b"<SyncHdr" not in data:
        try:
            return _fragment(found, data, options, notes)
        except DecodeError as fragment_error:
            if fragment_root(data):
                error = fragment_error  # commands or a SyncBody: the fragment's error says more
    return Decoded(
        found=found,
        data=data,
        error=_shifted(error, found.line),
        understood=_understood(data, error, options) if is_xml else None,
        hints=tuple(_hints(data, error, options)),
        notes=notes,
        where=found.where,
    )


def _understood(data: bytes, error: DecodeError, options: Options) -> m.SyncML | None:
    """The message cut after the last command that closed before the error line, if that decodes."""
    if error.line is None or b"<SyncBody" not in data:
        return None
    cut = 0
    for _ in range(error.line - 1):
        cut = data.find(b"\n", cut) + 1
        if cut <= 0:
            cut = len(data)
            break
    end = max(
        (data.rfind(close, 0, cut) + len(close)) if data.rfind(close, 0, cut) >= 0 else -1 for close in _COMMAND_CLOSES
    )
    if end <= 0 or data.find(b"<SyncBody") > end:
        return None
    try:
        return parse(data[:end] + b"</SyncBody></SyncML>", keep_unknown=True, limits=options.limits)
    except DecodeError:
        return None


def _shifted(error: DecodeError, first: int | None) -> DecodeError:
    """*error* with its line counted in the input, for a message found at line *first* of it."""
    if first is None or first <= 1 or error.line is None:
        return error
    column = error.column if error.line == 1 else None  # a block may start mid-line: its first line's column is off
    line = error.line + first - 1
    return DecodeError(
        error.reason, line=line, column=column, offset=error.offset, path=error.path, status=error.status
    )


def _hints(data: bytes, error: DecodeError, options: Options) -> list[str]:
    hints: list[str] = []
    head = data[:4096]
    if not options.repair_quotes and any(q in data for q in _ODD_QUOTES):
        hints.append("looks like HTML-escaped or typographic quotes: try --repair-quotes")
    if "unknown element" in error.reason and not options.keep_unknown:
        name = error.reason.split("<", 1)[1].split(">", 1)[0] if "<" in error.reason else "?"
        hints.append(f"unknown element <{name}>: try --keep-unknown")
    if options.strict:
        try:
            parse(data, keep_unknown=options.keep_unknown, limits=options.limits)
        except DecodeError:
            pass
        else:
            hints.append("the default lenient mode decodes it: drop --strict to see it (with its quirks)")
    if "root element is <html>" in error.reason.lower() or head.lstrip().lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        hints.append("this is an HTML page, not SyncML: an error page from a proxy or web server?")
    if data[:1] and data[0] <= 8:
        hints.append("this is WBXML: the error's byte offset counts from the start of the decoded message")
    if error.status == 413:
        hints.append("over a size limit: raise it with --max-size if you trust this input")
    return hints


def _json(found: Found, options: Options) -> list[Decoded]:
    try:
        doc = jsonform.parse_json(found.data, limits=options.limits)
        if not isinstance(doc, dict) or doc.get("format") != jsonform.DOCUMENT_FORMAT:
            raise DecodeError(f'not a syncml-decode JSON document: "format" is not "{jsonform.DOCUMENT_FORMAT}"')
        if doc.get("version") != jsonform.DOCUMENT_VERSION:
            raise DecodeError(f"JSON form version {doc.get('version')!r}: this tool reads version 1")
        entries = doc.get("messages")
        if not isinstance(entries, list):
            raise DecodeError('"messages" must be an array', path="$.messages")
    except DecodeError as error:
        return [Decoded(found=found, data=found.data, error=error, where=found.where)]
    out: list[Decoded] = []
    for index, entry in enumerate(entries):
        path = f"$.messages[{index}]"
        given = entry.get("where") if isinstance(entry, dict) else None
        where = given if isinstance(given, str) else f"{found.where} {path}"
        if not isinstance(entry, dict) or set(entry) - {"where", "message", "commands"}:
            wrong = DecodeError('each entry has "where" and "message" or "commands"', path=path)
            out.append(Decoded(found=found, data=b"", error=wrong, where=where))
            continue
        part = "message" if "message" in entry else "commands"
        try:
            if "message" in entry:
                msg = jsonform.from_json(entry["message"], limits=options.limits)
                out.append(Decoded(found=found, data=b"", message=msg, where=where))
            else:
                commands = jsonform.commands_from_json(entry.get("commands"), limits=options.limits)
                out.append(Decoded(found=found, data=b"", commands=commands, where=where))
        except DecodeError as error:
            out.append(Decoded(found=found, data=b"", error=_at(error, f"{path}.{part}"), where=where))
    return out


def _at(error: DecodeError, prefix: str) -> DecodeError:
    path = error.path or "$"
    return DecodeError(error.reason, path=prefix + path[1:], status=error.status)
