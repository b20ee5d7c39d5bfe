"""Invariant: any bytes given to ``syncml.parse`` end in a model or a ``syncml.SyncMLError``;
a returned model ``m`` satisfies ``parse(serialize(m)) == m`` (lenient, strict and keep_unknown).

Run: ``python fuzz/fuzz_parse.py -dict=fuzz/syncml.dict CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("invariants", "check_parse")

if __name__ == "__main__":
    fuzz(check)
