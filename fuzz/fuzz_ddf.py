"""Invariant: any bytes given to ``syncml.ddf.load`` end in a tree or a ``syncml.SyncMLError``;
an accepted tree ``t`` satisfies ``load(write(t)) == t`` and lints without raising (lenient and strict).

Run: ``python fuzz/fuzz_ddf.py -dict=fuzz/syncml.dict CORPUS_DIR ../shared/ddf`` (the shared DDF
files make good seeds; see fuzz/README.md for the options).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["syncml", "invariants", "ddf_invariants"]):
    from ddf_invariants import check_ddf  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_ddf)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
