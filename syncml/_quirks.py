"""What a lenient parse tolerates, by name.

Each tolerance is one :class:`QuirkKind`; its docstring-comment says where
real traffic or documents show it.  A lenient parse records every tolerance
it applied as a :class:`Quirk` on ``SyncML.quirks``; a strict parse refuses
each of them with a :class:`~syncml.DecodeError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Quirk", "QuirkKind"]


class QuirkKind(StrEnum):
    """A deviation from the DTD that lenient parsing accepts."""

    #: MetInf element without ``syncml:metinf``: unqualified (MS Learn ADMX
    #: samples, SyncML Viewer), the ``syncml:metinfo`` typo (MS Learn
    #: unenrollment sample), or the ``xmlns=""`` that Go's encoding/xml
    #: writes.  (The AAD sample's ``"syncml:metinf "`` with a trailing space
    #: is not a valid namespace URI: libxml2 refuses it as malformed.)
    METINF_NAMESPACE = "metinf-namespace"
    #: Whitespace around a value: ``<Type> com.microsoft...`` (MS Learn
    #: unenrollment sample), LocURIs wrapped over lines (SyncML Viewer,
    #: libwbxml test 012), multi-line Type in the OMA DM 1.2 examples.
    VALUE_WHITESPACE = "value-whitespace"
    #: Children out of DTD order: Status with CmdID after Cmd (OMA DM 1.2
    #: protocol examples), TargetParent before SourceParent (Synthesis RTK).
    CHILD_ORDER = "child-order"
    #: The XML declaration names an encoding the bytes are not in (the local
    #: MDM API response in ms-iot issue 84 says utf-16 on UTF-8 bytes).
    WRONG_ENCODING = "wrong-encoding"
    #: Whitespace before the XML declaration (Fleet's PoC log, XML
    #: declarations indented in MS Learn code blocks).
    LEADING_WHITESPACE = "leading-whitespace"
    #: ``<SyncML>`` without a namespace (MS Learn ClientCertificateInstall
    #: sample, the local MDM API response), or SyncML elements in no namespace
    #: inside a qualified message.
    NO_NAMESPACE = "no-namespace"
    #: The SyncML namespace in another case, ``syncml:syncml1.2`` (Horde's
    #: WBXML decoder lowercases it).
    NAMESPACE_CASE = "namespace-case"
    #: Non-whitespace text between elements, such as the ``...`` placeholders
    #: of the MS Learn unenrollment sample.  The text is not kept.
    STRAY_TEXT = "stray-text"
    #: ``Results`` carrying ``Cmd``, as MS-MDM's own content model shows.
    RESULTS_CMD = "results-cmd"
    #: A command where its container's DTD choice does not list it.
    COMMAND_PLACEMENT = "command-placement"
    #: VerDTD disagrees with the root namespace (in WBXML: the public id).
    VERSION_MISMATCH = "version-mismatch"
    #: WBXML whose public id is 0x01 ("unknown"), or a literal one that names
    #: no SyncML DTD, so the version comes from VerDTD (libwbxml's anonymous
    #: output, ``xml2wbxml -a``).
    WBXML_UNKNOWN_PUBLIC_ID = "wbxml-unknown-public-id"
    #: The literal public identifier in the WBXML string table without its
    #: NUL terminator (Horde's WBXML encoder writes it so).
    WBXML_UNTERMINATED_FPI = "wbxml-unterminated-fpi"
    #: The SyncML namespace written as a nameless literal attribute on the
    #: root tag (Nokia devices; libwbxml's parser reads it as ``xmlns``).
    WBXML_LITERAL_XMLNS = "wbxml-literal-xmlns"
    #: A DevInf document in an Item whose Meta Type is not a DevInf type
    #: (``+wbxml`` on XML, ``text/xml``, none): data-sync clients that reuse
    #: one Meta for every Put.
    DEVINF_META_TYPE = "devinf-meta-type"
    #: ``<SyncML>`` with an empty ``<SyncHdr/>`` before its SyncBody: what
    #: Windows' local MDM API (``ApplyLocalManagementSyncML``) and the MS
    #: Learn DiagnosticLog, EnterpriseDesktopAppManagement and declared
    #: configuration pages show as device answers.  ``parse`` reads it as
    #: ``SyncHdr.empty()``, written back as ``<SyncHdr/>``; ``parse_commands``
    #: reads the body.
    EMPTY_SYNCHDR = "empty-synchdr"
    #: An identifier the DTD requires non-empty, written empty: ``<TargetRef/>``
    #: (the Motorola OMA DM engine), ``<SessionID/>`` and ``<LocURI/>``
    #: (buteo-syncml), empty ``MsgRef`` and ``SourceRef``.  Kept as ``""``.
    EMPTY_VALUE = "empty-value"
    #: The versionless root namespace ``syncml:syncml`` (buteo-syncml); the
    #: version comes from VerDTD.
    VERSIONLESS_NAMESPACE = "versionless-namespace"
    #: A literal ``xmlns`` attribute on a WBXML tag, naming the namespace its
    #: code page already gives (Perl's WAP::wbxml writes ``syncml:metinf`` on
    #: Format and Type).  One naming another namespace is refused.
    WBXML_REDUNDANT_XMLNS = "wbxml-redundant-xmlns"
    #: A nested WBXML document (DevInf, DM DDF) in OPAQUE whose Meta Type does
    #: not say ``+wbxml`` (Horde's encoder writes ``+xml``): recognised by its
    #: header, and the Type written back as the document's.
    NESTED_WBXML_TYPE = "nested-wbxml-type"


#: What the ``empty-synchdr`` quirk (and :func:`syncml.check` on an empty
#: header) tells a server: nothing in such a message belongs to a session.
EMPTY_SYNCHDR = (
    "an empty <SyncHdr/> (a Windows local MDM API answer): no SessionID, MsgID, Target or Source,"
    " so it belongs to no DM session; its Status and Results answer a local call"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quirk:
    """One tolerance applied while parsing, and where."""

    kind: QuirkKind
    message: str
    path: str
    line: int | None = None
    #: Byte offset, for WBXML input (which has no lines).
    offset: int | None = None

    def __str__(self) -> str:
        where = [f"at {self.path}"] if self.path else []
        if self.line is not None:
            where.append(f"(line {self.line})")
        elif self.offset is not None:
            where.append(f"(byte {self.offset})")
        return f"{self.kind.value}: {self.message}" + (f" - {' '.join(where)}" if where else "")
