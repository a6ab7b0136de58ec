"""Generated disguises (evasions.py) of every listed name, alias and brand in the shipped
lists must all be reported; the same disguises of the labelled evaluation set must keep
precision and recall at the set's bars (issue 10)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from evasions import disguises, sample
from match_fixtures import OWNER
from match_quality import Case, errors, evaluate, load_cases, summary

from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher
from procgate.match.index import names_of
from procgate.model import BanData, Subject

CASES = Path(__file__).resolve().parents[2] / "data" / "matching" / "evaluation.csv"


@pytest.fixture(scope="module")
def shipped() -> BanData:
    return load_ban_data(default_ban_files())


def test_every_disguise_of_every_listed_name_is_reported(shipped: BanData) -> None:
    matcher = Matcher(shipped)
    tried: Counter[str] = Counter()
    missed: list[str] = []
    for entity in shipped.entities.values():
        for name in names_of(entity):
            for kind, value in disguises(name.value):
                tried[kind] += 1
                subject = Subject("vendor", value, "/x", OWNER, "organization")
                if entity.id not in {m.entity_id for m in matcher.match([subject])}:
                    missed.append(f"{kind}: {value!r} ({name.value})")
    total = sum(tried.values())
    print(f"\nevasions: {total} tried, {total - len(missed)} caught; by kind: {dict(tried)}")
    # Every kind is exercised, with invisible characters at every position of every name.
    assert set(tried) >= {
        "invisible",
        "rtl-override",
        "confusable",
        "confusable-all",
        "full-width",
        "full-width+zwj",
        "mathematical",
        "case",
        "punctuation",
        "spacing",
        "leet",
    }
    assert tried["invisible"] >= 12_000
    assert missed == [], "\n".join(missed[:40])


def test_disguised_evaluation_set_keeps_precision() -> None:
    """The labelled set plus up to three disguises of each kind of every labelled name (a
    fixed sample), hard negatives and names to catch alike: an innocent name in disguise
    must stay innocent. Identifiers, domains and namespaces are not names: left out."""
    cases = load_cases(CASES)
    disguised = [
        Case(value, case.role, case.party, case.expected, f"disguised-{kind}", case.value)
        for case in cases
        if case.role not in ("uei", "cage", "lei", "duns", "domain", "purl-namespace")
        for kind, value in sample(case.value, 3, seed=10)
    ]
    report = evaluate(Matcher(load_ban_data(default_ban_files())), cases + disguised)
    negatives = [o for o in report.outcomes[len(cases) :] if o.case.expected is None]
    innocent = {o.case.value for o in report.outcomes[: len(cases)] if not o.false}
    new_alarms = [o for o in negatives if o.false and o.case.note in innocent]
    print(
        f"\ndisguised evaluation: {len(disguised)} disguised cases, {len(negatives)} of "
        f"them of hard negatives ({len(new_alarms)} became false alarms), plus "
        f"{len(cases)} as labelled\n{summary(report)}"
    )
    assert len(disguised) > 10_000 and len(negatives) > 5_000
    assert report.precision >= 0.99, f"{summary(report)}\n{errors(report)}"
