"""Invariant: ``syncml-decode``'s whole pipeline (``syncml._cli.decode_to_lines``) returns lines of text or
raises ``syncml.SyncMLError``, for any bytes, within the resource bounds (``invariants.check_decode_tool``).

It covers input detection (XML, WBXML, base64 and hex of either, xxd and hexdump dumps, HTTP dumps with
chunked bodies, logs and transcripts with several messages, HTML-escaped blocks, the JSON form), decoding
with the fragment and empty-SyncHdr second tries, what was understood before an error, and the transcript's
matching.  Seed it with the tool's golden inputs as well as the message seeds:

``python fuzz/fuzz_decode_tool.py -dict=fuzz/syncml.dict CORPUS_DIR /tmp/seeds tests/cli_golden/inputs``
(see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("invariants", "check_decode_tool")

if __name__ == "__main__":
    fuzz(check)
