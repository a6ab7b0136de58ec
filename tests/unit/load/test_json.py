"""JSON read as YAML already is: a repeated key or runaway nesting is a finding with its line,
and positions are exact for any number of look-ups (checked against the YAML locator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from procgate import rules
from procgate.load import load_bytes, yamlfile
from procgate.model import Document, Finding, Severity

# Issue 10: the last duplicate key silently won, so Hikvision was never seen.
REQUEST = b"""{
  "apiVersion": "procgate/v1",
  "kind": "PurchaseRequest",
  "id": "PR-2026-0300",
  "title": "Lobby cameras",
  "date": "2026-11-02",
  "requester": {"name": "Jordan Lee", "email": "jordan.lee@example.gov", "department": "Ops"},
  "vendor": {"name": "Summit IT Supply LLC", "country": "US"},
  "items": [
    {
      "description": "IP camera",
      "quantity": 4,
      "category": "hardware",
      "manufacturer": {"name": "Hangzhou Hikvision Digital Technology Co., Ltd.", "name": "Axis Communications AB"},
      "product": "P3265-LVE"
    }
  ],
  "use": ["general"]
}
"""  # noqa: E501

CYCLONEDX_SECOND_COMPONENTS = b"""{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "version": 1,
  "components": [
    {"type": "application", "name": "kes", "supplier": {"name": "AO Kaspersky Lab"}}
  ],
  "components": []
}
"""

SPDX_SECOND_PACKAGES = b"""{
  "spdxVersion": "SPDX-2.3",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "firmware",
  "documentNamespace": "https://example.org/spdx/firmware",
  "creationInfo": {"created": "2026-11-01T00:00:00Z", "creators": ["Tool: x"]},
  "packages": [
    {"SPDXID": "SPDXRef-P", "name": "fw", "downloadLocation": "NOASSERTION",
     "supplier": "Organization: Huawei Technologies Co., Ltd."}
  ],
  "packages": []
}
"""


def _finding(content: bytes, name: str = "x.json") -> Finding:
    result = load_bytes(content, name)
    assert isinstance(result, Finding), result
    assert result.severity is Severity.DENY
    return result


@pytest.mark.parametrize(
    ("content", "key", "line", "column", "first"),
    [
        (REQUEST, "name", 14, 83, 14),
        (CYCLONEDX_SECOND_COMPONENTS, "components", 8, 3, 5),
        (SPDX_SECOND_PACKAGES, "packages", 12, 3, 8),
        # the same key spelled with an escape is the same key
        (b'{"apiVersion": "procgate/v1",\n "\\u0061piVersion": "x"}', "apiVersion", 2, 2, 1),
        # nested: the repeat is in the inner object only
        (b'{"a": {"b": 1},\n "c": {"b": 2, "d": [{"b": 3}],\n "b": 4}}', "b", 3, 2, 2),
    ],
    ids=["request-manufacturer-name", "cyclonedx-components", "spdx-packages", "escaped", "nested"],
)
def test_duplicate_key_is_a_finding_at_the_second_key(
    content: bytes, key: str, line: int, column: int, first: int
) -> None:
    finding = _finding(content)
    assert finding.rule == rules.PARSE_ERROR
    assert (finding.position.line, finding.position.column) == (line, column)
    # the YAML loader's wording
    assert (
        f"duplicate key {key!r} (first at line {first}): only one of them would count"
        == finding.message
    )


def test_yaml_and_json_word_a_duplicate_key_alike() -> None:
    as_yaml = _finding(b"apiVersion: procgate/v1\nkind: PurchaseRequest\nkind: Other\n", "x.yaml")
    as_json = _finding(
        b'{"apiVersion": "procgate/v1",\n"kind": "PurchaseRequest",\n"kind": "Other"}'
    )
    assert (as_yaml.rule, as_yaml.message, as_yaml.position.line) == (
        as_json.rule,
        as_json.message,
        as_json.position.line,
    )


@pytest.mark.parametrize("depth", [300, 1000, 100_000])
def test_deep_nesting_is_a_limit_finding_with_a_line(depth: int) -> None:
    deep = (
        '{"apiVersion": "procgate/v1", "kind": "PurchaseRequest",\n"x": '
        + '{"n": ' * depth
        + "1"
        + "}" * depth
        + "}"
    )
    finding = _finding(deep.encode())
    assert finding.rule == rules.PARSE_LIMIT
    assert finding.position.line == 2
    assert "nested more than 201 levels" in finding.message


def test_nesting_within_the_limit_loads() -> None:
    deep = '{"bomFormat": "CycloneDX", "x": ' + "[" * 150 + "]" * 150 + "}"
    assert isinstance(load_bytes(deep.encode(), "x.json"), Document)


@pytest.mark.parametrize("escape", [b"\\ud800", b"\\udc00", b"\\ud800\\u0041"])
def test_half_a_surrogate_pair_is_a_finding(escape: bytes) -> None:
    content = b'{"bomFormat": "CycloneDX",\n"components": [{"name": "Kasper' + escape + b'sky"}]}'
    finding = _finding(content)
    assert finding.rule == rules.PARSE_ERROR
    assert finding.position.line == 2
    assert "surrogate" in finding.message or "escape" in finding.message


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b'{"bomFormat": "CycloneDX",\n "x": NaN}', 2, "NaN is not valid JSON"),
        (b'{"bomFormat": "CycloneDX",\n "x": [1,]}', 2, "invalid JSON"),
        (b'{"bomFormat": "CycloneDX"} trailing', 1, "Extra data"),
        (b'{"bomFormat": "CycloneDX",\n "x": "\xff"}', 2, "not valid UTF-8"),
    ],
)
def test_malformed_json_is_a_finding_with_its_line(content: bytes, line: int, words: str) -> None:
    finding = _finding(content)
    assert finding.rule == rules.PARSE_ERROR
    assert finding.position.line == line
    assert words in finding.message


def test_big_integers_and_utf16_still_load() -> None:
    content = '{"bomFormat": "CycloneDX", "version": 123456789012345678901234567890}'
    for raw in (content.encode(), content.encode("utf-16"), b"\xef\xbb\xbf" + content.encode()):
        doc = load_bytes(raw, "bom.json")
        assert isinstance(doc, Document)
        assert doc.data["version"] == 123456789012345678901234567890


def _all_pointers(data: object, prefix: str = "") -> list[str]:
    found = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            token = k.replace("~", "~0").replace("/", "~1")
            found += _all_pointers(v, f"{prefix}/{token}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _all_pointers(v, f"{prefix}/{i}")
    return found


def _repeated_values_bom() -> str:
    """Equal strings everywhere (as a banned vendor's own SBOM has), keys that need
    escaping, non-ASCII text before values on the same line, every kind of value."""
    components = []
    for i in range(40):
        components.append(
            {
                "type": "library",
                "name": "AO Kaspersky Lab" if i % 3 else f"lib-{i}",
                "supplier": {"name": "AO Kaspersky Lab", "url": ["https://kaspersky.com"] * 2},
                "description": 'Ünïcödé “quoted” "escaped" AO Kaspersky Lab',
                "a/b~c": [i, 1.5, True, None, {}, [], "AO Kaspersky Lab"],
                "authors": [{"name": "AO Kaspersky Lab"}, {"name": "AO Kaspersky Lab"}],
            }
        )
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components}
    # Mixed layouts: indented, compact, and several members on one line.
    return json.dumps(bom, indent=2, ensure_ascii=False).replace(
        '"type": "library",\n      "name"', '"type": "library", "name"'
    )


@pytest.mark.parametrize("order", ["document", "reversed"])
def test_every_position_agrees_with_the_yaml_locator(order: str) -> None:
    """JSON is YAML: libyaml's marks are an independent answer for every pointer."""
    text = _repeated_values_bom()
    doc = load_bytes(text.encode(), "bom.json")
    assert isinstance(doc, Document) and doc.locator is not None
    expected = yamlfile.YamlLocator(yaml.compose(text, Loader=yaml.SafeLoader))
    pointers = _all_pointers(doc.data)
    assert len(pointers) > 800
    if order == "reversed":
        pointers.reverse()
    for pointer in pointers:
        assert doc.locator(pointer) == expected(pointer), pointer


def test_a_pointer_outside_the_document_gives_its_nearest_parent() -> None:
    text = _repeated_values_bom()
    doc = load_bytes(text.encode(), "bom.json")
    assert isinstance(doc, Document) and doc.locator is not None
    assert doc.locator("/components/99/name") == doc.locator("/components")
    assert doc.locator("/components/1/nope/0") == doc.locator("/components/1")
    assert doc.locator("/components/1/name/0") == doc.locator("/components/1/name")


def test_the_example_purchase_requests_in_json(tmp_path: Path) -> None:
    """A request converted to JSON keeps the YAML file's structure; its positions are
    the JSON file's own lines."""
    root = Path(__file__).resolve().parents[3]
    data = yaml.safe_load((root / "examples/purchase-requests/cameras-lobby.yaml").read_text())
    text = json.dumps(data, indent=2, default=str)
    doc = load_bytes(text.encode(), "pr.json")
    assert isinstance(doc, Document) and doc.locator is not None
    expected = yamlfile.YamlLocator(yaml.compose(text, Loader=yaml.SafeLoader))
    for pointer in _all_pointers(doc.data):
        assert doc.locator(pointer) == expected(pointer), pointer
