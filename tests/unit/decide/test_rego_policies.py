"""Run the shipped Rego unit tests (`test_*` rules in *_test.rego) with the embedded engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import regorus

from procgate.resources import policies_dir

TEST_FILES = sorted(policies_dir().rglob("*_test.rego"))


def _cases() -> list[tuple[Path, str, str]]:
    cases = []
    for f in TEST_FILES:
        text = f.read_text(encoding="utf-8")
        package = re.search(r"^package\s+([\w.]+)", text, re.M).group(1)
        for name in re.findall(r"^(test_\w+)\s+if\b", text, re.M):
            cases.append((f, package, name))
    return cases


def _engine() -> regorus.Engine:
    engine = regorus.Engine()
    for f in sorted(policies_dir().rglob("*.rego")):
        engine.add_policy(str(f), f.read_text(encoding="utf-8"))
    return engine


ENGINE = _engine()


def test_there_are_policy_tests() -> None:
    assert len(_cases()) >= 10


@pytest.mark.parametrize(("file", "package", "name"), _cases(), ids=lambda v: getattr(v, "name", v))
def test_rego_unit_test(file: Path, package: str, name: str) -> None:
    answer = json.loads(ENGINE.eval_query_as_json(f"data.{package}.{name}"))
    values = [e["value"] for r in answer.get("result", []) for e in r["expressions"]]
    assert values == [True], f"{file.name}: {name} did not pass"
