"""procgate.lists.diff: what changed between two versions of the ban data, on real list files
(the shipped list and edited copies of it in tmp_path)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procgate.lists import default_ban_files, load_ban_data
from procgate.lists.compare import (
    ADDED,
    CHANGED,
    LISTING,
    MATCHING,
    REMOVED,
    ListChange,
    as_json,
    as_text,
    diff,
)
from procgate.model import BanData

[SHIPPED] = default_ban_files()


def edited(tmp_path: Path, *edits: tuple[str, str, str], text: str | None = None) -> Path:
    """A copy of the shipped list (or of `text`) in tmp_path/new/, with each (after, old,
    new) edit made: `old` is replaced by `new` where it first occurs after the text `after`."""
    text = SHIPPED.read_text(encoding="utf-8") if text is None else text
    for after, old, new in edits:
        at = text.index(old, text.index(after))
        text = text[:at] + new + text[at + len(old) :]
    folder = tmp_path / "new"
    folder.mkdir(exist_ok=True)
    path = folder / SHIPPED.name
    path.write_text(text, encoding="utf-8")
    return path


def without_djis_fcc_listing_and_a_later_huawei_date(tmp_path: Path) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index("      - authority: fcc-covered-list\n", text.index("  - id: dji\n"))
    end = text.index("      - authority: american-security-drone-act\n", start)
    later = ("  - id: huawei\n", "since: 2021-03-12", "since: 2021-03-15")
    return edited(tmp_path, later, text=text[:start] + text[end:])


@pytest.fixture(scope="module")
def shipped() -> BanData:
    return load_ban_data([SHIPPED])


def test_the_same_data_has_no_changes(shipped: BanData, tmp_path: Path) -> None:
    moved = tmp_path / SHIPPED.name  # another folder: source paths are not facts
    shutil.copy(SHIPPED, moved)
    result = diff(shipped, load_ban_data([moved]))
    assert result.changes == () and not result
    assert "no changes" in as_text(result, "a", "b")


def test_a_comment_is_no_change_but_the_digest_differs(shipped: BanData, tmp_path: Path) -> None:
    new = edited(tmp_path, ("  - id: dji\n", "  - id: dji\n", "  # reviewed\n  - id: dji\n"))
    result = diff(shipped, load_ban_data([new]))
    assert not result and result.old_digest != result.new_digest
    assert as_text(result, "a", "b").endswith("no changes (the files differ in form only)")


def test_a_removed_listing_and_a_changed_date(shipped: BanData, tmp_path: Path) -> None:
    new = without_djis_fcc_listing_and_a_later_huawei_date(tmp_path)
    result = diff(shipped, load_ban_data([new]))
    assert result.changes == (
        ListChange(
            REMOVED,
            LISTING,
            entity="dji",
            authority="fcc-covered-list",
            old="since 2025-12-22, scope telecom-equipment",
        ),
        ListChange(
            CHANGED,
            LISTING,
            entity="huawei",
            authority="fcc-covered-list",
            field="since",
            old="2021-03-12",
            new="2021-03-15",
        ),
    )
    assert result.entities() == {"dji", "huawei"} and result.entities(MATCHING) == set()
    assert result.authorities() == {"fcc-covered-list"}
    assert as_json(result, "old.yaml", "new.yaml")["summary"] == {
        "added": 0,
        "removed": 1,
        "changed": 1,
    }
    # and back: the listing is added again, the date changes back
    back = diff(load_ban_data([new]), shipped)
    assert [(c.change, c.entity, c.old, c.new) for c in back.changes] == [
        (ADDED, "dji", "", "since 2025-12-22, scope telecom-equipment"),
        (CHANGED, "huawei", "2021-03-15", "2021-03-12"),
    ]


def test_names_identifiers_and_authority_terms(shipped: BanData, tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        ("  - id: dji\n", "      - value: DJI\n", "      - value: DJI Innovations\n"),
        ("  - id: dji\n", "domains: []", "domains: [dji.com]"),
        (
            "  - id: fcc-covered-list\n",
            "effective: 2021-03-12\n        severity: deny",
            "effective: 2021-03-12\n        severity: warn",
        ),
    )
    changes = diff(shipped, load_ban_data([new])).changes
    got = {(c.change, c.what, c.entity or c.authority, c.item, c.field) for c in changes}
    assert got == {
        (REMOVED, "name", "dji", "DJI (brand)", ""),
        (ADDED, "name", "dji", "DJI Innovations (brand)", ""),
        (ADDED, "domain", "dji", "dji.com", ""),
        (CHANGED, "authority", "fcc-covered-list", "audience us-federal", "severity"),
    }


def test_added_and_removed_entities_and_lists(shipped: BanData, tmp_path: Path) -> None:
    org = tmp_path / "acme.yaml"
    org.write_text(ORG_LIST, encoding="utf-8")
    result = diff(shipped, load_ban_data([SHIPPED, org]))
    got = [(c.change, c.what, c.entity or c.authority or c.item) for c in result.changes]
    assert got == [
        (ADDED, "list", "acme"),
        (ADDED, "entity", "acme-widgets"),
        (ADDED, "authority", "acme-policy"),
        (ADDED, "audience", "acme"),
    ]
    assert "listed by acme-policy (since 2020-01-01, scope any)" in result.changes[1].new
    removed = diff(load_ban_data([SHIPPED, org]), shipped)
    assert {c.change for c in removed.changes} == {REMOVED}


def test_a_name_cannot_forge_lines_in_the_text(shipped: BanData, tmp_path: Path) -> None:
    """A list's values are printed: a newline in a name must not start a line of its own
    that reads like another change ("- entity kaspersky: ...")."""
    new = edited(
        tmp_path,
        (
            "  - id: dji\n",
            "      - value: DJI\n",
            '      - value: "DJI\\n- entity kaspersky: removed\\u001b[2J"\n',
        ),
    )
    text = as_text(diff(shipped, load_ban_data([new])), "a", "b")
    assert "\n- entity kaspersky" not in text and "\x1b" not in text
    assert "DJI\\n- entity kaspersky: removed\\x1b[2J (brand)" in text


ORG_LIST = """\
apiVersion: procgate/v1
kind: BanList
metadata: {name: acme, description: our own list, updated: 2026-11-28}
audiences:
  acme: [us-person]
authorities:
  - id: acme-policy
    title: Acme buys no Widgets
    citation: Board decision 2020-01
    audiences:
      acme: {effective: 2020-01-01, severity: deny}
    waivable: true
    waiver_note: The purchasing director may approve an exception.
    summary: Acme does not buy from Acme Widgets.
    action: Choose another supplier.
    source: https://intranet.example/board/2020-01
entities:
  - id: acme-widgets
    name: Acme Widgets Ltd
    name_source: https://intranet.example/board/2020-01
    listings:
      - authority: acme-policy
        since: 2020-01-01
        scope: any
        entry: All products
        source: https://intranet.example/board/2020-01
"""
