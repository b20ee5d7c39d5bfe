"""Invariant: ``syncml.validate`` accepts exactly the XML that ``syncml.parse(strict=True)`` accepts;
both refuse only with ``syncml.SyncMLError``.

Slower than the others: an invalid but well-formed message runs xmlschema.

Run: ``python fuzz/fuzz_validate.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("invariants", "check_validate")

if __name__ == "__main__":
    fuzz(check)
