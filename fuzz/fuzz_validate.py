"""Invariant: ``syncml.validate`` accepts exactly the XML that ``syncml.parse(strict=True)`` accepts;
both refuse only with ``syncml.SyncMLError``.

Slower than the others: an invalid but well-formed message runs xmlschema.

Run: ``python fuzz/fuzz_validate.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

# The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

with atheris.instrument_imports(include=["syncml", "invariants"], exclude=UNINSTRUMENTED):
    from invariants import check_validate  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_validate)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
