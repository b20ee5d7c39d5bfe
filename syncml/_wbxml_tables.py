"""WBXML token tables for SyncML DM, defined once for the decoder and the encoder.

WBXML (WAP-192, versions 1.1 to 1.3) replaces each tag by a one-byte token in
a numbered code page, and each namespace of SyncML by a code page: page 0 is
SyncML (``SYNCML:SYNCML1.2`` or ``1.1``), page 1 is MetInf
(``syncml:metinf``).  The token values are those of the SyncML RepPro and
MetInf 1.2 WBXML definitions as libwbxml's tables carry them (docs/wbxml.md
says how they are written).  DevInf and DM DDF (TNDS) documents are separate WBXML documents with their
own public identifiers, nested in a Data element as OPAQUE bytes.

The tables are keyed by the element names of :mod:`syncml._grammar`; the
lookups at the end join them with the content models, so both codecs see one
``(page, token) -> Child`` table per element.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ._grammar import COMMAND_CLASSES, ELEMENTS, NS_METINF, NS_SYNCML_11, NS_SYNCML_12, Child, Kind
from ._quirks import QuirkKind

# --- Global tokens (WAP-192 5.8.4.7.2), the same in every code page ----------

SWITCH_PAGE = 0x00  # followed by a u_int8 page number
END = 0x01  # ends an element's content or attribute list
ENTITY = 0x02  # followed by an mb_u_int32 character code
STR_I = 0x03  # followed by a NUL-terminated string
LITERAL = 0x04  # a tag (or attribute) named by a string-table index
EXT_I_0, EXT_I_1, EXT_I_2 = 0x40, 0x41, 0x42
PI = 0x43
LITERAL_C = 0x44  # LITERAL with content
EXT_T_0, EXT_T_1, EXT_T_2 = 0x80, 0x81, 0x82
STR_T = 0x83  # followed by an mb_u_int32 string-table index
LITERAL_A = 0x84  # LITERAL with attributes
EXT_0, EXT_1, EXT_2 = 0xC0, 0xC1, 0xC2
OPAQUE = 0xC3  # followed by an mb_u_int32 length and that many bytes
LITERAL_AC = 0xC4  # LITERAL with attributes and content

#: Tag byte = token | HAS_CONTENT | HAS_ATTRIBUTES; tokens start at 0x05.
HAS_ATTRIBUTES = 0x80
HAS_CONTENT = 0x40
TOKEN_MASK = 0x3F
FIRST_TAG = 0x05

#: Names of the global tokens, for error messages.
GLOBAL_NAMES = {
    SWITCH_PAGE: "SWITCH_PAGE", END: "END", ENTITY: "ENTITY", STR_I: "STR_I", LITERAL: "LITERAL",
    EXT_I_0: "EXT_I_0", EXT_I_1: "EXT_I_1", EXT_I_2: "EXT_I_2", PI: "PI", LITERAL_C: "LITERAL_C",
    EXT_T_0: "EXT_T_0", EXT_T_1: "EXT_T_1", EXT_T_2: "EXT_T_2", STR_T: "STR_T", LITERAL_A: "LITERAL_A",
    EXT_0: "EXT_0", EXT_1: "EXT_1", EXT_2: "EXT_2", OPAQUE: "OPAQUE", LITERAL_AC: "LITERAL_AC",
}  # fmt: skip

# --- Header values -------------------------------------------------------------

#: Version byte by version name.  OMA DM 1.2 requires reading 1.1 to 1.3.
VERSIONS = {"1.1": 0x01, "1.2": 0x02, "1.3": 0x03}
VERSION_NAMES = {byte: name for name, byte in VERSIONS.items()}

#: Public identifier 0 means "the identifier is a string in the string table";
#: 1 means "unknown".
LITERAL_PUBLIC_ID = 0x00
UNKNOWN_PUBLIC_ID = 0x01

#: SyncML public ids (libwbxml's tables) -> VerDTD.
SYNCML_PUBLIC_IDS = {0x1201: "1.2", 0x0FD3: "1.1"}
SYNCML_10_PUBLIC_ID = 0x0FD1
#: Formal public identifiers, compared without case, -> VerDTD.  The OMA
#: spelling is that of the 2004 RepPro 1.2 draft.
SYNCML_FPIS = {
    "-//SYNCML//DTD SYNCML 1.2//EN": "1.2",
    "-//OMA//DTD SYNCML 1.2//EN": "1.2",
    "-//SYNCML//DTD SYNCML 1.1//EN": "1.1",
}
#: What the encoder writes for each VerDTD.
SYNCML_PUBLIC_ID_BY_VERSION = {ver: pid for pid, ver in SYNCML_PUBLIC_IDS.items()}
SYNCML_FPI_BY_VERSION = {"1.2": "-//SYNCML//DTD SyncML 1.2//EN", "1.1": "-//SYNCML//DTD SyncML 1.1//EN"}
NAMESPACE_BY_VERSION = {"1.2": NS_SYNCML_12, "1.1": NS_SYNCML_11}

#: Charsets by IANA MIBenum.  Only charsets in which a NUL byte ends a string
#: can be read (WBXML's string terminator is one 0x00 byte).  MIBenum 0 means
#: "unknown"; SyncML is UTF-8 then.
UTF_8 = 106
CHARSETS = {UTF_8: "utf-8", 3: "ascii", 4: "latin-1", 0: "utf-8"}

# --- Code page 0: SyncML 1.2 (0x35-0x3C are 1.2 additions) ---------------------

SYNCML_PAGE = 0
SYNCML_TAGS = {
    "Add": 0x05, "Alert": 0x06, "Archive": 0x07, "Atomic": 0x08, "Chal": 0x09, "Cmd": 0x0A, "CmdID": 0x0B,
    "CmdRef": 0x0C, "Copy": 0x0D, "Cred": 0x0E, "Data": 0x0F, "Delete": 0x10, "Exec": 0x11, "Final": 0x12,
    "Get": 0x13, "Item": 0x14, "Lang": 0x15, "LocName": 0x16, "LocURI": 0x17, "Map": 0x18, "MapItem": 0x19,
    "Meta": 0x1A, "MsgID": 0x1B, "MsgRef": 0x1C, "NoResp": 0x1D, "NoResults": 0x1E, "Put": 0x1F,
    "Replace": 0x20, "RespURI": 0x21, "Results": 0x22, "Search": 0x23, "Sequence": 0x24, "SessionID": 0x25,
    "SftDel": 0x26, "Source": 0x27, "SourceRef": 0x28, "Status": 0x29, "Sync": 0x2A, "SyncBody": 0x2B,
    "SyncHdr": 0x2C, "SyncML": 0x2D, "Target": 0x2E, "TargetRef": 0x2F, "VerDTD": 0x31, "VerProto": 0x32,
    "NumberOfChanges": 0x33, "MoreData": 0x34, "Field": 0x35, "Filter": 0x36, "Record": 0x37,
    "FilterType": 0x38, "SourceParent": 0x39, "TargetParent": 0x3A, "Move": 0x3B, "Correlator": 0x3C,
}  # fmt: skip

# --- Code page 1: MetInf 1.2 (FieldLevel is the 1.2 addition) ------------------

METINF_PAGE = 1
METINF_TAGS = {
    "Anchor": 0x05, "EMI": 0x06, "Format": 0x07, "FreeID": 0x08, "FreeMem": 0x09, "Last": 0x0A, "Mark": 0x0B,
    "MaxMsgSize": 0x0C, "Mem": 0x0D, "MetInf": 0x0E, "Next": 0x0F, "NextNonce": 0x10, "SharedMem": 0x11,
    "Size": 0x12, "Type": 0x13, "Version": 0x14, "MaxObjSize": 0x15, "FieldLevel": 0x16,
}  # fmt: skip

# --- Nested documents ------------------------------------------------------------

_DEVINF_12_TAGS = {
    "CTCap": 0x05, "CTType": 0x06, "DataStore": 0x07, "DataType": 0x08, "DevID": 0x09, "DevInf": 0x0A,
    "DevTyp": 0x0B, "DisplayName": 0x0C, "DSMem": 0x0D, "Ext": 0x0E, "FwV": 0x0F, "HwV": 0x10, "Man": 0x11,
    "MaxGUIDSize": 0x12, "MaxID": 0x13, "MaxMem": 0x14, "Mod": 0x15, "OEM": 0x16, "ParamName": 0x17,
    "PropName": 0x18, "Rx": 0x19, "Rx-Pref": 0x1A, "SharedMem": 0x1B, "MaxSize": 0x1C, "SourceRef": 0x1D,
    "SwV": 0x1E, "SyncCap": 0x1F, "SyncType": 0x20, "Tx": 0x21, "Tx-Pref": 0x22, "ValEnum": 0x23,
    "VerCT": 0x24, "VerDTD": 0x25, "XNam": 0x26, "XVal": 0x27, "UTC": 0x28, "SupportNumberOfChanges": 0x29,
    "SupportLargeObjs": 0x2A, "Property": 0x2B, "PropParam": 0x2C, "MaxOccur": 0x2D, "NoTruncate": 0x2E,
    "Filter-Rx": 0x30, "FilterCap": 0x31, "FilterKeyword": 0x32, "FieldLevel": 0x33,
    "SupportHierarchicalSync": 0x34,
}  # fmt: skip
# DevInf 1.1 has Size where 1.2 has MaxSize, and stops at SupportLargeObjs.
_DEVINF_11_TAGS = {
    ("Size" if name == "MaxSize" else name): token for name, token in _DEVINF_12_TAGS.items() if token <= 0x2A
}

_DDF_TAGS = {
    "AccessType": 0x05, "ACL": 0x06, "Add": 0x07, "b64": 0x08, "bin": 0x09, "bool": 0x0A, "chr": 0x0B,
    "CaseSense": 0x0C, "CIS": 0x0D, "Copy": 0x0E, "CS": 0x0F, "date": 0x10, "DDFName": 0x11,
    "DefaultValue": 0x12, "Delete": 0x13, "Description": 0x14, "DFFormat": 0x15, "DFProperties": 0x16,
    "DFTitle": 0x17, "DFType": 0x18, "Dynamic": 0x19, "Exec": 0x1A, "float": 0x1B, "Format": 0x1C, "Get": 0x1D,
    "int": 0x1E, "Man": 0x1F, "MgmtTree": 0x20, "MIME": 0x21, "Mod": 0x22, "Name": 0x23, "Node": 0x24,
    "node": 0x25, "NodeName": 0x26, "null": 0x27, "Occurrence": 0x28, "One": 0x29, "OneOrMore": 0x2A,
    "OneOrN": 0x2B, "Path": 0x2C, "Permanent": 0x2D, "Replace": 0x2E, "RTProperties": 0x2F, "Scope": 0x30,
    "Size": 0x31, "time": 0x32, "Title": 0x33, "TStamp": 0x34, "Type": 0x35, "Value": 0x36, "VerDTD": 0x37,
    "VerNo": 0x38, "xml": 0x39, "ZeroOrMore": 0x3A, "ZeroOrN": 0x3B, "ZeroOrOne": 0x3C,
}  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)  # singletons: hashed by identity
class Vocabulary:
    """One kind of nested document: its namespace, code page, tokens and identifiers."""

    name: str
    namespace: str
    page: int
    #: Token tables by public id; the encoder writes ``public_ids[version]``.
    tags_by_public_id: dict[int, dict[str, int]]
    #: Formal public identifiers, upper-cased, -> the public id they stand for.
    fpis: dict[str, int]
    #: What the encoder writes by the enclosing message's VerDTD: a public id,
    #: or a literal FPI when the DTD has no public id (DM DDF).
    public_ids: dict[str, int]
    literal_fpi: str | None
    #: Meta Type of the document in XML and in WBXML.
    xml_type: str
    wbxml_type: str

    def tags_for(self, public_id: int) -> dict[str, int]:
        return self.tags_by_public_id[public_id]

    def written_id(self, ver_dtd: str) -> int:
        """The public id the encoder gives this document inside a SyncML *ver_dtd* message
        (``DDF_LITERAL`` when it has none and goes by its FPI)."""
        return self.public_ids.get(ver_dtd, _DDF_LITERAL)


# DevInf has public ids; DM DDF 1.2 has none, so libwbxml writes its FPI.
_DDF_LITERAL = -1
DEVINF = Vocabulary(
    name="DevInf",
    namespace="syncml:devinf",
    page=0,
    tags_by_public_id={0x1203: _DEVINF_12_TAGS, 0x0FD4: _DEVINF_11_TAGS},
    fpis={"-//SYNCML//DTD DEVINF 1.2//EN": 0x1203, "-//SYNCML//DTD DEVINF 1.1//EN": 0x0FD4},
    public_ids={"1.2": 0x1203, "1.1": 0x0FD4},
    literal_fpi=None,
    xml_type="application/vnd.syncml-devinf+xml",
    wbxml_type="application/vnd.syncml-devinf+wbxml",
)
TNDS = Vocabulary(
    name="MgmtTree",
    namespace="syncml:dmddf1.2",
    page=2,
    tags_by_public_id={_DDF_LITERAL: _DDF_TAGS},
    fpis={"-//OMA//DTD-DM-DDF 1.2//EN": _DDF_LITERAL},
    public_ids={},
    literal_fpi="-//OMA//DTD-DM-DDF 1.2//EN",
    xml_type="application/vnd.syncml.dmtnds+xml",
    wbxml_type="application/vnd.syncml.dmtnds+wbxml",
)
NESTED = (DEVINF, TNDS)
#: Meta Type (lower case) -> the nested document it announces, per form.
NESTED_BY_XML_TYPE = {v.xml_type: v for v in NESTED}
NESTED_BY_WBXML_TYPE = {v.wbxml_type: v for v in NESTED}
NESTED_BY_NAMESPACE = {v.namespace: v for v in NESTED}
DDF_LITERAL = _DDF_LITERAL

# --- Joined with the content models ---------------------------------------------


def key(page: int, token: int) -> int:
    """One integer for a (code page, token) pair."""
    return page << 8 | token


#: Element name by (page, token), for the SyncML document's two pages.
NAME_BY_KEY = {key(SYNCML_PAGE, t): n for n, t in SYNCML_TAGS.items()} | {
    key(METINF_PAGE, t): n for n, t in METINF_TAGS.items()
}


class MissingToken(LookupError):
    """An element of the grammar has no token in the table of its code page.

    Raised at import, so a grammar change without its WBXML token names the
    table to extend instead of failing with a bare ``KeyError``.
    """


def tag_token(name: str, *, metinf: bool = False) -> int:
    """The token of element *name* in the SyncML page, or in the MetInf page when *metinf*."""
    table, table_name = (METINF_TAGS, "METINF_TAGS") if metinf else (SYNCML_TAGS, "SYNCML_TAGS")
    token = table.get(name)
    if token is None:
        raise MissingToken(f"<{name}> has no WBXML token in {table_name} (syncml/_wbxml_tables.py): add it there")
    return token


def _child_key(child: Child) -> int:
    if child.metinf:
        return key(METINF_PAGE, tag_token(child.name, metinf=True))
    return key(SYNCML_PAGE, tag_token(child.name))


def _lookup(name: str) -> dict[int, Child]:
    """(page, token) -> Child for one element, commands outside the DTD choice included."""
    element = ELEMENTS_BY_NAME[name]
    table = {_child_key(child): child for child in element.children}
    choices = [child for child in element.children if child.kind is Kind.COMMAND]
    if choices:
        # Lenient parsing admits any command in any container, as a quirk
        # (the XML decoder does the same).
        for command, cls in COMMAND_CLASSES.items():
            token = key(SYNCML_PAGE, tag_token(command))
            if token not in table:
                table[token] = dataclasses.replace(
                    choices[0], name=command, node=cls, quirk=QuirkKind.COMMAND_PLACEMENT
                )
    return table


ELEMENTS_BY_NAME = {element.name: element for element in ELEMENTS.values()}
#: Per element name: (page, token) -> Child.
CHILDREN = {name: _lookup(name) for name in ELEMENTS_BY_NAME}
#: (page, token) of each Child, for the encoder, by (element name, child name).
TOKEN_OF = {
    (element.name, child.name): divmod(_child_key(child), 256)
    for element in ELEMENTS.values()
    for child in element.children
}
#: (page, token) of each command, for the encoder.
COMMAND_TOKENS = {name: (SYNCML_PAGE, tag_token(name)) for name in COMMAND_CLASSES}
SYNCML_ROOT = key(SYNCML_PAGE, tag_token("SyncML"))
NS_BY_PAGE = {SYNCML_PAGE: None, METINF_PAGE: NS_METINF}
