"""A schema procgate ships that is missing or broken stops the run (exit 2): it used to let
every file of that kind pass unchecked. Run on a copy of procgate whose schema is damaged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import ROOT

# Not a purchase request by its schema: `items` must be a list.
BAD_REQUEST = """apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-1
title: laptops
requester: {name: A, email: a@example.com}
items: not-a-list
"""


def _damaged_copy(tmp_path: Path, damage: str) -> Path:
    root = tmp_path / "procgate-copy"
    for part in ("src", "schemas", "policies"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    schema = root / "schemas" / "purchase-request.schema.json"
    if damage == "missing":
        schema.unlink()
    else:
        schema.write_text("{ not json")
    return root


def _procgate(root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "PROCGATE_CACHE_DIR": ""}
    return subprocess.run(
        [sys.executable, "-m", "procgate", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("damage", ["missing", "not-json"])
def test_a_damaged_packaged_schema_is_exit_2(tmp_path: Path, damage: str) -> None:
    root = _damaged_copy(tmp_path, damage)
    request = tmp_path / "pr.yaml"
    request.write_text(BAD_REQUEST)
    result = _procgate(root, "check", str(request), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "purchase-request schema cannot be read" in result.stderr
    assert str(root / "schemas") in result.stderr  # the copy ran, not the installed procgate
    assert "Traceback" not in result.stderr


def test_the_same_request_is_a_finding_with_the_schema_in_place(run_cli, tmp_path) -> None:
    request = tmp_path / "pr.yaml"
    request.write_text(BAD_REQUEST)
    result = run_cli("check", request)
    assert result.exit_code == 1 and "schema.invalid" in result.stdout


def test_null_items_read_once_as_null(run_cli, tmp_path) -> None:
    request = tmp_path / "pr.yaml"
    request.write_text(BAD_REQUEST.replace("items: not-a-list", "items: null"))
    result = run_cli("check", request)
    assert result.exit_code == 1, result.output
    assert "items: must be a list, not null\n" in result.stdout
