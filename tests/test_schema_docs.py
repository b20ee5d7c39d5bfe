"""docs/conformance.md against the code: its tables must list what the code has.

The page is the conformance reference (STYLE.md point 13); these tests keep
its element, value-type, code, quirk, rule and schema-file tables equal to
the grammar, ``syncml/_strict.py``, ``syncml.codes``, ``syncml.QuirkKind``,
``syncml.check``'s rules and ``schemas/``.  Its examples run as doctests.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from syncml import _schema
from syncml._check import Rule
from syncml._grammar import ELEMENTS, Element, Kind, Occurs
from syncml._quirks import QuirkKind
from syncml._strict import value_type
from syncml.codes import AlertCode, StatusCode

PAGE = Path(__file__).resolve().parent.parent / "docs" / "conformance.md"


def table(heading: str) -> list[list[str]]:
    """The rows of the first table under *heading*, cells without backticks."""
    lines = PAGE.read_text().split("\n")
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            cells = [cell.strip().replace("`", "").replace("\\|", "|") for cell in line.strip("|").split(" | ")]
            rows.append(cells)
        elif rows:
            break
    assert len(rows) > 2, heading
    return rows[2:]  # header and separator


_SUFFIX = {Occurs.ONE: "", Occurs.OPT: "?", Occurs.MANY: "*", Occurs.PLUS: "+"}


def content_model(spec: Element) -> str:
    parts: list[str] = []
    commands: list[str] = []
    for child in spec.children:
        if child.quirk is not None:
            continue
        if child.kind is Kind.COMMAND:
            commands.append(child.name)
            if len(commands) == 1:
                parts.append("")
            parts[-1] = "(" + " | ".join(commands) + ")" + _SUFFIX[child.occurs]
        else:
            parts.append(child.name + _SUFFIX[child.occurs])
    model = ", ".join(parts)
    return f"any order: {model}" if spec.any_order else model


def test_the_element_table_is_the_grammar() -> None:
    rows = {row[0]: row[1] for row in table("## Elements and content models")}
    assert rows == {spec.name: content_model(spec) for spec in ELEMENTS.values()}


def test_the_value_type_table_is_the_strict_rules() -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for spec in ELEMENTS.values():
        for child in spec.children:
            if child.kind in (Kind.TEXT, Kind.RAW, Kind.FLAG, Kind.DATA) and child.quirk is None:
                expected[value_type(spec.name, child)].add(f"{spec.name}/{child.name}")
    rows = {row[0]: set(row[2].split(", ")) for row in table("## Value types")}
    assert rows == expected


@pytest.mark.parametrize(("heading", "codes"), [("## Status codes", StatusCode), ("## Alert codes", AlertCode)])
def test_the_code_tables_are_the_enums(heading: str, codes: type[StatusCode] | type[AlertCode]) -> None:
    rows = [tuple(row) for row in table(heading)]
    assert rows == [(str(int(code)), code.name, code.meaning) for code in codes]


def test_every_quirk_is_listed_with_where_it_is_seen() -> None:
    rows = table("## Quirks a lenient parse tolerates")
    assert [row[0] for row in rows] == [kind.value for kind in QuirkKind]
    assert all(row[2] for row in rows)


def test_every_protocol_rule_is_listed() -> None:
    rows = table("## Protocol checks")
    assert [(row[0], row[1]) for row in rows] == [(rule.value, rule.severity.value) for rule in Rule]


def test_every_schema_file_is_listed() -> None:
    rows = table("## The schemas")
    assert {row[0] for row in rows} == {path.name for path in _schema.schema_dir().glob("*.xsd")}
