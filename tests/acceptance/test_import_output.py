"""`procgate import` validates the ban list before it writes it: a list that would not load
leaves no file behind, and an existing file is left as it was."""

from __future__ import annotations

from pathlib import Path

from cli_support import ROOT

CSL = ROOT / "tests" / "data" / "matching" / "import" / "csl-sample.json"


def test_invalid_list_is_not_written(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "screening.json"
    result = run_cli("import", "csl", CSL, "-o", out, "--audience", "Not An Audience")
    assert result.exit_code == 2
    assert '"Not An Audience"' in result.stderr
    assert f"{out}:" in result.stderr  # the error names the file asked for, not a temp file
    assert list(tmp_path.iterdir()) == []  # nothing left behind, no temp file either


def test_invalid_list_leaves_the_existing_file_alone(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "screening.json"
    assert run_cli("import", "csl", CSL, "-o", out).exit_code == 0
    before = out.read_bytes()
    result = run_cli("import", "csl", CSL, "-o", out, "--audience", "Not An Audience")
    assert result.exit_code == 2
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["screening.json"]


def test_valid_list_replaces_the_file(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "screening.json"
    out.write_text("old")
    result = run_cli("import", "csl", CSL, "-o", out, "--audience", "us-federal")
    assert result.exit_code == 0, result.output
    assert '"us-federal"' in out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["screening.json"]
