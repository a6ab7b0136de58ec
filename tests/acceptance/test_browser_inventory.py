"""The inventory page (`procgate serve --store`) in a real browser: open items by vendor and
authority, overdue items, and the burn-down chart drawn on the server as SVG; no script, the
same CSP as every page. Debian's chromium through Playwright, as test_browser.py."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_support import EXAMPLES
from playwright.sync_api import Browser, Page, expect
from procgate_server import Server, running_server
from test_browser import ARTIFACTS, browser  # the module's chromium, or its skip/fail

__all__ = ["browser"]
DATE = "2026-11-28"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sweeps of the examples; between them the Kaspersky request is removed."""
    root = tmp_path_factory.mktemp("inventory-page")
    shutil.copytree(EXAMPLES, root / "records")
    db = root / "inventory.db"
    scan = [sys.executable, "-m", "procgate", "scan", "records", "--store", str(db)]
    for step in range(2):
        if step:
            (root / "records/purchase-requests/kaspersky-endpoint.yaml").unlink()
        done = subprocess.run([*scan, "--date", DATE], cwd=root, capture_output=True, text=True)
        assert done.returncode == 1, done.stdout + done.stderr
    return db


@pytest.fixture(scope="module")
def server(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("inventory-server")
    with running_server(workdir, "--date", DATE, "--store", str(store)) as s:
        yield s


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=server.url)
    p = context.new_page()
    yield p
    context.close()


def test_the_inventory_page_shows_open_overdue_and_the_burn_down(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Inventory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inventory: what must go")
    expect(page.get_by_role("status")).to_contain_text("6 open items, 0 overdue")
    groups = page.locator("table.groups")
    expect(groups.get_by_role("rowheader", name="hikvision")).to_be_visible()
    expect(page.locator("table.open-items tbody tr")).to_have_count(6)
    chart = page.get_by_role("img", name="Open items over time")
    expect(chart).to_be_visible()
    # One point per sweep and one for now: 7 open, then 6, then 6.
    expect(chart.locator("circle")).to_have_count(3)
    points = chart.locator("polyline.burn-down").get_attribute("points") or ""
    ys = [float(p.split(",")[1]) for p in points.split()]
    assert ys[0] < ys[1] == ys[2]  # higher on the page is more open items
    expect(page.locator("script")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "inventory.png", full_page=True)


def test_overdue_items_stand_out(page: Page, server: Server, store: Path) -> None:
    """The Kaspersky item is back (a third sweep finds it): due 2017-12-12 under BOD 17-01."""
    root = store.parent
    shutil.copy(
        EXAMPLES / "purchase-requests/kaspersky-endpoint.yaml",
        root / "records/purchase-requests/kaspersky-endpoint.yaml",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "procgate",
            "scan",
            "records",
            "--store",
            str(store),
            "--date",
            DATE,
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "1 reopened" in done.stdout
    page.goto("/inventory")
    expect(page.get_by_role("status")).to_contain_text("7 open items, 1 overdue")
    overdue = page.locator("table.overdue tbody tr")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("kaspersky")
    expect(overdue).to_contain_text("2017-12-12")
    expect(overdue).to_contain_text("3273 days ago")
    page.screenshot(path=ARTIFACTS / "inventory-overdue.png", full_page=True)


def test_the_page_has_the_same_headers_and_no_script(server: Server) -> None:
    answer = httpx.get(server.url + "/inventory", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert "<script" not in answer.text and "<svg" in answer.text


@pytest.fixture(scope="module")
def editable(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same store (a copy), served with --allow-edits."""
    workdir = tmp_path_factory.mktemp("inventory-edits")
    db = workdir / "inventory.db"
    shutil.copy(store, db)
    with running_server(workdir, "--date", DATE, "--store", str(db), "--allow-edits") as s:
        yield s


def test_a_status_is_changed_through_the_item_form(browser: Browser, editable: Server) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=editable.url)
    page = context.new_page()
    page.goto("/inventory")
    row = page.locator("table.open-items tbody tr", has_text="hikvision").first
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("hikvision")
    expect(page.get_by_text("No changes yet.")).to_be_visible()
    page.get_by_label("Status").select_option("removal-planned")
    page.get_by_label("Owner").fill("facilities <security>")
    page.get_by_label("Add a note").fill("Cameras to be replaced in the Q1 refit.")
    page.get_by_label("Why (recorded in the history; required)").fill("Replacement ordered")
    page.get_by_label("Your name (recorded in the history)").fill("Pat Buyer")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.locator("dd.status")).to_have_text("removal-planned")
    expect(page.locator("dd.owner")).to_have_text("facilities <security>")
    history = page.locator("table.history tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Pat Buyer")
    expect(history).to_contain_text("status: open → removal-planned")
    expect(history).to_contain_text("Replacement ordered")
    expect(page.locator("script")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "inventory-item-edit.png", full_page=True)
    # Kaspersky: accepted-risk is not allowed (BOD 17-01 allows no waiver); refused, unsaved.
    with sqlite3.connect(editable.tmpdir.parent / "inventory.db") as db:
        [(kaspersky,)] = db.execute("SELECT id FROM findings WHERE entity = 'kaspersky'")
    page.goto(f"/inventory/items/{kaspersky}")
    expect(page.locator("option", has_text="(not allowed here)")).to_have_count(1)
    page.get_by_label("Status").select_option("accepted-risk")
    page.get_by_label("Why (recorded in the history; required)").fill("we accept it")
    page.get_by_label("Your name (recorded in the history)").fill("Pat Buyer")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("alert")).to_contain_text("accepted-risk is not allowed")
    expect(page.locator("dd.status")).not_to_have_text("accepted-risk")
    context.close()


def test_the_read_only_server_shows_no_form(page: Page) -> None:
    page.goto("/inventory")
    page.locator("table.open-items tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.locator("form")).to_have_count(0)
    expect(page.get_by_text("This page is read-only")).to_be_visible()
