"""baseline: finding keys that survive moves, reformatting and version bumps."""

from __future__ import annotations

from dataclasses import replace

from procgate.diff.baseline import (
    document_identity,
    finding_key,
    finding_location,
    identity,
    location_key,
    new_findings,
)
from procgate.model import Document, Finding, Kind, Position, Severity

BOM = {
    "bomFormat": "CycloneDX",
    "serialNumber": "urn:uuid:1",
    "components": [
        {"name": "busybox", "purl": "pkg:generic/busybox@1.36.1?arch=arm#x"},
        {
            "name": "modem",
            "group": "huawei",
            "version": "11.6",
            "bom-ref": "m1",
            "supplier": {"name": "Huawei Technologies Co., Ltd."},
            "components": [{"name": "baseband", "version": "2"}],
        },
    ],
}


def doc(data: object, path: str = "sbom.json", kind: Kind = Kind.CYCLONEDX) -> Document:
    return Document(path, kind, data, "json")


def finding(
    pointer: str,
    entity: str | None = "huawei",
    file: str = "sbom.json",
    rule: str = "bans.banned-vendor",
    line: int = 3,
    data: object = BOM,
) -> Finding:
    """A finding located in `data` as the pipeline locates it."""
    found = Finding(rule, Severity.DENY, "m", Position(file, line, 1), pointer, entity)
    return replace(found, location=finding_location(found, doc(data, file)))


def test_identity_prefers_purl_without_version_then_name() -> None:
    assert identity(BOM["components"][0]) == "purl:pkg:generic/busybox"
    assert identity(BOM["components"][1]) == "name:huawei/modem"
    assert identity({"sku": "LAT-1", "description": "laptop"}) == "sku:LAT-1"
    assert identity({"product": "BR500", "model": "v2"}) == "product:BR500 v2"
    assert identity({"SPDXID": "SPDXRef-1"}) == "SPDXID:SPDXRef-1"
    assert identity({"description": "Patch cables"}) == "description:Patch cables"
    assert identity({"quantity": 3}) == "" and identity("text") == ""


def test_npm_scoped_purl_keeps_its_namespace() -> None:
    assert identity({"purl": "pkg:npm/@angular/core@17.0.0"}) == "purl:pkg:npm/@angular/core"


def test_location_key_replaces_indexes_by_identities() -> None:
    key = location_key("/components/1/components/0/supplier/name", BOM)
    assert key == "/components/[name:huawei/modem]/components/[name:baseband]/supplier/name"
    assert location_key("/components/9/name", BOM) == "/components/9/name"  # out of range
    assert location_key("", BOM) == ""
    assert location_key("/a~1b/0", {"a/b": ["x"]}) == "/a~1b/[0]"


def test_key_survives_reordering_and_line_changes() -> None:
    moved = {**BOM, "components": list(reversed(BOM["components"]))}
    before = finding("/components/1/supplier/name")
    after = finding("/components/0/cpe", line=40, data=moved)
    assert before.location == after.location == "/components/[name:huawei/modem]"
    assert finding_key(before, "sbom.json") == finding_key(after, "sbom.json")


def test_schema_findings_key_on_their_field() -> None:
    a = finding("/components/1/version", entity=None, rule="schema.invalid")
    b = finding("/components/1/name", entity=None, rule="schema.invalid")
    assert a.location == "/components/[name:huawei/modem]/version"
    assert finding_key(a, "sbom.json") != finding_key(b, "sbom.json")


def test_new_findings_are_a_multiset_difference_across_a_rename() -> None:
    base = [finding("/components/1/supplier/name", file="old.json")]
    head = [
        finding("/components/1/supplier/name", file="new.json"),
        finding("/components/1/supplier/name", file="new.json"),
    ]
    new, old = new_findings(head, base, {"new.json": "old.json"})
    assert (len(new), old) == (1, 1)
    # Without the rename map the file is another file: both findings are new.
    new, old = new_findings(head, base, {})
    assert (len(new), old) == (2, 0)


def test_document_identity() -> None:
    assert document_identity(doc(BOM)) == "cyclonedx:serialNumber:urn:uuid:1"
    request = doc({"id": "PR-1"}, "r.yaml", Kind.PURCHASE_REQUEST)
    assert document_identity(request) == "purchase-request:id:PR-1"
    assert document_identity(doc([])) == ""


def test_a_finding_about_the_whole_document_keeps_its_key_when_the_evidence_moves() -> None:
    """A request's vendor named by name on BASE and by UEI now: the same finding."""
    request = {"vendor": {"name": "Huawei Technologies Co., Ltd.", "uei": "ABCDEFGHJKLM"}}
    by_name = finding("/vendor/name", data=request)
    by_uei = finding("/vendor/uei", line=9, data=request)
    assert by_name.location == by_uei.location == ""  # the document itself
    assert finding_key(by_name, "r.yaml") == finding_key(by_uei, "r.yaml")
    unlocated = Finding("parse.error", Severity.DENY, "m", Position("r.yaml", 1, 1), "/x")
    assert finding_key(unlocated, "r.yaml")[3] == "/x"  # not set by the pipeline: pointer
