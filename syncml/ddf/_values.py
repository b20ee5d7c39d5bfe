"""Does a value fit a node?  DFFormat and MSFT:AllowedValues, applied to Item Data.

Each check returns ``None`` when the value fits, or a sentence saying why it
does not.  Values are the Data text of an Add or Replace (never of an Exec,
whose Data is the operation's argument).
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

from lxml import etree

from .._xmlfront import _parser
from ._model import AllowedValues, Node

__all__ = ["admx_problem", "allowed_problem", "format_problem"]

_WS = " \t\r\n"
_INT = re.compile(r"-?[0-9]{1,18}")
_HEX = re.compile(r"0[xX][0-9A-Fa-f]{1,16}")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_B64_WS = re.compile(r"[ \t\r\n]+")
_DECL = re.compile(r"\A<\?xml[ \t\r\n][^>]*?\?>")
_ADMX_STATES = ("enabled", "disabled")
#: Longest value a RegEx from a DDF is run on (DDF patterns are short and
#: anchored; the cap keeps a user-supplied pattern's cost bounded).
_REGEX_INPUT = 4096


def format_problem(node: Node, text: str) -> str | None:
    """Why *text* is not a value of *node*'s DFFormat, or None."""
    fmt = node.format
    if fmt == "int":
        if not _INT.fullmatch(text):
            return f"{_show(text)} is not an integer"
    elif fmt == "bool":
        if text not in ("true", "false") and not _in_enum(node.allowed, text):
            return f"{_show(text)} is not true or false"
    elif fmt == "b64":
        try:
            base64.b64decode(_B64_WS.sub("", text), validate=True)
        except (binascii.Error, ValueError):
            return f"{_show(text)} is not base64"
    elif fmt == "xml":
        return _xml_problem(text)
    elif fmt == "float" and not _FLOAT.fullmatch(text):
        return f"{_show(text)} is not a number"
    elif fmt == "null" and text:
        return "a null node takes no Data"
    return None


def allowed_problem(node: Node, text: str) -> str | None:
    """Why *text* is not among *node*'s MSFT:AllowedValues, or None."""
    allowed = node.allowed
    if allowed is None:
        return None
    kind = allowed.value_type.lower()
    separator = allowed.separator
    values = text.split(separator) if separator and separator in text else [text]
    for value in values:
        problem = _one_allowed(node, allowed, kind, value)
        if problem is not None:
            return problem
    return None


def _one_allowed(node: Node, allowed: AllowedValues, kind: str, value: str) -> str | None:
    if kind == "enum" and allowed.enums and not _in_enum(allowed, value):
        listed = ", ".join(e.value for e in allowed.enums[:12]) + (" ..." if len(allowed.enums) > 12 else "")
        return f"{_show(value)} is not one of the allowed values ({listed})"
    if kind == "flag" and allowed.enums:
        return _flag_problem(allowed, value)
    if kind == "range":
        bounds = allowed.range
        if bounds is not None and _INT.fullmatch(value) and not bounds[0] <= int(value) <= bounds[1]:
            return f"{value} is outside the allowed range {allowed.value}"
    if kind == "regex" and allowed.value:
        pattern = _compiled(allowed.value)
        if pattern is not None and len(value) <= _REGEX_INPUT and not pattern.fullmatch(value):
            return f"{_show(value)} does not match the pattern {allowed.value}"
    if kind == "admx":
        return admx_problem(value)
    del node
    return None


def _in_enum(allowed: AllowedValues | None, value: str) -> bool:
    if allowed is None:
        return False
    for member in allowed.enums:
        if member.value == value:
            return True
        number, wanted = _number(value), _number(member.value)
        if number is not None and number == wanted:
            return True
    return False


def _flag_problem(allowed: AllowedValues, value: str) -> str | None:
    number = _number(value)
    if number is None:
        return f"{_show(value)} is not a number of flags"
    mask = 0
    for member in allowed.enums:
        bits = _number(member.value)
        mask |= bits or 0
    if number & ~mask:
        return f"{value} sets flags outside {', '.join(e.value for e in allowed.enums)}"
    return None


def _number(text: str) -> int | None:
    text = text.strip(_WS)
    if _INT.fullmatch(text):
        return int(text)
    if (
        len(text) <= 18
        and text[:2].lower() == "0x"
        and text[2:]
        and all(c in "0123456789abcdefABCDEF" for c in text[2:])
    ):
        return int(text, 16)
    return None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # a .NET construct Python does not know: the check is skipped


def admx_problem(text: str) -> str | None:
    """Why *text* is not ADMX policy markup (``<enabled/>`` or ``<disabled/>``, then ``<data id= value=/>``)."""
    try:
        root = etree.fromstring(f"<admx>{text}</admx>".encode(), _parser(huge=False))
    except etree.XMLSyntaxError:
        return f"{_show(text)} is not ADMX markup: it is not well-formed"
    except (ValueError, UnicodeEncodeError):
        return f"{_show(text)} is not ADMX markup"
    children = [el for el in root if isinstance(el.tag, str)]
    if not children or str(children[0].tag).lower() not in _ADMX_STATES:
        return f"{_show(text)} is not ADMX markup: it starts with <enabled/> or <disabled/>"
    if (root.text or "").strip(_WS) or any((el.tail or "").strip(_WS) for el in children):
        return "ADMX markup has text between its elements"
    for el in children[1:]:
        if el.tag != "data" or el.get("id") is None:
            return f"ADMX markup holds <data id=... value=.../> after the state, not <{el.tag}>"
    return None


def _xml_problem(text: str) -> str | None:
    # The declaration's encoding describes bytes this text no longer is in.
    text = _DECL.sub("", text.lstrip(_WS + "\ufeff"), count=1)
    try:
        etree.fromstring(text.encode("utf-8"), _parser(huge=False))
    except etree.XMLSyntaxError as exc:
        return f"the value is not well-formed XML ({(exc.msg or '').split(', line ')[0]})"
    except (ValueError, UnicodeEncodeError):
        return "the value is not well-formed XML"
    return None


def _show(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")
