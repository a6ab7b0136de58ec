"""`scan --store`: the store opened before the sweep (a bad URL or a newer store stops the
run before any file is read), the sweep recorded after it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from procgate.config import Options
from procgate.model import BanData
from procgate.scan.inventory import Inventory
from procgate.scan.sweep import FileResult
from procgate.store.capture import data_version, policy_digest
from procgate.store.db import open_store, redacted
from procgate.store.record import Recorded, SweepFacts, record_sweep


class Recorder:
    def __init__(self, url: str, options: Options, paths: Sequence[Path | str]) -> None:
        self.url = url
        self.engine = open_store(url)
        self.options = options
        self.paths = tuple(str(p) for p in paths)
        self.started = datetime.now(UTC)
        self.result: Recorded | None = None

    def record(self, ban_data: BanData, results: Sequence[FileResult], inv: Inventory) -> None:
        facts = SweepFacts(
            started_at=self.started,
            as_of=inv.today,
            audience=inv.audience,
            ban_data=ban_data,
            data_version=data_version(ban_data),
            policy_digest=policy_digest(self.options),
            paths=self.paths,
            files_seen=inv.files_seen,
            files_checked=inv.files_checked,
            problems=len(inv.problems),
        )
        try:
            self.result = record_sweep(self.engine, facts, results)
        finally:
            self.engine.dispose()

    def summary(self) -> str:
        r = self.result
        if r is None:
            return ""
        return (
            f"Recorded sweep {r.sweep} in {redacted(self.url)}: {r.new} new, "
            f"{r.seen_again} seen again ({r.reopened} reopened), {r.resolved} resolved; "
            f"{r.open} open in the store."
        )
