"""Valid corpus files give no schema findings; invalid ones give findings with lines."""

from __future__ import annotations

import pytest
from corpus_manifest import CORPUS, is_invalid, rows

from procgate import rules
from procgate.load import load
from procgate.model import Document
from procgate.validate import MAX_FINDINGS, validate

ROWS = rows()
# Invalid against the SPDX 3.0.1 JSON schema, which the corpus notes did not check: the
# @context URL ends in .json, not .jsonld; SPDX 2 words where SPDX 3 has its own
# (relationshipType HAS_CONCLUDED_LICENSE, externalIdentifierType purl); Relationship.to
# holds id strings where the schema wants a list.
SPDX3_SCHEMA_INVALID = {"spdx3-jsonld/sbom-tool-self_microsoft-sbom-tool_spdx3.0.json"}
VALID = [r for r in ROWS if not is_invalid(r) and r["file"] not in SPDX3_SCHEMA_INVALID]
INVALID = [r for r in ROWS if is_invalid(r) or r["file"] in SPDX3_SCHEMA_INVALID]


def _doc(row: dict[str, str]) -> Document:
    doc = load(CORPUS / row["file"], row["file"])
    assert isinstance(doc, Document), doc
    return doc


@pytest.mark.parametrize("row", VALID, ids=[r["file"] for r in VALID])
def test_valid_file_has_no_findings(row: dict[str, str]) -> None:
    assert validate(_doc(row)) == []


@pytest.mark.parametrize("row", INVALID, ids=[r["file"] for r in INVALID])
def test_invalid_file_has_schema_findings_with_lines(row: dict[str, str]) -> None:
    findings = validate(_doc(row))
    assert findings
    assert len(findings) <= MAX_FINDINGS + 1
    located = findings[:MAX_FINDINGS]
    assert all(f.rule == rules.SCHEMA_ERROR for f in findings)
    assert all(f.position.line > 0 and f.position.file == row["file"] for f in located)


def test_the_invalid_set_is_the_one_the_notes_describe() -> None:
    names = {r["file"].split("/")[1] for r in INVALID}
    assert names == {
        "INVALID_sbomgr_syft-0.78.0_cdx1.4.json",
        "INVALID_dependency-track-4.13.5-export_cdx1.6.json",
        "dtrack-issue2519_cyclonedx-npm-1.7.2_cdx1.5.xml",
        "flink-image_syft-0.57.0_spdx2.2.json",
        "sbomgr_syft-0.78.0_spdx2.2.json",
        "INVALID_fluentd-image_trivy_spdx2.2.json",
        "sbom-tool-self_microsoft-sbom-tool_spdx3.0.json",
    }


def test_cyclonedx_errors_match_the_notes() -> None:
    row = next(r for r in ROWS if r["file"].endswith("INVALID_sbomgr_syft-0.78.0_cdx1.4.json"))
    findings = validate(_doc(row))
    assert len(findings) == 8  # "8 schema errors" in MANIFEST notes
    first = findings[0]
    assert first.pointer == "/components/22/licenses/0/license"
    assert first.position.line == 1196
    assert "missing required field 'id'" in first.message


def test_xsd_errors_carry_their_own_lines() -> None:
    row = next(r for r in ROWS if "dtrack-issue2519" in r["file"])
    findings = validate(_doc(row))
    assert findings[0].position.line == 142
    assert "Element 'properties': This element is not expected" in findings[0].message
    assert findings[-1].message.startswith("… and 203 more")  # 253 errors in the notes


def test_spdx_findings_name_the_field() -> None:
    row = next(r for r in ROWS if r["file"].endswith("/sbomgr_syft-0.78.0_spdx2.2.json"))
    first = validate(_doc(row))[0]
    assert first.pointer == "/packages/0/licenseInfoFromFiles"
    assert first.position.line == 25
    assert "must be a list, not null" in first.message
