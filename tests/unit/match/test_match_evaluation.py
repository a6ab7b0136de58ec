"""The labelled evaluation set (tests/data/matching/evaluation.csv) against the shipped ban
lists: precision and recall must stay at or above the issue's bars."""

from __future__ import annotations

from pathlib import Path

import pytest
from match_quality import Report, errors, evaluate, load_cases, summary

from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher

CASES = Path(__file__).resolve().parents[2] / "data" / "matching" / "evaluation.csv"


@pytest.fixture(scope="module")
def report() -> Report:
    matcher = Matcher(load_ban_data(default_ban_files()))
    return evaluate(matcher, load_cases(CASES))


def test_set_is_big_enough_and_about_half_negatives() -> None:
    cases = load_cases(CASES)
    negatives = sum(1 for c in cases if c.expected is None)
    assert len(cases) >= 400
    assert 0.4 <= negatives / len(cases) <= 0.6


def test_precision_and_recall(report: Report) -> None:
    detail = f"{summary(report)}\n{errors(report)}"
    assert report.precision >= 0.99, detail
    assert report.recall >= 0.97, detail


def test_every_expected_entity_is_in_the_shipped_lists() -> None:
    ids = set(load_ban_data(default_ban_files()).entities)
    assert {c.expected for c in load_cases(CASES) if c.expected} <= ids


@pytest.mark.parametrize(
    "value",
    [
        "Kasper Systems",
        "ZTEC Solutions",
        "Aztec Software",
        "Hawaii Electric",
        "Hikari Cable",
        "Lab Corp",
        "UltraAV",
        "Pango",
    ],
)
def test_issue_must_pass_names_are_in_the_set_and_pass(report: Report, value: str) -> None:
    [outcome] = [o for o in report.outcomes if o.case.value == value and o.case.role == "vendor"]
    assert outcome.case.expected is None
    assert outcome.found == ()
