"""What `procgate serve` hands to each worker process: gate options and upload limits.

uvicorn starts its workers as new processes that import the app factory, so the settings
travel as JSON in an environment variable.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from procgate.config import Options, build_options

ENV = "PROCGATE_SERVE_SETTINGS"
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 10 * MiB
    max_files: int = 20
    max_body_bytes: int = 50 * MiB

    def file_size(self) -> str:
        return _size(self.max_file_bytes)

    def file_message(self, name: str) -> str:
        return (
            f"{name} is larger than {_size(self.max_file_bytes)}, the most one file may be. "
            "Check a large SBOM with `procgate check` on the command line instead."
        )

    def count_message(self) -> str:
        return f"too many files: at most {self.max_files} may be checked at once."

    def body_message(self) -> str:
        return (
            f"the upload is larger than {_size(self.max_body_bytes)} in all, the most one "
            "check may send. Send fewer or smaller files."
        )


def _size(n: int) -> str:
    return f"{n / MiB:.3g} MB" if n >= MiB else f"{n / 1024:.3g} KB"


@dataclass(frozen=True)
class ServeSettings:
    gate: dict[str, Any]  # cli.options.cli_settings(): config, data, policies, date, audience
    cwd: str
    limits: Limits = field(default_factory=Limits)

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    def options(self) -> Options:
        """The gate's options, read in the worker (config files are read once per process)."""
        cli = {k: v for k, v in self.gate.items() if k != "config_file"}
        cli["policies"] = tuple(Path(p) for p in cli.get("policies") or ())
        cli["data"] = tuple(Path(p) for p in cli.get("data") or ())
        cli["today"] = date.fromisoformat(cli["today"]) if cli.get("today") else None
        config = self.gate.get("config_file")
        return build_options(cli, date.today(), Path(self.cwd), Path(config) if config else None)

    @classmethod
    def from_env(cls) -> ServeSettings:
        raw = json.loads(os.environ[ENV])
        return cls(raw["gate"], raw["cwd"], Limits(**raw["limits"]))
