"""SyncML DS messages against libwbxml and Horde, both ways, on 200 generated messages each.

The DS examples run with the DM ones in ``test_wbxml_oracle.py`` and
``test_wbxml_horde.py`` (the examples table holds both); this file adds
generated DS messages (``syncml.ds.strategies.ds_messages``: Sync with its
changes, Map, Put, Search, Move, Filter, and DevInf 1.1/1.2 documents in Put
and Results), with the normalisations and known bugs those files name, plus
what DS adds:

- Add/Replace inside a ``Sync`` are Add/Replace to libwbxml too (their Data
  is written as CDATA), so the known-bug rules look inside Sync;
- a DevInf document that is exactly one Item's Data is nested by libwbxml
  as we nest it (``xml2wbxml`` rewrites the Meta Type to ``+wbxml``;
  ``wbxml2xml`` decodes the document inline and writes ``+xml``), so such
  messages go both ways, and each DevInf read back must equal the one sent,
  without quirks (DevInf 1.1 goes out under DevInf 1.2's public id, 1.1's
  ``Size`` as a LITERAL tag, and reads back as the same markup); a document
  that lost its namespace would read with ``no-namespace``, libwbxml's
  reported DevInf namespace loss, accepted on that document only;
- Horde carries a DevInf 1.2 document (it has the DevInf 1.2 code page),
  so a generated message keeps it there instead of the placeholder other
  markup becomes, unless it holds ``Size`` or ``MaxSize`` (Horde swaps the
  two: 1.1's ``Size`` comes back ``MaxSize``, 1.2's ``MaxSize`` comes back
  ``Size``) or is DevInf 1.1; and its decoder's failure on some nested DevInf
  documents is named where it is caught.

Cost: one process per message and direction, derandomized and never shrunk
(a failure prints its example as generated): the same 200 examples every run.
Comparisons go through :func:`_same`, which names the first difference:
pytest's own explanation of two unequal multi-kilobyte values runs difflib
over them for minutes, which looks like a hang.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import Phase, Verbosity, given, settings

import syncml
from syncml import QuirkKind, ds
from syncml import _wbxml_tables as t
from syncml import model as m
from syncml.ds import strategies as st_ds

from . import test_wbxml_horde as horde
from . import test_wbxml_oracle as libwbxml

# Drawing only: never shrunk, derandomized (the same examples every run).
_QUIET = settings(
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    derandomize=True,
    deadline=None,
    database=None,
    verbosity=Verbosity.quiet,
)
_GENERATED = st_ds.ds_messages(max_commands=4)


@contextlib.contextmanager
def _named(msg: m.SyncML) -> Iterator[None]:
    """Add the message, as XML, to any failure inside the block."""
    try:
        yield
    except Exception as exc:
        raise AssertionError(f"{exc}\nthe message: {syncml.serialize(msg)!r}") from exc


def _same(ours: object, theirs: object, what: str) -> None:
    """Fail with the first difference of two values' reprs, quickly (no difflib)."""
    if ours == theirs:
        return
    a, b = repr(ours), repr(theirs)
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    near = slice(max(0, at - 80), at + 80)
    raise AssertionError(f"{what} differ at character {at}:\n  sent {a[near]!r}\n  back {b[near]!r}")


def _flat(commands: tuple[m.Command, ...]) -> list[m.Command]:
    out: list[m.Command] = []
    for command in commands:
        out.append(command)
        if isinstance(command, m.Atomic | m.Sequence | m.Sync):
            out.extend(_flat(command.commands))
    return out


def _is_devinf_document(data: object) -> bool:
    """Whether *data* is exactly one DevInf document, nothing beside it."""
    if not isinstance(data, m.Markup):
        return False
    xml = data.xml
    return xml.startswith("<DevInf") and xml.endswith("</DevInf>") and xml.count("<DevInf") == 1


def _without_devinf(value: Any) -> Any:
    """*value* with each whole DevInf document replaced by text (what the DM rules then see)."""
    if _is_devinf_document(value):
        return "devinf"
    if isinstance(value, tuple):
        return tuple(_without_devinf(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _without_devinf(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def _as_dm_sees_it(msg: m.SyncML, *, keep_devinf: bool = False) -> m.SyncML:
    """The message the DM rule functions understand: Sync's changes lifted to the top level,
    whole DevInf documents out (they go through libwbxml as they go through us)."""
    plain = msg if keep_devinf else _without_devinf(msg)
    return dataclasses.replace(plain, body=dataclasses.replace(plain.body, commands=tuple(_flat(plain.body.commands))))


def _documents(msg: m.SyncML, *, cr_as_lf: bool = False) -> list[Any]:
    found = [dataclasses.replace(doc, quirks=()) for doc in ds.devinfs(msg)]
    return [_cr_as_lf(doc) for doc in found] if cr_as_lf else found


def _cr_as_lf(value: Any) -> Any:
    """*value* with each CR read as XML reads a raw one: as a line feed."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, tuple):
        return tuple(_cr_as_lf(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _cr_as_lf(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def _devinf_quirks(msg: m.SyncML) -> list[QuirkKind]:
    return [q.kind for doc in ds.devinfs(msg) for q in doc.quirks]


# --- libwbxml ------------------------------------------------------------------------------------


def _ours_read_by_libwbxml(msg: m.SyncML) -> None:
    _, wbxml2xml = libwbxml._tools()
    xml = libwbxml._run(wbxml2xml, ["-m", "0"], syncml.serialize(msg, wbxml=True))
    _same(libwbxml._libwbxml_view(syncml.serialize(msg)), libwbxml._libwbxml_view(xml), "libwbxml's XML")
    back = syncml.parse(xml)
    # wbxml2xml writes a CR raw, which XML reads as a line feed.
    _same(_documents(msg, cr_as_lf=True), _documents(back), "DevInf documents")
    # libwbxml's reported DevInf namespace loss: accepted per document, never more.
    assert set(_devinf_quirks(back)) <= {QuirkKind.NO_NAMESPACE}, _devinf_quirks(back)


def _libwbxml_read_by_us(msg: m.SyncML, *, string_table: bool) -> None:
    xml2wbxml, _ = libwbxml._tools()
    xml = syncml.serialize(msg)
    wbxml = libwbxml._run(xml2wbxml, [] if string_table else ["-n"], xml)
    back = syncml.parse(wbxml)
    _same(libwbxml._model_view(syncml.parse(xml)), libwbxml._model_view(back), "models")
    _same(_documents(msg), _documents(back), "DevInf documents")
    assert _devinf_quirks(back) == [], _devinf_quirks(back)


# The SyncML 1.2 additions (tokens above 0x34): libwbxml's 1.1 table lacks
# them, and in a 1.1 message they come back as <unknown/> or, from xml2wbxml,
# as a corrupt document (its root read as SyncHdr).
_NEW_IN_12 = tuple(name for name, token in t.SYNCML_TAGS.items() if token > 0x34)


def _through_libwbxml(msg: m.SyncML) -> int:
    """Check *msg* each way libwbxml can carry it; how many ways that was."""
    xml = syncml.serialize(msg)
    old = msg.header.ver_dtd == "1.1"
    if old and any(f"<{name}".encode() in xml for name in (*_NEW_IN_12, "FieldLevel")):
        return 0
    seen = _as_dm_sees_it(msg)
    seen_xml = syncml.serialize(seen)
    checked = 0
    try:
        if not libwbxml._breaks_libwbxml(seen, seen_xml):
            _ours_read_by_libwbxml(msg)
            checked += 1
        # xml2wbxml nests DevInf only inside a SyncML 1.2 message: inside a
        # 1.1 one it writes a corrupt document (read back rooted at SyncHdr).
        if not (old and ds.devinfs(msg)) and not libwbxml._breaks_libwbxml(seen, seen_xml, encoding=True):
            # Markup needs the string table (its tag names live there), a
            # DevInf document too (DevInf 1.1's Size is a LITERAL tag to libwbxml).
            _libwbxml_read_by_us(msg, string_table=libwbxml._has_markup(_as_dm_sees_it(msg, keep_devinf=True)))
            checked += 1
    except libwbxml.OracleCrashed:
        return checked
    return checked


# --- Horde -----------------------------------------------------------------------------------------


def _keep_devinf(sent: Any, carried: Any) -> Any:
    """*carried* (Horde's carryable form of *sent*) with *sent*'s whole DevInf documents put back."""
    if _is_devinf_document(sent):
        # Horde's DevInf table swaps Size and MaxSize (1.1's Size comes back
        # MaxSize, 1.2's MaxSize comes back Size): only documents without them.
        keep = "<VerDTD>1.2</VerDTD>" in sent.xml and "Size>" not in sent.xml
        return sent if keep else carried
    if isinstance(sent, tuple) and isinstance(carried, tuple):
        if len(sent) != len(carried):  # a tuple Horde cannot carry, emptied
            return carried
        return tuple(_keep_devinf(a, b) for a, b in zip(sent, carried, strict=True))
    if dataclasses.is_dataclass(sent) and not isinstance(sent, type) and type(sent) is type(carried):
        changes = {
            f.name: _keep_devinf(getattr(sent, f.name), getattr(carried, f.name))
            for f in dataclasses.fields(sent)
            if f.init
        }
        return dataclasses.replace(carried, **changes)
    return carried


def _devinf_count(value: Any) -> int:
    """How many whole DevInf documents *value* holds as markup (Horde's placeholders are text)."""
    if _is_devinf_document(value):
        return 1
    if isinstance(value, tuple):
        return sum(_devinf_count(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(_devinf_count(getattr(value, f.name)) for f in dataclasses.fields(value))
    return 0


def _ours_read_by_horde(msg: m.SyncML) -> None:
    back = syncml.parse(horde._horde("decode", syncml.serialize(msg, wbxml=True)))
    # Horde lowercases the SyncML namespace: the only quirk its output carries.
    assert {q.kind for q in back.quirks} <= {QuirkKind.NAMESPACE_CASE}, back.quirks
    _same(horde._view(msg, encoded=False), horde._view(back, encoded=False), "models")
    assert _devinf_count(back) == _devinf_count(msg)


def _horde_read_by_us(msg: m.SyncML) -> None:
    xml = syncml.serialize(msg)
    wbxml = horde._horde("encode", xml)
    back = syncml.parse(wbxml)
    # WBXML 1.2, its public identifier unterminated in the string table; a
    # nested DevInf under its Meta Type +xml, unchanged (nested-wbxml-type).
    expected = {QuirkKind.WBXML_UNTERMINATED_FPI}
    if _devinf_count(msg):
        expected.add(QuirkKind.NESTED_WBXML_TYPE)
    assert wbxml[0] == 0x02
    assert {q.kind for q in back.quirks} == expected, back.quirks
    _same(horde._view(syncml.parse(xml), encoded=True), horde._view(back, encoded=True), "models")


def _through_horde(generated: m.SyncML) -> int:
    """Check *generated*, less what Horde's known bugs lose, both ways; how many ways that was."""
    msg = _keep_devinf(generated, horde._carryable(generated))
    assert horde._horde_cannot(msg, decoding=True) is None
    assert horde._horde_cannot(msg, decoding=False) is None
    checked = 1
    try:
        _ours_read_by_horde(msg)
        checked += 1
    except horde.HordeFailed as failed:
        said = str(failed)
        # Horde's integer reader running past its input (test_wbxml_horde.py);
        # and its decoder failing on some nested DevInf documents (an undefined
        # $string in Decoder.php, then a null code page: not yet narrowed to a
        # shape, the DS examples' DevInf goes through).
        known = "Uninitialized string offset" in said or (
            _devinf_count(msg) > 0 and "Undefined variable $string" in said
        )
        if not known:
            raise
    _horde_read_by_us(msg)
    return checked


def _examples() -> list[m.SyncML]:
    """The same 200 generated DS messages every run, drawn once, before any oracle runs."""
    drawn: list[m.SyncML] = []

    @settings(_QUIET, max_examples=200)
    @given(_GENERATED)
    def draw(msg: m.SyncML) -> None:
        drawn.append(msg)

    draw()
    return drawn


def test_generated_ds_messages_both_ways_through_libwbxml_and_horde() -> None:
    # An oracle is another program with its own bugs: a new one met by chance
    # must not fail an unrelated change's CI, so the examples are fixed.  They
    # are checked outside hypothesis, whose printer would take minutes over a
    # failing one; _named puts the message, as XML, in the failure.
    libwbxml._tools()
    horde._php()
    found: collections.Counter[str] = collections.Counter()
    examples = _examples()
    assert len(examples) == 200
    for msg in examples:
        with _named(msg):
            found["libwbxml"] += _through_libwbxml(msg)
            found["horde"] += _through_horde(msg)
        found.update({f"devinf-{doc.ver_dtd}" for doc in ds.devinfs(msg)})
        found.update({type(c).__name__ for c in _flat(msg.body.commands)})
    # Most examples go both ways through each oracle (the rest hit a known bug
    # named above), and they hold what this file exists for.
    assert found["libwbxml"] >= 200, found
    assert found["horde"] >= 360, found
    for kind in ("devinf-1.1", "devinf-1.2", "Sync", "Map", "Put", "Results", "Search", "Move", "Atomic"):
        assert found[kind] >= 5, (kind, found)
    # The changes a Sync carries, counted together: which of them the fixed
    # examples favour moves whenever a strategy gains a choice.
    assert found["Add"] + found["Replace"] + found["Delete"] >= 10, found
    assert min(found["Add"], found["Replace"], found["Delete"]) >= 1, found


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_horde_and_libwbxml_nest_devinf_as_we_do(version: str) -> None:
    # One fixed DevInf Put each way, so a regression names the tool without a generated example.
    doc = ds.DevInf(
        ver_dtd=version,
        dev_id="IMEI:490154203237518",
        dev_typ="phone",
        data_stores=(
            ds.DataStore(
                source_ref="contacts",
                rx_pref=ds.Xmit(ct_type="text/x-vcard", ver_ct="2.1"),
                tx_pref=ds.Xmit(ct_type="text/x-vcard", ver_ct="2.1"),
                sync_cap=ds.SyncCap(sync_types=("1", "2")),
            ),
        ),
    )
    hdr = m.SyncHdr(
        ver_dtd="1.2",
        ver_proto="SyncML/1.2",
        session_id="1",
        msg_id="1",
        target=m.Target(loc_uri="https://ds.example.com/sync"),
        source=m.Source(loc_uri="IMEI:490154203237518"),
    )
    put = m.Put(cmd_id="1", items=(ds.devinf_item(doc),))
    msg = m.SyncML(header=hdr, body=m.SyncBody(commands=(put,), final=True))
    _ours_read_by_libwbxml(msg)
    _libwbxml_read_by_us(msg, string_table=True)
    _ours_read_by_horde(msg)
    _horde_read_by_us(msg)
