"""CycloneDX and SPDX checks beyond the corpus: typos, versions, caps, speed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from procgate import rules
from procgate.load import load_bytes
from procgate.model import Document, Severity
from procgate.validate import MAX_COUNTED, MAX_FINDINGS, validate
from procgate.validate.cyclonedx import _json_validators


def _doc(content: bytes | str, name: str) -> Document:
    doc = load_bytes(content.encode() if isinstance(content, str) else content, name)
    assert isinstance(doc, Document), doc
    return doc


def _bom(components: list[dict[str, Any]], version: str = "1.5") -> str:
    return json.dumps(
        {"bomFormat": "CycloneDX", "specVersion": version, "version": 1, "components": components},
        indent=2,
    )


def test_cyclonedx_typo_in_supplier_is_reported_with_a_suggestion() -> None:
    doc = _doc(_bom([{"type": "library", "name": "x", "suplier": {"name": "ZTE"}}]), "b.json")
    [finding] = validate(doc)
    assert finding.pointer == "/components/0/suplier"
    assert finding.message == (
        "unknown field 'suplier' in components[0] (did you mean 'supplier'?)"
    )
    assert finding.position.line == 9


def test_unknown_cyclonedx_version_is_one_finding() -> None:
    [finding] = validate(_doc(_bom([], "9.9"), "b.json"))
    assert finding.rule == rules.SCHEMA_ERROR
    assert "specVersion '9.9' has no schema" in finding.message
    assert finding.position.line == 3


@pytest.mark.parametrize(
    "version",
    ["../../../../etc/passwd", "1.5/../1.4", "x" * 5000, "1.5\x00", "1.5.SNAPSHOT.schema.json/"],
)
def test_a_spec_version_never_names_a_file(version: str) -> None:
    """specVersion is the author's text: a path, or a 5,000-character one (which the
    fuzz tests found made the schema lookup raise 'File name too long'), is an unknown
    version, not a file to open."""
    documents = [(_bom([], version), "b.json")]
    if "\x00" not in version:  # XML cannot carry a NUL
        documents.append((_xml_bom(version), "b.xml"))
    for content, name in documents:
        [finding] = validate(_doc(content, name))
        assert finding.rule == rules.SCHEMA_ERROR
        assert "has no schema procgate knows" in finding.message
        assert len(finding.message) < 200


def _xml_bom(version: str) -> str:
    from xml.sax.saxutils import quoteattr

    namespace = quoteattr(f"http://cyclonedx.org/schema/bom/{version}")
    return f'<?xml version="1.0"?>\n<bom xmlns={namespace} version="1"/>\n'


def test_findings_are_capped_per_file() -> None:
    components = [{"type": "libary", "name": f"c{i}"} for i in range(120)]
    findings = validate(_doc(_bom(components), "b.json"))
    assert len(findings) == MAX_FINDINGS + 1
    assert findings[-1].message == "… and 70 more schema errors in this file"
    assert findings[-1].severity is Severity.DENY


def _spdx3(elements: list[Any]) -> str:
    return json.dumps(
        {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": elements}
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("b.json", _bom([{"type": "libary", "name": f"c{i}"} for i in range(30_000)])),
        ("x.spdx3.json", _spdx3([{"type": "NoSuchType"}] * 30_000)),
    ],
)
def test_a_document_with_many_errors_stops_counting(name: str, content: str) -> None:
    """A hostile SBOM with 100k errors took ~50 s in the validator, all to count the
    "… and N more" line: counting stops after MAX_COUNTED errors beyond those shown."""
    findings = validate(_doc(content, name))
    assert len(findings) == MAX_FINDINGS + 1
    assert findings[-1].message == (
        f"… and more than {MAX_COUNTED} more schema errors in this file"
    )


def test_the_count_is_exact_up_to_the_cap() -> None:
    components = [{"type": "libary", "name": f"c{i}"} for i in range(MAX_FINDINGS + MAX_COUNTED)]
    findings = validate(_doc(_bom(components), "b.json"))
    assert findings[-1].message == f"… and {MAX_COUNTED} more schema errors in this file"


def test_validators_are_compiled_once() -> None:
    assert _json_validators("1.5") is _json_validators("1.5")


def test_twenty_thousand_valid_components_give_no_finding() -> None:
    """A large valid SBOM takes the fast path (formats checked in jsonschema-rs alone);
    its speed is measured by benchmarks/, not asserted here (this machine is shared)."""
    components = [
        {
            "type": "library",
            "name": f"c{i}",
            "version": "1.0",
            "purl": f"pkg:npm/c{i}@1.0",
            "supplier": {"name": f"S{i % 50}", "url": [f"https://s{i % 50}.example/{{id}}"]},
            "licenses": [{"license": {"id": "MIT"}}],
        }
        for i in range(20_000)
    ]
    assert validate(_doc(_bom(components), "big.json")) == []


def test_cyclonedx_xml_xsd_error() -> None:
    xml = """<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <components>
    <component type="libary">
      <name>x</name>
    </component>
  </components>
</bom>
"""
    [finding] = validate(_doc(xml, "b.xml"))
    assert finding.position.line == 4
    assert "libary" in finding.message
    assert "{http" not in finding.message


def test_spdx_tag_value_typo_is_an_unknown_field() -> None:
    tv = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: x
DocumentNamespace: https://example.com/x
Creator: Tool: hand
Created: 2024-01-01T00:00:00Z

PackageName: router-fw
SPDXID: SPDXRef-fw
PackageDownloadLocation: NOASSERTION
PackageSuplier: Organization: Huawei
"""
    [finding] = validate(_doc(tv, "x.spdx"))
    assert finding.pointer == "/packages/0/PackageSuplier"
    assert finding.position.line == 12
    assert "unknown field 'PackageSuplier'" in finding.message


def test_spdx_json_missing_fields() -> None:
    doc = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "x",
        "dataLicense": "CC0-1.0",
        "documentNamespace": "https://example.com/x",
        "creationInfo": {"created": "2024-01-01T00:00:00.123Z", "creators": ["Tool: x"]},
        "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}],
    }
    [finding] = validate(_doc(json.dumps(doc, indent=1), "x.spdx.json"))
    assert finding.message == "packages[0]: missing required field 'downloadLocation'"
    assert finding.position.line == 14  # the package's "{"; fractional seconds are fine


def test_spdx3_structure() -> None:
    doc = {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [{"type": "CreationInfo", "specVersion": "3.0.1"}, {"name": "no type"}],
    }
    findings = validate(_doc(json.dumps(doc, indent=1), "x.json"))
    [finding] = [f for f in findings if f.pointer == "/@graph/1"]
    assert "missing required field 'type'" in finding.message
    # the CreationInfo lacks what the SPDX 3 schema requires of it
    assert "missing required field 'created'" in " ".join(f.message for f in findings)
