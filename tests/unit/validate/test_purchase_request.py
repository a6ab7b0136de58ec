"""Purchase requests against schemas/purchase-request.schema.json, in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from procgate import rules
from procgate.load import load, load_bytes
from procgate.model import Document, Finding
from procgate.validate import validate

DATA = Path(__file__).resolve().parents[2] / "data"


def _findings(path: Path) -> list[Finding]:
    doc = load(path)
    assert isinstance(doc, Document), doc
    return validate(doc)


@pytest.mark.parametrize("name", ["clean.yaml", "huawei.yaml", "with-sbom.yaml"])
def test_valid_requests(name: str) -> None:
    assert _findings(DATA / "purchase-requests" / name) == []


def test_the_referenced_sbom_is_valid_too() -> None:
    assert _findings(DATA / "purchase-requests" / "sboms" / "access-controller.cdx.json") == []


def test_typo_key_is_named_with_a_suggestion() -> None:
    findings = _findings(DATA / "bad" / "pr-typo.yaml")
    by_pointer = {f.pointer: f for f in findings}
    typo = by_pointer["/vendr"]
    assert typo.rule == rules.SCHEMA_ERROR
    assert typo.message == "unknown field 'vendr' in the document (did you mean 'vendor'?)"
    assert (typo.position.line, typo.position.column) == (7, 1)
    assert "missing required field 'vendor'" in by_pointer[""].message


def test_wrong_types_each_at_their_line() -> None:
    findings = _findings(DATA / "bad" / "pr-wrong-types.yaml")
    got = {f.pointer: (f.position.line, f.message) for f in findings}
    expected = {
        "/apiVersion": (1, 'must be "procgate/v1", not "procgate/v2"'),
        "/date": (4, "is not a valid date (write dates as YYYY-MM-DD"),
        "/requester/email": (7, "is not a valid email"),
        "/vendor/duns": (10, "must be a string, not an integer 12345678 (put it in quotes"),
        "/items/0/quantity": (13, 'must be an integer, not a string "ten"'),
        "/items/0/category": (14, '"camera" is not allowed; use one of: hardware'),
        "/items/1": (16, "needs 'manufacturer' or 'brand'"),
        "/items/1/quantity": (17, "must be at least 1, not 0"),
        "/use/0": (18, "(did you mean 'video-surveillance'?)"),
    }
    assert set(got) == set(expected)
    for pointer, (line, words) in expected.items():
        assert got[pointer][0] == line, pointer
        assert words in got[pointer][1], got[pointer][1]


def test_manufacturer_needs_a_name_and_nested_typos_are_found() -> None:
    content = b"""apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-9
date: 2026-01-31
requester: {name: A}
vendor: {name: B, websit: https://b.example}
items:
  - description: x
    quantity: 1
    manufacturer: {country: CN}
"""
    doc = load_bytes(content, "pr.yaml")
    assert isinstance(doc, Document)
    messages = {f.pointer: f.message for f in validate(doc)}
    assert messages == {
        "/items/0/manufacturer": "items[0].manufacturer: missing required field 'name'",
        "/vendor/websit": "unknown field 'websit' in vendor (did you mean 'website'?)",
    }


def test_json_request_and_schema_key_allowed() -> None:
    content = b"""{"$schema": "../schemas/purchase-request.schema.json",
      "apiVersion": "procgate/v1", "kind": "PurchaseRequest", "id": "PR-10",
      "date": "2026-02-30", "requester": {"name": "A"}, "vendor": {"name": "B"},
      "items": []}"""
    doc = load_bytes(content, "pr.json")
    assert isinstance(doc, Document)
    findings = {f.pointer: f for f in validate(doc)}
    assert set(findings) == {"/date", "/items"}  # 30 February; no items
    assert findings["/items"].message == "items: needs at least 1 entry"
    assert findings["/items"].position.line == 4


def test_each_missing_required_field_is_reported_once() -> None:
    """Issue 13 item 11: three missing required fields gave nine findings (N²)."""
    text = (DATA / "purchase-requests" / "clean.yaml").read_text(encoding="utf-8")
    kept = [
        line
        for line in text.splitlines()
        if not line.startswith(
            ("id:", "date:", "vendor:", "  name: Summit", "  uei:", "  country: US")
        )
    ]
    assert len(kept) == len(text.splitlines()) - 6
    doc = load_bytes("\n".join(kept).encode(), "pr.yaml")
    assert isinstance(doc, Document), doc
    messages = sorted(f.message for f in validate(doc))
    assert messages == [
        "the document: missing required field 'date'",
        "the document: missing required field 'id'",
        "the document: missing required field 'vendor'",
    ]


def test_a_request_with_many_errors_stops_counting(tmp_path: Path) -> None:
    """Python jsonschema explains a failed request: only the first errors are walked."""
    from procgate.validate import MAX_COUNTED, MAX_FINDINGS

    text = (DATA / "purchase-requests" / "clean.yaml").read_text(encoding="utf-8")
    text += "".join(f"\nfield_{i}: {i}" for i in range(5_000))
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    findings = _findings(path)
    assert len(findings) == MAX_FINDINGS + 1
    assert findings[0].pointer == "/field_0"
    assert findings[-1].message == (
        f"… and more than {MAX_COUNTED} more schema errors in this file"
    )


def test_an_email_only_one_validator_refuses_is_still_a_finding() -> None:
    """jsonschema-rs refuses `x@@y` as an e-mail address; python-jsonschema (which words the
    messages) accepts anything with an @. The file used to pass: the fast path said invalid,
    the explainer found nothing to say. Now the fast validator's own error is reported."""
    text = (DATA / "purchase-requests" / "clean.yaml").read_text(encoding="utf-8")
    assert "email: " in text
    bad = "\n".join(
        '  email: "x@@y"' if line.strip().startswith("email:") else line
        for line in text.splitlines()
    )
    doc = load_bytes(bad.encode(), "pr-email.yaml")
    assert isinstance(doc, Document), doc
    [finding] = validate(doc)
    assert finding.pointer == "/requester/email"
    assert '"x@@y" is not a valid email' in finding.message
