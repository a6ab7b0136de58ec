"""check_file and sweep on real files: one result per file, referenced SBOMs reported once."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from procgate.config import Options
from procgate.pipeline import Checker, build_checker
from procgate.scan.sweep import check_file, sweep

REQUEST = """\
apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-1
date: 2026-01-05
requester: {name: Pat}
vendor: {name: Branch Networks Inc.}
items:
  - description: Branch router
    quantity: 2
    category: telecom-equipment
    manufacturer: {name: "Cisco Systems, Inc."}
    sbom: fw.cdx.json
use: [telecommunications]
"""
SBOM = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.5",
    "version": 1,
    "components": [
        {
            "type": "firmware",
            "name": "modem-fw",
            "version": "11.6",
            "supplier": {"name": "Huawei Technologies Co., Ltd."},
        }
    ],
}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return build_checker(Options(today=date(2026, 11, 28)))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pr.yaml").write_text(REQUEST)
    (tmp_path / "fw.cdx.json").write_text(json.dumps(SBOM, indent=2))
    (tmp_path / "compose.yaml").write_text("services: {web: {image: nginx}}\n")
    (tmp_path / "broken.yaml").write_text("apiVersion: procgate/v1\nkind: PurchaseRequest\n[\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_request_with_its_sbom(checker: Checker, tree: Path) -> None:
    result = check_file(checker, "pr.yaml", explicit=False)
    assert result.refs == ("fw.cdx.json",)
    [hit] = result.hits
    assert (hit.file, hit.entity, hit.severity) == ("fw.cdx.json", "huawei", "deny")
    assert hit.line == 11  # the supplier's name, in the SBOM file
    assert hit.item == "component modem-fw@11.6"
    assert set(hit.authorities) == {"ndaa-fy2019-889", "fcc-covered-list"}


def test_unknown_kinds_are_skipped_and_broken_files_are_problems(
    checker: Checker, tree: Path
) -> None:
    assert check_file(checker, "compose.yaml", explicit=False).known is False
    broken = check_file(checker, "broken.yaml", explicit=False)
    [problem] = broken.problems
    assert problem.rule == "parse.error" and problem.line >= 3


def test_sweep_reports_a_referenced_sbom_once(checker: Checker, tree: Path) -> None:
    found, results = sweep([Path(".")], checker.options, checker, jobs=1)
    assert found == 4
    hits = [h for r in results for h in r.hits]
    assert [(h.file, h.entity) for h in hits] == [("fw.cdx.json", "huawei")]


def test_sweep_checks_as_of_the_date(checker: Checker, tree: Path) -> None:
    before = replace(checker, options=replace(checker.options, today=date(2017, 1, 1)))
    _, results = sweep([Path(".")], before.options, before, jobs=1)
    assert not [h for r in results for h in r.hits]  # §889 Part A: 2019-08-13, past 24 months
    assert sum(r.listed for r in results) == 1
