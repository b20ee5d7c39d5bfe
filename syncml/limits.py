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
        max_nodes: most elements (or WBXML tags) in one message.
    """

    max_size: int = 8 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 1_000_000

    def __post_init__(self) -> None:
        if self.max_size < 1:
            raise SyncMLError(f"max_size must be positive, not {self.max_size}")
        if not 4 <= self.max_depth <= _MAX_DEPTH_CEILING:
            raise SyncMLError(f"max_depth must be between 4 and {_MAX_DEPTH_CEILING}, not {self.max_depth}")
        if self.max_nodes < 1:
            raise SyncMLError(f"max_nodes must be positive, not {self.max_nodes}")


DEFAULT_LIMITS = Limits()
