"""`procgate new purchase-request` and `procgate schema`: templates that validate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
from cli_support import ROOT
from click.testing import Result

from procgate.load import load_bytes
from procgate.model import Document

SCHEMA = ROOT / "schemas" / "purchase-request.schema.json"


def _validate(text: str) -> None:
    """As editors read it (YAML 1.2: a date stays a string) and as procgate loads it."""
    doc = load_bytes(text.encode(), "pr.yaml")
    assert isinstance(doc, Document)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(doc.data)


def test_template_validates_and_passes_the_check(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    out = tmp_path / "requests" / "pr-0042.yaml"
    assert run_cli("new", "purchase-request", "-o", out, cwd=tmp_path).exit_code == 0
    text = out.read_text()
    _validate(text)
    assert text.count("<- replace") >= 5  # what the person must fill in is marked
    check = run_cli("check", "--format", "json", out, cwd=tmp_path)
    assert check.exit_code == 0, check.stdout


def test_schema_line_points_at_a_copy_in_the_project(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    schema = tmp_path / "schemas" / "purchase-request.schema.json"
    assert run_cli("schema", "purchase-request", "-o", schema, cwd=tmp_path).exit_code == 0
    assert json.loads(schema.read_text()) == json.loads(SCHEMA.read_text())
    out = tmp_path / "requests" / "2026" / "pr.yaml"
    run_cli("new", "purchase-request", "-o", out, cwd=tmp_path)
    first = out.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/purchase-request.schema.json"


def test_without_a_copy_it_points_at_the_published_url(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    result = run_cli("new", "purchase-request", cwd=tmp_path)
    first = result.stdout.splitlines()[0]
    published = json.loads(SCHEMA.read_text())["$id"]
    assert first == f"# yaml-language-server: $schema={published}"
    _validate(result.stdout)
    custom = run_cli("new", "purchase-request", "--schema-ref", "https://x.test/pr.json",
                     cwd=tmp_path)
    assert custom.stdout.startswith("# yaml-language-server: $schema=https://x.test/pr.json\n")


def test_existing_file_is_kept(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    out = tmp_path / "pr.yaml"
    out.write_text("mine\n")
    assert run_cli("new", "purchase-request", "-o", out).exit_code == 2
    assert out.read_text() == "mine\n"
    assert run_cli("new", "purchase-request", "-o", out, "--force").exit_code == 0
    _validate(out.read_text())


def test_schema_lists_and_prints(run_cli: Callable[..., Result]) -> None:
    listing = run_cli("schema").stdout
    assert "purchase-request" in listing and "ban-list" in listing
    printed = run_cli("schema", "purchase-request").stdout
    assert json.loads(printed) == json.loads(SCHEMA.read_text())
    assert run_cli("schema", "nope").exit_code == 2
