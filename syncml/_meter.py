"""Counting the work a decode does, for tests and fuzzing invariants.

The decoders charge what they produce and scan (characters, nodes,
attributes) to a per-call budget.  When a :func:`measure` block is active in
the current context, each finished call adds its counts to it, so a test can
prove that the work grows linearly with the input without reading a clock.
Outside such a block the cost is one context-variable lookup per call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Meter", "measure", "record"]


@dataclass(slots=True)
class Meter:
    """Totals over the calls made inside one :func:`measure` block.

    ``work`` counts units of decoder work: characters copied or scanned by
    Python code, plus one per node and attribute.  ``output`` counts the
    decoded characters charged against ``Limits.max_output``.
    """

    work: int = 0
    output: int = 0
    nodes: int = 0
    attributes: int = 0
    calls: int = 0


_active: ContextVar[Meter | None] = ContextVar("syncml_meter", default=None)


@contextmanager
def measure() -> Iterator[Meter]:
    """Collect the decoders' counts for the duration of the block."""
    meter = Meter()
    token = _active.set(meter)
    try:
        yield meter
    finally:
        _active.reset(token)


def record(*, work: int, output: int = 0, nodes: int = 0, attributes: int = 0) -> None:
    """Add one finished call's counts to the active meter, if any."""
    meter = _active.get()
    if meter is not None:
        meter.work += work
        meter.output += output
        meter.nodes += nodes
        meter.attributes += attributes
        meter.calls += 1
