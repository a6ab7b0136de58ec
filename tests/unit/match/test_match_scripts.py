"""Other scripts, abbreviations, identifiers with check digits, common words, the index cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from match_fixtures import BAN_DATA, entity, subject

from procgate import identifiers
from procgate.errors import DataError
from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher, cache
from procgate.match.names import canonical, fold, strip_legal
from procgate.match.translit import transliterate
from procgate.model import BanData, Name

KNOWN = {"huawei", "kaspersky", "hikvision", "zhongxing"}


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Лаборатория Касперского", ["lab", "kaspersky"]),  # genitive -sk-ogo -> -sky
        ("Касперский", ["kaspersky"]),
        ("华为技术", ["hua", "wei", "technology"]),  # two syllables never join a listed word
        ("海康威视数字技术", ["hai", "kang", "wei", "shi", "digital", "technology"]),
        ("中兴通讯", ["zhong", "xing", "communication"]),
        ("Καλημέρα", ["kalimera"]),
    ],
)
def test_transliteration(text: str, latin: list[str]) -> None:
    assert transliterate(fold(text), KNOWN) == latin


def test_three_syllables_join_a_listed_word() -> None:
    assert transliterate(["海能达"], {"hainengda"}) == ["hainengda"]


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("HUAWEI TECH. CO LTD", "Huawei Technologies Co., Ltd."),
        ("Hytera Comms Corp Ltd", "Hytera Communications Corp Ltd"),
        ("Kaspersky Labs Ltd.", "Kaspersky Labs Limited"),
        ("ZTE Corp.", "ZTE Corporation"),
        ("Hangzhou Hikvision Digital Tech Co", "Hangzhou Hikvision Digital Technology Company"),
    ],
)
def test_abbreviations_fold_to_the_listed_key(written: str, listed: str) -> None:
    def key(name: str) -> list[str]:
        return strip_legal(canonical(fold(name)))

    assert key(written) == key(listed)


def test_shipped_chinese_and_russian_names() -> None:
    matcher = Matcher(load_ban_data(default_ban_files()))
    cases = {
        "АО «Лаборатория Касперского»": ("kaspersky", "alias", 1.0),
        "杭州海康威視數字技術股份有限公司": ("hikvision", "alias", 1.0),  # traditional characters
        "海康威视数字技术有限公司": ("hikvision", "alias", 0.9),
        "华为终端有限公司": ("huawei", "brand", 0.9),
        "中兴通讯": ("zte", "alias", 1.0),
    }
    for value, expected in cases.items():
        [m] = matcher.match([subject("vendor", value)])
        assert (m.entity_id, m.via, m.score) == expected, value
    assert matcher.match([subject("vendor", "大华银行")]) == []  # UOB, not Dahua


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("5493001KJTIIGC8Y1R12", True),
        ("5493001KJTIIGC8Y1R13", False),  # one check digit off
        ("5493001KJTIIGC8Y1R", False),  # too short
    ],
)
def test_lei_check_digits(key: str, valid: bool) -> None:
    assert identifiers.lei_valid(key) is valid


def test_identifier_shapes_and_labels() -> None:
    assert identifiers.uei_valid("ABCDEFGH1234") and not identifiers.uei_valid("ABCDEFGHO234")
    assert identifiers.cage_valid("1ABC5") and not identifiers.cage_valid("1ABI5")
    assert identifiers.identifier_key("LEI: 5493 001K") == "5493001K"
    assert identifiers.identifier_key("CAGE code 1ABC5") == "1ABC5"
    assert identifiers.identifier_key("LEIX123") == "LEIX123"  # no label without a separator


def test_an_identifier_in_the_wrong_field_is_found_by_its_shape() -> None:
    lei = "5493001KJTIIGC8Y1R12"
    acme = entity("acme", Name("Acme Spyware Ltd", "legal-name"), identifiers={"lei": (lei,)})
    matcher = Matcher(BanData({}, {"acme": acme}, {}))
    [m] = matcher.match([subject("uei", lei, "identifier")])
    assert (m.entity_id, m.via) == ("acme", "identifier")


def test_a_common_word_name_matches_only_on_its_own() -> None:
    honor = Name("Honor", "subsidiary", common_word=True)
    data = BanData({}, {"huawei": entity("huawei", Name("Huawei", "legal-name"), honor)}, {})
    matcher = Matcher(data)
    assert [m.via for m in matcher.match([subject("vendor", "Honor")])] == ["subsidiary"]
    assert [m.score for m in matcher.match([subject("vendor", "Honor Device Co., Ltd.")])] == [0.9]
    assert matcher.match([subject("vendor", "Honor Society Foundation")]) == []
    assert matcher.match([subject("product-name", "honor-roll", "unknown")]) == []


def test_loader_rejects_a_listed_lei_with_bad_check_digits(tmp_path: Path) -> None:
    [shipped] = default_ban_files()
    data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    data["entities"][0]["identifiers"]["lei"] = ["5493001KJTIIGC8Y1R13"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match="MOD 97-10"):
        load_ban_data([bad])


def test_no_digest_no_cache() -> None:
    assert cache.index_for(BAN_DATA) is not cache.index_for(BAN_DATA)
