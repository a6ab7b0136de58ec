"""`procgate lists diff OLD NEW` in-process: real list files and folders, text and JSON, exit
codes 0 (no changes), 1 (changes) and 2 (bad input)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cli_support import ROOT

SHIPPED = ROOT / "policies" / "data" / "us-government.yaml"


def changed_copy(tmp_path: Path) -> Path:
    """The shipped list without DJI's FCC listing, and Huawei's FCC date a few days later."""
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index("      - authority: fcc-covered-list\n", text.index("  - id: dji\n"))
    end = text.index("      - authority: american-security-drone-act\n", start)
    text = text[:start] + text[end:]
    at = text.index("since: 2021-03-12", text.index("  - id: huawei\n"))
    text = text[:at] + "since: 2021-03-15" + text[at + len("since: 2021-03-12") :]
    folder = tmp_path / "new"
    folder.mkdir()
    path = folder / "us-government.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_text_says_what_changed_and_exits_1(run_cli, tmp_path: Path) -> None:
    new = changed_copy(tmp_path)
    result = run_cli("lists", "diff", "policies/data/us-government.yaml", new)
    assert result.exit_code == 1, result.output
    assert result.output == (
        "old: policies/data/us-government.yaml (us-government as of 2026-12-03)\n"
        f"new: {new} (us-government as of 2026-12-03)\n"
        "\n"
        "entity dji (SZ DJI Technology Co., Ltd.)\n"
        "  - listing by fcc-covered-list: since 2025-12-22, scope telecom-equipment\n"
        "\n"
        "entity huawei (Huawei Technologies Co., Ltd.)\n"
        "  ~ listing by fcc-covered-list since: 2021-03-12 -> 2021-03-15\n"
        "\n"
        "2 changes: 0 added, 1 removed, 1 changed\n"
    )


def test_json_and_folders(run_cli, tmp_path: Path) -> None:
    new = changed_copy(tmp_path)
    out = tmp_path / "diff.json"
    result = run_cli("lists", "diff", "policies/data", new.parent, "--format", "json", "-o", out)
    assert result.exit_code == 1, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"] == {"added": 0, "removed": 1, "changed": 1}
    assert report["old"]["lists"] == [{"name": "us-government", "as_of": "2026-12-03"}]
    assert report["old"]["digest"] != report["new"]["digest"]
    assert report["changes"] == [
        {
            "change": "removed",
            "what": "listing",
            "entity": "dji",
            "authority": "fcc-covered-list",
            "old": "since 2025-12-22, scope telecom-equipment",
        },
        {
            "change": "changed",
            "what": "listing",
            "entity": "huawei",
            "authority": "fcc-covered-list",
            "field": "since",
            "old": "2021-03-12",
            "new": "2021-03-15",
        },
    ]


def test_no_changes_exits_0(run_cli, tmp_path: Path) -> None:
    copy = tmp_path / "us-government.yaml"
    shutil.copy(SHIPPED, copy)
    result = run_cli("lists", "diff", SHIPPED, copy)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("\nno changes\n")


def test_a_bad_list_exits_2_with_its_line(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = SHIPPED.read_text(encoding="utf-8").replace("scope: any", "scope: anything", 1)
    bad.write_text(text, encoding="utf-8")
    result = run_cli("lists", "diff", SHIPPED, bad)
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "scope: anything" in t)
    assert f"bad.yaml:{line}:" in result.output and '"anything" is not allowed' in result.output


def test_an_empty_folder_or_a_missing_path_exits_2(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("lists", "diff", SHIPPED, empty)
    assert result.exit_code == 2 and "no ban-list files in this folder" in result.output
    assert run_cli("lists", "diff", SHIPPED, tmp_path / "nope.yaml").exit_code == 2
    not_a_list = tmp_path / "request.yaml"
    shutil.copy(ROOT / "examples" / "purchase-requests" / "kaspersky-endpoint.yaml", not_a_list)
    result = run_cli("lists", "diff", SHIPPED, not_a_list)
    assert result.exit_code == 2 and "request.yaml" in result.output
