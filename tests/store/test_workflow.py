"""`procgate inventory list|show|set|report|verify`: statuses, owners, due dates from the
authority's clock, notes, and a hash-chained history that notices edits behind its back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import DATE
from store_support import execute, rows


def _stored(procgate: Callable[..., Result], store: str) -> dict[str, int]:
    """Sweep the examples into `store`; entity -> finding id."""
    assert procgate("scan", "records", "--store", store, "--date", DATE).exit_code == 1
    return {r["entity"]: r["id"] for r in rows(store, "SELECT id, entity FROM findings")}


def test_due_dates_come_from_the_authority_clock(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    ids = _stored(procgate, store_url)
    due = {r["entity"]: r for r in rows(store_url, "SELECT entity, due, due_basis FROM findings")}
    # BOD 17-01: begin removal within 90 days of 2017-09-13.
    assert str(due["kaspersky"]["due"]) == "2017-12-12"
    assert "BOD 17-01 was issued on 2017-09-13" in due["kaspersky"]["due_basis"]
    # §889 sets no clock: BOD 17-01's 90 days, from when the item was first seen.
    [first] = rows(store_url, "SELECT first_seen FROM findings WHERE entity = 'huawei'")
    assert "sets no clock" in due["huawei"]["due_basis"]
    assert str(due["huawei"]["due"]) > str(first["first_seen"])[:10]
    # YMTC's listing is effective 2027-12-23: not due before the ban applies.
    assert str(due["ymtc"]["due"]) >= "2027-12-23"
    listed = procgate("inventory", "list", "--store", store_url, "--date", DATE)
    assert listed.exit_code == 1  # an item is overdue
    first_line = listed.output.splitlines()[0]
    assert first_line.startswith(f"#{ids['kaspersky']} [open] kaspersky")
    assert "OVERDUE by 3273 days" in first_line
    assert listed.output.rstrip().endswith("7 items, 1 overdue.")


def test_set_records_who_when_why_and_show_tells_the_history(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    ids = _stored(procgate, store_url)
    k = str(ids["kaspersky"])
    done = procgate(
        "inventory",
        "set",
        k,
        "--store",
        store_url,
        "--status",
        "removal-planned",
        "--owner",
        "it-security",
        "--note",
        "plan filed with DHS",
        "--why",
        "BOD 17-01 plan",
        "--by",
        "pat",
    )
    assert done.exit_code == 0, done.output
    assert "status -> 'removal-planned'" in done.output
    done = procgate(
        "inventory",
        "set",
        k,
        "--store",
        store_url,
        "--status",
        "removed",
        "--why",
        "uninstalled from 250 hosts (ticket IT-77)",
        "--by",
        "sam",
    )
    assert done.exit_code == 0
    shown = procgate("inventory", "show", k, "--store", store_url, "--date", DATE)
    assert "status: removed, owner it-security" in shown.output
    [first] = [line for line in shown.output.splitlines() if line.strip().startswith("1. ")]
    assert " pat: " in first and "status 'open' -> 'removal-planned'" in first
    assert "owner '' -> 'it-security'" in first and first.endswith(" - BOD 17-01 plan")
    assert "sam: status 'removal-planned' -> 'removed' - uninstalled from 250 hosts" in (
        shown.output
    )
    assert "plan filed with DHS" in shown.output
    # Closed: no longer listed as open, nothing overdue.
    listed = procgate("inventory", "list", "--store", store_url, "--date", DATE)
    assert listed.exit_code == 0 and "kaspersky" not in listed.output
    verified = procgate("inventory", "verify", "--store", store_url)
    assert verified.exit_code == 0 and "2 changes checked: intact." in verified.output


def test_accepted_risk_only_where_a_waiver_is_allowed(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    ids = _stored(procgate, store_url)
    refused = procgate(
        "inventory",
        "set",
        str(ids["kaspersky"]),
        "--store",
        store_url,
        "--status",
        "accepted-risk",
        "--why",
        "we like it",
    )
    assert refused.exit_code == 2 and "accepted-risk is not allowed" in refused.output
    assert rows(store_url, "SELECT status FROM findings WHERE entity='kaspersky'") == [
        {"status": "open"}
    ]
    # No reason, no change.
    refused = procgate(
        "inventory",
        "set",
        str(ids["huawei"]),
        "--store",
        store_url,
        "--status",
        "investigating",
        "--why",
        " ",
    )
    assert refused.exit_code == 2 and "why is required" in refused.output


def test_edits_behind_procgates_back_are_found(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    ids = _stored(procgate, store_url)
    for status in ("investigating", "removal-planned"):
        procgate(
            "inventory",
            "set",
            str(ids["huawei"]),
            "--store",
            store_url,
            "--status",
            status,
            "--why",
            "step",
            "--by",
            "pat",
        )
    # A status changed with SQL, no history: found.
    execute(store_url, f"UPDATE findings SET status = 'false-positive' WHERE id = {ids['dji']}")
    verified = procgate("inventory", "verify", "--store", store_url)
    assert verified.exit_code == 1
    assert f"finding {ids['dji']}: status is 'false-positive' but its history says 'open'" in (
        verified.output
    )
    execute(store_url, f"UPDATE findings SET status = 'open' WHERE id = {ids['dji']}")
    # A change rewritten (its reason): found.
    [change] = rows(store_url, "SELECT seq, record FROM changes WHERE seq = 1")
    forged = change["record"].replace('"why":"step"', '"why":"forged"')
    execute(store_url, "UPDATE changes SET record = '" + forged + "', why = 'forged' WHERE seq = 1")
    verified = procgate("inventory", "verify", "--store", store_url)
    assert verified.exit_code == 1 and "change 1: content does not match its hash" in (
        verified.output
    )
    # A change removed: the next one no longer follows.
    execute(store_url, "DELETE FROM changes WHERE seq = 1")
    verified = procgate("inventory", "verify", "--store", store_url)
    assert verified.exit_code == 1 and "change 2:" in verified.output


def test_a_removed_item_found_again_is_reopened_in_the_history(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    ids = _stored(procgate, store_url)
    procgate(
        "inventory",
        "set",
        str(ids["dji"]),
        "--store",
        store_url,
        "--status",
        "removed",
        "--why",
        "drones returned",
        "--by",
        "pat",
    )
    assert procgate("scan", "records", "--store", store_url, "--date", DATE).exit_code == 1
    [dji] = rows(store_url, f"SELECT status FROM findings WHERE id = {ids['dji']}")
    assert dji["status"] == "open"
    shown = procgate("inventory", "show", str(ids["dji"]), "--store", store_url)
    assert "procgate scan: status 'removed' -> 'open' - found again in sweep" in shown.output
    assert procgate("inventory", "verify", "--store", store_url).exit_code == 0


def test_report_groups_open_items_and_draws_them_over_time(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    _stored(procgate, store_url)
    (records / "purchase-requests/kaspersky-endpoint.yaml").unlink()
    procgate("scan", "records", "--store", store_url, "--date", DATE)
    out = procgate("inventory", "report", "--store", store_url, "--date", DATE, "--format", "json")
    data = json.loads(out.output)
    assert data["open"] == 6 and data["overdue"] == 0
    assert data["by_vendor"]["hikvision"] == {"ndaa-fy2019-889": 2, "fcc-covered-list": 2}
    assert [n for _, n in data["open_over_time"]] == [7, 6, 6]


def test_inventory_commands_need_an_existing_store(
    procgate: Callable[..., Result], tmp_path: Path
) -> None:
    result = procgate("inventory", "list", "--store", str(tmp_path / "none.db"))
    assert result.exit_code == 2 and "no store at" in result.output
    assert not (tmp_path / "none.db").exists()
