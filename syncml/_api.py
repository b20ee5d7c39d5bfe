"""The codec entry points: bytes to model and back."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias, overload

from . import _meter, _wbxml_decode, _wbxml_encode
from . import model as m
from ._encode_check import check_model
from ._grammar import is_container
from ._xml_decode import Decoder
from ._xml_encode import Writer
from ._xml_fast import Bail, NeedsFullTree
from ._xmlfront import CDATA_RUN_CAP, Source, lean_possible, parse_tree, prepare
from .errors import DecodeError, EncodeError
from .limits import _MAX_DEPTH_CEILING, DEFAULT_LIMITS, Limits

__all__ = ["WBXMLOptions", "WBXMLVersion", "parse", "parse_commands", "serialize", "serialize_commands"]

WBXMLVersion: TypeAlias = Literal["1.1", "1.2", "1.3"]
"""A WBXML version :func:`serialize` can write."""

_WBXML_VERSIONS = ("1.1", "1.2", "1.3")


@dataclass(frozen=True, slots=True, kw_only=True)
class WBXMLOptions:
    """How :func:`serialize` writes WBXML: ``serialize(msg, wbxml=WBXMLOptions(...))``.

    ``serialize(msg, wbxml=True)`` is ``wbxml=WBXMLOptions()``: version 1.3,
    no string table, the numeric public identifier, MetInf in DTD order.
    The XML-only options (``pretty``, ``xml_declaration``) stay keywords of
    :func:`serialize`.  Checked when built: a wrong type or version raises
    :class:`~syncml.EncodeError`.

    Attributes:
        version: the WBXML version byte written (``"1.1"``, ``"1.2"`` or ``"1.3"``).
        string_table: put repeated values (LocURIs, Meta Types ...) in the
            string table instead of inline, which makes messages smaller.
        literal_public_id: write the public identifier as text in the string
            table instead of its registered number (some old stacks expect it).
        metinf_order: MetInf element names to write first in each Meta, the
            rest following in DTD order; Windows writes ``("Type", "Format")``.
            An unknown or repeated name is an EncodeError when serializing.
    """

    version: WBXMLVersion = "1.3"
    string_table: bool = False
    literal_public_id: bool = False
    metinf_order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.version not in _WBXML_VERSIONS:
            raise EncodeError(f"WBXML version must be one of {', '.join(_WBXML_VERSIONS)}, not {self.version!r}")
        for name in ("string_table", "literal_public_id"):
            if not isinstance(getattr(self, name), bool):
                raise EncodeError(f"WBXMLOptions.{name} must be a bool, not {type(getattr(self, name)).__name__}")
        order = self.metinf_order
        if not isinstance(order, tuple) or not all(isinstance(name, str) for name in order):
            raise EncodeError("WBXMLOptions.metinf_order must be a tuple of MetInf element names")


def parse(
    data: bytes | str,
    *,
    strict: bool = False,
    keep_unknown: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> m.SyncML:
    """Decode one SyncML message.

    Lenient by default: the deviations real devices and documents show are
    accepted and listed in ``SyncML.quirks``.  ``strict=True`` refuses each of
    them.  Elements outside the content models raise :class:`DecodeError`
    unless ``keep_unknown=True``, which keeps them as :class:`Unknown`.

    WBXML (``application/vnd.syncml.dm+wbxml``, versions 1.1 to 1.3) is
    recognised by its first byte and decodes to the same model as the
    equivalent XML, with the same options; its errors carry the byte offset.

    Raises:
        DecodeError: for anything that is not an acceptable message.
    """
    # The model is a tree of acyclic values that only grows while decoding:
    # the cycle collector would traverse it again and again for nothing
    # (10-20% of the time).  Re-enabled as it was, whatever happens.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        if _wbxml_decode.is_wbxml(data):
            return _wbxml_decode.decode(data, strict=strict, keep_unknown=keep_unknown, limits=limits)
        return decode_xml(data, fragment=False, strict=strict, keep_unknown=keep_unknown, limits=limits)
    finally:
        if collecting:
            gc.enable()


@overload
def decode_xml(
    data: bytes | str,
    *,
    fragment: Literal[False],
    strict: bool,
    keep_unknown: bool,
    limits: Limits,
    generic: bool = ...,
) -> m.SyncML: ...


@overload
def decode_xml(
    data: bytes | str,
    *,
    fragment: Literal[True],
    strict: bool,
    keep_unknown: bool,
    limits: Limits,
    generic: bool = ...,
) -> m.Commands: ...


def decode_xml(
    data: bytes | str, *, fragment: bool, strict: bool, keep_unknown: bool, limits: Limits, generic: bool = False
) -> m.SyncML | m.Commands:
    """Decode XML: a whole message, or with *fragment* bare commands; the one place that orders the attempts.

    The front end (:func:`~syncml._xmlfront.prepare`) checks the bytes once and
    hands on an immutable :class:`~syncml._xmlfront.Source`: the bytes
    libxml2 reads, how to map positions back, the quirks it found.  Then up to
    three attempts follow, each one walk from the root that either returns
    the value or bails (:class:`~syncml._xml_fast.Bail`):

    1. **Lean tree, fast path.**  Whole messages only, and only when the bytes
       hold no comment, CDATA section, processing instruction (but the XML
       declaration) nor ``<Data><`` (:func:`~syncml._xmlfront.lean_possible`):
       libxml2 then drops the blank text between elements, a string less per
       element.  The generated functions of :mod:`syncml._xml_fast` assume a
       clean document: every child known, in DTD order, at most once where
       the DTD says so; no text but whitespace between elements, none around
       values; attributes only on the Data of an Item or Status, and then
       only when lenient.  Markup met in Data needs its blank text
       (``NeedsFullTree``): on to 2.  Anything else unusual: on to 3.
    2. **Full tree, fast path.**  The same assumptions over a tree that keeps
       every text node (CDATA sections merged when a run of them is long, see
       ``CDATA_RUN_CAP``).  Fragments start here.  A bail: on to 3, on the
       same tree.
    3. **Generic walk** over the full tree, driven by the content models:
       it handles everything, recording a quirk (lenient) or raising
       :class:`~syncml.DecodeError` (strict), and never bails.

    A bail restarts from the root instead of resuming where the fast path
    stopped: the bailing walk has built values and counted output for part of
    the document, and each new walk starts from nothing (its own quirk list,
    output and CDATA counts) and merges its quirks with the front end's once,
    into the value it returns.  So whichever attempt succeeds, the value, its
    quirks (each once, in document order) and any error are exactly those of
    the generic walk alone, which ``generic=True`` runs directly (the tests
    compare both); a DecodeError raised by an attempt is final, since every
    attempt refuses the same inputs.

    Cost: at most two trees built from the input (lean, full; plus a twin
    that keeps CDATA sections when they were merged and Data needs them) and
    at most four walks over a tree: one per attempt, and one more when
    markup is worded again for the namespace VerDTD names (see
    ``Decoder._message``); a walk that bails has read at most its whole tree.
    Each is linear in the input, so a hostile document can make the decode
    slower by that constant at most, never by a retry per element.

    Limits and the work meter: the front end applies the size, element and
    attribute limits once, before any tree is built, and libxml2 keeps its own
    while building.  Each walk is held to the whole output budget
    (``Limits.output_budget``) on its own, counting from zero, so the value
    returned never exceeds it.  The work of the front end, of each tree's
    decoder and of every walk, bailed ones included, is added up and
    reported to :mod:`syncml._meter` once, when the decode returns or raises.
    """
    tally = _Tally(data)
    try:
        tally.source = source = prepare(data, strict=strict, limits=limits, fragment=fragment)
        full_fast = not generic
        if full_fast and not fragment and lean_possible(source):
            tree = parse_tree(source, limits, lean=True)
            decoder = Decoder(source, tree, strict=strict, keep_unknown=keep_unknown, limits=limits, lean=True)
            tally.use(decoder)
            try:
                return decoder.message(fast=True)
            except NeedsFullTree:
                pass  # markup in Data: the fast path reads it from a full tree
            except Bail:
                full_fast = False  # something only the generic walk handles
        tree = parse_tree(source, limits, merge_cdata=source.cdata_run > CDATA_RUN_CAP)
        decoder = Decoder(source, tree, strict=strict, keep_unknown=keep_unknown, limits=limits)
        tally.use(decoder)
        walk = decoder.commands if fragment else decoder.message
        if full_fast:
            try:
                return walk(fast=True)
            except Bail:
                pass
        return walk(fast=False)
    finally:
        tally.record()


class _Tally:
    """What one XML decode did, reported to :mod:`syncml._meter` once, however it ends."""

    __slots__ = ("data", "decoder", "source", "spent")

    def __init__(self, data: object) -> None:
        self.data = data
        self.source: Source | None = None
        self.decoder: Decoder | None = None
        self.spent = 0  # work of the decoders before the current one

    def use(self, decoder: Decoder) -> None:
        """Count *decoder* from now on (the one before it is done and let go)."""
        if self.decoder is not None:
            self.spent += self.decoder.work
        self.decoder = decoder

    def record(self) -> None:
        if _meter._active.get() is None:  # counting costs passes over the input: only when measured
            return
        source = self.source
        if source is None:
            # Refused by the front end, which scans the input a bounded
            # number of times: charged as one pass.
            data = self.data
            _meter.record(work=len(data) if isinstance(data, (bytes, bytearray, str)) else 0)
            return
        buf = source.buf
        # Every element and attribute starts with '<' or '=' in the input:
        # upper bounds, counted in C.
        nodes = buf.count(b"<") - buf.count(b"</")
        attributes = buf.count(b"=")
        decoder = self.decoder
        work = source.work + self.spent + (decoder.work if decoder is not None else 0)
        output = decoder.output if decoder is not None else 0
        _meter.record(work=work + nodes + attributes, output=output, nodes=nodes, attributes=attributes)


def parse_commands(
    data: bytes | str,
    *,
    strict: bool = False,
    keep_unknown: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> m.Commands:
    """Decode a fragment: bare commands, a ``SyncBody``, or a ``SyncML`` without ``SyncHdr``.

    Servers store profiles as bare commands (``<Replace>...</Replace><Add>...``);
    tools such as SyncML Viewer feed the body-only form.  A ``Final`` in the
    body-only form is accepted: a fragment has no package for it to end.
    The result is a tuple of commands whose ``quirks`` attribute lists what a
    lenient parse tolerated.  Fragments are XML only.
    """
    if _wbxml_decode.is_wbxml(data):
        raise DecodeError("a WBXML document is a whole message: decode it with syncml.parse()", offset=0, status=415)
    return decode_xml(data, fragment=True, strict=strict, keep_unknown=keep_unknown, limits=limits)


def serialize(
    msg: m.SyncML,
    *,
    pretty: bool = False,
    xml_declaration: bool = False,
    wbxml: bool | WBXMLOptions = False,
) -> bytes:
    """Encode a message as UTF-8 XML, or as WBXML with ``wbxml=True`` or a :class:`WBXMLOptions`.

    Children are written in DTD order, MetInf elements each with
    ``xmlns="syncml:metinf"``.  ``pretty`` indents by two spaces; it only
    adds whitespace between elements, never inside a value.  ``pretty`` and
    ``xml_declaration`` are XML's: asking for them with WBXML is an error.

    Raises:
        EncodeError: when the model cannot be written as a valid message,
            one with an :data:`~syncml.model.UNNUMBERED` CmdID included.
    """
    return encode_message(msg, pretty=pretty, xml_declaration=xml_declaration, wbxml=wbxml, numbered=True)


def encode_message(
    msg: m.SyncML,
    *,
    pretty: bool = False,
    xml_declaration: bool = False,
    wbxml: bool | WBXMLOptions = False,
    numbered: bool,
) -> bytes:
    """:func:`serialize`, which with ``numbered=False`` writes an unnumbered CmdID empty.

    The session, the queue and the outbox measure and store commands before
    they number them; only they pass ``numbered=False``.
    """
    if isinstance(msg, m.SyncML) and isinstance(msg.body, m.SyncBody):
        _check_commands(msg.body.commands, numbered=numbered)
    if wbxml is not False:
        if wbxml is True:
            wbxml = WBXMLOptions()
        elif not isinstance(wbxml, WBXMLOptions):
            raise EncodeError(f"wbxml must be a bool or WBXMLOptions, not {type(wbxml).__name__}")
        if pretty or xml_declaration:
            raise EncodeError("pretty and xml_declaration apply to XML, not WBXML")
        # The XML writer checks Markup and Unknown as it meets them; the
        # WBXML one is given the same verdicts first.
        if isinstance(msg, m.SyncML):
            check_model(msg)
        return _wbxml_encode.encode(
            msg,
            version=wbxml.version,
            string_table=wbxml.string_table,
            literal_public_id=wbxml.literal_public_id,
            metinf_order=wbxml.metinf_order or None,
        )
    text = Writer(pretty=pretty).message(msg)
    if xml_declaration:
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return text.encode("utf-8")


def serialize_commands(commands: Iterable[m.Command], *, pretty: bool = False) -> bytes:
    """Encode bare commands (no envelope, no namespace on the commands).

    Raises:
        EncodeError: as :func:`serialize`, an unnumbered CmdID included.
    """
    return encode_commands(commands, pretty=pretty, numbered=True)


def encode_commands(commands: Iterable[m.Command], *, pretty: bool = False, numbered: bool) -> bytes:
    """:func:`serialize_commands`, which with ``numbered=False`` writes an unnumbered CmdID empty."""
    commands = tuple(commands)
    _check_commands(commands, numbered=numbered)
    return Writer(pretty=pretty).commands(commands).encode("utf-8")


def _check_commands(commands: object, *, numbered: bool) -> None:
    """Refuse what the encoders must not meet: nesting deeper than any decoder reads, unnumbered commands.

    A model built by hand can nest Atomic in Atomic beyond Python's recursion
    limit: the recursive encoders would die with a bare RecursionError.
    """
    stack = [(commands, 1)]
    while stack:
        level, depth = stack.pop()
        if depth > _MAX_DEPTH_CEILING:
            raise EncodeError(f"commands nested more than {_MAX_DEPTH_CEILING} deep: no decoder reads them back")
        if not isinstance(level, tuple):
            continue
        if numbered:
            for command in level:
                if not m.is_numbered(getattr(command, "cmd_id", "")):
                    name = m.wire_name(command)
                    raise EncodeError(
                        f"{name} has no CmdID: give it one, or send it through ServerSession, CommandQueue "
                        "or Outbox, which number what they send",
                        path=f"{name}/CmdID",
                    )
        stack.extend((c.commands, depth + 1) for c in level if is_container(c))
