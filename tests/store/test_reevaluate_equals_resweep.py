"""`inventory reevaluate` decides again only what a list change can affect (store/digests.py);
what it reports must be exactly what a full re-sweep with the new data finds: the items newly
covered, no longer covered, and changing severity, for each kind of change."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import DATE
from store_support import rows
from test_reevaluate import DRONES, NEW_LIST

SKYHAWK_BRAND = (
    '      - {value: Skyhawk Aerial, via: brand, source: "https://agency.example/orders/2026-11"}\n'
)
# A brand that does not look like the maker's name: removing it loses what it matched.
FALCONRY = '      - {value: Falconry Drones, via: brand, source: "https://agency.example/orders/2026-11"}\n'
# The agency's list without its listing of Acronis, with one more brand: what the stores are
# swept with.
BASE = (
    NEW_LIST.split("listings:\n  - entity: acronis", 1)[0]
    + "entities:"
    + NEW_LIST.split("\nentities:", 1)[1]
).replace(SKYHAWK_BRAND, SKYHAWK_BRAND + FALCONRY)
RIVERBIRD = """\
  - id: riverbird
    name: Riverbird Robotics Co.
    name_source: https://agency.example/orders/2026-12
    country: CN
    names: []
    identifiers: {lei: [], uei: [], cage: [], duns: []}
    cpe_vendors: []
    purl_namespaces: []
    domains: []
    listings:
      - authority: agency-drones-2026
        since: 2026-11-01
        scope: any
        entry: Riverbird Robotics and its drones
        source: https://agency.example/orders/2026-12
"""
RIVERBIRD_REQUEST = DRONES.format(n=7).replace(
    "Skyhawk Aerial Systems Ltd.", "Riverbird Robotics Co."
)

FALCONRY_REQUEST = DRONES.format(n=8).replace("brand: Skyhawk Aerial", "brand: Falconry Drones")

CHANGES = {
    "a listing of a shipped entity added": (NEW_LIST, DATE),
    "an entity added": (BASE + RIVERBIRD, DATE),
    "an alias removed": (BASE.replace(FALCONRY, ""), DATE),
    "a listing's date changed": (
        BASE.replace("        since: 2026-11-01\n", "        since: 2026-12-15\n"),
        DATE,
    ),
    "a severity changed": (BASE.replace("severity: deny", "severity: warn"), DATE),
    "nothing but the date": (BASE, "2028-01-15"),
}


def _items(url: str) -> dict[tuple[str, str, str, int], str]:
    """(file, entity, location, occurrence) -> severity of the open items in a store."""
    return {
        (r["display"], r["entity"], r["location"], r["occurrence"]): r["severity"]
        for r in rows(
            url,
            "SELECT f.display, i.entity, i.location, i.occurrence, i.severity "
            "FROM findings i JOIN files f ON f.id = i.file_id WHERE i.resolved_at IS NULL",
        )
    }


@pytest.mark.parametrize("change", list(CHANGES))
def test_reevaluate_reports_what_a_full_resweep_finds(
    procgate: Callable[..., Result], records: Path, tmp_path: Path, change: str
) -> None:
    for n in (1, 2, 3):
        (records / "purchase-requests" / f"skyhawk-{n}.yaml").write_text(DRONES.format(n=n))
    (records / "purchase-requests" / "riverbird.yaml").write_text(RIVERBIRD_REQUEST)
    (records / "purchase-requests" / "falconry.yaml").write_text(FALCONRY_REQUEST)
    base, new = tmp_path / "base.yaml", tmp_path / "new.yaml"
    base.write_text(BASE)
    text, when = CHANGES[change]
    new.write_text(text)
    store, resweep = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    swept = procgate("scan", "records", "--store", store, "--data", base, "--date", DATE)
    assert swept.exit_code == 1, swept.output
    shutil.copy(store, resweep)
    before = _items(store)

    out = procgate(
        "inventory",
        "reevaluate",
        "--store",
        store,
        "--data",
        new,
        "--date",
        when,
        "--format",
        "json",
    )
    assert out.exit_code in (0, 1), out.output
    said = json.loads(out.output)
    done = procgate("scan", "records", "--store", resweep, "--data", new, "--date", when)
    assert done.exit_code == 1, done.output
    after = _items(resweep)

    def each(found: list[dict[str, str]], *keys: str) -> Counter[tuple[str, ...]]:
        return Counter(tuple(d[k] for k in keys) for d in found)

    newly = Counter((k[0], k[1], s) for k, s in after.items() if k not in before)
    gone = Counter((k[0], k[1], s) for k, s in before.items() if k not in after)
    moved = Counter(
        (k[0], k[1], before[k], s)
        for k, s in after.items()
        if k in before and before[k] != s and before[k] != "waived"
    )
    assert each(said["newly_covered"], "file", "entity", "severity") == newly
    assert each(said["no_longer_covered"], "file", "entity", "severity") == gone
    assert each(said["severity_changed"], "file", "entity", "before", "severity") == moved
    assert newly or gone or moved or change == "nothing but the date"
    # Only files naming a changed entity were decided again.
    assert said["decided"] < said["files"], said


def test_a_file_unreadable_since_is_decided_with_the_data_it_was_read_with(
    procgate: Callable[..., Result], records: Path, tmp_path: Path
) -> None:
    """Read with the base data, unreadable in a sweep with the new data: its stored values
    are still compared with the base data (the sweep that read them), so reevaluate finds
    what the new entity covers in them."""
    request = records / "purchase-requests" / "riverbird.yaml"
    request.write_text(RIVERBIRD_REQUEST)
    base, new = tmp_path / "base.yaml", tmp_path / "new.yaml"
    base.write_text(BASE)
    new.write_text(BASE + RIVERBIRD)
    store = str(tmp_path / "a.db")
    assert procgate("scan", "records", "--store", store, "--data", base, "--date", DATE).exit_code
    request.write_text("apiVersion: procgate/v1\nkind: PurchaseRequest\nid: [unclosed\n")
    assert procgate("scan", "records", "--store", store, "--data", new, "--date", DATE).exit_code
    out = procgate(
        "inventory",
        "reevaluate",
        "--store",
        store,
        "--data",
        new,
        "--date",
        DATE,
        "--format",
        "json",
    )
    said = json.loads(out.output)
    assert {(d["file"], d["entity"]) for d in said["newly_covered"]} == {
        ("records/purchase-requests/riverbird.yaml", "riverbird")
    }
