"""Ban data and helpers for the matcher tests: real names from facts/vendor-bans.md.

Identifiers are synthetic (TEST...): the tests check how they are compared, not their values.
"""

from __future__ import annotations

from datetime import date

from procgate.match import Matcher
from procgate.model import BanData, Entity, Match, Name, Owner, Subject

OWNER = Owner(pointer="/components/0", label="component 1", category="software")


def entity(
    id: str,
    *names: Name,
    identifiers: dict[str, tuple[str, ...]] | None = None,
    cpe: tuple[str, ...] = (),
    purl: tuple[str, ...] = (),
    domains: tuple[str, ...] = (),
) -> Entity:
    legal = next(n.value for n in names if n.via == "legal-name")
    return Entity(
        id=id,
        name=legal,
        names=names,
        identifiers=identifiers or {},
        cpe_vendors=cpe,
        purl_namespaces=purl,
        domains=domains,
        listings=(),
    )


ENTITIES = (
    entity(
        "kaspersky",
        Name("AO Kaspersky Lab", "legal-name"),
        Name("Kaspersky Lab ZAO", "former-name"),
        Name("Kaspersky", "brand"),
        Name("Kaspersky Lab, Inc.", "affiliate"),
        Name("Kaspersky Labs Limited", "affiliate"),
        Name("OOO Kaspersky Group", "affiliate"),
        identifiers={
            "uei": ("TESTUEIKASP1",),
            "cage": ("0TST1",),
            "lei": ("TEST00KASPERSKYLAB01",),
            "duns": ("000000001",),
        },
        cpe=("kaspersky",),
        purl=("maven/com.kaspersky", "npm/@kaspersky"),
        domains=("kaspersky.com", "kaspersky-labs.com"),
    ),
    entity(
        "huawei",
        Name("Huawei Technologies Co., Ltd.", "legal-name"),
        Name("Huawei", "brand"),
        Name("华为技术有限公司", "alias"),
        Name("HiSilicon", "subsidiary"),
        Name("FutureWei Technologies, Inc.", "subsidiary"),
        Name("Honor Device Co., Ltd.", "subsidiary", until=date(2020, 11, 17)),
        cpe=("huawei",),
        purl=("maven/com.huaweicloud", "github/huaweicloud"),
        domains=("huawei.com",),
    ),
    entity(
        "zte",
        Name("ZTE Corporation", "legal-name"),
        Name("Zhongxing Telecommunication Equipment Corp.", "former-name"),
        Name("中兴通讯股份有限公司", "alias"),
        cpe=("zte",),
        domains=("zte.com.cn",),
    ),
    entity(
        "hikvision",
        Name("Hangzhou Hikvision Digital Technology Co Ltd", "legal-name"),
        Name("Hikvision", "brand"),
        Name("Ezviz", "brand"),
        Name("HiLook", "brand"),
        Name("HiWatch", "brand"),
        Name("Hiksemi", "brand"),
        cpe=("hikvision",),
        domains=("hikvision.com",),
    ),
    entity(
        "dahua",
        Name("Zhejiang Dahua Technology Co Ltd", "legal-name"),
        Name("Dahua Technology Company", "alias"),
        Name("Dahua", "alias"),
        # Dahua Europe B.V. agreed to sell Lorex; board approval 2022-11-23, closing not found.
        Name("Lorex", "brand", since=date(2018, 1, 1), until=date(2022, 11, 23)),
        cpe=("dahuasecurity",),
        domains=("dahuasecurity.com",),
    ),
    entity("hytera", Name("Hytera Communications Corp Ltd", "legal-name")),
    entity(
        "bytedance",
        Name("ByteDance Ltd", "legal-name"),
        Name("TikTok", "brand"),
        purl=("github/bytedance",),
        domains=("bytedance.com", "tiktok.com"),
    ),
    entity("china-mobile", Name("China Mobile International USA Inc.", "legal-name")),
    entity("china-telecom", Name("China Telecom (Americas) Corp.", "legal-name")),
    entity("china-unicom", Name("China Unicom (Americas) Operations Limited", "legal-name")),
    entity(
        "pacific-networks",
        Name("Pacific Networks Corp", "legal-name"),
        Name("ComNet (USA) LLC", "subsidiary"),
    ),
)

BAN_DATA = BanData(authorities={}, entities={e.id: e for e in ENTITIES}, audiences={})


def subject(role: str, value: str, party: str = "organization") -> Subject:
    return Subject(role=role, value=value, pointer="/components/0/x", owner=OWNER, party=party)


# One matcher for the tests that only read: as in a run, its cache is shared by all of them.
MATCHER = Matcher(BAN_DATA)


def match_one(role: str, value: str, party: str = "organization") -> list[Match]:
    """The matches of one subject."""
    return MATCHER.match([subject(role, value, party)])
