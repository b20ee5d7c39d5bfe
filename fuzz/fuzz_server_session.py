"""Invariant: any sequence of device messages sent to an MDM endpoint built on ``syncml.server.ServerSession``
ends in replies that parse strictly, or in a ``syncml.SyncMLError`` the endpoint answers with its status.

An example for fuzzing your own server: ``invariants.serve`` is a minimal
request handler (one session; a Get queued when the session starts); one
fuzz input holds up to four device messages separated by
``invariants.NEXT_MESSAGE``.  Put your own handler in its place.

Run: ``python fuzz/fuzz_server_session.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

from harness import fuzz, load

check = load("invariants", "check_server_session")

if __name__ == "__main__":
    fuzz(check)
