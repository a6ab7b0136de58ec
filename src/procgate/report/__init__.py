"""report: Verdict -> str. Reporters return strings and mutate nothing."""

from __future__ import annotations

from collections.abc import Callable

from procgate.model import Verdict
from procgate.report.github import render_github
from procgate.report.json_report import render_json
from procgate.report.junit import render_junit
from procgate.report.markdown import render_markdown
from procgate.report.sarif import render_sarif
from procgate.report.text import render_text

# render(verdict, fail_on) -> str, keyed by the --format name.
Reporter = Callable[[Verdict, str], str]

REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}
