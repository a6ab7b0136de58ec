"""`procgate new purchase-request` and `procgate schema`: templates that validate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
from cli_support import ROOT, json_report
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


FILLED = {  # what a person types over the template's example text
    "PR-0000-0000": "PR-2026-0042",
    "Short title of the purchase": "Laptops for the lab",
    "Your Name": "Ada Lovelace",
    "you@example.org": "ada@lab.example",
    "Your department": "Research",
    "CC-0000": "CC-7",
    "Vendor Name Inc.": "Dell Technologies Inc.",
    "https://www.example.com": "https://www.dell.com",
    "What the item is, in words": "Laptop",
    "Manufacturer Name Inc.": "Dell Technologies Inc.",
    "Product name": "Latitude",
    "Why this purchase is needed.": "Old ones are out of support.",
}


def test_unfilled_template_validates_but_is_blocked_naming_its_lines(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    out = tmp_path / "requests" / "pr-0042.yaml"
    assert run_cli("new", "purchase-request", "-o", out, cwd=tmp_path).exit_code == 0
    text = out.read_text()
    _validate(text)  # editors can check it while it is filled in
    assert text.count("<- replace") >= 5  # what the person must fill in is marked
    check = run_cli("check", out, cwd=tmp_path)
    assert check.exit_code == 1, check.stdout
    lines = text.splitlines()
    where = {v: n for n, line in enumerate(lines, 1) for v in FILLED if f": {v}" in line}
    assert len(where) == len(FILLED)
    assert "request.template-placeholder" in check.stdout
    for value, line in where.items():
        assert f"line {line} " in check.stdout and repr(value) in check.stdout, value
    report = json_report(run_cli("check", "--format", "json", out, cwd=tmp_path))
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"]) == ("request.template-placeholder", "deny")
    assert finding["line"] == where["PR-0000-0000"]


def test_one_placeholder_left_is_named_and_a_filled_template_passes(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    out = tmp_path / "pr.yaml"
    run_cli("new", "purchase-request", "-o", out, cwd=tmp_path)
    text = out.read_text()
    for old, new in FILLED.items():
        if old != "Vendor Name Inc.":
            text = text.replace(f": {old}", f": {new}")
    out.write_text(text)
    check = run_cli("check", out, cwd=tmp_path)
    assert check.exit_code == 1
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "Vendor Name Inc." in s)
    assert f"{line}:3  DENY   request.template-placeholder" in check.stdout
    assert f"1 line(s): line {line} vendor.name: 'Vendor Name Inc.'" in check.stdout
    out.write_text(text.replace(": Vendor Name Inc.", ": Dell Technologies Inc."))
    passed = run_cli("check", out, cwd=tmp_path)
    assert passed.exit_code == 0, passed.stdout


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


def test_without_a_copy_it_points_where_the_schema_belongs_and_says_how_to_write_it(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    (tmp_path / ".git").mkdir()  # the repository's root
    out = tmp_path / "requests" / "2026" / "pr.yaml"
    result = run_cli("new", "purchase-request", "-o", out, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    first = out.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/purchase-request.schema.json"
    assert "procgate.dev" not in out.read_text()  # no made-up address
    hint = "procgate schema purchase-request -o schemas/purchase-request.schema.json"
    assert hint in result.stderr and "does not exist yet" in result.stderr
    # To standard output, from the project's root: same line from there, same hint.
    printed = run_cli("new", "purchase-request", cwd=tmp_path)
    assert printed.stdout.splitlines()[0] == (
        "# yaml-language-server: $schema=schemas/purchase-request.schema.json"
    )
    assert "does not exist yet" in printed.stderr
    _validate(printed.stdout)
    # Following the hint makes the line true, and the hint goes away.
    schema = run_cli(
        "schema", "purchase-request", "-o", "schemas/purchase-request.schema.json", cwd=tmp_path
    )
    assert schema.exit_code == 0
    assert schema.stderr.strip() == "wrote schemas/purchase-request.schema.json"
    again = run_cli("new", "purchase-request", "-o", out, "--force", cwd=tmp_path)
    assert "does not exist yet" not in again.stderr
    assert (out.parent / "../../schemas/purchase-request.schema.json").resolve().is_file()
    custom = run_cli(
        "new", "purchase-request", "--schema-ref", "https://x.test/pr.json", cwd=tmp_path
    )
    assert custom.stdout.startswith("# yaml-language-server: $schema=https://x.test/pr.json\n")
    assert "does not exist yet" not in custom.stderr


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
