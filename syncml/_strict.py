"""Value rules that strict parsing applies on top of the content models.

The DTD types every leaf as #PCDATA; our XSDs (``schemas/``) say more (a
CmdID is never empty or ``0``, codes and sizes are integers).  Strict parsing
must accept exactly what the schemas accept, so the same rules live here,
keyed by (parent element, child element).  Each rule returns None when the
value is fine, or what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable

from ._grammar import COMMAND_CLASSES

_WS = " \t\r\n"

_StrictRule = Callable[[str], "str | None"]


def _nonzero_id(value: str) -> str | None:
    if not value:
        return "must not be empty"
    return "must not be 0 (CmdRef 0 means the SyncHdr)" if value == "0" else None


def _integer(value: str) -> str | None:
    text = value.strip(_WS)
    if text.startswith(("+", "-")):
        text = text[1:]
    return None if text.isdigit() and text.isascii() else "must be an integer"


def _not_empty(value: str) -> str | None:
    return None if value else "must not be empty"


STRICT_RULES: dict[tuple[str, str], _StrictRule] = {
    **{(cmd, "CmdID"): _nonzero_id for cmd in COMMAND_CLASSES},
    ("Status", "Data"): _integer,
    ("Alert", "Data"): _integer,
    ("Meta", "Size"): _integer,
    ("Meta", "MaxMsgSize"): _integer,
    ("Meta", "MaxObjSize"): _integer,
    ("SyncHdr", "SessionID"): _not_empty,
    ("SyncHdr", "MsgID"): _not_empty,
    ("Status", "CmdRef"): _not_empty,
    ("Status", "MsgRef"): _not_empty,
    ("Results", "CmdRef"): _not_empty,
}
