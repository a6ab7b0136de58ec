"""`procgate explain` from the command line: every entity id, and disguised names."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import Result

from procgate.lists import default_ban_files, load_ban_data

ENTITIES = sorted(load_ban_data(default_ban_files()).entities)


@pytest.mark.parametrize("entity", ENTITIES)
def test_each_entity_id(run_cli: Callable[..., Result], entity: str) -> None:
    result = run_cli("explain", entity, "--format", "json", "--date", "2026-11-28")
    assert result.exit_code == 0
    [match] = json.loads(result.stdout)["matches"]
    assert match["entity"] == entity and match["coverage"]
    assert all(c["source"] and c["citation"] for c in match["coverage"])
    text = run_cli("explain", entity, "--date", "2026-11-28")
    assert (
        text.exit_code == 0
        and "Covered by (U.S. federal agencies, as of 2026-11-28)" in text.stdout
    )


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Kaspersky Lab ZAO", "kaspersky"),
        ("HiLook", "hikvision"),
        ("Huawei Technologies Co., Ltd. (Shenzhen)", "huawei"),
        ("华为技术有限公司", "huawei"),
        ("ZTE Corp.", "zte"),
    ],
)
def test_disguised_names(run_cli: Callable[..., Result], name: str, entity: str) -> None:
    result = run_cli("explain", name, "--format", "json")
    assert result.exit_code == 0
    best = json.loads(result.stdout)["matches"][0]
    assert best["entity"] == entity and 0.8 <= best["score"] <= 1.0


def test_text_shows_the_match_and_its_score(run_cli: Callable[..., Result]) -> None:
    result = run_cli("explain", "Ezviz", "--audience", "us-person", "--date", "2026-11-28")
    out = result.stdout
    assert "Match: as a vendor or manufacturer name, 'Ezviz' (brand), score 1.00" in out
    assert (
        "FY2019 NDAA §889 (Huawei, ZTE, Hytera, Hikvision, Dahua): does not apply to "
        "anyone in the United States" in out
    )


def test_unknown_name(run_cli: Callable[..., Result]) -> None:
    result = run_cli("explain", "Kasper Systems")
    assert result.exit_code == 1 and "This is not a clearance" in result.stdout
    assert run_cli("explain", "kaspersky", "--audience", "martians").exit_code == 2
