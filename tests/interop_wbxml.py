"""The WBXML interop examples, assembled token by token.

Each function writes one shape a real encoder produces (our own message, not
a copy of theirs); ``python -m tests.interop_wbxml`` writes them into
``tests/examples/interop/`` and ``tests/test_interop.py`` checks that the
files are what this module builds.
"""

from __future__ import annotations

from pathlib import Path

import syncml
from syncml import model as m

from .wbxml_tokens import alert, el, header, message, meta, s, switch

DIR = Path(__file__).resolve().parent / "examples" / "interop"

LITERAL = 0x04
XMLNS_TABLE = b"xmlns\x00"  # the attribute name, at string-table index 0


def xmlns_attr(uri: str) -> bytes:
    """``xmlns="uri"`` as Perl WAP::wbxml writes it: LITERAL name (string table), STR_I value, END."""
    return bytes([LITERAL, 0]) + s(uri) + b"\x01"


def _metinf(name: str, text: str, uri: str) -> bytes:
    return el(name, s(text), page=1, attrs=xmlns_attr(uri))


def _generic_alert(uri: str) -> bytes:
    item = el(
        "Item",
        meta(_metinf("Format", "int", uri), _metinf("Type", "com.microsoft:mdm.unenrollment.userrequest", uri)),
        el("Data", s("1")),
    )
    return el("Alert", el("CmdID", s("2")), el("Data", s("1226")), item)


def perl_metinf_xmlns() -> bytes:
    """MetInf Format and Type each carrying a literal ``xmlns`` that agrees with code page 1."""
    return message(alert("1"), _generic_alert("syncml:metinf"), table=XMLNS_TABLE)


def perl_metinf_xmlns_contradicting() -> bytes:
    """The same with ``xmlns`` naming another namespace than the code page's: refused."""
    return message(alert("1"), _generic_alert("SYNCML:SYNCML1.2"), table=XMLNS_TABLE)


def perl_metinf_xmlns_in_data() -> bytes:
    """A MetInf tag inside Item Data markup, with the same redundant literal ``xmlns``."""
    data = el("Data", switch(1), _metinf("Type", "text/plain", "syncml:metinf"), switch(0))
    item = el("Item", el("Target", el("LocURI", s("./Vendor/Example/Meta"))), data)
    return message(el("Replace", el("CmdID", s("2")), item), table=XMLNS_TABLE)


_DEVINF = (
    '<DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD><Man>Example Phones</Man><Mod>EP-12</Mod>'
    "<OEM>Example OEM</OEM><FwV>1.0</FwV><SwV>2.4</SwV><HwV>B</HwV><DevID>IMEI:490154203237518</DevID>"
    "<DevTyp>phone</DevTyp></DevInf>"
)
DEVINF_WBXML_TYPE = b"application/vnd.syncml-devinf+wbxml\x00"


def nested_devinf_model(meta_type: str | None) -> m.SyncML:
    item = m.Item(source=m.Source(loc_uri="./devinf12"), data=m.Markup(xml=_DEVINF))
    results = m.Results(
        cmd_id="2",
        msg_ref="1",
        cmd_ref="4",
        meta=m.Meta(type=meta_type) if meta_type else None,
        items=(item,),
    )
    hdr = m.SyncHdr(
        session_id="1",
        msg_id="2",
        target=m.Target(loc_uri="http://sync.example.org/"),
        source=m.Source(loc_uri="IMEI:490154203237518"),
    )
    return m.SyncML(header=hdr, body=m.SyncBody(commands=(results,), final=True))


def horde_nested_devinf_xml_type() -> bytes:
    """A nested DevInf WBXML document in OPAQUE under Meta Type ``+xml`` (Horde's encoder)."""
    ours = syncml.serialize(nested_devinf_model("application/vnd.syncml-devinf+xml"), wbxml=True)
    assert ours.count(DEVINF_WBXML_TYPE) == 1
    return ours.replace(DEVINF_WBXML_TYPE, b"application/vnd.syncml-devinf+xml\x00")


def nested_devinf_other_type() -> bytes:
    """The same document under Meta Type ``text/plain``: the bytes still say DevInf."""
    ours = syncml.serialize(nested_devinf_model("application/vnd.syncml-devinf+xml"), wbxml=True)
    return ours.replace(DEVINF_WBXML_TYPE, b"text/plain\x00")


def header_public_id_12_verdtd_11() -> bytes:
    """Public id 1.2 on a message whose VerDTD says 1.1 (a Motorola engine package)."""
    return message(alert("1"), hdr=header("1.1"))


def libwbxml_anonymous() -> bytes:
    """Public id 0x01, "unknown", as ``xml2wbxml -a`` writes it: the version comes from VerDTD."""
    return message(alert("1"), public_id=b"\x01")


BUILDERS = {
    "interop-perl-wbxml-metinf-xmlns.wbxml": perl_metinf_xmlns,
    "interop-perl-wbxml-metinf-xmlns-contradicting.wbxml": perl_metinf_xmlns_contradicting,
    "interop-perl-wbxml-metinf-xmlns-in-data.wbxml": perl_metinf_xmlns_in_data,
    "interop-horde-nested-devinf-xml-type.wbxml": horde_nested_devinf_xml_type,
    "interop-nested-devinf-text-plain-type.wbxml": nested_devinf_other_type,
    "interop-motorola-public-id-12-verdtd-11.wbxml": header_public_id_12_verdtd_11,
    "interop-libwbxml-anonymous-public-id.wbxml": libwbxml_anonymous,
}


def main() -> None:
    for name, build in BUILDERS.items():
        (DIR / name).write_bytes(build())


if __name__ == "__main__":
    main()
