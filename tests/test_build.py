"""Values built by the decoders' fast constructors are ordinary model values."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given

from syncml import model as m
from syncml import strategies as sst
from syncml._build import MISSING, plan_for
from syncml._grammar import ELEMENTS


@pytest.mark.parametrize("cls", sorted(ELEMENTS, key=str), ids=str)
def test_plan_matches_the_dataclass(cls: type) -> None:
    plan = plan_for(cls)
    fields = dataclasses.fields(cls)
    assert list(plan.position) == [f.name for f in fields]
    for f, default in zip(fields, plan.defaults, strict=True):
        assert default is (MISSING if f.default is dataclasses.MISSING else f.default)


@given(sst.messages(max_commands=3))
def test_rebuilt_values_equal_hash_and_print_the_same(msg: m.SyncML) -> None:
    def rebuild(value: object) -> object:
        if isinstance(value, tuple):
            return tuple(rebuild(v) for v in value)
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        plan = plan_for(type(value))
        return plan.make(*(rebuild(getattr(value, name)) for name in plan.position))

    copy = rebuild(msg)
    assert isinstance(copy, m.SyncML)
    assert copy == msg
    assert hash(copy) == hash(msg)
    assert repr(copy) == repr(msg)
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.header = msg.header  # type: ignore[misc]
