"""Precision and recall of the matcher on a labelled evaluation set (a development tool,
not part of procgate: tests/unit/match/test_match_evaluation.py holds the bars).

    python benchmarks/match_quality.py [CASES.csv] [--data FILE ...] [--show-errors]

CASES.csv (default: tests/data/matching/evaluation.csv) has one row per name as written:
value, role, party, expected (an entity id, or "-" for a name that must match nothing),
category, note. The matcher runs against the shipped ban lists (or --data files). A
reported match at any score counts as a prediction, review band included: a warning on an
innocent vendor is a false alarm too.

    precision = correct entities reported / all entities reported
    recall    = expected entities reported / rows that expect one
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from procgate.lists import default_ban_files, load_ban_data
from procgate.match.matcher import Matcher
from procgate.model import Match, Owner, Subject

DEFAULT_CASES = (
    Path(__file__).resolve().parents[1] / "tests" / "data" / "matching" / "evaluation.csv"
)
_OWNER = Owner("/components/0", "evaluation case", "")


@dataclass(frozen=True)
class Case:
    value: str
    role: str
    party: str
    expected: str | None  # entity id; None: must match nothing
    category: str
    note: str = ""


@dataclass
class Outcome:
    case: Case
    found: tuple[Match, ...]

    @property
    def entities(self) -> set[str]:
        return {m.entity_id for m in self.found}

    @property
    def hit(self) -> bool:
        return self.case.expected in self.entities

    @property
    def false(self) -> set[str]:
        return self.entities - {self.case.expected}


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return sum(1 for o in self.outcomes if o.case.expected)

    @property
    def negatives(self) -> int:
        return len(self.outcomes) - self.positives

    @property
    def true_positives(self) -> int:
        return sum(1 for o in self.outcomes if o.case.expected and o.hit)

    @property
    def false_positives(self) -> int:
        return sum(len(o.false) for o in self.outcomes)

    @property
    def precision(self) -> float:
        reported = self.true_positives + self.false_positives
        return self.true_positives / reported if reported else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.expected and not o.hit]

    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.false]

    def by_via(self) -> Counter[str]:
        """How the expected entities were found: exact names, fuzzy, transliteration..."""
        return Counter(
            m.via for o in self.outcomes for m in o.found if m.entity_id == o.case.expected
        )


def load_cases(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Case(
                row["value"],
                row["role"],
                row["party"],
                None if row["expected"] == "-" else row["expected"],
                row["category"],
                row.get("note") or "",
            )
            for row in csv.DictReader(line for line in f if not line.startswith("#"))
        ]


def evaluate(matcher: Matcher, cases: Iterable[Case]) -> Report:
    report = Report()
    for case in cases:
        subject = Subject(case.role, case.value, "/components/0/x", _OWNER, case.party)
        report.outcomes.append(Outcome(case, tuple(matcher.match([subject]))))
    return report


def summary(report: Report) -> str:
    lines = [
        f"cases {len(report.outcomes)}: {report.positives} expect an entity, "
        f"{report.negatives} expect none",
        f"precision {report.precision:.4f}  (true positives {report.true_positives}, "
        f"false positives {report.false_positives})",
        f"recall    {report.recall:.4f}  (missed {len(report.misses())} of {report.positives})",
        "found by: " + ", ".join(f"{via} {n}" for via, n in report.by_via().most_common()),
    ]
    return "\n".join(lines)


def errors(report: Report) -> str:
    lines = [
        f"missed  {o.case.category:<14} {o.case.role:<14} {o.case.value!r} "
        f"(expected {o.case.expected})"
        for o in report.misses()
    ]
    for o in report.false_alarms():
        found = ", ".join(
            f"{m.entity_id} {m.via} {m.score:.2f}" for m in o.found if m.entity_id in o.false
        )
        lines.append(f"false   {o.case.category:<14} {o.case.role:<14} {o.case.value!r} -> {found}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="?", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--data", type=Path, action="append", help="ban lists (default: shipped)")
    parser.add_argument("--show-errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    matcher = Matcher(load_ban_data(args.data or default_ban_files()))
    report = evaluate(matcher, load_cases(args.cases))
    print(summary(report))
    if args.show_errors and (report.misses() or report.false_alarms()):
        print(errors(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
