"""Invariant: any bytes given to ``syncml.parse_commands`` end in commands or a ``syncml.SyncMLError``;
returned commands ``c`` satisfy ``parse_commands(serialize_commands(c)) == c`` (lenient, strict and keep_unknown).

Run: ``python fuzz/fuzz_parse_commands.py -dict=fuzz/syncml.dict CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("invariants", "check_parse_commands")

if __name__ == "__main__":
    fuzz(check)
