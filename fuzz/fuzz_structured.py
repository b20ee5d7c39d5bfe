"""Invariant: near-valid messages from ``syncml.fuzzing`` end in a model or a ``syncml.SyncMLError``;
a returned model ``m`` satisfies ``parse(serialize(m)) == m`` (lenient, strict and keep_unknown).

Three mutations in four are structure-aware (``syncml.fuzzing.custom_mutator``:
elements dropped, moved, renamed, edge values ...), the fourth is libFuzzer's own
byte-level mutation, so the search can still leave the grammar.

Run: ``python fuzz/fuzz_structured.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

# The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

with atheris.instrument_imports(include=["syncml", "invariants"], exclude=UNINSTRUMENTED):
    from invariants import check_parse  # imports syncml, instrumented so coverage guides the search

    from syncml.fuzzing import custom_mutator


def mutator(data: bytes, max_size: int, seed: int) -> bytes:
    if seed % 4 == 0:
        return bytes(atheris.Mutate(data, max_size))
    return custom_mutator(data, max_size, seed)


def main() -> None:
    atheris.Setup(sys.argv, check_parse, custom_mutator=mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
