"""Paths and helpers the acceptance tests share. A uniquely named module, not conftest.py:
with several conftest.py files, `from conftest import` picks whichever was loaded last."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import Result
from corpus_manifest import CORPUS

__all__ = ["CORPUS", "EXAMPLES", "ROOT", "json_report"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def json_report(result: Result) -> dict[str, Any]:
    return json.loads(result.stdout)
