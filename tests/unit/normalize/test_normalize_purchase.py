"""Purchase requests (procgate/v1) → subjects."""

from __future__ import annotations

from typing import Any

import pytest
from normalize_helpers import DATA, make_doc, resolve

from procgate.model import ROLES, Document, Kind, Subject
from procgate.normalize import subjects


@pytest.fixture
def request_subjects() -> tuple[Document, list[Subject]]:
    doc = make_doc(DATA / "purchase-request.yaml", Kind.PURCHASE_REQUEST)
    return doc, subjects(doc)


def by_pointer(subs: list[Subject]) -> dict[str, Subject]:
    return {s.pointer: s for s in subs}


def test_vendor_and_its_identifiers_belong_to_the_document(
    request_subjects: tuple[Document, list[Subject]],
) -> None:
    _, subs = request_subjects
    found = by_pointer(subs)
    vendor = found["/vendor/name"]
    assert (vendor.role, vendor.value, vendor.party) == (
        "vendor",
        "Acme Federal Resellers LLC",
        "organization",
    )
    assert vendor.owner.pointer == ""
    assert vendor.owner.category == ""
    assert vendor.owner.label == "purchase request PR-2024-0042"
    for key, value in (
        ("uei", "J7M9HPTGJ1S9"),
        ("cage", "1ABC5"),
        ("lei", "5493001KJTIIGC8Y1R12"),
        ("duns", "012345678"),
    ):
        s = found[f"/vendor/{key}"]
        assert (s.role, s.value, s.party) == (key, value, "identifier")
        assert s.owner is vendor.owner
    website = found["/vendor/website"]
    assert (website.role, website.value, website.party) == (
        "domain",
        "www.acme-federal.example.com",
        "identifier",
    )
    assert "/vendor/country" not in found  # a country names no vendor


def test_item_subjects_and_owner(request_subjects: tuple[Document, list[Subject]]) -> None:
    _, subs = request_subjects
    found = by_pointer(subs)
    maker = found["/items/0/manufacturer/name"]
    assert (maker.role, maker.value, maker.party) == (
        "manufacturer",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "organization",
    )
    cage = found["/items/0/manufacturer/cage"]
    assert (cage.role, cage.value) == ("cage", "12345")  # an unquoted YAML int, as text
    assert (found["/items/0/brand"].role, found["/items/0/brand"].value) == ("brand", "Hikvision")
    model = found["/items/0/model"]
    assert (model.role, model.value, model.party) == ("product-name", "DS-2CD2043G2-I", "unknown")

    owner = maker.owner
    assert owner.pointer == "/items/0"
    assert owner.label == "item 1 (4MP outdoor bullet network camera)"
    assert owner.category == "video-surveillance-equipment"
    assert owner.name == "4MP outdoor bullet network camera"
    assert owner.text == "4MP outdoor bullet network camera DS-2CD2043G2-I HIK-2043G2"
    assert {s.owner for s in subs if s.pointer.startswith("/items/0/")} == {owner}


def test_item_with_brand_and_product_only(request_subjects: tuple[Document, list[Subject]]) -> None:
    _, subs = request_subjects
    item = [s for s in subs if s.owner.pointer == "/items/1"]
    assert [(s.role, s.value) for s in item] == [
        ("brand", "Kaspersky"),
        ("product-name", "Kaspersky Endpoint Security for Business"),
    ]
    owner = item[0].owner
    assert owner.label == "item 2 (Kaspersky Endpoint Security for Business)"
    assert owner.category == "software"
    assert owner.name == "Kaspersky Endpoint Security for Business"


def test_blank_values_give_no_subjects(request_subjects: tuple[Document, list[Subject]]) -> None:
    _, subs = request_subjects
    item = [s for s in subs if s.owner.pointer == "/items/2"]
    assert [(s.role, s.value) for s in item] == [("brand", "Ezviz")]
    assert item[0].owner.label == "item 3"
    assert item[0].owner.category == ""


def test_every_pointer_resolves_to_the_raw_value(
    request_subjects: tuple[Document, list[Subject]],
) -> None:
    doc, subs = request_subjects
    assert len(subs) == 13
    for s in subs:
        assert s.role in ROLES
        raw = resolve(doc.data, s.pointer)
        if s.role != "domain":
            assert str(raw).strip() == s.value
        assert resolve(doc.data, s.owner.pointer) is not None


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "text",
        {},
        {"vendor": "Kaspersky", "items": "none"},
        {"vendor": {"name": ["x"], "website": 5}, "items": [None, 3, {"manufacturer": []}]},
        {"items": [{"manufacturer": {"name": {"x": 1}}, "brand": True, "category": 7}]},
    ],
)
def test_malformed_requests_do_not_raise(data: Any) -> None:
    doc = Document("bad.yaml", Kind.PURCHASE_REQUEST, data, "yaml")
    assert subjects(doc) == []


def test_manufacturer_written_as_a_string_still_counts() -> None:
    doc = Document(
        "r.json",
        Kind.PURCHASE_REQUEST,
        {"items": [{"description": "cam", "manufacturer": "Dahua"}]},
        "json",
    )
    [s] = subjects(doc)
    assert (s.role, s.value, s.pointer, s.owner.label) == (
        "manufacturer",
        "Dahua",
        "/items/0/manufacturer",
        "item 1 (cam)",
    )


def test_ban_lists_and_waivers_have_no_subjects() -> None:
    for kind in (Kind.BAN_LIST, Kind.WAIVER):
        doc = Document("x.yaml", kind, {"entities": [{"name": "Kaspersky"}]}, "yaml")
        assert subjects(doc) == []
