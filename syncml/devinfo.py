"""The device information a client sends in its first package.

OMA DM has the client report its ``./DevInfo`` management object in a
``Replace`` of package 1, each node as an Item whose ``Source/LocURI`` names
the node and whose ``Data`` is the value.  Windows sends ``DevId``, ``Man``,
``Mod``, ``DmV`` (``1.3`` on real clients) and ``Lang``, and newer builds add
``./Vendor/MSFT/DMClient/HWDevID`` ([MS-MDM] section 4, the DevInfo CSP; Fleet's and
Mattrax's captures).

Node URIs are case-sensitive and the standard spelling is ``./DevInfo/DevId``;
MS Learn's unenrollment sample writes ``./DevInfo/DevID``.  :func:`read_devinfo`
accepts any case for the five standard nodes and lists the URIs it had to
match that way in :attr:`DevInfo.misspelled`.

>>> from syncml import DevInfo, devinfo_replace, read_devinfo
>>> info = DevInfo(dev_id="D1", man="Contoso", mod="Laptop 7", dmv="1.3", lang="en-US")
>>> read_devinfo([devinfo_replace(info, cmd_id="4")]) == info
True
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from ._walk import CommandSource, walk

__all__ = ["DEVINFO_NODES", "DevInfo", "devinfo_replace", "read_devinfo"]

_WS = " \t\r\n"
_PREFIX = "./devinfo/"

#: The standard ./DevInfo nodes, as spelled by OMA DM and [MS-MDM], by field.
DEVINFO_NODES = {
    "dev_id": "./DevInfo/DevId",
    "man": "./DevInfo/Man",
    "mod": "./DevInfo/Mod",
    "dmv": "./DevInfo/DmV",
    "lang": "./DevInfo/Lang",
}
_FIELD_BY_LOWER = {uri.lower(): name for name, uri in DEVINFO_NODES.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class DevInfo:
    """What a client reported about itself.

    ``dev_id``, ``man``, ``mod``, ``dmv`` and ``lang`` are the standard
    nodes (None when not sent).  ``extra`` holds every other node of the
    same Replace as ``(LocURI, value)`` pairs in wire order, such as
    ``./Vendor/MSFT/DMClient/HWDevID``, and a standard node sent a second
    time.  ``misspelled`` lists standard-node URIs that were written in
    another case (``./DevInfo/DevID``).
    """

    dev_id: str | None = None
    man: str | None = None
    mod: str | None = None
    dmv: str | None = None
    lang: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    misspelled: tuple[str, ...] = ()

    @property
    def hw_dev_id(self) -> str | None:
        """``./Vendor/MSFT/DMClient/HWDevID``, when sent."""
        return self.get("./Vendor/MSFT/DMClient/HWDevID")

    def get(self, uri: str) -> str | None:
        """The value sent for the node *uri* (standard or extra), or None."""
        field = _FIELD_BY_LOWER.get(uri.lower())
        if field is not None and uri == DEVINFO_NODES[field]:
            value: str | None = getattr(self, field)
            return value
        for name, value in self.extra:
            if name == uri:
                return value
        return None


def read_devinfo(source: CommandSource) -> DevInfo | None:
    """The DevInfo of the first package in *source*, or None if it reports none.

    Every Replace with at least one ``./DevInfo/`` Item counts (nested ones
    too); all of its Items are taken, the node named by ``Source/LocURI``
    (or ``Target/LocURI`` when a stack writes that instead).
    """
    values: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    misspelled: list[str] = []
    found = False
    for located in walk(source):
        command = located.command
        if not isinstance(command, m.Replace) or not _reports_devinfo(command):
            continue
        found = True
        for item in command.items:
            uri = _node_uri(item)
            value = item.text or ""
            field = _FIELD_BY_LOWER.get(uri.lower())
            if field is None or field in values:
                extra.append((uri, value))
                continue
            values[field] = value
            if uri != DEVINFO_NODES[field]:
                misspelled.append(uri)
    if not found:
        return None
    return DevInfo(
        dev_id=values.get("dev_id"),
        man=values.get("man"),
        mod=values.get("mod"),
        dmv=values.get("dmv"),
        lang=values.get("lang"),
        extra=tuple(extra),
        misspelled=tuple(misspelled),
    )


def _node_uri(item: m.Item) -> str:
    where = item.source or item.target
    return "" if where is None else where.loc_uri.strip(_WS)


def _reports_devinfo(command: m.Replace) -> bool:
    return any(_node_uri(item).lower().startswith(_PREFIX) for item in command.items)


def devinfo_replace(info: DevInfo, *, cmd_id: str = m.UNNUMBERED) -> m.Replace:
    """The client's Replace reporting *info*, in the form Windows sends.

    One Item per node: ``Source/LocURI`` and ``Data``, no Meta; the standard
    nodes first (DevId, Man, Mod, DmV, Lang, those that are set), then
    ``extra`` in order.  ``misspelled`` is ignored: the builder writes the
    standard spelling.  Without *cmd_id* the command is
    :data:`~syncml.model.UNNUMBERED`, for a session or queue to number.
    """
    nodes = [(uri, getattr(info, name)) for name, uri in DEVINFO_NODES.items() if getattr(info, name) is not None]
    nodes.extend(info.extra)
    return m.Replace(
        cmd_id=cmd_id,
        items=tuple(m.Item(source=m.Source(loc_uri=uri), data=value) for uri, value in nodes),
    )
