"""Close spellings: the word-end index finds every one-edit neighbour and nothing else."""

from __future__ import annotations

import random
from datetime import date

import pytest
from match_fixtures import BAN_DATA, entity, subject

from procgate.match import Matcher
from procgate.match.fuzzy import MIN_LENGTH, Neighbours, similarity
from procgate.model import BanData, Name

LISTED = ["kaspersky", "huawei", "hikvision", "hytera", "bytedance", "tiktok"]
NEIGHBOURS = Neighbours(LISTED)


@pytest.mark.parametrize(
    ("word", "listed"),
    [
        ("kaspersy", "kaspersky"),  # deletion
        ("kasspersky", "kaspersky"),  # insertion
        ("huawai", "huawei"),  # substitution
        ("hauwei", "huawei"),  # swap of neighbours
        ("huaei", "huawei"),  # a five-letter word that lost a letter of a six-letter one
        ("hytrea", "hytera"),
        ("tiktko", "tiktok"),
    ],
)
def test_one_edit_is_found(word: str, listed: str) -> None:
    assert NEIGHBOURS.near(word) == [listed]


@pytest.mark.parametrize("word", ["kasper", "hawaii", "huawenlu", "hikari", "kaspersky", "hytra1"])
def test_two_edits_the_word_itself_and_digits_are_not(word: str) -> None:
    assert NEIGHBOURS.near(word) == []


def test_short_listed_words_take_no_part() -> None:
    assert Neighbours(["lorex", "honor", "zte"]).near("lorem") == []
    assert MIN_LENGTH == 6


def test_index_agrees_with_brute_force_on_random_words() -> None:
    """The end-letter argument, checked: every listed word within one edit is found."""
    from rapidfuzz.distance import OSA

    rng = random.Random(3)
    letters = "abcdehiklmnorstuw"
    listed = ["".join(rng.choice(letters) for _ in range(rng.randint(6, 11))) for _ in range(300)]
    index = Neighbours(listed)
    for word in listed[:150]:
        i = rng.randrange(len(word))
        head, tail = word[:i], word[i + 1 :]
        edits = [head + tail, head + "x" + word[i:], head + "z" + tail]
        if i < len(word) - 1:
            edits.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for query in edits:
            expected = {w for w in listed if w != query and OSA.distance(query, w) <= 1}
            if len(query) >= MIN_LENGTH - 1:
                assert set(index.near(query)) == expected, query


def test_similarity_counts_a_swap_once() -> None:
    assert similarity("kaspersky", "kaspersky") == 1.0
    assert similarity("kapsersky", "kaspersky") == pytest.approx(1 - 1 / 9)


def test_typo_score_is_the_likeness_of_the_whole_name() -> None:
    [m] = Matcher(BAN_DATA).match([subject("vendor", "Huawai Technologies")])
    assert (m.entity_id, m.via) == ("huawei", "fuzzy")
    assert m.matched_name == "Huawei Technologies Co., Ltd."
    assert m.score == 0.94  # 18 of 19 letters alike: counts as sure (certain_score 0.9)


def test_a_short_name_one_letter_off_is_not_reported() -> None:
    # one letter of six: 0.83, below the 0.85 floor
    assert Matcher(BAN_DATA).match([subject("vendor", "Huawai")]) == []


def test_people_are_never_matched_by_spelling() -> None:
    matcher = Matcher(BAN_DATA)
    assert matcher.match([subject("author", "Huawai Technologies", "person")]) == []
    assert matcher.match([subject("author", "Kaspersy Petrov", "unknown")]) == []


def test_sold_brand_keeps_its_window_when_misspelt() -> None:
    sold = date(2022, 11, 23)
    brand = Name("Widgetron", "brand", until=sold)
    acme = entity("acme", Name("Acme Holdings Ltd", "legal-name"), brand)
    [m] = Matcher(BanData({}, {"acme": acme}, {})).match([subject("brand", "Widgetrom")])
    assert (m.via, m.matched_name, m.until) == ("fuzzy", "Widgetron", sold)
