"""report: Verdict -> str. Reporters return strings and mutate nothing."""

from __future__ import annotations

from collections.abc import Callable

from procgate.model import Verdict
from procgate.report.json_report import render_json
from procgate.report.text import render_text

# render(verdict, fail_on) -> str, keyed by the --format name.
Reporter = Callable[[Verdict, str], str]

REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
}
