"""What `procgate serve` hands to each worker process: gate options and upload limits.

uvicorn starts its workers as new processes that import the app factory, so the settings
travel as JSON in an environment variable.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from procgate.config import Flags, Options, options_from

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
    flags: Flags  # the command line's gate options (config, data, policies, date, audience)
    cwd: str
    limits: Limits = field(default_factory=Limits)
    store: str | None = None  # --store: the inventory page reads it (procgate.store)
    edits: bool = False  # --allow-edits: the item pages may change the store
    user_header: str | None = None  # --user-header: who is signed in, said by the proxy
    # Signs the edit forms' tokens (serve/forms.py); one per `procgate serve`, shared by its
    # worker processes through ENV, so a page served by one is accepted by another.
    secret: str = field(default_factory=lambda: secrets.token_hex(32))

    def to_env(self) -> str:
        return json.dumps(
            {
                "flags": self.flags.to_json(),
                "cwd": self.cwd,
                "limits": asdict(self.limits),
                "store": self.store,
                "edits": self.edits,
                "user_header": self.user_header,
                "secret": self.secret,
            }
        )

    def options(self) -> Options:
        """The gate's options, read in the worker (config files are read once per process)."""
        return options_from(self.flags, cwd=Path(self.cwd))

    @classmethod
    def from_env(cls) -> ServeSettings:
        raw = json.loads(os.environ[ENV])
        return cls(
            Flags.from_json(raw["flags"]),
            raw["cwd"],
            Limits(**raw["limits"]),
            raw.get("store"),
            bool(raw.get("edits")),
            raw.get("user_header"),
            raw["secret"],
        )
