"""The evaluation set tests/data/matching/cases.csv: every row a subject and what it matches."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from match_fixtures import MATCHER, subject

from procgate.model import ROLES

CASES = Path(__file__).resolve().parents[2] / "data" / "matching" / "cases.csv"

Key = tuple[str, str, str]  # role, party, value
Expected = set[tuple[str, str, float]]  # entity, via, score


def _cases() -> dict[Key, Expected]:
    lines = [line for line in CASES.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    cases: dict[Key, Expected] = {}
    for row in csv.DictReader(lines):
        expected = cases.setdefault((row["role"], row["party"], row["value"]), set())
        if row["entity"] != "-":
            expected.add((row["entity"], row["via"], float(row["score"])))
    return cases


CASE_TABLE = _cases()


@pytest.mark.parametrize(("key", "expected"), CASE_TABLE.items(), ids=lambda v: repr(v)[:60])
def test_case(key: Key, expected: Expected) -> None:
    role, party, value = key
    found = {(m.entity_id, m.via, m.score) for m in MATCHER.match([subject(role, value, party)])}
    assert found == expected


def test_every_role_has_cases() -> None:
    assert {role for role, _, _ in CASE_TABLE} == set(ROLES)
