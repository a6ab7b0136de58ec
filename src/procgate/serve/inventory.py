"""The inventory page (`procgate serve --store URL`, GET /inventory): open items by vendor and
authority, overdue items, and open items over time as an SVG chart drawn here, on the server
(the page carries no script; the chart is markup, with a table of the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from procgate.store.db import StoreError, open_store, reading, writing
from procgate.store.views import Item, burn_down, by_vendor_and_authority, item, items
from procgate.store.workflow import Edit, apply_edit, history, last_change

WIDTH, HEIGHT, PAD = 640, 220, 40


@dataclass(frozen=True)
class Chart:
    """A burn-down as SVG parts, in the viewBox 0 0 WIDTH HEIGHT."""

    points: str  # the polyline's points
    dots: list[tuple[float, float, str]]  # x, y, "2026-11-28: 7 open"
    y_max: int
    first: str
    last: str
    rows: list[tuple[str, int]]
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


@dataclass(frozen=True)
class InventoryView:
    today: date
    open: list[Item]
    overdue: list[Item]
    groups: dict[str, dict[str, int]]
    chart: Chart | None


def inventory_view(store: str, today: date) -> InventoryView:
    engine = open_store(store, create=False)
    try:
        with reading(engine) as conn:
            found = items(conn, today)
            series = burn_down(conn, datetime.now(UTC))
    finally:
        engine.dispose()
    groups = {e: dict(sorted(c.items())) for e, c in by_vendor_and_authority(found).items()}
    return InventoryView(today, found, [i for i in found if i.overdue], groups, chart(series))


@dataclass(frozen=True)
class ItemView:
    today: date
    item: Item
    history: list[dict[str, Any]]
    seen: int  # workflow.last_change: sent back by the form


class Stale(Exception):
    """The item changed after the page that sends the edit was shown."""


def item_view(store: str, finding_id: int, today: date) -> ItemView | None:
    engine = open_store(store, create=False)
    try:
        with reading(engine) as conn:
            found = item(conn, finding_id, today)
            if found is None:
                return None
            return ItemView(today, found, history(conn, finding_id), last_change(conn, finding_id))
    finally:
        engine.dispose()


def save_edit(
    store: str, finding_id: int, edit: Edit, who: str, why: str, seen: int
) -> list[dict[str, Any]]:
    """The page's edit, through the same code as `inventory set` (workflow.apply_edit), in
    one write transaction under the store's writer lock; refused (Stale) when the item has
    changed since the page was shown, so nobody undoes a change they never saw."""
    engine = open_store(store, create=False)
    try:
        with writing(engine) as conn:
            if item(conn, finding_id, datetime.now(UTC).date()) is None:
                raise StoreError(f"no finding {finding_id} in the store")
            if last_change(conn, finding_id) != seen:
                raise Stale
            return apply_edit(conn, [finding_id], edit, who, why, datetime.now(UTC))
    finally:
        engine.dispose()


def chart(series: list[tuple[datetime, int]]) -> Chart | None:
    """Open items over time: x by time (evenly when all points share one instant), y by
    count from 0 to the largest."""
    if not series:
        return None
    t0, t1 = series[0][0], series[-1][0]
    span = (t1 - t0).total_seconds()
    top = max(n for _, n in series) or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    coords = []
    for i, (t, n) in enumerate(series):
        share = (t - t0).total_seconds() / span if span else i / max(1, len(series) - 1)
        x = PAD + share * inner_w
        y = PAD + inner_h - (n / top) * inner_h
        coords.append((round(x, 1), round(y, 1), f"{t.strftime('%Y-%m-%d %H:%M')}: {n} open"))
    return Chart(
        points=" ".join(f"{x},{y}" for x, y, _ in coords),
        dots=coords,
        y_max=top,
        first=t0.strftime("%Y-%m-%d"),
        last=t1.strftime("%Y-%m-%d"),
        rows=[(t.strftime("%Y-%m-%d %H:%M"), n) for t, n in series],
    )
