"""Folding of names and keys: the pieces every rule is built on."""

from __future__ import annotations

import pytest

from procgate import identifiers
from procgate.match import keys
from procgate.match.names import (
    core,
    fold,
    is_distinctive,
    is_placeholder,
    split_contacts,
    split_party,
    strip_legal,
)
from procgate.match.tokens import camel_parts


@pytest.mark.parametrize(
    "name",
    [
        "AO Kaspersky Lab",
        "Kaspersky Lab, Inc.",
        "KASPERSKY LAB ZAO",
        "Kaspersky Lab Incorporated",
        "Kaspersky Lab L.L.C.",
        "Kaspérsky  Lab",  # diacritic, double space
        "Ｋａｓｐｅｒｓｋｙ Ｌａｂ",  # full-width (NFKC)
        "АО Kaspersky Lab",  # Cyrillic legal form
    ],
)
def test_kaspersky_spellings_fold_to_one_key(name: str) -> None:
    assert strip_legal(fold(name)) == ["kaspersky", "lab"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Huawei Technologies Co., Ltd.", ["huawei", "technologies"]),
        ("Hytera Communications Corp Ltd", ["hytera", "communications"]),
        ("ComNet (USA) LLC", ["comnet", "usa"]),
        ("Dahua Europe B.V.", ["dahua", "europe"]),
        ("Acme S.A. de C.V.", ["acme"]),
        ("OOO Kaspersky Group", ["kaspersky", "group"]),
        ("华为技术有限公司", ["华为技术"]),
        ("Inc", ["inc"]),  # never strip a name away entirely
    ],
)
def test_legal_forms_are_stripped_at_the_ends(name: str, key: list[str]) -> None:
    assert strip_legal(fold(name)) == key


def test_legal_form_inside_a_name_stays() -> None:
    # "(Shenzhen)" after the legal form: the core rule, not stripping, handles this one.
    assert strip_legal(fold("Huawei Technologies Co., Ltd. (Shenzhen)")) == [
        "huawei",
        "technologies",
        "co",
        "ltd",
        "shenzhen",
    ]


def test_dotted_initials_join_but_single_letters_alone_stay() -> None:
    assert fold("Z.T.E. Corp.") == ["zte", "corp"]
    assert fold("AT&T Inc.") == ["at", "t", "inc"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hangzhou Hikvision Digital Technology", ("hikvision",)),
        ("Kaspersky Lab", ("kaspersky",)),
        ("Orange Security Suite", ("orange", "security", "suite")),
        ("China Mobile International USA", ("china", "mobile")),
        ("China Unicom Americas Operations", ("china", "unicom")),
        ("Pacific Networks", ("pacific", "networks")),
        ("Lab", None),
    ],
)
def test_core_of_a_name(name: str, expected: tuple[str, ...] | None) -> None:
    assert core(strip_legal(fold(name))) == expected


@pytest.mark.parametrize("token", ["technology", "lab", "mobile", "telecom", "group", "usa", "co"])
def test_generic_tokens_are_not_distinctive(token: str) -> None:
    assert not is_distinctive(token)


@pytest.mark.parametrize("token", ["kaspersky", "zte", "tiktok", "ezviz", "hilook"])
def test_brand_tokens_are_distinctive(token: str) -> None:
    assert is_distinctive(token)


@pytest.mark.parametrize(
    "value", ["NOASSERTION", "NONE", "unknown", "n/a", "", "  ", "Not Specified"]
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


def test_contacts_are_split_from_names() -> None:
    assert split_contacts("Joe <joe@dbzteam.org>") == ("Joe < >", ["dbzteam.org"])
    name, hosts = split_contacts("Kaspersky (https://www.kaspersky.com/about)")
    assert (name.strip(" ()"), hosts) == ("Kaspersky", ["www.kaspersky.com"])
    assert split_contacts("Kaspersky Lab") == ("Kaspersky Lab", [])


def test_spdx_party_prefix_decides_the_party() -> None:
    assert split_party("Person: Dahua Lin", "unknown") == ("Dahua Lin", "person")
    assert split_party("Organization: Huawei", "unknown") == ("Huawei", "organization")
    assert split_party("Re: something", "unknown") == ("Re: something", "unknown")


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("TikTokSDK", [["tik", "tok", "sdk"]]),
        ("HiLookCamera v2", [["hi", "look", "camera"]]),
        ("kaspersky-endpoint-agent", []),
        ("tiktoken", []),
        ("Hikvision", []),
        ("HTTP", []),
    ],
)
def test_camel_parts(value: str, parts: list[list[str]]) -> None:
    assert camel_parts(value) == parts


def test_identifier_key_ignores_case_spaces_and_dashes() -> None:
    assert identifiers.identifier_key(" 12-345 6789 ") == "123456789"
    assert identifiers.identifier_key("testuei-kasp1") == "TESTUEIKASP1"


@pytest.mark.parametrize(
    ("value", "vendor"),
    [
        ("Kaspersky", "kaspersky"),
        ("cpe:2.3:a:kaspersky:anti-virus:2019:*:*:*:*:*:*:*", "kaspersky"),
        ("cpe:/h:zte:f460", "zte"),
        ("cpe:2.3:o:dahua\\_security:x", "dahua_security"),
    ],
)
def test_cpe_vendor_key(value: str, vendor: str) -> None:
    assert keys.cpe_vendor_key(value) == vendor


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("maven/com.kaspersky.android-components", ("maven", "com.kaspersky.android-components")),
        ("npm/%40kaspersky", ("npm", "@kaspersky")),
        ("pkg:github/ByteDance", ("github", "bytedance")),
    ],
)
def test_purl_namespace_key(value: str, key: tuple[str, str]) -> None:
    assert keys.purl_namespace_key(value) == key


def test_namespace_ancestors_end_at_level_boundaries() -> None:
    key = "maven/com.kaspersky.android-components"
    assert list(keys.ancestors(key, ".", start=6)) == ["maven/com", "maven/com.kaspersky"]
    assert list(keys.ancestors("npm/@kaspersky", "", start=4)) == []


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("support.kaspersky.com", "support.kaspersky.com"),
        ("https://user:pw@www.Kaspersky.com:443/path?q=1", "www.kaspersky.com"),
        ("joe@dbzteam.org", "dbzteam.org"),
        ("kaspersky.com.", "kaspersky.com"),
    ],
)
def test_host(value: str, host: str) -> None:
    assert keys.host(value) == host


def test_domain_suffixes_never_reach_the_bare_tld() -> None:
    assert list(keys.domain_suffixes("a.kaspersky.co.uk")) == [
        "a.kaspersky.co.uk",
        "kaspersky.co.uk",
        "co.uk",
    ]


def test_hosted_namespace() -> None:
    assert keys.hosted_namespace("github.com/bytedance/sonic") == ("github", "bytedance")
    assert keys.hosted_namespace("golang.org/x/net") == ("", "")
