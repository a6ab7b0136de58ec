"""report: Verdict -> str. Reporters return strings and mutate nothing.

A reporter is `render(verdict, fail_on) -> str`, looked up by its --format name: the Verdict
carries everything a format needs (notes, the authorities' source URLs that SARIF links).
Modules are imported when used, so a pre-commit run that prints text does not load the
SARIF writer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from procgate.model import Verdict

Reporter = Callable[[Verdict, str], str]

# --format name -> (module, function)
REPORTERS: dict[str, tuple[str, str]] = {
    "text": ("procgate.report.text", "render_text"),
    "json": ("procgate.report.json_report", "render_json"),
    "sarif": ("procgate.report.sarif", "render_sarif"),
    "junit": ("procgate.report.junit", "render_junit"),
    "github": ("procgate.report.github", "render_github"),
    "markdown": ("procgate.report.markdown", "render_markdown"),
}


def reporter(name: str) -> Reporter:
    module, function = REPORTERS[name]
    render: Reporter = getattr(importlib.import_module(module), function)
    return render
