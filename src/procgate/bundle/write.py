"""Writing a bundle: its entries, the .manifest and, when a signing key is given, the
.signatures.json over both (the manifest is signed too, as OPA signs it)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procgate.bundle.archive import write_archive
from procgate.bundle.layout import MANIFEST, SIGNATURES


@dataclass(frozen=True)
class Signing:
    key_file: Path  # PEM private key (RS*, PS*, ES*) or the HS* secret's bytes
    algorithm: str = "RS256"
    key_id: str = "default"  # OPA's default --verification-key-id
    scope: str = ""


def write_bundle(
    out: Path,
    entries: Mapping[str, bytes],
    manifest_: Mapping[str, Any],
    signing: Signing | None = None,
) -> None:
    """Write the bundle atomically (reproducible bytes for the same inputs and key)."""
    members = {**entries, MANIFEST: json.dumps(manifest_, sort_keys=True).encode("utf-8")}
    if signing is not None:
        from procgate.bundle.sign import signatures

        members[SIGNATURES] = signatures(
            members, signing.key_file, signing.algorithm, signing.key_id, signing.scope
        )
    write_archive(out, members)
