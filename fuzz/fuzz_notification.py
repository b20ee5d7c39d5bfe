"""Invariant: any bytes given to ``syncml.notification.decode`` / ``decode_san`` end in a value or a
``syncml.SyncMLError`` (a wrong digest included); an accepted value encodes back to the same trigger bytes.

Run: ``python fuzz/fuzz_notification.py CORPUS_DIR`` (seeds: ``python fuzz/seeds.py --notification DIR``).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["syncml", "invariants", "notification_invariants"]):
    from notification_invariants import check_notification  # imports syncml, instrumented


def main() -> None:
    atheris.Setup(sys.argv, check_notification)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
