"""Negative examples for every content model, derived from the grammar tables.

For each element of ``syncml._grammar`` a small message holds it with every
child present; each child is then dropped, duplicated and swapped with its
next sibling, and the grammar says what must happen (a required child cannot
go, a single one cannot repeat, order matters except among MetInf elements
and commands).  Strict parsing and :func:`syncml.validate` must both give
that verdict, so this checks the schemas and the decoder against the tables,
not only against each other.  The same is done for the command choices of
SyncBody, Atomic and Sequence, and for a good and a bad value of every leaf.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

import syncml
from syncml import model as m
from syncml._grammar import BY_NAME, COMMAND_CLASSES, ELEMENTS, Child, Element, Kind
from syncml._strict import TYPE_RULES, value_type

#: A valid value for each XSD value type.
GOOD = {
    "Token": "t",
    "NonEmptyToken": "n",
    "CmdIDValue": "1",
    "Count": "5",
    "Code": "200",
    "Text": " any text ",
    "VerDTDValue": "1.2",
    "VerProtoValue": "DM/1.2",
    "ItemDataType": "data",
}
#: Values the type refuses (strict parsing and the schemas alike).
BAD = {
    "Token": [" t", "t\n"],
    "NonEmptyToken": ["", " n"],
    "CmdIDValue": ["", "0", "000", " 1"],
    "Count": ["", "-5", "+5", "5 ", "five", "\uff15"],
    "Code": ["", "2OO", "+200", "-1", "2 00"],
    "VerDTDValue": ["1.1", "1.3", " 1.2", ""],
    "VerProtoValue": ["OBEX/1.0", " DM/1.2", "dm/1.2", " SyncML/1.2", ""],
}


def _leaf(spec: Element, child: Child) -> Any:
    if child.kind is Kind.FLAG:
        return True
    return GOOD[value_type(spec.name, child)]


def build(cls: type, *, full: bool) -> Any:
    """An instance with every child (*full*) or only the required ones; nodes below are minimal."""
    spec = ELEMENTS[cls]
    values: dict[str, Any] = {}
    for child in spec.children:
        if child.quirk is not None or (not full and not child.occurs.required) or child.field in values:
            continue
        if child.kind is Kind.COMMAND:  # the first command of the choice
            value: Any = build(child.node, full=False)  # type: ignore[arg-type]
        elif child.kind is Kind.NODE:
            value = build(child.node, full=False)  # type: ignore[arg-type]
        else:
            value = _leaf(spec, child)
        values[child.field] = (value,) if child.field in spec.tuple_fields else value
    return cls(**values)


def _hdr() -> m.SyncHdr:
    hdr: m.SyncHdr = build(m.SyncHdr, full=False)
    return hdr


def _message(*commands: m.Command) -> m.SyncML:
    return m.SyncML(header=_hdr(), body=m.SyncBody(commands=commands))


def _in_add(**fields: Any) -> m.SyncML:
    return _message(m.Add(cmd_id="1", items=(m.Item(),), **fields))


def _in_item(**fields: Any) -> m.SyncML:
    return _message(m.Add(cmd_id="1", items=(m.Item(**fields),)))


_TARGET = ("SyncBody", "Add", "Item", "Target")

#: How to put one element into a whole message, and the path to find it there.
CONTEXTS: dict[str, tuple[Callable[[Any], m.SyncML], tuple[str, ...]]] = {
    "SyncML": (lambda e: e, ()),
    "SyncHdr": (lambda e: m.SyncML(header=e, body=m.SyncBody(commands=(build(m.Alert, full=False),))), ("SyncHdr",)),
    "SyncBody": (lambda e: m.SyncML(header=_hdr(), body=e), ("SyncBody",)),
    **{name: (_message, ("SyncBody", name)) for name in COMMAND_CLASSES},
    "Item": (lambda e: _message(m.Add(cmd_id="1", items=(e,))), ("SyncBody", "Add", "Item")),
    "Target": (lambda e: _in_item(target=e), ("SyncBody", "Add", "Item", "Target")),
    "Source": (lambda e: _in_item(source=e), ("SyncBody", "Add", "Item", "Source")),
    "SourceParent": (lambda e: _in_item(source_parent=e), ("SyncBody", "Add", "Item", "SourceParent")),
    "TargetParent": (lambda e: _in_item(target_parent=e), ("SyncBody", "Add", "Item", "TargetParent")),
    "Meta": (lambda e: _in_add(meta=e), ("SyncBody", "Add", "Meta")),
    "Cred": (lambda e: _in_add(cred=e), ("SyncBody", "Add", "Cred")),
    "Chal": (lambda e: _in_status(chal=e), ("SyncBody", "Status", "Chal")),
    "Anchor": (lambda e: _in_add(meta=m.Meta(anchor=e)), ("SyncBody", "Add", "Meta", "Anchor")),
    "Mem": (lambda e: _in_add(meta=m.Meta(mem=e)), ("SyncBody", "Add", "Meta", "Mem")),
    # Data sync: a Target's Filter, and a Map's MapItems.
    "Filter": (lambda e: _in_item(target=m.Target(loc_uri="t", filter=e)), (*_TARGET, "Filter")),
    "Field": (lambda e: _in_item(target=m.Target(loc_uri="t", filter=m.Filter(meta=m.Meta(), field=e))),
              (*_TARGET, "Filter", "Field")),
    "Record": (lambda e: _in_item(target=m.Target(loc_uri="t", filter=m.Filter(meta=m.Meta(), record=e))),
               (*_TARGET, "Filter", "Record")),
    "MapItem": (lambda e: _message(m.Map(cmd_id="1", target=m.Target(loc_uri="t"), source=m.Source(loc_uri="s"),
                                         map_items=(e,))), ("SyncBody", "Map", "MapItem")),
}  # fmt: skip


def _in_status(**fields: Any) -> m.SyncML:
    fields.setdefault("data", "200")
    return _message(m.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", **fields))


def placed(name: str, *, full: bool = True) -> tuple[etree._Element, etree._Element]:
    """The serialized message holding a *full* instance of element *name*, and that element in it."""
    wrap, path = CONTEXTS[name]
    root = etree.fromstring(syncml.serialize(wrap(build(BY_NAME[name].cls, full=full))))
    el = root
    for step in path:
        el = next(kid for kid in el if etree.QName(kid).localname == step)
    return root, el


# --- verdicts ---------------------------------------------------------------------------


def verdicts(data: bytes) -> tuple[bool, bool]:
    """(strict parse accepts, validate accepts)."""
    try:
        syncml.parse(data, strict=True)
        parsed = True
    except syncml.DecodeError:
        parsed = False
    try:
        syncml.validate(data)
        violations: tuple[syncml.Violation, ...] = ()
    except syncml.SchemaError as exc:
        violations = exc.violations or (syncml.Violation(reason="a SchemaError without violations"),)
    assert all(v.path and v.line for v in violations), violations
    return parsed, not violations


def assert_verdict(data: bytes, expected: bool) -> None:
    assert verdicts(data) == (expected, expected), data.decode()


# --- content models ---------------------------------------------------------------------


def _grammar_child(spec: Element, el: etree._Element) -> Child:
    local = etree.QName(el).localname
    found = spec.by_name.get(local)
    if found is None:  # a command inside a choice
        found = next(c for c in spec.children if c.kind is Kind.COMMAND)
    return found


def _cases() -> list[tuple[str, str, int]]:
    cases = []
    for name in CONTEXTS:
        _, el = placed(name)
        for index in range(len(el)):
            for op in ("drop", "duplicate", "swap"):
                if op == "swap" and index == len(el) - 1:
                    continue
                cases.append((name, op, index))
    return cases


def _expected(spec: Element, el: etree._Element, op: str, index: int) -> bool:
    kid = el[index]
    child = _grammar_child(spec, kid)
    if op == "drop":
        same = [k for k in el if _grammar_child(spec, k).field == child.field]
        return not (child.occurs.required and len(same) == 1)
    if op == "duplicate":
        return child.occurs.repeats
    following = el[index + 1]
    other = _grammar_child(spec, following)
    return spec.any_order or child.field == other.field or kid.tag == following.tag


CASES = _cases()


@pytest.mark.parametrize(("name", "op", "index"), CASES, ids=[f"{n}-{op}-{i}" for n, op, i in CASES])
def test_each_child_dropped_duplicated_and_swapped(name: str, op: str, index: int) -> None:
    root, el = placed(name)
    spec = BY_NAME[name]
    expected = _expected(spec, el, op, index)
    kid = el[index]
    if op == "drop":
        el.remove(kid)
    elif op == "duplicate":
        kid.addnext(copy.deepcopy(kid))
    else:
        following = el[index + 1]
        following.addnext(kid)
    assert_verdict(etree.tostring(root), expected)


def test_cases_cover_every_child_of_every_element() -> None:
    covered = {(name, _grammar_child(BY_NAME[name], placed(name)[1][i]).field) for name, op, i in CASES}
    every = {
        (spec.name, c.field)
        for spec in ELEMENTS.values()
        if spec.name in CONTEXTS
        for c in spec.children
        if c.quirk is None
    }
    assert every == covered
    assert set(CONTEXTS) == {spec.name for spec in ELEMENTS.values()}


@pytest.mark.parametrize("name", sorted(CONTEXTS))
@pytest.mark.parametrize("full", [True, False], ids=["every child", "required only"])
def test_every_element_with_every_or_only_required_children_is_valid(name: str, full: bool) -> None:
    root, _ = placed(name, full=full)
    assert_verdict(etree.tostring(root), True)


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_an_unknown_child_is_refused(name: str) -> None:
    root, el = placed(name)
    etree.SubElement(el, etree.QName(etree.QName(el).namespace, "Unknown").text)
    assert_verdict(etree.tostring(root), False)


# --- command choices --------------------------------------------------------------------


def _choice(container: str) -> set[str]:
    return {c.name for c in BY_NAME[container].children if c.kind is Kind.COMMAND}


PLACEMENTS = [
    (container, command) for container in ("SyncBody", "Atomic", "Sequence", "Sync") for command in COMMAND_CLASSES
]


@pytest.mark.parametrize(("container", "command"), PLACEMENTS)
def test_a_command_is_allowed_exactly_where_its_container_lists_it(container: str, command: str) -> None:
    inner = build(COMMAND_CLASSES[command], full=False)
    if container == "SyncBody":
        msg = _message(inner)
    else:
        msg = _message(COMMAND_CLASSES[container](cmd_id="9", commands=(inner,)))
    assert_verdict(syncml.serialize(msg), command in _choice(container))


def test_status_and_results_only_in_syncbody() -> None:
    assert {"Status", "Results"} <= _choice("SyncBody")
    assert not {"Status", "Results"} & (_choice("Atomic") | _choice("Sequence"))


# --- leaf values ------------------------------------------------------------------------


def _leaves() -> list[tuple[str, str]]:
    return [
        (spec.name, c.name)
        for spec in ELEMENTS.values()
        for c in spec.children
        if c.kind in (Kind.TEXT, Kind.RAW) and c.quirk is None and spec.name in CONTEXTS
    ]


LEAVES = _leaves()


def _with_value(parent: str, child: str, value: str) -> bytes:
    root, el = placed(parent)
    leaf = next(kid for kid in el if etree.QName(kid).localname == child)
    leaf.text = value
    return etree.tostring(root)


@pytest.mark.parametrize(("parent", "child"), LEAVES, ids=[f"{p}-{c}" for p, c in LEAVES])
def test_every_leaf_takes_the_values_of_its_type(parent: str, child: str) -> None:
    name = value_type(parent, BY_NAME[parent].by_name[child])
    rule = TYPE_RULES.get(name)
    for value in BAD.get(name, []):
        assert rule is None or rule(value) is not None or name == "VerDTDValue", (name, value)
        assert_verdict(_with_value(parent, child, value), False)
    assert_verdict(_with_value(parent, child, GOOD[name]), True)


def test_codes_are_data_and_keep_their_whitespace() -> None:
    # Status/Data is kept as written: whitespace around the digits is allowed
    # (as xs:nonNegativeInteger collapses it) and Status.code still reads it.
    data = syncml.serialize(_in_status(data=" 200\n"))
    assert_verdict(data, True)
    assert syncml.parse(data, strict=True).body.commands[0].code == syncml.StatusCode.OK  # type: ignore[union-attr]


def test_every_grammar_element_has_a_context() -> None:
    assert set(CONTEXTS) == set(BY_NAME)
