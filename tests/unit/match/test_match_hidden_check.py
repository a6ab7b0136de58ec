"""Issue 10 end to end: a disguised vendor name in a real file is matched as displayed, and
the disguise itself is a `names.hidden-characters` warning, matched or not."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from cli_support import json_report

SPDX_TV = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: router
DocumentNamespace: https://example.com/router
Creator: Tool: hand
Created: 2024-01-01T00:00:00Z

PackageName: router-fw
SPDXID: SPDXRef-fw
PackageDownloadLocation: NOASSERTION
PackageSupplier: Organization: Hua\u200bwei Technologies Co., Ltd.
"""


def _check(run_cli, path: Path) -> dict:
    return json_report(
        run_cli(
            "check",
            "--format",
            "json",
            "--audience",
            "us-federal",
            "--date",
            "2026-01-05",
            "--fail-on",
            "never",
            path,
        )
    )


def test_zero_width_space_in_spdx_tag_value_supplier(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "router.spdx"
    path.write_text(SPDX_TV, encoding="utf-8")
    findings = _check(run_cli, path)["findings"]
    assert {f["entity"] for f in findings if f["rule"].startswith("bans.")} == {"huawei"}
    [hidden] = [f for f in findings if f["rule"] == "names.hidden-characters"]
    assert hidden["severity"] == "warn"
    assert "U+200B ZERO WIDTH SPACE" in hidden["message"]
    assert hidden["matched"] == "Hua\u200bwei Technologies Co., Ltd."


def test_a_disguise_is_reported_even_when_nothing_matched(run_cli, tmp_path: Path) -> None:
    doc = {
        "apiVersion": "procgate/v1",
        "kind": "PurchaseRequest",
        "id": "PR-1",
        "date": "2026-01-05",
        "requester": {"name": "R. Buyer"},
        "vendor": {"name": "\u0410cme Widg\u0435ts Inc."},  # Cyrillic А and е
        "items": [
            {
                "description": "widgets",
                "quantity": 2,
                "category": "hardware",
                "manufacturer": {"name": "Plain\u2060Name GmbH"},
            }
        ],
    }
    path = tmp_path / "pr.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = run_cli(
        "check", "--format", "json", "--audience", "us-federal", "--date", "2026-01-05", path
    )
    assert result.exit_code == 0, result.output  # a warning, not a block
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["rule"], f["pointer"]) for f in findings) == [
        ("names.hidden-characters", "/items/0/manufacturer/name"),
        ("names.hidden-characters", "/vendor/name"),
    ]
    messages = " ".join(f["message"] for f in findings)
    assert "'Аcme' mixes Cyrillic and Latin letters" in messages
    assert "U+2060 WORD JOINER" in messages
    assert all(f["line"] > 0 for f in findings)
