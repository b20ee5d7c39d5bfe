"""Invariant: WBXML given to ``syncml.parse`` ends in a model or a ``syncml.SyncMLError``; a returned
model ``m`` satisfies ``parse(serialize(m, wbxml=True)) == m`` and its XML form is stable (Opaque data has
no XML form: it is written as base64, see docs/wbxml.md).

Inputs that are not WBXML (first byte above 0x08) return at once: the XML
harnesses cover them.  Seed with ``python fuzz/seeds.py --wbxml DIR``.

Three mutations in four are structure-aware (``syncml.fuzzing.wbxml_custom_mutator``:
string-table entries grown, STR_T references multiplied, LITERAL tags, OPAQUE
floods, nested documents, nesting, attributes and namespace declarations),
the fourth is libFuzzer's own byte-level mutation.

Run: ``python fuzz/fuzz_wbxml.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load, structured

check = load("invariants", "check_wbxml")
mutator = structured("wbxml_custom_mutator")

if __name__ == "__main__":
    fuzz(check, mutator)
