"""Compare XML documents the way the round-trip promise is stated.

C14N 2.0 with whitespace-only text between elements ignored (``strip_text``)
and prefixes rewritten (a prefixed MetInf element equals an unprefixed one in
the same namespace); MetInf children of a ``Meta`` are put in DTD order first,
because the serializer writes them in that order whatever the input had.
"""

from __future__ import annotations

from xml.etree.ElementTree import canonicalize

from lxml import etree

_METINF = "syncml:metinf"
_METINF_ORDER = [
    "FieldLevel", "Format", "Type", "Mark", "Size", "Anchor", "Version",
    "NextNonce", "MaxMsgSize", "MaxObjSize", "EMI", "Mem",
]  # fmt: skip


def _sort_metinf(root: etree._Element) -> None:
    for meta in root.iter("{*}Meta"):
        kids = list(meta)
        if all(isinstance(k.tag, str) and k.tag.startswith("{" + _METINF + "}") for k in kids):
            kids.sort(key=lambda k: _METINF_ORDER.index(etree.QName(k).localname))
            meta[:] = kids


def canonical(xml: bytes) -> str:
    """The canonical form of a SyncML document (MetInf in DTD order)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(xml, parser)
    _sort_metinf(root)
    text = etree.tostring(root, encoding="unicode")
    return canonicalize(text, strip_text=True, rewrite_prefixes=True)
