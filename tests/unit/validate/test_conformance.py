"""procgate's validation agrees with the CycloneDX specification's own test suite.

Every `valid-*` file must load as a CycloneDX document with no finding at all, every
`invalid-*` file must give at least one blocking finding. Data and provenance:
tests/data/conformance/README.md.
"""

from __future__ import annotations

import tarfile
from collections import defaultdict
from pathlib import Path

import pytest

from procgate import rules
from procgate.load import load_bytes
from procgate.model import Document, Finding, Kind, Severity
from procgate.validate import validate

SUITE = Path(__file__).resolve().parents[2] / "data" / "conformance" / "cyclonedx-spec-tests.tar.xz"

# Files whose verdict only the specification's prose can decide (a schema cannot), with
# the reason. procgate validates against the schemas, so it cannot agree on these.
PROSE_ONLY: dict[str, str] = {}


def _suite() -> dict[str, list[tuple[str, bytes]]]:
    by_version: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    with tarfile.open(SUITE, "r:xz") as tar:
        for member in tar.getmembers():
            data = tar.extractfile(member) if member.isfile() else None
            if data is not None:
                by_version[member.name.split("/", 1)[0]].append((member.name, data.read()))
    return by_version


SUITE_FILES = _suite()


def _verdict(name: str, content: bytes) -> list[Finding]:
    doc = load_bytes(content, name)
    if isinstance(doc, Document):
        assert doc.kind is Kind.CYCLONEDX, name
        return validate(doc)
    assert doc is not None, name
    return [doc]


def test_the_suite_is_complete() -> None:
    assert sorted(SUITE_FILES) == ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
    assert sum(len(files) for files in SUITE_FILES.values()) == 770


@pytest.mark.parametrize("version", sorted(SUITE_FILES))
def test_validation_agrees_with_the_cyclonedx_suite(version: str) -> None:
    disagreements = []
    for name, content in SUITE_FILES[version]:
        if name in PROSE_ONLY:
            continue
        findings = _verdict(name, content)
        expected_invalid = Path(name).name.startswith("invalid-")
        if expected_invalid != bool(findings):
            got = findings[0].message[:120] if findings else "no finding"
            disagreements.append(f"{name}: {got}")
        for finding in findings:
            assert finding.severity is Severity.DENY, (name, finding)
    assert disagreements == []


@pytest.mark.parametrize("version", ["1.4", "1.5", "1.6", "1.7"])
def test_signed_boms_are_accepted(version: str) -> None:
    """JSF signatures: `algorithm` is one of a list of names or a uri. Without format
    checking `ES256` matched both branches of that oneOf, and every signed BOM failed."""
    files = dict(SUITE_FILES[version])
    assert _verdict("s.json", files[f"{version}/valid-signatures-{version}.json"]) == []


@pytest.mark.parametrize("version", ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"])
def test_a_bad_timestamp_is_a_finding_with_its_line(version: str) -> None:
    files = dict(SUITE_FILES[version])
    [finding] = _verdict("t.json", files[f"{version}/invalid-metadata-timestamp-{version}.json"])
    assert finding.rule == rules.SCHEMA_ERROR
    assert finding.pointer == "/metadata/timestamp"
    assert "is not a valid date-time" in finding.message
    assert finding.position.line > 1


@pytest.mark.parametrize("version", ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"])
def test_a_wrong_bom_format_says_so(version: str) -> None:
    content = dict(SUITE_FILES[version])[f"{version}/invalid-bomformat-{version}.json"]
    [finding] = _verdict("b.json", content)
    assert finding.rule == rules.SCHEMA_ERROR
    assert finding.pointer == "/bomFormat"
    assert finding.message == 'bomFormat: "AnotherFormat" is not allowed; use one of: CycloneDX'
    line = content[: content.index(b'"bomFormat"')].count(b"\n") + 1
    assert (finding.position.line, finding.position.column) == (line, 3)


def test_url_templates_are_lenient_iri_references() -> None:
    """cdxgen and the Maven plugin write URL templates; the rest must still be an IRI."""
    from procgate.validate.cyclonedx import lenient_iri_reference

    assert lenient_iri_reference("https://github.com/acme/${project.artifactId}")
    assert lenient_iri_reference("http://localhost:8888/identity/api/v2/videos/{video_id}")
    assert not lenient_iri_reference("http://exa mple.com/{id}")
    assert not lenient_iri_reference("http://[bad/{id}")
