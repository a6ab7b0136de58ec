"""The page in a real browser: Debian's chromium driven by Playwright.

A browser download (`playwright install`) does not work here; .ci/run installs Debian's
chromium. Without it these tests are skipped with the install hint in pytest's summary, except
under CI (`CI=true`), where they fail. Screenshots and a PDF of the printed page are kept under
test-artifacts/browser/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import EXAMPLES, ROOT
from procgate_server import Server, running_server

INSTALL_HINT = (
    "Debian's chromium is not installed: run `sudo apt-get install -y chromium` "
    "(.ci/run does it); `playwright install` cannot download a browser here"
)
ARTIFACTS = ROOT / "test-artifacts" / "browser"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PR = EXAMPLES / "purchase-requests"

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.fail("Playwright is missing: pip install -e '.[test]'")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{INSTALL_HINT} (CI=true: the browser tests must run)")
        pytest.skip(INSTALL_HINT)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(
        tmp_path_factory.mktemp("browser"), "--date", "2026-11-28", "--max-file-mb", "0.05"
    ) as s:
        yield s


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=server.url)
    p = context.new_page()
    p.goto("/")
    yield p
    context.close()


def upload(page: Page, *paths: Path) -> None:
    page.set_input_files("#files", [str(p) for p in paths])
    page.get_by_role("button", name="Check", exact=True).first.click()


def test_banned_request_is_blocked(page: Page) -> None:
    upload(page, PR / "kaspersky-endpoint.yaml")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Blocked: this purchase must not go ahead as it is"
    )
    finding = page.locator("article.finding").first
    expect(finding.get_by_role("heading", level=3)).to_contain_text(
        "AO Kaspersky Lab is banned for U.S. federal agencies"
    )
    expect(finding).to_contain_text("DHS Binding Operational Directive 17-01")
    expect(finding).to_contain_text("since 2017-09-13")
    expect(finding).to_contain_text("What to do")
    highlighted = finding.locator("mark")
    expect(highlighted).to_contain_text("17")
    expect(highlighted).to_contain_text("name: Kaspersky Lab ZAO")
    page.screenshot(path=ARTIFACTS / "blocked.png", full_page=True)


def test_clean_request_passes(page: Page) -> None:
    upload(page, PR / "laptops-clean.yaml")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Passed: no vendor ban stops this purchase"
    )
    expect(page.locator("article.finding")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "passed.png", full_page=True)


def test_malformed_paste_shows_the_line(page: Page) -> None:
    page.get_by_label("Or paste a document").fill(
        "apiVersion: procgate/v1\nkind: PurchaseRequest\nitems: [\n  - oops: {\n"
    )
    page.get_by_role("button", name="Check", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Blocked")
    finding = page.locator("article.finding").first
    expect(finding.get_by_role("heading", level=3)).to_have_text("Blocks File cannot be parsed")
    expect(finding).to_contain_text("Line ")
    expect(finding.locator("mark")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "malformed.png", full_page=True)


def test_oversize_upload_is_refused_with_a_message(page: Page) -> None:
    page.set_input_files(
        "#files",
        files=[{"name": "huge.yaml", "mimeType": "text/yaml", "buffer": b"# padding\n" * 10_000}],
    )
    page.get_by_role("button", name="Check", exact=True).first.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("huge.yaml is larger than 51.2 KB")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check a purchase before it goes anywhere"
    )
    page.screenshot(path=ARTIFACTS / "refused.png", full_page=True)


def test_keyboard_order(page: Page) -> None:
    order: list[str] = []
    while len(order) < 11:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement.id || document.activeElement.textContent.trim()"
        )
        if not order or order[-1] != focused:  # a date input takes a Tab per field
            order.append(focused)
    assert order == [
        "Skip to main content",
        "procgate",
        "Check a purchase",
        "Look up a vendor",
        "New purchase request (template)",
        "files",
        "text",
        "text_name",
        "audience",
        "date",
        "Check",
    ]


def test_vendor_lookup(page: Page) -> None:
    page.get_by_label("Vendor, brand, product, web domain or package name").fill("HiLook")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("heading", level=3)).to_have_text(
        "Hangzhou Hikvision Digital Technology Co Ltd"
    )
    expect(page.locator("main")).to_contain_text("“HiLook” matches “HiLook” (brand)")
    page.screenshot(path=ARTIFACTS / "lookup.png", full_page=True)


def test_prints_cleanly(page: Page) -> None:
    upload(page, PR / "cameras-lobby.yaml")
    page.emulate_media(media="print")
    expect(page.locator("form").first).to_be_hidden()
    expect(page.get_by_role("navigation")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.pdf(path=ARTIFACTS / "result-printed.pdf")
