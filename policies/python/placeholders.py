"""request.template-placeholder: a purchase request that still holds `procgate new`'s text.

The template validates (so that editors can check it while it is filled in), which means an
unfilled one would pass: `Vendor Name Inc.` is on no ban list. Every free-text value the
template writes is a placeholder; one left at its place in a request blocks it, at its line.
Values the template sets that can be true as they stand (apiVersion, kind, date, category,
country, currency, use, numbers) are not placeholders.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import yaml

from procgate import rules
from procgate.decide.python import PolicyInput, Result, policy
from procgate.templates import render

REAL_DEFAULTS = {"apiVersion", "kind", "date", "category", "country", "currency", "use"}


@cache
def template_placeholders() -> dict[tuple[str, ...], str]:
    """Path (list indices as "*") -> the template's text there."""
    # libyaml's loader when built (0.4 ms instead of 4 on every check); the same data
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(render("purchase-request", date(2000, 1, 1), ""), Loader=loader)
    found: dict[tuple[str, ...], str] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, str(key)))
        elif isinstance(node, list):
            for value in node:
                walk(value, (*path, "*"))
        elif isinstance(node, str) and not REAL_DEFAULTS & set(path):
            found[path] = node

    walk(data, ())
    return found


def _leaves(node: Any, pointer: str, path: tuple[str, ...]) -> Iterator[tuple[str, tuple, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            token = str(key).replace("~", "~0").replace("/", "~1")
            yield from _leaves(value, f"{pointer}/{token}", (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, f"{pointer}/{i}", (*path, "*"))
    else:
        yield pointer, path, node


@policy(rules.TEMPLATE_PLACEHOLDER, kinds={"purchase-request"})
def unfilled_template(inp: PolicyInput) -> Iterator[Result]:
    """One finding per request, at the first placeholder, naming every line still to fill."""
    placeholders = template_placeholders()
    left = [
        (pointer, ".".join(p for p in path if p != "*"), value.strip())
        for pointer, path, value in _leaves(inp.document.data, "", ())
        if isinstance(value, str) and placeholders.get(path) == value.strip()
    ]
    if not left:
        return
    lines = "; ".join(
        f"line {inp.document.position(pointer).line} {field}: {value!r}"
        for pointer, field, value in left
    )
    yield Result(
        f"Still the template's example text on {len(left)} line(s): {lines}.",
        pointer=left[0][0],
        action="Fill in those lines with the real values (delete an optional line you do not "
        "need), then run procgate check again.",
    )
