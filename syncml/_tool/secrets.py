"""Masking what must not end up in a ticket: credentials, nonces and tokens.

By default ``syncml-decode`` shows a secret as ``[masked: 24 bytes]`` in
every output it writes from the model (tree, XML, JSON, WBXML).  Secrets
are Cred Data, every NextNonce, and Item Data that is a token: under a node
or a Meta Type naming a token, password or secret (``AADUserToken``), or a
value that reads as a bearer token or a JSON Web Token.
"""

from __future__ import annotations

import dataclasses
import re

from .. import model as m
from .._grammar import is_container

__all__ = ["mask_commands", "mask_message", "masked"]

_SECRET_WORDS = ("token", "password", "passwd", "secret", "passphrase")
# "Bearer <token>", or a JWT: base64url header starting {"  (eyJ), a dot, a payload, a dot.
_MASK = re.compile(r"\[masked: [0-9]{1,18} bytes\]")
_TOKEN_VALUE = re.compile(r"[ \t\r\n]*(?:[Bb]earer[ \t]+\S|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.)")


def masked(value: str | bytes) -> str:
    """What stands for a secret: its size, never its content (a mask read back stays as it is)."""
    if isinstance(value, str) and _MASK.fullmatch(value):
        return value
    size = len(value) if isinstance(value, bytes) else len(value.encode("utf-8", "surrogatepass"))
    return f"[masked: {size} bytes]"


def mask_message(msg: m.SyncML) -> m.SyncML:
    """*msg* with every secret replaced by :func:`masked` (quirks kept); *msg* itself when it holds none."""
    hdr = msg.header
    cred, meta = _cred(hdr.cred), _meta(hdr.meta)
    header = hdr if cred is hdr.cred and meta is hdr.meta else dataclasses.replace(hdr, cred=cred, meta=meta)
    commands = _commands(msg.body.commands)
    body = msg.body if commands is msg.body.commands else dataclasses.replace(msg.body, commands=commands)
    if header is hdr and body is msg.body:
        return msg
    return dataclasses.replace(msg, header=header, body=body, quirks=msg.quirks)


def mask_commands(commands: m.Commands) -> m.Commands:
    """A fragment's commands with every secret masked."""
    masked_commands = _commands(commands)
    return commands if masked_commands is commands else m.Commands(masked_commands, commands.quirks)


def _commands(commands: tuple[m.Command, ...]) -> tuple[m.Command, ...]:
    """*commands* masked; the same tuple when no command changed (the common case: no copy)."""
    masked_commands = tuple(_command(c) for c in commands)
    if all(new is old for new, old in zip(masked_commands, commands, strict=True)):
        return commands
    return masked_commands


def _cred(cred: m.Cred | None) -> m.Cred | None:
    if cred is None:
        return None
    return dataclasses.replace(cred, data=masked(cred.data), meta=_meta(cred.meta))


def _meta(meta: m.Meta | None) -> m.Meta | None:
    if meta is None or meta.next_nonce is None:
        return meta
    return dataclasses.replace(meta, next_nonce=masked(meta.next_nonce))


def _command(command: m.Command) -> m.Command:
    if is_container(command):
        nested, meta = _commands(command.commands), _meta(command.meta)
        if nested is command.commands and meta is command.meta:
            return command
        return dataclasses.replace(command, meta=meta, commands=nested)
    if isinstance(command, m.Map | m.Search):  # data sync: ids and a query, no Items
        return command
    meta = getattr(command, "meta", None)
    items = _items(command.items, meta)
    changes: dict[str, object] = {}
    if items is not command.items:
        changes["items"] = items
    masked_meta = _meta(meta)
    if masked_meta is not meta:
        changes["meta"] = masked_meta
    cred = getattr(command, "cred", None)
    if cred is not None:
        changes["cred"] = _cred(cred)
    if isinstance(command, m.Status) and command.chal is not None and command.chal.meta.next_nonce is not None:
        chal_meta = _meta(command.chal.meta)
        assert chal_meta is not None
        changes["chal"] = dataclasses.replace(command.chal, meta=chal_meta)
    return dataclasses.replace(command, **changes) if changes else command  # type: ignore[arg-type]


def _items(items: tuple[m.Item, ...], command_meta: m.Meta | None) -> tuple[m.Item, ...]:
    masked_items = tuple(_item(i, command_meta) for i in items)
    if all(new is old for new, old in zip(masked_items, items, strict=True)):
        return items
    return masked_items


def _item(item: m.Item, command_meta: m.Meta | None) -> m.Item:
    meta = _meta(item.meta)
    data = item.data
    if data is not None and _is_secret(item, command_meta, data):
        data = masked(data.data if isinstance(data, m.Opaque) else _text(data))
    if meta is item.meta and data is item.data:
        return item
    return dataclasses.replace(item, meta=meta, data=data)


def _text(data: m.Data) -> str:
    if isinstance(data, m.CData):
        return data.text
    if isinstance(data, m.Markup):
        return data.xml
    if isinstance(data, m.Opaque):
        return ""
    return data


def _is_secret(item: m.Item, command_meta: m.Meta | None, data: m.Data) -> bool:
    names = [
        item.target.loc_uri if item.target else "",
        item.source.loc_uri if item.source else "",
        (item.meta.type or "") if item.meta else "",
        (command_meta.type or "") if command_meta else "",
    ]
    lowered = " ".join(names).lower()
    if any(word in lowered for word in _SECRET_WORDS):
        return True
    return not isinstance(data, m.Opaque) and _TOKEN_VALUE.match(_text(data)[:200]) is not None
