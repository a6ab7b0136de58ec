"""Server-rendered pages: Jinja2 templates in serve/templates, styles inline, no scripts."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from procgate.explain import AUDIENCE_WORDS, audience_words, sentence, status_words
from procgate.report.text import VIA_WORDS


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("procgate.serve", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sentence"] = sentence
    env.globals.update(
        audience_words=audience_words,
        status_words=status_words,
        via_words=VIA_WORDS,
        known_audiences=AUDIENCE_WORDS,
    )
    return env


def render_page(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
