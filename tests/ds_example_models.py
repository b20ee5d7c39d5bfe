"""The models of the SyncML DS example messages (``tests/examples/ds-*.xml``).

A slow sync and a two-way sync between a phone (``IMEI:490154203237518``)
and ``https://ds.example.com/sync``, written for syncml: package 1 (alert
and DevInf), the server's answer, the client's changes, the server's
changes, the client's Map; plus the DS elements those do not show (Search,
Target Filter, Move, Put with Lang, Results carrying DevInf 1.1, SyncML 1.1).
``example_models.EXPECTED`` includes this table.
"""

from __future__ import annotations

from syncml.model import (
    Add,
    Alert,
    Anchor,
    Atomic,
    Command,
    Cred,
    Delete,
    Field,
    Filter,
    Get,
    Item,
    Map,
    MapItem,
    Markup,
    Mem,
    Meta,
    Move,
    Put,
    Record,
    Replace,
    Results,
    Search,
    Source,
    SourceParent,
    Status,
    Sync,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
    TargetParent,
)

SERVER = "https://ds.example.com/sync"
PHONE = "IMEI:490154203237518"
DEVINF_XML = "application/vnd.syncml-devinf+xml"
VCARD = "text/x-vcard"

_DEVINF_12 = (
    '<DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD><Man>Example Phones</Man><Mod>EP-12</Mod>'
    "<DevID>IMEI:490154203237518</DevID><DevTyp>phone</DevTyp><UTC/><SupportLargeObjs/>"
    "<SupportNumberOfChanges/><DataStore><SourceRef>contacts</SourceRef><MaxGUIDSize>32</MaxGUIDSize>"
    "<Rx-Pref><CTType>text/x-vcard</CTType><VerCT>2.1</VerCT></Rx-Pref>"
    "<Tx-Pref><CTType>text/x-vcard</CTType><VerCT>2.1</VerCT></Tx-Pref>"
    "<SyncCap><SyncType>1</SyncType><SyncType>2</SyncType></SyncCap></DataStore></DevInf>"
)
_DEVINF_11 = (
    '<DevInf xmlns="syncml:devinf"><VerDTD>1.1</VerDTD><DevID>IMEI:351234567890123</DevID>'
    "<DevTyp>phone</DevTyp><DataStore><SourceRef>Contacts</SourceRef>"
    "<Rx-Pref><CTType>text/x-vcard</CTType><VerCT>2.1</VerCT></Rx-Pref>"
    "<Tx-Pref><CTType>text/x-vcard</CTType><VerCT>2.1</VerCT></Tx-Pref>"
    "<SyncCap><SyncType>1</SyncType></SyncCap></DataStore>"
    "<CTCap><CTType>text/x-vcard</CTType><PropName>BEGIN</PropName><ValEnum>VCARD</ValEnum></CTCap></DevInf>"
)


def _header(msg_id: str, *, client: bool, session: str = "1", ver: str = "1.2") -> SyncHdr:
    phone, server = Source(loc_uri=PHONE), Target(loc_uri=SERVER)
    if client:
        return SyncHdr(
            ver_dtd=ver, ver_proto=f"SyncML/{ver}", session_id=session, msg_id=msg_id, target=server, source=phone
        )
    return SyncHdr(
        ver_dtd=ver,
        ver_proto=f"SyncML/{ver}",
        session_id=session,
        msg_id=msg_id,
        target=Target(loc_uri=PHONE),
        source=Source(loc_uri=SERVER),
    )


def _next(anchor: str) -> Markup:
    # A Status for a sync Alert echoes the Next anchor it received (DS 1.2).
    return Markup(xml=f'<Anchor xmlns="syncml:metinf"><Next>{anchor}</Next></Anchor>')


def _vcard(name: str) -> str:
    return f"BEGIN:VCARD\nVERSION:2.1\nN:{name}\nEND:VCARD"


def _header_status(msg_ref: str, code: str = "200") -> Status:
    return Status(
        cmd_id="1", msg_ref=msg_ref, cmd_ref="0", cmd="SyncHdr", target_refs=(SERVER,), source_refs=(PHONE,), data=code
    )


DS_EXPECTED: dict[str, SyncML | tuple[Command, ...]] = {
    # Slow sync, package 1: no Last anchor (first sync), the client's DevInf in a Put.
    "ds-client-slow-sync-alert-put-devinf.xml": SyncML(
        header=SyncHdr(
            ver_dtd="1.2",
            ver_proto="SyncML/1.2",
            session_id="1",
            msg_id="1",
            target=Target(loc_uri=SERVER),
            source=Source(loc_uri=PHONE, loc_name="alice"),
            cred=Cred(meta=Meta(format="b64", type="syncml:auth-basic"), data="YWxpY2U6c2VjcmV0"),
            meta=Meta(max_msg_size="10000", max_obj_size="4000000"),
        ),
        body=SyncBody(
            commands=(
                Alert(
                    cmd_id="1",
                    data="201",
                    items=(
                        Item(
                            target=Target(loc_uri="./contacts"),
                            source=Source(loc_uri="contacts"),
                            meta=Meta(anchor=Anchor(next="20261205T101500Z")),
                        ),
                    ),
                ),
                Put(
                    cmd_id="2",
                    meta=Meta(type=DEVINF_XML),
                    items=(Item(source=Source(loc_uri="./devinf12"), data=Markup(xml=_DEVINF_12)),),
                ),
            ),
            final=True,
        ),
    ),
    # Slow sync, package 2: the server agrees to the slow sync and asks for nothing more.
    "ds-server-slow-sync-alert.xml": SyncML(
        header=_header("1", client=False),
        body=SyncBody(
            commands=(
                Status(
                    cmd_id="1",
                    msg_ref="1",
                    cmd_ref="0",
                    cmd="SyncHdr",
                    target_refs=(PHONE,),
                    source_refs=(SERVER,),
                    data="212",
                ),
                Status(
                    cmd_id="2",
                    msg_ref="1",
                    cmd_ref="1",
                    cmd="Alert",
                    target_refs=("./contacts",),
                    source_refs=("contacts",),
                    items=(Item(data=_next("20261205T101500Z")),),
                    data="200",
                ),
                Status(cmd_id="3", msg_ref="1", cmd_ref="2", cmd="Put", source_refs=("./devinf12",), data="200"),
                Alert(
                    cmd_id="4",
                    data="201",
                    items=(
                        Item(
                            target=Target(loc_uri="contacts"),
                            source=Source(loc_uri="./contacts"),
                            meta=Meta(anchor=Anchor(next="42")),
                        ),
                    ),
                ),
                Get(cmd_id="5", meta=Meta(type=DEVINF_XML), items=(Item(target=Target(loc_uri="./devinf12")),)),
            ),
            final=True,
        ),
    ),
    # Slow sync, package 3: every client item as a Replace, with its LUID.
    "ds-client-slow-sync-items.xml": SyncML(
        header=_header("2", client=True),
        body=SyncBody(
            commands=(
                _header_status("1"),
                Status(
                    cmd_id="2",
                    msg_ref="1",
                    cmd_ref="4",
                    cmd="Alert",
                    target_refs=("contacts",),
                    source_refs=("./contacts",),
                    items=(Item(data=_next("42")),),
                    data="200",
                ),
                Results(
                    cmd_id="3",
                    msg_ref="1",
                    cmd_ref="5",
                    meta=Meta(type=DEVINF_XML),
                    items=(Item(source=Source(loc_uri="./devinf12"), data=Markup(xml=_DEVINF_12)),),
                ),
                Sync(
                    cmd_id="4",
                    target=Target(loc_uri="./contacts"),
                    source=Source(loc_uri="contacts"),
                    meta=Meta(mem=Mem(free_mem="81920", free_id="412")),
                    number_of_changes="2",
                    commands=(
                        Replace(
                            cmd_id="5",
                            meta=Meta(type=VCARD),
                            items=(
                                Item(source=Source(loc_uri="1001"), data=_vcard("Doe;John")),
                                Item(source=Source(loc_uri="1002"), data=_vcard("Roe;Jane")),
                            ),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    # Slow sync, package 4: the server's statuses and the item the client lacks.
    "ds-server-sync-add.xml": SyncML(
        header=_header("2", client=False),
        body=SyncBody(
            commands=(
                Status(
                    cmd_id="1",
                    msg_ref="2",
                    cmd_ref="0",
                    cmd="SyncHdr",
                    target_refs=(PHONE,),
                    source_refs=(SERVER,),
                    data="200",
                ),
                Status(
                    cmd_id="2",
                    msg_ref="2",
                    cmd_ref="4",
                    cmd="Sync",
                    target_refs=("./contacts",),
                    source_refs=("contacts",),
                    data="200",
                ),
                Status(cmd_id="3", msg_ref="2", cmd_ref="5", cmd="Replace", source_refs=("1001",), data="201"),
                Status(cmd_id="4", msg_ref="2", cmd_ref="5", cmd="Replace", source_refs=("1002",), data="207"),
                Sync(
                    cmd_id="5",
                    target=Target(loc_uri="contacts"),
                    source=Source(loc_uri="./contacts"),
                    number_of_changes="1",
                    commands=(
                        Add(
                            cmd_id="6",
                            meta=Meta(type=VCARD),
                            items=(Item(source=Source(loc_uri="g-7f3a"), data=_vcard("Poe;Edgar")),),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    # Slow sync, package 5: the client maps the server's GUID to its new LUID.
    "ds-client-map.xml": SyncML(
        header=_header("3", client=True),
        body=SyncBody(
            commands=(
                _header_status("2"),
                Status(
                    cmd_id="2",
                    msg_ref="2",
                    cmd_ref="5",
                    cmd="Sync",
                    target_refs=("contacts",),
                    source_refs=("./contacts",),
                    data="200",
                ),
                Status(cmd_id="3", msg_ref="2", cmd_ref="6", cmd="Add", source_refs=("g-7f3a",), data="201"),
                Map(
                    cmd_id="4",
                    target=Target(loc_uri="./contacts"),
                    source=Source(loc_uri="contacts"),
                    map_items=(MapItem(target=Target(loc_uri="g-7f3a"), source=Source(loc_uri="1003")),),
                ),
            ),
            final=True,
        ),
    ),
    # Two-way sync, package 3: the changes since the last sync, every kind.
    "ds-client-two-way-changes.xml": SyncML(
        header=_header("2", client=True, session="2"),
        body=SyncBody(
            commands=(
                _header_status("1"),
                Sync(
                    cmd_id="2",
                    target=Target(loc_uri="./contacts"),
                    source=Source(loc_uri="contacts"),
                    number_of_changes="5",
                    commands=(
                        Add(
                            cmd_id="3",
                            meta=Meta(type=VCARD),
                            items=(Item(source=Source(loc_uri="1004"), data=_vcard("Moe;Ann")),),
                        ),
                        Replace(
                            cmd_id="4",
                            meta=Meta(type=VCARD),
                            items=(
                                Item(
                                    target=Target(loc_uri="g-7f3a"),
                                    source=Source(loc_uri="1003"),
                                    data=_vcard("Poe;Edgar Allan"),
                                ),
                            ),
                        ),
                        Delete(cmd_id="5", items=(Item(source=Source(loc_uri="1002")),)),
                        Delete(cmd_id="6", archive=True, sft_del=True, items=(Item(source=Source(loc_uri="1001")),)),
                        Atomic(
                            cmd_id="7",
                            commands=(
                                Move(
                                    cmd_id="8",
                                    items=(
                                        Item(
                                            source=Source(loc_uri="1004"),
                                            source_parent=SourceParent(loc_uri="friends"),
                                            target_parent=TargetParent(loc_uri="g-parent-2"),
                                        ),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    # The elements the sessions above do not show: Search, Target Filter, Put with Lang.
    "ds-server-search-filter.xml": SyncML(
        header=_header("3", client=False, session="2"),
        body=SyncBody(
            commands=(
                Status(
                    cmd_id="1",
                    msg_ref="3",
                    cmd_ref="0",
                    cmd="SyncHdr",
                    target_refs=(PHONE,),
                    source_refs=(SERVER,),
                    data="200",
                ),
                Search(
                    cmd_id="2",
                    no_results=True,
                    target=Target(loc_uri="contacts"),
                    sources=(Source(loc_uri="./contacts"), Source(loc_uri="./archive")),
                    lang="en",
                    meta=Meta(type="syncml:filtertype-cgi"),
                    data="N&LIKE;Doe*",
                ),
                Alert(
                    cmd_id="3",
                    data="200",
                    items=(
                        Item(
                            target=Target(
                                loc_uri="contacts",
                                filter=Filter(
                                    meta=Meta(type="syncml:filtertype-cgi"),
                                    field=Field(item=Item(meta=Meta(type="text/directory"), data="TEL;EMAIL")),
                                    record=Record(item=Item(meta=Meta(type="syncml:filtertype-cgi"), data="N&EQ;Doe")),
                                    filter_type="INCLUSIVE",
                                ),
                            ),
                            source=Source(loc_uri="./contacts"),
                            meta=Meta(anchor=Anchor(last="42", next="43")),
                        ),
                    ),
                ),
                Put(
                    cmd_id="4",
                    lang="en-GB",
                    meta=Meta(type=DEVINF_XML),
                    items=(Item(source=Source(loc_uri="./devinf12"), data=Markup(xml=_DEVINF_12)),),
                ),
            ),
            final=True,
        ),
    ),
    # SyncML 1.1: a Results carrying a DevInf 1.1 document (flat CTCap), as older phones send it.
    "ds-client-results-devinf-11.xml": SyncML(
        header=_header("2", client=True, ver="1.1"),
        body=SyncBody(
            commands=(
                _header_status("1"),
                Results(
                    cmd_id="2",
                    msg_ref="1",
                    cmd_ref="3",
                    meta=Meta(type=DEVINF_XML),
                    items=(Item(source=Source(loc_uri="./devinf11"), data=Markup(xml=_DEVINF_11)),),
                ),
            ),
            final=True,
        ),
    ),
}
