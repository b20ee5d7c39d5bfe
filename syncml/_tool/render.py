"""The readable tree ``syncml-decode`` prints for a message or a fragment.

One line per element of interest, indented by two spaces per level: the
header with the direction it was sent in, each command with its CmdID and
what its code or target means in words, each Item's addresses, Meta and
Data.  Long Data is shortened with its length; embedded XML is indented;
base64 Data shows its decoded length, and WBXML inside it is decoded.
Colours come from :class:`Paint`, which writes none unless asked.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterator
from dataclasses import dataclass

from .. import model as m
from .. import msft
from .._api import parse
from .._grammar import is_container
from .._numbers import uint_or_none
from ..alerts import client_events, generic_alerts
from ..codes import AlertCode, StatusCode
from ..devinfo import read_devinfo
from ..errors import SyncMLError
from .secrets import mask_message

__all__ = ["Paint", "direction", "render_commands", "render_message"]

_PREVIEW = 200
_PRETTY_LINES = 24
_WS = " \t\r\n"
_SERVER_COMMANDS = (m.Get, m.Exec, m.Add, m.Delete, m.Copy, m.Atomic, m.Sequence)


@dataclass(frozen=True, slots=True)
class Paint:
    """ANSI colours, or none: ``Paint(False)`` returns every text unchanged."""

    on: bool = False

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and text else text

    def name(self, text: str) -> str:
        return self._sgr("1", text)  # bold: element and command names

    def good(self, text: str) -> str:
        return self._sgr("32", text)

    def bad(self, text: str) -> str:
        return self._sgr("31", text)

    def warn(self, text: str) -> str:
        return self._sgr("33", text)

    def dim(self, text: str) -> str:
        return self._sgr("2", text)

    def head(self, text: str) -> str:
        return self._sgr("1;36", text)


def direction(msg: m.SyncML) -> str | None:
    """``client -> server`` or ``server -> client``, inferred; None when nothing tells.

    Windows and OMA DM clients address the server by its URL in Target and
    name themselves (a device ID) in Source; the server does the reverse.
    Failing that, the commands tell: only a server sends Get, Exec, Add ...
    and only a client sends Results and the 1201/1224/1226 alerts.
    """
    target, source = msg.header.target.loc_uri.strip(_WS), msg.header.source.loc_uri.strip(_WS)
    if _is_url(target) and not _is_url(source):
        return "client -> server"
    if _is_url(source) and not _is_url(target):
        return "server -> client"
    for command in msg.body.commands:
        if isinstance(command, _SERVER_COMMANDS):
            return "server -> client"
        if isinstance(command, m.Results):
            return "client -> server"
        if isinstance(command, m.Alert) and uint_or_none(command.data) in (1200, 1201, 1224, 1226):
            return "client -> server"
    return None


def _is_url(uri: str) -> bool:
    return uri[:8].lower().startswith(("http://", "https://"))


_EMPTY_HEADER = "<SyncHdr/> (empty: a Windows local MDM API answer, outside any DM session)"


def render_message(msg: m.SyncML, paint: Paint, *, depth: int = 0, partial: bool = False) -> Iterator[str]:
    """The tree of a whole message (``partial``: what was understood before an error, no Final line)."""
    pad = "  " * depth
    hdr = msg.header
    if hdr.is_empty:
        # No session, no addresses: no direction to infer from them either.
        yield f"{pad}{paint.name('SyncML')} {hdr.ver_dtd}  {paint.dim(_EMPTY_HEADER)}"
    else:
        sent = direction(msg)
        yield (
            f"{pad}{paint.name('SyncML')} {hdr.ver_dtd} ({hdr.ver_proto})"
            f"  SessionID {hdr.session_id}  MsgID {hdr.msg_id}" + (f"  {paint.dim(sent)}" if sent else "")
        )
        yield f"{pad}  Target  {_address(hdr.target)}"
        yield f"{pad}  Source  {_address(hdr.source)}"
    if hdr.resp_uri is not None:
        yield f"{pad}  RespURI {hdr.resp_uri}"
    if hdr.no_resp:
        yield f"{pad}  NoResp"
    if hdr.cred is not None:
        yield f"{pad}  Cred    {_auth(hdr.cred.meta)}{hdr.cred.data}"
    if hdr.meta is not None:
        yield f"{pad}  Meta    {_meta_text(hdr.meta)}"
    yield from _unknowns(hdr.unknown, depth + 1, paint)
    yield f"{pad}{paint.name('SyncBody')}"
    yield from _commands(msg.body.commands, msg.body.unknown, depth + 1, paint)
    if msg.body.final:
        yield f"{pad}  Final"
    elif not partial:
        yield f"{pad}  {paint.dim('(no Final: more messages of this package follow)')}"
    yield from _callouts(msg, pad, paint)
    yield from _quirks(msg.quirks, pad, paint)


def render_commands(commands: m.Commands, paint: Paint) -> Iterator[str]:
    """The tree of a fragment's commands."""
    yield f"fragment: {len(commands)} command(s)"
    yield from _commands(commands, (), 0, paint)
    yield from _callouts(commands, "", paint)
    yield from _quirks(commands.quirks, "", paint)


def _commands(
    commands: tuple[m.Command, ...], unknown: tuple[m.Unknown, ...], depth: int, paint: Paint
) -> Iterator[str]:
    # Unknown.position counts the known commands before it: interleave them.
    pending = sorted(unknown, key=lambda u: u.position)
    for index, command in enumerate(commands):
        while pending and pending[0].position <= index:
            yield from _unknowns((pending.pop(0),), depth, paint)
        yield from _command(command, depth, paint)
    yield from _unknowns(tuple(pending), depth, paint)


def _unknowns(unknown: tuple[m.Unknown, ...], depth: int, paint: Paint) -> Iterator[str]:
    pad = "  " * depth
    for element in unknown:
        yield f"{pad}{paint.warn(f'Unknown <{element.name}>')} (kept by --keep-unknown, {len(element.xml)} characters)"
        yield from _pretty(element.xml, pad + "  ")


def _command(command: m.Command, depth: int, paint: Paint) -> Iterator[str]:
    pad = "  " * depth
    yield f"{pad}{paint.name(m.wire_name(command))} #{command.cmd_id}{_summary(command, paint)}"
    inner = pad + "  "
    if getattr(command, "no_resp", False):
        yield f"{inner}NoResp"
    cred = getattr(command, "cred", None)
    if cred is not None:
        yield f"{inner}Cred    {_auth(cred.meta)}{cred.data}"
    if isinstance(command, m.Status):
        for ref in command.target_refs:
            yield f"{inner}TargetRef {ref}"
        for ref in command.source_refs:
            yield f"{inner}SourceRef {ref}"
        if command.chal is not None:
            yield f"{inner}Chal    {_meta_text(command.chal.meta)}"
    meta = getattr(command, "meta", None)
    if meta is not None:
        yield f"{inner}Meta    {_meta_text(meta)}"
    yield from _data_sync(command, inner)
    if is_container(command):
        yield from _commands(command.commands, command.unknown, depth + 1, paint)
        return
    items: tuple[m.Item, ...] = getattr(command, "items", ())  # Map and Search have none
    for index, item in enumerate(items, 1):
        yield from _item(item, index, depth + 1, meta, paint)
    yield from _unknowns(command.unknown, depth + 1, paint)


def _data_sync(command: m.Command, pad: str) -> Iterator[str]:
    """What Sync, Map and Search carry besides Items: the stores they address, counts, id pairs."""
    target, source = getattr(command, "target", None), getattr(command, "source", None)
    if target is not None:
        yield f"{pad}Target  {_address(target)}"
    if source is not None:
        yield f"{pad}Source  {_address(source)}"
    for other in getattr(command, "sources", ()):
        yield f"{pad}Source  {_address(other)}"
    if isinstance(command, m.Sync) and command.number_of_changes is not None:
        yield f"{pad}NumberOfChanges {command.number_of_changes}"
    if isinstance(command, m.Map):
        for pair in command.map_items:
            yield f"{pad}MapItem {pair.target.loc_uri} <- {pair.source.loc_uri}"


def _summary(command: m.Command, paint: Paint) -> str:
    if isinstance(command, m.Status):
        code = _code(command.data, StatusCode)
        value = uint_or_none(command.data)
        shown = paint.good(code) if value is not None and value < 300 else paint.bad(code)
        what = (
            f"SyncHdr of message {command.msg_ref}"
            if command.cmd_ref.strip(_WS) == "0"
            else (f"{command.cmd} #{command.cmd_ref} in message {command.msg_ref}")
        )
        return f"  {shown} for {what}"
    if isinstance(command, m.Alert):
        return f"  {_code(command.data, AlertCode)}" if command.data is not None else ""
    if isinstance(command, m.Results):
        return f"  for {command.cmd or 'Get'} #{command.cmd_ref} in message {command.msg_ref or '(this one)'}"
    if isinstance(command, m.Exec) and msft.unenroll_provider(command) is not None:
        uri = command.items[0].target.loc_uri if command.items[0].target else ""
        return f"  {uri}: {paint.warn('server-initiated unenrollment')}"
    return ""


def _code(data: str | None, enum: type[StatusCode] | type[AlertCode]) -> str:
    value = uint_or_none(data)
    if value is None:
        return f"{data!r} (not a code)"
    try:
        return f"{value} {enum(value).meaning}"
    except ValueError:
        return f"{value} (unknown code)"


def _item(item: m.Item, index: int, depth: int, command_meta: m.Meta | None, paint: Paint) -> Iterator[str]:
    pad = "  " * depth
    yield f"{pad}Item {index}"
    inner = pad + "  "
    if item.target is not None:
        yield f"{inner}Target  {_address(item.target)}"
    if item.source is not None:
        yield f"{inner}Source  {_address(item.source)}"
    if item.source_parent is not None:
        yield f"{inner}SourceParent {item.source_parent.loc_uri}"
    if item.target_parent is not None:
        yield f"{inner}TargetParent {item.target_parent.loc_uri}"
    if item.meta is not None:
        yield f"{inner}Meta    {_meta_text(item.meta)}"
    for name, value in item.data_attributes:
        yield f"{inner}Data attribute {name.rpartition('}')[2]}={value}"
    if item.data is not None:
        fmt = (item.meta.format if item.meta else None) or (command_meta.format if command_meta else None)
        yield from _data(item.data, fmt, inner, depth, paint)
    if item.more_data:
        yield f"{inner}MoreData"
    yield from _unknowns(item.unknown, depth + 1, paint)


def _data(data: m.Data, fmt: str | None, pad: str, depth: int, paint: Paint) -> Iterator[str]:
    if isinstance(data, m.Opaque):
        yield f"{pad}Data    binary, {len(data.data)} bytes: {_preview(data.data[:64].hex(' '))}"
        yield from _nested_wbxml(data.data, pad, depth, paint)
        return
    if isinstance(data, m.Markup):
        yield f"{pad}Data    markup, {len(data.xml)} characters"
        yield from _pretty(data.xml, pad + "  ")
        return
    text = data.text if isinstance(data, m.CData) else data
    form = "CDATA, " if isinstance(data, m.CData) else ""
    if text.startswith("[masked: "):
        yield f"{pad}Data    {paint.dim(text)}"
        return
    if (fmt or "").strip(_WS) == "b64":
        raw = _b64(text)
        if raw is not None:
            yield f"{pad}Data    {form}b64, {len(raw)} bytes decoded: {_preview(text)}"
            yield from _nested_wbxml(raw, pad, depth, paint)
            return
    if text.lstrip(_WS).startswith("<") and len(text) > 40:
        yield f"{pad}Data    {form}XML text, {len(text)} characters"
        yield from _pretty(text, pad + "  ")
        return
    yield f"{pad}Data    {form}{_preview(text)}"


def _nested_wbxml(raw: bytes, pad: str, depth: int, paint: Paint) -> Iterator[str]:
    """A WBXML message carried inside Data (a DM tree of a DM tree), decoded one level deep."""
    if depth > 8 or not raw or raw[0] not in (1, 2, 3):
        return
    try:
        inner = mask_message(parse(raw))
    except SyncMLError:
        return
    yield f"{pad}  {paint.dim('WBXML inside, decoded:')}"
    yield from render_message(inner, paint, depth=len(pad) // 2 + 2)


def _b64(text: str) -> bytes | None:
    compact = "".join(text.split())
    try:
        return binascii.a2b_base64(compact.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def _pretty(xml: str, pad: str) -> Iterator[str]:
    """Embedded XML one tag or text per line, indented by nesting (display only, never parsed)."""
    depth, lines, pos = 0, 0, 0
    shown = xml[:4000]
    while pos < len(shown) and lines < _PRETTY_LINES:
        if shown[pos] == "<":
            end = shown.find(">", pos)
            end = len(shown) if end < 0 else end + 1
            tag = shown[pos:end]
            if tag.startswith("</"):
                depth = max(depth - 1, 0)
            yield f"{pad}{'  ' * depth}{_preview(tag)}"
            if not tag.startswith(("</", "<?", "<!")) and not tag.endswith("/>"):
                depth += 1
        else:
            end = shown.find("<", pos)
            end = len(shown) if end < 0 else end
            text = shown[pos:end].strip(_WS)
            if text:
                yield f"{pad}{'  ' * depth}{_preview(text)}"
            else:
                lines -= 1
        lines += 1
        pos = end
    if pos < len(xml):
        yield f"{pad}... ({len(xml)} characters in all)"


def _callouts(source: m.SyncML | m.Commands, pad: str, paint: Paint) -> Iterator[str]:
    """Generic alerts, client events, unenrollment and DevInfo, said in words."""
    unenroll = msft.unenroll_request(source)
    for alert in (*generic_alerts(source), *client_events(source)):
        kind = "Generic alert" if alert.code == AlertCode.GENERIC_ALERT else "Client event"
        text = alert.text
        value = f" data={_preview(text)}" if text else ""
        note = ""
        if unenroll is not None and alert == unenroll:
            note = "  " + paint.warn("the user asked to unenroll (MS-MDM unenrollment request)")
        yield f"{pad}{paint.head(kind)} (Alert #{alert.cmd_id}): {alert.type or '(no Type)'}{value}{note}"
    info = read_devinfo(source)
    if info is not None:
        pairs = [("DevId", info.dev_id), ("Man", info.man), ("Mod", info.mod), ("DmV", info.dmv), ("Lang", info.lang)]
        known = "  ".join(f"{k}={_preview(v)}" for k, v in pairs if v is not None)
        extra = f"  (+{len(info.extra)} other node(s))" if info.extra else ""
        yield f"{pad}{paint.head('DevInfo')} {known}{extra}"
        for uri in info.misspelled:
            yield f"{pad}  {paint.warn(f'misspelled node {uri}: the names are case-sensitive')}"


def _quirks(quirks: tuple[object, ...], pad: str, paint: Paint) -> Iterator[str]:
    if quirks:
        yield f"{pad}{paint.warn('Quirks tolerated:')}"
        for quirk in quirks:
            yield f"{pad}  {quirk}"


def _address(where: m.Target | m.Source) -> str:
    return where.loc_uri + (f" ({where.loc_name})" if where.loc_name is not None else "")


def _auth(meta: m.Meta | None) -> str:
    if meta is None:
        return ""
    parts = [p for p in (meta.type, meta.format) if p is not None]
    return " ".join(parts) + "  " if parts else ""


def _meta_text(meta: m.Meta | None) -> str:
    if meta is None:
        return ""
    names = ("format", "type", "mark", "size", "version", "next_nonce", "max_msg_size", "max_obj_size")
    labels = {"next_nonce": "NextNonce", "max_msg_size": "MaxMsgSize", "max_obj_size": "MaxObjSize"}
    parts = [f"{labels.get(name, name)}={getattr(meta, name)}" for name in names if getattr(meta, name) is not None]
    parts.extend(f"emi={emi}" for emi in meta.emi)
    if meta.anchor is not None:
        parts.append(f"anchor={meta.anchor.last or ''}->{meta.anchor.next}")
    if meta.field_level:
        parts.append("FieldLevel")
    parts.extend(f"unknown <{u.name}>" for u in meta.unknown)
    return " ".join(parts) or "(empty)"


def _preview(text: str) -> str:
    shown = repr(text) if text != text.strip() or "\n" in text else text
    return shown if len(shown) <= _PREVIEW else shown[:_PREVIEW] + f"... ({len(text)} characters)"
