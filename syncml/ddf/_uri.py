"""Node URIs: their shape, their decoding and the scope forms Windows accepts.

OMA DM addresses a node by an absolute URI from the root, ``./A/B/C``
(DM_TND 1.2, 6.2: segments separated by one ``/``, no ``.`` or ``..``
segment, no trailing ``/``).  Windows roots its configuration service
providers at ``./Device/Vendor/MSFT`` and ``./User/Vendor/MSFT``, and treats
the scope-less ``./Vendor/MSFT/X`` as the device form (MS Learn, "Device and
user scope"; the 2019 DDFs use it as their Path).  A segment may be
percent-encoded (a Windows event channel name ``Microsoft-...%2FAdmin`` is one
segment), so segments are compared decoded.

:func:`read_uri` turns a LocURI into a :class:`NodeUri`: its problems (for
lint) and its canonical segments, the scope-less form already mapped to the
device form, so that every later rule sees one spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NodeUri", "canonical_path", "read_uri"]

_WS = " \t\r\n"
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: Roots that Windows documents besides the CSP trees (OMA standard objects).
_MSFT = ("Vendor", "MSFT")


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeUri:
    """A LocURI read for lookup.

    ``segments`` are the decoded segments after ``.``, with the scope-less
    ``Vendor/MSFT`` form mapped to ``Device/Vendor/MSFT`` (``scopeless`` then
    says so).  ``query`` is what followed ``?`` (``list=Struct`` in a Get).
    ``problems`` lists what is wrong with the URI's shape, as sentences.
    """

    uri: str
    segments: tuple[str, ...]
    scopeless: bool = False
    query: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def canonical(self) -> str:
        """The URI as ``./`` plus the (decoded) segments, scope made explicit."""
        return "./" + "/".join(self.segments) if self.segments else "."

    @property
    def scope(self) -> str | None:
        """``Device`` or ``User`` for a CSP URI, None for other roots (``./DevInfo``)."""
        if len(self.segments) >= 3 and self.segments[1:3] == _MSFT and self.segments[0] in ("Device", "User"):
            return self.segments[0]
        return None


def read_uri(uri: str) -> NodeUri:
    """Read *uri* (a LocURI as written) into segments, listing what is wrong with its shape."""
    problems: list[str] = []
    text = uri
    if text != text.strip(_WS):
        problems.append("has whitespace around it")
        text = text.strip(_WS)
    query: str | None = None
    if "?" in text:
        text, query = text.split("?", 1)
    if text in (".", "./"):
        return NodeUri(uri=uri, segments=(), query=query, problems=tuple(problems))
    if text.startswith("./"):
        body = text[2:]
    else:
        problems.append("does not start with ./" + (" (it starts with /)" if text.startswith("/") else ""))
        body = text.lstrip("/")
    raw = body.split("/")
    if body.endswith("/"):
        problems.append("ends with /")
        raw = raw[:-1]
    segments: list[str] = []
    for segment in raw:
        if segment in (".", ".."):
            problems.append(f"has a {segment!r} segment")
            continue
        if not segment:
            problems.append("has an empty segment (//)")
            continue
        segments.append(_decode(segment, problems))
    scopeless = tuple(segments[:2]) == _MSFT
    if scopeless:
        segments.insert(0, "Device")
    return NodeUri(
        uri=uri, segments=tuple(segments), scopeless=scopeless, query=query, problems=tuple(dict.fromkeys(problems))
    )


def _decode(segment: str, problems: list[str]) -> str:
    if "%" not in segment:
        return segment
    if _BAD_PERCENT.search(segment):
        problems.append(f"segment {segment!r} has a % that is not followed by two hex digits")
        return segment
    raw = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), segment)
    # Percent-escapes encode UTF-8 bytes: read the latin-1 mapping back as bytes.
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        if raw.isascii():
            return raw
        problems.append(f"segment {segment!r} does not decode to UTF-8")
        return segment


def canonical_path(parent_path: str | None, name: str) -> tuple[str, ...]:
    """The canonical segments of a DDF root node at *parent_path* named *name*."""
    parent = read_uri(parent_path if parent_path is not None else ".")
    return (*parent.segments, name)
