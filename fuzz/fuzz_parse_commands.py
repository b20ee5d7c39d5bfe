"""Invariant: any bytes given to ``syncml.parse_commands`` end in commands or a ``syncml.SyncMLError``;
returned commands ``c`` satisfy ``parse_commands(serialize_commands(c)) == c`` (lenient, strict and keep_unknown).

Run: ``python fuzz/fuzz_parse_commands.py -dict=fuzz/syncml.dict CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

# The mutators and the invariants' size walker: their branches are not the target's.
UNINSTRUMENTED = ["syncml.fuzzing", "syncml._wbxml_mutate"]

with atheris.instrument_imports(include=["syncml", "invariants"], exclude=UNINSTRUMENTED):
    from invariants import check_parse_commands  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_parse_commands)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
