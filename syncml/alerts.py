"""Generic alerts (1226) and client events (1224): read them, build them.

OMA DM Protocol 1.2 section 2.3.7 ("Generic Alert")::

    Alert/Data          1226 (generic alert) or 1224 (client event)
    Alert/Correlator    optional; echoes the Correlator of the Exec answered
    Item                one or more; each Item is one alert or event
    Item/Source/LocURI  optional; the management object the alert is about
    Item/Meta/Type      required; ``Reversed-Domain-Name:<domain>`` (or
                        ``Content-Type:<mime>``), Windows mostly writes the
                        bare name
    Item/Meta/Format    required (``int``, ``chr``, ``xml``, ``b64`` ...)
    Item/Meta/Mark      optional severity, default ``informational``
    Item/Data           the alert's value, typed by Format and Type

Windows sends both kinds from its first package on (MS Learn CSP pages):
:class:`AlertType` names the types Microsoft documents.  Reading is tolerant
of what real messages show: the ``Reversed-Domain-Name:`` prefix written or
not, whitespace around Type (the MS Learn unenrollment sample), MetInf in the
wrong namespace (parsed leniently and recorded on ``msg.quirks``), and Items
without Meta at all (an MDM vendor's log in MicrosoftDocs issue 8376).

>>> import syncml
>>> from syncml import alerts
>>> alert = alerts.generic_alert(alerts.AlertType.UNENROLLMENT_USER_REQUEST, "1", cmd_id="3", format="int")
>>> [found] = syncml.generic_alerts([alert])
>>> found.known, found.format, found.data, found.cmd_id
(<AlertType.UNENROLLMENT_USER_REQUEST: 'com.microsoft:mdm.unenrollment.userrequest'>, 'int', '1', '3')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from . import model as m
from ._numbers import uint_or_none
from ._walk import CommandSource, walk
from .codes import AlertCode
from .errors import EncodeError

__all__ = [
    "AlertType",
    "GenericAlert",
    "alert_command",
    "client_event",
    "client_events",
    "generic_alert",
    "generic_alerts",
    "type_name",
]

_WS = " \t\r\n"
_PREFIX = "reversed-domain-name:"


class AlertType(StrEnum):
    """Generic-alert and client-event Types that Windows (and OMA FUMO) document.

    Each value is the Type exactly as the documents show it, prefix included
    where they write one; compare through :meth:`GenericAlert.matches`, which
    ignores the prefix and surrounding whitespace.  Sources: MS Learn
    (unenrollment, OMA DM protocol support, Azure AD integration, CSP
    pages); [MS-MDM] 3.2.5.1; [MS-MDE2] DMClient.
    """

    #: 1226, Format int, Data 1: the device is unenrolling (user-initiated,
    #: and in the new session after a server-initiated unenroll).
    UNENROLLMENT_USER_REQUEST = "com.microsoft:mdm.unenrollment.userrequest"
    #: 1224, Data ``user`` / ``others`` / ``none``: who is logged on (package 1).
    LOGIN_STATUS = "com.microsoft/MDM/LoginStatus"
    #: 1224, Data: the Azure AD user token (package 1 with an AAD user).
    AAD_USER_TOKEN = "com.microsoft/MDM/AADUserToken"
    #: 1224, Data ``user`` / ``device`` / ``mixed``: multi-session sync mode.
    SYNC_TYPE = "com.microsoft.mdm.synctype"
    #: 1224: Windows 11 device-preparation state (``Bootstrapping`` ...).
    DEVICE_PREP_SYNC = "com.microsoft/MDM/DevicePrepSync"
    #: 1224, Data 1: keep-alive while a slow request is processed
    #: (DMClient EnableOmaDmKeepAliveMessage).
    REQUEST_PENDING = "Reversed-Domain-Name:com.microsoft.mdm.requestpending"
    #: 1226, Format int: a device health attestation result is ready.
    HEALTH_ATTESTATION_RESULT = "com.microsoft.mdm:HealthAttestation.Result"
    #: 1226, Format int, 0 or an HRESULT: a hosted Store/LOB app install ended.
    HOSTED_APP_INSTALL_RESULT = "Reversed-Domain-Name:com.microsoft.mdm.EnterpriseHostedAppInstall.result"
    #: 1224 in the documented sample (Mark informational), Format int: an
    #: MSI install through EnterpriseDesktopAppManagement ended.
    MSI_INSTALL_RESULT = "Reversed-Domain-Name:com.microsoft.mdm.win32csp_install"
    #: 1224, Data: a ``<DeclaredConfigurations>`` document (WinDC states).
    DECLARED_CONFIGURATION = "com.microsoft.mdm.declaredconfigurationdocuments"
    #: 1226: OMA FUMO firmware download finished (Windows Mobile 6 used FUMO).
    FUMO_DOWNLOAD = "org.openmobilealliance.dm.firmwareupdate.download"
    #: 1226: OMA FUMO firmware update finished.
    FUMO_UPDATE = "org.openmobilealliance.dm.firmwareupdate.update"
    #: 1226: OMA FUMO download-and-update finished.
    FUMO_DOWNLOAD_AND_UPDATE = "org.openmobilealliance.dm.firmwareupdate.downloadandupdate"
    #: 1226: OMA FUMO update requested by the device.
    FUMO_DEVICE_REQUEST = "org.openmobilealliance.dm.firmwareupdate.devicerequest"
    #: 1226: OMA FUMO update requested by the user.
    FUMO_USER_REQUEST = "org.openmobilealliance.dm.firmwareupdate.userrequest"

    @property
    def alert(self) -> AlertCode:
        """The Alert code the documents send this Type with."""
        return _CLIENT_EVENT_TYPES.get(self, AlertCode.GENERIC_ALERT)


_CLIENT_EVENT_TYPES = {
    AlertType.LOGIN_STATUS: AlertCode.CLIENT_EVENT,
    AlertType.AAD_USER_TOKEN: AlertCode.CLIENT_EVENT,
    AlertType.SYNC_TYPE: AlertCode.CLIENT_EVENT,
    AlertType.DEVICE_PREP_SYNC: AlertCode.CLIENT_EVENT,
    AlertType.REQUEST_PENDING: AlertCode.CLIENT_EVENT,
    AlertType.MSI_INSTALL_RESULT: AlertCode.CLIENT_EVENT,
    AlertType.DECLARED_CONFIGURATION: AlertCode.CLIENT_EVENT,
}


def type_name(value: str) -> str:
    """A Type as compared: no surrounding whitespace, no ``Reversed-Domain-Name:`` prefix.

    OMA writes ``Reversed-Domain-Name: org.example.alert`` (with a space),
    Windows ``Reversed-Domain-Name:com.microsoft.mdm.requestpending`` or just
    the name; the MS Learn unenrollment sample has a leading space.

    >>> type_name(" Reversed-Domain-Name: org.example.alert ")
    'org.example.alert'
    """
    text = value.strip(_WS)
    if text[: len(_PREFIX)].lower() == _PREFIX:
        text = text[len(_PREFIX) :].strip(_WS)
    return text


_KNOWN_BY_NAME = {type_name(t.value): t for t in AlertType}


@dataclass(frozen=True, slots=True, kw_only=True)
class GenericAlert:
    """One Item of a 1226 generic alert or a 1224 client event.

    Values are as written in the message (the lenient parser has already
    trimmed whitespace around Type); :attr:`name` and :meth:`matches` compare
    without the ``Reversed-Domain-Name:`` prefix.  ``code`` says which of the
    two alerts carried it.
    """

    type: str | None = None
    format: str | None = None
    mark: str | None = None
    data: m.Data | None = None
    source: str | None = None
    correlator: str | None = None
    cmd_id: str
    code: AlertCode | int = AlertCode.GENERIC_ALERT

    @property
    def name(self) -> str | None:
        """The Type without prefix or surrounding whitespace."""
        return None if self.type is None else type_name(self.type)

    @property
    def known(self) -> AlertType | None:
        """The documented :class:`AlertType` this is, if any."""
        name = self.name
        return None if name is None else _KNOWN_BY_NAME.get(name)

    @property
    def text(self) -> str | None:
        """``data`` as text whatever its form, as :attr:`syncml.Item.text` reads it."""
        return m.data_text(self.data)

    def matches(self, alert_type: str) -> bool:
        """True when this alert's Type is *alert_type*, prefix and whitespace aside."""
        return self.type is not None and type_name(self.type) == type_name(alert_type)

    def item(self) -> m.Item:
        """This alert as an Alert ``Item`` (what :func:`alert_command` writes)."""
        meta = None
        if self.type is not None or self.format is not None or self.mark is not None:
            meta = m.Meta(format=self.format, type=self.type, mark=self.mark)
        source = None if self.source is None else m.Source(loc_uri=self.source)
        return m.Item(source=source, meta=meta, data=self.data)


def generic_alerts(source: CommandSource) -> tuple[GenericAlert, ...]:
    """Every Item of every 1226 Alert in *source* (a message or a fragment's commands), in order.

    Alerts nested in Atomic or Sequence are included.  An Alert whose Data
    is not a code (1 to 18 ASCII digits, whitespace around them allowed) is
    not a generic alert; :func:`syncml.check` reports it (``alert-code``).
    """
    return _alerts(source, AlertCode.GENERIC_ALERT)


def client_events(source: CommandSource) -> tuple[GenericAlert, ...]:
    """Every Item of every 1224 Alert in *source*, in order."""
    return _alerts(source, AlertCode.CLIENT_EVENT)


def _alerts(source: CommandSource, code: AlertCode) -> tuple[GenericAlert, ...]:
    found: list[GenericAlert] = []
    for located in walk(source):
        command = located.command
        if isinstance(command, m.Alert) and _code_of(command) == code:
            found.extend(_from_item(command, item, code) for item in command.items)
    return tuple(found)


def _code_of(alert: m.Alert) -> int | None:
    # Alert/Data is kept raw; a lenient parse may hold anything there.  What
    # is not a code (a sign, '²', too many digits) makes the Alert neither
    # kind: reading a received message never fails on it.
    return uint_or_none(alert.data)


def _from_item(alert: m.Alert, item: m.Item, code: AlertCode) -> GenericAlert:
    meta = item.meta or m.Meta()
    return GenericAlert(
        type=meta.type,
        format=meta.format,
        mark=meta.mark,
        data=item.data,
        source=None if item.source is None else item.source.loc_uri,
        correlator=alert.correlator,
        cmd_id=alert.cmd_id,
        code=code,
    )


def alert_command(alerts: Iterable[GenericAlert]) -> m.Alert:
    """One Alert carrying *alerts* as its Items (they share CmdID, code and Correlator).

    The inverse of :func:`generic_alerts` / :func:`client_events` for one Alert.

    Raises:
        EncodeError: when *alerts* is empty or its members disagree on CmdID,
            code or Correlator.
    """
    alerts = tuple(alerts)
    if not alerts:
        raise EncodeError("an Alert needs at least one alert Item", path="Alert")
    first = alerts[0]
    for other in alerts[1:]:
        if (other.cmd_id, other.code, other.correlator) != (first.cmd_id, first.code, first.correlator):
            raise EncodeError("alerts in one Alert must share CmdID, code and Correlator", path="Alert")
    return m.Alert(
        cmd_id=first.cmd_id,
        data=str(int(first.code)),
        correlator=first.correlator,
        items=tuple(a.item() for a in alerts),
    )


def generic_alert(
    type: str,
    data: m.Data,
    *,
    cmd_id: str = m.UNNUMBERED,
    format: str | None = "chr",
    mark: str | None = None,
    source: str | None = None,
    correlator: str | None = None,
) -> m.Alert:
    """A 1226 Alert with one Item: what a device sends to report *type*.

    ``format`` defaults to ``chr``, DM's default Format; OMA requires one on
    every generic alert.
    """
    return alert_command(
        [
            GenericAlert(
                type=type,
                format=format,
                mark=mark,
                data=data,
                source=source,
                correlator=correlator,
                cmd_id=cmd_id,
                code=AlertCode.GENERIC_ALERT,
            )
        ]
    )


def client_event(
    type: str,
    data: m.Data,
    *,
    cmd_id: str = m.UNNUMBERED,
    format: str | None = "chr",
    mark: str | None = None,
    source: str | None = None,
) -> m.Alert:
    """A 1224 Alert with one Item, such as Windows' LoginStatus in package 1.

    Windows leaves Format out of its LoginStatus event: pass ``format=None``
    to do the same.
    """
    return alert_command(
        [
            GenericAlert(
                type=type,
                format=format,
                mark=mark,
                data=data,
                source=source,
                cmd_id=cmd_id,
                code=AlertCode.CLIENT_EVENT,
            )
        ]
    )
