"""Invariant: any bytes given to ``syncml.ddf.load`` end in a tree or a ``syncml.SyncMLError``;
an accepted tree ``t`` satisfies ``load(write(t)) == t`` and lints without raising (lenient and strict).

Run: ``python fuzz/fuzz_ddf.py -dict=fuzz/syncml.dict CORPUS_DIR ../shared/ddf`` (the shared DDF
files make good seeds; see fuzz/README.md for the options).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("ddf_invariants", "check_ddf")

if __name__ == "__main__":
    fuzz(check)
