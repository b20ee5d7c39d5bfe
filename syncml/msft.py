"""Windows MDM unenrollment, both ways ([MS-MDE2] DMClient CSP; MS Learn "unenrollment").

Server-initiated: the server sends an ``Exec`` on
``./Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll`` (device-scoped form
``./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll``; the legacy
``./Vendor/MSFT/DMClient/Unenroll`` is still accepted).  The documents put
``Meta/Format chr`` and ``Data`` = ProviderID in the Item; Windows has ignored
the Data value since Windows 10 but still takes it.  The device aborts every
session of that enrollment, so the server never gets a Status for the Exec:
a new session arrives instead, carrying the 1226 alert below.

User-initiated (and after the above): the device opens a new session whose
first package carries a 1226 generic alert of Type
``com.microsoft:mdm.unenrollment.userrequest``, Format ``int``, Data ``1``,
next to the usual DevInfo Replace.  Best effort: the device does not retry.

>>> import syncml
>>> from syncml import msft
>>> exec_ = msft.unenroll_exec("Contoso MDM", cmd_id="5")
>>> exec_.items[0].target.loc_uri
'./Vendor/MSFT/DMClient/Provider/Contoso MDM/Unenroll'
>>> msft.unenroll_provider(exec_)
'Contoso MDM'
"""

from __future__ import annotations

import re

from . import model as m
from ._walk import CommandSource
from .alerts import AlertType, GenericAlert, generic_alerts
from .errors import EncodeError

__all__ = [
    "UNENROLL_ALERT_TYPE",
    "unenroll_exec",
    "unenroll_provider",
    "unenroll_request",
    "unenroll_uri",
]

#: The Type of the unenrollment generic alert (1226).
UNENROLL_ALERT_TYPE = AlertType.UNENROLLMENT_USER_REQUEST

_WS = " \t\r\n"
# ./Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll, optionally under
# ./Device (MS Learn writes the scope prefix as ./Device or ./device).
_PROVIDER_FORM = re.compile(r"\./(?:[Dd]evice/)?Vendor/MSFT/DMClient/Provider/(?P<provider>[^/]+)/Unenroll")
_LEGACY_FORM = re.compile(r"\./(?:[Dd]evice/)?Vendor/MSFT/DMClient/Unenroll")


def unenroll_request(source: CommandSource) -> GenericAlert | None:
    """The unenrollment alert in *source* (a message or a fragment's commands), or None.

    Matches the 1226 Type ``com.microsoft:mdm.unenrollment.userrequest``
    with or without the ``Reversed-Domain-Name:`` prefix and surrounding
    whitespace; a lenient parse already accepts the ``syncml:metinfo``
    namespace typo of the MS Learn sample.  That sample is not XML at all
    (``xmlns=&#39;...&#39;``): run it through :func:`syncml.repair_quotes`
    before parsing.
    """
    for alert in generic_alerts(source):
        if alert.matches(UNENROLL_ALERT_TYPE):
            return alert
    return None


def unenroll_uri(provider_id: str, *, device_scoped: bool = False) -> str:
    """The LocURI of the Unenroll node for *provider_id*, kept as given (spaces too).

    Raises:
        EncodeError: for an empty ProviderID, one with ``/`` (it would change
            the node path) or with whitespace at either end (a LocURI cannot
            keep it).
    """
    if not provider_id or "/" in provider_id or provider_id.strip(_WS) != provider_id:
        raise EncodeError(f"{provider_id!r} cannot be a ProviderID in a node URI", path="Exec/Item/Target/LocURI")
    scope = "./Device/" if device_scoped else "./"
    return f"{scope}Vendor/MSFT/DMClient/Provider/{provider_id}/Unenroll"


def unenroll_exec(provider_id: str, *, cmd_id: str = m.UNNUMBERED, device_scoped: bool = False) -> m.Exec:
    """The server's Exec that unenrolls the device from *provider_id*.

    Item: Target = :func:`unenroll_uri`, ``Meta/Format chr``, Data = the
    ProviderID, as the DMClient CSP documents show.
    """
    return m.Exec(
        cmd_id=cmd_id,
        items=(
            m.Item(
                target=m.Target(loc_uri=unenroll_uri(provider_id, device_scoped=device_scoped)),
                meta=m.Meta(format="chr"),
                data=provider_id,
            ),
        ),
    )


def unenroll_provider(command: m.Command) -> str | None:
    """The ProviderID if *command* is an unenroll Exec, else None.

    For the ``Provider/<ProviderID>/Unenroll`` forms the ProviderID comes from
    the URI (as written: spaces and percent escapes are kept).  For the
    legacy ``./Vendor/MSFT/DMClient/Unenroll`` the URI names none, so it is
    the Item's Data, or ``""`` when the Exec carries no Data.
    """
    if not isinstance(command, m.Exec) or len(command.items) != 1:
        return None
    item = command.items[0]
    if item.target is None:
        return None
    uri = item.target.loc_uri.strip(_WS)
    match = _PROVIDER_FORM.fullmatch(uri)
    if match:
        return match["provider"]
    if _LEGACY_FORM.fullmatch(uri):
        return (item.text or "").strip(_WS)
    return None
