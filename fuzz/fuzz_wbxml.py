"""Invariant: WBXML given to ``syncml.parse`` ends in a model or a ``syncml.SyncMLError``; a returned
model ``m`` satisfies ``parse(serialize(m, wbxml=True)) == m`` and its XML form is stable (Opaque data has
no XML form: it is written as base64, see docs/wbxml.md).

Inputs that are not WBXML (first byte above 0x08) return at once: the XML
harnesses cover them.  Seed with ``python fuzz/seeds.py --wbxml DIR``.

Three mutations in four are structure-aware (``syncml.fuzzing.wbxml_custom_mutator``:
string-table entries grown, STR_T references multiplied, LITERAL tags, OPAQUE
floods, nested documents, nesting, attributes and namespace declarations),
the fourth is libFuzzer's own byte-level mutation.

Run: ``python fuzz/fuzz_wbxml.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

# The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

with atheris.instrument_imports(include=["syncml", "invariants"], exclude=UNINSTRUMENTED):
    from invariants import check_wbxml  # imports syncml, instrumented so coverage guides the search

    from syncml.fuzzing import wbxml_custom_mutator


def mutator(data: bytes, max_size: int, seed: int) -> bytes:
    if seed % 4 == 0:
        return bytes(atheris.Mutate(data, max_size))
    return wbxml_custom_mutator(data, max_size, seed)


def main() -> None:
    atheris.Setup(sys.argv, check_wbxml, custom_mutator=mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
