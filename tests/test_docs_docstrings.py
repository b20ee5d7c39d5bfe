"""The examples in the docstrings run: the site's API reference shows them as it shows the pages'.

pytest collects doctests from docs/ and the README (``testpaths``), not from
the package, so each module of ``syncml`` whose docstrings hold examples is
run here, from the repository root as the pages' doctests are.  A property
test shown as an example runs a few examples only: the property itself is
tested in full by the tests of its module.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
from pathlib import Path

import pytest
from hypothesis import settings

import syncml

ROOT = Path(__file__).resolve().parent.parent
_FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    return [test for test in doctest.DocTestFinder().find(module) if test.examples]


def _modules_with_examples() -> list[str]:
    names = ["syncml", *(info.name for info in pkgutil.walk_packages(syncml.__path__, "syncml."))]
    # __main__ runs the command line tool when imported.
    return [name for name in names if not name.endswith(".__main__") and _examples(name)]


MODULES = _modules_with_examples()


def test_the_public_modules_have_examples() -> None:
    for name in ("syncml", "syncml.notification", "syncml.jsonform", "syncml.fuzzing", "syncml.ddf"):
        assert name in MODULES, name


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # examples read tests/examples/... as the pages' doctests do
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=_FLAGS)
    settings.register_profile("docs-before", settings.default)
    settings.register_profile("docs-examples", settings.default, max_examples=5)
    settings.load_profile("docs-examples")
    try:
        for test in _examples(name):
            runner.run(test, out=report.write)
    finally:
        settings.load_profile("docs-before")
    results = runner.summarize(verbose=False)
    assert results.attempted > 0
    assert results.failed == 0, report.getvalue()
