"""The evaluation set tests/data/matching/cases.csv: every row a subject and what it matches."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from match_fixtures import subject

from procgate.match import Matcher
from procgate.model import ROLES

CASES = Path(__file__).resolve().parents[2] / "data" / "matching" / "cases.csv"

Key = tuple[str, str, str]  # role, party, value
Expected = set[tuple[str, str, float]]  # entity, via, score


def _cases() -> dict[Key, Expected]:
    lines = [line for line in CASES.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    cases: dict[Key, Expected] = defaultdict(set)
    for row in csv.DictReader(lines):
        key = (row["role"], row["party"], row["value"])
        if row["entity"] == "-":
            cases[key]
        else:
            cases[key].add((row["entity"], row["via"], float(row["score"])))
    return cases


CASE_TABLE = _cases()


@pytest.mark.parametrize(("key", "expected"), CASE_TABLE.items(), ids=lambda v: repr(v)[:60])
def test_case(matcher: Matcher, key: Key, expected: Expected) -> None:
    role, party, value = key
    found = {(m.entity_id, m.via, m.score) for m in matcher.match([subject(role, value, party)])}
    assert found == expected


def test_every_role_has_cases() -> None:
    assert {role for role, _, _ in CASE_TABLE} == set(ROLES)
