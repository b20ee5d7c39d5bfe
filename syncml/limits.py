"""Resource limits for decoding untrusted input.

Every amount of work and memory a decoder spends grows with what it produces:
elements, attributes and characters of text.  Each of those is charged
against a limit below while decoding, before the memory is spent, so the
cost of any input is linear in its size.  The defaults follow ``max_size``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import SyncMLError

__all__ = ["DEFAULT_LIMITS", "Limits", "LimitsError"]

#: libxml2 refuses deeper documents unless told otherwise; our own walk is
#: recursive, so the depth limit must stay far below Python's recursion limit.
_MAX_DEPTH_CEILING = 256

#: Decoded characters every input may produce whatever its size, so that a
#: tiny WBXML message may still reference its string table a few times.
OUTPUT_FLOOR = 64 * 1024

#: Elements every input may hold whatever its size (on top of one per
#: ``bytes_per_node`` bytes): the header and a few commands of any small
#: message, however tersely written, fit well below it.
NODE_FLOOR = 2048

#: Attributes every input may hold whatever its size (on top of one per
#: ``bytes_per_attribute`` bytes).
ATTRIBUTE_FLOOR = 1024


class LimitsError(SyncMLError, ValueError):
    """A :class:`Limits` value out of range (raised when it is constructed)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds on what a decoder will accept before refusing the input.

    Attributes:
        max_size: largest input in bytes, checked before any parsing
            (default 8 MiB; Windows clients send at most 512 KiB unless a
            large object is streamed).  Text input is measured in UTF-8.
        max_depth: deepest element nesting (default 32; a real message is
            at most about 12 deep, nested Atomic/Sequence included).
        max_nodes: most elements (or WBXML tags, OPAQUE and string tokens)
            in one message (default 100 000: the densest 512 KiB message
            holds about 40 000; each accepted element costs about 400 bytes
            of memory and a few microseconds, see docs/security.md).  Raise
            it with max_size.
        max_attributes: most attributes on one element, namespace
            declarations included (default 32; SyncML defines none, Windows
            writes one on Data).  Reading n attributes costs lxml O(n^2).
        max_total_attributes: most attributes and namespace declarations in
            the whole message (default ``max_size // 128``, 65 536 at 8 MiB:
            each costs lxml a few hundred bytes whatever its length).
        max_output: most decoded characters (text, attribute values, tag
            names) in the whole message (default ``2 * max_size``).
        max_expansion: most decoded characters per input byte, on top of a
            fixed 64 KiB (default 8).  XML never expands; WBXML does through
            its string table, where one two-byte reference stands for a
            whole entry, so this is what keeps a 140 KB message from
            decoding to gigabytes.
        bytes_per_node: the input bytes each element (WBXML: tag or text
            token) must be paid with, on top of a fixed 2 048 elements
            (default 3): an input of n bytes holds at most
            ``min(max_nodes, n // bytes_per_node + 2048)`` elements
            (:meth:`node_budget`).  Each accepted element costs 100 to 300
            bytes of memory whatever its size on the wire, and a WBXML
            element can be one byte: without this, 64 KiB of empty WBXML
            Items decoded to 65 000 objects (+17 MiB).  The densest
            legitimate messages measured take 3.2 bytes per element (a
            WBXML Map whose LUIDs are string-table references; 4.3 written
            inline; Status lists 5.9 to 6.8; XML at least 17).
        bytes_per_attribute: the input bytes each attribute or namespace
            declaration must be paid with, on top of a fixed 1 024 (default
            8): an input of n bytes holds at most
            ``min(max_total_attributes, n // bytes_per_attribute + 1024)``
            (:meth:`attribute_budget`).  A WBXML attribute can be two bytes
            and costs about 150 bytes of memory (32 on each Data would cost
            54 times the input); a real message writes one on some Data
            (``msft:originalerror``, 30 bytes and more) and a few
            declarations.
    """

    max_size: int = 8 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 100_000
    max_attributes: int = 32
    max_total_attributes: int | None = None
    max_output: int | None = None
    max_expansion: int = 8
    bytes_per_node: int = 3
    bytes_per_attribute: int = 8

    def __post_init__(self) -> None:
        _check("max_size", self.max_size, 1)
        _check("max_depth", self.max_depth, 4)
        if self.max_depth > _MAX_DEPTH_CEILING:
            raise LimitsError(f"max_depth must be between 4 and {_MAX_DEPTH_CEILING}, not {self.max_depth}")
        _check("max_nodes", self.max_nodes, 1)
        _check("max_attributes", self.max_attributes, 1)
        _check("max_expansion", self.max_expansion, 1)
        _check("bytes_per_node", self.bytes_per_node, 1)
        _check("bytes_per_attribute", self.bytes_per_attribute, 1)
        if self.max_total_attributes is None:
            object.__setattr__(self, "max_total_attributes", max(self.max_size // 128, self.max_attributes))
        _check("max_total_attributes", self.max_total_attributes, 1)
        if self.max_output is None:
            object.__setattr__(self, "max_output", 2 * self.max_size)
        _check("max_output", self.max_output, 1)

    @property
    def total_attributes(self) -> int:
        """``max_total_attributes`` as resolved on construction."""
        assert self.max_total_attributes is not None
        return self.max_total_attributes

    def output_budget(self, input_size: int) -> int:
        """Decoded characters allowed for an input of ``input_size`` bytes."""
        assert self.max_output is not None
        return min(self.max_output, self.max_expansion * input_size + OUTPUT_FLOOR)

    def node_budget(self, input_size: int) -> int:
        """Elements (WBXML: tags and text tokens) allowed for an input of ``input_size`` bytes."""
        return min(self.max_nodes, input_size // self.bytes_per_node + NODE_FLOOR)

    def attribute_budget(self, input_size: int) -> int:
        """Attributes and namespace declarations allowed in an input of ``input_size`` bytes."""
        return min(self.total_attributes, input_size // self.bytes_per_attribute + ATTRIBUTE_FLOOR)

    def attribute_budget_reason(self, input_size: int) -> str:
        """Why :meth:`attribute_budget` is what it is, for an error message ("" when it is the total)."""
        if self.attribute_budget(input_size) >= self.total_attributes:
            return ""
        return f" (one per {self.bytes_per_attribute} bytes of this {input_size}-byte input, plus {ATTRIBUTE_FLOOR})"

    def node_budget_reason(self, input_size: int) -> str:
        """Why :meth:`node_budget` is what it is, for an error message ("" when it is ``max_nodes``)."""
        if self.node_budget(input_size) >= self.max_nodes:
            return ""
        return f" (one per {self.bytes_per_node} bytes of this {input_size}-byte input, plus {NODE_FLOOR})"


def _check(name: str, value: object, least: int) -> None:
    # bool is an int, and a float such as nan compares false with everything:
    # both would silently disable a limit.
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and math.isnan(value):
            raise TypeError(f"Limits.{name} must be an int, not nan")
        raise TypeError(f"Limits.{name} must be an int, not {type(value).__name__}")
    if value < least:
        raise LimitsError(f"{name} must be at least {least}, not {value}")


DEFAULT_LIMITS = Limits()
