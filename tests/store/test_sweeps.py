"""`procgate scan PATHS --store URL` records sweeps, files and findings (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import DATE
from store_support import rows

from procgate.resources import policies_dir

KASPERSKY = "purchase-requests/kaspersky-endpoint.yaml"
ROUTER_SBOM = "sboms/branch-router-firmware.cdx.json"


def _scan(procgate: Callable[..., Result], store: str, *paths: str | Path) -> Result:
    result = procgate("scan", *(paths or ("records",)), "--store", store, "--date", DATE)
    assert result.exit_code == 1, result.output  # the examples hold banned items
    return result


def test_a_sweep_records_when_what_and_with_which_data(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    result = _scan(procgate, store_url)
    assert "Recorded sweep 1" in result.output and "7 new" in result.output
    [sweep] = rows(store_url, "SELECT * FROM sweeps")
    assert str(sweep["as_of"]) == DATE and sweep["audience"] == "us-federal"
    assert sweep["data_digest"].startswith("sha256:") and sweep["policy_digest"].startswith(
        "sha256:"
    )
    assert "(as of 20" in sweep["data_version"]
    assert sweep["files_seen"] == 11 and sweep["findings"] == 7
    paths = sweep["paths"]  # JSON: text in SQLite, parsed by psycopg
    assert (json.loads(paths) if isinstance(paths, str) else paths) == ["records"]
    # Each file: its absolute path and the sha256 of its bytes.
    files = {f["path"]: f for f in rows(store_url, "SELECT * FROM files")}
    kaspersky = records / KASPERSKY
    assert files[str(kaspersky)]["content_hash"] == (
        "sha256:" + hashlib.sha256(kaspersky.read_bytes()).hexdigest()
    )
    assert files[str(kaspersky)]["kind"] == "purchase-request"
    assert files[str(kaspersky)]["vendor_values"]  # kept for reevaluate
    # Each finding keyed by rule, entity, file and item - not the line.
    [finding] = rows(store_url, "SELECT * FROM findings WHERE entity = 'kaspersky'")
    assert finding["rule"] == "bans.banned-vendor"
    assert finding["file_key"] == str(kaspersky)
    assert finding["location"] == "/items/[product:Kaspersky Endpoint Security for Business Select]"
    assert finding["resolved_at"] is None and finding["severity"] == "deny"
    assert policies_dir().is_dir()


def test_seen_again_keeps_first_seen_and_moves_last_seen(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    _scan(procgate, store_url)
    [before] = rows(store_url, "SELECT * FROM findings WHERE entity = 'huawei'")
    # Reformatted and reordered: the Huawei component moves to the end, the file is re-indented.
    sbom = records / ROUTER_SBOM
    doc = json.loads(sbom.read_text())
    doc["components"].append(doc["components"].pop(1))
    sbom.write_text(json.dumps(doc, indent=1))
    result = _scan(procgate, store_url)
    assert "0 new, 7 seen again" in result.output
    [after] = rows(store_url, "SELECT * FROM findings WHERE entity = 'huawei'")
    assert after["id"] == before["id"] and after["first_seen"] == before["first_seen"]
    assert after["last_seen"] > before["last_seen"] and after["last_sweep_id"] == 2
    assert after["line"] != before["line"] and after["pointer"] == "/components/2/supplier/name"
    assert len(rows(store_url, "SELECT * FROM sweeps")) == 2


def test_removed_item_resolves_and_reappearing_reopens(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    _scan(procgate, store_url)
    request = records / KASPERSKY
    original = request.read_text()
    request.write_text(
        original.replace("Kaspersky Lab ZAO", "CrowdStrike, Inc.").replace(
            "Kaspersky Endpoint Security for Business Select", "Falcon Prevent"
        )
    )
    result = _scan(procgate, store_url)
    assert "1 resolved" in result.output
    [gone] = rows(store_url, "SELECT * FROM findings WHERE entity = 'kaspersky'")
    assert gone["resolved_at"] is not None
    request.write_text(original)
    result = _scan(procgate, store_url)
    assert "(1 reopened)" in result.output
    [back] = rows(store_url, "SELECT * FROM findings WHERE entity = 'kaspersky'")
    assert back["id"] == gone["id"] and back["resolved_at"] is None


def test_an_unreadable_file_resolves_nothing(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    """Breaking a file must not make its banned items disappear from the record."""
    _scan(procgate, store_url)
    request = records / KASPERSKY
    request.write_text(request.read_text() + "\n  : [unclosed\n")
    result = _scan(procgate, store_url)
    assert "0 resolved" in result.output
    [still] = rows(store_url, "SELECT * FROM findings WHERE entity = 'kaspersky'")
    assert still["resolved_at"] is None
    [file] = rows(store_url, "SELECT * FROM files WHERE path = :p", p=str(request))
    assert file["vendor_values"]  # what it named last time it was read is kept


def test_a_deleted_file_resolves_its_findings_a_narrower_sweep_does_not(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    _scan(procgate, store_url)
    # A sweep of one folder leaves the other folder's findings alone.
    result = _scan(procgate, store_url, "records/purchase-requests")
    assert "0 resolved" in result.output
    (records / KASPERSKY).unlink()
    result = _scan(procgate, store_url)
    assert "1 resolved" in result.output
    [file] = rows(store_url, "SELECT * FROM files WHERE path = :p", p=str(records / KASPERSKY))
    assert file["gone_at"] is not None


def test_two_identical_banned_components_are_two_findings(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    sbom = records / ROUTER_SBOM
    doc = json.loads(sbom.read_text())
    doc["components"].append(dict(doc["components"][1]))
    sbom.write_text(json.dumps(doc))
    _scan(procgate, store_url)
    found = rows(store_url, "SELECT occurrence FROM findings WHERE entity = 'huawei'")
    assert sorted(r["occurrence"] for r in found) == [1, 2]
    _scan(procgate, store_url)
    assert len(rows(store_url, "SELECT id FROM findings WHERE entity = 'huawei'")) == 2
