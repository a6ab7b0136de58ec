"""CycloneDX XML and SPDX tag-value become the shape of their JSON forms."""

from __future__ import annotations

from typing import Any

from corpus_manifest import CORPUS

from procgate.load import load
from procgate.model import Document


def _doc(name: str) -> Document:
    doc = load(CORPUS / name)
    assert isinstance(doc, Document), doc
    return doc


def _fields(component: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(component.get(k) for k in keys)


def test_cyclonedx_xml_matches_json_of_the_same_bom() -> None:
    xml = _doc("cyclonedx-xml/laravel-7.12.0_cyclonedx-php-composer_cdx1.3.xml").data
    json = _doc("cyclonedx-json/laravel-7.12.0_cyclonedx-php-composer_cdx1.3.json").data
    keys = ("type", "bom-ref", "group", "name", "version", "purl", "author", "licenses")
    assert [_fields(c, keys) for c in xml["components"]] == [
        _fields(c, keys) for c in json["components"]
    ]
    assert xml["metadata"]["component"]["name"] == json["metadata"]["component"]["name"]
    assert xml["version"] == json["version"] == 1


def test_cyclonedx_xml_special_forms() -> None:
    data = _doc("cyclonedx-xml/poetry-issue702_cyclonedx-py_cdx1.6.xml").data
    tools = data["metadata"]["tools"]["components"]
    assert (tools[0]["group"], tools[0]["name"]) == ("CycloneDX", "cyclonedx-py")
    declared = {"acknowledgement": "declared", "id": "Apache-2.0"}
    assert tools[0]["licenses"] == [{"license": declared}]
    assert data["metadata"]["properties"] == [{"name": "cdx:reproducible", "value": "true"}]
    first = data["components"][0]
    assert first["externalReferences"][0]["type"] == "distribution"
    assert first["externalReferences"][0]["hashes"][0]["alg"] == "SHA-256"
    assert len(first["externalReferences"][0]["hashes"][0]["content"]) == 64
    assert any(d["ref"] == "regression-issue702" and d["dependsOn"] for d in data["dependencies"])


def test_cyclonedx_xml_legacy_tools_and_publisher() -> None:
    data = _doc("cyclonedx-xml/ruby-slim-bullseye-image_syft-0.78.0_cdx1.4.xml").data
    assert data["metadata"]["tools"] == [{"vendor": "anchore", "name": "syft", "version": "0.78.0"}]
    assert data["components"][1]["publisher"].startswith("Debian Adduser Developers")
    assert data["components"][0]["cpe"].startswith("cpe:2.3:a:akinori-musha:abbrev")


def test_cyclonedx_xml_supplier_is_an_organization_with_url_list(tmp_path: Any) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="2"><components>'
        '<component type="device"><supplier><name>Acme</name><url>https://acme.example</url>'
        "<contact><name>Sales</name><email>s@acme.example</email></contact></supplier>"
        "<manufacturer><name>Acme Devices</name></manufacturer><name>cam</name>"
        '<components><component type="firmware"><name>fw</name></component></components>'
        "</component></components></bom>"
    )
    doc = load(path)
    assert isinstance(doc, Document)
    component = doc.data["components"][0]
    assert component["supplier"] == {
        "name": "Acme",
        "url": ["https://acme.example"],
        "contact": [{"name": "Sales", "email": "s@acme.example"}],
    }
    assert component["manufacturer"] == {"name": "Acme Devices"}
    assert component["components"] == [{"type": "firmware", "name": "fw"}]
    assert doc.data["version"] == 2


def test_spdx_tag_value_matches_json_of_the_same_document() -> None:
    tv = _doc("spdx-tv/spdx-spec-full-example_spdx2.3.spdx").data
    json = _doc("spdx-json/spdx-spec-full-example_spdx2.3.json").data
    keys = (
        "SPDXID",
        "name",
        "versionInfo",
        "supplier",
        "originator",
        "downloadLocation",
        "primaryPackagePurpose",
        "checksums",
    )
    by_id = {p["SPDXID"]: _fields(p, keys) for p in json["packages"]}
    assert {p["SPDXID"]: _fields(p, keys) for p in tv["packages"]} == by_id
    # (the JSON example spells one referenceType as a full URI; the locators agree)
    assert [
        [(r["referenceCategory"], r["referenceLocator"]) for r in p.get("externalRefs", [])]
        for p in tv["packages"]
    ] == [
        [(r["referenceCategory"], r["referenceLocator"]) for r in p.get("externalRefs", [])]
        for p in json["packages"]
    ]
    assert tv["creationInfo"]["creators"] == json["creationInfo"]["creators"]
    assert tv["documentNamespace"] == json["documentNamespace"]
    assert {f["fileName"] for f in tv["files"]} == {f["fileName"] for f in json["files"]}
    assert tv["snippets"][0]["ranges"][0]["startPointer"]["reference"] == "SPDXRef-DoapSource"
    glibc = next(p for p in tv["packages"] if p["name"] == "glibc")
    assert glibc["packageVerificationCode"]["packageVerificationCodeExcludedFiles"] == [
        "./package.spdx"
    ]
    assert glibc["annotations"][0]["annotationType"] == "OTHER"


def test_spdx_rdf_is_read_through_spdx_tools() -> None:
    data = _doc("spdx-rdf/spdx-spec-full-example_spdx2.3.spdx.rdf.xml").data
    names = {p["name"] for p in data["packages"]}
    assert "glibc" in names
    glibc = next(p for p in data["packages"] if p["name"] == "glibc")
    assert glibc["supplier"].startswith("Person: Jane Doe")
