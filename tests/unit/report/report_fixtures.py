"""A fixed Verdict for reporter tests, and golden-file comparison.

PROCGATE_REGENERATE_GOLDEN=1 rewrites the golden files instead of comparing (the way
cyclonedx-python-lib's SnapshotMixin does); review the diff before committing it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from procgate.model import Finding, Position, Severity, Verdict, Waiver, WaiverScope

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"
REGENERATE = os.environ.get("PROCGATE_REGENERATE_GOLDEN") == "1"

PR42 = "requests/pr-42.yaml"
PR43 = "requests/pr-43.yaml"
SBOM = "sboms/app bom ü 2024.cdx.json"  # a space and non-ASCII in the name
LEGACY = "legacy/export.xml"
CLEAN = "requests/clean.yaml"

DENY = Finding(
    rule="bans.banned-vendor",
    severity=Severity.DENY,
    message="Vendor 'AO Kaspersky Lab' is banned for us-federal buyers.",
    position=Position(PR42, 14, 7),
    pointer="/items/0/manufacturer/name",
    entity="kaspersky",
    authorities=("dhs-bod-17-01", "ndaa-fy2018-1634"),
    matched="AO Kaspersky Lab",
    listed_name="AO Kaspersky Lab",
    score=1.0,
    via="legal-name",
    action="Remove the item and choose another endpoint security vendor.",
)
REVIEW = Finding(
    rule="bans.review",
    severity=Severity.WARN,
    message="Component supplier 'Hangzhou Hikvision Digital Technology Co., Ltd.' | use not "
    "stated:\nNDAA §889 reaches Hikvision only for some uses (100% of <public-safety> ones).",
    position=Position(SBOM, 30, 9),
    pointer="/components/3/supplier/name",
    entity="hikvision",
    authorities=("ndaa-fy2019-889",),
    matched="Hangzhou Hikvision Digital Technology Co., Ltd.",
    listed_name="Hangzhou Hikvision Digital Technology Co., Ltd.",
    score=0.93,
    via="fuzzy",
    action="State the use in the purchase request, then re-run the check.",
)
WAIVER = Waiver(
    id="W-2024-007",
    rule=None,
    entity="huawei",
    scope=WaiverScope(requests=("PR-43",)),
    approver="Dana Lee (CPO)",
    reason="Replacement ordered; the old router stays offline.",
    ticket="PROC-12",
    expires=date(2025, 6, 30),
    approved_on=date(2024, 7, 1),
)
WAIVED = Finding(
    rule="bans.banned-vendor",
    severity=Severity.WAIVED,
    message="Vendor 'Huawei Technologies Co., Ltd.' is banned for us-federal buyers.",
    position=Position(PR43, 8, 11),
    pointer="/vendor/name",
    entity="huawei",
    authorities=("ndaa-fy2019-889", "fcc-covered-list"),
    matched="Huawei Technologies Co., Ltd.",
    listed_name="Huawei Technologies Co., Ltd.",
    score=1.0,
    via="legal-name",
    action="Replace the equipment before the waiver expires.",
    waived_by=WAIVER,
)
SCHEMA = Finding(
    rule="schema.invalid",
    severity=Severity.DENY,
    message="'quantity' is a required property",
    position=Position(PR43, 12, 5),
    pointer="/items/0",
    action="Add the missing field.",
)
NO_LINE = Finding(
    rule="parse.error",
    severity=Severity.DENY,
    message="The file is empty.",
    position=Position(LEGACY, 0, 0),
)

VERDICT = Verdict(
    files=(PR42, SBOM, PR43, LEGACY, CLEAN),
    findings=(DENY, REVIEW, WAIVED, SCHEMA, NO_LINE),
    # as the pipeline sets them: the named authorities with a known source
    authority_urls=(("dhs-bod-17-01", "https://www.cisa.gov/news-events/directives/bod-17-01"),),
)
EMPTY = Verdict(files=(CLEAN,), findings=())


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    # Reporters end without a newline (the CLI adds one); the files end with one so that
    # editors and end-of-file hooks leave them alone.
    actual += "\n"
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        # newline="" so that the file holds exactly the reporter's bytes (\n on every OS).
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"missing golden file {path}: run with PROCGATE_REGENERATE_GOLDEN=1"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from its golden file (PROCGATE_REGENERATE_GOLDEN=1)"
