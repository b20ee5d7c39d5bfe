"""What to send back for a message that cannot be taken: one recipe.

A refused message is answered on the layer that can still carry an answer
(OMA DM 1.2 Protocol section 2.1 and the DM HTTP binding):

- when the message's SyncHdr can be read, the answer is a SyncML message
  with HTTP 200: its SyncHdr Status carries the SyncML code (400 malformed,
  413 too large, 415 unsupported media type, 505 unsupported DTD version,
  513 unsupported protocol version, 401 with a ``Chal`` ...), so the device
  learns it in the protocol it speaks;
- otherwise there is no SyncML session to answer in: the HTTP status says
  it (400, 413 or 415, 401 for a failed ``x-syncml-hmac``), never HTTP 505,
  which means "HTTP Version Not Supported".

The SyncHdr is read on its own: for XML, the bytes between ``<SyncHdr`` and
``</SyncHdr>`` of a document whose root is ``SyncML`` in a SyncML namespace
and that has no DOCTYPE, comment or CDATA before the header end; for WBXML,
the tokens up to the end of the SyncHdr.  It is decoded by
:func:`syncml.parse` under the same limits, with VerDTD and VerProto set to
the versions this library speaks (the answer is written in those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import model as m
from .._api import parse, serialize
from ..codes import StatusCode
from ..errors import SyncMLError
from ..limits import DEFAULT_LIMITS, Limits
from ..replies import header_status, reply_header
from .content import CONTENT_TYPE_WBXML, CONTENT_TYPE_XML

__all__ = ["ErrorResponse", "error_response", "read_header"]

#: HTTP statuses for a refusal without a readable SyncHdr, by SyncML code;
#: everything else is HTTP 400 (a 505 or 513 included: HTTP 505 is about HTTP).
#: 503 (too busy, see SessionTable.max_sessions) means the same in both.
_HTTP_BY_CODE = {413: 413, 415: 415, 401: 401, 407: 401, 503: 503}
_CHALLENGES = (StatusCode.INVALID_CREDENTIALS, StatusCode.MISSING_CREDENTIALS)


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorResponse:
    """What to send for a refused message: HTTP status, Content-Type and body (None: no body)."""

    http_status: int
    content_type: str | None
    body: bytes | None


def error_response(
    data: bytes,
    error: SyncMLError,
    *,
    msg_id: int = 1,
    chal: m.Chal | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ErrorResponse:
    """What to send back for *data*, refused with *error*.

    *error* is what ``parse`` or ``ServerSession.receive`` raised
    (:class:`~syncml.DecodeError`, :class:`~syncml.server.SessionError`) or
    :class:`~syncml.server.HmacError`; its ``status`` is the SyncML code.
    An error without a status (0: the server's own mistake) is HTTP 500.
    *msg_id* is our MsgID for the answer; *chal* goes with a 401 or 407
    (without one, those are answered at the HTTP level).  The answer is in
    the encoding of *data*.
    """
    code = getattr(error, "status", 0)
    if not isinstance(code, int) or code <= 0:
        return ErrorResponse(http_status=500, content_type=None, body=None)
    header = None
    if len(data) <= limits.max_size and (code not in _CHALLENGES or chal is not None):
        header = read_header(data, limits=limits)
    if header is None:
        return ErrorResponse(http_status=_HTTP_BY_CODE.get(code, 400), content_type=None, body=None)
    status = header_status(header, cmd_id=1, code=code, chal=chal)
    answer = m.SyncML(header=reply_header(header, msg_id=msg_id), body=m.SyncBody(commands=(status,), final=True))
    wbxml = _is_wbxml(data)
    return ErrorResponse(
        http_status=200,
        content_type=CONTENT_TYPE_WBXML if wbxml else CONTENT_TYPE_XML,
        body=serialize(answer, wbxml=wbxml),
    )


def read_header(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> m.SyncHdr | None:
    """The SyncHdr of *data* read on its own, or None when it cannot be (see the module docstring)."""
    document = _wbxml_shell(data) if _is_wbxml(data) else _xml_shell(data)
    if document is None:
        return None
    try:
        return parse(document, limits=limits).header
    except SyncMLError:
        return None


def _is_wbxml(data: bytes) -> bool:
    # The rule syncml.parse applies (see ServerSession): a version byte below 0x09.
    return bool(data) and data[0] <= 0x08 and data[:2] not in (b"\x00<", b"\x00\x00")


# --- XML ------------------------------------------------------------------------------

_ROOT = re.compile(rb"<SyncML(\s[^<>]*)?>")
_DEFAULT_NS = re.compile(rb"""\sxmlns\s*=\s*(["'])([^"']*)\1""")
_VERSIONS = (
    (re.compile(rb"<VerDTD>[^<]*</VerDTD>"), b"<VerDTD>1.2</VerDTD>"),
    (re.compile(rb"<VerProto>[^<]*</VerProto>"), b"<VerProto>DM/1.2</VerProto>"),
)
#: A stand-in body: a SyncBody needs one command.
_XML_BODY = b"<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>"


def _xml_shell(data: bytes) -> bytes | None:
    """The root start tag, the SyncHdr and a stand-in body, or None."""
    root = _ROOT.search(data, 0, 4096)
    start, end = data.find(b"<SyncHdr"), data.find(b"</SyncHdr>")
    if root is None or start < root.end() or end < start:
        return None
    end += len(b"</SyncHdr>")
    if b"<!" in data[:end]:
        return None  # a DOCTYPE (entities), comment or CDATA: nothing read on trust
    namespace = _DEFAULT_NS.search(root.group(0))
    if namespace is None or not namespace.group(2).upper().startswith(b"SYNCML:SYNCML"):
        return None  # not SyncML at all: HTTP level
    opening = root.group(0).replace(namespace.group(0), b' xmlns="SYNCML:SYNCML1.2"', 1)
    header = data[start:end]
    for pattern, value in _VERSIONS:
        header = pattern.sub(value, header, count=1)
    return opening + header + _XML_BODY


# --- WBXML ------------------------------------------------------------------------------

# SyncML code page 0 tokens (SyncML RepPro / DM RepPro): with the content bit 0x40.
_SYNCML, _SYNCHDR = 0x6D, 0x6C
#: SWITCH_PAGE 0, SyncBody( Alert( CmdID "1" ) Data "1201" ) Final ) and the SyncML END.
_WBXML_BODY = b"\x00\x00\x6b\x46\x4b\x031\x00\x01\x4f\x031201\x00\x01\x01\x12\x01\x01"
_SWITCH_PAGE, _END, _ENTITY, _STR_I, _LITERAL, _PI, _STR_T, _OPAQUE = 0x00, 0x01, 0x02, 0x03, 0x04, 0x43, 0x83, 0xC3


class _Truncated(Exception):
    pass


def _mb_uint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for count in range(5):
        if pos >= len(data):
            raise _Truncated
        byte = data[pos]
        pos += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos
        if count == 4:
            break
    raise _Truncated


def _wbxml_shell(data: bytes) -> bytes | None:
    """*data* up to the end of its SyncHdr, then a stand-in body; None when it cannot be found."""
    try:
        pos = _skip_preamble(data)
        end = _header_end(data, pos)
    except _Truncated:
        return None
    return None if end is None else data[:end] + _WBXML_BODY


def _skip_preamble(data: bytes) -> int:
    public_id, pos = _mb_uint(data, 1)
    if public_id == 0:
        _, pos = _mb_uint(data, pos)
    _, pos = _mb_uint(data, pos)  # charset
    length, pos = _mb_uint(data, pos)
    return pos + length


def _header_end(data: bytes, pos: int) -> int | None:
    """The offset just after the SyncHdr's END, scanning tokens from the root."""
    while pos < len(data) and data[pos] == _SWITCH_PAGE:
        pos += 2
    if data[pos : pos + 2] != bytes((_SYNCML, _SYNCHDR)):
        return None
    pos, depth = pos + 2, 2
    while pos < len(data):
        token = data[pos]
        pos += 1
        if token == _END:
            depth -= 1
            if depth == 1:
                return pos
        elif token == _SWITCH_PAGE:
            pos += 1
        elif token in (_ENTITY, _STR_T, _LITERAL, 0x80, 0x81, 0x82):
            _, pos = _mb_uint(data, pos)
        elif token in (_STR_I, 0x40, 0x41, 0x42):
            pos = data.find(b"\x00", pos) + 1
            if pos == 0:
                return None
        elif token == _OPAQUE:
            length, pos = _mb_uint(data, pos)
            pos += length
        elif token == 0x44:  # LITERAL_C: a tag with content, named in the string table
            _, pos = _mb_uint(data, pos)
            depth += 1
        elif token == _PI or token & 0x80:
            return None  # attributes or processing instructions: not in a SyncHdr
        elif token & 0x40:
            depth += 1
    return None
