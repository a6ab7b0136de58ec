"""Inventory grouping and the three report formats, from hand-built sweep results."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import lxml.html
import pytest

from procgate.lists import default_ban_files, load_ban_data
from procgate.model import BanData
from procgate.scan.inventory import Inventory, build_inventory
from procgate.scan.reports import CSV_COLUMNS, render_csv, render_html, render_json
from procgate.scan.sweep import FileResult, Hit, Problem

TODAY = date(2026, 11, 28)


def _hit(
    file: str, entity: str, authorities: tuple[str, ...], severity: str = "deny", line: int = 5
) -> Hit:
    return Hit(
        file=file,
        line=line,
        column=7,
        pointer="/items/0/manufacturer/name",
        item="item 1 (Endpoint <b>Security</b>)",
        entity=entity,
        matched="Kaspersky Lab ZAO",
        listed_name="AO Kaspersky Lab",
        via="legal-name",
        score=1.0,
        severity=severity,
        rule="bans.banned-vendor",
        authorities=authorities,
        waiver=None,
        message="m",
    )


@pytest.fixture(scope="module")
def ban_data() -> BanData:
    return load_ban_data(default_ban_files())


@pytest.fixture
def inventory(ban_data: BanData) -> Inventory:
    results = [
        FileResult(
            "a/pr-1.yaml",
            True,
            hits=[_hit("a/pr-1.yaml", "kaspersky", ("dhs-bod-17-01", "ndaa-fy2018-1634"))],
        ),
        FileResult(
            "a/pr-2.yaml",
            True,
            refs=("a/fw.cdx.json",),
            hits=[
                _hit("a/fw.cdx.json", "huawei", ("ndaa-fy2019-889",), line=29),
                _hit("a/pr-2.yaml", "dahua", ("ndaa-fy2019-889",), severity="warn"),
            ],
        ),
        FileResult(
            "b/bad.yaml",
            True,
            problems=[Problem("b/bad.yaml", 3, 5, "parse.error", "deny", "unclosed bracket")],
        ),
        FileResult("b/notes.yaml", False),
        FileResult("b/old.yaml", True, listed=2),
    ]
    return build_inventory(results, 6, ban_data, TODAY, "us-federal", "deny")


def test_groups_by_vendor_then_authority(inventory: Inventory) -> None:
    assert [v.entity.id for v in inventory.vendors] == ["kaspersky", "huawei", "dahua"]
    kaspersky = inventory.vendors[0]
    assert [g.id for g in kaspersky.authorities] == ["dhs-bod-17-01", "ndaa-fy2018-1634"]
    bod = kaspersky.authorities[0]
    assert bod.since == date(2017, 9, 13)
    assert [d.due for d in bod.clock] == [
        date(2017, 10, 13),
        date(2017, 11, 12),
        date(2017, 12, 12),
    ]
    s = inventory.summary()
    assert (s["files"], s["checked"], s["affected_items"], s["deny"], s["warn"]) == (6, 5, 3, 2, 1)
    assert (s["problems"], s["listed_not_banned"], s["passed"]) == (1, 2, False)


def test_exit_code_follows_fail_on(ban_data: BanData) -> None:
    warn_only = [
        FileResult(
            "x.yaml", True, hits=[_hit("x.yaml", "dahua", ("ndaa-fy2019-889",), severity="warn")]
        )
    ]
    assert build_inventory(warn_only, 1, ban_data, TODAY, "us-federal", "deny").exit_code() == 0
    assert build_inventory(warn_only, 1, ban_data, TODAY, "us-federal", "warn").exit_code() == 1
    assert build_inventory([], 0, ban_data, TODAY, "us-federal", "deny").exit_code() == 0


def test_json_report(inventory: Inventory) -> None:
    report = json.loads(render_json(inventory))
    assert report["version"] == 1 and report["date"] == "2026-11-28"
    kaspersky = report["vendors"][0]
    bod = kaspersky["authorities"][0]
    assert bod["id"] == "dhs-bod-17-01" and bod["banned_since"] == "2017-09-13"
    assert bod["clock"][0] == {
        "what": "identify Kaspersky-branded products",
        "due": "2017-10-13",
        "days": 30,
        "status": "passed 3333 days ago",
    }
    assert bod["items"][0]["file"] == "a/pr-1.yaml"
    assert report["problems"][0]["rule"] == "parse.error"


def test_csv_report_has_a_row_per_item_and_authority(inventory: Inventory) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(inventory))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["vendor_id"], r["authority"], r["file"]) for r in rows] == [
        ("kaspersky", "dhs-bod-17-01", "a/pr-1.yaml"),
        ("kaspersky", "ndaa-fy2018-1634", "a/pr-1.yaml"),
        ("huawei", "ndaa-fy2019-889", "a/fw.cdx.json"),
        ("dahua", "ndaa-fy2019-889", "a/pr-2.yaml"),
    ]
    assert rows[0]["clock"].startswith("identify Kaspersky-branded products by 2017-10-13")
    # Issue 12: a directive's deadlines that have passed say so everywhere (the HTML, JSON and
    # explain did; the CSV gave the bare dates).
    assert rows[0]["clock"].startswith(
        "identify Kaspersky-branded products by 2017-10-13 (passed "
    ), rows[0]["clock"]
    assert rows[0]["clock"].endswith(" days ago)")


def test_html_report_is_self_contained_and_escaped(inventory: Inventory) -> None:
    html = render_html(inventory)
    page = lxml.html.fromstring(html)
    # Nothing loaded from elsewhere: no scripts, stylesheets or images.
    assert not page.xpath("//script | //link | //img | //iframe")
    rows = page.xpath("//tr[@class='hit']")
    assert {(r.get("data-file"), r.get("data-entity")) for r in rows} == {
        ("a/pr-1.yaml", "kaspersky"),
        ("a/fw.cdx.json", "huawei"),
        ("a/pr-2.yaml", "dahua"),
    }
    assert "Endpoint <b>Security</b>" in rows[0].text_content()  # shown as text, not markup
    assert [h.text_content() for h in page.xpath("//h1")] == [
        "Inventory scan: items covered by vendor bans"
    ]
    assert (
        page.xpath("//section[@id='vendor-kaspersky']//ol/li")[0]
        .text_content()
        .startswith("Identify Kaspersky-branded products within 30 days: by 2017-10-13")
    )
    assert page.xpath("//tr[@class='problem']/@data-file") == ["b/bad.yaml"]
    assert "@media print" in html
