"""``syncml-decode``: show what a captured SyncML message says.

Reads a file (or ``-`` for standard input), decodes it and prints an indented
tree: header fields, then each command with its CmdID and each Item with its
Target/Source LocURI, Meta and Data.  Bad input ends in a one-line error and
exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import binascii
import sys
from collections.abc import Iterator, Sequence

from . import model as m
from ._api import parse, parse_commands
from ._check import Finding, check
from ._wbxml_decode import is_wbxml
from .codes import AlertCode, StatusCode
from .errors import DecodeError, SyncMLError
from .repair import repair_quotes

_DATA_PREVIEW = 200


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line tool; returns the exit status."""
    args = _arguments().parse_args(argv)
    name = "<stdin>" if args.file == "-" else args.file
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else _read(args.file)
        data = _unwrap(data, base64_input=args.base64, hex_input=args.hex)
        repaired: list[str] = []
        if args.repair_quotes:  # opt-in: documentation samples only, see syncml.repair
            fixed = repair_quotes(data)
            data, repaired = fixed.data, [f"repaired quotes: {fix}" for fix in fixed.fixes]
        lines = repaired + list(
            decode_to_lines(data, strict=args.strict, keep_unknown=args.keep_unknown, findings=args.check)
        )
    except SyncMLError as exc:
        print(f"syncml-decode: {name}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"syncml-decode: {name}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(f"syncml-decode: {name}: internal error {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syncml-decode", description="Show what a SyncML / OMA DM message says.")
    parser.add_argument("file", help="message file, or - for standard input")
    parser.add_argument("--strict", action="store_true", help="refuse every deviation from the DTD")
    parser.add_argument("--keep-unknown", action="store_true", help="keep unknown elements instead of failing")
    parser.add_argument("--check", action="store_true", help="also list protocol findings (syncml.check)")
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--base64", action="store_true", help="the input is base64 text of the message bytes")
    given.add_argument("--hex", action="store_true", help="the input is hex text of the message bytes")
    parser.add_argument(
        "--repair-quotes",
        action="store_true",
        help="first repair HTML-escaped and typographic attribute quotes (documentation samples)",
    )
    return parser


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _unwrap(data: bytes, *, base64_input: bool, hex_input: bool) -> bytes:
    """The message bytes from base64 or hex text, as captured from logs."""
    if not (base64_input or hex_input):
        return data
    text = b"".join(data.split())  # line breaks and spaces of a pasted dump
    try:
        if hex_input:
            return binascii.unhexlify(text.removeprefix(b"0x"))
        return binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        kind = "hex" if hex_input else "base64"
        raise DecodeError(f"input is not {kind}: {exc}", status=415) from None


def decode_to_lines(
    data: bytes, *, strict: bool = False, keep_unknown: bool = False, findings: bool = False
) -> Iterator[str]:
    """Decode *data* as a message, or else as a fragment, and describe it.

    WBXML is recognised by its first byte; ``findings`` adds what
    :func:`syncml.check` reports.
    """
    if is_wbxml(data):
        yield f"encoding: WBXML 1.{data[0]}"
    try:
        msg = parse(data, strict=strict, keep_unknown=keep_unknown)
    except DecodeError as whole:
        try:
            commands = parse_commands(data, strict=strict, keep_unknown=keep_unknown)
        except DecodeError:
            raise whole from None
        yield f"fragment: {len(commands)} command(s)"
        for command in commands:
            yield from _command(command, 0)
        if findings:
            yield from _findings(check(commands))
        if commands.quirks:
            yield "Quirks tolerated:"
            yield from (f"  {quirk}" for quirk in commands.quirks)
        return
    yield from _message(msg)
    if findings:
        yield from _findings(check(msg))


def _findings(found: Sequence[Finding]) -> Iterator[str]:
    if not found:
        yield "Findings: none"
        return
    yield "Findings:"
    for finding in found:
        yield f"  {finding}"


def _message(msg: m.SyncML) -> Iterator[str]:
    hdr = msg.header
    yield f"SyncML {hdr.ver_dtd} ({hdr.ver_proto})  SessionID {hdr.session_id}  MsgID {hdr.msg_id}"
    yield f"  Target  {_address(hdr.target)}"
    yield f"  Source  {_address(hdr.source)}"
    if hdr.resp_uri is not None:
        yield f"  RespURI {hdr.resp_uri}"
    if hdr.no_resp:
        yield "  NoResp"
    if hdr.cred is not None:
        yield f"  Cred    {_meta_text(hdr.cred.meta)}  {hdr.cred.data}".rstrip()
    if hdr.meta is not None:
        yield f"  Meta    {_meta_text(hdr.meta)}"
    yield "SyncBody"
    for command in msg.body.commands:
        yield from _command(command, 1)
    if msg.body.final:
        yield "  Final"
    if msg.quirks:
        yield "Quirks tolerated:"
        for quirk in msg.quirks:
            yield f"  {quirk}"


def _command(command: m.Command, depth: int) -> Iterator[str]:
    pad = "  " * depth
    yield f"{pad}{type(command).__name__} #{command.cmd_id}{_command_summary(command)}"
    inner = pad + "  "
    meta = getattr(command, "meta", None)
    if meta is not None:
        yield f"{inner}Meta  {_meta_text(meta)}"
    if isinstance(command, (m.Atomic, m.Sequence)):
        for nested in command.commands:
            yield from _command(nested, depth + 1)
        return
    for index, item in enumerate(getattr(command, "items", ()), 1):
        yield from _item(item, index, depth + 1)


def _command_summary(command: m.Command) -> str:
    if isinstance(command, m.Status):
        code = _code_text(command.data, StatusCode)
        refs = "".join(f" TargetRef={t}" for t in command.target_refs) + "".join(
            f" SourceRef={s}" for s in command.source_refs
        )
        return f"  {command.cmd} CmdRef={command.cmd_ref} MsgRef={command.msg_ref}{refs}  -> {code}"
    if isinstance(command, m.Alert):
        return f"  {_code_text(command.data, AlertCode)}" if command.data is not None else ""
    if isinstance(command, m.Results):
        return f"  CmdRef={command.cmd_ref} MsgRef={command.msg_ref or '1'}"
    return ""


def _code_text(data: str, enum: type[StatusCode] | type[AlertCode]) -> str:
    text = data.strip()
    if text.isdigit():
        try:
            return f"{text} {enum(int(text)).meaning}"
        except ValueError:
            return f"{text} (unknown code)"
    return repr(data)


def _item(item: m.Item, index: int, depth: int) -> Iterator[str]:
    pad = "  " * depth
    yield f"{pad}Item {index}"
    inner = pad + "  "
    if item.target is not None:
        yield f"{inner}Target  {_address(item.target)}"
    if item.source is not None:
        yield f"{inner}Source  {_address(item.source)}"
    if item.meta is not None:
        yield f"{inner}Meta    {_meta_text(item.meta)}"
    if item.data is not None:
        yield f"{inner}Data    {_data_text(item.data)}"
    if item.more_data:
        yield f"{inner}MoreData"


def _address(where: m.Target | m.Source) -> str:
    return where.loc_uri + (f" ({where.loc_name})" if where.loc_name is not None else "")


def _meta_text(meta: m.Meta | None) -> str:
    if meta is None:
        return ""
    names = ("format", "type", "mark", "size", "version", "next_nonce", "max_msg_size", "max_obj_size")
    parts = [f"{name}={getattr(meta, name)}" for name in names if getattr(meta, name) is not None]
    parts.extend(f"emi={emi}" for emi in meta.emi)
    return " ".join(parts) or "(empty)"


def _data_text(data: m.Data) -> str:
    if isinstance(data, m.CData):
        return "CDATA " + _preview(data.text)
    if isinstance(data, m.Markup):
        return "markup " + _preview(data.xml)
    if isinstance(data, m.Opaque):
        return f"binary {len(data.data)} bytes " + _preview(data.data.hex(" "))
    return _preview(data)


def _preview(text: str) -> str:
    shown = repr(text) if text != text.strip() or "\n" in text else text
    return shown if len(shown) <= _DATA_PREVIEW else shown[:_DATA_PREVIEW] + f"... ({len(text)} characters)"
