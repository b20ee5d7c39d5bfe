"""Invariant: near-valid messages from ``syncml.fuzzing`` end in a model or a ``syncml.SyncMLError``;
a returned model ``m`` satisfies ``parse(serialize(m)) == m`` (lenient, strict and keep_unknown).

Three mutations in four are structure-aware (``syncml.fuzzing.custom_mutator``:
elements dropped, moved, renamed, edge values ...), the fourth is libFuzzer's own
byte-level mutation, so the search can still leave the grammar.

Run: ``python fuzz/fuzz_structured.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load, structured

check = load("invariants", "check_parse")
mutator = structured("custom_mutator")

if __name__ == "__main__":
    fuzz(check, mutator)
