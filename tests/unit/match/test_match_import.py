"""`procgate import`: public screening lists become ban lists the matcher uses."""

from __future__ import annotations

from pathlib import Path

from cli_support import ROOT
from match_fixtures import subject

from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher

SAMPLES = ROOT / "tests" / "data" / "matching" / "import"


def test_csl_organizations_names_and_valid_identifiers(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "csl.json"
    result = run_cli("import", "csl", SAMPLES / "csl-sample.json", "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 entities" in result.output and "skipped: Individual 1" in result.output
    data = load_ban_data([*default_ban_files(), out])
    imported = [e for e in data.entities.values() if e.source_file == str(out)]
    kaspersky = next(e for e in imported if e.name == "AO Kaspersky Lab")
    assert kaspersky.identifiers["lei"] == ("5493001KJTIIGC8Y1R12",)  # the bad one dropped
    assert {n.value for n in kaspersky.names} >= {"Kaspersky Lab", "Kaspersky Lab ZAO"}
    [listing] = kaspersky.listings
    assert listing.since is not None and listing.since.isoformat() == "2024-06-24"
    matcher = Matcher(data)
    found = {m.entity_id for m in matcher.match([subject("vendor", "Example Drone Components")])}
    assert found == {e.id for e in imported if e.name.startswith("Example Drone")}
    by_uei = matcher.match([subject("uei", "ABCDEFGH1234", "identifier")])
    assert [m.via for m in by_uei] == ["identifier"]


def test_ftm_companies_only_weak_aliases_left_out(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "ftm.json"
    result = run_cli("import", "ftm", SAMPLES / "ftm-sample.ftm.json", "-o", out)
    assert result.exit_code == 0, result.output
    [entity] = load_ban_data([out]).entities.values()  # loads on its own, too
    assert entity.name == "Example Surveillance Co" and entity.country == "CN"
    assert {(n.value, n.via) for n in entity.names[1:]} == {
        ("ExSurv", "alias"),
        ("Old Example Vision Ltd", "former-name"),
    }
    assert entity.identifiers["cage"] == ("1ABC5",)


def test_not_a_list_is_a_tool_error(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    result = run_cli("import", "csl", bad, "-o", tmp_path / "out.json")
    assert result.exit_code == 2
    assert "not JSON" in result.output
