"""`bundle:` in procgate.yaml is the pinned policy set for every command that checks, not only
`check`: `scan` and `serve` used to ignore it and exit 2 with "no ban lists to check against"
(the bundle had replaced the shipped lists, and nothing loaded the bundle's own)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from bundle_support import acme_bundle, bundle_consumer
from cli_support import EXAMPLES
from procgate_server import running_server

KASPERSKY = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"
DATE = "2026-11-28"


def _consumer(run_cli, tmp_path: Path) -> Path:
    """A folder whose procgate.yaml names only a signed bundle built from an organisation's
    own list (acme-no-kaspersky), so a finding from that list proves the bundle was used."""
    return bundle_consumer(tmp_path, *acme_bundle(run_cli, tmp_path))


def test_scan_uses_the_configured_bundle(run_cli, tmp_path: Path) -> None:
    consumer = _consumer(run_cli, tmp_path)
    report = tmp_path / "inv.json"
    result = run_cli("scan", "--date", DATE, "--report", report, KASPERSKY, cwd=consumer)
    assert result.exit_code == 1, result.output
    assert "no ban lists" not in result.output
    inventory = json.loads(report.read_text())
    authorities = {a["id"] for v in inventory["vendors"] for a in v["authorities"]}
    assert "acme-no-kaspersky" in authorities


def test_serve_uses_the_configured_bundle(run_cli, tmp_path: Path) -> None:
    consumer = _consumer(run_cli, tmp_path)
    with running_server(tmp_path, "--date", DATE, "--config", str(consumer / "procgate.yaml")) as s:
        answer = httpx.post(
            s.url + "/v1/check",
            files=[("files", ("pr.yaml", KASPERSKY.read_bytes(), "application/yaml"))],
            timeout=60,
        )
    assert answer.status_code == 200, answer.text
    [finding] = answer.json()["findings"]
    assert "acme-no-kaspersky" in finding["authorities"]
