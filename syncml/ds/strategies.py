"""Hypothesis strategies for SyncML DS: DevInf documents and DS messages (needs ``syncml[strategies]``).

Every value generated here is valid: :func:`syncml.ds.serialize_devinf`
writes it, in XML and in WBXML, and ``parse_devinf(..., strict=True)``
reads it back equal.  ``devinfs(version="1.1")`` gives DevInf 1.1 documents
(flat CTCap after the datastores, no 1.2-only element), ``"1.2"`` DevInf
1.2 ones (nested CTCap in each datastore).  :func:`ds_messages` gives whole
DS messages (Sync with its changes, Map, Put, Search, Move, Target Filter)
that ``syncml.parse(..., strict=True)`` and ``syncml.validate`` accept.

>>> from hypothesis import given
>>> from syncml import ds
>>> from syncml.ds import strategies as st_ds
>>> @given(st_ds.devinfs())
... def test_round_trip(doc):
...     assert ds.parse_devinf(ds.serialize_devinf(doc), strict=True) == doc
>>> test_round_trip()
"""

from __future__ import annotations

import dataclasses

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError('syncml.ds.strategies needs hypothesis: pip install "syncml[strategies]"') from exc

from .. import model as m
from .. import strategies as sts
from . import devinf as d
from .items import DEVINF_XML_TYPE, devinf_item

__all__ = [
    "ctcaps",
    "data_stores",
    "devinf_puts",
    "devinf_results",
    "devinfs",
    "ds_commands",
    "ds_groups",
    "ds_messages",
    "ds_targets",
    "filters",
    "flat_ctcaps",
    "maps",
    "moves",
    "puts",
    "searches",
    "syncs",
    "texts",
]

# XML characters, no surrounding whitespace (a parse would strip it).
# (Below U+3000 there are no surrogates and no U+FFFE/U+FFFF.)
_CHARS = st.characters(min_codepoint=0x09, max_codepoint=0x2FFF)


def texts(*, min_size: int = 1, max_size: int = 16) -> st.SearchStrategy[str]:
    """Text values as DevInf leaves hold them: XML characters, no whitespace at either end."""
    allowed = _CHARS.filter(lambda c: c >= " " or c in "\t\n\r")
    return st.text(allowed, min_size=min_size, max_size=max_size).filter(lambda s: s == s.strip(" \t\r\n"))


def _numbers() -> st.SearchStrategy[str]:
    return st.integers(0, 2**32 - 1).map(str)


def _opt(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


def _many(strategy: st.SearchStrategy[str], max_size: int = 2) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def _xmits() -> st.SearchStrategy[d.Xmit]:
    return st.builds(d.Xmit, ct_type=texts(), ver_ct=texts(max_size=4))


def ctcaps() -> st.SearchStrategy[d.CTCap]:
    """DevInf 1.2 CTCaps (nested properties and parameters)."""
    params = st.builds(
        d.PropParam, param_name=texts(), data_type=_opt(texts()), val_enums=_many(texts()), display_name=_opt(texts())
    )
    properties = st.builds(
        d.Property,
        prop_name=texts(),
        data_type=_opt(texts()),
        max_occur=_opt(_numbers()),
        max_size=_opt(_numbers()),
        no_truncate=st.booleans(),
        val_enums=_many(texts()),
        display_name=_opt(texts()),
        params=st.lists(params, max_size=2).map(tuple),
    )
    return st.builds(
        d.CTCap,
        ct_type=texts(),
        ver_ct=texts(max_size=4),
        field_level=st.booleans(),
        properties=st.lists(properties, min_size=1, max_size=3).map(tuple),
    )


def flat_ctcaps() -> st.SearchStrategy[d.FlatCTCap]:
    """DevInf 1.1 CTCaps (flat groups)."""
    leaves = {"val_enums": _many(texts()), "data_type": _opt(texts()), "size": _opt(_numbers())}
    params = st.builds(d.FlatParam, param_name=texts(), display_name=_opt(texts()), **leaves)
    properties = st.builds(
        d.FlatProperty,
        prop_name=texts(),
        display_name=_opt(texts()),
        params=st.lists(params, max_size=2).map(tuple),
        **leaves,
    )
    types = st.builds(d.FlatCTType, ct_type=texts(), properties=st.lists(properties, min_size=1, max_size=3).map(tuple))
    return st.builds(d.FlatCTCap, types=st.lists(types, min_size=1, max_size=2).map(tuple))


def data_stores(*, version: str = "1.2") -> st.SearchStrategy[d.DataStore]:
    """DataStores of the given DevInf version (1.2-only children only in 1.2)."""
    v12 = version == "1.2"
    mem = st.builds(d.DSMem, shared_mem=st.booleans(), max_mem=_opt(_numbers()), max_id=_opt(_numbers()))
    filters = st.builds(
        d.FilterCap,
        ct_type=texts(),
        ver_ct=texts(max_size=4),
        filter_keywords=_many(texts()),
        prop_names=_many(texts()),
    )
    none: st.SearchStrategy[tuple[object, ...]] = st.just(())
    return st.builds(
        d.DataStore,
        source_ref=texts(),
        display_name=_opt(texts()),
        max_guid_size=_opt(_numbers()),
        rx_pref=_xmits(),
        rx=st.lists(_xmits(), max_size=2).map(tuple),
        tx_pref=_xmits(),
        tx=st.lists(_xmits(), max_size=2).map(tuple),
        ctcaps=st.lists(ctcaps(), max_size=2).map(tuple) if v12 else none,
        ds_mem=st.none() | mem,
        support_hierarchical_sync=st.booleans() if v12 else st.just(False),
        sync_cap=st.builds(
            d.SyncCap, sync_types=st.lists(st.sampled_from("1234567"), min_size=1, max_size=3).map(tuple)
        ),
        filter_rx=st.lists(_xmits(), max_size=1).map(tuple) if v12 else none,
        filter_caps=st.lists(filters, max_size=1).map(tuple) if v12 else none,
    )


def devinfs(*, version: str | None = None, max_stores: int = 2) -> st.SearchStrategy[d.DevInf]:
    """Whole DevInf documents, of *version* ("1.1" or "1.2") or either."""
    if version is None:
        return devinfs(version="1.1", max_stores=max_stores) | devinfs(version="1.2", max_stores=max_stores)
    v12 = version == "1.2"
    exts = st.builds(d.Ext, x_nam=texts(), x_vals=_many(texts()))
    top_ctcaps: st.SearchStrategy[tuple[d.AnyCTCap, ...]] = (
        st.just(()) if v12 else st.lists(flat_ctcaps(), max_size=2).map(tuple)
    )
    return st.builds(
        d.DevInf,
        ver_dtd=st.just(version),
        man=_opt(texts()),
        mod=_opt(texts()),
        oem=_opt(texts()),
        fw_v=_opt(texts()),
        sw_v=_opt(texts()),
        hw_v=_opt(texts()),
        dev_id=texts(),
        dev_typ=texts(),
        utc=st.booleans(),
        support_large_objs=st.booleans(),
        support_number_of_changes=st.booleans(),
        data_stores=st.lists(data_stores(version=version), min_size=1, max_size=max_stores).map(tuple),
        ctcaps=top_ctcaps,
        exts=st.lists(exts, max_size=2).map(tuple),
    )


# --- SyncML DS messages ---------------------------------------------------------------------------


def _ds_items(max_items: int = 2) -> st.SearchStrategy[tuple[m.Item, ...]]:
    return st.lists(sts.items(), min_size=1, max_size=max_items).map(tuple)


def filters() -> st.SearchStrategy[m.Filter]:
    """A Target's Filter (DS 1.2): Meta, Field?, Record?, FilterType?."""
    return st.builds(
        m.Filter,
        meta=sts.metas(),
        field=st.none() | st.builds(m.Field, item=sts.items()),
        record=st.none() | st.builds(m.Record, item=sts.items()),
        filter_type=st.none() | st.sampled_from(["INCLUSIVE", "EXCLUSIVE"]),
    )


def ds_targets() -> st.SearchStrategy[m.Target]:
    """Targets, some with a Filter."""
    return st.builds(m.Target, loc_uri=sts.loc_uris(), filter=st.none() | filters())


def puts() -> st.SearchStrategy[m.Put]:
    return st.builds(
        m.Put,
        cmd_id=sts.cmd_ids(),
        no_resp=st.booleans(),
        lang=st.none() | st.sampled_from(["en", "de-CH"]),
        cred=st.none() | sts.creds(),
        meta=st.none() | sts.metas(),
        items=_ds_items(),
    )


def moves() -> st.SearchStrategy[m.Move]:
    return st.builds(
        m.Move,
        cmd_id=sts.cmd_ids(),
        no_resp=st.booleans(),
        cred=st.none() | sts.creds(),
        meta=st.none() | sts.metas(),
        items=_ds_items(),
    )


def maps() -> st.SearchStrategy[m.Map]:
    pairs = st.builds(m.MapItem, target=sts.targets(), source=sts.sources())
    return st.builds(
        m.Map,
        cmd_id=sts.cmd_ids(),
        target=sts.targets(),
        source=sts.sources(),
        cred=st.none() | sts.creds(),
        meta=st.none() | sts.metas(),
        map_items=st.lists(pairs, min_size=1, max_size=3).map(tuple),
    )


def searches() -> st.SearchStrategy[m.Search]:
    return st.builds(
        m.Search,
        cmd_id=sts.cmd_ids(),
        no_resp=st.booleans(),
        no_results=st.booleans(),
        cred=st.none() | sts.creds(),
        target=st.none() | ds_targets(),
        sources=st.lists(sts.sources(), min_size=1, max_size=2).map(tuple),
        lang=st.none() | st.just("en"),
        meta=sts.metas(),
        data=sts.text_values(),
    )


def _group(commands: st.SearchStrategy[m.Command]) -> st.SearchStrategy[m.Command]:
    """An Atomic or a Sequence of *commands*."""
    held = st.lists(commands, min_size=1, max_size=2).map(tuple)
    return st.builds(m.Atomic, cmd_id=sts.cmd_ids(), commands=held) | st.builds(
        m.Sequence, cmd_id=sts.cmd_ids(), commands=held
    )


def syncs() -> st.SearchStrategy[m.Sync]:
    """A Sync with its changes (Add, Replace, Delete, Copy, Move, and an Atomic or Sequence of them)."""
    changes = st.one_of(
        sts.adds(max_items=2), sts.replaces(max_items=2), sts.deletes(max_items=2), sts.copies(max_items=2), moves()
    )
    return st.builds(
        m.Sync,
        cmd_id=sts.cmd_ids(),
        no_resp=st.booleans(),
        cred=st.none() | sts.creds(),
        target=st.none() | ds_targets(),
        source=st.none() | sts.sources(),
        meta=st.none() | sts.metas(),
        number_of_changes=st.none() | st.integers(0, 9999).map(str),
        commands=st.lists(changes | _group(changes), max_size=3).map(tuple),
    )


def devinf_puts() -> st.SearchStrategy[m.Put]:
    """A client's Put of its DevInf (1.1 or 1.2, inline markup, Meta Type on the Item)."""
    return st.builds(
        m.Put,
        cmd_id=sts.cmd_ids(),
        items=st.tuples(devinfs(max_stores=1).map(devinf_item)),
    )


def devinf_results() -> st.SearchStrategy[m.Results]:
    """The Results answering a Get of ``./devinf12``: the DevInf, Meta Type on the command."""
    documents = devinfs(max_stores=1).map(devinf_item).map(lambda item: dataclasses.replace(item, meta=None))
    return st.builds(
        m.Results,
        cmd_id=sts.cmd_ids(),
        msg_ref=st.just("1"),
        cmd_ref=sts.cmd_ids(),
        meta=st.just(m.Meta(type=DEVINF_XML_TYPE)),
        items=st.tuples(documents),
    )


def ds_groups() -> st.SearchStrategy[m.Command]:
    """Atomic and Sequence holding the DS commands they admit too (Sync, Map, Move)."""
    return _group(st.one_of(syncs(), maps(), moves()))


def ds_commands() -> st.SearchStrategy[m.Command]:
    """Any command a DS message carries at the top level, DevInf in Put and Results included.

    Atomic and Sequence come with the DS commands they admit (Sync, Map, Move).
    """
    return st.one_of(
        syncs(),
        maps(),
        puts(),
        searches(),
        moves(),
        devinf_puts(),
        devinf_results(),
        sts.alerts(max_items=1),
        sts.statuses(max_items=1),
        ds_groups(),
    )


def ds_messages(*, max_commands: int = 4) -> st.SearchStrategy[m.SyncML]:
    """Whole SyncML DS messages (VerProto ``SyncML/1.2`` or ``SyncML/1.1``)."""
    header = sts.sync_hdrs().map(lambda h: dataclasses.replace(h, ver_proto=f"SyncML/{h.ver_dtd}"))
    body = st.builds(
        m.SyncBody,
        commands=st.lists(ds_commands(), min_size=1, max_size=max_commands).map(tuple),
        final=st.booleans(),
    )
    return st.builds(m.SyncML, header=header, body=body)
