"""The 45 real SBOMs in tests/data/corpus: none names a banned vendor, so the whole gate
(validate, normalize, match, decide) must give no bans finding on any of them, and the
schema-invalid ones must give schema findings with line numbers. None may crash."""

from __future__ import annotations

import pytest
from cli_support import CORPUS, json_report
from corpus_manifest import MANIFEST, STORE, is_invalid, rows

ROWS = rows()
# Every syntax and spec version procgate reads, each with at least one real document.
FORMATS = {
    "cyclonedx-json": {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"},
    "cyclonedx-xml": {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6"},
    "spdx-json": {"SPDX-2.2", "SPDX-2.3"},
    "spdx-tv": {"SPDX-2.2", "SPDX-2.3"},
    "spdx-yaml": {"SPDX-2.2", "SPDX-2.3"},
    "spdx-rdf": {"SPDX-2.3"},
    "spdx3-jsonld": {"SPDX-3.0", "SPDX-3.0.1"},
}


def test_corpus_covers_every_format_and_spec_version() -> None:
    got: dict[str, set[str]] = {}
    for row in ROWS:
        got.setdefault(row["format"], set()).add(row["spec_version"])
    assert got == FORMATS
    invalid = {r["format"] for r in ROWS if is_invalid(r)}
    assert invalid == {"cyclonedx-json", "cyclonedx-xml", "spdx-json"}
    assert len([r for r in ROWS if is_invalid(r)]) == 6


def test_corpus_files_are_exactly_the_manifest_with_provenance() -> None:
    stored = {
        p.relative_to(STORE).as_posix()
        for p in STORE.rglob("*")
        if p.is_file() and p.parent.name in FORMATS
    }
    assert stored == {r["stored_as"] for r in ROWS}
    licences = {p.stem for p in (STORE / "LICENSES").iterdir()} | {"CC0-1.0"}
    for row in ROWS:
        assert row["license_of_source_repo"].split()[0] in licences, row["file"]
        for column in (
            "source_repo",
            "source_path",
            "source_commit",
            "license_of_source_repo",
            "why_kept",
            "sha256",
        ):
            assert row[column].strip(), (row["file"], column)
    size = sum(p.stat().st_size for p in STORE.rglob("*") if p.is_file())
    assert size < 5_000_000, size  # "a few MB": large files are stored xz-compressed
    assert (CORPUS / "MANIFEST.csv").read_bytes() == MANIFEST.read_bytes()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["file"])
def test_no_ban_findings_on_real_sboms(run_cli, row: dict[str, str]) -> None:
    result = run_cli("check", "--format", "json", "--fail-on", "warn", CORPUS / row["file"])
    assert result.exit_code in (0, 1), result.output
    report = json_report(result)
    bans = [f for f in report["findings"] if not f["rule"].startswith(("schema.", "parse."))]
    assert bans == [], bans
    for f in report["findings"]:
        assert f["line"] > 0 or f["pointer"] == "", f


def test_whole_corpus_in_one_run_has_zero_deny_and_warn_from_bans(run_cli) -> None:
    report = json_report(run_cli("check", "--format", "json", CORPUS))
    assert report["summary"]["files"] == len(ROWS)
    assert not [f for f in report["findings"] if f["rule"].startswith("bans.")]


@pytest.mark.parametrize(
    "name",
    [r["file"] for r in ROWS if r["file"].split("/")[-1].startswith("INVALID_")],
)
def test_invalid_sboms_give_schema_findings_with_lines(run_cli, name: str) -> None:
    report = json_report(run_cli("check", "--format", "json", CORPUS / name))
    schema = [f for f in report["findings"] if f["rule"].startswith("schema.")]
    assert schema, report["findings"]
    assert all(f["line"] > 0 for f in schema if f["pointer"])  # "… and N more" has none
