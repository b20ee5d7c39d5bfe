"""Invariant: ``syncml-decode``'s input detection (``syncml._cli.decode_to_lines``: a whole message,
else a fragment) returns lines of text or raises ``syncml.SyncMLError``, for any bytes.

Run: ``python fuzz/fuzz_decode_tool.py -dict=fuzz/syncml.dict CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["syncml", "invariants"]):
    from invariants import check_decode_tool  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_decode_tool)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
