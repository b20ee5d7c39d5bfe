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
    """*msg* with every secret replaced by :func:`masked` (quirks kept)."""
    hdr = msg.header
    header = dataclasses.replace(hdr, cred=_cred(hdr.cred), meta=_meta(hdr.meta))
    body = dataclasses.replace(msg.body, commands=tuple(_command(c) for c in msg.body.commands))
    return dataclasses.replace(msg, header=header, body=body, quirks=msg.quirks)


def mask_commands(commands: m.Commands) -> m.Commands:
    """A fragment's commands with every secret masked."""
    return m.Commands((_command(c) for c in commands), commands.quirks)


def _cred(cred: m.Cred | None) -> m.Cred | None:
    if cred is None:
        return None
    return dataclasses.replace(cred, data=masked(cred.data), meta=_meta(cred.meta))


def _meta(meta: m.Meta | None) -> m.Meta | None:
    if meta is None or meta.next_nonce is None:
        return meta
    return dataclasses.replace(meta, next_nonce=masked(meta.next_nonce))


def _command(command: m.Command) -> m.Command:
    if isinstance(command, m.Atomic | m.Sequence):
        return dataclasses.replace(
            command, meta=_meta(command.meta), commands=tuple(_command(c) for c in command.commands)
        )
    if isinstance(command, m.Status):
        chal = command.chal
        if chal is not None:
            chal = dataclasses.replace(chal, meta=_meta(chal.meta) or chal.meta)
        items = tuple(_item(i, None) for i in command.items)
        return dataclasses.replace(command, cred=_cred(command.cred), chal=chal, items=items)
    if isinstance(command, m.Results):
        items = tuple(_item(i, command.meta) for i in command.items)
        return dataclasses.replace(command, meta=_meta(command.meta), items=items)
    meta = getattr(command, "meta", None)
    items = tuple(_item(i, meta) for i in command.items)
    changed = dataclasses.replace(command, cred=_cred(command.cred), items=items)
    if isinstance(changed, m.Alert):
        return changed
    return dataclasses.replace(changed, meta=_meta(changed.meta))


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
