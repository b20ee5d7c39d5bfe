"""The WBXML token tables cover the grammar, and say which table to extend when they do not."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import pytest

from syncml import _grammar as g
from syncml import _wbxml_tables as t


@dataclass(frozen=True, slots=True, kw_only=True)
class Frobnicate:
    """A model class for an element no code page has."""

    value: str | None = None


def _load_tables_afresh() -> None:
    """Run the tables module's import again, against the grammar as it is now."""
    spec = importlib.util.find_spec("syncml._wbxml_tables")
    assert spec is not None
    assert spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))


def test_every_grammar_element_and_child_has_a_token() -> None:
    for element in g.ELEMENTS.values():
        for child in element.children:
            page, token = t.TOKEN_OF[(element.name, child.name)]
            assert (page == t.METINF_PAGE) is child.metinf
            assert t.NAME_BY_KEY[t.key(page, token)] == child.name
    assert set(t.COMMAND_TOKENS) == set(g.COMMAND_CLASSES)


def test_tag_token_names_the_table_it_lacks() -> None:
    assert t.tag_token("Alert") == 0x06
    assert t.tag_token("Anchor", metinf=True) == 0x05
    with pytest.raises(t.MissingToken, match=r"<Frobnicate> has no WBXML token in SYNCML_TAGS"):
        t.tag_token("Frobnicate")
    with pytest.raises(t.MissingToken, match=r"<Alert> has no WBXML token in METINF_TAGS"):
        t.tag_token("Alert", metinf=True)


@pytest.mark.parametrize(("metinf", "table"), [(False, "SYNCML_TAGS"), (True, "METINF_TAGS")])
def test_a_grammar_child_without_a_token_fails_the_import_naming_the_table(
    monkeypatch: pytest.MonkeyPatch, metinf: bool, table: str
) -> None:
    child = g.Child("Frobnicate", "value", g.Kind.TEXT, g.Occurs.OPT, 0, metinf=metinf)
    monkeypatch.setitem(g.ELEMENTS, Frobnicate, g.Element("Frobnicate", Frobnicate, (child,)))
    with pytest.raises(LookupError, match=f"<Frobnicate> has no WBXML token in {table}") as caught:
        _load_tables_afresh()
    # The fresh module defines its own MissingToken class; a bare KeyError is what this replaces.
    assert type(caught.value).__name__ == "MissingToken"


def test_the_tables_load_afresh_from_the_real_grammar() -> None:
    _load_tables_afresh()  # the reload the failure test relies on works when nothing is missing
