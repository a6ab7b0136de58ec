"""Imported lists carry the date their source was current (metadata.as_of), so they go stale
like curated lists: real sample files, `procgate import` and `procgate check` in-process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from cli_support import ROOT

from procgate.lists import load_ban_data

SAMPLES = ROOT / "tests" / "data" / "matching" / "import"


def test_an_imported_list_says_when_its_source_was_current(run_cli, tmp_path: Path) -> None:
    """Issue 18: imported lists never went stale (no `as_of`). The CSL sample's sources say
    nothing, so its search date counts; the FtM sample's latest last_seen does."""
    csl, ftm = tmp_path / "csl.json", tmp_path / "ftm.json"
    assert run_cli("import", "csl", SAMPLES / "csl-sample.json", "-o", csl).exit_code == 0
    assert run_cli("import", "ftm", SAMPLES / "ftm-sample.ftm.json", "-o", ftm).exit_code == 0
    [csl_info] = load_ban_data([csl]).lists
    [ftm_info] = load_ban_data([ftm]).lists
    assert (csl_info.as_of, csl_info.declared) == (date(2026, 11, 1), True)
    assert (ftm_info.as_of, ftm_info.declared) == (date(2026, 11, 1), True)


def test_the_least_current_source_list_dates_a_csl_file(run_cli, tmp_path: Path) -> None:
    sample = json.loads((SAMPLES / "csl-sample.json").read_text(encoding="utf-8"))
    sample["sources_used"] = [
        {"source": "Entity List (EL)", "last_imported": "2026-10-30T04:00:00+00:00"},
        {"source": "SDN", "last_imported": "2026-09-12T04:00:00+00:00"},
        {"source": "MEU", "source_last_updated": "2026-10-01"},
    ]
    source, out = tmp_path / "consolidated.json", tmp_path / "csl.json"
    source.write_text(json.dumps(sample), encoding="utf-8")
    assert run_cli("import", "csl", source, "-o", out).exit_code == 0
    [info] = load_ban_data([out]).lists
    assert info.as_of == date(2026, 9, 12)


def test_an_imported_list_goes_stale(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "csl.json"
    assert run_cli("import", "csl", SAMPLES / "csl-sample.json", "-o", out).exit_code == 0
    request = ROOT / "examples" / "purchase-requests" / "kaspersky-endpoint.yaml"
    args = ("check", "--format", "json", "--data", out, request)
    fresh = run_cli(*args, "--date", "2026-12-01")
    assert "data.stale" not in {f["rule"] for f in json.loads(fresh.output)["findings"]}
    late = run_cli(*args, "--date", "2027-12-01")
    stale = [f["message"] for f in json.loads(late.output)["findings"] if f["rule"] == "data.stale"]
    assert any("'csl' is current as of 2026-11-01" in m for m in stale), stale
