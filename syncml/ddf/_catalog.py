"""Many trees, and the node a LocURI names.

A :class:`Catalog` indexes the root nodes of its trees by their canonical
URI (``./Device/Vendor/MSFT/DMClient``; the 2019 DDFs' scope-less
``./Vendor/MSFT`` Path counts as the device form).  A later tree replaces an
earlier one with the same root, so newer files extend or override the
built-in catalog.  :meth:`Catalog.resolve` walks a LocURI down from its root:
a segment matches a child of that name, then (when the child's CaseSense is
``CIS``) a child whose name differs only in case, then the parent's unnamed
(dynamic) child, which stands for any name (``Provider/<ProviderID>``).
"""

from __future__ import annotations

import json
import threading
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

from ..errors import DecodeError
from ..limits import DEFAULT_LIMITS, Limits
from ._load import load
from ._model import MgmtTree, Node
from ._pack import FORMAT_VERSION, pack, unpack
from ._uri import NodeUri, read_uri

__all__ = ["BUILTIN_RESOURCE", "Catalog", "Resolution", "read_packed", "write_packed"]

#: The packaged catalog, written by ``scripts/build_ddf_catalog.py``.
BUILTIN_RESOURCE = "catalog.ddfpack"
_MAGIC = f"syncml-ddf-catalog {FORMAT_VERSION}".encode("ascii")
#: Longest root URI, in segments (``Device/Vendor/MSFT/X``).
_MAX_ROOT = 6
#: Most members of a DDF zip, and most bytes all of them may unpack to.
_ZIP_MEMBERS = 4096
_ZIP_TOTAL_FACTOR = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """What a LocURI resolves to in a catalog, and how.

    ``node`` is the node named, or None.  ``deepest`` is the last node the
    walk matched (the CSP root at least, when the CSP is known), ``origin``
    the file its tree came from.  ``case_mismatch`` lists segments matched
    only by ignoring case on a node whose CaseSense is not ``CIS``;
    ``scope_mismatch`` is set when the URI's scope (``User`` or ``Device``)
    has no such CSP but the other scope has (``node`` is then the other
    scope's node).
    """

    uri: NodeUri
    node: Node | None = None
    deepest: Node | None = None
    origin: str = ""
    case_mismatch: tuple[str, ...] = ()
    scope_mismatch: str | None = None
    #: The nodes matched, root first (the last is ``node`` when found).
    trail: tuple[Node, ...] = ()

    @property
    def exact(self) -> bool:
        """Whether the URI names a node as written, in scope and case."""
        return self.node is not None and not self.case_mismatch and self.scope_mismatch is None


class _Entry:
    """One tree of a catalog, perhaps still packed (the built-in trees unpack on first use)."""

    __slots__ = ("_lock", "_packed", "_tree", "origin")

    def __init__(self, origin: str, tree: MgmtTree | None = None, packed: bytes | None = None) -> None:
        self.origin = origin
        self._tree = tree
        self._packed = packed
        self._lock = threading.Lock()

    @property
    def tree(self) -> MgmtTree:
        tree = self._tree
        if tree is None:
            # One unpack per entry even with threads: callers keep node identities.
            with self._lock:
                if self._tree is None:
                    assert self._packed is not None
                    self._tree = unpack(json.loads(zlib.decompress(self._packed)))
                    self._packed = None
                tree = self._tree
        return tree


@dataclass(frozen=True, slots=True)
class _Root:
    entry: _Entry
    index: int
    parent: str | None
    name: str
    #: False for a tree rooted at the scope-less ./Vendor/MSFT: its DDF does
    #: not say which scope has the CSP, so a user-scope URI may use it.
    scope_stated: bool

    @property
    def node(self) -> Node:
        return self.entry.tree.nodes[self.index]

    @property
    def origin(self) -> str:
        return self.entry.origin


class _Children:
    __slots__ = ("dynamic", "folded", "named", "node")

    def __init__(self, node: Node) -> None:
        self.node = node  # held, so that the id() this index is filed under stays this node's
        self.named: dict[str, Node] = {}
        self.folded: dict[str, Node] = {}
        self.dynamic: Node | None = None
        for child in node.children:
            if child.dynamic:
                self.dynamic = self.dynamic or child
            else:
                self.named.setdefault(child.name, child)
                self.folded.setdefault(child.name.casefold(), child)


class Catalog:
    """DDF trees indexed by root URI; later trees replace earlier ones with the same root."""

    __slots__ = ("_children", "_folded_roots", "_roots", "_trees", "skipped")

    def __init__(self, trees: Iterable[MgmtTree | tuple[MgmtTree, str]] = ()) -> None:
        self._trees: list[_Entry] = []
        self._roots: dict[tuple[str, ...], _Root] = {}
        self._folded_roots: dict[tuple[str, ...], _Root] = {}
        self._children: dict[int, _Children] = {}
        #: Members of a zip (or files) that were skipped, with the reason.
        self.skipped: tuple[tuple[str, DecodeError], ...] = ()
        for item in trees:
            tree, origin = item if isinstance(item, tuple) else (item, "")
            self._add(_Entry(origin, tree), [(n.parent_path, n.name) for n in tree.nodes])

    def _add(self, entry: _Entry, roots: list[tuple[str | None, str]]) -> None:
        self._trees.append(entry)
        for index, (parent_path, name) in enumerate(roots):
            parent = read_uri(parent_path if parent_path is not None else ".")
            key = (*parent.segments, name)
            root = _Root(entry=entry, index=index, parent=parent_path, name=name, scope_stated=not parent.scopeless)
            self._roots[key] = root
            self._folded_roots[tuple(s.casefold() for s in key)] = root

    # --- construction ----------------------------------------------------------

    @classmethod
    def from_files(
        cls, paths: Iterable[str | PathLike[str]], *, strict: bool = False, limits: Limits = DEFAULT_LIMITS
    ) -> Catalog:
        """A catalog of the DDF files at *paths*, in order (a later file wins for the same root)."""
        trees: list[tuple[MgmtTree, str]] = []
        for path in paths:
            p = Path(path)
            try:
                data = p.read_bytes()
            except OSError as exc:
                raise DecodeError(f"cannot read {p}: {exc.strerror or exc}", path=str(p)) from None
            trees.append((_load_named(data, p.name, strict=strict, limits=limits), p.name))
        return cls(trees)

    @classmethod
    def from_zip(
        cls,
        path: str | PathLike[str],
        *,
        strict: bool = False,
        skip_invalid: bool = False,
        limits: Limits = DEFAULT_LIMITS,
    ) -> Catalog:
        """A catalog of every ``.xml`` member of a zip (Microsoft publishes its DDF files so).

        Members load in name order.  Each member is refused above
        ``limits.max_size`` before it is unpacked, and all of them together
        above 64 times that.  With ``skip_invalid`` a member that does not
        load is listed in :attr:`skipped` instead of failing the whole zip.
        """
        trees: list[tuple[MgmtTree, str]] = []
        skipped: list[tuple[str, DecodeError]] = []
        try:
            archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            raise DecodeError(f"cannot read the zip {path}: {exc}", path=str(path)) from None
        with archive:
            members = sorted(
                (i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".xml")),
                key=lambda i: i.filename,
            )
            if len(members) > _ZIP_MEMBERS:
                raise DecodeError(f"{len(members)} XML members exceed {_ZIP_MEMBERS}", path=str(path), status=413)
            total = 0
            for info in members:
                try:
                    data = _read_member(archive, info, limits)
                    total += len(data)
                    if total > _ZIP_TOTAL_FACTOR * limits.max_size:
                        raise DecodeError("the zip unpacks to too much data", path=info.filename, status=413)
                    trees.append((_load_named(data, info.filename, strict=strict, limits=limits), info.filename))
                except DecodeError as exc:
                    if not skip_invalid or (exc.status == 413 and total > _ZIP_TOTAL_FACTOR * limits.max_size):
                        raise
                    skipped.append((info.filename, exc))
        catalog = cls(trees)
        catalog.skipped = tuple(skipped)
        return catalog

    @classmethod
    def builtin(cls) -> Catalog:
        """The Windows CSPs of Microsoft's published DDFs, and the OMA DevInfo and DevDetail objects.

        Generated by ``scripts/build_ddf_catalog.py`` (2024 DDF v2 pages over
        the 2019 ones for the same CSP); content © Microsoft, CC BY 4.0 (see
        NOTICE).  Loaded once per process; the catalog is immutable.
        """
        return _builtin()

    def merged(self, *others: Catalog) -> Catalog:
        """A catalog of these trees, then each of *others*' (theirs win for the same root)."""
        merged = Catalog()
        for catalog in (self, *others):
            for entry in catalog._trees:
                merged._add(entry, [(parent, name) for parent, name, _ in _entry_roots(catalog, entry)])
        return merged

    # --- reading ---------------------------------------------------------------

    @property
    def trees(self) -> tuple[MgmtTree, ...]:
        """Every tree, in the order added."""
        return tuple(entry.tree for entry in self._trees)

    @property
    def roots(self) -> tuple[str, ...]:
        """The canonical URI of every root node indexed (the latest for each)."""
        return tuple("./" + "/".join(key) for key in self._roots)

    def __len__(self) -> int:
        return len(self._roots)

    def lookup(self, loc_uri: str) -> Node | None:
        """The node *loc_uri* names, as a Windows device resolves it, or None.

        ``./Vendor/MSFT/X`` is the device scope's ``./Device/Vendor/MSFT/X``;
        percent-encoded segments are compared decoded; an unnamed node stands
        for any name; case must match unless the node's CaseSense is ``CIS``.
        """
        resolution = self.resolve(loc_uri)
        return resolution.node if resolution.exact else None

    def resolve(self, loc_uri: str | NodeUri) -> Resolution:
        """Like :meth:`lookup`, with the reasons when the URI does not name a node exactly."""
        uri = read_uri(loc_uri) if isinstance(loc_uri, str) else loc_uri
        segments = uri.segments
        found = self._find_root(segments)
        if found is None:
            return Resolution(uri=uri)
        root, depth, scope_mismatch, root_case = found
        node = root.node
        mismatched: list[str] = list(root_case)
        trail = [node]
        for segment in segments[depth:]:
            child, folded = self._child(node, segment)
            if child is None:
                return Resolution(
                    uri=uri,
                    deepest=node,
                    origin=root.origin,
                    case_mismatch=tuple(mismatched),
                    scope_mismatch=scope_mismatch,
                    trail=tuple(trail),
                )
            if folded:
                mismatched.append(segment)
            node = child
            trail.append(node)
        return Resolution(
            uri=uri,
            node=node,
            deepest=node,
            origin=root.origin,
            case_mismatch=tuple(mismatched),
            scope_mismatch=scope_mismatch,
            trail=tuple(trail),
        )

    def _find_root(self, segments: tuple[str, ...]) -> tuple[_Root, int, str | None, tuple[str, ...]] | None:
        for depth in range(min(len(segments), _MAX_ROOT), 0, -1):
            key = segments[:depth]
            root = self._roots.get(key)
            case: tuple[str, ...] = ()
            if root is None:
                root = self._folded_roots.get(tuple(s.casefold() for s in key))
                if root is not None:
                    case = tuple(s for s, n in zip(key, _root_key(root), strict=False) if s != n)
            if root is not None:
                return root, depth, None, case
        return self._other_scope(segments)

    def _other_scope(self, segments: tuple[str, ...]) -> tuple[_Root, int, str | None, tuple[str, ...]] | None:
        """A CSP asked for in one scope and found in the other."""
        if len(segments) < 4 or segments[0] not in ("Device", "User") or segments[1:3] != ("Vendor", "MSFT"):
            return None
        other = "User" if segments[0] == "Device" else "Device"
        key = (other, *segments[1:4])
        root = self._roots.get(key) or self._folded_roots.get(tuple(s.casefold() for s in key))
        if root is None:
            return None
        # A 2019 DDF rooted at ./Vendor/MSFT does not say the CSP is device-only.
        mismatch = None if not root.scope_stated and segments[0] == "User" else segments[0]
        return root, 4, mismatch, ()

    def _child(self, node: Node, segment: str) -> tuple[Node | None, bool]:
        index = self._children.get(id(node))
        if index is None or index.node is not node:
            index = self._children[id(node)] = _Children(node)
        child = index.named.get(segment)
        if child is not None:
            return child, False
        child = index.folded.get(segment.casefold())
        if child is not None:
            return child, child.case_sense != "CIS"
        return index.dynamic, False


def _entry_roots(catalog: Catalog, entry: _Entry) -> list[tuple[str | None, str, int]]:
    """The (Path, NodeName, index) of each root of *entry*, without unpacking it."""
    found = {root.index: root for root in catalog._roots.values() if root.entry is entry}
    found.update({root.index: root for root in catalog._folded_roots.values() if root.entry is entry})
    return [(root.parent, root.name, index) for index, root in sorted(found.items())]


def _root_key(root: _Root) -> tuple[str, ...]:
    parent = read_uri(root.parent if root.parent is not None else ".")
    return (*parent.segments, root.name)


def _load_named(data: bytes, name: str, *, strict: bool, limits: Limits) -> MgmtTree:
    try:
        return load(data, strict=strict, limits=limits)
    except DecodeError as exc:
        where = f"{name}: {exc.path}" if exc.path else name
        raise DecodeError(exc.reason, line=exc.line, column=exc.column, path=where, status=exc.status) from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    if info.file_size > limits.max_size:
        raise DecodeError(f"member of {info.file_size} bytes exceeds the {limits.max_size}-byte limit", status=413)
    try:
        with archive.open(info) as member:
            data = member.read(limits.max_size + 1)  # the header's size may lie
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, RuntimeError) as exc:
        raise DecodeError(f"cannot unpack {info.filename}: {exc}", path=info.filename) from None
    if len(data) > limits.max_size:
        raise DecodeError(f"member exceeds the {limits.max_size}-byte limit", path=info.filename, status=413)
    return data


@cache
def _builtin() -> Catalog:
    blob = resources.files(__package__).joinpath(BUILTIN_RESOURCE).read_bytes()
    return read_packed(blob)


def read_packed(blob: bytes) -> Catalog:
    """A catalog from :func:`write_packed`'s bytes; each tree unpacks when first used."""
    magic, _, rest = blob.partition(b"\n")
    if magic != _MAGIC:
        raise DecodeError(f"not a DDF catalog of format {FORMAT_VERSION}: {magic[:40]!r}")
    header, _, blobs = rest.partition(b"\n")
    catalog = Catalog()
    offset = 0
    for origin, roots, length in json.loads(header):
        entry = _Entry(origin, packed=blobs[offset : offset + length])
        offset += length
        catalog._add(entry, [(parent, name) for parent, name in roots])
    return catalog


def write_packed(trees: Iterable[tuple[MgmtTree, str]]) -> bytes:
    """The packed catalog of *trees*: a header line, then each tree as zlib'd JSON (deterministic)."""
    header: list[object] = []
    blobs: list[bytes] = []
    for tree, origin in trees:
        text = json.dumps(pack(tree), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        blobs.append(zlib.compress(text.encode("utf-8"), 9))
        header.append([origin, [[n.parent_path, n.name] for n in tree.nodes], len(blobs[-1])])
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return _MAGIC + b"\n" + head + b"\n" + b"".join(blobs)
