"""Fixtures of the matcher tests; the ban data itself is in match_fixtures.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from match_fixtures import BAN_DATA, subject

from procgate.match import Matcher
from procgate.model import Match

MatchOne = Callable[..., list[Match]]


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher(BAN_DATA)


@pytest.fixture
def match_one(matcher: Matcher) -> MatchOne:
    """Matches of one subject: match_one(role, value, party="organization")."""

    def run(role: str, value: str, party: str = "organization") -> list[Match]:
        return matcher.match([subject(role, value, party)])

    return run
