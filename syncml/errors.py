"""The exceptions syncml raises.

Every error has one root, :class:`SyncMLError`, so a server can wrap a whole
request in one ``except``.  Decode errors say *where* (line and column for XML,
byte offset for WBXML, and the element path) and *what to answer*: the SyncML
status code a server should put in its reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DecodeError", "EncodeError", "SchemaError", "SyncMLError", "Violation"]


class SyncMLError(Exception):
    """Root of every exception this library raises on purpose."""


class DecodeError(SyncMLError, ValueError):
    """Input bytes (or text) that are not an acceptable SyncML message.

    Attributes:
        reason: what is wrong, without the position.
        line, column: 1-based position in the XML text, when known.
        offset: 0-based byte offset, when known (WBXML, bad encodings).
        path: element path such as ``SyncML/SyncBody/Add[2]/Item[1]/Meta/Type``.
        status: the SyncML status code a server should answer with
            (400 malformed, 413 too large, 415 unsupported media type,
            505 unsupported DTD version, 513 unsupported protocol version).
    """

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
        path: str | None = None,
        status: int = 400,
    ) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
        self.status = status
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = []
        if self.path:
            where.append(f"at {self.path}")
        if self.line is not None:
            pos = f"line {self.line}"
            if self.column is not None:
                pos += f", column {self.column}"
            where.append(f"({pos})")
        elif self.offset is not None:
            where.append(f"(byte {self.offset})")
        if not where:
            return self.reason
        return f"{self.reason} - {' '.join(where)}"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments need help to survive pickling (multiprocessing).
        return (_rebuild_decode_error, (type(self), self.reason, self.__dict__))


def _rebuild_decode_error(cls: type[DecodeError], reason: str, state: dict[str, object]) -> DecodeError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, err._describe())
    err.reason = reason
    return err


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One way a document breaks the schemas: what, and where.

    ``path`` is an element path such as ``SyncML/SyncBody/Add[2]/CmdID``
    (empty when the whole document is at fault); ``line`` and ``column`` are
    1-based positions in the caller's input, when known.
    """

    reason: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f" - at {self.path}" if self.path else ""
        if self.line is not None:
            where += f" (line {self.line}" + (f", column {self.column})" if self.column is not None else ")")
        return self.reason + where


class SchemaError(DecodeError):
    """A document that the syncml XSDs refuse, with every violation found.

    Raised by :func:`syncml.validate`.  ``violations`` lists each one in
    document order; the error's own ``reason``, ``path``, ``line`` and
    ``column`` are those of the first, so a caller that only catches
    :class:`DecodeError` still learns where the document first goes wrong.
    """

    def __init__(self, violations: Iterable[Violation], *, status: int = 400) -> None:
        self.violations = tuple(violations) or (Violation(reason="the document is not valid"),)
        first = self.violations[0]
        more = len(self.violations) - 1
        reason = first.reason + (f" (and {more} more violation{'s' if more > 1 else ''})" if more else "")
        super().__init__(reason, line=first.line, column=first.column, path=first.path or None, status=status)


class EncodeError(SyncMLError, ValueError):
    """A model that cannot be written as a valid message.

    ``path`` names the offending element, e.g. ``SyncBody/Exec[1]``.
    """

    def __init__(self, reason: str, *, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{reason} - at {path}" if path else reason)
