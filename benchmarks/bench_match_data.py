"""Generated data for the matching benchmarks: a screening-list-sized ban list and SBOM
subjects. Deterministic (seeded), letters only, shaped like real lists and SBOMs.

A generated entity looks like a Consolidated Screening List entry: a legal name with a legal
form, two aliases, a former name and an identifier (UEI or LEI with valid check digits), so
20,000 entities give 100,000 names and identifiers. Words are made of syllables and are
shared between entities, as words are in real lists, so candidate generation meets
crowded index keys and one-edit neighbours, not a list of unique strings.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from procgate.model import BanData, Entity, Name, Owner, Subject

# Listed names and SBOM values are made of different syllables, as a screening list's names
# and a software project's names mostly are: what they share is chance one-edit neighbours.
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "so",
    "tu",
    "vex",
    "zor",
    "qua",
    "bri",
    "den",
    "fal",
    "gor",
    "hun",
    "jel",
    "kip",
    "lum",
    "nor",
    "pex",
    "rin",
    "sul",
    "tav",
    "wen",
]
SBOM_SYLLABLES = [
    "bal",
    "cor",
    "dan",
    "ert",
    "fin",
    "gal",
    "hor",
    "ist",
    "jan",
    "kel",
    "mor",
    "nal",
    "pal",
    "ros",
    "sen",
    "tor",
    "ul",
    "var",
    "yan",
    "zel",
    "ab",
    "ed",
    "ig",
    "ob",
    "um",
    "ac",
    "ex",
]
GENERIC = [
    "Trading",
    "Technology",
    "Electronics",
    "Industrial",
    "Shipping",
    "Import Export",
    "Logistics",
    "Engineering",
    "Machinery",
    "Chemical",
    "Aviation",
    "Investment",
]
LEGAL = ["Co., Ltd.", "LLC", "Limited", "GmbH", "JSC", "Corporation", "S.A.", "FZE", "Inc."]
PLACES = ["International", "Group", "Holding", "Middle East", "Asia", "Europe", "(HK)"]
SUFFIXES = ["Inc.", "LLC", "Ltd", "GmbH", "Corporation", "Foundation", "Project", "Software"]
UEI_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # no I or O


def word(rng: random.Random, syllables: int, inventory: list[str] = SYLLABLES) -> str:
    return "".join(rng.choice(inventory) for _ in range(syllables))


def sbom_word(rng: random.Random, syllables: int) -> str:
    return word(rng, syllables, SBOM_SYLLABLES)


def spell(n: int, width: int = 4) -> str:
    """A unique letters-only SBOM word for n (fixed width in syllables: no two collide)."""
    out = []
    for _ in range(width):
        n, r = divmod(n, len(SBOM_SYLLABLES))
        out.append(SBOM_SYLLABLES[r])
    return "".join(out)


def lei(rng: random.Random) -> str:
    """A 20-character LEI with valid ISO 7064 MOD 97-10 check digits."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(18))
    number = int("".join(str(int(c, 36)) for c in body + "00"))
    return f"{body}{98 - number % 97:02d}"


def entity_dicts(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """`count` entities in the ban-list file format (schemas/ban-list.schema.json)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        first, second = word(rng, 2).title(), word(rng, 3).title()
        kind = rng.choice(GENERIC)
        names = [
            {"value": f"{first} {second}", "via": "alias", "source": "generated for benchmarks"},
            {
                "value": f"{first} {kind} {rng.choice(PLACES)}",
                "via": "alias",
                "source": "generated for benchmarks",
            },
            {
                "value": f"{word(rng, 3).title()} {kind} {rng.choice(LEGAL)}",
                "via": "former-name",
                "source": "generated for benchmarks",
            },
        ]
        ids: dict[str, list[str]] = {}
        if i % 2:
            ids["lei"] = [lei(rng)]
        else:
            ids["uei"] = ["".join(rng.choice(UEI_CHARS) for _ in range(12))]
        out.append(
            {
                "id": f"generated-{i}",
                "name": f"{first} {second} {kind} {rng.choice(LEGAL)}",
                "name_source": "generated for benchmarks",
                "names": names,
                "identifiers": ids,
                "listings": [
                    {
                        "authority": "generated-list",
                        "scope": "any",
                        "entry": "generated",
                        "source": "generated for benchmarks",
                    }
                ],
            }
        )
    return out


def ban_list_document(count: int, seed: int = 11) -> dict[str, Any]:
    """A whole ban-list file (to pass with --data) holding `count` generated entities."""
    return {
        "apiVersion": "procgate/v1",
        "kind": "BanList",
        "metadata": {
            "name": "generated",
            "description": "Generated for benchmarks.",
            "updated": "2026-11-28",
        },
        "authorities": [
            {
                "id": "generated-list",
                "title": "Generated list",
                "citation": "none",
                "audiences": {"us-federal": {"effective": "2020-01-01", "severity": "deny"}},
                "waivable": False,
                "summary": "Generated.",
                "action": "None.",
                "source": "generated for benchmarks",
            }
        ],
        "entities": entity_dicts(count, seed),
    }


def to_entity(raw: dict[str, Any]) -> Entity:
    names = (Name(raw["name"], "legal-name"), *(Name(n["value"], n["via"]) for n in raw["names"]))
    ids = {k: tuple(v) for k, v in raw["identifiers"].items()}
    return Entity(raw["id"], raw["name"], names, ids, (), (), (), ())


def ban_data(extra: BanData, count: int, seed: int = 11) -> BanData:
    """`extra` (the curated lists) plus `count` generated entities."""
    entities = dict(extra.entities)
    entities.update((e["id"], to_entity(e)) for e in entity_dicts(count, seed))
    return BanData(extra.authorities, entities, extra.audiences, f"generated-{count}-{seed}")


def name_count(data: BanData) -> int:
    """Names and identifiers, the way a screening list is sized."""
    return sum(len(e.names) + sum(map(len, e.identifiers.values())) for e in data.entities.values())


BANNED = [
    ("supplier", "Huawei Technologies Co., Ltd."),
    ("supplier", "AO Kaspersky Lab"),
    ("product-name", "kaspersky-endpoint-agent"),
    ("group", "com.kaspersky.android-components"),
    ("purl-namespace", "maven/com.huaweicloud.sdk"),
]

# role -> (pool size in the repeated mix, value made from a unique word)
MAKERS: dict[str, tuple[int, Callable[[random.Random, str], str]]] = {
    "supplier": (300, lambda rng, w: f"{w.title()} {rng.choice(SUFFIXES)}"),
    "product-name": (2000, lambda rng, w: f"{w}-{sbom_word(rng, 2)}-{sbom_word(rng, 1)}"),
    "group": (500, lambda rng, w: f"org.{w}.{sbom_word(rng, 2)}"),
    "purl-namespace": (500, lambda rng, w: f"maven/org.{w}"),
}


def subjects(components: int, distinct: bool, seed: int = 1) -> list[Subject]:
    """Four subjects per component (supplier, product name, group, purl namespace), as a
    normalized CycloneDX component gives. `distinct`: every value unique (the worst case);
    otherwise drawn from pools, as in real SBOMs. About 1% name a listed vendor."""
    rng = random.Random(seed)
    pools = {
        role: [make(rng, sbom_word(rng, 3)) for _ in range(size)]
        for role, (size, make) in MAKERS.items()
    }
    out = []
    for i in range(components):
        owner = Owner(f"/components/{i}", f"component {i + 1}", "software")
        if distinct:
            w = spell(i)
            values = [(role, make(rng, w)) for role, (_, make) in MAKERS.items()]
        else:
            values = [(role, rng.choice(pool)) for role, pool in pools.items()]
        if i % 100 == 0:
            values[i // 100 % 4] = BANNED[i // 100 % len(BANNED)]
        out += [Subject(role, v, f"/components/{i}/{role}", owner) for role, v in values]
    return out
