"""Bad files become parse.* findings with a line and column, never exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from procgate import rules
from procgate.load import load, load_bytes
from procgate.model import Finding, Severity

BAD = Path(__file__).resolve().parents[2] / "data" / "bad"

CASES = [
    # file, rule, line, words in the message
    ("malformed.yaml", rules.PARSE_ERROR, 7, "invalid YAML"),
    ("malformed.json", rules.PARSE_ERROR, 6, "Expecting ',' delimiter"),
    ("malformed.xml", rules.PARSE_ERROR, 6, "tag mismatch"),
    ("bad-tagvalue.spdx", rules.PARSE_ERROR, 5, "expected 'Tag: value'"),
    ("empty.json", rules.PARSE_ERROR, 1, "empty"),
    ("blank.yaml", rules.PARSE_ERROR, 1, "empty"),
    ("binary.json", rules.PARSE_ERROR, 1, "binary"),
    ("duplicate-key.yaml", rules.PARSE_ERROR, 6, "duplicate key 'vendor' (first at line 4)"),
    ("billion-laughs.yaml", rules.PARSE_LIMIT, 7, "billion laughs"),
    ("xxe.xml", rules.PARSE_LIMIT, 2, "entities"),
    ("xml-bomb.xml", rules.PARSE_LIMIT, 2, "entities"),
    ("deep.json", rules.PARSE_LIMIT, 1, "nested"),
    ("deep.yaml", rules.PARSE_LIMIT, 3, "nested"),
    ("deep.xml", rules.PARSE_LIMIT, 3, "nested"),
    ("unknown-kind.yaml", rules.PARSE_UNKNOWN_KIND, 1, "not a purchase request"),
]


@pytest.mark.parametrize(("name", "rule", "line", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_a_finding(name: str, rule: str, line: int, words: str) -> None:
    finding = load(BAD / name, f"bad/{name}")
    assert isinstance(finding, Finding), finding
    assert finding.rule == rule
    assert finding.severity is Severity.DENY
    assert finding.position.file == f"bad/{name}"
    assert finding.position.line == line
    assert finding.position.column >= 1
    assert words in finding.message


def test_xxe_reads_no_local_file() -> None:
    finding = load(BAD / "xxe.xml")
    assert isinstance(finding, Finding)
    assert "root:" not in finding.message


def test_missing_file_is_a_missing_file_finding(tmp_path: Path) -> None:
    finding = load(tmp_path / "nope.yaml", "nope.yaml")
    assert isinstance(finding, Finding)
    assert finding.rule == rules.PARSE_MISSING_FILE


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import procgate.load as load_module

    monkeypatch.setattr(load_module, "MAX_BYTES", 10)
    finding = load_bytes(b'{"bomFormat": "CycloneDX"}', "big.json")
    assert isinstance(finding, Finding)
    assert finding.rule == rules.PARSE_LIMIT


def test_folder_walk_skips_unknown_and_unrelated_broken_files() -> None:
    assert load_bytes(b"apiVersion: v1\nkind: Service\n", "svc.yaml", explicit=False) is None
    assert load_bytes(b'{"compilerOptions": {,}}', "tsconfig.json", explicit=False) is None
    assert load_bytes(b"", "empty.yaml", explicit=False) is None


def test_folder_walk_reports_broken_files_of_our_kinds() -> None:
    broken = b'{"bomFormat": "CycloneDX", "specVersion": "1.5",,}'
    finding = load_bytes(broken, "sbom.json", explicit=False)
    assert isinstance(finding, Finding)
    assert finding.rule == rules.PARSE_ERROR


def test_invalid_utf8_names_the_line() -> None:
    content = b'apiVersion: procgate/v1\nkind: PurchaseRequest\nid: "caf\xe9"\n'
    finding = load_bytes(content, "pr.yaml")
    assert isinstance(finding, Finding)
    assert (finding.rule, finding.position.line) == (rules.PARSE_ERROR, 3)
    assert "UTF-8" in finding.message


def test_every_bad_file_passes_through_load_bytes_too() -> None:
    for name, rule, _, _ in CASES:
        result = load_bytes((BAD / name).read_bytes(), name)
        assert isinstance(result, Finding) and result.rule == rule, name
