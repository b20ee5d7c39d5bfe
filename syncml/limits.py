"""Resource limits for decoding untrusted input."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import SyncMLError

__all__ = ["DEFAULT_LIMITS", "Limits"]

#: libxml2 refuses deeper documents unless told otherwise; our own walk is
#: recursive, so the depth limit must stay far below Python's recursion limit.
_MAX_DEPTH_CEILING = 256


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds on what a decoder will accept before refusing the input.

    Attributes:
        max_size: largest input in bytes, checked before any parsing
            (default 8 MiB; Windows clients send at most 512 KiB unless a
            large object is streamed).
        max_depth: deepest element nesting (default 32; a real message is
            at most about 12 deep, nested Atomic/Sequence included).
        max_nodes: most elements (or WBXML tags) in one message, counted
            in the bytes before any tree is built (default 100 000: the
            densest 512 KiB message holds about 40 000; each accepted
            element costs about 400 bytes of memory and a few microseconds,
            see docs/security.md).  Raise it with max_size.
        max_attributes: most attributes on one element (default 32; SyncML
            defines none, Windows writes one on Data).  Reading n
            attributes costs lxml O(n^2).
    """

    max_size: int = 8 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 100_000
    max_attributes: int = 32

    def __post_init__(self) -> None:
        if self.max_size < 1:
            raise SyncMLError(f"max_size must be positive, not {self.max_size}")
        if not 4 <= self.max_depth <= _MAX_DEPTH_CEILING:
            raise SyncMLError(f"max_depth must be between 4 and {_MAX_DEPTH_CEILING}, not {self.max_depth}")
        if self.max_nodes < 1:
            raise SyncMLError(f"max_nodes must be positive, not {self.max_nodes}")
        if self.max_attributes < 1:
            raise SyncMLError(f"max_attributes must be positive, not {self.max_attributes}")


DEFAULT_LIMITS = Limits()
