"""MkDocs hooks for the docs site (see mkdocs.yml); standard library only.

The pages' examples are doctests in ```python fences, so that GitHub shows
them as Python and pytest runs them.  On the site they are highlighted as
interactive sessions (``pycon``): prompts and expected output then read as
such instead of as Python with stray ``>>>`` operators.
"""

from __future__ import annotations

import re

_DOCTEST_FENCE = re.compile(r"^(\s*)```python[ \t]*\n(?=\s*>>> )", re.MULTILINE)


def on_page_markdown(markdown: str, **_: object) -> str:
    """Mark every Python fence that opens with a prompt as a console session."""
    return _DOCTEST_FENCE.sub(r"\1```pycon\n", markdown)
