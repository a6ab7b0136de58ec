"""The inventory page (`procgate serve --store`) in a real browser: open items by vendor and
authority, overdue items, and the burn-down chart drawn on the server as SVG; no script, the
same CSP as every page. Debian's chromium through Playwright, as test_browser.py."""

from __future__ import annotations

import shutil
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
