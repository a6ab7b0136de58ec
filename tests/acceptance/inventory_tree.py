"""A generated inventory: N files of purchase records and SBOMs from small templates, with a
known set of banned items and decoys that must not match. Used by the scan tests and by
benchmarks/bench_scan.py.

    make_tree(root, n) -> Expected
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

CLEAN_MAKERS = [
    "Dell Technologies Inc.",
    "HP Inc.",
    "Cisco Systems, Inc.",
    "Canon Inc.",
    "Axis Communications AB",
    "Apple Inc.",
    "CrowdStrike, Inc.",
    "Kasper Systems",
]
CLEAN_SUPPLIERS = [
    "The Apache Software Foundation",
    "Google LLC",
    "Red Hat, Inc.",
    "Microsoft Corporation",
    "Pallets",
]

PURCHASE = """\
apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-{n:05d}
title: Order {n}
date: 2019-03-{day:02d}
requester:
  name: Pat Buyer
  department: Dept {dept}
vendor:
  name: {vendor}
items:
  - description: {description}
    quantity: {qty}
    category: {category}
{maker}{extra}use: [{use}]
"""


@dataclass
class Expected:
    """(file, entity) -> severity of every item the scan must report, and the files that
    must be reported as unreadable."""

    hits: dict[tuple[str, str], str] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)
    files: int = 0


def _purchase(
    n: int,
    vendor: str,
    maker: str,
    *,
    category: str = "hardware",
    use: str = "general",
    description: str = "Office equipment",
    extra: str = "",
    dept: int = 0,
) -> str:
    return PURCHASE.format(
        n=n,
        day=n % 28 + 1,
        dept=dept,
        vendor=vendor,
        qty=n % 9 + 1,
        description=description,
        category=category,
        maker=maker,
        extra=extra,
        use=use,
    )


def _manufacturer(name: str) -> str:
    return f"    manufacturer:\n      name: {json.dumps(name)}\n"


def _cyclonedx(n: int, components: list[dict[str, object]]) -> str:
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "serialNumber": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
            "metadata": {"component": {"type": "device", "name": f"appliance-{n}"}},
            "components": components,
        },
        indent=1,
    )


def _component(i: int, supplier: str, **more: object) -> dict[str, object]:
    return {
        "type": "library",
        "bom-ref": f"c{i}",
        "name": f"lib-{i}",
        "version": "1.0.0",
        "supplier": {"name": supplier},
        **more,
    }


def _spdx(n: int, packages: list[dict[str, object]]) -> str:
    return json.dumps(
        {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": f"inventory-{n}",
            "documentNamespace": f"https://example.org/spdx/{n}",
            "creationInfo": {"created": "2020-01-01T00:00:00Z", "creators": ["Tool: generator"]},
            "packages": packages,
        },
        indent=1,
    )


def _package(i: int, supplier: str) -> dict[str, object]:
    return {
        "SPDXID": f"SPDXRef-P{i}",
        "name": f"pkg-{i}",
        "versionInfo": "2.0",
        "downloadLocation": "NOASSERTION",
        "supplier": supplier,
        "filesAnalyzed": False,
    }


def make_tree(root: Path, n: int = 10_000, every: int = 97) -> Expected:
    """n files under root (about half requests, a third CycloneDX, the rest SPDX); every
    `every`-th file carries one banned item, cycling through the cases below."""
    exp = Expected(files=n)
    for k in range(n):
        folder = root / f"dept-{k % 10}" / f"year-{2017 + k % 9}"
        folder.mkdir(parents=True, exist_ok=True)
        banned = k % every == every - 1
        case = (k // every) % 8
        if k % 500 == 250:  # unreadable records: reported as problems, never as hits
            path = folder / f"pr-{k:05d}.yaml"
            path.write_text("apiVersion: procgate/v1\nkind: PurchaseRequest\nid: [unclosed\n")
            exp.unreadable.add(_rel(root, path))
            continue
        if banned:
            _write_banned(root, folder, k, case, exp)
        else:
            _write_clean(folder, k)
    return exp


def _write_clean(folder: Path, k: int) -> None:
    kind = k % 20
    if kind < 10:
        maker = CLEAN_MAKERS[k % len(CLEAN_MAKERS)]
        (folder / f"pr-{k:05d}.yaml").write_text(
            _purchase(k, "CDW Government LLC", _manufacturer(maker), dept=k % 10)
        )
    elif kind < 17:
        comps = [
            _component(i, CLEAN_SUPPLIERS[(k + i) % len(CLEAN_SUPPLIERS)]) for i in range(3 + k % 5)
        ]
        if k % 7 == 0:  # decoys: a person named Dahua, a look-alike domain, tiktoken
            comps.append(_component(90, "Pallets", author="Dahua Lin <dlin@example.edu>"))
            comps.append(_component(91, "Joe <joe@dbzteam.org>"))
            comps.append(
                {
                    "type": "library",
                    "name": "tiktoken",
                    "version": "0.7.0",
                    "purl": "pkg:pypi/tiktoken@0.7.0",
                }
            )
        (folder / f"sbom-{k:05d}.cdx.json").write_text(_cyclonedx(k, comps))
    else:
        pkgs = [
            _package(i, f"Organization: {CLEAN_SUPPLIERS[(k + i) % len(CLEAN_SUPPLIERS)]}")
            for i in range(2 + k % 4)
        ]
        (folder / f"sbom-{k:05d}.spdx.json").write_text(_spdx(k, pkgs))


def _write_banned(root: Path, folder: Path, k: int, case: int, exp: Expected) -> None:
    if case == 0:  # Kaspersky by its old legal name: BOD 17-01, §1634, BIS, FCC
        path = folder / f"pr-{k:05d}.yaml"
        path.write_text(
            _purchase(
                k,
                "Softline Solutions Inc.",
                _manufacturer("Kaspersky Lab ZAO"),
                category="software",
                use="information-security",
                description="Endpoint protection renewal",
            )
        )
        exp.hits[(_rel(root, path), "kaspersky")] = "deny"
    elif case == 1:  # a Hikvision brand for a government facility: §889
        path = folder / f"pr-{k:05d}.yaml"
        path.write_text(
            _purchase(
                k,
                "Lobby Security LLC",
                "    brand: HiLook\n",
                category="video-surveillance-equipment",
                use="government-facility-security",
                description="Dome camera for the lobby",
            )
        )
        exp.hits[(_rel(root, path), "hikvision")] = "deny"
    elif case == 2:  # Dahua cameras whose use is not stated: a review, not a pass
        path = folder / f"pr-{k:05d}.yaml"
        path.write_text(
            _purchase(
                k,
                "Camera Depot",
                _manufacturer("Dahua Technology Company"),
                category="video-surveillance-equipment",
                description="Bullet camera",
            ).replace("use: [general]\n", "")
        )
        exp.hits[(_rel(root, path), "dahua")] = "warn"
    elif case == 3:  # Huawei firmware inside an appliance's SBOM
        path = folder / f"sbom-{k:05d}.cdx.json"
        comps = [
            _component(0, "Google LLC"),
            _component(1, "Huawei Technologies Co., Ltd.", type="firmware"),
        ]
        path.write_text(_cyclonedx(k, comps))
        exp.hits[(_rel(root, path), "huawei")] = "deny"
    elif case == 4:  # a Kaspersky npm package, found by its purl namespace
        path = folder / f"sbom-{k:05d}.cdx.json"
        comps = [
            _component(0, "Pallets"),
            {
                "type": "library",
                "name": "hexa-ui",
                "version": "3.0.0",
                "group": "",
                "purl": "pkg:npm/%40kaspersky/hexa-ui@3.0.0",
            },
        ]
        path.write_text(_cyclonedx(k, comps))
        exp.hits[(_rel(root, path), "kaspersky")] = "deny"
    elif case == 5:  # ZTE as an SPDX supplier
        path = folder / f"sbom-{k:05d}.spdx.json"
        path.write_text(
            _spdx(
                k,
                [
                    _package(0, "Organization: Google LLC"),
                    _package(1, "Organization: ZTE Corporation"),
                ],
            )
        )
        exp.hits[(_rel(root, path), "zte")] = "warn"
    elif case == 6:  # a request and the SBOM it names: reported once, in the SBOM
        sbom = folder / f"router-{k:05d}.cdx.json"
        sbom.write_text(
            _cyclonedx(k, [_component(0, "Huawei Technologies Co., Ltd.", type="firmware")])
        )
        path = folder / f"pr-{k:05d}.yaml"
        path.write_text(
            _purchase(
                k,
                "Branch Networks Inc.",
                _manufacturer("Cisco Systems, Inc."),
                category="telecom-equipment",
                use="telecommunications",
                extra=f"    sbom: {sbom.name}\n",
                description="Branch router",
            )
        )
        exp.hits[(_rel(root, sbom), "huawei")] = "deny"
        exp.files += 1
    else:  # TikTok for a federal agency
        path = folder / f"pr-{k:05d}.yaml"
        path.write_text(
            _purchase(
                k,
                "App Store Reseller",
                "    brand: TikTok\n",
                category="software",
                description="Social media app",
            )
        )
        exp.hits[(_rel(root, path), "bytedance")] = "deny"


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
