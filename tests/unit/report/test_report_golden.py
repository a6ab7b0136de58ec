"""Every reporter's output for one fixed Verdict, compared with tests/data/golden/."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest
from report_fixtures import EMPTY, VERDICT, assert_golden

import procgate
from procgate.report import REPORTERS, reporter

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

SUFFIX = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit.xml",
    "github": "github.txt",
    "markdown": "md",
}


def _normalize(fmt: str, out: str) -> str:
    # The golden SARIF must not change with every release: its driver version is checked,
    # then stood in for.
    if fmt != "sarif":
        return out
    log = json.loads(out)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == procgate.__version__
    driver["version"] = "<procgate.__version__>"
    return json.dumps(log, indent=2, ensure_ascii=True)


def test_every_format_has_a_golden_test() -> None:
    assert set(SUFFIX) == set(REPORTERS)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_report_matches_golden(fmt: str) -> None:
    out = reporter(fmt)(VERDICT, "deny")
    assert_golden(f"verdict.{SUFFIX[fmt]}", _normalize(fmt, out))


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_report_of_a_clean_run_matches_golden(fmt: str) -> None:
    out = reporter(fmt)(EMPTY, "deny")
    assert_golden(f"clean.{SUFFIX[fmt]}", _normalize(fmt, out))


@pytest.mark.parametrize("how", ["--format", "--report"])
def test_the_sarif_the_command_writes_matches_golden(run_cli, tmp_path: Path, how: str) -> None:
    """What `procgate check` writes, not only what the reporter makes of a fixture: the
    authorities' links come from the ban data through the Verdict, as for every format."""
    request = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"
    out = tmp_path / "out.sarif"
    where = ["--format", "sarif", "-o", out] if how == "--format" else ["--report", out]
    result = run_cli("check", "--date", "2026-11-28", *where, request)
    assert result.exit_code == 1, result.output
    text = _normalize("sarif", out.read_text(encoding="utf-8").rstrip("\n"))
    assert "](https://" in text  # an authority linked to its source
    assert_golden("check.kaspersky-endpoint.sarif", text)


def test_junit_fail_on_warn_matches_golden() -> None:
    assert_golden("verdict.fail-on-warn.junit.xml", reporter("junit")(VERDICT, "warn"))


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_reporters_are_pure(fmt: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The output depends on the verdict and fail-on alone: not on what was rendered before in
    the process, the working folder, the time zone, nor on which equal Verdict object it is."""
    first = reporter(fmt)(VERDICT, "deny")
    reporter(fmt)(EMPTY, "warn")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: another date than UTC's, often
    time.tzset()
    try:
        again = reporter(fmt)(copy.deepcopy(VERDICT), "deny")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert again == first
