"""Hypothesis strategies for every SyncML element, for your own tests too.

Install with ``pip install "syncml[strategies]"``.  Every strategy here
generates *valid* values: what :func:`syncml.serialize` writes from them is
accepted by ``syncml.parse(..., strict=True)`` and reads back equal.  The size
knobs (``max_items``, ``max_commands``, ``max_depth``) keep examples small by
default; raise them for soak tests.

>>> from hypothesis import given
>>> import syncml
>>> from syncml import strategies as st_syncml
>>> @given(st_syncml.messages())
... def test_round_trip(msg):
...     assert syncml.parse(syncml.serialize(msg)) == msg
>>> test_round_trip()
"""

from __future__ import annotations

import dataclasses
import string

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError('syncml.strategies needs hypothesis: pip install "syncml[strategies]"') from exc

from . import model as m
from ._grammar import ATOMIC_COMMANDS, NS_MSFT, SEQUENCE_COMMANDS

__all__ = [
    "adds",
    "alerts",
    "atomics",
    "cdata",
    "chals",
    "cmd_ids",
    "commands",
    "copies",
    "creds",
    "data_values",
    "deletes",
    "execs",
    "gets",
    "items",
    "loc_uris",
    "markup",
    "messages",
    "metas",
    "replaces",
    "results",
    "sequences",
    "sources",
    "statuses",
    "sync_bodies",
    "sync_hdrs",
    "targets",
    "text_values",
    "tokens",
]

# Characters XML 1.0 can carry (no C0 controls but TAB, LF, CR; no surrogates;
# no U+FFFE/U+FFFF).
_XML_CHARS = st.characters(
    blacklist_categories=["Cs"],
    blacklist_characters="".join(chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)) + "\ufffe\uffff",
)
_WS = " \t\r\n"


def text_values(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text XML can carry, kept exactly (``Data`` content)."""
    return st.text(_XML_CHARS, max_size=max_size)


def tokens(*, min_size: int = 1, max_size: int = 24) -> st.SearchStrategy[str]:
    """Text for a token element: no whitespace at either end."""
    return st.text(_XML_CHARS, min_size=min_size, max_size=max_size).filter(
        lambda t: not t or (t[0] not in _WS and t[-1] not in _WS)
    )


def _digits(min_value: int = 0, max_value: int = 2**32 - 1) -> st.SearchStrategy[str]:
    return st.integers(min_value, max_value).map(str)


def cmd_ids() -> st.SearchStrategy[str]:
    """CmdID values as real peers write them: small numbers, hex, UUIDs."""
    return st.one_of(
        _digits(1, 9999),
        st.uuids().map(str),
        st.text(string.hexdigits, min_size=1, max_size=8).filter(lambda t: t != "0" and t.strip("0") != ""),
    )


def loc_uris() -> st.SearchStrategy[str]:
    """Device URIs, server URLs and device identifiers."""
    segment = st.text(string.ascii_letters + string.digits + "%-_.{}", min_size=1, max_size=12)
    node_uri = st.lists(segment, min_size=1, max_size=5).map(lambda parts: "./" + "/".join(parts))
    return st.one_of(
        node_uri,
        st.just("./Vendor/MSFT/DMClient/Provider/MDM Provider/Unenroll"),
        st.sampled_from(["https://mdm.example.com/omadm", "IMEI:493005100592800", "urn:uuid:1234"]),
        tokens(),
    )


def targets() -> st.SearchStrategy[m.Target]:
    return st.builds(m.Target, loc_uri=loc_uris(), loc_name=st.none() | tokens(min_size=0))


def sources() -> st.SearchStrategy[m.Source]:
    return st.builds(m.Source, loc_uri=loc_uris(), loc_name=st.none() | tokens(min_size=0))


def _opt(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


def metas() -> st.SearchStrategy[m.Meta]:
    """A MetInf bag; numeric elements hold integers."""
    formats = st.sampled_from(["b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date", "time", "float"])
    types = st.one_of(
        st.sampled_from(
            [
                "text/plain",
                "syncml:auth-md5",
                "syncml:auth-basic",
                "com.microsoft:mdm.unenrollment.userrequest",
                "com.microsoft/MDM/LoginStatus",
                "Reversed-Domain-Name:com.microsoft.mdm.requestpending",
            ]
        ),
        tokens(),
    )
    anchors = st.builds(m.Anchor, last=_opt(tokens()), next=tokens())
    mems = st.builds(m.Mem, shared_mem=st.booleans(), free_mem=_digits(), free_id=_digits())
    return st.builds(
        m.Meta,
        field_level=st.booleans(),
        format=_opt(formats),
        type=_opt(types),
        mark=_opt(st.sampled_from(["critical", "informational", "fatal", "draft"])),
        size=_opt(_digits()),
        anchor=st.none() | anchors,
        version=_opt(tokens()),
        next_nonce=_opt(tokens()),
        max_msg_size=_opt(_digits()),
        max_obj_size=_opt(_digits()),
        emi=st.lists(tokens(), max_size=2).map(tuple),
        mem=st.none() | mems,
    )


def creds() -> st.SearchStrategy[m.Cred]:
    return st.builds(m.Cred, meta=st.none() | metas(), data=text_values())


def chals() -> st.SearchStrategy[m.Chal]:
    return st.builds(m.Chal, meta=metas())


def cdata() -> st.SearchStrategy[m.CData]:
    return st.builds(m.CData, text=text_values())


def markup() -> st.SearchStrategy[m.Markup]:
    """Embedded XML, written the way the decoder hands it back."""
    name = st.sampled_from(["Enabled", "Disabled", "data", "MsiInstallJob", "x"])
    word = st.text(string.ascii_letters + string.digits + " .", max_size=10)
    empty = name.map(lambda n: f"<{n}/>")
    with_text = st.tuples(name, word.filter(bool)).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>")
    foreign = word.map(lambda w: f'<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD>{w}</MgmtTree>')
    element = st.one_of(empty, with_text, foreign)
    return st.tuples(word, st.lists(st.tuples(element, word), min_size=1, max_size=3)).map(
        lambda p: m.Markup(xml=p[0] + "".join(e + tail for e, tail in p[1]))
    )


def data_values() -> st.SearchStrategy[m.Data]:
    """``Item/Data``: mostly text, sometimes CDATA or markup."""
    return st.one_of(text_values(), cdata(), markup())


def items(*, with_parents: bool = True) -> st.SearchStrategy[m.Item]:
    loc = st.builds(m.SourceParent, loc_uri=loc_uris())
    tloc = st.builds(m.TargetParent, loc_uri=loc_uris())
    attributes = st.sampled_from([(), ((f"{{{NS_MSFT}}}originalerror", "0x80070057"),)])
    return st.builds(
        m.Item,
        target=st.none() | targets(),
        source=st.none() | sources(),
        source_parent=(st.none() | loc) if with_parents else st.none(),
        target_parent=(st.none() | tloc) if with_parents else st.none(),
        meta=st.none() | metas(),
        data=st.none() | data_values(),
        more_data=st.booleans(),
        data_attributes=attributes,
    ).map(lambda item: item if item.data is not None else dataclasses.replace(item, data_attributes=()))


def _items(max_items: int, min_items: int = 1) -> st.SearchStrategy[tuple[m.Item, ...]]:
    return st.lists(items(), min_size=min_items, max_size=max_items).map(tuple)


def alerts(*, max_items: int = 3) -> st.SearchStrategy[m.Alert]:
    codes = st.one_of(st.sampled_from(["1100", "1101", "1200", "1201", "1222", "1223", "1224", "1226"]), _digits())
    return st.builds(
        m.Alert,
        cmd_id=cmd_ids(),
        no_resp=st.booleans(),
        cred=st.none() | creds(),
        data=st.none() | codes,
        correlator=_opt(tokens()),
        items=_items(max_items, 0),
    )


def statuses(*, max_items: int = 2) -> st.SearchStrategy[m.Status]:
    attributes = st.sampled_from([(), ((f"{{{NS_MSFT}}}originalerror", "0x80070057"),)])
    return st.builds(
        m.Status,
        cmd_id=cmd_ids(),
        msg_ref=st.one_of(_digits(1, 99), tokens()),
        cmd_ref=st.one_of(st.just("0"), cmd_ids()),
        cmd=st.sampled_from(["SyncHdr", "Alert", "Add", "Replace", "Get", "Exec", "Delete", "Atomic"]),
        target_refs=st.lists(loc_uris(), max_size=2).map(tuple),
        source_refs=st.lists(loc_uris(), max_size=2).map(tuple),
        cred=st.none() | creds(),
        chal=st.none() | chals(),
        data=st.one_of(st.sampled_from(["200", "212", "401", "404", "500"]), _digits(100, 999)),
        items=_items(max_items, 0),
        data_attributes=attributes,
    )


def results(*, max_items: int = 3) -> st.SearchStrategy[m.Results]:
    return st.builds(
        m.Results,
        cmd_id=cmd_ids(),
        msg_ref=_opt(_digits(1, 99)),
        cmd_ref=cmd_ids(),
        meta=st.none() | metas(),
        target_ref=_opt(loc_uris()),
        source_ref=_opt(loc_uris()),
        items=_items(max_items),
    )


def gets(*, max_items: int = 3) -> st.SearchStrategy[m.Get]:
    return st.builds(
        m.Get,
        cmd_id=cmd_ids(),
        no_resp=st.booleans(),
        lang=_opt(st.sampled_from(["en-US", "de"])),
        cred=st.none() | creds(),
        meta=st.none() | metas(),
        items=_items(max_items),
    )


def _edit(cls: type[m.Add] | type[m.Replace] | type[m.Copy], max_items: int) -> st.SearchStrategy[m.Command]:
    return st.builds(
        cls,
        cmd_id=cmd_ids(),
        no_resp=st.booleans(),
        cred=st.none() | creds(),
        meta=st.none() | metas(),
        items=_items(max_items),
    )


def adds(*, max_items: int = 3) -> st.SearchStrategy[m.Command]:
    return _edit(m.Add, max_items)


def replaces(*, max_items: int = 3) -> st.SearchStrategy[m.Command]:
    return _edit(m.Replace, max_items)


def copies(*, max_items: int = 3) -> st.SearchStrategy[m.Command]:
    return _edit(m.Copy, max_items)


def deletes(*, max_items: int = 3) -> st.SearchStrategy[m.Delete]:
    return st.builds(
        m.Delete,
        cmd_id=cmd_ids(),
        no_resp=st.booleans(),
        archive=st.booleans(),
        sft_del=st.booleans(),
        cred=st.none() | creds(),
        meta=st.none() | metas(),
        items=_items(max_items),
    )


def execs() -> st.SearchStrategy[m.Exec]:
    return st.builds(
        m.Exec,
        cmd_id=cmd_ids(),
        no_resp=st.booleans(),
        cred=st.none() | creds(),
        meta=st.none() | metas(),
        correlator=_opt(tokens()),
        items=items().map(lambda item: (item,)),
    )


def _leaves(max_items: int) -> dict[str, st.SearchStrategy[m.Command]]:
    return {
        "Alert": alerts(max_items=max_items),
        "Get": gets(max_items=max_items),
        "Add": adds(max_items=max_items),
        "Replace": replaces(max_items=max_items),
        "Delete": deletes(max_items=max_items),
        "Copy": copies(max_items=max_items),
        "Exec": execs(),
    }


def _container(
    cls: type[m.Atomic] | type[m.Sequence], allowed: tuple[str, ...], max_commands: int, max_depth: int
) -> st.SearchStrategy[m.Command]:
    leaves = _leaves(2)
    choices = [leaves[name] for name in allowed if name in leaves]
    if max_depth > 1:
        if "Atomic" in allowed:
            choices.append(atomics(max_commands=max_commands, max_depth=max_depth - 1))
        if "Sequence" in allowed:
            choices.append(sequences(max_commands=max_commands, max_depth=max_depth - 1))
    return st.builds(
        cls,
        cmd_id=cmd_ids(),
        no_resp=st.booleans(),
        meta=st.none() | metas(),
        commands=st.lists(st.one_of(choices), min_size=1, max_size=max_commands).map(tuple),
    )


def atomics(*, max_commands: int = 3, max_depth: int = 2) -> st.SearchStrategy[m.Command]:
    """Atomic with the commands its DTD choice admits, nested to *max_depth*."""
    return st.deferred(lambda: _container(m.Atomic, ATOMIC_COMMANDS, max_commands, max_depth))


def sequences(*, max_commands: int = 3, max_depth: int = 2) -> st.SearchStrategy[m.Command]:
    """Sequence with the commands its DTD choice admits, nested to *max_depth*."""
    return st.deferred(lambda: _container(m.Sequence, SEQUENCE_COMMANDS, max_commands, max_depth))


def commands(*, max_items: int = 3, max_depth: int = 2) -> st.SearchStrategy[m.Command]:
    """Any command a SyncBody may hold."""
    return st.one_of(
        alerts(max_items=max_items),
        statuses(max_items=max_items),
        results(max_items=max_items),
        gets(max_items=max_items),
        adds(max_items=max_items),
        replaces(max_items=max_items),
        deletes(max_items=max_items),
        copies(max_items=max_items),
        execs(),
        atomics(max_depth=max_depth),
        sequences(max_depth=max_depth),
    )


def sync_hdrs(*, version: str | None = None) -> st.SearchStrategy[m.SyncHdr]:
    versions = st.just(version) if version else st.sampled_from(["1.2", "1.1"])
    return versions.flatmap(
        lambda ver: st.builds(
            m.SyncHdr,
            ver_dtd=st.just(ver),
            ver_proto=st.just("DM/1.2" if ver == "1.2" else "DM/1.1.2"),
            session_id=st.one_of(_digits(1, 9999), st.text("0123456789ABCDEF", min_size=1, max_size=4)),
            msg_id=st.one_of(_digits(1, 9999), st.just("01")),
            target=targets(),
            source=sources(),
            resp_uri=_opt(st.just("https://mdm.example.com/omadm?s=1")),
            no_resp=st.booleans(),
            cred=st.none() | creds(),
            meta=st.none() | metas(),
        )
    )


def sync_bodies(*, max_commands: int = 5, max_items: int = 3) -> st.SearchStrategy[m.SyncBody]:
    return st.builds(
        m.SyncBody,
        commands=st.lists(commands(max_items=max_items), min_size=1, max_size=max_commands).map(tuple),
        final=st.booleans(),
        namespaces=st.sampled_from([(), (("msft", NS_MSFT),)]),
    )


def messages(*, version: str | None = None, max_commands: int = 5, max_items: int = 3) -> st.SearchStrategy[m.SyncML]:
    """Whole valid messages."""
    return st.builds(
        m.SyncML,
        header=sync_hdrs(version=version),
        body=sync_bodies(max_commands=max_commands, max_items=max_items),
    )
