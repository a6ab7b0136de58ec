"""Checking uploads: requests with the SBOMs they name, audience and date per check, and
the engine kept on one thread."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from procgate.config import Options
from procgate.model import BanData
from procgate.pipeline import Checker
from procgate.serve.checking import Checked, CheckerThread, check_uploads
from procgate.serve.present import excerpt, present
from procgate.serve.uploads import Upload

ROOT = Path(__file__).resolve().parents[3]
PR = ROOT / "examples" / "purchase-requests"
TODAY = date(2026, 11, 28)


def upload(path: Path, name: str | None = None) -> Upload:
    return Upload(name or path.name, path.read_bytes())


@pytest.fixture(scope="module")
def thread() -> Iterator[CheckerThread]:
    t = CheckerThread(Options(today=TODAY))
    t.start()
    yield t
    t.stop()


def run(thread: CheckerThread, *args: object) -> Checked:
    return asyncio.run(thread.run(check_uploads, *args))


def test_engine_stays_on_one_thread(thread: CheckerThread) -> None:
    def where(checker: Checker) -> int:
        return threading.get_ident()

    async def many() -> set[int]:
        return set(await asyncio.gather(*(thread.run(where) for _ in range(20))))

    idents = asyncio.run(many())
    assert len(idents) == 1 and threading.get_ident() not in idents


def test_request_and_its_sbom_uploaded_by_file_name(thread: CheckerThread) -> None:
    checked = run(
        thread,
        [
            upload(PR / "branch-router.yaml"),
            upload(ROOT / "examples/sboms/branch-router-firmware.cdx.json"),
        ],
        "us-federal",
        TODAY,
    )
    [finding] = checked.verdict.findings
    # The request names it ../sboms/branch-router-firmware.cdx.json: linked by file name.
    assert finding.position.file == "../sboms/branch-router-firmware.cdx.json"
    assert finding.entity == "huawei"
    assert checked.verdict.files == (
        "branch-router.yaml",
        "../sboms/branch-router-firmware.cdx.json",
    )


def test_a_missing_sbom_is_a_finding(thread: CheckerThread) -> None:
    checked = run(thread, [upload(PR / "branch-router.yaml")], "us-federal", TODAY)
    assert [f.rule for f in checked.verdict.findings] == ["parse.missing-file"]


def test_an_unparsable_referenced_sbom_is_reported_once(thread: CheckerThread) -> None:
    checked = run(
        thread,
        [upload(PR / "branch-router.yaml"), Upload("branch-router-firmware.cdx.json", b"{ nope")],
        "us-federal",
        TODAY,
    )
    assert [f.rule for f in checked.verdict.findings] == ["parse.error"]


def test_audience_and_date_are_per_check(thread: CheckerThread) -> None:
    pr = [upload(PR / "kaspersky-endpoint.yaml")]
    assert run(thread, pr, "us-federal", TODAY).verdict.exit_code("deny") == 1
    before = run(thread, pr, "us-federal", date(2015, 6, 1)).verdict
    assert [f.rule for f in before.findings] == ["bans.listed-not-banned"]


def test_present_in_plain_words(thread: CheckerThread) -> None:
    checked = run(thread, [upload(PR / "kaspersky-endpoint.yaml")], "us-federal", TODAY)
    view = present(checked, _ban_data(thread), "us-federal", TODAY, "deny")
    assert view.status == "blocked"
    [file] = view.files
    [finding] = file.findings
    assert finding.headline == "AO Kaspersky Lab is banned for U.S. federal agencies"
    assert finding.item == "item 1 (Kaspersky Endpoint Security for Business Select)"
    assert finding.laws[0].id == "dhs-bod-17-01"  # oldest first
    assert [line.number for line in finding.excerpt if line.target] == [17]


def _ban_data(thread: CheckerThread) -> BanData:
    return asyncio.run(thread.run(lambda checker: checker.ban_data))


def test_excerpt_cuts_long_lines_around_the_column() -> None:
    minified = json.dumps({"components": [{"name": f"c{i}"} for i in range(200)]}).encode()
    [line] = excerpt(minified, 1, 1500)
    assert line.target and line.text.startswith("…") and len(line.text) <= 162
    assert excerpt(b"a\nb\nc\nd\ne\nf\n", 4, 1)[0].number == 2
    assert excerpt(b"a\n", 9, 1) == ()
