"""Inventory -> report text, by the report file's extension: .html, .csv, .json."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from procgate import __version__
from procgate.deadlines import Deadline
from procgate.explain import sentence
from procgate.report.text import VIA_WORDS
from procgate.scan.inventory import AuthorityGroup, Inventory
from procgate.scan.sweep import Hit

CSV_COLUMNS = (
    "vendor_id",
    "vendor",
    "authority",
    "authority_title",
    "banned_since",
    "clock",
    "severity",
    "file",
    "line",
    "column",
    "item",
    "pointer",
    "matched",
    "listed_name",
    "via",
    "score",
    "waiver",
    "rule",
)


def render_json(inv: Inventory) -> str:
    return json.dumps(
        {
            "version": 1,
            "date": inv.today.isoformat(),
            "audience": inv.audience,
            "summary": inv.summary(),
            "vendors": [
                {
                    "entity": v.entity.id,
                    "name": v.entity.name,
                    "country": v.entity.country,
                    "items": len(v.hits),
                    "authorities": [_authority_json(g, inv.today) for g in v.authorities],
                }
                for v in inv.vendors
            ],
            "problems": [asdict(p) for p in inv.problems],
        },
        indent=2,
        ensure_ascii=False,
    )


def _authority_json(g: AuthorityGroup, today: date) -> dict[str, Any]:
    return {
        "id": g.id,
        "title": g.title,
        "citation": g.authority.citation if g.authority else "",
        "source": g.authority.source if g.authority else "",
        "banned_since": g.since.isoformat() if g.since else None,
        "clock": [_deadline_json(d, today) for d in g.clock],
        "items": [_hit_json(h) for h in g.hits],
    }


def _deadline_json(d: Deadline, today: date) -> dict[str, Any]:
    return {"what": d.what, "due": d.due.isoformat(), "days": d.days, "status": d.status(today)}


def _hit_json(h: Hit) -> dict[str, Any]:
    out = asdict(h)
    out["authorities"] = list(h.authorities)
    return out


def render_csv(inv: Inventory) -> str:
    """One row per affected item and authority, grouped by vendor then authority."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in inv.vendors:
        for g in v.authorities:
            clock = "; ".join(
                f"{d.what} by {d.due.isoformat()} ({d.status(inv.today)})" for d in g.clock
            )
            for h in g.hits:
                writer.writerow(
                    [
                        v.entity.id,
                        v.entity.name,
                        g.id,
                        g.title,
                        g.since.isoformat() if g.since else "",
                        clock,
                        h.severity,
                        h.file,
                        h.line,
                        h.column,
                        h.item,
                        h.pointer,
                        h.matched,
                        h.listed_name,
                        h.via,
                        f"{h.score:.2f}",
                        h.waiver or "",
                        h.rule,
                    ]
                )
    return buffer.getvalue()


def render_html(inv: Inventory) -> str:
    """One self-contained page: styles inline, no scripts, fonts or images from elsewhere."""
    return (
        _environment()
        .get_template("report.html")
        .render(inv=inv, version=__version__, via_words=VIA_WORDS)
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("procgate.scan", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sentence"] = sentence
    return env


REPORTS: dict[str, Callable[[Inventory], str]] = {  # format -> renderer
    "html": render_html,
    "csv": render_csv,
    "json": render_json,
}
