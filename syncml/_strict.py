"""Value rules that strict parsing applies on top of the content models.

The DTDs type every leaf as #PCDATA; our XSDs say more, in the value types of
``schemas/syncml-values.xsd`` (a CmdID is never empty or zero, codes and sizes
are digits, a Token has no whitespace at either end).  Strict parsing must
accept exactly what the schemas accept, so each of those types has a rule
here under the same name, and :func:`value_type` names the type of every leaf
the way the XSDs declare it.  ``tests/test_schema_values.py`` holds both
against the XSD files.

A rule returns None when the value is fine, or what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._grammar import BY_NAME, COMMAND_CLASSES, Child, Kind

_WS = " \t\r\n"  # XML's whitespace, and XSD's \s

Rule = Callable[[str], "str | None"]


def _token(value: str) -> str | None:
    if value and (value[0] in _WS or value[-1] in _WS):
        return "has whitespace at either end"
    return None


def _non_empty_token(value: str) -> str | None:
    return "must not be empty" if not value else _token(value)


def _cmd_id(value: str) -> str | None:
    problem = _non_empty_token(value)
    if problem is None and not value.strip("0"):
        return "must not be 0 (CmdRef 0 means the SyncHdr)"
    return problem


#: The XSDs' ``[0-9]+``: ASCII digits only (``str.isdigit`` also takes ``²``).
_DIGITS = re.compile("[0-9]+")


def _digits(value: str) -> bool:
    return _DIGITS.fullmatch(value) is not None


def _count(value: str) -> str | None:
    # A Token leaf: the whitespace check comes first, as the decoder's does.
    return _token(value) or (None if _digits(value) else "must be a number of bytes (digits only)")


def _code(value: str) -> str | None:
    # Data is kept as written; like xs:nonNegativeInteger, whitespace around
    # the digits is not part of the value.
    return None if _digits(value.strip(_WS)) else "must be a code (digits only)"


#: VerProto prefixes: OMA DM (``DM/1.2``) and SyncML DS (``SyncML/1.2``).
PROTOCOLS = ("DM/", "SyncML/")


def supported_protocol(ver_proto: str) -> bool:
    """Whether *ver_proto* names OMA DM or SyncML DS."""
    return ver_proto.startswith(PROTOCOLS)


def _ver_proto(value: str) -> str | None:
    problem = "is not an OMA DM or SyncML DS protocol (DM/... or SyncML/...)"
    return _token(value) or (None if supported_protocol(value) else problem)


#: The rule of each XSD value type, by the type's name in syncml-values.xsd.
#: ``Text`` (anything) and the version-dependent ``VerDTDValue`` have none.
TYPE_RULES: dict[str, Rule] = {
    "Token": _token,
    "NonEmptyToken": _non_empty_token,
    "CmdIDValue": _cmd_id,
    "Count": _count,
    "Code": _code,
    "VerProtoValue": _ver_proto,
}

_NON_EMPTY = {
    ("SyncHdr", "SessionID"),
    ("SyncHdr", "MsgID"),
    ("Status", "MsgRef"),
    ("Status", "CmdRef"),
    ("Status", "Cmd"),
    ("Status", "TargetRef"),
    ("Status", "SourceRef"),
    ("Results", "MsgRef"),
    ("Results", "CmdRef"),
    ("Results", "TargetRef"),
    ("Results", "SourceRef"),
    *((parent, "LocURI") for parent in ("Target", "Source", "SourceParent", "TargetParent")),
}

#: Leaves whose type is not the default for their kind (see :func:`value_type`).
LEAF_TYPES: dict[tuple[str, str], str] = {
    **{(cmd, "CmdID"): "CmdIDValue" for cmd in COMMAND_CLASSES},
    **dict.fromkeys(_NON_EMPTY, "NonEmptyToken"),
    ("Status", "Data"): "Code",
    ("Alert", "Data"): "Code",
    ("Meta", "Size"): "Count",
    ("Meta", "MaxMsgSize"): "Count",
    ("Meta", "MaxObjSize"): "Count",
    ("Sync", "NumberOfChanges"): "Count",
    ("Meta", "FieldLevel"): "EmptyValue",  # EMPTY, counted by an identity constraint
    ("SyncHdr", "VerDTD"): "VerDTDValue",
    ("SyncHdr", "VerProto"): "VerProtoValue",
}

_DEFAULT_TYPES = {Kind.TEXT: "Token", Kind.RAW: "Text", Kind.FLAG: "Empty", Kind.DATA: "ItemDataType"}


def value_type(parent: str, child: Child) -> str:
    """The XSD type the schemas give *child* (a leaf) inside *parent*."""
    return LEAF_TYPES.get((parent, child.name)) or _DEFAULT_TYPES[child.kind]


# The decoder answers a wrong VerDTD with 505 and a wrong VerProto with 513
# once the header is read, so their rules do not run during the walk.
_CHECKED_AFTER_THE_WALK = frozenset({"VerDTDValue", "VerProtoValue"})

#: What the decoder applies to each leaf value when strict, by (parent, child).
#: Token-ness itself is checked by the decoder before any rule, so plain
#: Token leaves need no entry.
STRICT_RULES: dict[tuple[str, str], Rule] = {
    key: TYPE_RULES[name]
    for key, name in LEAF_TYPES.items()
    if name in TYPE_RULES and name not in _CHECKED_AFTER_THE_WALK
}


def value_problem(parent: str, child: str, value: str) -> str | None:
    """What strict parsing finds wrong with *value* in ``parent/child``, if anything.

    Used to word schema violations the way a strict parse words them.
    """
    element = BY_NAME.get(parent)
    spec = element.by_name.get(child) if element is not None else None
    if spec is None or spec.kind not in _DEFAULT_TYPES:
        return None
    rule = TYPE_RULES.get(value_type(parent, spec))
    return rule(value) if rule is not None else None
