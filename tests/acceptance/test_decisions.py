"""Decision semantics against the shipped ban lists: each authority and audience, before and
after its effective date, use conditions, SBOM component types. Real files in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cli_support import json_report


def request(tmp: Path, maker: str, category: str, use: list[str], product: str = "") -> Path:
    item = {
        "description": f"{product or 'equipment'} for the office",
        "quantity": 2,
        "category": category,
        "manufacturer": {"name": maker},
    }
    if product:
        item["product"] = product
    doc = {
        "apiVersion": "procgate/v1",
        "kind": "PurchaseRequest",
        "id": "PR-1",
        "date": "2026-01-05",
        "requester": {"name": "R. Buyer"},
        "vendor": {"name": "Reseller Inc."},
        "items": [item],
        "use": use,
    }
    path = tmp / "pr.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def sbom(tmp: Path, supplier: str, ctype: str) -> Path:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "components": [
            {"type": ctype, "name": "part", "version": "1", "supplier": {"name": supplier}}
        ],
    }
    path = tmp / "bom.cdx.json"
    path.write_text(json.dumps(bom), encoding="utf-8")
    return path


def verdict(run_cli, path: Path, audience: str, day: str) -> tuple[set[str], set[str]]:
    report = json_report(
        run_cli(
            "check",
            "--format",
            "json",
            "--audience",
            audience,
            "--date",
            day,
            "--fail-on",
            "never",
            path,
        )
    )
    # data.stale (a check date long after the list's as-of date) is not about the vendor.
    about = [f for f in report["findings"] if f["rule"] != "data.stale"]
    rules = {f["rule"] for f in about}
    authorities = {a for f in about for a in f["authorities"]}
    return rules, authorities


CASES = [
    # maker, category, use, audience, date, expected rule, authorities that must be named
    (
        "AO Kaspersky Lab",
        "software",
        [],
        "us-federal",
        "2017-10-01",
        "bans.banned-vendor",
        {"dhs-bod-17-01"},
    ),
    # The day before a ban: it comes within 24 months (bans.upcoming names it).
    (
        "AO Kaspersky Lab",
        "software",
        [],
        "us-federal",
        "2017-09-12",
        "bans.upcoming",
        {"dhs-bod-17-01"},
    ),
    (
        "AO Kaspersky Lab",
        "software",
        [],
        "us-federal",
        "2015-09-12",
        "bans.listed-not-banned",
        set(),
    ),
    # FAR 4.2002: contractors may not supply Kaspersky items or use them under a contract.
    (
        "AO Kaspersky Lab",
        "hardware",
        ["federal-contract"],
        "us-contractor",
        "2018-10-01",
        "bans.banned-vendor",
        {"ndaa-fy2018-1634"},
    ),
    (
        "AO Kaspersky Lab",
        "hardware",
        [],
        "us-contractor",
        "2018-10-01",
        "bans.review",
        {"ndaa-fy2018-1634"},
    ),
    (
        "AO Kaspersky Lab",
        "software",
        ["federal-contract"],
        "us-contractor",
        "2018-09-30",
        "bans.upcoming",
        {"ndaa-fy2018-1634"},
    ),
    (
        "AO Kaspersky Lab",
        "software",
        [],
        "us-person",
        "2024-07-20",
        "bans.banned-vendor",
        {"bis-icts-kaspersky-2024"},
    ),
    (
        "AO Kaspersky Lab",
        "software",
        [],
        "us-person",
        "2024-07-19",
        {"bans.advisory", "bans.upcoming"},
        {"fcc-covered-list", "bis-icts-kaspersky-2024"},
    ),
    (
        "Huawei Technologies Co., Ltd.",
        "hardware",
        [],
        "us-federal",
        "2019-08-13",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "Huawei Technologies Co., Ltd.",
        "hardware",
        [],
        "us-contractor",
        "2020-01-01",
        "bans.upcoming",
        {"ndaa-fy2019-889"},
    ),
    # §889 for contractors: supplying from 2019-08-13, own use from 2020-08-13.
    (
        "Huawei Technologies Co., Ltd.",
        "hardware",
        ["federal-contract"],
        "us-contractor",
        "2019-08-13",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "Huawei Technologies Co., Ltd.",
        "hardware",
        [],
        "us-contractor",
        "2020-08-13",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "ZTE Corporation",
        "telecom-equipment",
        [],
        "us-person",
        "2025-01-01",
        "bans.advisory",
        {"fcc-covered-list"},
    ),
    (
        "Zhejiang Dahua Technology Co., Ltd.",
        "video-surveillance-equipment",
        ["public-safety"],
        "us-federal",
        "2025-01-01",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "Zhejiang Dahua Technology Co., Ltd.",
        "video-surveillance-equipment",
        ["general"],
        "us-federal",
        "2025-01-01",
        "bans.review",
        {"ndaa-fy2019-889"},
    ),
    (
        "Hytera Communications Corp Ltd",
        "telecom-equipment",
        ["national-security"],
        "us-contractor",
        "2025-01-01",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "China Mobile International USA Inc.",
        "service",
        [],
        "us-federal",
        "2022-03-25",
        "bans.banned-vendor",
        {"fcc-covered-list"},
    ),
    (
        "China Mobile International USA Inc.",
        "service",
        [],
        "us-federal",
        "2022-03-24",
        "bans.upcoming",
        {"fcc-covered-list"},
    ),
    # 2025-26: drones, DoD, chips, the Intelligence Community.
    (
        "SZ DJI Technology Co., Ltd.",
        "hardware",
        [],
        "us-federal",
        "2025-12-22",
        "bans.banned-vendor",
        {"fcc-covered-list"},
    ),
    (
        "Autel Robotics",
        "hardware",
        [],
        "us-person",
        "2025-12-22",
        "bans.advisory",
        {"fcc-covered-list"},
    ),
    (
        "Acronis AG",
        "software",
        [],
        "us-intelligence-community",
        "2025-07-11",
        "bans.banned-vendor",
        {"fascsa-orders"},
    ),
    ("Acronis AG", "software", [], "us-federal", "2025-07-11", "bans.advisory", {"fascsa-orders"}),
    (
        "Yangtze Memory Technologies Co., Ltd.",
        "hardware",
        [],
        "us-federal",
        "2027-12-23",
        "bans.banned-vendor",
        {"ndaa-fy2023-5949"},
    ),
    (
        "Quectel Wireless Solutions Co., Ltd.",
        "hardware",
        [],
        "us-dod",
        "2027-06-30",
        "bans.banned-vendor",
        {"ndaa-fy2024-805"},
    ),
    # Issue 12's entity corrections, the day of and after a name's window: Honor left Huawei
    # on 2020-11-17; Lorex was Dahua's until the sale closed (2023-02-28 in the data).
    (
        "Honor Device Co., Ltd.",
        "hardware",
        [],
        "us-federal",
        "2020-11-17",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "Honor Device Co., Ltd.",
        "hardware",
        [],
        "us-federal",
        "2020-11-18",
        {"bans.review", "bans.upcoming"},
        {"ndaa-fy2019-889"},
    ),
    (
        "Lorex Technology Inc.",
        "video-surveillance-equipment",
        ["government-facility-security"],
        "us-federal",
        "2023-02-28",
        "bans.banned-vendor",
        {"ndaa-fy2019-889"},
    ),
    (
        "Lorex Technology Inc.",
        "video-surveillance-equipment",
        ["government-facility-security"],
        "us-federal",
        "2023-03-01",
        "bans.review",
        {"ndaa-fy2019-889"},
    ),
    # Section 1260H members re-verified on 2026-12-03 (FY2024 NDAA §805, DoD only): a
    # company's goods bought through a reseller from 2027-06-30.
    (
        "Alibaba Group Holding Limited",
        "software",
        [],
        "us-dod",
        "2027-06-30",
        "bans.banned-vendor",
        {"ndaa-fy2024-805"},
    ),
    ("Baidu, Inc.", "software", [], "us-federal", "2027-06-30", "bans.listed-not-banned", set()),
    (
        "Semiconductor Manufacturing International Corporation",
        "hardware",
        [],
        "us-dod",
        "2027-06-30",
        "bans.banned-vendor",
        {"ndaa-fy2024-805"},
    ),
]


@pytest.mark.parametrize(("maker", "category", "use", "audience", "day", "rule", "named"), CASES)
def test_purchase_request_decisions(
    run_cli, tmp_path, maker, category, use, audience, day, rule, named
) -> None:
    rules, authorities = verdict(run_cli, request(tmp_path, maker, category, use), audience, day)
    assert rules == ({rule} if isinstance(rule, str) else rule)
    assert named <= authorities


def test_bis_excludes_threat_intelligence_for_private_buyers(run_cli, tmp_path) -> None:
    path = request(
        tmp_path, "AO Kaspersky Lab", "service", [], product="Kaspersky Threat Intelligence Portal"
    )
    rules, authorities = verdict(run_cli, path, "us-person", "2025-01-01")
    assert "bis-icts-kaspersky-2024" not in authorities
    assert "bans.banned-vendor" not in rules


def test_tiktok_is_banned_on_government_devices_only_from_the_act(run_cli, tmp_path) -> None:
    path = request(tmp_path, "ByteDance Ltd.", "software", [], product="TikTok for Business")
    assert verdict(run_cli, path, "us-federal", "2022-12-29")[0] == {"bans.banned-vendor"}
    assert verdict(run_cli, path, "us-federal", "2022-12-28")[0] == {"bans.upcoming"}
    assert verdict(run_cli, path, "us-federal", "2020-12-28")[0] == {"bans.listed-not-banned"}
    assert verdict(run_cli, path, "us-contractor", "2023-01-15")[0] == {"bans.upcoming"}
    # FAR 52.204-27 reaches only IT used or provided under the contract.
    assert verdict(run_cli, path, "us-contractor", "2023-06-02")[0] == {"bans.review"}
    on_contract = request(
        tmp_path, "ByteDance Ltd.", "software", ["federal-contract"], product="TikTok for Business"
    )
    assert verdict(run_cli, on_contract, "us-contractor", "2023-06-02")[0] == {"bans.banned-vendor"}


@pytest.mark.parametrize(
    ("ctype", "rule"),
    [
        ("firmware", "bans.banned-vendor"),
        ("device", "bans.banned-vendor"),
        ("library", "bans.review"),
        ("application", "bans.review"),
    ],
)
def test_sbom_component_types_under_889(run_cli, tmp_path, ctype, rule) -> None:
    path = sbom(tmp_path, "Huawei Technologies Co., Ltd.", ctype)
    assert verdict(run_cli, path, "us-federal", "2025-01-01")[0] == {rule}


def test_sbom_alone_carries_no_use_so_hikvision_warns(run_cli, tmp_path) -> None:
    path = sbom(tmp_path, "Hangzhou Hikvision Digital Technology Co., Ltd.", "device")
    assert verdict(run_cli, path, "us-federal", "2025-01-01")[0] == {"bans.review"}


def test_unknown_audience_is_a_tool_error(run_cli, tmp_path) -> None:
    path = request(tmp_path, "Dell Inc.", "hardware", [])
    result = run_cli("check", "--audience", "martians", path)
    assert result.exit_code == 2
    assert "unknown audience" in result.stderr
