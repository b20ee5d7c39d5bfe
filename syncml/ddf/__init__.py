"""Device Description Framework: DDF and TNDS trees, a catalog of Windows CSP nodes, and a lint.

:func:`load` reads one DDF (OMA DM_DDF 1.2 with Microsoft's v2 extensions)
or TNDS document into a typed, frozen :class:`MgmtTree`; :class:`Catalog`
holds many and looks up the node a LocURI names; :func:`lint` checks the
commands of a message or profile against the catalog.
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
    "lint",
    "load",
]
