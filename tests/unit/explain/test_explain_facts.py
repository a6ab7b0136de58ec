"""explain: every entity by id, disguised names, and the dates a ban reaches a buyer."""

from __future__ import annotations

from datetime import date

import pytest

from procgate.deadlines import deadlines
from procgate.explain import banned_since, explain, explanation_json, render_text
from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher
from procgate.model import BanData

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def ban_data() -> BanData:
    return load_ban_data(default_ban_files())


@pytest.fixture(scope="module")
def matcher(ban_data: BanData) -> Matcher:
    return Matcher(ban_data)


def test_every_entity_id_explains_itself(ban_data: BanData, matcher: Matcher) -> None:
    for entity_id, entity in ban_data.entities.items():
        exp = explain(entity_id, ban_data, matcher, "us-federal")
        assert exp.by_id
        [candidate] = exp.candidates
        assert candidate.facts.entity is entity
        covered = {c.authority.id for c in candidate.facts.coverage}
        assert covered == {listing.authority for listing in entity.listings}
        for c in candidate.facts.coverage:
            assert c.listing.source.strip() and c.authority.citation
            assert c.applies, f"{entity_id}: {c.authority.id} applies to nobody"


@pytest.mark.parametrize(
    ("query", "entity", "via", "min_score"),
    [
        ("Kaspersky Lab ZAO", "kaspersky", "former-name", 1.0),
        ("HiLook", "hikvision", "brand", 1.0),
        ("EZVIZ", "hikvision", "brand", 1.0),
        ("华为技术有限公司", "huawei", "alias", 1.0),
        ("Huawei Technologies Co., Ltd. (Shenzhen)", "huawei", "legal-name", 0.9),
        (
            "pkg:maven/com.huaweicloud.sdk/huaweicloud-sdk-core@3.1.0",
            "huawei",
            "purl-namespace",
            1.0,
        ),
        ("cpe:2.3:a:kaspersky:anti-virus:2019:*:*:*:*:*:*:*", "kaspersky", "cpe-vendor", 1.0),
        ("https://www.kaspersky.com/", "kaspersky", "domain", 1.0),
        ("ComNet (USA) LLC", "pacific-networks", "subsidiary", 1.0),
        ("TikTok", "bytedance", "brand", 1.0),
    ],
)
def test_disguised_names_resolve(
    ban_data: BanData, matcher: Matcher, query: str, entity: str, via: str, min_score: float
) -> None:
    exp = explain(query, ban_data, matcher, "us-federal")
    assert not exp.by_id
    best = exp.candidates[0]
    assert (best.facts.entity.id, best.via) == (entity, via)
    assert best.score >= min_score


@pytest.mark.parametrize("query", ["Kasper Systems", "Dell Technologies Inc.", "tiktoken"])
def test_look_alikes_match_nothing(ban_data: BanData, matcher: Matcher, query: str) -> None:
    exp = explain(query, ban_data, matcher, "us-federal")
    assert exp.candidates == ()
    assert "No match for" in render_text(exp, "us-federal", TODAY)


def test_banned_since_is_the_later_of_authority_and_listing(ban_data: BanData) -> None:
    # A federal agency is a U.S. person too: the BIS ban reaches it through us-person.
    assert banned_since(ban_data, "kaspersky", "bis-icts-kaspersky-2024", "us-federal") == date(
        2024, 7, 20
    )
    assert banned_since(ban_data, "kaspersky", "fcc-covered-list", "us-federal") == date(
        2022, 3, 25
    )  # the listing is later than the list
    assert banned_since(ban_data, "kaspersky", "dhs-bod-17-01", "us-person") is None


def test_bod_17_01_clock() -> None:
    identify, plan, remove = deadlines("dhs-bod-17-01")
    assert (identify.due, plan.due, remove.due) == (
        date(2017, 10, 13),
        date(2017, 11, 12),
        date(2017, 12, 12),
    )
    assert identify.status(date(2017, 10, 1)) == "due in 12 days"
    assert identify.status(date(2017, 10, 13)) == "due today"
    assert remove.status(date(2017, 12, 13)) == "passed 1 day ago"
    assert deadlines("ndaa-fy2019-889") == ()


def test_text_says_who_since_when_and_sources(ban_data: BanData, matcher: Matcher) -> None:
    text = render_text(explain("kaspersky", ban_data, matcher, "us-federal"), "us-federal", TODAY)
    assert "AO Kaspersky Lab" in text and "Former names: Kaspersky Lab ZAO" in text
    assert "in force for U.S. federal agencies since 2017-09-13" in text
    assert "identify Kaspersky-branded products by 2017-10-13" in text
    assert "https://govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm" in text


def test_json_form(ban_data: BanData, matcher: Matcher) -> None:
    out = explanation_json(explain("HiLook", ban_data, matcher, "us-person"), "us-person", TODAY)
    [m] = out["matches"]
    assert (m["entity"], m["via"], m["score"]) == ("hikvision", "brand", 1.0)
    by_authority = {c["authority"]: c for c in m["coverage"]}
    assert by_authority["ndaa-fy2019-889"]["in_force"] is False  # §889 does not bind U.S. persons
    assert by_authority["fcc-covered-list"]["for_you_since"] == "2021-03-12"


def test_a_name_that_matches_nothing_is_not_a_clearance(
    ban_data: BanData, matcher: Matcher
) -> None:
    exp = explain("DJI Innovations Drone Store", ban_data, matcher, "us-federal")
    assert exp.candidates  # built on a listed name: found
    none = explain("Acme Widgets", ban_data, matcher, "us-federal")
    text = render_text(none, "us-federal", TODAY)
    assert "This is not a clearance" in text
    assert "Lists consulted: us-government (as of 2026-12-03)" in text
    assert explanation_json(none, "us-federal", TODAY)["lists"] == [
        {"name": "us-government", "as_of": "2026-12-03"}
    ]


def test_upcoming_bans_show_their_date(ban_data: BanData, matcher: Matcher) -> None:
    exp = explain("ymtc", ban_data, matcher, "us-federal")
    text = render_text(exp, "us-federal", date(2026, 12, 3))
    assert "UPCOMING: applies to U.S. federal agencies from 2027-12-23 (in 385 days)" in text
    coverage = explanation_json(exp, "us-federal", date(2026, 12, 3))["matches"][0]["coverage"]
    cov = next(c for c in coverage if c["authority"] == "ndaa-fy2023-5949")
    assert cov["upcoming"] is True and cov["in_force"] is False
    # YMTC is also on the Section 1260H list (FY2024 NDAA §805): DoD only, not upcoming here.
    s805 = next(c for c in coverage if c["authority"] == "ndaa-fy2024-805")
    assert s805["upcoming"] is False and s805["in_force"] is False


def test_bod_17_01_does_not_reach_dod_but_1634_does(ban_data: BanData, matcher: Matcher) -> None:
    exp = explain("kaspersky", ban_data, matcher, "us-dod")
    text = render_text(exp, "us-dod", TODAY)
    assert (
        "DHS Binding Operational Directive 17-01 (Kaspersky-branded products): does not "
        "apply to the U.S. Department of Defense"
    ) in text
    assert (
        "FY2018 NDAA §1634 (Kaspersky hardware, software and services): in force for "
        "the U.S. Department of Defense since 2018-10-01" in text
    )


def test_what_to_do_is_the_listings_and_the_audiences(ban_data: BanData, matcher: Matcher) -> None:
    exp = explain("hikvision", ban_data, matcher, "us-person")
    [c] = exp.candidates
    s889 = next(cov for cov in c.facts.coverage if cov.authority.id == "ndaa-fy2019-889")
    assert "Hikvision" in s889.action and "Huawei" not in s889.action
    fcc = next(cov for cov in c.facts.coverage if cov.authority.id == "fcc-covered-list")
    assert fcc.action.endswith("buy it only with a documented reason.")


def test_a_sunset_ends_the_drone_act(ban_data: BanData, matcher: Matcher) -> None:
    [c] = explain("autel-robotics", ban_data, matcher, "us-federal").candidates
    asda = next(
        cov for cov in c.facts.coverage if cov.authority.id == "american-security-drone-act"
    )
    assert asda.ends == date(2028, 12, 22)
    assert asda.in_force(date(2028, 12, 22)) and not asda.in_force(date(2028, 12, 23))
