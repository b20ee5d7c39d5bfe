"""Invariant: XML -> model -> WBXML -> model: whatever ``syncml.parse`` accepts as XML,
``serialize(m, wbxml=True)`` carries to the same model, in the same mode (lenient, strict, keep_unknown).

Run: ``python fuzz/fuzz_wbxml_agreement.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

# The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

with atheris.instrument_imports(include=["syncml", "invariants"], exclude=UNINSTRUMENTED):
    from invariants import check_wbxml_agreement  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_wbxml_agreement)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
