"""The two public entry points of the DevInf codec: XML or WBXML in, XML or WBXML out."""

from __future__ import annotations

from ..limits import DEFAULT_LIMITS, Limits
from . import _devinf_wbxml, _devinf_xml
from .devinf import DevInf

__all__ = ["parse_devinf", "serialize_devinf"]


def parse_devinf(data: bytes | str, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> DevInf:
    """Read a DevInf document, XML (bytes or text) or WBXML (bytes), into a :class:`DevInf`.

    WBXML is recognised by its first byte (a WBXML version, 0x01 to 0x03).
    Every bad input is a :class:`~syncml.DecodeError` with line and column
    (XML) or byte offset (WBXML) and the element path.  ``strict`` refuses
    what a lenient parse tolerates and lists on :attr:`DevInf.quirks`.
    """
    if isinstance(data, (bytes, bytearray, memoryview)) and bytes(data[:1]) in (b"\x01", b"\x02", b"\x03"):
        return _devinf_wbxml.decode(bytes(data), strict=strict, limits=limits)
    return _devinf_xml.decode(data, strict=strict, limits=limits)


def serialize_devinf(devinf: DevInf, *, wbxml: bool = False) -> bytes:
    """Write *devinf* as XML (UTF-8, no declaration) or as a WBXML 1.3 document.

    A value that cannot be written (a required child missing, text with
    whitespace at either end, an element the version's WBXML table lacks)
    is an :class:`~syncml.EncodeError` naming the element.
    """
    return _devinf_wbxml.encode(devinf) if wbxml else _devinf_xml.encode(devinf)
