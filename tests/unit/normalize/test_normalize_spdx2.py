"""SPDX 2.x → subjects: actors, external references, real corpus files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from normalize_helpers import resolve

from procgate.model import Document, Kind, Subject
from procgate.normalize import normalize_spdx2, subjects

Corpus = Callable[[str], Document]


def rows(subs: list[Subject]) -> list[tuple[str, str, str, str]]:
    return [(s.role, s.value, s.pointer, s.party) for s in subs]


def spdx(*packages: dict[str, Any], **top: Any) -> Document:
    return Document(
        "x.spdx.json",
        Kind.SPDX2,
        {"spdxVersion": "SPDX-2.3", "packages": list(packages), **top},
        "json",
    )


def test_spec_full_example(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx-json/spdx-spec-full-example_spdx2.3.json"))
    glibc = [s for s in subs if s.owner.pointer == "/packages/0"]
    assert rows(glibc) == [
        ("supplier", "Jane Doe <jane.doe@example.com>", "/packages/0/supplier", "unknown"),
        ("originator", "ExampleCodeInspect", "/packages/0/originator", "organization"),
        ("domain", "example.com", "/packages/0/originator", "identifier"),
        (
            "cpe-vendor",
            "pivotal_software",
            "/packages/0/externalRefs/0/referenceLocator",
            "identifier",
        ),
        ("product-name", "glibc", "/packages/0/name", "unknown"),
    ]
    owner = glibc[0].owner
    assert (owner.label, owner.category, owner.name) == (
        "package glibc@2.11.1",
        "software",
        "glibc",
    )
    [jena] = [s for s in subs if s.role == "purl-namespace"]
    assert jena.value == "maven/org.apache.jena"
    assert jena.owner.purl == "pkg:maven/org.apache.jena/apache-jena@3.12.0"
    # creationInfo.creators wrote the SBOM: read with their own owner (a review in Rego);
    # "Tool: LicenseFind-1.0" is not read.
    assert [
        (s.role, s.value, s.pointer, s.party, s.owner.category)
        for s in subs
        if s.pointer.startswith("/creationInfo")
    ] == [
        ("author", "ExampleCodeInspect", "/creationInfo/creators/1", "organization", "sbom-author"),
        ("author", "Jane Doe", "/creationInfo/creators/2", "unknown", "sbom-author"),
    ]


def test_utf16_file_reads_like_the_utf8_one(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx-json/ODD_utf16le-full-example_spdx2.2.json"))
    assert ("originator", "ExampleCodeInspect", "organization") in {
        (s.role, s.value, s.party) for s in subs
    }
    assert ("cpe-vendor", "pivotal_software") in {(s.role, s.value) for s in subs}
    # PACKAGE_MANAGER (the 2.2 underscore spelling) purls are read too
    assert [s.value for s in subs if s.role == "purl-namespace"] == ["maven/org.apache.jena"]


def test_unprefixed_and_empty_originators(corpus: Corpus) -> None:
    doc = corpus("spdx-json/apko-alpine-images_apko_spdx2.2.json")
    subs = subjects(doc)
    originators = [s for s in subs if s.role == "originator"]
    assert len(originators) == 21  # 23 packages, 2 with an empty originator
    assert {s.party for s in originators} == {"unknown"}
    assert "Natanael Copa <ncopa@alpinelinux.org>" in {s.value for s in originators}
    assert not [s for s in subs if s.role == "domain"]  # unknown parties give no domain
    for s in originators:
        assert resolve(doc.data, s.pointer) == s.value


def test_person_with_angle_bracket_email_and_cpes(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx-json/flink-image_syft-0.57.0_spdx2.2.json"))
    roles = Counter((s.role, s.party) for s in subs)
    assert roles[("originator", "unknown")] == 145
    assert "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>" in {
        s.value for s in subs if s.role == "originator"
    }
    assert roles[("cpe-vendor", "identifier")] == 1960
    assert roles[("purl-namespace", "identifier")] == 211


def test_noassertion_suppliers_are_skipped(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx-json/sbom-tool-self_microsoft-sbom-tool_spdx2.2.json"))
    suppliers = [s for s in subs if s.role == "supplier"]
    assert len(suppliers) == 12
    assert {(s.value, s.party) for s in suppliers} == {("Microsoft", "organization")}


def test_actor_forms() -> None:
    doc = spdx(
        {
            "name": "a",
            "supplier": "Organization: Hikvision (sales@hikvision.com)",
            "originator": "Person: Dahua Lin (dlin@kaspersky.com)",
        },
        {"name": "b", "supplier": "NOASSERTION", "originator": "Tool: scanner-1.0"},
        {"name": "c", "supplier": "Huawei Technologies Co., Ltd.", "originator": ""},
    )
    assert rows(subjects(doc)) == [
        ("supplier", "Hikvision", "/packages/0/supplier", "organization"),
        ("domain", "hikvision.com", "/packages/0/supplier", "identifier"),
        # a person: party unknown, the e-mail kept in the value; the matcher reviews an
        # address at a listed domain (score 0.8) and never matches "Dahua Lin" to Dahua
        ("originator", "Dahua Lin <dlin@kaspersky.com>", "/packages/0/originator", "unknown"),
        ("product-name", "a", "/packages/0/name", "unknown"),
        ("product-name", "b", "/packages/1/name", "unknown"),
        ("supplier", "Huawei Technologies Co., Ltd.", "/packages/2/supplier", "unknown"),
        ("product-name", "c", "/packages/2/name", "unknown"),
    ]


def test_external_ref_spellings_and_purpose() -> None:
    doc = spdx(
        {
            "name": "fw",
            "primaryPackagePurpose": "FIRMWARE",
            "externalRefs": [
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe22Type",
                    "referenceLocator": "cpe:/o:huawei:hg532_firmware",
                },
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe23Type",
                    "referenceLocator": "cpe:2.3:h:zte:f460:-:*:*:*:*:*:*:*",
                },
                {
                    "referenceCategory": "PACKAGE_MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:maven/com.huaweicloud.sdk/huaweicloud-sdk-core@3.1.0",
                },
                {
                    "referenceCategory": "package-manager",
                    "referenceType": "PURL",
                    "referenceLocator": "pkg:npm/%40kaspersky/hexa-ui@1.0.0",
                },
                {
                    "referenceCategory": "OTHER",
                    "referenceType": "http://example/LocationRef",
                    "referenceLocator": "cpe:2.3:a:dahuasecurity:x:1:*:*:*:*:*:*:*",
                },
                {
                    "referenceCategory": "PERSISTENT-ID",
                    "referenceType": "swid",
                    "referenceLocator": "swid:2df9de35-0aff-4a86-ace6-f7dddd1ade4c",
                },
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe23Type",
                    "referenceLocator": "cpe:2.3:a:*:any:*:*:*:*:*:*:*:*",
                },
                {"referenceType": "purl"},
                "junk",
            ],
        }
    )
    subs = subjects(doc)
    assert [(s.role, s.value) for s in subs] == [
        ("cpe-vendor", "huawei"),
        ("cpe-vendor", "zte"),
        ("purl-namespace", "maven/com.huaweicloud.sdk"),
        ("purl-namespace", "npm/@kaspersky"),
        ("cpe-vendor", "dahuasecurity"),
        ("product-name", "fw"),
    ]
    assert subs[0].pointer == "/packages/0/externalRefs/0/referenceLocator"
    owner = subs[0].owner
    assert owner.category == "hardware"
    assert owner.purl == "pkg:maven/com.huaweicloud.sdk/huaweicloud-sdk-core@3.1.0"


@pytest.mark.parametrize(
    ("purpose", "category"),
    [("DEVICE", "hardware"), ("OPERATING_SYSTEM", "software"), ("LIBRARY", "software"), (None, "")],
)
def test_category_from_primary_package_purpose(purpose: str | None, category: str) -> None:
    pkg: dict[str, Any] = {"name": "p"}
    if purpose:
        pkg["primaryPackagePurpose"] = purpose
    [s] = subjects(spdx(pkg))
    assert s.owner.category == category


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"packages": "x"},
        {"packages": [None, 1, {"supplier": 5, "name": None, "externalRefs": "x"}]},
        {"packages": [{"externalRefs": [{"referenceLocator": 5, "referenceType": "purl"}]}]},
    ],
)
def test_malformed_documents_do_not_raise(data: Any) -> None:
    assert normalize_spdx2(Document("bad.json", Kind.SPDX2, data, "json")) == []
