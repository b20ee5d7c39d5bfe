"""``syncml-decode``: show what captured SyncML says, and what is wrong with it.

Reads files (or ``-`` for standard input) holding one message or many, in
whatever form a person has them: XML, WBXML, base64 or hex of either, an HTTP
dump, a log or a report (see :mod:`syncml._tool.sniff`).  Prints a readable
tree of each message and, when there are several (or with ``--check``), how
they answer each other.  Secrets are masked unless ``--show-secrets``.

Exit status: 0 decoded, 1 decoded with findings under ``--check``, 2 could
not decode (something found could not be decoded, or nothing was found).
Never a traceback unless ``--debug``.  See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import binascii
import io
import json
import os
import re
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import TextIO

from . import __version__, jsonform
from . import model as m
from ._api import serialize, serialize_commands
from ._check import Direction, check
from ._numbers import read_uint
from ._tool.decode import Decoded, Options, decode
from ._tool.render import Paint, direction, render_commands, render_message
from ._tool.secrets import mask_commands, mask_message
from ._tool.sniff import INPUT_FACTOR, Kind, find_messages
from ._tool.transcript import Entry, protocol_findings, relate
from .errors import DecodeError, SyncMLError
from .limits import Limits

__all__ = ["decode_to_lines", "main"]

#: A label naming a line: the message was found inside a larger input.
_INSIDE = re.compile(r":[0-9]+$")

_EXAMPLES = """\
examples:
  syncml-decode capture.xml                 one message as a tree
  syncml-decode server.log                  every message in a log, and how they answer each other
  syncml-decode --check a.xml b.wbxml       the same across files, with protocol and schema findings
  syncml-decode --check --summary big.log   only the findings and how the messages relate
  pbpaste | syncml-decode -                 base64, hex, xxd, an HTTP dump ... from the clipboard
  syncml-decode --format json m.xml > m.json && syncml-decode m.json
  syncml-decode --format xml --show-secrets request.http

exit status: 0 decoded, 1 decoded with findings (--check), 2 could not decode
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line tool; returns the exit status."""
    args = _arguments().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # input text a terminal's encoding cannot show is escaped
            stream.reconfigure(errors="backslashreplace")
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: one line, unless --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(f"syncml-decode: internal error {type(exc).__name__}: {exc} (--debug shows where)", file=sys.stderr)
        return 2


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncml-decode",
        description="Show what SyncML / OMA DM messages say: files, logs, HTTP dumps, base64, hex, WBXML.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="input files, or - for standard input")
    parser.add_argument(
        "--format",
        choices=("tree", "xml", "json", "wbxml", "raw"),
        default="tree",
        help="tree (default); xml (pretty, canonical order); json (the syncml JSON form); "
        "wbxml (one message, binary); raw (each message's bytes as found, unwrapped from base64/hex/HTTP)",
    )
    parser.add_argument("--check", action="store_true", help="protocol, session and schema findings; exit 1 if any")
    parser.add_argument(
        "--summary", action="store_true", help="no tree of each message: only how they relate, and findings"
    )
    parser.add_argument("--strict", action="store_true", help="refuse every deviation from the DTD")
    parser.add_argument("--keep-unknown", action="store_true", help="keep unknown elements instead of failing")
    parser.add_argument("--show-secrets", action="store_true", help="show credentials, nonces and tokens in clear")
    parser.add_argument(
        "--repair-quotes",
        action="store_true",
        help="first repair HTML-escaped and typographic attribute quotes (documentation samples)",
    )
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--base64", action="store_true", help="the whole input is base64 (detected without it)")
    given.add_argument("--hex", action="store_true", help="the whole input is hex (detected without it)")
    parser.add_argument("--max-size", metavar="BYTES", help="largest message in bytes (syncml.Limits.max_size)")
    parser.add_argument("--ddf", metavar="FILE", action="append", default=[], help="DDF file or zip for --check")
    parser.add_argument("--no-color", action="store_true", help="no colours (also: NO_COLOR set, or not a terminal)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on an internal error")
    parser.add_argument("--version", action="version", version=f"syncml-decode {__version__}")
    return parser


def _run(args: argparse.Namespace) -> int:
    limits = _limits(args.max_size)
    if limits is None:
        return 2
    options = Options(
        strict=args.strict, keep_unknown=args.keep_unknown, repair_quotes=args.repair_quotes, limits=limits
    )
    out = sys.stdout
    paint = Paint(_colour(out, args.no_color))
    decoded: list[Decoded] = []
    failed = False
    for name in args.files:
        label = "<stdin>" if name == "-" else name
        try:
            data = _read(name, INPUT_FACTOR * limits.max_size)
            scan = find_messages(_forced(data, args), label, limits=limits)
        except OSError as exc:
            print(f"syncml-decode: {label}: {exc.strerror or exc}", file=sys.stderr)
            failed = True
            continue
        except SyncMLError as exc:
            print(f"syncml-decode: {label}: {exc}", file=sys.stderr)
            if args.base64 or args.hex:
                _forced_hint(data, label, limits)
            failed = True
            continue
        for note in scan.notes:
            print(f"syncml-decode: {label}: note: {note}", file=sys.stderr)
        for found in scan.found:
            decoded.extend(decode(found, options))
    failed = failed or not decoded or any(not d.ok for d in decoded)
    writer = _WRITERS[args.format]
    status = writer(decoded, args, paint, out)
    if status:
        return status
    return 2 if failed else 0


def _limits(text: str | None) -> Limits | None:
    if text is None:
        return Limits()
    try:
        return Limits(max_size=read_uint(text, "--max-size"))
    except SyncMLError as exc:
        print(f"syncml-decode: --max-size: {exc}", file=sys.stderr)
        return None


def _forced(data: bytes, args: argparse.Namespace) -> bytes:
    """With --base64 or --hex, the whole input is that encoding: decode it first, refusing anything else."""
    if not (args.base64 or args.hex):
        return data
    text = b"".join(data.split())
    try:
        if args.hex:
            return binascii.unhexlify(text.removeprefix(b"0x"))
        return binascii.a2b_base64(text.replace(b"-", b"+").replace(b"_", b"/"), strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        kind = "hex" if args.hex else "base64"
        raise DecodeError(f"input is not {kind}: {exc}", status=415) from None


def _forced_hint(data: bytes, label: str, limits: Limits) -> None:
    """When --base64 or --hex was wrong, what detection finds in the input instead."""
    try:
        found = find_messages(data, label, limits=limits).found
    except SyncMLError:
        return
    if found and found[0].kind is not Kind.PROBLEM:
        steps = (*found[0].how, "WBXML" if found[0].data[:1] and found[0].data[0] <= 8 else "XML")
        form = " of ".join(steps)  # outermost first: base64 of WBXML
        print(f"  hint: this is {form}: drop --base64/--hex, the form is detected without them", file=sys.stderr)


def _read(path: str, most: int) -> bytes:
    """The file's bytes, or one more than *most* of them: a larger input is refused unread."""
    if path == "-":
        return sys.stdin.buffer.read(most + 1)
    with open(path, "rb") as handle:
        return handle.read(most + 1)


def _colour(out: TextIO, no_color: bool) -> bool:
    """Colours only on a terminal, and never with --no-color or NO_COLOR (https://no-color.org)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


# --- writers -----------------------------------------------------------------


def _masked(d: Decoded, show: bool) -> m.SyncML | m.Commands | None:
    if d.message is not None:
        return d.message if show else mask_message(d.message)
    if d.commands is not None:
        return d.commands if show else mask_commands(d.commands)
    return None


def _tree(decoded: list[Decoded], args: argparse.Namespace, paint: Paint, out: TextIO) -> int:
    several = len(decoded) > 1
    lines: list[str] = []
    for number, d in enumerate(decoded, 1):
        if args.summary:
            if not d.ok:
                _error(d, paint, lines)
            continue
        if several or d.found.how or (d.data[:1] and d.data[0] <= 8) or _INSIDE.search(d.where):
            steps = (*d.found.how, "WBXML") if d.data[:1] and d.data[0] <= 8 else d.found.how
            how = f"  ({', '.join(steps)})" if steps else ""
            count = f"message {number} of {len(decoded)}: " if several else ""
            lines.append(paint.head(f"== {count}{d.where}") + how)
        for note in d.notes:
            lines.append(paint.dim(f"note: {note}"))
        value = _masked(d, args.show_secrets)
        if isinstance(value, m.SyncML):
            lines.extend(render_message(value, paint))
        elif value is not None:
            lines.extend(render_commands(value, paint))
        else:
            _error(d, paint, lines)
        if several:
            lines.append("")
    findings = 0
    entries = [Entry(message=d.message, where=d.where, xml=_xml_of(d)) for d in decoded if d.message is not None]
    if len(entries) > 1:
        report = relate(entries, paint, protocol=args.check)
        lines.extend(report.lines)
        findings += report.findings
    if args.check:
        found: list[str] = []
        if len(entries) == 1:  # one message: its own findings (a transcript's are in its report)
            found.extend(protocol_findings(entries).lines)
        for d in decoded:
            if d.commands is not None:
                found.extend(f"  {d.where}: {finding}" for finding in check(d.commands))
        found.extend(_ddf(decoded, args, paint))
        findings += len(found)  # one line per finding
        if found:
            lines.append(paint.warn("Findings:"))
            lines.extend(found)
        elif findings == 0:
            lines.append("Findings: none")
    if lines:
        out.write("\n".join(lines).rstrip("\n") + "\n")
    return 1 if args.check and findings and all(d.ok for d in decoded) else 0


def _ddf(decoded: list[Decoded], args: argparse.Namespace, paint: Paint) -> list[str]:
    """Findings of ``syncml.ddf.lint`` against the built-in catalog and the --ddf files.

    ``syncml.ddf`` is imported here, on use, so that the tool works without
    it; asking for --ddf without it is an error.
    """
    try:
        from . import ddf  # noqa: PLC0415 - optional: the tool works without it
    except ImportError:
        if args.ddf:
            raise DecodeError("--ddf needs syncml.ddf, which this installation does not have") from None
        return []
    catalog = ddf.Catalog.builtin()
    extra = [
        ddf.Catalog.from_zip(path) if path.lower().endswith(".zip") else ddf.Catalog.from_files([path])
        for path in args.ddf
    ]
    if extra:
        catalog = catalog.merged(*extra)  # a given DDF wins over the built-in one for the same root
    found: list[str] = []
    for d in decoded:
        source: m.SyncML | m.Commands | None = d.message if d.message is not None else d.commands
        if source is None:
            continue
        side = direction(d.message) if d.message is not None else None
        way = Direction.CLIENT_TO_SERVER if side == "client -> server" else Direction.SERVER_TO_CLIENT
        found.extend(f"  {d.where}: ddf: {finding}" for finding in ddf.lint(source, catalog=catalog, direction=way))
    return found


def _xml_of(d: Decoded) -> bytes | None:
    if not d.data or d.data[0] <= 8:
        return None
    return d.data


def _error(d: Decoded, paint: Paint, lines: list[str]) -> None:
    """What was understood (stdout), then the error and its hints (stderr)."""
    if d.understood is not None:
        lines.append(paint.dim("understood before the error:"))
        lines.extend(render_message(mask_message(d.understood), paint, depth=1, partial=True))
    print(f"syncml-decode: {d.where}: {d.error}", file=sys.stderr)
    for hint in d.hints:
        print(f"  hint: {hint}", file=sys.stderr)
    if d.found.how:
        print(f"  found as: {', '.join(d.found.how)}", file=sys.stderr)


def _xml(decoded: list[Decoded], args: argparse.Namespace, paint: Paint, out: TextIO) -> int:
    parts: list[str] = []
    failed = False
    for d in decoded:
        value = _masked(d, args.show_secrets)
        if value is None:
            _error(d, paint, [])
            continue
        try:
            text = (
                serialize(value, pretty=True) if isinstance(value, m.SyncML) else serialize_commands(value, pretty=True)
            )
        except SyncMLError as exc:  # a model read from JSON that no XML can carry
            print(f"syncml-decode: {d.where}: cannot write it as XML: {exc}", file=sys.stderr)
            failed = True
            continue
        head = f"<!-- {d.where} -->\n" if len(decoded) > 1 else ""
        parts.append(head + text.decode("utf-8").rstrip("\n"))
    if parts:
        out.write("\n".join(parts) + "\n")
    return 2 if failed else 0


def _json(decoded: list[Decoded], args: argparse.Namespace, paint: Paint, out: TextIO) -> int:
    entries: list[jsonform.JSON] = []
    for d in decoded:
        value = _masked(d, args.show_secrets)
        if value is None:
            _error(d, paint, [])
        elif isinstance(value, m.SyncML):
            entries.append({"where": d.where, "message": jsonform.to_json(value)})
        else:
            entries.append({"where": d.where, "commands": jsonform.commands_to_json(value)})
    document = {"format": jsonform.DOCUMENT_FORMAT, "version": jsonform.DOCUMENT_VERSION, "messages": entries}
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 0


def _binary_out(out: TextIO) -> io.BufferedWriter | None:
    if getattr(out, "isatty", lambda: False)():
        print("syncml-decode: binary output: redirect it to a file or a pipe", file=sys.stderr)
        return None
    buffer = getattr(out, "buffer", None)
    return buffer if buffer is not None else None


def _wbxml(decoded: list[Decoded], args: argparse.Namespace, paint: Paint, out: TextIO) -> int:
    messages = [d for d in decoded if d.message is not None]
    for d in decoded:
        if not d.ok:
            _error(d, paint, [])
    if len(messages) != 1:
        print(f"syncml-decode: --format wbxml writes one whole message; {len(messages)} found", file=sys.stderr)
        return 2
    target = _binary_out(out)
    if target is None:
        return 2
    value = _masked(messages[0], args.show_secrets)
    assert isinstance(value, m.SyncML)
    try:
        encoded = serialize(value, wbxml=True)
    except SyncMLError as exc:
        print(f"syncml-decode: {messages[0].where}: cannot write it as WBXML: {exc}", file=sys.stderr)
        return 2
    target.write(encoded)
    target.flush()
    return 0


def _raw(decoded: list[Decoded], args: argparse.Namespace, paint: Paint, out: TextIO) -> int:
    for d in decoded:
        if not d.ok:
            _error(d, paint, [])
    usable = [d for d in decoded if d.ok and d.data]
    if not args.show_secrets:
        holding = [d.where for d in usable if _masked(d, False) != _masked(d, True)]
        if holding:
            print(
                f"syncml-decode: {holding[0]}: holds credentials or tokens: --format raw writes the bytes as found"
                " only with --show-secrets",
                file=sys.stderr,
            )
            return 2
    target = _binary_out(out)
    if target is None:
        return 2
    for d in usable:
        target.write(d.data)
        if len(usable) > 1 and d.data[0] > 8 and not d.data.endswith(b"\n"):
            target.write(b"\n")  # XML pieces one after the other, each on its own lines
    target.flush()
    return 0


_WRITERS = {"tree": _tree, "xml": _xml, "json": _json, "wbxml": _wbxml, "raw": _raw}


# --- for the fuzz harness ------------------------------------------------------


def decode_to_lines(
    data: bytes, *, strict: bool = False, keep_unknown: bool = False, findings: bool = False
) -> Iterator[str]:
    """Everything the tool finds and prints for *data*, as lines (no colour, secrets masked).

    The whole pipeline the command runs, for the fuzz harness: detection,
    decoding with its second tries, the tree, what was understood before
    an error and its hints, the JSON form read back, and the transcript.

    Raises:
        SyncMLError: when nothing in *data* decodes.
    """
    limits = Limits()
    options = Options(strict=strict, keep_unknown=keep_unknown, limits=limits)
    scan = find_messages(data, "<input>", limits=limits)
    decoded = [d for found in scan.found for d in decode(found, options)]
    if not any(d.ok for d in decoded):
        first = decoded[0].error if decoded else None
        raise first if first is not None else DecodeError("nothing found")
    paint = Paint(False)
    for d in decoded:
        value = _masked(d, False)
        if isinstance(value, m.SyncML):
            yield from render_message(value, paint)
            yield jsonform.dumps(jsonform.from_json(jsonform.to_json(value), limits=limits), indent=None)
        elif value is not None:
            yield from render_commands(value, paint)
        else:
            yield f"error: {d.error}"
            yield from (f"hint: {hint}" for hint in d.hints)
            if d.understood is not None:
                yield from render_message(mask_message(d.understood), paint, partial=True)
    entries = [Entry(message=d.message, where=d.where, xml=_xml_of(d)) for d in decoded if d.message is not None]
    if len(entries) > 1 or findings:
        yield from relate(entries, paint, protocol=findings).lines
