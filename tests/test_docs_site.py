"""The docs site holds together without building it (CI builds it with ``mkdocs build --strict``).

- every page under docs/ is in mkdocs.yml's nav, and every nav entry is a page;
- every object the API reference names (``::: syncml.x``) exists, so a rename
  fails here, in the test suite, and not only in CI's docs build;
- every Python example on the pages and in the README runs: doctest blocks
  through pytest's ``--doctest-glob``, any other Python block here;
- the two build-time helpers in docs/_mkdocs do what the site relies on.

None of it needs the ``docs`` extra.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = (ROOT / "mkdocs.yml").read_text()
PAGES_WITH_EXAMPLES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]

_NAV_ENTRY = re.compile(r"^\s*- (?:[^:\n]+: )?(\S+\.md)\s*$", re.MULTILINE)
_REFERENCE = re.compile(r"^::: (\S+)", re.MULTILINE)
_PYTHON_FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _nav() -> list[str]:
    nav = CONFIG.split("\nnav:\n", 1)[1]
    return _NAV_ENTRY.findall(nav)


def _pages() -> set[str]:
    return {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md") if "_mkdocs" not in path.parts}


def _load(name: str) -> ModuleType:
    """A helper from docs/_mkdocs, which is not a package."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / "_mkdocs" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- navigation --------------------------------------------------------------


def test_every_page_is_in_the_nav_once() -> None:
    nav = _nav()
    assert len(nav) == len(set(nav)), "a page is listed twice"
    assert set(nav) == _pages()


def test_the_site_has_the_pages_the_docs_promise() -> None:
    for page in (
        "index.md",
        "usage.md",
        "model.md",
        "server-howto.md",
        "wbxml.md",
        "cli.md",
        "conformance.md",
        "security.md",
        "performance.md",
        "changelog.md",
        "ds.md",
        "ddf.md",
        "notifications.md",
    ):
        assert page in _nav(), page


def test_the_changelog_page_includes_the_repositorys_changelog() -> None:
    page = (DOCS / "changelog.md").read_text()
    assert '--8<-- "CHANGELOG.md"' in page
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "Keep a Changelog" in changelog
    assert "## [Unreleased]" in changelog


# --- the API reference -------------------------------------------------------


def _references() -> list[str]:
    return sorted({name for path in (DOCS / "reference").glob("*.md") for name in _REFERENCE.findall(path.read_text())})


def _resolve(dotted: str) -> object:
    """The object ``dotted`` names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def test_the_reference_covers_the_public_packages() -> None:
    names = _references()
    for package in (
        "syncml.model",
        "syncml.server",
        "syncml.ds",
        "syncml.ddf",
        "syncml.notification",
        "syncml.strategies",
        "syncml.fuzzing",
        "syncml.jsonform",
        "syncml.errors",
        "syncml.limits",
    ):
        assert package in names, package
    assert "syncml.parse" in names


def test_every_top_level_name_is_in_the_reference() -> None:
    """``syncml`` is not rendered whole: each name is shown on its own or by a module that exports it."""
    import syncml

    names = _references()
    modules = [found for found in map(_resolve, names) if isinstance(found, ModuleType) and found is not syncml]
    missing = [
        name
        for name in syncml.__all__
        if f"syncml.{name}" not in names
        and not any(
            getattr(module, name, None) is getattr(syncml, name)
            for module in modules
            if name in getattr(module, "__all__", ())
        )
    ]
    assert not missing, f"add to docs/reference/: {missing}"


@pytest.mark.parametrize("name", _references())
def test_every_reference_names_an_object(name: str) -> None:
    assert _resolve(name) is not None


@pytest.mark.parametrize("name", [name for name in _references() if name.count(".") == 1])
def test_top_level_references_are_public(name: str) -> None:
    package, attribute = name.split(".")
    module = importlib.import_module(package)
    if not isinstance(getattr(module, attribute), ModuleType):
        assert attribute in module.__all__, f"the reference shows {name}, which syncml does not export"


# --- examples ----------------------------------------------------------------


def test_pytest_collects_the_doctests_of_the_pages() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-glob=*.md" in options["addopts"]
    assert {"docs", "README.md"} <= set(options["testpaths"])


def _fences() -> list[tuple[str, str]]:
    return [
        (f"{path.name}:{path.read_text()[: match.start()].count(chr(10)) + 1}", match.group(1))
        for path in PAGES_WITH_EXAMPLES
        for match in _PYTHON_FENCE.finditer(path.read_text())
    ]


def test_the_pages_have_python_examples() -> None:
    fenced = {where.split(":")[0] for where, _ in _fences()}
    assert {"README.md", "index.md", "usage.md", "model.md"} <= fenced


def _lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


@pytest.mark.parametrize(("where", "code"), _fences(), ids=[where for where, _ in _fences()])
def test_every_python_example_runs(where: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = doctest.DocTestParser().get_examples(code)
    if code.lstrip().startswith(">>>"):
        # A doctest: pytest runs it through --doctest-glob; it must be one
        # whole doctest, so that no line of it is shown but never run.
        source = "".join(example.source + example.want for example in examples)
        assert _lines(source) == _lines(code), f"{where}: text outside the doctest"
        return
    assert not examples, f"{where}: a block that mixes code and >>> prompts"
    monkeypatch.chdir(ROOT)  # the examples read tests/examples/... as the doctests do
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})


# --- the build helpers -------------------------------------------------------


def test_doctest_fences_render_as_console_sessions() -> None:
    hooks = _load("hooks")
    page = "Text\n\n```python\n>>> 1 + 1\n2\n\n```\n\n```python\nx = 1\n```\n"
    out = hooks.on_page_markdown(page)
    assert "```pycon\n>>> 1 + 1" in out
    assert "```python\nx = 1" in out


def test_sphinx_roles_become_optional_links() -> None:
    roles = _load("griffe_roles")
    text = "Returns :class:`~syncml.model.SyncML`; see :func:`parse` and :mod:`nowhere`."
    known = {"syncml.model.SyncML": "syncml.model.SyncML", "parse": "syncml.parse"}
    out = roles.rewrite(text, known.get)
    assert '<autoref identifier="syncml.model.SyncML" optional><code>SyncML</code></autoref>' in out
    assert '<autoref identifier="syncml.parse" optional><code>parse</code></autoref>' in out
    assert "`nowhere`" in out
    assert ":class:" not in out


def test_literal_block_markers_and_doctests_become_markdown() -> None:
    roles = _load("griffe_roles")
    text = "Layout::\n\n    a  1\n\n::\n\n    b\n\n>>> d['x']\n1\n\nAfter."
    out = roles.rewrite(text, lambda name: None)
    assert "Layout:\n\n    a  1" in out
    assert "::" not in out
    assert "```pycon\n>>> d['x']\n1\n```\n\nAfter." in out


def test_roles_resolve_from_where_the_docstring_sits() -> None:
    roles = _load("griffe_roles")

    class Scope:  # the part of a griffe object the resolver uses
        package = type("Package", (), {"name": "syncml"})

        def resolve(self, name: str) -> str:
            if name == "Limits":
                return "syncml.limits.Limits"
            raise LookupError(name)

    resolve = roles._resolver(Scope())
    assert resolve("Limits.max_size") == "syncml.limits.Limits.max_size"
    assert resolve("syncml.model") == "syncml.model"
    assert resolve("Unheard") is None
