"""Starting points for new files (`procgate new`): commented templates that validate.

    render(kind, today, schema_ref) -> str
    schema_ref_for(folder) -> str        where an editor finds the schema, seen from `folder`
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from procgate.resources import schema_path

TEMPLATES = {"purchase-request": "purchase-request.yaml"}  # kind -> file here, kind = schema name


def render(kind: str, today: date, schema_ref: str) -> str:
    text = (Path(__file__).parent / TEMPLATES[kind]).read_text(encoding="utf-8")
    return text.replace("@SCHEMA@", schema_ref).replace("@TODAY@", today.isoformat())


def schema_ref_for(kind: str, folder: Path) -> str:
    """A relative path to a copy of the schema in the project (`schemas/NAME.schema.json`
    in `folder` or a parent) so editors work offline and the file can be committed;
    else the schema's own $id URL."""
    name = f"{kind}.schema.json"
    folder = folder.resolve()
    for parent in (folder, *folder.parents):
        candidate = parent / "schemas" / name
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return str(json.loads(schema_path(kind).read_text(encoding="utf-8"))["$id"])
