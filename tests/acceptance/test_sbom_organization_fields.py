"""Issue 10 item 3: every SBOM field that can name an organization is read. The exact
inputs the issue reported as passing clean, checked end to end with the shipped lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import json_report


def check(run_cli, tmp: Path, name: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    path = tmp / name
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    result = run_cli(
        "check", "--format", "json", "--date", "2026-11-28", "--fail-on", "never", path
    )
    assert result.exit_code == 0, result.output
    return json_report(result)["findings"]


def cdx(components: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    bom: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": components,
    }
    if metadata:
        bom["metadata"] = metadata
    return bom


def spdx(**package: str) -> dict[str, Any]:
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "x",
        "documentNamespace": "https://example.com/x",
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: x-1.0"]},
        "packages": [
            {"SPDXID": "SPDXRef-1", "name": "libfoo", "downloadLocation": "NOASSERTION", **package}
        ],
    }


def test_cyclonedx_1_6_authors_naming_an_organization(run_cli, tmp_path: Path) -> None:
    doc = cdx(
        [
            {
                "type": "application",
                "name": "endpoint-agent",
                "version": "1.0",
                "authors": [{"name": "AO Kaspersky Lab"}],
            }
        ]
    )
    [finding] = check(run_cli, tmp_path, "bom.json", doc)
    assert (finding["rule"], finding["entity"], finding["pointer"]) == (
        "bans.banned-vendor",
        "kaspersky",
        "/components/0/authors/0/name",
    )
    assert finding["line"] == 12  # "name": "AO Kaspersky Lab"


def test_a_person_named_like_a_vendor_still_passes(run_cli, tmp_path: Path) -> None:
    doc = cdx([{"type": "library", "name": "cv-utils", "authors": [{"name": "Dahua Lin"}]}])
    assert check(run_cli, tmp_path, "bom.json", doc) == []


def test_spdx_person_originator_email_domain_is_read(run_cli, tmp_path: Path) -> None:
    doc = spdx(originator="Person: Eugene (eugene@kaspersky.com)")
    [finding] = check(run_cli, tmp_path, "x.spdx.json", doc)
    assert (finding["rule"], finding["severity"], finding["entity"], finding["via"]) == (
        "bans.review",
        "warn",
        "kaspersky",
        "domain",
    )
    assert finding["pointer"] == "/packages/0/originator"


@pytest.mark.parametrize("supplier", ["AO Kaspersky Lab", "Kaspersky Lab"])
def test_spdx_supplier_without_its_organization_prefix(
    run_cli, tmp_path: Path, supplier: str
) -> None:
    [finding] = check(run_cli, tmp_path, "x.spdx.json", spdx(supplier=supplier))
    assert (finding["rule"], finding["entity"], finding["pointer"]) == (
        "bans.banned-vendor",
        "kaspersky",
        "/packages/0/supplier",
    )


def test_metadata_manufacturer_and_authors_give_a_review(run_cli, tmp_path: Path) -> None:
    """The maker usually writes its own BOM: a review, never a deny on its own."""
    doc = cdx(
        [{"type": "library", "name": "lib", "version": "1"}],
        metadata={
            "manufacturer": {"name": "AO Kaspersky Lab"},
            "authors": [{"name": "Huawei Technologies Co., Ltd."}],
        },
    )
    findings = check(run_cli, tmp_path, "bom.json", doc)
    got = {(f["rule"], f["entity"], f["pointer"]) for f in findings}
    assert got == {
        ("bans.review", "kaspersky", "/metadata/manufacturer/name"),
        ("bans.review", "huawei", "/metadata/authors/0/name"),
    }
    assert all("the SBOM's own maker or author" in f["message"] for f in findings)


def test_spdx_organization_creator_gives_a_review(run_cli, tmp_path: Path) -> None:
    doc = spdx()
    doc["creationInfo"]["creators"] = ["Organization: AO Kaspersky Lab", "Tool: x-1.0"]
    [finding] = check(run_cli, tmp_path, "x.spdx.json", doc)
    assert (finding["rule"], finding["entity"], finding["pointer"]) == (
        "bans.review",
        "kaspersky",
        "/creationInfo/creators/0",
    )


def test_licensor_of_a_commercial_licence(run_cli, tmp_path: Path) -> None:
    licence = {
        "license": {
            "name": "Commercial EULA",
            "licensing": {
                "licenseTypes": ["perpetual"],
                "licensor": {"organization": {"name": "AO Kaspersky Lab"}},
                "licensee": {"organization": {"name": "Acme Federal Agency"}},
            },
        }
    }
    doc = cdx([{"type": "application", "name": "av", "licenses": [licence]}])
    [finding] = check(run_cli, tmp_path, "bom.json", doc)
    assert (finding["rule"], finding["entity"], finding["pointer"]) == (
        "bans.banned-vendor",
        "kaspersky",
        "/components/0/licenses/0/license/licensing/licensor/organization/name",
    )


@pytest.mark.parametrize("where", ["cyclonedx", "spdx"])
def test_a_person_field_holding_a_legal_form_and_more_words(
    run_cli, tmp_path: Path, where: str
) -> None:
    """Not only exact listed names: a legal form says organization, whatever other words
    come with it (found by the h11 evasion sweep)."""
    name = "Kaspersky Lab Engineering LLC"
    if where == "cyclonedx":
        doc = cdx(
            [
                {
                    "type": "application",
                    "name": "endpoint-agent",
                    "version": "1.0",
                    "authors": [{"name": name}],
                }
            ]
        )
        file, pointer = "bom.json", "/components/0/authors/0/name"
    else:
        doc, file, pointer = (
            spdx(originator=f"Person: {name}"),
            "x.spdx.json",
            ("/packages/0/originator"),
        )
    [finding] = check(run_cli, tmp_path, file, doc)
    assert (finding["entity"], finding["pointer"]) == ("kaspersky", pointer)
    assert finding["rule"] in ("bans.banned-vendor", "bans.review")


@pytest.mark.parametrize("person", ["Dahua Lin", "Person: Dahua Lin", "Ren Zhengfei"])
def test_a_person_named_like_a_vendor_passes_in_spdx(run_cli, tmp_path: Path, person: str) -> None:
    assert check(run_cli, tmp_path, "x.spdx.json", spdx(originator=person)) == []


def spdx3(created_by: list[dict[str, Any]]) -> dict[str, Any]:
    agents = [
        {"creationInfo": "_:ci", "spdxId": f"https://example.com/agent/{i}", **agent}
        for i, agent in enumerate(created_by)
    ]
    return {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {
                "type": "CreationInfo",
                "@id": "_:ci",
                "specVersion": "3.0.1",
                "created": "2026-01-01T00:00:00Z",
                "createdBy": [a["spdxId"] for a in agents],
            },
            *agents,
            {
                "type": "software_Package",
                "spdxId": "https://example.com/pkg",
                "creationInfo": "_:ci",
                "name": "libfoo",
            },
        ],
    }


def test_spdx3_created_by_an_organization_gives_a_review(run_cli, tmp_path: Path) -> None:
    doc = spdx3(
        [
            {"type": "Person", "name": "Jane Doe"},
            {"type": "Organization", "name": "AO Kaspersky Lab"},
        ]
    )
    [finding] = check(run_cli, tmp_path, "x.spdx3.json", doc)
    assert (finding["rule"], finding["entity"], finding["pointer"]) == (
        "bans.review",
        "kaspersky",
        "/@graph/0/createdBy/1",
    )
    assert "the SBOM's own maker or author" in finding["message"]
