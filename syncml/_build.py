"""Fast construction of model values by decoders.

A frozen dataclass's ``__init__`` takes keyword arguments and sets each field
through ``object.__setattr__``; on a server that decodes every message of
every device, that is most of the decoding time.  A decoder already knows
every field of the element it has just read, so it builds the value with a
generated function that takes the fields positionally and stores them through
the slot descriptors directly.  The result is indistinguishable from calling
the class (our models have no ``__post_init__``): ``test_build.py`` checks it.
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


@functools.cache
def plan_for(cls: type) -> Plan:
    """The plan for a model class (made once per class)."""
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    defaults = tuple(MISSING if f.default is dataclasses.MISSING else f.default for f in fields)
    setters = {f"_set_{name}": cls.__dict__[name].__set__ for name in names}
    body = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
    source = f"def make({', '.join(names)}):\n    obj = _new(_cls)\n{body}    return obj\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, namespace)
    make = namespace["make"]
    make.__qualname__ = f"make_{cls.__name__}"
    return Plan(cls, make, defaults, {name: i for i, name in enumerate(names)})
