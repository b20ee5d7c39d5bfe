"""Structure-aware mutation of SyncML messages, for fuzzing MDM servers and device clients.

Random bytes rarely get past an XML parser, so a byte-level fuzzer spends its
time on the parser's first error.  A message that is *almost* right reaches
the code behind it: the command dispatcher, the status bookkeeping, the value
conversions.  :func:`mutate` takes one message (bytes), finds its elements
with a tolerant scanner (no XML library: it works on broken input too) and
applies seeded mutations from :class:`Mutation`: elements dropped, duplicated,
moved to another parent or swapped, renamed to another SyncML or MetInf
name, wrapped in deep nesting, text replaced with edge values (empty, huge,
control characters, lone surrogates escaped as character references,
20-digit integers), namespaces and attributes changed, a prolog or encoding
swapped, CDATA, comments and references spliced in, the message truncated.
Bytes in, bytes out; the same input and seed always give the same output.
Only the standard library is used.

>>> from syncml.fuzzing import Mutation, mutate
>>> msg = b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/><SyncBody><Get><CmdID>2</CmdID></Get></SyncBody></SyncML>'
>>> mutate(msg, seed=3) == mutate(msg, seed=3)
True
>>> mutate(msg, seed=1, kinds=[Mutation.DROP]) in {
...     b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncBody><Get><CmdID>2</CmdID></Get></SyncBody></SyncML>',
...     b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/></SyncML>',
...     b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/><SyncBody></SyncBody></SyncML>',
...     b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/><SyncBody><Get></Get></SyncBody></SyncML>',
...     b'',
... }
True

As an atheris custom mutator (``fuzz/fuzz_structured.py`` mixes it with
libFuzzer's own byte mutations)::

    atheris.Setup(sys.argv, test_one_input, custom_mutator=syncml.fuzzing.custom_mutator)

From hypothesis, a seed is all it takes, and it shrinks towards seed 0:

>>> from hypothesis import given, strategies as st
>>> @given(st.integers(0, 2**32 - 1))
... def test_never_crashes(seed):
...     variant = mutate(msg, seed)
...     assert isinstance(variant, bytes)
>>> test_never_crashes()
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from ._grammar import COMMAND_CLASSES, METINF_NAMES, SYNCML_NAMES
from ._wbxml_mutate import SEED_MESSAGE, WbxmlMutation, mutate_wbxml, wbxml_custom_mutator
from .errors import SyncMLError
from .model import Commands

__all__ = [
    "DEFAULT_MAX_SIZE",
    "EDGE_VALUES",
    "ELEMENT_NAMES",
    "SEED_MESSAGE",
    "ModelSize",
    "Mutation",
    "WbxmlMutation",
    "custom_mutator",
    "model_size",
    "mutate",
    "mutate_wbxml",
    "wbxml_custom_mutator",
]

#: Largest output :func:`mutate` returns unless told otherwise.
DEFAULT_MAX_SIZE = 1 << 20


class Mutation(StrEnum):
    """One kind of change :func:`mutate` can make."""

    DROP = "drop"  #: remove one element
    DUPLICATE = "duplicate"  #: repeat one element right after itself
    MOVE = "move"  #: move one element into another parent
    SWAP = "swap"  #: exchange two elements (siblings or across parents)
    TEXT = "text"  #: replace a leaf's text with an edge value
    RENAME = "rename"  #: rename an element to another SyncML/MetInf name
    NAMESPACE = "namespace"  #: set, change or remove an ``xmlns``
    ATTRIBUTE = "attribute"  #: add an attribute where none belongs
    WRAP = "wrap"  #: wrap an element in one or many containers
    SPLICE = "splice"  #: insert CDATA, a comment, a reference or a stray tag
    PROLOG = "prolog"  #: replace what precedes the root (declaration, BOM, DOCTYPE)
    TRANSCODE = "transcode"  #: re-encode as UTF-16 or Latin-1, declared or not, or mixed
    TRUNCATE = "truncate"  #: cut the message short
    BYTES = "bytes"  #: change, insert or delete a few bytes


#: Text values that have broken parsers: empty, whitespace, signs, 20-digit
#: integers, C0 controls raw and as references, lone surrogates escaped as
#: character references and raw as (invalid) UTF-8, non-characters, markup
#: look-alikes.  A huge value is built at mutation time to fit the room left.
EDGE_VALUES: tuple[bytes, ...] = (
    b"",
    b" ",
    b"\t\r\n",
    b"0",
    b"00",
    b"01",
    b"-1",
    b"+1",
    b" 200 ",
    b"1e3",
    b"0x10",
    b"99999999999999999999",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"\x00",
    b"\x01",
    b"\x1f",
    b"&#0;",
    b"&#1;",
    b"&#13;",
    b"&#xD800;",
    b"&#xDFFF;",
    b"&#xFFFE;",
    b"&#x10FFFF;",
    b"&#x110000;",
    b"\xed\xa0\x80",  # a surrogate encoded as UTF-8: invalid
    b"\xff",
    b"\xc3\x28",
    b"\xc3\xbc",
    b"\xe2\x80\xae",  # RIGHT-TO-LEFT OVERRIDE
    b"\xef\xbb\xbf",
    b"&amp;",
    b"&lt;SyncML&gt;",
    b"&undefined;",
    b"]]>",
    b"<![CDATA[]]>",
    b"./Vendor/MSFT/Policy/Config/../../../",
    b"SyncHdr",
)

#: Names a renamed element gets: every element of the content models, plus
#: SyncML DS commands that DM does not define, and one nobody defines.
ELEMENT_NAMES: tuple[str, ...] = (
    *sorted(SYNCML_NAMES | METINF_NAMES),
    "Map",
    "MapItem",
    "Put",
    "Search",
    "Sync",
    "Filter",
    # DevInf, the document DS carries inside Put and Results Data.
    "DevInf",
    "DataStore",
    "CTCap",
    "Property",
    "PropParam",
    "SyncCap",
    "DSMem",
    "X",
)

_NAMESPACES = (
    b"SYNCML:SYNCML1.2",
    b"SYNCML:SYNCML1.1",
    b"syncml:syncml1.2",
    b"SYNCML:SYNCML2.0",
    b"syncml:metinf",
    b"syncml:metinfo",
    b"syncml:dmddf1.2",
    b"syncml:devinf",
    b"",
    b"urn:x",
)
_ATTRIBUTES = (
    b' a="1"',
    b' xml:lang="en"',
    b' xml:space="preserve"',
    b' msft:originalerror="0x80070057"',
    b' xmlns:msft="http://schemas.microsoft.com/MobileDevice/MDM"',
    b' xmlns:p="urn:x" p:a="1"',
    b' a="1" a="2"',
    b' a="&#0;"',
    b' a="&lt;"',
)
_SPLICES = (
    b"<![CDATA[x]]>",
    b"<![CDATA[]]>",
    b"<!-- x -->",
    b"<?pi x?>",
    b"&amp;",
    b"&e;",
    b"&#0;",
    b"&#xD800;",
    b"<X/>",
    b"<Item>",
    b"</Item>",
    b"\x00",
    b"\xff",
    b"\r\n",
    b"text",
)
_PROLOGS = (
    b'<?xml version="1.0" encoding="UTF-8"?>',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="ISO-8859-1"?>',
    b'<?xml version="1.0" encoding="x-undefined"?>',
    b'<?xml version="1.0" encoding="UTF-32"?>',
    b'<?xml version="1.1"?>',
    b'<?xml version="1.0"',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b" \r\n",
    b"<!-- x -->",
    b'<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN"'
    b' "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd">',
    b'<!DOCTYPE SyncML [<!ENTITY e "x">]>',
    b'<!DOCTYPE SyncML [<!ENTITY % p "x"> %p;]>',
    b'<!DOCTYPE SyncML SYSTEM "file:///etc/passwd">',
    b'<!DOCTYPE SyncML SYSTEM "http://127.0.0.1:9/x.dtd">',
)
_WRAPPERS = (b"Atomic", b"Sequence", b"Item", b"Data", b"Meta", b"SyncBody", b"X")
_COMMANDS = tuple(name.encode() for name in COMMAND_CLASSES)

# A start or end tag (groups: slash, name, attributes, empty-slash).  Every
# alternative stops at the next '<', so scanning stays linear on any input.
_TAG = re.compile(rb"""<(/?)([A-Za-z_][\w.:-]*)((?:[^<>"'/]|/(?!>)|"[^"<]*"|'[^'<]*')*)(/?)>""")
# Constructs that may hold a '<' and are skipped whole, with how they end.
_SKIPPED = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"), (b"<!", b">"))
_XMLNS = re.compile(rb"""[ \t\r\n]+xmlns=("[^"]*"|'[^']*')""")
_TRIES = 8


@dataclass(frozen=True, slots=True)
class _Element:
    """Where one element sits in the input."""

    name: bytes
    start: int  # its '<'
    open_end: int  # just after its start tag
    close_start: int  # the '<' of its end tag (open_end when empty)
    end: int  # just after it
    parent: int  # index of the parent in the element list, -1 for the root

    def contains(self, other: _Element) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def empty(self) -> bool:
        return self.open_end == self.end


def _scan(data: bytes) -> list[_Element]:
    """The well-nested elements of *data*; unbalanced tags are skipped."""
    found: list[_Element] = []
    open_: list[tuple[bytes, int, int]] = []  # name, start, open_end
    pos = data.find(b"<")
    while pos >= 0:
        skipped = next((closer for opener, closer in _SKIPPED if data.startswith(opener, pos)), None)
        if skipped is not None:
            end = data.find(skipped, pos + 2)
            if end < 0:
                break  # an unterminated comment or section runs to the end
            pos = data.find(b"<", end + len(skipped))
            continue
        match = _TAG.match(data, pos)
        if match is None:
            pos = data.find(b"<", pos + 1)
            continue
        name = match.group(2)
        if match.group(1):
            _close(found, open_, name, match.start(), match.end())
        elif match.group(4):
            found.append(_Element(name, match.start(), match.end(), match.end(), match.end(), -1))
        else:
            open_.append((name, match.start(), match.end()))
        pos = data.find(b"<", match.end())
    return _link_parents(found)


def _close(found: list[_Element], open_: list[tuple[bytes, int, int]], name: bytes, at: int, end: int) -> None:
    depth = next((i for i in range(len(open_) - 1, -1, -1) if open_[i][0] == name), None)
    if depth is None:
        return  # a stray end tag
    del open_[depth + 1 :]  # elements left open inside it are not elements
    _, start, open_end = open_.pop()
    found.append(_Element(name, start, open_end, at, end, -1))


def _link_parents(found: list[_Element]) -> list[_Element]:
    """Sort by position and give each element its innermost container."""
    ordered = sorted(found, key=lambda e: (e.start, -e.end))
    out: list[_Element] = []
    open_: list[int] = []
    for el in ordered:
        while open_ and not out[open_[-1]].contains(el):
            open_.pop()
        parent = open_[-1] if open_ else -1
        out.append(_Element(el.name, el.start, el.open_end, el.close_start, el.end, parent))
        open_.append(len(out) - 1)
    return out


# --- the mutations ----------------------------------------------------------------
# Each takes (data, elements, rng, room) and returns the variant, or None when
# it does not apply (no element, no room left ...).

_Mutator = Callable[[bytes, list[_Element], random.Random, int], "bytes | None"]


def _drop(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    return data[: el.start] + data[el.end :]


def _duplicate(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    copies = rng.choice((1, 1, 1, 2, 50))
    chunk = data[el.start : el.end] * copies
    if len(chunk) > room:
        return None
    return data[: el.end] + chunk + data[el.end :]


def _move(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if len(els) < 2:
        return None
    el = rng.choice(els)
    hosts = [h for h in els if not h.empty and not el.contains(h)]
    if not hosts:
        return None
    host = rng.choice(hosts)
    at = rng.choice((host.open_end, host.close_start))
    chunk = data[el.start : el.end]
    rest = data[: el.start] + data[el.end :]
    if at >= el.end:
        at -= len(chunk)
    return rest[:at] + chunk + rest[at:]


def _swap(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if len(els) < 2:
        return None
    first = rng.choice(els)
    siblings = [e for e in els if e.parent == first.parent and e is not first]
    others = [e for e in els if not first.contains(e) and not e.contains(first)]
    pool = siblings if siblings and rng.random() < 0.5 else others
    if not pool:
        return None
    second = rng.choice(pool)
    a, b = sorted((first, second), key=lambda e: e.start)
    return data[: a.start] + data[b.start : b.end] + data[a.end : b.start] + data[a.start : a.end] + data[b.end :]


def _edge_value(rng: random.Random, room: int) -> bytes:
    if room > 64 and rng.random() < 0.1:
        size = min(room, 1 << rng.randrange(6, 17))
        return rng.choice((b"9", b"A", b" ", b"\xc3\xbc", b"&#1;")) * max(1, size // 5)
    return rng.choice(EDGE_VALUES)


def _text(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    parents = {e.parent for e in els}
    leaves = [e for i, e in enumerate(els) if i not in parents]
    if not leaves:
        return None
    el = rng.choice(leaves)
    value = _edge_value(rng, room)
    if el.empty:
        name = el.name
        return data[: el.start] + b"<" + name + b">" + value + b"</" + name + b">" + data[el.end :]
    return data[: el.open_end] + value + data[el.close_start :]


def _rename(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    new = rng.choice(ELEMENT_NAMES).encode()
    if rng.random() < 0.1:
        new = rng.choice((new.lower(), new.upper(), b"p:" + new))
    old = el.name
    start_tag = b"<" + new + data[el.start + 1 + len(old) : el.open_end]
    if el.empty:
        return data[: el.start] + start_tag + data[el.end :]
    inner = data[el.open_end : el.close_start]
    return data[: el.start] + start_tag + inner + b"</" + new + b">" + data[el.end :]


def _namespace(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    tag = data[el.start : el.open_end]
    if _XMLNS.search(tag) and rng.random() < 0.3:
        new_tag = _XMLNS.sub(b"", tag, count=1)
    else:
        decl = b' xmlns="' + rng.choice(_NAMESPACES) + b'"'
        bare = _XMLNS.sub(b"", tag, count=1)
        cut = len(bare) - (2 if bare.endswith(b"/>") else 1)
        new_tag = bare[:cut] + decl + bare[cut:]
    return data[: el.start] + new_tag + data[el.open_end :]


def _attribute(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    cut = el.open_end - (2 if data[el.start : el.open_end].endswith(b"/>") else 1)
    return data[:cut] + rng.choice(_ATTRIBUTES) + data[cut:]


def _wrap(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    name = rng.choice(_WRAPPERS + _COMMANDS)
    times = rng.choice((1, 1, 2, 3, 40, 300))
    opening, closing = b"<" + name + b">", b"</" + name + b">"
    if rng.random() < 0.5 and name in (b"Atomic", b"Sequence"):
        opening += b"<CmdID>1</CmdID>"
    if (len(opening) + len(closing)) * times > room:
        return None
    return data[: el.start] + opening * times + data[el.start : el.end] + closing * times + data[el.end :]


def _splice(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not els:
        return None
    el = rng.choice(els)
    at = rng.choice((el.start, el.open_end, el.close_start, el.end))
    return data[:at] + rng.choice(_SPLICES) + data[at:]


def _prolog(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    root = els[0].start if els else 0
    pieces = rng.sample(_PROLOGS, rng.choice((0, 1, 1, 2)))
    return b"".join(pieces) + data[root:]


def _transcode(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    choice = rng.randrange(5)
    if choice == 0:
        out = b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    elif choice == 1:
        out = text.encode("utf-16-be", "surrogatepass")
    elif choice == 2:
        out = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + text.encode("latin-1", "replace")
    elif choice == 3:  # half UTF-8, half UTF-16: a broken proxy or a bad concatenation
        half = len(text) // 2
        out = text[:half].encode("utf-8") + text[half:].encode("utf-16-le", "surrogatepass")
    else:  # declared UTF-16, written UTF-8 (the local MDM API does this)
        out = b'<?xml version="1.0" encoding="utf-16"?>' + data
    return out if len(out) - len(data) <= room else None


def _truncate(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    if not data:
        return None
    cuts = [p for e in els for p in (e.open_end, e.close_start)] or [rng.randrange(len(data))]
    return data[: rng.choice(cuts)]


def _bytes(data: bytes, els: list[_Element], rng: random.Random, room: int) -> bytes | None:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        action = rng.randrange(3) if out else 1
        at = rng.randrange(len(out) + (1 if action == 1 else 0))
        if action == 0:
            out[at] = rng.randrange(256)
        elif action == 1 and room > 0:
            out.insert(at, rng.randrange(256))
            room -= 1
        elif action == 2:
            del out[at]
    return bytes(out)


_MUTATORS: dict[Mutation, _Mutator] = {
    Mutation.DROP: _drop,
    Mutation.DUPLICATE: _duplicate,
    Mutation.MOVE: _move,
    Mutation.SWAP: _swap,
    Mutation.TEXT: _text,
    Mutation.RENAME: _rename,
    Mutation.NAMESPACE: _namespace,
    Mutation.ATTRIBUTE: _attribute,
    Mutation.WRAP: _wrap,
    Mutation.SPLICE: _splice,
    Mutation.PROLOG: _prolog,
    Mutation.TRANSCODE: _transcode,
    Mutation.TRUNCATE: _truncate,
    Mutation.BYTES: _bytes,
}


def mutate(
    data: bytes,
    seed: int,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    count: int = 1,
    kinds: Iterable[Mutation] | None = None,
) -> bytes:
    """Return a near-valid variant of *data*: *count* seeded mutations applied in turn.

    The result is at most *max_size* bytes.  *kinds* limits the mutations
    tried; when none of them applies to the input (an element mutation on
    input with no element), a few bytes are changed instead, so the result
    always differs from a non-empty input that fits.
    """
    rng = random.Random(seed)
    allowed = tuple(kinds) if kinds is not None else tuple(Mutation)
    if not allowed:
        raise SyncMLError("kinds must name at least one Mutation")
    out = bytes(data[:max_size])
    for _ in range(count):
        out = _mutate_once(out, rng, max_size, allowed)
    return out


def _mutate_once(data: bytes, rng: random.Random, max_size: int, allowed: tuple[Mutation, ...]) -> bytes:
    elements = _scan(data)
    room = max_size - len(data)
    for _ in range(_TRIES):
        result = _MUTATORS[rng.choice(allowed)](data, elements, rng, room)
        if result is not None and result != data and len(result) <= max_size:
            return result
    fallback = _bytes(data, elements, rng, room)
    return fallback[:max_size] if fallback is not None else data


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """One structure-aware mutation, with the signature atheris' ``custom_mutator`` expects."""
    return mutate(data, seed, max_size=max_size)


# --- how big a decoded value is --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelSize:
    """The size of a decoded value, the measure the fuzzing invariants bound by the input's size.

    ``characters`` adds up the length of every ``str`` and ``bytes`` in the
    value, once per reference (a string-table entry referenced 1 000 times
    counts 1 000 times: that is what writing the model back costs), quirks
    included.  ``nodes`` counts dataclass instances: elements, Data forms,
    Unknown, Quirk.  Tuples and numbers count nothing of their own.
    """

    characters: int
    nodes: int

    @property
    def total(self) -> int:
        return self.characters + self.nodes


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def model_size(value: object) -> ModelSize:
    """Measure *value* (a ``SyncML``, the ``Commands`` of a fragment, any part of a model).

    One iterative walk: linear in the number of references, whatever the
    nesting depth and however long the strings.
    """
    characters = nodes = 0
    todo: list[object] = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str | bytes | bytearray):
            characters += len(item)
        elif isinstance(item, tuple):
            todo.extend(item)
            if isinstance(item, Commands):
                todo.append(item.quirks)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            nodes += 1
            todo.extend(getattr(item, name) for name in _field_names(type(item)))
    return ModelSize(characters=characters, nodes=nodes)
