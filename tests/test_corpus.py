"""Every message of the shared corpus has a recorded outcome.

The corpus (``../shared/corpus``, absent on some machines) holds real
messages and documentation samples, many broken on purpose.  Each file must
either parse leniently as a message (with exactly the quirks listed), parse as
a fragment, or be refused with DecodeError and the listed status, so that any
change of behaviour shows up here as a regression.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import syncml
from syncml import QuirkKind as Q

from .c14n import canonical


@dataclass(frozen=True, slots=True)
class Message:
    quirks: frozenset[Q] = frozenset()


@dataclass(frozen=True, slots=True)
class Fragment:
    commands: int


@dataclass(frozen=True, slots=True)
class Refused:
    reason: str
    status: int = 400


Outcome = Message | Fragment | Refused

OUTCOMES: dict[str, Outcome] = {
    "cyanogenmod-omadm-dm12-add-float-date-time-formats-cred-basic.xml": Message(),
    "cyanogenmod-omadm-dm12-atomic-alert1101-replace-leading-tab-respuri.xml": Message(),
    "fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml": Message(),
    "fleet-poc-dump-client-unenroll-generic-alert-1226-userrequest.xml": Message(),
    # Several roots, and Go invented a Target inside each command.
    "fleet-poc-dump-go-encoding-xml-remarshal-fragment-meta-xmlns-empty.xml": Refused("unknown element <Target>"),
    "fleet-poc-dump-server-pkg2-status-ack-four-statuses.xml": Message(frozenset({Q.LEADING_WHITESPACE})),
    "fleet-poc-dump-server-unenroll-ack-synchdr-status-only.xml": Message(frozenset({Q.LEADING_WHITESPACE})),
    # Not namespace-well-formed: the A: prefix is declared nowhere.
    "fleet-poc-sample-add-int-undeclared-A-prefix-cmdid-placeholder.xml": Refused("Namespace prefix A"),
    "fleet-poc-sample-atomic-add-exec-msi-escaped-xml-A-prefix.xml": Refused("Namespace prefix A"),
    "fleet-poc-sample-get-devdetail-devicename-cmdid-placeholder.xml": Fragment(1),
    # Data sync (SyncML DS 1.1): Put and Get of DevInf, no namespace on the root.
    "libwbxml-syncml-003-ds11-cred-basic-maxmsgsize-doctype.xml": Message(frozenset({Q.NO_NAMESPACE})),
    "libwbxml-syncml-012-dm11-bootstrap-add-locuri-whitespace.xml": Message(
        frozenset({Q.NO_NAMESPACE, Q.VALUE_WHITESPACE})
    ),
    # libwbxml's test sample: a Sync without its CmdID.
    "libwbxml-syncml-014-ds11-cdata-in-data.xml": Refused("<Sync> is missing <CmdID>"),
    "mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml": Message(),
    "msdocs-aad-usertoken-alert-1224-prose-in-block-ns-trailing-space.txt": Refused("malformed XML"),
    "msdocs-admx-delete-not-configured.xml": Fragment(1),
    "msdocs-admx-enable-appv-unescaped-xml-in-data-unqualified-meta.xml": Fragment(1),
    "msdocs-admx-publishingserver2-cdata-indented-xmldecl.xml": Fragment(1),
    "msdocs-clientcert-pfx-no-namespace-delete-atomic-cmdid-placeholders.xml": Fragment(2),
    # Typographic quotes and a <ProviderID> placeholder that looks like a tag.
    "msdocs-dmclient-exec-unenroll-curly-quotes-providerid-placeholder.xml": Refused("malformed XML"),
    "msdocs-dmclient-keepalive-alert-1224-requestpending-no-final.xml": Message(),
    "msdocs-issue8376-real-unenroll-syncbody-empty-meta-logged.xml": Refused("Premature end of data"),
    "msdocs-loginstatus-alert-1224-fragment.xml": Fragment(1),
    "msdocs-server-initiated-unenroll-alert-1226-fragment.xml": Fragment(1),
    "msdocs-structure-replace-int-synchdr-syncbody-no-root.xml": Refused("Extra content"),
    "msdocs-structure-server-get-devdetail-swv-single-quoted-xmlns.xml": Message(),
    # xmlns=&#39;...&#39;: not well-formed (see syncml.msft for the repair path).
    "msdocs-unenroll-first-package-generic-alert-quirky-sample.xml": Refused("AttValue"),
    # Windows' local MDM API answer: an empty <SyncHdr/>, utf-16 declared on UTF-8 bytes.
    "msiot-issue84-local-mdm-api-response-utf16-decl-empty-synchdr.xml": Message(
        frozenset({Q.EMPTY_SYNCHDR, Q.NO_NAMESPACE, Q.WRONG_ENCODING})
    ),
    "omadm12-spec-auth-basic-pkg2-server-chal-407.xml": Refused("AttValue"),
    "omadm12-spec-auth-md5-pkg1-client-cred-locname.xml": Refused("AttValue"),
    "omadm12-spec-auth-md5-pkg2-server-chal-nextnonce-212.xml": Refused("AttValue"),
    "omadm12-spec-pkg1-client-init-alert1200-cred-basic-maxmsgsize.xml": Message(),
    "omadm12-spec-pkg2-server-alert1100-get.xml": Message(frozenset({Q.CHILD_ORDER})),
    "omadm12-spec-pkg2-server-status212-sequence-alert1101-replace.xml": Message(
        frozenset({Q.CHILD_ORDER, Q.VALUE_WHITESPACE})
    ),
    # The SyncHdr Status has no CmdRef: it cannot be correlated.
    "omadm12-spec-pkg3-client-get-results.xml": Refused("missing <CmdRef>"),
    "omadm12-spec-pkg3-client-status-sequence-targetref.xml": Message(frozenset({Q.CHILD_ORDER})),
    "syncmlviewer-SyncML-Examples-replace-syncbody-only.txt": Fragment(2),
}


def test_every_corpus_file_has_an_outcome(corpus_dir: Path) -> None:
    files = {p.name for p in corpus_dir.iterdir() if p.name != "PROVENANCE.md"}
    assert files == set(OUTCOMES)


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_outcome(name: str, corpus_dir: Path) -> None:
    data = (corpus_dir / name).read_bytes()
    expected = OUTCOMES[name]
    if isinstance(expected, Message):
        msg = syncml.parse(data)
        assert frozenset(q.kind for q in msg.quirks) == expected.quirks
        assert syncml.parse(syncml.serialize(msg)) == msg
    elif isinstance(expected, Fragment):
        with pytest.raises(syncml.DecodeError):
            syncml.parse(data)
        commands = syncml.parse_commands(data)
        assert len(commands) == expected.commands
        assert syncml.parse_commands(syncml.serialize_commands(commands)) == commands
    else:
        for decode in (syncml.parse, syncml.parse_commands):
            with pytest.raises(syncml.DecodeError) as caught:
                decode(data)
        assert expected.reason in str(caught.value) or expected.reason in _whole_message_reason(data)
        assert caught.value.status == expected.status


def _whole_message_reason(data: bytes) -> str:
    try:
        syncml.parse(data)
    except syncml.DecodeError as exc:
        return str(exc)
    return ""  # pragma: no cover


@pytest.mark.parametrize("name", sorted(n for n, o in OUTCOMES.items() if o == Message()))
def test_clean_messages_round_trip_byte_for_byte_after_canonicalisation(name: str, corpus_dir: Path) -> None:
    """No command reordered, no namespace lost, no value changed."""
    data = (corpus_dir / name).read_bytes()
    assert canonical(syncml.serialize(syncml.parse(data, strict=True))) == canonical(data)
