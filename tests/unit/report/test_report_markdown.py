"""--format markdown: a PR comment or step summary that stays readable and under GitHub's limit."""

from __future__ import annotations

import re
from dataclasses import replace

from report_fixtures import DENY, REVIEW, SCHEMA, VERDICT, WAIVED

from procgate.model import Position, Verdict
from procgate.report.markdown import MAX_CELL, cell, code, render_markdown, row

GITHUB_COMMENT_LIMIT = 65_536
FOOTER = re.compile(r"… and (\d+) more findings? not shown \(see the full report\)$")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_rows(out: str) -> list[str]:
    return [line for line in out.split("\n") if line.startswith("| ") and "---" not in line][1:]


def test_heading_counts_and_one_row_per_finding() -> None:
    out = render_markdown(VERDICT, "deny")
    assert out.startswith("## ❌ procgate: failed\n")
    assert "**5 files checked**: 3 deny, 1 warn, 1 waived (fail on: deny)" in out
    rows = table_rows(out)
    assert len(rows) == len(VERDICT.findings)
    assert not FOOTER.search(out)
    # Blocking findings first, so a truncated table keeps them.
    assert [r.split(" | ")[0] for r in rows] == ["| ⛔ deny"] * 3 + ["| ⚠️ warn", "| 🔕 waived"]


def test_passing_run() -> None:
    out = render_markdown(Verdict(("a.yaml",), (WAIVED,)), "deny")
    assert out.startswith("## ✅ procgate: passed\n")
    assert render_markdown(Verdict(("a.yaml",), (REVIEW,)), "warn").startswith("## ❌")


def test_every_row_has_six_cells_whatever_the_text() -> None:
    for f in (*VERDICT.findings, replace(DENY, message="a|b\\|c\n|d\r\n", matched="x|`y`\nz")):
        assert len(UNESCAPED_PIPE.findall(row(f))) == 7, row(f)


def test_cell_content() -> None:
    [deny, schema, _, review, waived] = table_rows(render_markdown(VERDICT, "deny"))
    assert "`requests/pr-42.yaml:14`" in deny
    assert "`kaspersky` as `AO Kaspersky Lab`" in deny
    assert "`dhs-bod-17-01`, `ndaa-fy2018-1634`" in deny
    assert DENY.action in deny
    assert "| — | — |" in schema  # no vendor, no authorities
    assert "\\| use not stated:<br>NDAA" in review
    assert "waived by `W-2024-007`" in waived


def test_document_text_cannot_become_markup() -> None:
    f = replace(
        DENY,
        message="See [docs](https://evil.test) <img src=x> **now** @acme/team",
        matched="@acme/security `x`",
        action="<details>",
    )
    r = row(f)
    assert "\\[docs\\](https://evil.test) \\<img src=x\\> \\*\\*now\\*\\*" in r
    assert "`@acme/security 'x'`" in r  # a code span: no mention, no link
    assert "\\<details\\>" in r


def test_cell_and_code_helpers() -> None:
    assert cell("a|b\nc\r\nd") == "a\\|b<br>c<br>d"
    assert code("a|b\nc") == "`a\\|b c`"
    assert code("") == ""
    long = cell("x" * 10_000)
    assert len(long) == MAX_CELL and long.endswith("…")


def test_5000_findings_stay_under_githubs_comment_limit() -> None:
    findings = tuple(
        replace(
            f,
            position=Position(f"sboms/team-{i % 40}/bom {i}.cdx.json", i + 1, 3),
            pointer=f"/components/{i}/supplier/name",
        )
        for i in range(1250)
        for f in (REVIEW, DENY, WAIVED, SCHEMA)
    )
    verdict = Verdict(tuple(dict.fromkeys(f.position.file for f in findings)), findings)
    out = render_markdown(verdict, "deny")
    assert len(out) <= GITHUB_COMMENT_LIMIT
    match = FOOTER.search(out)
    assert match, out[-200:]
    shown = table_rows(out)
    assert len(shown) + int(match.group(1)) == 5000
    assert all(r.startswith("| ⛔ deny") for r in shown)  # 2,500 denies come first


def test_truncation_fills_the_budget_exactly_without_passing_it() -> None:
    findings = tuple(replace(DENY, position=Position("a.yaml", i + 1, 1)) for i in range(50))
    verdict = Verdict(("a.yaml",), findings)
    full = render_markdown(verdict, "deny")
    assert not FOOTER.search(full)
    for limit in range(len(full) - 1, 300, -97):
        out = render_markdown(verdict, "deny", max_chars=limit)
        assert len(out) <= limit
        match = FOOTER.search(out)
        assert match and len(table_rows(out)) + int(match.group(1)) == 50
        # One more row would not have fitted.
        next_row = len(row(findings[0])) + 1
        assert len(out) + next_row > limit - 3
    assert render_markdown(verdict, "deny", max_chars=len(full)) == full
