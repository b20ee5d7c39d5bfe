"""Write schemas/syncml11.xsd from schemas/syncml-dm.xsd and schemas/syncml12.xsd.

Usage: ``python scripts/build_syncml11_xsd.py [--check]``.

SyncML 1.1 messages use the 1.2 content models in namespace
``SYNCML:SYNCML1.1`` with VerDTD ``1.1``.  XSD 1.0 can give one file's
declarations a second namespace only by a "chameleon" include (a file without
a target namespace), and code generators such as xsdata map each file to one
namespace and one module, so a chameleon file included from two namespaces
generates classes for one of them only.  The 1.1 schema is therefore a copy:
the content models of ``syncml-dm.xsd`` in the 1.1 namespace, and the
VerDTDValue of ``syncml12.xsd`` with its version changed.  Edit those two
files, then run this script; ``--check`` (and tests/test_schema_values.py)
fail while the committed copy is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

NS_12, NS_11 = "SYNCML:SYNCML1.2", "SYNCML:SYNCML1.1"

INTRO = """\
  SyncML 1.1 as OMA DM uses it (namespace SYNCML:SYNCML1.1): validate messages
  against this file.  Written by scripts/build_syncml11_xsd.py from
  syncml-dm.xsd (the content models) and syncml12.xsd (VerDTDValue): edit
  those and run the script, never this file.  MetInf (syncml:metinf) and the
  value types are imported from metinf.xsd.

  The 1.1 variant uses the 1.2 content models, a superset of 1.1's (1.2 added
  Correlator, SourceParent, TargetParent and FieldLevel, among others),
  because syncml's model and strict parsing do the same for both versions.
  Only the namespace and VerDTD differ.  It is a copy rather than a second
  include of syncml-dm.xsd because a file without a target namespace
  ("chameleon" include) defeats code generators such as xsdata.
"""

_COMMENT = re.compile(r"<!--\n(?P<text>.*?)-->\n", re.DOTALL)
_SCHEMA_TAG = re.compile(r"<xs:schema\b[^>]*>")
_VERDTD = re.compile(r'  <xs:simpleType name="VerDTDValue">.*?</xs:simpleType>\n', re.DOTALL)


def _one(pattern: re.Pattern[str], text: str, where: str) -> re.Match[str]:
    found = list(pattern.finditer(text))
    if len(found) != 1:
        raise SystemExit(f"{where}: expected one match of {pattern.pattern!r}, found {len(found)}")
    return found[0]


def build(schemas: Path = SCHEMAS) -> str:
    """The text of syncml11.xsd for the two source files in *schemas*."""
    dm = (schemas / "syncml-dm.xsd").read_text(encoding="utf-8")
    v12 = (schemas / "syncml12.xsd").read_text(encoding="utf-8")
    comment = _one(_COMMENT, dm, "syncml-dm.xsd")
    # The first paragraph of syncml-dm.xsd's comment says which file it is;
    # the rest (sources, DS elements) holds for the copy too.
    sources = comment["text"].split("\n\n", 1)[1]
    tag = _one(_SCHEMA_TAG, dm, "syncml-dm.xsd")
    if tag[0].count(f'"{NS_12}"') != 2:
        raise SystemExit("syncml-dm.xsd: the schema tag must name SYNCML:SYNCML1.2 as target and default namespace")
    body = dm[tag.end() :].rpartition("</xs:schema>")[0].rstrip("\n")
    verdtd = _one(_VERDTD, v12, "syncml12.xsd")[0]
    verdtd = verdtd.replace("1.2", "1.1").replace("DM/1.1", "DM/1.1.2")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!--\n{INTRO}\n{sources}-->\n"
        f"{tag[0].replace(NS_12, NS_11)}{body}\n\n"
        "  <!-- ===== Version ====================================================== -->\n\n"
        f"{verdtd}\n</xs:schema>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when the committed syncml11.xsd differs")
    args = parser.parse_args(argv)
    output = SCHEMAS / "syncml11.xsd"
    text = build()
    if args.check:
        same = output.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{output} differs from what syncml-dm.xsd and syncml12.xsd build")
        return 0 if same else 1
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
