"""Invariant: WBXML given to ``syncml.parse`` ends in a model or a ``syncml.SyncMLError``; a returned
model ``m`` satisfies ``parse(serialize(m, wbxml=True)) == m`` and its XML form is stable (Opaque data has
no XML form: it is written as base64, see docs/wbxml.md).

Inputs that are not WBXML (first byte above 0x08) return at once: the XML
harnesses cover them.  Seed with ``python fuzz/seeds.py --wbxml DIR``.

Run: ``python fuzz/fuzz_wbxml.py CORPUS_DIR`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["syncml", "invariants"]):
    from invariants import check_wbxml  # imports syncml, instrumented so coverage guides the search


def main() -> None:
    atheris.Setup(sys.argv, check_wbxml)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
