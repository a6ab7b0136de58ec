"""Directive clocks: the deadlines some authorities set, counted from the day they were issued.

BOD 17-01 told every agency to identify Kaspersky products within 30 days, plan their removal
within 60 and begin removing them at 90 (facts/vendor-bans.md §1). The ban-list format has no
field for such clocks yet, so they are kept here, keyed by authority id, with their source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Step:
    days: int
    what: str  # "identify the products"


@dataclass(frozen=True, slots=True)
class Clock:
    authority: str
    start: date
    basis: str  # what started the clock, in words
    steps: tuple[Step, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Deadline:
    what: str
    due: date
    days: int  # days after the start

    def status(self, today: date) -> str:
        """'passed 3285 days ago', 'due today', 'due in 12 days'."""
        left = (self.due - today).days
        if left < 0:
            return f"passed {-left} day{'s' if left != -1 else ''} ago"
        if left == 0:
            return "due today"
        return f"due in {left} day{'s' if left != 1 else ''}"


CLOCKS: dict[str, Clock] = {
    clock.authority: clock
    for clock in (
        Clock(
            authority="dhs-bod-17-01",
            start=date(2017, 9, 13),
            basis="BOD 17-01 was issued on 2017-09-13",
            steps=(
                Step(30, "identify Kaspersky-branded products"),
                Step(60, "give DHS a plan to remove them"),
                Step(90, "begin removing them"),
            ),
            source="https://govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm",
        ),
        Clock(
            authority="no-tiktok-on-government-devices",
            start=date(2023, 2, 27),
            basis="OMB memo M-23-13 was issued on 2023-02-27",
            steps=(
                Step(30, "remove TikTok from government devices"),
                Step(90, "remove contract requirements for TikTok"),
                Step(120, "report any exceptions granted"),
            ),
            source="https://executivegov.com/2023/02/omb-memo-requires-agencies-to-remove-tiktok-from-federal-devices/",
        ),
    )
}


def deadlines(authority: str) -> tuple[Deadline, ...]:
    """The authority's deadlines in order, or () when it sets no clock."""
    clock = CLOCKS.get(authority)
    if clock is None:
        return ()
    return tuple(
        Deadline(step.what, clock.start + timedelta(days=step.days), step.days)
        for step in clock.steps
    )
