"""CycloneDX 1.2–1.7 → subjects: fixture with every vendor field, and real corpus files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from normalize_helpers import DATA, make_doc, resolve

from procgate.model import Document, Kind, Subject
from procgate.normalize import normalize_cyclonedx, subjects

Corpus = Callable[[str], Document]


def pick(subs: list[Subject], **fields: str) -> list[Subject]:
    return [s for s in subs if all(getattr(s, k) == v for k, v in fields.items())]


@pytest.fixture
def fixture_subjects() -> list[Subject]:
    return subjects(make_doc(DATA / "cdx-1.6-vendor-fields.json", Kind.CYCLONEDX))


def test_metadata_manufacturer_and_authors_are_read_as_the_sboms_author(
    fixture_subjects: list[Subject],
) -> None:
    """The maker usually writes its own BOM: read, owned by SBOM_AUTHOR (a review in Rego).
    metadata.tools (the BOM's tool and its vendor) stay unread."""
    meta = [
        (s.role, s.value, s.pointer, s.party, s.owner.category)
        for s in fixture_subjects
        if s.pointer.startswith(("/metadata/manufacturer", "/metadata/authors"))
    ]
    assert meta == [
        (
            "manufacturer",
            "BOM Maker Org",
            "/metadata/manufacturer/name",
            "organization",
            "sbom-author",
        ),
        (
            "domain",
            "bom-maker.example",
            "/metadata/manufacturer/url/0",
            "identifier",
            "sbom-author",
        ),
        ("author", "BOM Author Person", "/metadata/authors/0/name", "unknown", "sbom-author"),
    ]
    assert not [s for s in fixture_subjects if s.pointer.startswith("/metadata/tools")]
    assert {"Tool Vendor Inc.", "scanner"}.isdisjoint({s.value for s in fixture_subjects})


def test_metadata_supplier_and_component_belong_to_the_described_product(
    fixture_subjects: list[Subject],
) -> None:
    [supplier] = pick(fixture_subjects, pointer="/metadata/supplier/name")
    assert (supplier.role, supplier.value, supplier.party) == (
        "supplier",
        "Device Supplier Co.",
        "organization",
    )
    owner = supplier.owner
    assert owner.pointer == "/metadata/component"
    assert owner.label == "component NVR-8@2.0 (what the SBOM describes)"
    assert owner.category == "hardware"
    [domain] = pick(fixture_subjects, pointer="/metadata/supplier/url/0")
    assert (domain.role, domain.value, domain.owner) == ("domain", "supplier.example.com", owner)
    [maker] = pick(fixture_subjects, pointer="/metadata/component/manufacturer/name")
    assert (maker.role, maker.value, maker.owner) == (
        "manufacturer",
        "Zhejiang Dahua Technology Co., Ltd.",
        owner,
    )
    [maker_site] = pick(fixture_subjects, pointer="/metadata/component/manufacturer/url/0")
    assert maker_site.value == "www.dahuasecurity.com"


def test_component_fields_of_1_6(fixture_subjects: list[Subject]) -> None:
    fw = [s for s in fixture_subjects if s.owner.pointer == "/components/0"]
    assert [(s.role, s.value, s.pointer, s.party) for s in fw] == [
        ("supplier", "Device Supplier Co.", "/components/0/supplier/name", "organization"),
        ("domain", "supplier.example.com", "/components/0/supplier/contact/0/email", "identifier"),
        (
            "manufacturer",
            "Dahua Technology USA Inc.",
            "/components/0/manufacturer/name",
            "organization",
        ),
        # authors[] are contacts: party unknown (an evidently organizational name is
        # matched, "Dahua Lin" is not), the e-mail kept for its domain.
        ("author", "Dahua Lin <dlin@uni.example.edu>", "/components/0/authors/0/name", "unknown"),
        ("author", "<only-an-email@example.org>", "/components/0/authors/1/email", "unknown"),
        ("cpe-vendor", "dahuasecurity", "/components/0/cpe", "identifier"),
        ("product-name", "nvr-firmware", "/components/0/name", "unknown"),
    ]
    owner = fw[0].owner
    assert (owner.label, owner.category, owner.name) == (
        "component nvr-firmware@4.1",
        "hardware",
        "nvr-firmware",
    )


def test_nested_components_group_publisher_purl(fixture_subjects: list[Subject]) -> None:
    nested = [s for s in fixture_subjects if s.owner.pointer == "/components/0/components/0"]
    assert [(s.role, s.value, s.party) for s in nested] == [
        ("publisher", "AO Kaspersky Lab", "unknown"),
        ("group", "@kaspersky", "identifier"),
        ("purl-namespace", "npm/@kaspersky", "identifier"),
        ("product-name", "hexa-ui", "unknown"),
    ]
    assert nested[0].owner.purl == "pkg:npm/%40kaspersky/hexa-ui@1.0.0"
    assert nested[0].owner.category == "software"


def test_file_components_keep_supplier_but_not_their_name(fixture_subjects: list[Subject]) -> None:
    deep = [
        s for s in fixture_subjects if s.owner.pointer == "/components/0/components/0/components/0"
    ]
    assert [(s.role, s.value) for s in deep] == [("supplier", "File Supplier Ltd")]
    assert deep[0].owner.category == "software"


def test_author_string_pedigree_ancestors_and_no_swid(fixture_subjects: list[Subject]) -> None:
    [author] = pick(fixture_subjects, pointer="/components/1/author")
    assert (author.role, author.value, author.party) == (
        "author",
        "Sebastien Martini <seb@dbzteam.org>",
        "unknown",
    )
    ancestor = [
        s for s in fixture_subjects if s.owner.pointer == "/components/1/pedigree/ancestors/0"
    ]
    assert [(s.role, s.value) for s in ancestor] == [
        ("publisher", "Kaspersky Lab"),
        ("cpe-vendor", "kaspersky"),
        ("product-name", "kis"),
    ]
    assert ancestor[0].owner.label == (
        "component kis@18.0.0.405 (ancestor of component orange-security-suite@18.0)"
    )
    pointers = {s.pointer for s in fixture_subjects}
    assert not [p for p in pointers if "/swid" in p or "/variants" in p]
    # pkg:generic/orange-security-suite has no namespace
    assert not pick(fixture_subjects, pointer="/components/1/purl")


def test_services_provider_is_a_supplier(fixture_subjects: list[Subject]) -> None:
    service = [s for s in fixture_subjects if s.owner.pointer.startswith("/services")]
    assert [(s.role, s.value, s.pointer) for s in service] == [
        ("supplier", "Huawei Cloud", "/services/0/provider/name"),
        ("domain", "www.huaweicloud.com", "/services/0/provider/url/0"),
        ("group", "com.huaweicloud", "/services/0/group"),
        ("product-name", "push-gateway", "/services/0/name"),
        ("supplier", "Huawei Cloud", "/services/0/services/0/provider/name"),
        ("product-name", "push-worker", "/services/0/services/0/name"),
    ]
    assert {s.owner.category for s in service} == {"service"}
    assert service[0].owner.label == "service push-gateway@3"


def test_fixture_pointers_resolve(fixture_subjects: list[Subject]) -> None:
    data = make_doc(DATA / "cdx-1.6-vendor-fields.json", Kind.CYCLONEDX).data
    for s in fixture_subjects:
        assert isinstance(resolve(data, s.pointer), str)
        assert isinstance(resolve(data, s.owner.pointer), dict)


# --- real SBOMs, one or more per spec version ------------------------------------


def test_1_2_publisher_group_purl(corpus: Corpus) -> None:
    subs = subjects(corpus("cyclonedx-json/keycloak-10.0.2_cyclonedx-maven-plugin_cdx1.2.json"))
    roles = Counter(s.role for s in subs)
    assert roles["publisher"] == 756
    assert roles["group"] == roles["purl-namespace"] == roles["product-name"] == 904
    first = [s for s in subs if s.owner.pointer == "/components/0"]
    assert [(s.role, s.value) for s in first] == [
        ("group", "org.bouncycastle"),
        ("purl-namespace", "maven/org.bouncycastle"),
        ("product-name", "bcprov-jdk15on"),
    ]
    assert first[0].owner.purl == "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.62?type=jar"
    assert first[0].owner.label == "component bcprov-jdk15on@1.62"


@pytest.mark.parametrize("version", ["1.2", "1.3"])
def test_1_2_and_1_3_author_with_metadata_component(corpus: Corpus, version: str) -> None:
    name = f"cyclonedx-json/laravel-7.12.0_cyclonedx-php-composer_cdx{version}.json"
    subs = subjects(corpus(name))
    authors = pick(subs, role="author")
    assert len(authors) == 60  # 59 components + metadata.component
    assert {s.party for s in authors} == {"unknown"}
    meta = {(s.role, s.value) for s in subs if s.owner.pointer == "/metadata/component"}
    assert meta == {
        ("author", "Jan Kowalleck"),
        ("group", "cyclonedx"),
        ("purl-namespace", "composer/cyclonedx"),
        ("product-name", "cyclonedx-php-composer-demo"),
    }
    [laravel] = [s for s in subs if s.role == "product-name" and s.value == "framework"]
    assert laravel.owner.purl.startswith("pkg:composer/laravel/framework@")


def test_1_4_hardware_suppliers(corpus: Corpus) -> None:
    subs = subjects(corpus("cyclonedx-json/hbom-pcie-sata-adapter-board_cdx1.4.json"))
    suppliers = pick(subs, role="supplier")
    assert {s.value for s in suppliers} >= {"Samtec"}
    assert {s.owner.category for s in suppliers} == {"hardware"}
    [samtec] = [s for s in pick(subs, role="domain") if s.owner.name == "PCIE-098-02-F-D-EMS2"]
    assert samtec.value == "www.samtec.com"


def test_1_4_dbzteam_author_is_a_person_or_unknown_author(corpus: Corpus) -> None:
    doc = corpus("cyclonedx-json/redhat-shaded-jar_sbomer_cdx1.4.json")
    subs = subjects(doc)
    [author] = [s for s in pick(subs, role="author") if "dbzteam.org" in s.value]
    assert author.value == "Sebastien Martini <seb@dbzteam.org>"
    assert author.party in ("person", "unknown")
    assert resolve(doc.data, author.pointer) == author.value
    assert author.owner.label == "component pyinotify@0.9.6"
    # syft CPEs: vendor fields with escaped commas come out unescaped.
    vendors = {s.value for s in pick(subs, role="cpe-vendor")}
    assert "harald_hoyer,_arnaldo_carvalho_de_melo,_david_sommerseth_project" in vendors
    # the swid of the operating-system component is not a vendor subject
    assert not [s for s in subs if "/swid" in s.pointer]


def test_1_5_nested_metadata_component_and_scoped_npm(corpus: Corpus) -> None:
    subs = subjects(
        corpus("cyclonedx-json/apache-airflow-2.8.0-python3.10_cdxgen-9.9.9_cdx1.5.json")
    )
    [meta] = pick(subs, pointer="/metadata/component/name")
    assert meta.value == "python3.10"
    assert meta.owner.label == "component python3.10 (what the SBOM describes)"
    [ns] = pick(subs, pointer="/components/0/purl")
    assert ns.value == "npm/@ampproject"  # from pkg:npm/%40ampproject/remapping@2.1.1
    [group] = pick(subs, pointer="/components/0/group")
    assert group.value == "@ampproject"


def test_1_5_blank_suppliers_are_skipped(corpus: Corpus) -> None:
    subs = subjects(corpus("cyclonedx-json/stm32cubeh7-1.12.1_blackduck-hub_cdx1.5.json"))
    suppliers = pick(subs, role="supplier")
    assert "" not in {s.value for s in suppliers}
    [main] = pick(subs, pointer="/metadata/component/supplier/name")
    assert main.value == "ST Microelectronics"


def test_1_5_file_components_have_no_product_names(corpus: Corpus) -> None:
    doc = corpus("cyclonedx-json/minikube-v1.23.1-app-with-files_cyclonedx-gomod_cdx1.5.json")
    subs = subjects(doc)
    names = pick(subs, role="product-name")
    # 615 modules + metadata.component and its 81 modules; none of the 2542 files
    assert len(names) == 697
    for s in names:
        assert resolve(doc.data, s.owner.pointer)["type"] != "file"
    assert max(s.owner.pointer.count("/components") for s in subs) >= 2  # nested reached


def test_1_4_nested_npm_tree(corpus: Corpus) -> None:
    doc = corpus("cyclonedx-json/juice-shop-11.1.2_cyclonedx-npm-bare_cdx1.4.json")
    subs = subjects(doc)
    nested = [s for s in subs if s.pointer.count("/components/") >= 3]
    assert nested
    for s in nested:
        assert resolve(doc.data, s.pointer)


def test_1_6_redhat_metadata_supplier(corpus: Corpus) -> None:
    subs = subjects(corpus("cyclonedx-json/redhat-release-rpm_sbomer_cdx1.6.json"))
    [meta] = pick(subs, pointer="/metadata/supplier/name")
    assert (meta.value, meta.owner.pointer) == ("Red Hat", "/metadata/component")
    assert {s.value for s in pick(subs, role="domain")} == {"www.redhat.com"}


def test_1_6_spec_test_vector(corpus: Corpus) -> None:
    subs = subjects(corpus("cyclonedx-json/SYNTHETIC_spec-test-vector-valid-bom_cdx1.6.json"))
    got = {(s.role, s.value, s.party) for s in subs}
    assert ("manufacturer", "Example-2, Inc.", "organization") in got
    assert ("author", "Anthony Edward Stark <ironman@example.org>", "unknown") in got
    assert ("author", "Peter Benjamin Parker <spiderman@example.org>", "unknown") in got
    assert ("cpe-vendor", "example", "identifier") in got  # cpe:/a:example:… (2.2)
    assert ("supplier", "Acme, Inc.", "organization") in got  # metadata.supplier
    # metadata.manufacturer is also "Acme, Inc." but names the BOM's maker: its own owner.
    [maker] = [s for s in subs if s.pointer == "/metadata/manufacturer/name"]
    assert (maker.value, maker.owner.category) == ("Acme, Inc.", "sbom-author")
    assert ("publisher", "Apache", "unknown") in got  # pedigree ancestor


def test_1_7_is_read_like_1_6(corpus: Corpus) -> None:
    new = subjects(corpus("cyclonedx-json/ODD_fluentd-image_trivy_cdx1.7.json"))
    old = subjects(corpus("cyclonedx-json/fluentd-image_trivy_cdx1.6.json"))
    assert [(s.role, s.value, s.pointer) for s in new] == [
        (s.role, s.value, s.pointer) for s in old
    ]
    assert Counter(s.role for s in new)["supplier"] == 105


def test_saasbom_services(corpus: Corpus) -> None:
    subs = subjects(
        corpus("cyclonedx-json/saasbom-apigateway-microservices-datastores_cdx1.4.json")
    )
    providers = pick(subs, role="supplier")
    assert {s.value for s in providers} == {"Acme Inc"}
    assert {s.owner.category for s in providers} == {"service"}
    assert "/services/0/services/0/provider/name" in {s.pointer for s in providers}


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"components": "x", "services": {}, "metadata": []},
        {"metadata": {"component": "x", "supplier": "Acme", "manufacture": []}},
        {
            "components": [
                None,
                1,
                "x",
                {
                    "supplier": "Acme",
                    "manufacturer": ["x"],
                    "authors": {"name": "x"},
                    "purl": 5,
                    "cpe": None,
                    "name": 3,
                    "components": {},
                    "pedigree": [],
                },
            ]
        },
        {
            "components": [
                {
                    "supplier": {
                        "name": None,
                        "url": [None, 5, "no"],
                        "contact": ["x", {"email": 4}],
                    },
                    "authors": [None, {"name": ""}],
                    "group": "  ",
                    "type": ["x"],
                }
            ]
        },
        {"services": [None, {"provider": "x", "name": None, "services": "x"}]},
    ],
)
def test_malformed_documents_do_not_raise(data: Any) -> None:
    subs = normalize_cyclonedx(Document("bad.json", Kind.CYCLONEDX, data, "json"))
    assert all(s.value for s in subs)


def test_deep_nesting_does_not_recurse() -> None:
    root: dict[str, Any] = {"type": "library", "name": "level-0"}
    node = root
    for depth in range(1, 3000):
        child = {"type": "library", "name": f"level-{depth}"}
        node["components"] = [child]
        node = child
    doc = Document("deep.json", Kind.CYCLONEDX, {"components": [root]}, "json")
    subs = normalize_cyclonedx(doc)
    assert len(subs) == 3000
    assert subs[-1].pointer == "/components/0" + "/components/0" * 2999 + "/name"
