"""A griffe extension for the API reference: Sphinx roles become links.

The docstrings name other objects the Sphinx way (:class:`Limits`,
:func:`parse`, :mod:`syncml.model`) and mark literal blocks with a trailing
``::``; mkdocstrings reads Markdown.  Before rendering, each role becomes an
optional cross-reference to the object the name resolves to from where the
docstring sits (a name that resolves nowhere, or to an object the site does
not render, stays code without a link: optional references never fail the
strict build); ``::`` becomes ``:`` so that the indented block that
follows renders as code; a doctest paragraph becomes a ``pycon`` fence, so
that Markdown does not read its brackets as links; and a file of docs/ named
as a literal links to that page (the API reference pages sit in
docs/reference/, one level down).

Loaded by mkdocstrings from mkdocs.yml as ``docs/_mkdocs/griffe_roles.py:SphinxRoles``;
it imports nothing from griffe, so the test suite can import this file
without the docs extra.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

_DOCS = Path(__file__).resolve().parent.parent

_ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):`(~?)([\w.]+)(\(\))?`")
_LITERAL_MARKER = re.compile(r"(\S)::[ \t]*$", re.MULTILINE)
_BARE_LITERAL_MARKER = re.compile(r"^([ \t]*)::[ \t]*$", re.MULTILINE)
# A doctest paragraph at the docstring's own margin: prompts, continuations
# and expected output, up to the next blank line.
_DOCTEST = re.compile(r"^>>> .*(?:\n(?!\s*\n).+)*", re.MULTILINE)
_DOCS_FILE = re.compile(r"``docs/([\w.-]+)``")


class SphinxRoles:
    """Rewrite every docstring of the package once it is loaded."""

    def __init__(self, **_: object) -> None:
        pass

    def on_package(self, *, pkg: Any, **_: object) -> None:
        """Visit every object the package defines (aliases are visited where they are defined)."""
        stack = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj.docstring.value, _resolver(obj))
            stack.extend(member for member in obj.members.values() if not member.is_alias)


def _resolver(obj: Any) -> Any:
    def resolve(name: str) -> str | None:
        if name.startswith(obj.package.name + "."):
            return name
        head, dot, rest = name.partition(".")
        try:
            path: str = obj.resolve(head)
        except Exception:  # griffe raises NameResolutionError; an unknown name is no link
            return None
        return path + dot + rest

    return resolve


def rewrite(text: str, resolve: Any) -> str:
    """``text`` with its roles as optional cross-references, ``::`` markers as ``:``, doctests fenced.

    >>> rewrite("See :class:`~a.B`::", lambda name: "pkg." + name)
    'See <autoref identifier="pkg.a.B" optional><code>B</code></autoref>:'
    >>> rewrite("Call :func:`f()`.", lambda name: "pkg." + name)
    'Call <autoref identifier="pkg.f" optional><code>f()</code></autoref>.'
    >>> rewrite("An :mod:`unknown`.", lambda name: None)
    'An `unknown`.'
    >>> rewrite("Text.\\n\\n>>> d['a']\\n1\\n\\nMore.", lambda name: None)
    "Text.\\n\\n```pycon\\n>>> d['a']\\n1\\n```\\n\\nMore."
    >>> rewrite("See ``docs/usage.md`` and ``docs/nowhere.md``.", lambda name: None)
    'See [`docs/usage.md`](../usage.md) and ``docs/nowhere.md``.'
    """

    def link(match: re.Match[str]) -> str:
        short, target, call = match.group(1), match.group(2), match.group(3) or ""
        title = (target.rsplit(".", 1)[-1] if short else target) + call
        identifier = resolve(target)
        if identifier is None:
            return f"`{title}`"
        return f'<autoref identifier="{html.escape(identifier)}" optional><code>{html.escape(title)}</code></autoref>'

    def page(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"[`docs/{name}`](../{name})" if (_DOCS / name).is_file() else match.group(0)

    text = _DOCTEST.sub(lambda match: f"```pycon\n{match.group(0)}\n```", text)
    text = _DOCS_FILE.sub(page, text)
    text = _ROLE.sub(link, text)
    text = _LITERAL_MARKER.sub(r"\1:", text)
    return _BARE_LITERAL_MARKER.sub("", text)
