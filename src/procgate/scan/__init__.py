"""scan: the inventory sweep (`procgate scan`). BOD 17-01's first order to every agency was
to *find* what it already had; this walks trees of purchase records and SBOMs, checks each
as of a date, and lists every affected item by vendor and by law or list.

    run_scan(paths, options, jobs, progress, cluster) -> Inventory
    paths: local Paths and fsspec URLs (remote.scan_paths); cluster: tcp://… or local:N
    REPORTS["html" | "csv" | "json"](inventory) -> str
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from procgate.config import Options
from procgate.pipeline import build_checker
from procgate.scan.inventory import Inventory, build_inventory
from procgate.scan.reports import REPORTS
from procgate.scan.sweep import Progress, default_jobs, sweep

if TYPE_CHECKING:
    from procgate.store.sweeps import Recorder

__all__ = ["REPORTS", "Inventory", "default_jobs", "run_scan"]


def run_scan(
    paths: Sequence[Path | str],
    options: Options,
    jobs: int,
    progress: Progress | None = None,
    recorder: Recorder | None = None,
    cluster: str | None = None,
) -> Inventory:
    """`recorder`: also record the sweep in a store (scan --store; procgate.store)."""
    # Built here even when workers build their own: a bad config or policy stops the run
    # (exit 2) before any process starts, and the report needs the ban data.
    checker = build_checker(options)
    record = recorder is not None
    found, results = sweep(paths, options, checker, jobs, progress, cluster, record=record)
    inventory = build_inventory(
        results, found, checker.ban_data, options.today, options.audience, options.fail_on
    )
    if recorder is not None:
        recorder.record(checker.ban_data, results, inventory)
    return inventory
