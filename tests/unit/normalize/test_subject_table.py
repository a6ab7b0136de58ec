"""SubjectTable (normalize/table.py): SBOM normalizers emit rows and make Subjects and
Owners only when read. What is read must be what the old per-value objects were: same
subjects, same order, one Owner per component shared by its subjects; and the matcher and
the hidden-character check must find the same things in a table as in the list of its
Subjects."""

from __future__ import annotations

from normalize_helpers import DATA, make_doc

from procgate.decide.findings import hidden_characters
from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher
from procgate.model import Document, Kind, Owner, Subject
from procgate.normalize import subjects
from procgate.normalize.table import SubjectTable


def _cyclonedx(components: list[dict[str, object]]) -> Document:
    return Document(
        "t.cdx.json",
        Kind.CYCLONEDX,
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components},
        "json",
    )


def test_a_table_reads_as_the_subjects_it_stands_for() -> None:
    doc = _cyclonedx(
        [
            {
                "type": "library",
                "name": "hexa-ui",
                "version": "1.2.0",
                "description": "UI kit",
                "supplier": {"name": " AO Kaspersky Lab ", "url": ["https://kaspersky.com/x"]},
                "purl": "pkg:npm/%40kaspersky/hexa-ui@1.2.0",
                "pedigree": {"ancestors": [{"name": "upstream", "publisher": "Huawei"}]},
            },
            {"type": "file", "name": "a.c", "author": "Eugene <eugene@kaspersky.com>"},
        ]
    )
    table = subjects(doc)
    assert isinstance(table, SubjectTable)
    hexa = Owner(
        "/components/0", "component hexa-ui@1.2.0", "software", "hexa-ui", "UI kit",
        "pkg:npm/%40kaspersky/hexa-ui@1.2.0",
    )  # fmt: skip
    ancestor = Owner(
        "/components/0/pedigree/ancestors/0",
        "component upstream (ancestor of component hexa-ui@1.2.0)", "", "upstream", "", "",
    )  # fmt: skip
    file = Owner("/components/1", "component a.c", "software", "a.c", "", "")
    expected = [
        Subject("supplier", "AO Kaspersky Lab", "/components/0/supplier/name", hexa),
        Subject("domain", "kaspersky.com", "/components/0/supplier/url/0", hexa, "identifier"),
        Subject("purl-namespace", "npm/@kaspersky", "/components/0/purl", hexa, "identifier"),
        Subject("product-name", "hexa-ui", "/components/0/name", hexa, "unknown"),
        Subject("author", "Eugene <eugene@kaspersky.com>", "/components/1/author", file, "unknown"),
        Subject(
            "publisher", "Huawei", "/components/0/pedigree/ancestors/0/publisher", ancestor,
            "unknown",
        ),
        Subject(
            "product-name", "upstream", "/components/0/pedigree/ancestors/0/name", ancestor,
            "unknown",
        ),
    ]  # fmt: skip
    assert list(table) == expected
    assert table == expected and len(table) == len(expected)
    assert [table[i] for i in range(len(table))] == expected
    assert table[1:3] == expected[1:3]
    assert table.keys() == [(s.role, s.value, s.party) for s in expected]
    # One Owner per component, made once and shared by its subjects.
    first = list(table)
    assert first[0].owner is first[1].owner is first[3].owner
    assert first[0].owner is table[0].owner


def test_the_matcher_finds_the_same_in_a_table_as_in_its_subjects() -> None:
    """A real file, the shipped lists: a table and the plain list of its Subjects match
    alike (the table is matched by its keys, Subjects made for the hits alone)."""
    doc = make_doc(DATA / "cdx-1.6-vendor-fields.json", Kind.CYCLONEDX)
    table = subjects(doc)
    assert isinstance(table, SubjectTable)
    ban_data = load_ban_data(default_ban_files())
    from_table = Matcher(ban_data).match(table)
    from_list = Matcher(ban_data).match(list(table))
    assert from_table == from_list
    assert from_table, "the fixture names listed vendors"


def test_a_hidden_character_in_a_table_is_still_reported() -> None:
    """The table's ASCII test runs in C over all values at once; one disguised value among
    ASCII ones must still be found, at its own pointer."""
    doc = _cyclonedx(
        [{"name": f"lib-{i}", "supplier": {"name": "Red Hat, Inc."}} for i in range(50)]
        + [{"name": "x", "supplier": {"name": "Kasper\u200bsky Lab"}}]
        + [{"name": f"lib-{i}", "supplier": {"name": "Debian"}} for i in range(50)]
    )
    found = hidden_characters(doc, subjects(doc))
    assert [f.pointer for f in found] == ["/components/50/supplier/name"]
    assert found == hidden_characters(doc, list(subjects(doc)))
