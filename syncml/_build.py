"""Fast construction of model values by decoders.

A frozen dataclass's ``__init__`` takes keyword arguments and sets each field
through ``object.__setattr__``; on a server that decodes every message of
every device, that is most of the decoding time.  A decoder already knows
every field of the element it has just read, so it builds the value with a
generated function that takes the fields positionally, stores them into a
twin of the class with the same slots and then turns it into the real class.
The result is indistinguishable from calling the class (our models have no
``__post_init__``): ``test_build.py`` checks it.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class _Missing:
    """Marks a required field no child has filled yet."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Plan:
    """How a decoder fills one model class."""

    cls: type
    make: Callable[..., Any]  # make(*fields in declaration order)
    defaults: tuple[Any, ...]  # per field: its default, or MISSING when required
    position: dict[str, int]  # field name -> index into defaults
    #: A plain class with the same slots: filled with ordinary attribute
    #: stores, then switched to ``cls`` (see :func:`_twin`); None where the
    #: interpreter does not allow the switch.
    twin: type | None


def _twin(cls: type) -> type | None:
    """An unfrozen class with *cls*'s slot layout, if instances may change over.

    Storing into a slot of a plain class is one specialised bytecode; going
    through the frozen class's slot descriptors is a call per field.  CPython
    lets an instance change ``__class__`` between classes with the same slot
    layout, so a value is built as a twin and then becomes a ``cls``.
    """
    twin = type(f"_{cls.__name__}Twin", (object,), {"__slots__": cls.__dict__["__slots__"]})
    try:
        probe: Any = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:  # pragma: no cover - an interpreter without the layout rule
        return None
    return twin


@functools.cache
def plan_for(cls: type) -> Plan:
    """The plan for a model class (made once per class)."""
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    defaults = tuple(MISSING if f.default is dataclasses.MISSING else f.default for f in fields)
    twin = _twin(cls)
    if twin is not None:
        body = "".join(f"    obj.{name} = {name}\n" for name in names) + "    obj.__class__ = _cls\n"
        namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_twin": twin}
        source = f"def make({', '.join(names)}):\n    obj = _new(_twin)\n{body}    return obj\n"
    else:  # pragma: no cover
        namespace = {"_new": object.__new__, "_cls": cls}
        namespace.update({f"_set_{name}": cls.__dict__[name].__set__ for name in names})
        body = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
        source = f"def make({', '.join(names)}):\n    obj = _new(_cls)\n{body}    return obj\n"
    exec(source, namespace)
    make = namespace["make"]
    make.__qualname__ = f"make_{cls.__name__}"
    return Plan(cls, make, defaults, {name: i for i, name in enumerate(names)}, twin)
