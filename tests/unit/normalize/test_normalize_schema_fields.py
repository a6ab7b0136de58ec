"""Every place an SBOM schema lets an organization be named is read by normalize, or is on
its documented not-read list with the reason (issue 10 item 3).

The official schemas are walked, not a list written by hand: CycloneDX 1.2–1.7 as
cyclonedx-python-lib ships them, the SPDX 2.3 JSON schema and the SPDX 3.0.1 model
(tests/data/conformance/README.md says where they come from). A field a new schema
version adds fails this test until someone decides whether it names a vendor.
"""

from __future__ import annotations

import json
import lzma
import re
from pathlib import Path
from typing import Any

import cyclonedx.schema as cyclonedx_schemas
import pytest

from procgate.normalize import cyclonedx, spdx2

CONFORMANCE = Path(__file__).resolve().parents[2] / "data" / "conformance"
CDX_SCHEMAS = Path(cyclonedx_schemas.__file__).parent / "_res"
CDX_VERSIONS = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
# Definitions that hold an organization or a person (a contact can be an organization's
# name written where a person was expected), and free-text fields named for a maker.
ORG_DEFINITIONS = {"organizationalEntity", "organizationalContact", "identifiableAction"}
ORG_WORDS = {
    "supplier",
    "manufacturer",
    "manufacture",
    "publisher",
    "author",
    "authors",
    "provider",
    "licensor",
    "licensee",
    "purchaser",
    "vendor",
    "owner",
    "creator",
    "creators",
    "maintainer",
    "distributor",
    "committer",
}


def _references(node: Any) -> set[str]:
    """Definitions a property refers to, directly or through items/oneOf/anyOf/allOf."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            found.add(ref.rsplit("/", 1)[-1])
        for key in ("items", "oneOf", "anyOf", "allOf"):
            value = node.get(key)
            for sub in value if isinstance(value, list) else [value]:
                found |= _references(sub)
    return found


def _walk(node: Any, where: str, found: set[str]) -> None:
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        path = f"{where}.{name}"
        if _references(prop) & ORG_DEFINITIONS or name in ORG_WORDS:
            found.add(path)
        _walk(prop, path, found)
        if isinstance(prop.get("items"), dict):
            _walk(prop["items"], path, found)
        for key in ("oneOf", "anyOf", "allOf"):
            for alternative in prop.get(key) or []:
                _walk(alternative, path, found)
    for key in ("oneOf", "anyOf", "allOf"):
        for alternative in node.get(key) or []:
            _walk(alternative, where, found)


def cyclonedx_fields(version: str) -> set[str]:
    """definition.property (bom.… for the document's own properties) of every field."""
    schema = json.loads((CDX_SCHEMAS / f"bom-{version}.SNAPSHOT.schema.json").read_text())
    found: set[str] = set()
    _walk(schema, "bom", found)
    for name, definition in schema.get("definitions", {}).items():
        _walk(definition, name, found)
    return found


def _covered(path: str, table: dict[str, str]) -> bool:
    """The field or one of its parents is in the table (bom.declarations covers all of its
    parties; a licensor's organization is read where the licensor is)."""
    parts = path.split(".")
    return any(".".join(parts[:n]) in table for n in range(len(parts), 0, -1))


def test_the_tables_give_a_reason_for_everything() -> None:
    for table in (
        cyclonedx.ORGANIZATION_FIELDS_READ,
        cyclonedx.ORGANIZATION_FIELDS_NOT_READ,
        spdx2.SPDX_FIELDS_READ,
        spdx2.SPDX_FIELDS_NOT_READ,
    ):
        assert all(isinstance(why, str) and len(why) > 10 for why in table.values())
    assert not set(cyclonedx.ORGANIZATION_FIELDS_READ) & set(cyclonedx.ORGANIZATION_FIELDS_NOT_READ)


@pytest.mark.parametrize("version", CDX_VERSIONS)
def test_every_cyclonedx_organization_field_is_read_or_listed(version: str) -> None:
    listed = {**cyclonedx.ORGANIZATION_FIELDS_READ, **cyclonedx.ORGANIZATION_FIELDS_NOT_READ}
    missing = sorted(p for p in cyclonedx_fields(version) if not _covered(p, listed))
    assert missing == []


def test_no_cyclonedx_entry_is_stale() -> None:
    """Every listed field exists in some version's schema (a typo would hide a hole)."""
    every = set().union(*(cyclonedx_fields(v) for v in CDX_VERSIONS))
    listed = {**cyclonedx.ORGANIZATION_FIELDS_READ, **cyclonedx.ORGANIZATION_FIELDS_NOT_READ}
    stale = [key for key in listed if not any(p == key or p.startswith(key + ".") for p in every)]
    assert stale == []


_ACTOR_WORDS = re.compile(
    r"\bperson\b|\borgani[sz]ation\b|who \(or what|\bcontributors\b", re.IGNORECASE
)


def spdx2_fields() -> set[str]:
    """Properties of the official SPDX 2.3 JSON schema whose description says they hold a
    person or organization, named by their last two steps (annotations.annotator)."""
    schema = json.loads((CONFORMANCE / "spdx-2.3-schema.json").read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node: Any, where: list[str]) -> None:
        if not isinstance(node, dict):
            return
        for name, prop in (node.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            if prop.get("type") in ("string", "array") and _ACTOR_WORDS.search(
                str(prop.get("description", ""))
            ):
                found.add(".".join([*where, name][-2:]))
            walk(prop, [*where, name])
            walk(prop.get("items"), [*where, name])

    walk(schema, [])
    return found


def test_every_spdx2_organization_field_is_read_or_listed() -> None:
    fields = spdx2_fields()
    assert {"packages.supplier", "packages.originator", "creationInfo.creators"} <= fields
    listed = {**spdx2.SPDX_FIELDS_READ, **spdx2.SPDX_FIELDS_NOT_READ}
    assert sorted(fields - set(listed)) == []
    assert sorted(set(listed) - fields) == []


def test_every_spdx3_agent_property_is_read_or_listed() -> None:
    """SPDX 3: the model's properties whose range is an Agent (Organization, Person,
    SoftwareAgent)."""
    model = json.loads(lzma.decompress((CONFORMANCE / "spdx-3.0.1-model.json-ld.xz").read_bytes()))
    agent = re.compile(r"/Core/(Agent|Organization|Person|SoftwareAgent)$")
    ranges = "http://www.w3.org/2000/01/rdf-schema#range"
    agent_properties = {
        node["@id"].rsplit("/", 1)[-1]
        for node in model
        if any(agent.search(r.get("@id", "")) for r in node.get(ranges, []))
    }
    # normalize/spdx3.py; createdBy (who wrote the SBOM) as a review, as SPDX 2 creators
    read = {"suppliedBy", "originatedBy", "createdBy"}
    not_read: dict[str, str] = {}
    assert agent_properties == read | set(not_read)
