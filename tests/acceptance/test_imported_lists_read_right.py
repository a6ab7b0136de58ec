"""An imported screening list reads right: a record without a start date says the date is
unknown (never 1970-01-01), authority ids are short and readable, and an advisory finding
shows the list's own "what to do", not the generic review advice."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from procgate.decide.findings import REVIEW_ACTION

CSL = {
    "results": [
        {
            "id": "csl-9",
            "source": "Entity List (EL) - Bureau of Industry and Security",
            "type": "Entity",
            "name": "Example Relay Systems Ltd",
            "alt_names": [],
            "addresses": [{"country": "CN"}],
            "ids": [],
            "programs": ["EAR"],
            "source_list_url": "https://www.bis.gov/entity-list",
        },  # no start_date
        {
            "id": "csl-10",
            "source": "Military End User (MEU) List - Bureau of Industry and Security",
            "type": "Entity",
            "name": "Example Avionics Works",
            "start_date": "2021-01-14",
            "source_list_url": "https://www.bis.gov/meu",
        },
    ]
}
REQUEST = """apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-2026-0900
date: 2026-11-20
requester: {name: Ada Lovelace}
vendor: {name: Example Relay Systems Ltd}
items:
  - description: Relay modules
    quantity: 10
    category: hardware
    manufacturer: {name: Example Avionics Works}
use: [general]
"""


def test_imported_csl_reads_right(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "csl.json").write_text(json.dumps(CSL))
    (tmp_path / "pr.yaml").write_text(REQUEST)
    imported = run_cli("import", "csl", "csl.json", "-o", "lists/csl-bans.json", cwd=tmp_path)
    assert imported.exit_code == 0, imported.output
    data = json.loads((tmp_path / "lists/csl-bans.json").read_text())
    assert sorted(a["id"] for a in data["authorities"]) == ["csl-el", "csl-meu"]

    text = run_cli(
        "check", "pr.yaml", "--data", "lists/csl-bans.json", "--audience", "us-person", cwd=tmp_path
    )
    assert text.exit_code == 0, text.output  # screening lists warn by default
    assert "1970" not in text.stdout
    assert (
        "Entity List (EL) - Bureau of Industry and Security (date of listing unknown)"
        in text.stdout
    )
    assert "(in force since 2021-01-14)" in text.stdout  # a dated record keeps its date
    report = json.loads(
        run_cli(
            "check",
            "pr.yaml",
            "--data",
            "lists/csl-bans.json",
            "--audience",
            "us-person",
            "--format",
            "json",
            cwd=tmp_path,
        ).stdout
    )
    advisory = [f for f in report["findings"] if f["rule"] == "bans.advisory"]
    assert len(advisory) == 2
    for f in advisory:
        assert f["action"] != REVIEW_ACTION
        assert f["action"] == data["authorities"][0]["action"]  # the list file's own words

    explained = run_cli(
        "explain",
        "Example Relay Systems Ltd",
        "--data",
        "lists/csl-bans.json",
        "--audience",
        "us-person",
        cwd=tmp_path,
    )
    assert "1970" not in explained.stdout and "date of listing unknown" in explained.stdout
    explained_json = run_cli(
        "explain",
        "Example Relay Systems Ltd",
        "--data",
        "lists/csl-bans.json",
        "--audience",
        "us-person",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert "1970" not in explained_json.stdout
    [match] = json.loads(explained_json.stdout)["matches"]
    [coverage] = match["coverage"]
    assert coverage["listed_since"] is None
    assert [a["since"] for a in coverage["applies"]] == [None]
    assert coverage["since_unknown"] is True
