"""The fast path of the XML decoder: one generated function per element.

Most messages a server sees are clean: every child is known, in DTD order, no
stray text, no whitespace around values, no attributes.  For those the
generic walk in :mod:`syncml._xml_decode` spends most of its time asking
questions whose answer is "nothing unusual".  Here each content model of
:mod:`syncml._grammar` is compiled into a straight-line Python function that
only handles that clean case: it knows at generation time each child's
field, kind, position in the content model and cardinality, keeps the fields
in local variables and builds the value with the class's fast constructor.

The moment anything is unusual (an unknown tag, text or whitespace where the
generic walk would record a quirk, children out of order, a duplicate, a
missing child, too deep) it raises :data:`BAIL` and the walk ends.  The
decode then starts again from the root: the fast path once more on a full
tree when it only met markup on a tree parsed without blank text
(:data:`FULL_TREE`), else the generic walk of :mod:`syncml._xml_decode`,
which records quirks and reports errors with their paths.  So a document
costs at most two fast walks and one generic walk, never a retry per element;
:func:`syncml._api.decode_xml` holds that order and its costs.
``tests/test_fast_path.py`` checks that the fast path and the generic walk
give identical results.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ._build import MISSING, plan_for
from ._grammar import ELEMENTS, NS_METINF, Kind
from ._strict import STRICT_RULES

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._grammar import Element


class Bail(Exception):
    """The fast path met something only the generic walk handles."""


class NeedsFullTree(Bail):
    """The fast path met markup in Data on a tree parsed without blank text.

    The fast path itself can decode the message from a full tree.
    """


# Raised as classes, so that each raise makes a fresh instance: raising one
# shared instance again and again chained every traceback onto it, keeping the
# frames (tree, decoder, input) of every message that bailed alive for good.
BAIL = Bail
FULL_TREE = NeedsFullTree

_WS = " \t\r\n"

_PROLOGUE = """\
def decode_{name}(self, el, depth):
    if depth >= self.max_depth and len(el):
        raise BAIL
    text = el.text
    if text and not (text.isspace() and text.isascii()):
        raise BAIL
{head}    # Slicing hands back a list in one C call; iterating an lxml element
    # builds an iterator object per element, several times slower.
    for child in el[:]:
        code = TABLE_{name}.get(child.tag)
        if code is None:
            raise BAIL
        tail = child.tail
        if tail and not (tail.isspace() and tail.isascii()):
            raise BAIL
"""

_TEXT = """\
            if len(child):
                raise BAIL
            value = child.text
            if value:
                # strip() hands back the very same object when there is
                # nothing to strip (and a copy would only cost a bail).
                if value.strip(WS) is not value:
                    raise BAIL
            else:
                value = ""
"""

_RAW = """\
            if len(child):
                raise BAIL
            value = child.text or ""
"""

_DATA = """\
            if len(child):
                if self.lean:  # markup whitespace was dropped with the blanks
                    raise FULL_TREE
                value = self.data(child, depth + 1, None, None)
            elif self.cdata_left:
                value = self.data(child, depth + 1, None, None)
            else:
                value = child.text or ""
"""

_FLAG = """\
            if len(child) or child.text:
                raise BAIL
            value = True
"""


def _child_body(element: Element, code: int, position: int) -> str:
    """The branch for one child, storing its value in local ``f<position>``."""
    child = element.children[code]
    single = not child.occurs.repeats
    lines = []
    if element.any_order:  # MetInf: any order, but each element at most once
        bit = 1 << code
        lines.append(f"            if seen & {bit}:\n                raise BAIL\n            seen |= {bit}\n")
    else:
        # Content-model indexes must not decrease; a single child must also not
        # repeat, so its index must strictly increase: one test covers both.
        test = ">=" if single else ">"
        lines.append(f"            if last {test} {child.index}:\n                raise BAIL\n")
        lines.append(f"            last = {child.index}\n")
    kind = child.kind
    if kind is Kind.TEXT:
        lines.append(_TEXT)
    elif kind is Kind.RAW:
        lines.append(_RAW)
    elif kind is Kind.FLAG:
        lines.append(_FLAG)
    elif kind is Kind.DATA:
        lines.append(_DATA)
    else:
        assert child.node is not None
        lines.append(f"            value = decode_{ELEMENTS[child.node].name}(self, child, depth + 1)\n")
    attributes = _attribute_field(element)
    if child.name == "Data" and attributes is not None:
        # msft:originalerror and the like: kept where the model has room.
        keep = f"f{attributes} = tuple(child.items())"
        lines.append(f"            if ATTRIBUTED and child in ATTRIBUTED:\n                {keep}\n")
    rule = (element.name, child.name)
    if rule in STRICT_RULES and kind in (Kind.TEXT, Kind.RAW):
        test = f"strict and RULE_{element.name}_{child.name}(value)"
        if rule in NON_EMPTY:
            # Lenient parsing records an empty identifier as a quirk: the generic walk does.
            test = f"not value or ({test})"
        lines.append(f"            if {test}:\n                raise BAIL\n")
    if single and kind is not Kind.COMMAND:
        lines.append(f"            f{position} = value\n")
    else:
        lines.append(f"            if f{position} is None:\n                f{position} = [value]\n")
        lines.append(f"            else:\n                f{position}.append(value)\n")
    return "".join(lines)


def _attribute_field(element: Element) -> int | None:
    """Position of ``data_attributes`` in the element's model, if it has one."""
    position = plan_for(element.cls).position
    return position.get("data_attributes")


def _function(element: Element, plan_position: dict[str, int], defaults: tuple[Any, ...]) -> str:
    """Source of the decoding function for one element."""
    repeated = {c.field for c in element.children if c.occurs.repeats or c.kind is Kind.COMMAND}
    required = {c.field for c in element.children if c.occurs.required and c.field not in repeated}
    init = []
    for name, position in plan_position.items():
        default = defaults[position]
        if name in repeated:
            literal = "None"
        elif name in required:
            literal = "MISSING"  # even where the model has a default (VerDTD)
        elif default is None or default is False or default == () or isinstance(default, str):
            literal = repr(default)
        else:
            literal = f"D_{element.name}_{position}"
        init.append(f"    f{position} = {literal}\n")
    branches = []
    for code, child in enumerate(element.children):
        keyword = "if" if code == 0 else "elif"
        position = plan_position[child.field]
        branches.append(f"        {keyword} code == {code}:\n{_child_body(element, code, position)}")
    branches.append("        else:\n            raise BAIL\n")
    epilogue = []
    for name in sorted(required):
        epilogue.append(f"    if f{plan_position[name]} is MISSING:\n        raise BAIL\n")
    for child in element.children:
        if child.occurs.required and child.field in repeated:
            epilogue.append(f"    if f{plan_position[child.field]} is None:\n        raise BAIL\n")
            break
    for name in repeated:
        position = plan_position[name]
        epilogue.append(f"    f{position} = () if f{position} is None else tuple(f{position})\n")
    if element.name == "Exec":  # its single Item is held in a tuple
        position = plan_position["items"]
        epilogue.append(f"    f{position} = (f{position},)\n")
    if element.name == "SyncBody":
        position = plan_position["namespaces"]
        epilogue.append(f"    if self.has_prefixes:\n        f{position} = self._own_namespaces(el)\n")
    # The value is built here rather than by calling the plan's constructor
    # (one call less per element), the same way: see syncml._build.
    if plan_for(element.cls).twin is not None:
        epilogue.append(f"    obj = NEW(TWIN_{element.name})\n")
        for name, position in plan_position.items():
            epilogue.append(f"    obj.{name} = f{position}\n")
        epilogue.append(f"    obj.__class__ = CLS_{element.name}\n")
    else:  # pragma: no cover - an interpreter that cannot switch classes
        arguments = ", ".join(f"f{position}" for position in plan_position.values())
        epilogue.append(f"    obj = MAKE_{element.name}({arguments})\n")
    epilogue.append("    return obj\n")
    uses_strict = any((element.name, c.name) in STRICT_RULES for c in element.children)
    head = "    strict = self.strict\n" if uses_strict else ""
    if _attribute_field(element) is not None:
        head += "    ATTRIBUTED = self.attributed\n"
    head += "".join(init) + ("    seen = 0\n" if element.any_order else "    last = -1\n")
    prologue = _PROLOGUE.format(name=element.name, head=head)
    return prologue + "".join(branches) + "".join(epilogue)


@functools.lru_cache(maxsize=16)
def fast_decoders(ns: str) -> dict[type, Callable[..., Any]]:
    """The generated decoding function of every element, for SyncML namespace *ns*."""
    namespace: dict[str, Any] = {
        "BAIL": BAIL,
        "FULL_TREE": FULL_TREE,
        "WS": _WS,
        "MISSING": MISSING,
        "NEW": object.__new__,
    }
    sources = []
    prefix = f"{{{ns}}}" if ns else ""
    for cls, element in ELEMENTS.items():
        plan = plan_for(cls)
        namespace[f"CLS_{element.name}"] = cls
        namespace[f"TWIN_{element.name}"] = plan.twin
        namespace[f"MAKE_{element.name}"] = plan.make
        for position, default in enumerate(plan.defaults):
            namespace[f"D_{element.name}_{position}"] = default
        namespace[f"TABLE_{element.name}"] = {
            (f"{{{NS_METINF}}}" if child.metinf else prefix) + child.name: code
            for code, child in enumerate(element.children)
            if child.quirk is None  # tolerated children take the generic walk
        }
        for child in element.children:
            rule = STRICT_RULES.get((element.name, child.name))
            if rule is not None:
                namespace[f"RULE_{element.name}_{child.name}"] = rule
        sources.append(_function(element, plan.position, plan.defaults))
    source = "\n\n".join(sources)
    exec(compile(source, f"<syncml fast path for {ns or 'no namespace'}>", "exec"), namespace)
    return {cls: namespace[f"decode_{element.name}"] for cls, element in ELEMENTS.items()}


#: Leaves the DTD requires non-empty (identifiers): empty, they are the
#: ``empty-value`` quirk of a lenient parse.
NON_EMPTY = frozenset(key for key, rule in STRICT_RULES.items() if rule("") == "must not be empty")


def source_of(ns: str = "SYNCML:SYNCML1.2") -> str:
    """The generated source, for reading and debugging."""
    return "\n\n".join(_function(e, plan_for(cls).position, plan_for(cls).defaults) for cls, e in ELEMENTS.items())
