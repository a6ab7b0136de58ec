"""SPDX 3 JSON-LD → subjects: references resolved by spdxId, external identifiers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from normalize_helpers import resolve

from procgate.model import Document, Kind, Subject
from procgate.normalize import normalize_spdx3, subjects
from procgate.normalize.spdx3 import short_name

Corpus = Callable[[str], Document]


def rows(subs: list[Subject]) -> list[tuple[str, str, str, str]]:
    return [(s.role, s.value, s.pointer, s.party) for s in subs]


def graph(*elements: dict[str, Any]) -> Document:
    return Document(
        "x.spdx3.json",
        Kind.SPDX3,
        {
            "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
            "@graph": list(elements),
        },
        "json",
    )


def test_supplied_and_originated_by_resolve_to_names(corpus: Corpus) -> None:
    doc = corpus("spdx3-jsonld/appbomination-gradle_spdx3.0.1.json")
    subs = subjects(doc)
    [supplier] = [s for s in subs if s.role == "supplier"]
    [originator] = [s for s in subs if s.role == "originator"]
    assert (supplier.value, supplier.party) == ("ACT Project", "organization")
    assert (originator.value, originator.party) == ("Yevester", "unknown")
    # pointers name the field in the package that refers to the agent
    assert supplier.pointer.endswith("/suppliedBy")
    assert originator.pointer.endswith("/originatedBy/0")
    package = resolve(doc.data, supplier.owner.pointer)
    assert package["type"] == "software_Package"
    assert resolve(doc.data, supplier.pointer) == package["suppliedBy"]
    assert supplier.owner.label == "package App-BOM-ination@1.0"
    namespaces = {s.value for s in subs if s.role == "purl-namespace"}
    assert namespaces == {
        "maven/org.hamcrest",
        "maven/junit",
        "maven/org.apache.commons",
        "maven/org.slf4j",
    }


def test_sbom_tool_actor_syntax_in_names_and_referenced_identifiers(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx3-jsonld/sbom-tool-self_microsoft-sbom-tool_spdx3.0.json"))
    suppliers = [s for s in subs if s.role == "supplier"]
    # "Organization: Microsoft" → Microsoft; the NOASSERTION organization gives nothing
    assert {(s.value, s.party) for s in suppliers} == {("Microsoft", "organization")}
    assert len(suppliers) == 11
    [swid] = [s for s in subs if s.role == "purl-namespace"]
    assert swid.value == "swid/Microsoft/spdx.org"
    assert swid.pointer.endswith("/externalIdentifier/0")  # the reference in the package
    nuget = [s for s in subs if s.owner.purl.startswith("pkg:nuget/")]
    assert nuget  # purls found through referenced ExternalIdentifier elements


def test_ai_and_dataset_packages(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx3-jsonld/simplehtr-ai-model_spdx3.0.1.json"))
    assert {(s.role, s.value, s.party) for s in subs if s.role == "supplier"} == {
        ("supplier", "Harald Scheidl", "unknown")
    }
    names = {s.value for s in subs if s.role == "product-name"}
    assert {"word-model", "line-model", "IAMdataset", "SimpleHTR"} <= names
    # the matplotlib Organization has no name: no subject from it
    assert "" not in {s.value for s in subs}
    data = subjects(corpus("spdx3-jsonld/dataset-example01_spdx3.0.1.json"))
    assert rows([s for s in data if s.role != "product-name"]) == [
        ("supplier", "Our World in Data", "/@graph/5/suppliedBy", "organization"),
        ("originator", "Our World in Data", "/@graph/5/originatedBy/0", "organization"),
        ("author", "Arthit Suriyawongkul", "/@graph/0/createdBy/0", "unknown"),
    ]
    assert data[0].owner.category == ""  # a dataset is neither hardware nor software


def test_unprefixed_organization_name(corpus: Corpus) -> None:
    subs = subjects(corpus("spdx3-jsonld/perl-Mojolicious_suse-cavil_spdx3.0.1.json"))
    assert [(s.role, s.value, s.party) for s in subs if s.owner.category != "sbom-author"] == [
        ("originator", "devel:languages:perl", "organization"),
        ("product-name", "perl-Mojolicious", "unknown"),
    ]
    # the document's creator (SUSE LLC) wrote the SBOM: an author, a review at most
    assert [(s.role, s.value, s.party) for s in subs if s.owner.category == "sbom-author"] == [
        ("author", "SUSE LLC", "organization"),
        ("domain", "suse.de", "identifier"),
    ]


def test_synthetic_graph_every_form() -> None:
    doc = graph(
        {
            "type": "Organization",
            "spdxId": "urn:org:hik",
            "name": "Hikvision",
            "externalIdentifier": [
                {
                    "type": "ExternalIdentifier",
                    "externalIdentifierType": "email",
                    "identifier": "sales@hikvision.com",
                }
            ],
        },
        {"type": "Person", "spdxId": "urn:person:1", "name": "Dahua Lin"},
        {"type": "Tool", "spdxId": "urn:tool:1", "name": "scanner"},
        {
            "type": "ExternalIdentifier",
            "spdxId": "urn:ext:1",
            "externalIdentifierType": "cpe23",
            "identifier": r"cpe:2.3:h:zte:f460\:x:*:*:*:*:*:*:*",
        },
        {
            "type": "software_Package",
            "spdxId": "urn:pkg:1",
            "name": "cam-fw",
            "software_packageVersion": "5.0",
            "software_primaryPurpose": "firmware",
            "suppliedBy": "urn:org:hik",
            "originatedBy": ["urn:person:1", "urn:tool:1", "urn:missing"],
            "software_packageUrl": "pkg:github/hikvision/sdk@5.0",
            "externalIdentifier": [
                {
                    "type": "ExternalIdentifier",
                    "externalIdentifierType": "cpe22",
                    "identifier": "cpe:/o:hikvision:ds-2cd_firmware:5.0",
                },
                "urn:ext:1",
                {
                    "type": "ExternalIdentifier",
                    "externalIdentifierType": "packageUrl",
                    "identifier": "pkg:maven/com.hikvision.sdk/core@5",
                },
                {
                    "type": "ExternalIdentifier",
                    "externalIdentifierType": "email",
                    "identifier": "x@y.z",
                },
            ],
        },
        # un-prefixed and full-IRI type names, an inline supplier, a single identifier
        {
            "type": "Package",
            "spdxId": "urn:pkg:2",
            "name": "app",
            "suppliedBy": {"type": "Organization", "name": "Organization: Kaspersky Lab"},
            "externalIdentifier": {
                "externalIdentifierType": "purl",
                "identifier": "pkg:npm/%40kaspersky/hexa-ui@1",
            },
        },
        {
            "@type": "https://spdx.org/rdf/3.0.1/terms/AI/AIPackage",
            "@id": "urn:pkg:3",
            "name": "model",
            "suppliedBy": "urn:person:1",
        },
        {
            "type": "software_File",
            "spdxId": "urn:file:1",
            "name": "not-a-package",
            "suppliedBy": "urn:org:hik",
        },
    )
    subs = subjects(doc)
    assert rows(subs) == [
        ("supplier", "Hikvision", "/@graph/4/suppliedBy", "organization"),
        ("domain", "hikvision.com", "/@graph/4/suppliedBy", "identifier"),
        ("originator", "Dahua Lin", "/@graph/4/originatedBy/0", "unknown"),
        ("purl-namespace", "github/hikvision", "/@graph/4/software_packageUrl", "identifier"),
        ("cpe-vendor", "hikvision", "/@graph/4/externalIdentifier/0/identifier", "identifier"),
        ("cpe-vendor", "zte", "/@graph/4/externalIdentifier/1", "identifier"),
        (
            "purl-namespace",
            "maven/com.hikvision.sdk",
            "/@graph/4/externalIdentifier/2/identifier",
            "identifier",
        ),
        ("product-name", "cam-fw", "/@graph/4/name", "unknown"),
        ("supplier", "Kaspersky Lab", "/@graph/5/suppliedBy", "organization"),
        (
            "purl-namespace",
            "npm/@kaspersky",
            "/@graph/5/externalIdentifier/identifier",
            "identifier",
        ),
        ("product-name", "app", "/@graph/5/name", "unknown"),
        ("supplier", "Dahua Lin", "/@graph/6/suppliedBy", "unknown"),
        ("product-name", "model", "/@graph/6/name", "unknown"),
    ]
    fw = subs[0].owner
    assert (fw.pointer, fw.label, fw.category, fw.purl) == (
        "/@graph/4",
        "package cam-fw@5.0",
        "hardware",
        "pkg:github/hikvision/sdk@5.0",
    )
    assert subs[8].owner.purl == "pkg:npm/%40kaspersky/hexa-ui@1"
    for s in subs:
        assert resolve(doc.data, s.pointer) is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("software_Package", "Package"),
        ("ai_AIPackage", "AIPackage"),
        ("dataset_DatasetPackage", "DatasetPackage"),
        ("Package", "Package"),
        ("https://spdx.org/rdf/3.0.1/terms/Software/Package", "Package"),
        ("spdx:Core/Organization", "Organization"),
        (["software_Package"], "Package"),
        ("cpe23", "cpe23"),
        (None, ""),
    ],
)
def test_short_name(value: Any, expected: str) -> None:
    assert short_name(value) == expected


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"@graph": "x"},
        {
            "@graph": [
                None,
                1,
                {"type": 5},
                {
                    "type": "software_Package",
                    "suppliedBy": 5,
                    "originatedBy": [None, {}],
                    "name": ["x"],
                    "externalIdentifier": [5, {"identifier": 3}],
                },
            ]
        },
    ],
)
def test_malformed_documents_do_not_raise(data: Any) -> None:
    assert normalize_spdx3(Document("bad.json", Kind.SPDX3, data, "json")) == []
