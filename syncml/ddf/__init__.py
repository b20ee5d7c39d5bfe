"""Device Description Framework: DDF and TNDS trees, a catalog of Windows CSP nodes, and a lint.

:func:`load` reads one DDF (OMA DM_DDF 1.2 with Microsoft's v2 extensions)
or TNDS document into a typed, frozen :class:`MgmtTree`; :class:`Catalog`
holds many and looks up the node a LocURI names; :func:`lint` checks the
commands of a message or profile against the catalog; :func:`write` is the
mirror of :func:`load`, and :func:`tnds_of` / :func:`tnds_item` read and
make the TNDS documents a message carries.

>>> from syncml import ddf
>>> catalog = ddf.Catalog.builtin()
>>> node = catalog.lookup("./Vendor/MSFT/DMClient/Provider/MDM1/Unenroll")
>>> node.path, sorted(node.access), node.format
('./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll', ['Exec', 'Get'], 'null')
"""

from __future__ import annotations

from ._catalog import Catalog, Resolution
from ._lint import Finding, LintOptions, Rule, lint
from ._load import load
from ._model import (
    AdmxBacked,
    AllowedValues,
    Applicability,
    DDFQuirk,
    DDFQuirkKind,
    EnumValue,
    MgmtTree,
    Node,
    RTProperties,
)
from ._tnds import TNDS_TYPE, tnds_item, tnds_of
from ._write import write

__all__ = [
    "AdmxBacked",
    "AllowedValues",
    "Applicability",
    "Catalog",
    "DDFQuirk",
    "DDFQuirkKind",
    "EnumValue",
    "Finding",
    "LintOptions",
    "MgmtTree",
    "Node",
    "RTProperties",
    "Resolution",
    "Rule",
    "TNDS_TYPE",
    "lint",
    "load",
    "tnds_item",
    "tnds_of",
    "write",
]
