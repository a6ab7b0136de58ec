"""Issue 10, items 4 and 5 for YAML, tag-value and the config: duplicates, nesting and size
limits, `!!binary`, lone surrogates. Each is a finding with a line, never an exception."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from procgate import rules
from procgate.config import read_config
from procgate.errors import ConfigError
from procgate.load import load_bytes
from procgate.model import Document, Finding

REQUEST = """apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-2026-0901
date: '2026-11-10'
requester: {name: Sam Ortega}
vendor: {name: Softline Solutions Inc.}
items:
  - description: Anti-virus
    quantity: 1
    manufacturer: {name: NAME}
"""

SPDX = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: firmware
DocumentNamespace: https://example.org/spdx/firmware
Creator: Tool: hand
Created: 2026-01-01T00:00:00Z

PackageName: av-engine
SPDXID: SPDXRef-av
PackageDownloadLocation: NOASSERTION
PackageSupplier: Organization: Axis Communications AB
PackageSupplier: Organization: Kaspersky Lab
"""


def finding(content: str | bytes, name: str) -> Finding:
    got = load_bytes(content.encode() if isinstance(content, str) else content, name)
    assert isinstance(got, Finding), got
    return got


def test_yaml_duplicate_keys_are_a_finding_at_the_second() -> None:
    text = REQUEST.replace("NAME}", "Hangzhou Hikvision, name: Axis Communications AB}")
    got = finding(text, "pr.yaml")
    assert got.rule == rules.PARSE_ERROR and "duplicate key 'name'" in got.message
    assert (got.position.line, got.position.column) == (10, text.splitlines()[9].rindex("name") + 1)


def test_repeated_package_supplier_in_tag_value_is_a_finding_at_the_second() -> None:
    got = finding(SPDX, "fw.spdx")
    assert got.rule == rules.PARSE_ERROR
    assert "PackageSupplier" in got.message and "line 12" in got.message
    assert got.position.line == 13


def test_tag_value_repeatable_tags_may_repeat() -> None:
    text = SPDX.replace(
        "PackageSupplier: Organization: Kaspersky Lab\n",
        "PackageChecksum: SHA1: 85ed0817af83a24ad8da68c2b5094de69833983c\n"
        "PackageChecksum: SHA256: 11b6d3ee554eedf79299905a98f9b9a04e498210b59f15"
        "094c916c91d150efcd\nCreator: Person: Ann\n",
    )
    assert isinstance(load_bytes(text.encode(), "fw.spdx"), Document)


def test_repeated_document_tag_in_tag_value() -> None:
    single = SPDX.replace("PackageSupplier: Organization: Kaspersky Lab\n", "")
    got = finding(single + "DocumentName: other\n", "fw.spdx")
    assert "DocumentName" in got.message and got.position.line == 13


def test_yaml_binary_scalar_is_read_as_the_text_it_encodes() -> None:
    # Decided: a `!!binary` that holds UTF-8 text is that text, so the name is matched like
    # any other (and the schema sees a string); binary that is not text is a finding.
    encoded = base64.b64encode(b"Kaspersky Lab").decode()
    doc = load_bytes(REQUEST.replace("NAME", f"!!binary {encoded}").encode(), "pr.yaml")
    assert isinstance(doc, Document)
    assert doc.data["items"][0]["manufacturer"]["name"] == "Kaspersky Lab"
    raw = base64.b64encode(b"\xff\xfe\x00binary").decode()
    got = finding(REQUEST.replace("NAME", f"!!binary {raw}"), "pr.yaml")
    assert got.rule == rules.PARSE_ERROR and "binary" in got.message
    assert got.position.line == 10


@pytest.mark.parametrize("depth", [125, 300, 2000, 100_000])
def test_deeply_nested_yaml_request_is_a_limit_finding_with_a_line(depth: int) -> None:
    text = REQUEST.replace("NAME", "x") + "justification: " + "[" * depth + "]" * depth + "\n"
    got = finding(text, "pr.yaml")
    assert got.rule == rules.PARSE_LIMIT and got.position.line == 11


def test_deeply_nested_json_request_is_a_limit_finding_with_a_line() -> None:
    # The case: nested 125 levels, which reached the Rego engine and failed there
    # with "bad input: recursion limit exceeded at line 1 column 333".
    nested: object = "x"
    for _ in range(125):
        nested = [nested]
    data = {
        "apiVersion": "procgate/v1",
        "kind": "PurchaseRequest",
        "id": "PR-1",
        "date": "2026-11-10",
        "requester": {"name": "x"},
        "vendor": {"name": "y"},
        "items": [{"description": "d", "quantity": 1, "manufacturer": {"name": "Kaspersky Lab"}}],
        "justification": nested,
    }
    text = json.dumps(data, indent=1)
    got = finding(text, "pr.json")
    assert got.rule == rules.PARSE_LIMIT and "nested" in got.message
    assert got.position.line > 20  # at the nesting, not at the top


def test_lone_surrogate_in_a_json_name_is_a_finding_with_a_line() -> None:
    data = json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "components": [
                {"type": "library", "name": "av", "supplier": {"name": "Kaspersky \ud800 Lab"}}
            ],
        },
        indent=1,
    )
    assert "\\ud800" in data
    got = finding(data, "bom.json")
    assert got.rule == rules.PARSE_ERROR and "invalid JSON" in got.message
    assert got.position.line == 10  # "name": "Kaspersky \ud800 Lab"


def test_config_duplicate_key_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "procgate.yaml"
    config.write_text("audience: us-federal\nfail-on: deny\naudience: us-person\n")
    with pytest.raises(ConfigError) as raised:
        read_config(config)
    assert f"{config}:3" in raised.value.message and "audience" in raised.value.message


def test_config_that_is_a_fifo_is_an_error(tmp_path: Path) -> None:
    import os

    config = tmp_path / "procgate.yaml"
    os.mkfifo(config)
    with pytest.raises(ConfigError) as raised:
        read_config(config)
    assert "FIFO" in raised.value.message
