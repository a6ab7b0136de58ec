"""Differences between regorus (gordon-to-regorus 0.13.0) and OPA found by the differential
tests, with the exact policy and input, and why procgate's decision does not meet them.

A multi-value partial object rule (`p[k] contains v if ...`) with no entry is undefined on
regorus and `{}` on OPA, so `count(p) == 0` is true on OPA and undefined on regorus. A
single-value partial object (`p[k] := v`) and a partial set are empty on both. bans.rego's
`outcomes` and `upcoming` are such rules; it only ever looks them up by key (`outcomes[m.id]`,
`some o in outcomes[id]`, `not upcoming[m.id]`), which is the same on both engines; the deny and
warn sets agree on every input of test_decisions_agree.py, which reads outcomes and upcoming
through a comprehension.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from engine_pair import EnginePair, same, side_by_side
from opa_support import opa_engine_class

POLICY = """package p

import rego.v1

multi[k] contains v if some k, v in input.m

single[k] := v if some k, v in input.m

none_left if count(multi) == 0
"""
EMPTY = {"m": {}}


@pytest.fixture(scope="module")
def pair() -> Iterator[EnginePair]:
    opa_engine_class()
    engines = EnginePair([("p.rego", POLICY)], {})
    yield engines
    engines.close()


def test_an_empty_multi_value_object_rule_is_undefined_on_regorus_and_empty_on_opa(
    pair: EnginePair,
) -> None:
    assert pair.both("data.p.multi", EMPTY) == ({"<undefined>": True}, {})
    assert pair.both("data.p.none_left", EMPTY) == ({"<undefined>": True}, True)
    assert pair.both("data.p.single", EMPTY) == ({}, {})
    # read through a comprehension, or by key, it is the same
    assert pair.both("{k: v | v := data.p.multi[k]}", EMPTY) == ({}, {})
    assert pair.both("data.p.multi.x", EMPTY) == ({"<undefined>": True}, {"<undefined>": True})
    filled = {"m": {"a": 1}}
    assert pair.both("data.p.multi", filled) == ({"a": [1]}, {"a": [1]})


def test_a_difference_is_shown_side_by_side(pair: EnginePair) -> None:
    left, right = pair.both("data.p.none_left", EMPTY)
    assert not same(left, right)
    shown = side_by_side("data.p.none_left", left, right, EMPTY).splitlines()
    assert shown[0] == "data.p.none_left: regorus and OPA differ"
    assert shown[1].split() == ["regorus", "OPA"]
    assert shown[2].split() == ["{", "|", "true"]
    assert shown[-1] == '{"m": {}}'
