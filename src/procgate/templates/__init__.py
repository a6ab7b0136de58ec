"""Starting points for new files (`procgate new`): commented templates that validate.

render(kind, today, schema_ref) -> str
schema_ref_for(kind, folder) -> (ref, missing)   where an editor finds the schema
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

TEMPLATES = {"purchase-request": "purchase-request.yaml"}  # kind -> file here, kind = schema name


def render(kind: str, today: date, schema_ref: str) -> str:
    text = (Path(__file__).parent / TEMPLATES[kind]).read_text(encoding="utf-8")
    return text.replace("@SCHEMA@", schema_ref).replace("@TODAY@", today.isoformat())


def schema_ref_for(kind: str, folder: Path) -> tuple[str, Path | None]:
    """Where the `$schema=` line points, seen from `folder`, and the schema file still to be
    written (None when the project has it). The project's copy is `schemas/NAME.schema.json`
    in `folder` or a parent, so editors work offline and the file can be committed; without
    one, the place it belongs: beside the project's root (the nearest folder with .git,
    procgate.yaml or pyproject.toml; else `folder`)."""
    name = f"{kind}.schema.json"
    folder = folder.resolve()
    for parent in (folder, *folder.parents):
        candidate = parent / "schemas" / name
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix(), None
    markers = (".git", "procgate.yaml", "procgate.yml", ".procgate.yaml", "pyproject.toml")
    root = next(
        (p for p in (folder, *folder.parents) if any((p / m).exists() for m in markers)), folder
    )
    missing = root / "schemas" / name
    return Path(os.path.relpath(missing, folder)).as_posix(), missing
