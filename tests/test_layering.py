"""Layering: no codec module imports a server module, directly or through another module.

The codec (parse, serialize, the model, the grammar and both wire formats) is
what every user of ``syncml`` loads; the server machinery (session, queue,
outbox, replies, events, large objects, auth and ``syncml.server``) builds on
it and never the other way round.  Read from the source with :mod:`ast`, so
imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import syncml

PACKAGE = Path(syncml.__file__).parent

#: The codec: what parse and serialize need.  New ``_xml*`` and ``_wbxml*`` modules join it by name.
CODEC = frozenset({
    "syncml.model", "syncml.codes", "syncml.errors", "syncml.limits", "syncml._api", "syncml._grammar",
    "syncml._quirks", "syncml._meter", "syncml._numbers", "syncml._encode_check", "syncml._strict",
    "syncml._schema", "syncml._xml_decode", "syncml._xml_encode", "syncml._xml_fast", "syncml._xmlfront",
    "syncml._wbxml_decode", "syncml._wbxml_encode", "syncml._wbxml_reader", "syncml._wbxml_tables",
})  # fmt: skip
_CODEC_PREFIXES = ("syncml._xml", "syncml._wbxml")

#: The server machinery; every module of the ``syncml.server`` package is in it too.
SERVER = frozenset({
    "syncml.session", "syncml.commandqueue", "syncml.outbox", "syncml.replies", "syncml.events",
    "syncml.largeobject", "syncml.auth",
})  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def is_codec(name: str) -> bool:
    return name in CODEC or name.startswith(_CODEC_PREFIXES)


def is_server(name: str) -> bool:
    return name in SERVER or name == "syncml.server" or name.startswith("syncml.server.")


def _resolve(name: str, node: ast.ImportFrom) -> list[str]:
    """The syncml modules a ``from ... import ...`` in module *name* loads."""
    if node.level:
        package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    # "from . import model" loads the module syncml.model; "from .model import Item" loads syncml.model.
    submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
    return submodules if len(submodules) == len(node.names) else [base, *submodules]


def imports_of(name: str) -> set[str]:
    """The syncml modules that module *name* imports anywhere in its source."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.update(_resolve(name, node))
    return {module for module in found if module in MODULES}


def reachable(start: str, graph: dict[str, set[str]]) -> dict[str, str]:
    """Each module reachable from *start*, with the module that imports it on the way (to show the chain)."""
    via: dict[str, str] = {}
    stack = [start]
    while stack:
        here = stack.pop()
        for target in graph[here]:
            if target not in via and target != start:
                via[target] = here
                stack.append(target)
    return via


def _chain(start: str, end: str, via: dict[str, str]) -> str:
    steps = [end]
    while steps[-1] != start:
        steps.append(via[steps[-1]])
    return " -> ".join(reversed(steps))


def test_the_listed_modules_exist() -> None:
    assert MODULES.keys() >= CODEC, sorted(CODEC - MODULES.keys())
    assert MODULES.keys() >= SERVER, sorted(SERVER - MODULES.keys())
    assert "syncml.server" in MODULES


def test_the_scanner_sees_relative_and_function_level_imports() -> None:
    assert "syncml.model" in imports_of("syncml._grammar")  # from . import model as m
    assert "syncml" not in imports_of("syncml._grammar")  # ... which is not an import of the package's names
    assert "syncml._quirks" in imports_of("syncml._grammar")  # from ._quirks import QuirkKind
    assert "syncml.session" in imports_of("syncml.server")  # from ..session import ...
    assert is_server("syncml.server.store")
    assert not is_server("syncml.servers")


def test_no_codec_module_imports_a_server_module() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    crossings = []
    for name in sorted(filter(is_codec, MODULES)):
        via = reachable(name, graph)
        crossings += [_chain(name, target, via) for target in sorted(via) if is_server(target)]
    assert not crossings, "codec modules reaching server modules:\n" + "\n".join(crossings)


def test_a_crossing_through_another_module_is_found_with_its_chain() -> None:
    graph = {"syncml._xml_x": {"syncml.alerts"}, "syncml.alerts": {"syncml.session"}, "syncml.session": set()}
    via = reachable("syncml._xml_x", graph)
    assert [t for t in via if is_server(t)] == ["syncml.session"]
    assert _chain("syncml._xml_x", "syncml.session", via) == "syncml._xml_x -> syncml.alerts -> syncml.session"
