"""Invariant: XML -> model -> WBXML -> model: whatever ``syncml.parse`` accepts as XML,
``serialize(m, wbxml=True)`` carries to the same model, in the same mode (lenient, strict, keep_unknown).

Run: ``python fuzz/fuzz_wbxml_agreement.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("invariants", "check_wbxml_agreement")

if __name__ == "__main__":
    fuzz(check)
