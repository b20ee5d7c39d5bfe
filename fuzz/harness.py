"""What every harness shares: instrumented imports and libFuzzer's loop.

A harness loads its check with :func:`load` (and, when structure-aware, its
mutator with :func:`structured`), then calls :func:`fuzz`::

    from harness import fuzz, load

    check = load("invariants", "check_parse")
    if __name__ == "__main__":
        fuzz(check)

:func:`load` and :func:`structured` import inside ``atheris.instrument_imports``, so syncml and the
invariants report coverage and guide the search; nothing here imports
syncml before that.  The harness's directory is on ``sys.path`` when it runs
as ``python fuzz/fuzz_x.py``, which is how ``invariants`` is found.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import cast

import atheris

#: Instrumented: the code under test and the invariants that call it.
INSTRUMENTED = ["syncml", "invariants", "ddf_invariants"]
#: The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

Check = Callable[[bytes], object]
Mutator = Callable[[bytes, int, int], bytes]


def _instrumented(module: str, name: str) -> object:
    with atheris.instrument_imports(include=INSTRUMENTED, exclude=UNINSTRUMENTED):
        return getattr(importlib.import_module(module), name)


def load(module: str, name: str) -> Check:
    """The check *name* of *module* (``invariants``, ``ddf_invariants``), imported instrumented."""
    return cast(Check, _instrumented(module, name))


def structured(name: str) -> Mutator:
    """Three mutations in four from ``syncml.fuzzing.<name>``, the fourth libFuzzer's own.

    The fourth keeps the search able to leave the grammar.
    """
    custom = cast(Mutator, _instrumented("syncml.fuzzing", name))

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        if seed % 4 == 0:
            return bytes(atheris.Mutate(data, max_size))
        return custom(data, max_size, seed)

    return mutator


def fuzz(check: Check, mutator: Mutator | None = None) -> None:
    """Run libFuzzer on *check* with the command line's options (and *mutator*, if given)."""
    if mutator is None:
        atheris.Setup(sys.argv, check)
    else:
        atheris.Setup(sys.argv, check, custom_mutator=mutator)
    atheris.Fuzz()
