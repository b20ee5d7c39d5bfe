"""Invariant: any bytes given to ``syncml.parse`` end in a model or a ``syncml.SyncMLError``;
a returned model ``m`` satisfies ``parse(serialize(m)) == m`` (lenient, strict and keep_unknown).

Run: ``python fuzz/fuzz_parse.py -dict=fuzz/syncml.dict CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

# The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

with atheris.instrument_imports(include=["syncml", "invariants"], exclude=UNINSTRUMENTED):
    from invariants import check_parse  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_parse)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
