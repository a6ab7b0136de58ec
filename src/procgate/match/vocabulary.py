"""Vocabularies the name rules use. All entries are folded (casefolded, no punctuation).

A token is *distinctive* when it is none of these: a legal form, a place, a generic
industry word or a stop word. Only distinctive tokens can identify an entity on their own,
so "Kaspersky Lab" is identified by "kaspersky", while "China Mobile" (all generic) is
identified only by the whole sequence.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Legal forms, as single tokens after dotted initials are joined ("L.L.C." -> llc,
# "S.A." -> sa). Stripped from the end of a name; may also stand inside ("Co., Ltd. (X)").
LEGAL_FORMS = _words(
    """
    inc incorporated corp corporation co company companies cos ltd limited llc llp lp lllp
    pllc plc gmbh mbh ag kg kgaa ohg sa sas sarl spa srl sl bv nv ab oy oyj as asa aps kk
    kabushiki kaisha gk pte pty sdn bhd pvt ltda lda sro spol zrt kft se ulc cv sab
    ao zao oao pao ooo jsc ojsc cjsc pjsc joint stock
    ао зао оао пао ооо
    """
)

# Forms that stand in front of the name (Russian "AO Kaspersky Lab", Indonesian "PT X").
LEGAL_PREFIXES = _words("ao zao oao pao ooo jsc ojsc cjsc pjsc pt the ао зао оао пао ооо")

# Legal-form suffixes of names written without spaces (CJK); longest first.
CJK_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "株式会社", "公司")

# Places and regional qualifiers: "Huawei Technologies (Shenzhen)", "Dahua Technology USA".
PLACES = _words(
    """
    china chinese prc usa us america americas american north south east west central
    europe european eu uk gb britain british england asia asian pacific apac emea latam
    africa middle international intl global worldwide overseas
    russia russian rus moscow germany deutschland france japan korea india canada
    australia singapore hong kong hk taiwan switzerland swiss netherlands ireland italy
    spain brazil mexico israel dubai uae
    beijing shanghai shenzhen hangzhou zhejiang guangdong guangzhou dongguan wuhan chengdu
    nanjing suzhou xian tianjin chongqing jiangsu shandong hubei sichuan fujian xiamen hefei
    qingdao dalian ningbo zhuhai
    """
)

# Words of an industry or a corporate structure: never distinctive on their own.
GENERIC = _words(
    """
    technology technologies tech lab labs laboratory laboratories
    communication communications comm comms telecommunication telecommunications telecom
    telecoms unicom digital mobile group groups holding holdings operations branch division
    subsidiary office equipment system systems solution solutions network networks software
    hardware electronics electronic electric electrical device devices cloud security
    secure information info data enterprise enterprises industry industries industrial
    manufacturing products product trading development research science sciences
    innovation innovations partners consulting computer computers computing internet online
    media video vision smart intelligent intelligence semiconductor semiconductors micro
    microelectronics energy power cable wireless services service corporate foundation
    project team community contributors authors developers department
    com net org io www
    """
)

# Trailing words trimmed from an all-generic name to find its core: "China Unicom (Americas)
# Operations Limited" is known by "china unicom".
QUALIFIERS = PLACES | _words("operations holding holdings group groups branch division office")

STOP_WORDS = _words("the and of by for a an de du la le des et und y in on at to")

NON_DISTINCTIVE = LEGAL_FORMS | PLACES | GENERIC | STOP_WORDS

# Values that say "nobody" (SPDX NOASSERTION and friends): never matched.
PLACEHOLDERS = _words("noassertion none unknown n/a na null nil - -- ? tbd unspecified undefined")
PLACEHOLDERS |= {"", "not specified", "not available"}

# Spellings of one word that a listed name and a document may use for each other
# ("HUAWEI TECH. CO LTD" for "Huawei Technologies Co., Ltd."): both sides are rewritten to
# the canonical form before any key is built. Legal forms become their long form, which
# LEGAL_FORMS also holds, so strip_legal treats both alike.
CANONICAL = {
    "ltd": "limited",
    "co": "company",
    "cos": "companies",
    "corp": "corporation",
    "inc": "incorporated",
    "tech": "technology",
    "techs": "technology",
    "technologies": "technology",
    "technol": "technology",
    "comm": "communication",
    "comms": "communication",
    "communications": "communication",
    "commun": "communication",
    "telecommunications": "telecommunication",
    "telecoms": "telecom",
    "labs": "lab",
    "laboratory": "lab",
    "laboratories": "lab",
    "intl": "international",
    "grp": "group",
    "hldgs": "holding",
    "holdings": "holding",
    "svcs": "service",
    "services": "service",
    "mfg": "manufacturing",
    "sys": "system",
    "systems": "system",
    "solutions": "solution",
    "networks": "network",
    "products": "product",
    "devices": "device",
    "electronics": "electronic",
    "industries": "industry",
    "enterprises": "enterprise",
    "dept": "department",
    "americas": "america",
}

# Generic words of other languages, as anyascii spells them, and what they mean: Russian
# "Лаборатория" -> laboratoriya -> lab, Chinese 技术 (jishu) -> technology. Only applied to
# text that was transliterated from another script.
TRANSLITERATED_WORDS = {
    # Russian
    "laboratoriya": "lab",
    "laboratoriia": "lab",
    "laboratorija": "lab",
    "gruppa": "group",
    "kompaniya": "company",
    "kompaniia": "company",
    "tekhnologii": "technology",
    "tekhnologiya": "technology",
    "sistemy": "system",
    "telekom": "telecom",
    "rossiya": "russia",
    "moskva": "moscow",
    # Chinese (pinyin of common words in company names)
    "jishu": "technology",
    "keji": "technology",
    "tongxun": "communication",
    "tongxin": "communication",
    "shuzi": "digital",
    "dianzi": "electronic",
    "wangluo": "network",
    "ruanjian": "software",
    "xinxi": "information",
    "zhineng": "intelligent",
    "shebei": "equipment",
    "zhongduan": "device",
    "jituan": "group",
    "youxian": "limited",
    "gongsi": "company",
    "gufen": "joint",
    "zhongguo": "china",
    "meiguo": "america",
}
