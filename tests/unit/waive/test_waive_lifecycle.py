"""apply_waivers: a waiver's life by date, its scope, rejections and unused waivers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from procgate.load import load
from procgate.model import Authority, Finding, Position, Severity, Waiver, WaiverScope
from procgate.waive import Target, apply_waivers, parse_waiver


def _authority(id: str, waivable: bool) -> Authority:
    return Authority(
        id=id,
        title=f"Title of {id}",
        citation="c",
        issued=None,
        audiences={"us-federal": date(2019, 8, 13)},
        severity={"us-federal": "deny"},
        waivable=waivable,
        source="s",
    )


AUTHORITIES = {
    "ndaa-fy2019-889": _authority("ndaa-fy2019-889", True),
    "fcc-covered-list": _authority("fcc-covered-list", True),
    "ndaa-fy2018-1634": _authority("ndaa-fy2018-1634", False),
}


def finding(
    entity: str = "hikvision",
    rule: str = "bans.banned-vendor",
    authorities: tuple[str, ...] = ("ndaa-fy2019-889",),
    file: str = "requests/pr.yaml",
    severity: Severity = Severity.DENY,
    component: str | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message="m",
        position=Position(file, 7, 3),
        entity=entity,
        authorities=authorities,
        component=component,
    )


def waiver(**changes: object) -> Waiver:
    base = Waiver(
        id="W-1",
        rule=None,
        entity="hikvision",
        scope=WaiverScope(files=("requests/*.yaml",)),
        approver="CISO",
        reason="r",
        ticket="T-1",
        expires=date(2026, 6, 30),
        approved_on=date(2026, 1, 1),
        authority="ndaa-fy2019-889",
        positions={
            "id": Position("waivers/w1.yaml", 3, 1),
            "expires": Position("waivers/w1.yaml", 12, 1),
            "approved_on": Position("waivers/w1.yaml", 11, 1),
            "authority": Position("waivers/w1.yaml", 9, 1),
            "scope": Position("waivers/w1.yaml", 5, 1),
        },
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def run(
    findings: list[Finding],
    waivers: list[Waiver],
    today: date,
    targets: dict[str, Target] | None = None,
) -> list[Finding]:
    return apply_waivers(findings, waivers, today, authorities=AUTHORITIES, targets=targets)


def rules_of(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, str(f.severity)) for f in findings]


# ---------------------------------------------------------------- by date


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 12, 31), [("bans.banned-vendor", "deny"), ("waiver.not-yet-active", "warn")]),
        (date(2026, 1, 1), [("bans.banned-vendor", "waived")]),
        (date(2026, 5, 31), [("bans.banned-vendor", "waived")]),  # 30 days left: warns
        (date(2026, 6, 30), [("bans.banned-vendor", "waived")]),  # its last day
        (date(2026, 7, 1), [("bans.banned-vendor", "deny"), ("waiver.expired", "warn")]),
    ],
)
def test_lifecycle(today: date, expected: list[tuple[str, str]]) -> None:
    out = run([finding()], [waiver()], today)
    expiring = (waiver().expires - today).days
    if 0 <= expiring <= 30:
        expected = [*expected, ("waiver.expiring", "warn")]
    assert rules_of(out) == expected


def test_expiring_is_not_reported_31_days_ahead() -> None:
    out = run([finding()], [waiver()], date(2026, 5, 30))
    assert rules_of(out) == [("bans.banned-vendor", "waived")]


def test_waived_finding_keeps_everything_but_severity_and_carries_the_id() -> None:
    f = finding()
    [out] = run([f], [waiver()], date(2026, 3, 1))
    assert out == replace(f, severity=Severity.WAIVED, waived_by=waiver())


def test_expired_waiver_is_reported_where_its_expiry_is_written() -> None:
    out = run([finding()], [waiver()], date(2026, 8, 1))
    note = out[-1]
    assert note.rule == "waiver.expired" and note.about_waiver == "W-1" and note.waived_by is None
    assert note.position == Position("waivers/w1.yaml", 12, 1)
    assert "expired on 2026-06-30 (32 days ago)" in note.message


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("scope", "target", "component", "waived"),
    [
        (WaiverScope(files=("requests/*.yaml",)), Target("requests/pr.yaml"), None, True),
        (WaiverScope(files=("requests/*.yaml",)), Target("requests/sub/pr.yaml"), None, False),
        (WaiverScope(files=("requests/**",)), Target("requests/sub/pr.yaml"), None, True),
        (WaiverScope(files=("**/pr.yaml",)), Target("pr.yaml"), None, True),
        (WaiverScope(files=("other/*.yaml",)), Target("requests/pr.yaml"), None, False),
        (WaiverScope(requests=("PR-1",)), Target("requests/pr.yaml", "PR-1"), None, True),
        (WaiverScope(requests=("PR-1",)), Target("requests/pr.yaml", "PR-2"), None, False),
        (WaiverScope(requests=("PR-1",)), Target("requests/pr.yaml"), None, False),
        (
            WaiverScope(components=("pkg:npm/cam-sdk",)),
            Target("bom.json"),
            "pkg:npm/cam-sdk@2.1",
            True,
        ),
        (
            WaiverScope(components=("pkg:npm/cam-sdk@2.1",)),
            Target("bom.json"),
            "pkg:npm/cam-sdk@2.1?arch=x86",
            True,
        ),
        (
            WaiverScope(components=("pkg:npm/cam-sdk@2.0",)),
            Target("bom.json"),
            "pkg:npm/cam-sdk@2.1",
            False,
        ),
        (
            WaiverScope(components=("pkg:npm/cam-sdk",)),
            Target("bom.json"),
            "pkg:npm/cam-sdk-x@1",
            False,
        ),
        (WaiverScope(components=("pkg:npm/cam-sdk",)), Target("bom.json"), None, False),
        # every list given must match
        (
            WaiverScope(files=("requests/*",), requests=("PR-1",)),
            Target("requests/a", "PR-1"),
            None,
            True,
        ),
        (
            WaiverScope(files=("requests/*",), requests=("PR-1",)),
            Target("other/a", "PR-1"),
            None,
            False,
        ),
    ],
)
def test_scope(scope: WaiverScope, target: Target, component: str | None, waived: bool) -> None:
    f = finding(file="shown/as", component=component)
    out = run([f], [waiver(scope=scope)], date(2026, 3, 1), {"shown/as": target})
    assert (out[0].severity is Severity.WAIVED) is waived
    assert [n.rule for n in out[1:]] == ([] if waived else ["waiver.unused"])


def test_entity_and_rule_must_both_match_when_both_are_given() -> None:
    w = waiver(rule="bans.review")
    out = run(
        [finding(rule="bans.banned-vendor"), finding(rule="bans.review", severity=Severity.WARN)],
        [w],
        date(2026, 3, 1),
    )
    assert [str(f.severity) for f in out] == ["deny", "waived"]


def test_rule_only_waiver_covers_every_entity_in_scope() -> None:
    w = waiver(entity=None, rule="identifiers.malformed", authority=None)
    out = run(
        [
            finding(
                entity=None, rule="identifiers.malformed", authorities=(), severity=Severity.WARN
            )
        ],
        [w],
        date(2026, 3, 1),
    )
    assert [str(f.severity) for f in out] == ["waived"]


def test_waiver_findings_are_never_waived() -> None:
    expired = waiver(id="W-0", expires=date(2026, 1, 31))
    catch_all = waiver(
        id="W-9",
        entity=None,
        rule="waiver.expired",
        authority=None,
        scope=WaiverScope(files=("**",)),
    )
    out = run([], [expired, catch_all], date(2026, 3, 1))
    assert ("waiver.expired", "warn") in rules_of(out)


# ---------------------------------------------------------------- authorities


def test_waiver_under_an_unwaivable_authority_is_rejected_with_the_reason() -> None:
    w = waiver(entity="kaspersky", authority="ndaa-fy2018-1634")
    out = run(
        [finding(entity="kaspersky", authorities=("ndaa-fy2018-1634",))], [w], date(2026, 3, 1)
    )
    assert rules_of(out) == [("bans.banned-vendor", "deny"), ("waiver.rejected", "deny")]
    assert "allows no waivers" in out[1].message
    assert out[1].position == Position("waivers/w1.yaml", 9, 1)


def test_no_waiver_covers_a_finding_an_unwaivable_authority_reaches() -> None:
    # Granted under a waivable authority, but §1634 also reaches the finding.
    w = waiver(entity="kaspersky", authority="fcc-covered-list")
    f = finding(entity="kaspersky", authorities=("fcc-covered-list", "ndaa-fy2018-1634"))
    out = run([f], [w], date(2026, 3, 1))
    assert rules_of(out) == [("bans.banned-vendor", "deny"), ("waiver.not-applicable", "warn")]
    assert "Title of ndaa-fy2018-1634 allow(s) no waivers" in out[1].message


def test_waiver_without_authority_still_cannot_cover_an_unwaivable_finding() -> None:
    w = waiver(entity="kaspersky", authority=None)
    out = run(
        [finding(entity="kaspersky", authorities=("ndaa-fy2018-1634",))], [w], date(2026, 3, 1)
    )
    assert rules_of(out)[0] == ("bans.banned-vendor", "deny")


def test_waiver_covers_only_findings_of_its_authority() -> None:
    w = waiver(authority="fcc-covered-list")
    out = run([finding(authorities=("ndaa-fy2019-889",))], [w], date(2026, 3, 1))
    assert rules_of(out) == [("bans.banned-vendor", "deny"), ("waiver.not-applicable", "warn")]


def test_unknown_authority_and_backwards_dates_and_duplicate_ids_are_rejected() -> None:
    unknown = waiver(id="W-1", authority="no-such-law")
    backwards = waiver(id="W-2", approved_on=date(2026, 7, 1))
    first, again = waiver(id="W-3"), waiver(id="W-3")
    out = run([], [unknown, backwards, first, again], date(2026, 3, 1))
    rejected = [f.message for f in out if f.rule == "waiver.rejected"]
    assert len(rejected) == 3
    assert any("no-such-law" in m for m in rejected)
    assert any("before approval" in m for m in rejected)
    assert any("already used" in m for m in rejected)


def test_unused_waiver_is_reported() -> None:
    out = run([finding(entity="dahua")], [waiver()], date(2026, 3, 1))
    assert rules_of(out) == [("bans.banned-vendor", "deny"), ("waiver.unused", "warn")]
    assert "matches no finding (entity hikvision" in out[1].message


# ---------------------------------------------------------------- the waiver file


WAIVER_FILE = """\
apiVersion: procgate/v1
kind: Waiver
id: W-7
entity: hikvision
scope:
  files: [requests/*.yaml]
  requests: [PR-9]
reason: Replacement parts for an existing system.
approved_by: Jo (CISO)
approved_on: 2026-01-05
expires: 2026-04-30
authority: ndaa-fy2019-889
"""


def test_parse_waiver_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(WAIVER_FILE, encoding="utf-8")
    w = parse_waiver(load(path, "waivers/w.yaml"))  # type: ignore[arg-type]
    assert w is not None
    assert (w.id, w.entity, w.rule, w.authority) == ("W-7", "hikvision", None, "ndaa-fy2019-889")
    assert w.scope == WaiverScope(files=("requests/*.yaml",), requests=("PR-9",))
    assert (w.approved_on, w.expires) == (date(2026, 1, 5), date(2026, 4, 30))
    assert w.position("expires") == Position("waivers/w.yaml", 11, 1)


@pytest.mark.parametrize(
    "broken",
    [
        WAIVER_FILE.replace("expires: 2026-04-30\n", ""),  # no expiry
        WAIVER_FILE.replace("entity: hikvision\n", ""),  # neither entity nor rule
        WAIVER_FILE.replace(
            "scope:\n  files: [requests/*.yaml]\n  requests: [PR-9]\n", "scope: {}\n"
        ),
        WAIVER_FILE.replace("expires: 2026-04-30", "expires: someday"),
        WAIVER_FILE + "approver: typo\n",
    ],
)
def test_a_waiver_failing_its_schema_waives_nothing(tmp_path: Path, broken: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(broken, encoding="utf-8")
    assert parse_waiver(load(path)) is None  # type: ignore[arg-type]
