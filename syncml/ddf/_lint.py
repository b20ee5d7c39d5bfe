"""Checking commands against the nodes they address: the DDF lint.

:func:`lint` walks the commands of a message or profile (nested Atomic and
Sequence included) and, for each Item Target, applies the rules of
:class:`Rule` in one order: the LocURI's shape first, then the scope-less
form is mapped to the device form (``./Vendor/MSFT/X`` is
``./Device/Vendor/MSFT/X``), and only then reserved prefixes, node
existence, access, format and values are judged, so no spelling of a URI
gets past a rule another spelling meets.

What the protocol says about a command comes before what the tree says about
a node: Exec's Data is the operation's argument, not the node's value, so
DFFormat and AllowedValues never judge it (Microsoft's server-initiated
unenrollment Execs ``Provider/<ProviderID>/Unenroll``, DFFormat ``null``,
with Format ``chr`` and the ProviderID as Data).  A client reporting values
(``Replace`` of ``./DevInfo`` in package 1, ``Results``) is judged on URI
shape and node existence only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from .. import _meter
from .. import model as m
from .._check import Direction, Severity
from .._walk import CommandSource, Located, walk
from ._catalog import Catalog, Resolution
from ._model import Node
from ._uri import NodeUri, read_uri
from ._values import admx_problem, allowed_problem, format_problem

__all__ = ["Finding", "LintOptions", "Rule", "lint"]

_WS = " \t\r\n"


class Rule(StrEnum):
    """One rule :func:`lint` applies."""

    LOCURI_SHAPE = "locuri-shape"
    RESERVED_NODE = "reserved-node"
    UNKNOWN_CSP = "unknown-csp"
    UNKNOWN_NODE = "unknown-node"
    NODE_CASE = "node-case"
    SCOPE = "scope"
    ACCESS = "access-type"
    META_FORMAT = "meta-format"
    META_FORMAT_MISSING = "meta-format-missing"
    DATA_FORMAT = "data-format"
    DATA_MARKUP = "data-markup"
    ALLOWED_VALUES = "allowed-values"
    ADMX_DATA = "admx-data"
    ATOMIC_REQUIRED = "atomic-required"
    DUPLICATE_TARGET = "duplicate-target"
    PROFILE_COMMAND = "profile-command"
    EMPTY_PROFILE = "empty-profile"

    @property
    def severity(self) -> Severity:
        """How bad breaking this rule is (a rule may report a milder case as a warning)."""
        return _RULES[self][0]

    @property
    def source(self) -> str:
        """Where the rule comes from."""
        return _RULES[self][1]


_E, _W = Severity.ERROR, Severity.WARNING
_RULES: dict[Rule, tuple[Severity, str]] = {
    Rule.LOCURI_SHAPE: (_E, "OMA DM TND 1.2, 6: absolute URIs ./A/B, one / between segments, no . or .., %XX escapes"),
    Rule.RESERVED_NODE: (_E, "LintOptions.reserved: nodes a profile may not touch, in any scope form"),
    Rule.UNKNOWN_CSP: (_W, "the catalog has no DDF for this configuration service provider"),
    Rule.UNKNOWN_NODE: (_E, "DDF: the CSP's tree has no such node (the device answers 404)"),
    Rule.NODE_CASE: (_W, "DDF CaseSense: node names are case-sensitive unless the node says CIS"),
    Rule.SCOPE: (_E, "DDF Path: the CSP lives under ./Device or ./User only (MS Learn, device and user scope)"),
    Rule.ACCESS: (_E, "DDF AccessType: the commands a node accepts (the device answers 405)"),
    Rule.META_FORMAT: (_E, "DDF DFFormat: Meta Format names the node's format (OMA DM TND 1.2, 7.2)"),
    Rule.META_FORMAT_MISSING: (_W, "OMA DM RepPro: Meta Format defaults to chr; the node's DFFormat is not chr"),
    Rule.DATA_FORMAT: (_E, "DDF DFFormat: the value is an int, bool, b64, xml ... as the node says"),
    Rule.DATA_MARKUP: (_E, "SyncML Data holds a chr value as text: markup must be escaped or in CDATA"),
    Rule.ALLOWED_VALUES: (_E, "DDF MSFT:AllowedValues: ENUM, Flag, Range, RegEx, List"),
    Rule.ADMX_DATA: (_E, "DDF MSFT:AllowedValues ADMX: the value is <enabled/> or <disabled/> with <data/>"),
    Rule.ATOMIC_REQUIRED: (_E, "DDF MSFT:AtomicRequired: the node is set inside an Atomic"),
    Rule.DUPLICATE_TARGET: (_W, "a profile that sets one node twice keeps only the last value"),
    Rule.PROFILE_COMMAND: (_E, "LintOptions.profile_forbids: commands a stored profile should not contain"),
    Rule.EMPTY_PROFILE: (_E, "a profile without a command does nothing"),
}

#: The commands whose Items address management tree nodes.
_NODE_COMMANDS = (m.Get, m.Add, m.Replace, m.Delete, m.Copy, m.Exec, m.Results)
#: The access type each command needs on its target node.
_NEEDS = {"Add": "Add", "Replace": "Replace", "Delete": "Delete", "Get": "Get", "Exec": "Exec"}
_SETS_VALUE = ("Add", "Replace")
#: Commands that create, set or remove a node, which AtomicRequired asks to
#: group (an Exec of the created node may follow, as Windows' MSI install does).
_ATOMIC_SETTERS = ("Add", "Replace", "Delete")
#: Formats a value of the other may be written in (XML is text; binary
#: travels over XML as b64, OMA DM TND 1.2 8.3.7.2).
_CLOSE_FORMATS = {frozenset({"chr", "xml"}), frozenset({"b64", "bin"})}


@dataclass(frozen=True, slots=True, kw_only=True)
class LintOptions:
    """What :func:`lint` is checking, beyond the DDF.

    ``profile``: the commands are a stored configuration profile (not one
    message of a session), so commands in ``profile_forbids`` at its top
    level, duplicate targets and an empty profile are reported.
    ``reserved``: LocURI prefixes no command may touch (an MDM keeps some
    nodes for itself), written in any scope form.  ``unknown_csp``: report a
    URI whose CSP the catalog does not have (off when linting with a partial
    catalog).
    """

    profile: bool = False
    profile_forbids: frozenset[str] = frozenset({"Get", "Results", "Status", "Alert"})
    reserved: tuple[str, ...] = ()
    unknown_csp: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One rule a command breaks, where, and the DDF fact behind it.

    Shaped like :class:`syncml.Finding`: ``rule``, ``severity``, ``path``
    (``SyncML/SyncBody/Replace[2]/Item[1]``), ``message``; ``fact`` states
    what the catalog says (``./DevInfo/DevId: AccessType Get (devinfo.ddf.xml)``)
    and ``loc_uri`` is the Target as written.
    """

    rule: Rule
    severity: Severity
    path: str
    message: str
    fact: str = ""
    loc_uri: str | None = None

    @property
    def source(self) -> str:
        """Where the rule comes from."""
        return self.rule.source

    def __str__(self) -> str:
        fact = f" [{self.fact}]" if self.fact else ""
        where = f" - at {self.path}" if self.path else ""
        return f"{self.severity.value} {self.rule.value}: {self.message}{fact}{where}"


def lint(
    source: CommandSource,
    *,
    catalog: Catalog | None = None,
    direction: Direction | None = Direction.SERVER_TO_CLIENT,
    options: LintOptions | None = None,
) -> tuple[Finding, ...]:
    """The DDF findings for *source*, a message or a profile's commands, in wire order.

    ``catalog`` defaults to :meth:`Catalog.builtin`.  ``direction`` is who
    sends the commands; a server's commands (the default) are judged in
    full, a client's on URI shape and node existence only.
    """
    linter = _Linter(catalog or Catalog.builtin(), direction, options or LintOptions())
    findings = tuple(linter.run(source))
    _meter.record(work=linter.work)
    return findings


class _Linter:
    def __init__(self, catalog: Catalog, direction: Direction | None, options: LintOptions) -> None:
        self.catalog = catalog
        self.server = direction != Direction.CLIENT_TO_SERVER
        self.options = options
        # Reserved prefixes in canonical form (scope explicit), compared without case.
        self.reserved = tuple(read_uri(uri) for uri in options.reserved)
        self.targets: dict[tuple[str, str], str] = {}
        #: Commands, URI and value characters looked at, for the work meter.
        self.work = 0

    def run(self, source: CommandSource) -> Iterator[Finding]:
        count = 0
        for where in walk(source):
            count += 1
            self.work += 1
            yield from self.command(where)
        if self.options.profile and count == 0:
            yield _finding(Rule.EMPTY_PROFILE, "", "the profile holds no command")

    def command(self, where: Located) -> Iterator[Finding]:
        command = where.command
        name = m.wire_name(command)
        if self.options.profile and not where.containers and name in self.options.profile_forbids:
            yield _finding(Rule.PROFILE_COMMAND, where.path, f"a profile should not contain {name}")
        # Only these address DM nodes; inside a data sync Sync they address datastore items.
        if not isinstance(command, _NODE_COMMANDS) or any(isinstance(c, m.Sync) for c in where.containers):
            return
        for index, item in enumerate(command.items, 1):
            path = f"{where.path}/Item[{index}]"
            if isinstance(command, m.Results) or not self.server:
                # A client reports values: its URIs are judged, not its access.
                address = item.source or item.target
                if address is not None:
                    yield from self.reported(address.loc_uri, path)
            elif item.target is not None:
                yield from self.item(where, command, item, path)

    def reported(self, uri_text: str, path: str) -> Iterator[Finding]:
        uri = read_uri(uri_text)
        if uri.problems:
            yield _shape(uri, path)
        resolution = self.catalog.resolve(uri)
        for finding in self.existence(resolution, path):
            # The client knows its own tree better than a published DDF.
            yield replace(finding, severity=Severity.WARNING)

    def item(self, where: Located, command: m.Command, item: m.Item, path: str) -> Iterator[Finding]:
        assert item.target is not None
        name = m.wire_name(command)
        uri = read_uri(item.target.loc_uri)
        self.work += len(uri.uri) + len(uri.segments)
        if uri.problems:
            yield _shape(uri, path)
        # Every rule below sees the canonical URI: ./Vendor/MSFT/X is ./Device/Vendor/MSFT/X.
        reserved = self.reserved_prefix(uri)
        if reserved is not None:
            message = f"{name} of {uri.canonical}, under the reserved {reserved}"
            yield _finding(Rule.RESERVED_NODE, path, message, uri=uri.uri)
        if self.options.profile and name in (*_SETS_VALUE, "Delete"):
            yield from self.duplicate(name, uri, path)
        resolution = self.catalog.resolve(uri)
        yield from self.existence(resolution, path)
        node = resolution.node
        if node is None:
            return
        fact = self.fact(resolution, node)
        needed = _NEEDS.get(name)
        if needed is not None and node.access and needed not in node.access:
            message = f"{name} of {node.path}, which accepts {_access(node)}"
            yield _finding(Rule.ACCESS, path, message, fact=fact, uri=uri.uri)
        if (
            name in _ATOMIC_SETTERS
            and any(n.atomic_required for n in resolution.trail)
            and not any(isinstance(c, m.Atomic) for c in where.containers)
        ):
            message = f"{name} of {uri.canonical} outside an Atomic"
            yield _finding(Rule.ATOMIC_REQUIRED, path, message, fact=fact, uri=uri.uri)
        if name in _SETS_VALUE:
            yield from self.value(command, item, node, path, fact)

    def reserved_prefix(self, uri: NodeUri) -> str | None:
        folded = tuple(s.casefold() for s in uri.segments)
        for prefix in self.reserved:
            wanted = tuple(s.casefold() for s in prefix.segments)
            if wanted and folded[: len(wanted)] == wanted:
                return prefix.canonical
        return None

    def duplicate(self, name: str, uri: NodeUri, path: str) -> Iterator[Finding]:
        key = (name, "/".join(s.casefold() for s in uri.segments))
        first = self.targets.get(key)
        if first is None:
            self.targets[key] = path
            return
        yield _finding(Rule.DUPLICATE_TARGET, path, f"{name} of {uri.canonical} again (first at {first})", uri=uri.uri)

    def existence(self, resolution: Resolution, path: str) -> Iterator[Finding]:
        uri = resolution.uri
        if resolution.scope_mismatch is not None and resolution.node is not None:
            other = "device" if resolution.scope_mismatch == "User" else "user"
            message = f"{uri.canonical}: {resolution.node.path} exists in the {other} scope only"
            yield _finding(Rule.SCOPE, path, message, fact=self.fact(resolution, resolution.node), uri=uri.uri)
        elif resolution.node is None and resolution.deepest is None:
            if self.options.unknown_csp and uri.segments:
                yield _finding(Rule.UNKNOWN_CSP, path, f"no DDF describes {uri.canonical}", uri=uri.uri)
        elif resolution.node is None:
            yield from self.missing(resolution, path)
        if resolution.node is not None and resolution.case_mismatch:
            message = f"{uri.canonical} is spelled {resolution.node.path} ({', '.join(resolution.case_mismatch)})"
            fact = self.fact(resolution, resolution.node)
            yield _finding(Rule.NODE_CASE, path, message, fact=fact, uri=uri.uri)

    def missing(self, resolution: Resolution, path: str) -> Iterator[Finding]:
        uri = resolution.uri
        deepest = resolution.deepest
        assert deepest is not None
        other = self.other_scope(uri)
        if other is not None and other.node is not None:
            message = f"{uri.canonical}: {other.node.path} exists in the other scope only"
            yield _finding(Rule.SCOPE, path, message, fact=self.fact(other, other.node), uri=uri.uri)
            return
        names = [child.name or f"<{child.title or 'Name'}>" for child in deepest.children]
        shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
        message = f"{uri.canonical}: {deepest.path} has no such child" + (f" (it has {shown})" if names else "")
        yield _finding(Rule.UNKNOWN_NODE, path, message, fact=f"DDF {resolution.origin}", uri=uri.uri)

    def other_scope(self, uri: NodeUri) -> Resolution | None:
        scope = uri.scope
        if scope is None:
            return None
        swapped = NodeUri(uri=uri.uri, segments=("User" if scope == "Device" else "Device", *uri.segments[1:]))
        return self.catalog.resolve(swapped)

    def value(self, command: m.Command, item: m.Item, node: Node, path: str, fact: str) -> Iterator[Finding]:
        command_meta = getattr(command, "meta", None)
        declared = (item.meta.format if item.meta else None) or (command_meta.format if command_meta else None)
        declared = declared.strip(_WS) if declared else None
        yield from self.meta_format(node, declared, path, fact)
        data = item.data
        if data is None:
            return
        admx = node.allowed is not None and node.allowed.value_type.lower() == "admx"
        if isinstance(data, m.Markup) and node.format == "chr":
            # ADMX policy markup written raw is seen in real traffic; other markup is the
            # unescaped-profile mistake that leaves a profile pending.
            severity = Severity.WARNING if admx or admx_problem(data.xml) is None else None
            message = f"{node.path} is chr but Data holds unescaped markup: write < as &lt; or wrap it in CDATA"
            yield _finding(Rule.DATA_MARKUP, path, message, fact=fact, uri=node.path, severity=severity)
        text = m.data_text(data) or ""
        self.work += len(text)
        if admx:
            problem = admx_problem(text)
            if problem is not None:
                yield _finding(Rule.ADMX_DATA, path, problem, fact=_admx_fact(node, fact), uri=node.path)
            return
        problem = format_problem(node, text)
        if problem is not None:
            yield _finding(Rule.DATA_FORMAT, path, f"{problem} (DFFormat {node.format})", fact=fact, uri=node.path)
            return
        problem = allowed_problem(node, text)
        if problem is not None:
            yield _finding(Rule.ALLOWED_VALUES, path, problem, fact=_allowed_fact(node, fact), uri=node.path)

    def meta_format(self, node: Node, declared: str | None, path: str, fact: str) -> Iterator[Finding]:
        expected = node.format
        if expected is None:
            return
        if declared is None:
            if expected not in ("chr", "null"):
                message = f"no Meta Format: the value is read as chr, but {node.path} is {expected}"
                yield _finding(Rule.META_FORMAT_MISSING, path, message, fact=fact, uri=node.path)
            return
        if declared == expected:
            return
        close = frozenset({declared, expected}) in _CLOSE_FORMATS
        message = f"Meta Format {declared}, but {node.path} is {expected}"
        severity = Severity.WARNING if close else None
        yield _finding(Rule.META_FORMAT, path, message, fact=fact, uri=node.path, severity=severity)

    def fact(self, resolution: Resolution, node: Node) -> str:
        where = f" ({resolution.origin})" if resolution.origin else ""
        return f"{node.path}: AccessType {_access(node)}, DFFormat {node.format}{where}"


def _access(node: Node) -> str:
    known = [a for a in ("Add", "Copy", "Delete", "Exec", "Get", "Replace") if a in node.access]
    return ", ".join(known + sorted(node.access.difference(known))) or "(none)"


def _admx_fact(node: Node, fact: str) -> str:
    admx = node.allowed.admx if node.allowed is not None else None
    policy = f"; ADMX {admx.file} {admx.name}" if admx is not None else ""
    return fact + policy


def _allowed_fact(node: Node, fact: str) -> str:
    allowed = node.allowed
    if allowed is None:
        return fact
    detail = allowed.value or ", ".join(e.value for e in allowed.enums[:12])
    return f"{fact}; AllowedValues {allowed.value_type} {detail}".rstrip()


def _shape(uri: NodeUri, path: str) -> Finding:
    return _finding(Rule.LOCURI_SHAPE, path, f"LocURI {uri.uri!r} {'; '.join(uri.problems)}", uri=uri.uri)


def _finding(
    rule: Rule, path: str, message: str, *, fact: str = "", uri: str | None = None, severity: Severity | None = None
) -> Finding:
    return Finding(rule=rule, severity=severity or rule.severity, path=path, message=message, fact=fact, loc_uri=uri)
