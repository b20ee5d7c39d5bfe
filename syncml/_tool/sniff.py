"""Finding the SyncML messages in what a person holds, without being told its form.

The input may be one message (XML, WBXML, the JSON form), that message as
base64 (standard or URL-safe, wrapped or not) or hex (plain, spaced, an
``xxd`` or ``hexdump -C`` dump), an HTTP request or response dump, or a log
or report with several messages among other text: ``<SyncML>`` blocks,
HTML-escaped ones (``&lt;SyncML``, as HTML reports show XML), ``SyncBody``
or bare-command fragments and base64 blobs of any of these.

Every step moves forward through the input: each search starts where the
last one stopped, and the search for a closing tag remembers its answer
(``_Closer``), so an input of n bytes is scanned O(n) times in all whatever
it holds (10 MB of ``<SyncML`` without an end included).  The regular
expressions have no nested quantifiers.  ``work`` counts the bytes scanned,
for the scaling tests.
"""

from __future__ import annotations

import binascii
import dataclasses
import html
import re
from dataclasses import dataclass, field
from enum import StrEnum

from .._meter import record
from .._numbers import uint_or_none
from ..errors import DecodeError
from ..limits import Limits

__all__ = ["INPUT_FACTOR", "Found", "Kind", "Scan", "find_messages", "fragment_root"]

#: Unwrapping nests at most this deep (base64 of hex of an HTTP body ...).
_MAX_DEPTH = 3
#: A whole input may hold many messages: it may be this many times max_size.
INPUT_FACTOR = 4
_HEADER_BYTES = 64 * 1024
#: Unwrapping steps after which line numbers no longer are those of the input.
_ENCODINGS = frozenset({"base64", "base64url", "hex", "hex dump (xxd)", "hex dump (hexdump -C)"})
_WS = b" \t\r\n"
_COMMANDS = (b"Add", b"Alert", b"Atomic", b"Copy", b"Delete", b"Exec", b"Get", b"Replace", b"Results", b"Sequence")
_COMMANDS_STATUS = (*_COMMANDS, b"Status")

# One alternation, no nested quantifier: a start tag of interest, an
# HTML-escaped SyncML start tag, or a run of base64 characters long enough to
# hold a message (40 characters are 30 bytes, less than any SyncML message).
_MARK = re.compile(
    rb"<(SyncML|SyncBody|" + b"|".join(_COMMANDS_STATUS) + rb")(?=[\s>/])"
    rb"|&lt;SyncML(?=[\s&])"
    rb"|[A-Za-z0-9+/_-]{40,}={0,2}"
)
_COMMAND_START = re.compile(rb"[ \t\r\n]*<(" + b"|".join(_COMMANDS_STATUS) + rb")(?=[\s>/])")
# A wrapped base64 line that continues a blob: only base64 up to its end of line.
_B64_LINE = re.compile(rb"\r?\n[ \t]*([A-Za-z0-9+/_-]+={0,2})[ \t]*(?=\r?\n|$)")
_B64_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=")
_HEX_CHARS = frozenset(b"0123456789abcdefABCDEF")
_HTTP_START = re.compile(rb"(?:(GET|POST|PUT) [^\s]+ HTTP/\d(?:\.\d)?|HTTP/\d(?:\.\d)? \d\d\d[^\r\n]*)\r?\n")
_HTTP_NEXT = re.compile(rb"\n(?=(?:GET|POST|PUT) [^\s]+ HTTP/\d|HTTP/\d(?:\.\d)? \d\d\d)")
# xxd: "00000010: 0203 6a00 ...  ..j." ; hexdump -C: "00000010  02 03 6a 00 ...  |..j.|"
_XXD_LINE = re.compile(rb"[0-9a-fA-F]{4,16}: ")
_HEXDUMP_LINE = re.compile(rb"[0-9a-fA-F]{4,16}  [0-9a-fA-F]{2} ")
_ROOT = re.compile(rb"(?:<\?xml[^>]*>)?[ \t\r\n]*<(SyncML|SyncBody|" + b"|".join(_COMMANDS_STATUS) + rb")(?=[\s>/])")


class Kind(StrEnum):
    """What the decoder should try first."""

    MESSAGE = "message"  # a whole document: parse(), else parse_commands()
    FRAGMENT = "fragment"  # SyncBody or bare commands: parse_commands()
    JSON = "json"  # the syncml JSON form
    PROBLEM = "problem"  # something that looked like a message but cannot be one


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """One message (or fragment) found, the bytes the codec gets, and where it was."""

    data: bytes
    where: str
    how: tuple[str, ...] = ()
    kind: Kind = Kind.MESSAGE
    problem: str = ""
    #: The input line of the first byte of ``data``, when lines inside it are
    #: lines of the input (not for base64 or hex): errors are shifted by it.
    line: int | None = None


@dataclass(slots=True)
class Scan:
    """Everything found in one input, in input order, and notes on how it was read."""

    found: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    work: int = 0


def find_messages(data: bytes, name: str, *, limits: Limits) -> Scan:
    """The messages in *data* (the whole content of file *name*).

    Raises:
        DecodeError: when the input is larger than ``INPUT_FACTOR * max_size``
            or is UTF-16 that does not decode.
    """
    most = INPUT_FACTOR * limits.max_size
    if len(data) > most:
        raise DecodeError(f"input of {len(data)} bytes is over the limit of {most} (4 x Limits.max_size)", status=413)
    scanner = _Scanner(name, limits)
    data = scanner.text(data)
    scanner.unwrap(data, how=(), depth=0, line=1, where=name)
    if not scanner.scan.found:
        head = data.lstrip(_WS)[:1]
        if head and head != b"<" and head[0] > 8:  # text, and no markup: say so rather than "malformed XML"
            problem = "no SyncML here: no <SyncML>, SyncBody or command, nor base64, hex or an HTTP body of one"
            scanner.scan.found.append(Found(data=data[:200], where=name, kind=Kind.PROBLEM, problem=problem))
        else:
            scanner.scan.found.append(Found(data=data, where=name, kind=Kind.MESSAGE))
    record(work=scanner.scan.work)
    return scanner.scan


class _Lines:
    """Line numbers of increasing offsets, counted once over the input."""

    def __init__(self, data: bytes, first: int) -> None:
        self.data, self.pos, self.line = data, 0, first

    def at(self, offset: int) -> int:
        if offset > self.pos:
            self.line += self.data.count(b"\n", self.pos, offset)
            self.pos = offset
        return self.line


class _Closer:
    """Where each closing tag next occurs, remembered: every byte is searched once per tag."""

    def __init__(self, data: bytes, scan: Scan) -> None:
        self.data, self.scan = data, scan
        self.next: dict[bytes, int] = {}

    def find(self, tag: bytes, start: int) -> int:
        known = self.next.get(tag)
        if known is not None and (known == -1 or known >= start):
            return known  # none at all after an earlier start, or the first one after it
        found = self.data.find(tag, start)
        self.scan.work += (len(self.data) if found < 0 else found) - start
        self.next[tag] = found
        return found


class _Scanner:
    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.scan = Scan()
        self.unterminated = 0

    # --- text encodings ------------------------------------------------------

    def text(self, data: bytes) -> bytes:
        """UTF-8 bytes of the input: a UTF-8 BOM removed, UTF-16 decoded (both noted)."""
        if data.startswith(b"\xef\xbb\xbf"):
            self.scan.notes.append("a UTF-8 byte order mark was removed")
            return data[3:]
        codec = None
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            codec = "utf-16"
        elif data[:2] == b"<\x00":
            codec = "utf-16-le"
        elif data[:2] == b"\x00<":
            codec = "utf-16-be"
        if codec is None:
            return data
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"input looks like UTF-16 but is not: {exc.reason}", offset=exc.start) from None
        self.scan.work += len(data)
        order = "big" if data[:2] in (b"\xfe\xff", b"\x00<") else "little"
        self.scan.notes.append(f"read as UTF-16 ({order}-endian)")
        return text.encode("utf-8", "surrogatepass")

    # --- one piece of input --------------------------------------------------

    def unwrap(self, data: bytes, *, how: tuple[str, ...], depth: int, line: int, where: str) -> None:
        """Find the messages in *data*, which starts at *line* of the input and is labelled *where*."""
        start = len(data) - len(data.lstrip(_WS))
        head = data[start : start + 64]
        self.scan.work += start
        if not head:
            return
        if head[0] <= 0x08 and head[:2] not in (b"\x00<", b"\x00\x00"):
            self.emit(Found(data=data, where=where, how=how))  # WBXML: a version byte: no lines
            return
        if head.startswith(b"{") and b'"syncml-json"' in data[: start + 256]:
            self.emit(Found(data=data, where=where, how=how, kind=Kind.JSON), line)
            return
        if _HTTP_START.match(data, start):
            self.http(data, start, how=how, depth=depth, line=line)
            return
        if head.startswith(b"<") and self.single_document(data, start):
            self.emit(Found(data=data, where=where, how=how), line)
            return
        if depth < _MAX_DEPTH and not head.startswith(b"<"):
            decoded = self.whole_encoded(data, start)
            if decoded is not None:
                form, inner = decoded
                self.unwrap(inner, how=(*how, form), depth=depth + 1, line=line, where=where)
                return
        before = len(self.scan.found)
        self.transcript(data, how=how, depth=depth, line=line)
        if len(self.scan.found) == before and head.startswith(b"<"):
            self.emit(Found(data=data, where=where, how=how), line)  # let the codec say what it is

    def emit(self, found: Found, line: int | None = None) -> None:
        if line is not None and not any(step in _ENCODINGS for step in found.how):
            found = dataclasses.replace(found, line=line)
        self.scan.found.append(found)

    def single_document(self, data: bytes, start: int) -> bool:
        """A document whose root is SyncML or a fragment, with no second message in it."""
        if not _ROOT.match(data, start):
            return False
        first = data.find(b"<SyncML", start)
        self.scan.work += len(data) - start
        return first < 0 or data.find(b"<SyncML", first + 7) < 0

    # --- base64 and hex of a whole input ---------------------------------------

    def whole_encoded(self, data: bytes, start: int) -> tuple[str, bytes] | None:
        """The bytes of an input that is all hex, an xxd/hexdump dump, or all base64."""
        body = data[start:]
        self.scan.work += len(body)
        if _XXD_LINE.match(body) or _HEXDUMP_LINE.match(body):
            dumped = _from_dump(body)
            if dumped is not None and _plausible(dumped):
                return ("hex dump (xxd)" if _XXD_LINE.match(body) else "hex dump (hexdump -C)"), dumped
        compact = b"".join(body.split())
        if len(compact) > 2 * self.limits.max_size:
            return None
        hexed = compact.replace(b"0x", b"") if compact.startswith(b"0x") else compact
        if hexed and _HEX_CHARS.issuperset(hexed) and len(hexed) % 2 == 0:
            raw = binascii.unhexlify(hexed)
            if _plausible(raw):
                return "hex", raw
        if compact and _B64_CHARS.issuperset(compact):
            raw_b64 = _b64(compact)
            if raw_b64 is not None and _plausible(raw_b64):
                return ("base64url" if b"-" in compact or b"_" in compact else "base64"), raw_b64
        return None

    # --- HTTP ------------------------------------------------------------------

    def http(self, data: bytes, pos: int, *, how: tuple[str, ...], depth: int, line: int) -> None:
        """Each HTTP message of a dump: start line and headers read, the body unwrapped."""
        lines = _Lines(data, line)
        while True:
            start_line = _HTTP_START.match(data, pos)
            if start_line is None:
                break
            what = start_line.group(0).strip().decode("latin-1")[:60]
            headers, body_at = self.headers(data, start_line.end())
            if body_at < 0:
                self.emit(
                    Found(
                        data=b"",
                        where=f"{self.name}:{lines.at(pos)}",
                        how=how,
                        kind=Kind.PROBLEM,
                        problem=f"{what}: headers without an end (no blank line)",
                    )
                )
                return
            body, pos = self.body(data, body_at, headers, what)
            words = what.split(" ")
            label = f"HTTP {words[1]} response body" if what.startswith("HTTP") else f"HTTP {words[0]} body"
            ctype = headers.get("content-type", "")
            if ctype:
                label += f" ({ctype[:60]})"
            if body.strip(_WS):
                at = lines.at(body_at)
                self.unwrap(body, how=(*how, label), depth=depth + 1, line=at, where=f"{self.name}:{at}")
            start = pos + len(data[pos : pos + 64]) - len(data[pos : pos + 64].lstrip(_WS))
            if not data[start : start + 1]:
                return
            if not _HTTP_START.match(data, start):
                rest_line = lines.at(start)
                self.transcript(data[start:], how=how, depth=depth, line=rest_line)
                return
            pos = start

    def headers(self, data: bytes, pos: int) -> tuple[dict[str, str], int]:
        """Header fields (names lowercased) and where the body starts, or -1 when the headers do not end."""
        headers: dict[str, str] = {}
        limit = min(len(data), pos + _HEADER_BYTES)
        while pos < limit:
            end = data.find(b"\n", pos, limit)
            self.scan.work += (limit if end < 0 else end) - pos
            if end < 0:
                return headers, -1
            text = data[pos:end].rstrip(b"\r")
            pos = end + 1
            if not text:
                return headers, pos
            name, colon, value = text.partition(b":")
            if colon:
                headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        return headers, -1

    def body(self, data: bytes, pos: int, headers: dict[str, str], what: str) -> tuple[bytes, int]:
        """The body at *pos* and where it ends: chunked joined, Content-Length respected."""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self.chunked(data, pos, what)
        length_text = headers.get("content-length")
        if length_text is not None:
            length = uint_or_none(length_text)
            if length is None:
                self.scan.notes.append(f"{what}: Content-Length {length_text[:20]!r} is not a number: ignored")
            else:
                end = pos + length
                if end > len(data):
                    self.scan.notes.append(
                        f"{what}: Content-Length {length} but {len(data) - pos} bytes follow: read what is there"
                    )
                return data[pos:end], min(end, len(data))
        following = _HTTP_NEXT.search(data, pos)
        end = len(data) if following is None else following.start() + 1
        self.scan.work += end - pos
        return data[pos:end], end

    def chunked(self, data: bytes, pos: int, what: str) -> tuple[bytes, int]:
        parts: list[bytes] = []
        total = 0
        while True:
            end = data.find(b"\n", pos, pos + 1024)
            size = None if end < 0 else _hex_size(data[pos:end].split(b";", 1)[0].strip())
            if size is None:
                self.scan.notes.append(f"{what}: a chunk size line is not hex: the body ends there")
                return b"".join(parts), pos
            pos = end + 1
            if size == 0:
                trailer = data.find(b"\n", pos, pos + 2)
                return b"".join(parts), (trailer + 1 if trailer >= 0 else pos)
            total += size
            if total > self.limits.max_size:
                self.scan.notes.append(f"{what}: chunked body over Limits.max_size: cut")
                return b"".join(parts), len(data)
            parts.append(data[pos : pos + size])
            self.scan.work += size
            pos += size
            if data[pos : pos + 2] == b"\r\n":
                pos += 2
            elif data[pos : pos + 1] == b"\n":
                pos += 1

    # --- logs and transcripts ----------------------------------------------------

    def transcript(self, data: bytes, *, how: tuple[str, ...], depth: int, line: int) -> None:
        """Every message, fragment and base64 blob of SyncML in *data*, in order."""
        lines = _Lines(data, line)
        closer = _Closer(data, self.scan)
        pos = 0
        while True:
            mark = _MARK.search(data, pos)
            self.scan.work += (len(data) if mark is None else mark.end()) - pos
            if mark is None:
                break
            start = mark.start()
            where = f"{self.name}:{lines.at(start)}"
            name = mark.group(1)
            if name is not None:
                pos = self.element(data, start, name, closer, where=where, how=how, line=lines.at(start))
            elif data[start] == ord("&"):
                pos = self.escaped(data, start, closer, where=where, how=how, line=lines.at(start))
            else:
                pos = self.blob(data, mark.end(), start, where=where, how=how, depth=depth, line=lines.at(start))
        if self.unterminated > 1:
            self.scan.notes.append(f"{self.unterminated - 1} more start tag(s) without an end were passed over")

    def element(
        self, data: bytes, start: int, name: bytes, closer: _Closer, *, where: str, how: tuple[str, ...], line: int
    ) -> int:
        close = b"</" + name + b">"
        end = closer.find(close, start)
        # The next message starting before this element's end means this one
        # was cut off (a truncated message, or a tag named in prose).
        following = closer.find(b"<SyncML", start + 1)
        if end < 0 or 0 <= following < end:
            self.unterminated += 1
            # A <SyncML> without its end is a message cut off: an error.  A
            # command name without one is as likely prose in a log ("got
            # <Status> 404"): passed over, and counted in a note.
            if self.unterminated == 1 and name == b"SyncML":
                problem = "<SyncML> without its </SyncML>: cut off"
                self.emit(
                    Found(data=data[start : start + 200], where=where, how=how, kind=Kind.PROBLEM, problem=problem)
                )
            elif self.unterminated == 1:
                self.scan.notes.append(f"{where}: <{name.decode()}> without its {close.decode()}: passed over")
            return following if following > start else start + 1 + len(name)
        end += len(close)
        if name == b"SyncML":
            kind = Kind.MESSAGE
        else:
            kind = Kind.FRAGMENT
            if name != b"SyncBody":  # bare commands: the ones that follow belong to the same fragment
                end = self.more_commands(data, end, closer)
        piece = data[start:end]
        if len(piece) > self.limits.max_size:
            self.emit(
                Found(
                    data=piece[:200],
                    where=where,
                    how=how,
                    kind=Kind.PROBLEM,
                    problem=f"{len(piece)} bytes: over Limits.max_size",
                )
            )
        else:
            self.emit(Found(data=piece, where=where, how=how, kind=kind), line)
        return end

    def more_commands(self, data: bytes, end: int, closer: _Closer) -> int:
        while True:
            following = _COMMAND_START.match(data, end)
            if following is None:
                return end
            close = b"</" + following.group(1) + b">"
            found = closer.find(close, following.end())
            if found < 0:
                return end
            self.scan.work += following.end() - end
            end = found + len(close)

    def escaped(self, data: bytes, start: int, closer: _Closer, *, where: str, how: tuple[str, ...], line: int) -> int:
        close = b"&lt;/SyncML&gt;"
        end = closer.find(close, start)
        if end < 0:
            self.unterminated += 1
            if self.unterminated == 1:
                self.emit(
                    Found(
                        data=data[start : start + 200],
                        where=where,
                        how=how,
                        kind=Kind.PROBLEM,
                        problem="&lt;SyncML without its &lt;/SyncML&gt;: cut off",
                    )
                )
            return start + 10
        end += len(close)
        piece = data[start:end]
        if len(piece) > self.limits.max_size:
            self.emit(
                Found(
                    data=piece[:200],
                    where=where,
                    how=how,
                    kind=Kind.PROBLEM,
                    problem=f"{len(piece)} bytes: over Limits.max_size",
                )
            )
        else:
            text = html.unescape(piece.decode("utf-8", "replace"))
            found = Found(data=text.encode("utf-8"), where=where, how=(*how, "HTML-escaped"), kind=Kind.MESSAGE)
            self.emit(found, line)
        return end

    def blob(
        self, data: bytes, end: int, start: int, *, where: str, how: tuple[str, ...], depth: int, line: int
    ) -> int:
        """A base64 (or hex) run, wrapped lines joined; kept when it decodes to SyncML."""
        runs = [data[start:end]]
        size = end - start
        while not runs[-1].endswith(b"=") and len(runs[-1]) >= 40:
            more = _B64_LINE.match(data, end)
            if more is None:
                break
            runs.append(more.group(1))
            size += len(more.group(1))
            self.scan.work += more.end() - end
            end = more.end()
            if size > 2 * self.limits.max_size:
                return end
        if depth >= _MAX_DEPTH:
            return end
        compact = b"".join(runs)
        if len(compact) % 2 == 0 and _HEX_CHARS.issuperset(compact[:64]) and _HEX_CHARS.issuperset(compact):
            raw = binascii.unhexlify(compact)
            form = "hex"
        else:
            decoded = _b64(compact[:64]) if len(compact) > 64 else None
            if len(compact) > 64 and (decoded is None or not _plausible(decoded)):
                return end  # not SyncML: spare decoding a long run
            raw_or_none = _b64(compact)
            if raw_or_none is None:
                return end
            raw, form = raw_or_none, ("base64url" if b"-" in compact or b"_" in compact else "base64")
        self.scan.work += len(compact)
        if _plausible(raw):
            self.unwrap(raw, how=(*how, form), depth=depth + 1, line=line, where=where)
        return end


def fragment_root(data: bytes) -> bool:
    """Whether *data*'s root element is a SyncBody or a command (after an XML declaration)."""
    start = len(data) - len(data.lstrip(_WS))
    root = _ROOT.match(data, start)
    return root is not None and root.group(1) != b"SyncML"


def _plausible(raw: bytes, *, again: bool = True) -> bool:
    """Bytes that may be a message: WBXML's version byte, text starting with markup, or base64 of either."""
    if not raw:
        return False
    if raw[0] in (1, 2, 3) and len(raw) > 4:
        return True
    head = raw[:64].lstrip(b" \t\r\n\xef\xbb\xbf")
    if head.startswith((b"<", b"{")) or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    # base64 of base64 (a blob logged twice encoded): its first 48 characters tell.
    inner = _b64(raw[:48]) if again and len(raw) >= 48 and _B64_CHARS.issuperset(raw[:48]) else None
    return inner is not None and _plausible(inner, again=False)


def _b64(text: bytes) -> bytes | None:
    """Standard or URL-safe base64, padding optional; None when it is not base64."""
    text = text.rstrip(b"=")
    if len(text) % 4 == 1:
        return None
    text = text.replace(b"-", b"+").replace(b"_", b"/") + b"=" * (-len(text) % 4)
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        return None


def _hex_size(text: bytes) -> int | None:
    """A chunk size: 1 to 8 hex digits (read digit by digit: untrusted text)."""
    if not 0 < len(text) <= 8 or not _HEX_CHARS.issuperset(text):
        return None
    value = 0
    for digit in text.lower():
        value = value * 16 + b"0123456789abcdef".index(digit)
    return value


def _from_dump(text: bytes) -> bytes | None:
    """The bytes of an ``xxd`` or ``hexdump -C`` dump (offsets and the ASCII column ignored)."""
    out = bytearray()
    for line in text.splitlines():
        row = line.rstrip()
        if not row or row.startswith(b"*"):
            continue
        if _XXD_LINE.match(row):
            hexes = row.split(b": ", 1)[1].split(b"  ", 1)[0]
        elif _HEXDUMP_LINE.match(row):
            hexes = row.split(b"  ", 1)[1].split(b"|", 1)[0]
        elif _HEX_CHARS.issuperset(row) and len(row) <= 16:
            continue  # hexdump's last line: the total length
        else:
            return None
        compact = b"".join(hexes.split())
        if len(compact) % 2 or not _HEX_CHARS.issuperset(compact):
            return None
        out += binascii.unhexlify(compact)
    return bytes(out)
