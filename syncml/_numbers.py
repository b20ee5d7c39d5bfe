"""The one way untrusted text becomes an integer.

Every numeric field of a message (MsgID, MsgRef, CmdRef, Alert and Status
codes, MaxMsgSize, MaxObjSize, Size, NextNonce lengths ...) goes through
:func:`read_uint`.  Python's ``int()`` accepts what SyncML does not
(``"²"`` passes ``str.isdigit``, ``"1_000"`` and ``"+1"`` pass ``int``) and
raises a bare ``ValueError`` past 4300 digits; here only ASCII digits are
read, at most :data:`MAX_DIGITS` of them, and anything else is a
:class:`~syncml.DecodeError` naming the element.
"""

from __future__ import annotations

from .errors import DecodeError

__all__ = ["MAX_DIGITS", "is_uint", "read_uint", "uint_or_none"]

#: 18 digits hold any value below 10**18, above every size or counter in
#: SyncML (sizes are 32-bit in WBXML; MsgID and CmdID are short counters),
#: and keep the conversion cost constant.
MAX_DIGITS = 18

_DIGITS = frozenset("0123456789")
#: What lenient decoding strips around a value (XML's whitespace).
_WS = " \t\r\n"


def is_uint(text: str) -> bool:
    """Whether ``text`` is 1 to MAX_DIGITS ASCII digits, nothing else."""
    return 0 < len(text) <= MAX_DIGITS and _DIGITS.issuperset(text)


def uint_or_none(text: str | None) -> int | None:
    """``text`` (surrounding whitespace allowed) as an int, or None when it is not one."""
    # A model built by hand may hold anything where text belongs.
    if not isinstance(text, str):
        return None
    text = text.strip(_WS)
    return int(text) if is_uint(text) else None


def read_uint(text: str, what: str) -> int:
    """``text`` as a non-negative int, or DecodeError at path ``what``.

    Surrounding XML whitespace is allowed (lenient decoding keeps values as
    written); a sign, an underscore, a non-ASCII digit, an empty value or
    more than MAX_DIGITS digits is refused.
    """
    value = uint_or_none(text)
    if value is None and not isinstance(text, str):
        raise DecodeError(f"{what} is {type(text).__name__}, not text", path=what)
    if value is None:
        shown = text if len(text) <= 40 else f"{text[:20]}... ({len(text)} characters)"
        raise DecodeError(
            f"{what} {shown!r} is not a non-negative integer of at most {MAX_DIGITS} ASCII digits",
            path=what,
        )
    return value
