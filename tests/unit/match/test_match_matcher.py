"""Matcher behaviour beyond single cases: windows, one match per entity, caching, order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from match_fixtures import BAN_DATA, MATCHER, OWNER, entity, match_one, subject

from procgate.match import SCORE_CORE, SCORE_EXACT, SCORE_MENTION, Matcher, strongest_per_owner
from procgate.model import ROLES, BanData, Entity, Name, Subject


def test_validity_window_of_the_matched_name_is_carried() -> None:
    [lorex] = match_one("brand", "Lorex")
    assert (lorex.entity_id, lorex.via, lorex.matched_name) == ("dahua", "brand", "Lorex")
    assert (lorex.since, lorex.until) == (date(2018, 1, 1), date(2022, 11, 23))
    [in_product] = match_one("product-name", "lorex-home-camera", "unknown")
    assert (in_product.since, in_product.until) == (date(2018, 1, 1), date(2022, 11, 23))
    [legal] = match_one("manufacturer", "Zhejiang Dahua Technology Co., Ltd.")
    assert (legal.since, legal.until) == (None, None)


def test_sold_subsidiary_keeps_its_end_date() -> None:
    [honor] = match_one("manufacturer", "Honor Device Co., Ltd.")
    assert (honor.via, honor.until) == ("subsidiary", date(2020, 11, 17))


def test_one_match_per_entity_the_best() -> None:
    # Brand name (1.0), listed domain (1.0) and core (0.9) all point at Kaspersky: one match.
    matches = match_one("supplier", "Kaspersky (https://www.kaspersky.com)")
    assert [(m.entity_id, m.via, m.score) for m in matches] == [("kaspersky", "brand", 1.0)]


def test_every_entity_a_value_names_is_reported_best_first() -> None:
    data = BanData(
        authorities={},
        entities={
            "b-widgets": entity("b-widgets", Name("Acme Widgets Ltd", "legal-name")),
            "a-holding": entity(
                "a-holding", Name("Acme Holding", "legal-name"), Name("Acme Widgets", "brand")
            ),
            "c-acme": entity("c-acme", Name("Acme", "legal-name")),
        },
        audiences={},
    )
    matches = Matcher(data).match([subject("vendor", "Acme Widgets, Inc.")])
    assert [(m.entity_id, m.via, m.score) for m in matches] == [
        ("a-holding", "brand", SCORE_EXACT),
        ("b-widgets", "legal-name", SCORE_EXACT),
        ("c-acme", "legal-name", SCORE_MENTION),  # "widgets" is more than a generic word
    ]


def test_listed_spelling_wins_over_a_name_equal_only_without_legal_forms() -> None:
    # "Kaspersky Lab, Inc." and "AO Kaspersky Lab" both fold to "kaspersky lab".
    [m] = match_one("vendor", "Kaspersky Lab, Inc.")
    assert (m.matched_name, m.via) == ("Kaspersky Lab, Inc.", "affiliate")
    [m] = match_one("vendor", "Kaspersky Lab LLC")
    assert (m.matched_name, m.via) == ("AO Kaspersky Lab", "legal-name")


def test_scores_fall_as_more_is_said_around_the_listed_name() -> None:
    """The listed name itself (exact), the listed core with only generic words around it
    (core) and the core among other distinctive words (mention) score in that order."""
    values = (
        "Huawei Technologies Co., Ltd.",
        "Huawei Technologies International",
        "Huawei Technologies routers",
    )
    scored = [[(m.entity_id, m.score) for m in match_one("vendor", v)] for v in values]
    assert scored == [
        [("huawei", SCORE_EXACT)],
        [("huawei", SCORE_CORE)],
        [("huawei", SCORE_MENTION)],
    ]
    assert SCORE_EXACT > SCORE_CORE > SCORE_MENTION > 0


def test_display_name_is_matched_when_names_omit_it() -> None:
    bare = Entity("acme", "Acme Spyware Ltd", (), {}, (), (), (), ())
    data = BanData(authorities={}, entities={"acme": bare}, audiences={})
    [m] = Matcher(data).match([subject("vendor", "ACME SPYWARE LIMITED")])
    assert (m.entity_id, m.matched_name, m.via) == ("acme", "Acme Spyware Ltd", "legal-name")


def test_repeated_values_each_get_their_own_match() -> None:
    subjects = [
        Subject("supplier", "Huawei Technologies Co., Ltd.", f"/components/{i}/supplier", OWNER)
        for i in range(1000)
    ]
    matches = MATCHER.match(subjects)
    assert len(matches) == 1000
    assert all(m.subject is s for m, s in zip(matches, subjects, strict=True))
    assert MATCHER.match(subjects) == matches  # from the cache: the same answers


def test_cache_keeps_roles_and_parties_apart() -> None:
    batch = [
        subject("cpe-vendor", "kaspersky", "identifier"),
        subject("vendor", "kaspersky"),
        subject("domain", "kaspersky", "identifier"),  # not a host: no match
        subject("uei", "kaspersky", "identifier"),
        subject("author", "Dahua Lin", "organization"),
        subject("author", "Dahua Lin", "person"),
    ]
    found = [(m.subject.role, m.subject.party, m.via) for m in MATCHER.match(batch)]
    assert found == [
        ("cpe-vendor", "identifier", "cpe-vendor"),
        ("vendor", "organization", "brand"),
        ("author", "organization", "legal-name"),  # a declared organization named so: review
    ]
    found_again = [(m.subject.role, m.subject.party, m.via) for m in MATCHER.match(batch[::-1])]
    assert found_again == found[::-1]


def test_a_full_cache_is_emptied_not_wrong() -> None:
    small = Matcher(BAN_DATA, max_cached=2)
    batch = [subject("vendor", f"Vendor {i}") for i in range(5)]
    batch += [subject("vendor", "ZTE Corporation"), subject("cpe-vendor", "zte", "identifier")]
    assert [m.via for m in small.match(batch)] == ["legal-name", "cpe-vendor"]
    assert [m.via for m in small.match(batch[::-1])] == ["cpe-vendor", "legal-name"]


def test_matchers_do_not_share_answers() -> None:
    other = BanData(
        authorities={},
        entities={"acme": entity("acme", Name("Acme Widgets", "legal-name"))},
        audiences={},
    )
    batch = [subject("vendor", "Acme Widgets"), subject("vendor", "ZTE Corporation")]
    assert [m.entity_id for m in Matcher(BAN_DATA).match(batch)] == ["zte"]
    assert [m.entity_id for m in Matcher(other).match(batch)] == ["acme"]


def test_matches_follow_subject_order() -> None:
    batch = [
        subject("vendor", "ZTE Corporation"),
        subject("vendor", "Debian"),
        subject("brand", "Ezviz"),
        subject("vendor", "AO Kaspersky Lab"),
    ]
    assert [m.entity_id for m in MATCHER.match(batch)] == ["zte", "hikvision", "kaspersky"]


def test_placeholders_and_unknown_roles_never_match() -> None:
    batch = [
        subject(role, value, party)
        for role in (*ROLES, "no-such-role")
        for value in ("NOASSERTION", "NONE", "unknown", "n/a", "", "   ")
        for party in ("organization", "unknown", "identifier")
    ]
    assert MATCHER.match(batch) == []
    assert MATCHER.match([subject("no-such-role", "ZTE Corporation")]) == []


def test_empty_ban_data_matches_nothing() -> None:
    empty = BanData(authorities={}, entities={}, audiences={})
    assert Matcher(empty).match([subject("vendor", "AO Kaspersky Lab")]) == []


def test_strongest_per_owner_keeps_one_match_per_component_and_entity() -> None:
    """A component named Huawei by its supplier, CPE and purl is one finding, on the exact
    supplier name; another component's match stays."""
    evidence = [
        subject("purl-namespace", "maven/com.huawei", "identifier"),
        subject("supplier", "Huawei Technologies Co., Ltd."),
        subject("cpe-vendor", "huawei", "identifier"),
    ]
    elsewhere = Subject(
        "supplier", "Huawei", "/components/1/supplier/name", replace(OWNER, pointer="/components/1")
    )
    matches = MATCHER.match([*evidence, elsewhere])
    assert len(matches) == 4
    kept = strongest_per_owner(matches)
    assert [(m.subject.owner.pointer, m.subject.role) for m in kept] == [
        ("/components/0", "supplier"),
        ("/components/1", "supplier"),
    ]
