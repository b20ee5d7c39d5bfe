"""Opt-in repair of the quote typos that documentation samples carry.

Code blocks copied out of web pages and Word-made specifications are often
not XML at all, only because of how their attribute values are quoted:

- MS Learn's unenrollment sample writes ``<SyncML xmlns=&#39;SYNCML:SYNCML1.2&#39;>``:
  the page's HTML escaping of ``'`` leaked into the code block (protocol
  digest, quirk 3);
- the OMA DM 1.2 authentication examples and the Azure AD and DMClient pages
  write ``xmlns=`` followed by right single or double typographic quotes
  (U+2019, U+201D) around ``syncml:metinf`` (quirk 2).

No parser should guess at such input on its own: these are typos of
documents, never of devices, so :func:`syncml.parse` refuses them.  A user
who knows they are feeding a documentation sample (a test, ``syncml-decode``
on a snippet) calls :func:`repair_quotes` first and gets the repaired bytes
plus a list of what was changed.  Only attribute-value delimiters inside
start tags are touched: text, comments and CDATA sections are left as they
are, and the same number of lines is kept so that error positions still
point at the original.

>>> fixed = repair_quotes("<SyncML xmlns=&#39;SYNCML:SYNCML1.2&#39;><Data>“kept”</Data></SyncML>")
>>> fixed.data
b'<SyncML xmlns="SYNCML:SYNCML1.2"><Data>\\xe2\\x80\\x9ckept\\xe2\\x80\\x9d</Data></SyncML>'
>>> for fix in fixed.fixes:
...     print(fix)
line 1: xmlns=&#39;SYNCML:SYNCML1.2&#39; -> xmlns="SYNCML:SYNCML1.2"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import DecodeError

__all__ = ["QuoteFix", "Repaired", "repair_quotes"]

# HTML character references for ' and ", and the typographic quotes that word
# processors substitute for them (single, double, low-9, prime).
_TYPOGRAPHIC = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2032\u2033"
_QUOTE = f"(?:&#39;|&#x27;|&apos;|&#34;|&#x22;|&quot;|[{_TYPOGRAPHIC}])"
# The closing quote may be a plain one when the opening one is not (and it
# ends the attribute): "=" followed by anything but ' or " is never XML, so
# nothing valid changes.
# The look-behind starts a name only where a name can start: without it each
# position inside a long run of name characters would be tried, and fail, in
# turn (time quadratic in the run).
_ATTRIBUTE = re.compile(
    rf"(?<![\w.:-])(?P<name>[A-Za-z_][\w.:-]*)(?P<eq>[ \t\r\n]*=[ \t\r\n]*)"
    rf"(?P<open>{_QUOTE})(?P<value>[^<>\"'&{_TYPOGRAPHIC}]*)(?P<close>{_QUOTE}|[\"'](?=[ \t\r\n/>]))"
)
# Comments and CDATA sections are skipped whole; only start tags are repaired.
_START_TAG = re.compile(r"<[A-Za-z_][^<>]*>")
_SKIPPED = (("<!--", "-->"), ("<![CDATA[", "]]>"))


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteFix:
    """One attribute whose quotes were replaced."""

    line: int
    before: str
    after: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.before} -> {self.after}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Repaired:
    """The repaired document as UTF-8 bytes and every change made."""

    data: bytes
    fixes: tuple[QuoteFix, ...] = ()


def repair_quotes(data: bytes | str) -> Repaired:
    """Replace HTML-escaped and typographic attribute quotes in start tags by ``"``.

    Bytes must be UTF-8 (documentation samples are).  Input without such
    quotes comes back unchanged with no fixes.

    Raises:
        DecodeError: when bytes are not UTF-8.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid UTF-8 ({exc.reason})", offset=exc.start) from None
    else:
        text = data
    fixes: list[QuoteFix] = []
    parts: list[str] = []
    last = 0
    lines = _Lines(text)
    for start, tag in _start_tags(text):
        parts.append(text[last:start])
        parts.append(_repair_tag(tag, lines.at(start), fixes))
        last = start + len(tag)
    parts.append(text[last:])
    return Repaired(data="".join(parts).encode("utf-8"), fixes=tuple(fixes))


class _Lines:
    """Line numbers of increasing offsets, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _start_tags(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each start tag outside comments and CDATA sections, in one pass.

    A comment or section that never closes hides nothing: like any other
    ``<`` that starts no tag, only its ``<`` is passed over.  Each closing
    delimiter is searched for at most once until it is passed, so the scan
    stays linear however many unclosed openings the text holds.
    """
    no_close_after = {opening: -1 for opening, _ in _SKIPPED}
    pos = 0
    while (lt := text.find("<", pos)) >= 0:
        pos = lt + 1
        for opening, closing in _SKIPPED:
            if text.startswith(opening, lt):
                if lt > no_close_after[opening] >= 0:
                    break
                end = text.find(closing, lt + len(opening))
                if end < 0:
                    no_close_after[opening] = lt
                else:
                    pos = end + len(closing)
                break
        else:
            tag = _START_TAG.match(text, lt)
            if tag is not None:
                yield lt, tag.group()
                pos = tag.end()


def _repair_tag(tag: str, line: int, fixes: list[QuoteFix]) -> str:
    lines = _Lines(tag)

    def fix(match: re.Match[str]) -> str:
        after = f'{match["name"]}{match["eq"]}"{match["value"]}"'
        fixes.append(QuoteFix(line=line + lines.at(match.start()) - 1, before=match.group(), after=after))
        return after

    return _ATTRIBUTE.sub(fix, tag)
