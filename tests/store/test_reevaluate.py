"""`procgate inventory reevaluate --data NEW`: what a new list covers among what the store
already knows, decided from the stored values without reading a file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import DATE

# An agency's own list: a drone maker the shipped lists do not name, banned from 2026-11-01,
# and Acronis (to review under FASCSA orders) banned outright.
NEW_LIST = """\
apiVersion: procgate/v1
kind: BanList
metadata:
  name: agency-extra
  description: An agency's own order, for the reevaluate tests.
  updated: 2026-11-20
authorities:
  - id: agency-drones-2026
    title: Agency order on Skyhawk drones
    citation: Agency order 2026-11
    issued: 2026-11-01
    audiences:
      us-federal: {effective: 2026-11-01, severity: deny}
    waivable: true
    waiver_note: The agency's CIO may approve an exception.
    summary: The agency stops buying and flying Skyhawk drones.
    action: Ground and remove Skyhawk drones.
    source: https://agency.example/orders/2026-11
listings:
  - entity: acronis
    authority: agency-drones-2026
    scope: any
    entry: Acronis products
    source: https://agency.example/orders/2026-11
entities:
  - id: skyhawk
    name: Skyhawk Aerial Systems Ltd.
    name_source: https://agency.example/orders/2026-11
    country: CN
    names:
      - {value: Skyhawk Aerial, via: brand, source: "https://agency.example/orders/2026-11"}
    identifiers: {lei: [], uei: [], cage: [], duns: []}
    cpe_vendors: []
    purl_namespaces: []
    domains: []
    listings:
      - authority: agency-drones-2026
        since: 2026-11-01
        scope: any
        entry: Skyhawk Aerial Systems and its drones
        source: https://agency.example/orders/2026-11
"""

DRONES = """\
apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-2026-{n}
title: Survey drones {n}
date: 2026-03-0{n}
requester: {{name: Pat Buyer}}
vendor: {{name: Aerial Supply Inc.}}
items:
  - description: Survey drone
    quantity: 2
    category: hardware
    manufacturer: {{name: Skyhawk Aerial Systems Ltd.}}
    product: Falcon S{n}
  - description: Spare drone
    quantity: 1
    category: hardware
    brand: Skyhawk Aerial
    product: Falcon S{n} spare
"""


def test_a_new_listing_is_found_among_stored_files_without_reading_them(
    procgate: Callable[..., Result], records: Path, tmp_path: Path, store_url: str
) -> None:
    for n in (1, 2, 3):
        (records / "purchase-requests" / f"skyhawk-{n}.yaml").write_text(DRONES.format(n=n))
    assert procgate("scan", "records", "--store", store_url, "--date", DATE).exit_code == 1
    new = tmp_path / "agency-extra.yaml"
    new.write_text(NEW_LIST)
    # The files are gone: reevaluate reads only the store.
    shutil.rmtree(records)
    result = procgate(
        "inventory", "reevaluate", "--store", store_url, "--data", new, "--date", DATE
    )
    assert result.exit_code == 1, result.output
    assert (
        "6 items in 3 files are newly covered by Agency order on Skyhawk drones's listing of "
        "Skyhawk Aerial Systems Ltd. (2026-11-01)" in result.output
    )
    # Acronis was to review (FASCSA orders): now banned, the same item.
    assert "1 item in 1 file changes severity for Acronis AG: to review -> banned" in (
        result.output
    )
    assert "no longer covered" not in result.output
    as_json = procgate(
        "inventory",
        "reevaluate",
        "--store",
        store_url,
        "--data",
        new,
        "--date",
        DATE,
        "--format",
        "json",
    )
    data = json.loads(as_json.output)
    assert {d["entity"] for d in data["newly_covered"]} == {"skyhawk"}
    assert [(d["entity"], d["before"], d["severity"]) for d in data["severity_changed"]] == [
        ("acronis", "warn", "deny")
    ]
    assert data["unchanged"] == 6 and data["no_longer_covered"] == []


def test_the_same_data_changes_nothing_and_a_later_date_does(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    assert procgate("scan", "records", "--store", store_url, "--date", DATE).exit_code == 1
    same = procgate("inventory", "reevaluate", "--store", store_url, "--date", DATE)
    assert same.exit_code == 0, same.output
    assert "Nothing the store knows changes with these lists." in same.output
    # YMTC (FY2023 NDAA §5949) is to review until 2027-12-23, banned after.
    later = procgate("inventory", "reevaluate", "--store", store_url, "--date", "2028-01-15")
    assert "Yangtze Memory Technologies" in later.output
