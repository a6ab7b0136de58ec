"""`procgate inventory list|show|set|report|verify|reevaluate`: the remediation record that
`scan --store` keeps."""

from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from procgate.cli.common import tool_errors, write_output
from procgate.cli.options import gate_options
from procgate.config import Flags

STORE_HELP = (
    "The store: a file path (SQLite) or postgresql://user@host/db "
    "(default: $PROCGATE_STORE, else inventory.db)."
)


def _store_option(fn: Any) -> Any:
    return click.option(
        "--store",
        metavar="URL",
        envvar="PROCGATE_STORE",
        default="inventory.db",
        show_default=True,
        help=STORE_HELP,
    )(fn)


def _date_option(fn: Any) -> Any:
    return click.option(
        "--date",
        "when",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="What 'overdue' is measured against (default: today).",
    )(fn)


@click.group()
def inventory() -> None:
    """The remediation record: affected items found by `procgate scan --store`, their status,
    owner, due date (from the authority's clock) and notes, with a hash-chained history."""


@inventory.command("list")
@_store_option
@_date_option
@click.option("--status", "statuses", multiple=True, help="Only items with this status.")
@click.option("--vendor", help="Only items of this entity id (kaspersky, huawei, ...).")
@click.option("--overdue", "only_overdue", is_flag=True, help="Only overdue items.")
@click.option(
    "--all", "everything", is_flag=True, help="Also closed and resolved (no longer found) items."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@tool_errors
def list_items(
    store: str,
    when: datetime | None,
    statuses: tuple[str, ...],
    vendor: str | None,
    only_overdue: bool,
    everything: bool,
    fmt: str,
) -> None:
    """Open items, overdue first (exit 1 when any is overdue)."""
    from procgate.store.db import open_store, reading
    from procgate.store.views import items

    today = when.date() if when else date.today()
    engine = open_store(store, create=False)
    with reading(engine) as conn:
        found = items(conn, today, everything=everything or bool(statuses))
    engine.dispose()
    found = [
        i
        for i in found
        if (not statuses or i.finding.status in statuses)
        and (vendor is None or i.finding.entity == vendor)
        and (not only_overdue or i.overdue)
    ]
    if fmt == "json":
        write_output(json.dumps([i.as_dict() for i in found], indent=2), None)
    else:
        write_output(_table(found, today), None)
    sys.exit(1 if any(i.overdue for i in found) else 0)


def _table(found: list[Any], today: date) -> str:
    if not found:
        return "No items."
    lines = []
    for i in found:
        f = i.finding
        due = f.due.isoformat() if f.due else "-"
        flag = ""
        if i.overdue and f.due is not None:
            flag = click.style(f" OVERDUE by {(today - f.due).days} days", fg="red", bold=True)
        state = f.status if f.resolved_at is None else f"{f.status}, no longer found"
        owner = f" owner {f.owner}" if f.owner else ""
        lines.append(
            f"#{f.id} [{state}] {f.entity}: {f.item} - {i.file}:{f.line} "
            f"({', '.join(f.authorities)}); due {due}{flag}{owner}"
        )
    overdue = sum(1 for i in found if i.overdue)
    lines.append(f"{len(found)} items, {overdue} overdue.")
    return "\n".join(lines)


@inventory.command()
@_store_option
@_date_option
@click.argument("finding_id", type=int)
@tool_errors
def show(store: str, when: datetime | None, finding_id: int) -> None:
    """One item: where it is, its clock, and every change to it."""
    from procgate.store.db import StoreError, open_store, reading
    from procgate.store.views import item
    from procgate.store.workflow import history

    today = when.date() if when else date.today()
    engine = open_store(store, create=False)
    with reading(engine) as conn:
        found = item(conn, finding_id, today)
        if found is None:
            raise StoreError(f"no finding {finding_id} in the store")
        changes = history(conn, finding_id)
    engine.dispose()
    d = found.as_dict()
    lines = [
        f"#{d['id']} {d['entity']} ({d['rule']}, {d['severity']}): {d['item']}",
        f"  file: {d['file']}:{d['line']} (matched {d['matched']!r})",
        f"  authorities: {', '.join(d['authorities'])}",
        f"  status: {d['status']}" + (f", owner {d['owner']}" if d["owner"] else ""),
        f"  due: {d['due'] or '-'}"
        + (" (OVERDUE)" if d["overdue"] else "")
        + (f" - {d['due_basis']}" if d["due_basis"] else ""),
        f"  first seen {d['first_seen']}, last seen {d['last_seen']}"
        + (f", no longer found since {d['resolved_at']}" if d["resolved_at"] else ""),
    ]
    if d["notes"]:
        lines += ["  notes:", *(f"    {n}" for n in d["notes"].splitlines())]
    lines.append("  history:" if changes else "  history: no changes")
    for c in changes:
        what = ", ".join(f"{k} {v[0]!r} -> {v[1]!r}" for k, v in c["changes"].items())
        lines.append(f"    {c['seq']}. {c['at']} {c['who']}: {what} - {c['why']}")
    write_output("\n".join(lines), None)


@inventory.command("set")
@_store_option
@click.argument("finding_ids", type=int, nargs=-1, required=True)
@click.option(
    "--status",
    type=click.Choice(
        ["open", "investigating", "removal-planned", "removed", "accepted-risk", "false-positive"]
    ),
)
@click.option("--owner", help="Who is responsible for the item.")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), help="Due date set by hand.")
@click.option("--note", help="A note, appended with date and author.")
@click.option("--why", required=True, help="Why: recorded in the history (required).")
@click.option("--by", "who", help="Who makes the change (default: the login name).")
@tool_errors
def set_items(
    store: str,
    finding_ids: tuple[int, ...],
    status: str | None,
    owner: str | None,
    due: datetime | None,
    note: str | None,
    why: str,
    who: str | None,
) -> None:
    """Change items' status, owner, due date or notes; each change is recorded with who,
    when and why, chained to the one before."""
    from datetime import UTC

    from procgate.store.db import open_store, writing
    from procgate.store.workflow import Edit, apply_edit

    edit = Edit(status, owner, due.date() if due else None, note)
    engine = open_store(store, create=False)
    with writing(engine) as conn:
        done = apply_edit(conn, finding_ids, edit, who or _login(), why, datetime.now(UTC))
    engine.dispose()
    for c in done:
        what = ", ".join(f"{k} -> {v[1]!r}" for k, v in c["changes"].items())
        write_output(f"#{c['finding']}: {what} (change {c['seq']}, {c['hash'][:19]})", None)
    if not done:
        write_output("Nothing changed.", None)


@inventory.command()
@_store_option
@_date_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write it to FILE.")
@tool_errors
def report(store: str, when: datetime | None, fmt: str, output: Path | None) -> None:
    """Open items by vendor and authority, overdue items, and open items over time."""
    from datetime import UTC

    from procgate.store.db import open_store, reading
    from procgate.store.views import burn_down, by_vendor_and_authority, items

    today = when.date() if when else date.today()
    engine = open_store(store, create=False)
    with reading(engine) as conn:
        found = items(conn, today)
        series = burn_down(conn, datetime.now(UTC))
    engine.dispose()
    groups = by_vendor_and_authority(found)
    late = [i for i in found if i.overdue]
    if fmt == "json":
        data = {
            "date": today.isoformat(),
            "open": len(found),
            "overdue": len(late),
            "by_vendor": {e: dict(c) for e, c in groups.items()},
            "overdue_items": [i.as_dict() for i in late],
            "open_over_time": [[t.isoformat(), n] for t, n in series],
        }
        write_output(json.dumps(data, indent=2), output)
        return
    lines = [f"Open items as of {today.isoformat()}: {len(found)} ({len(late)} overdue)."]
    lines.append("By vendor and authority:")
    for entity, counter in groups.items():
        parts = ", ".join(f"{a}: {n}" for a, n in sorted(counter.items()))
        lines.append(f"  {entity}: {parts}")
    if late:
        lines.append("Overdue:")
        for i in late:
            f = i.finding
            assert f.due is not None
            lines.append(
                f"  #{f.id} {f.entity}: {f.item} - {i.file}:{f.line}; due {f.due.isoformat()} "
                f"({(today - f.due).days} days ago){' owner ' + f.owner if f.owner else ''}"
            )
    lines.append("Open items over time:")
    lines += [f"  {t.strftime('%Y-%m-%d %H:%M')}  {n}" for t, n in series]
    write_output("\n".join(lines), output)


@inventory.command()
@_store_option
@tool_errors
def verify(store: str) -> None:
    """Check the history's hash chain, and each item's status against its history (exit 1
    when anything was changed behind procgate's back)."""
    from procgate.store.db import open_store, reading
    from procgate.store.workflow import verify as verify_history

    engine = open_store(store, create=False)
    with reading(engine) as conn:
        count, problems = verify_history(conn)
    engine.dispose()
    for p in problems:
        write_output(f"problem: {p}", None)
    write_output(f"{count} changes checked: {'intact' if not problems else 'NOT intact'}.", None)
    sys.exit(1 if problems else 0)


@inventory.command()
@_store_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@gate_options()
@tool_errors
def reevaluate(store: str, fmt: str, flags: Flags) -> None:
    """Decide again what the store knows with new ban data (--data NEW, --config), from each
    file's stored vendor-naming values, without reading the files: what is newly covered, no
    longer covered, or changes severity. Exit 1 when anything is newly covered or becomes
    banned. The store is not changed: the next `scan --store` records it."""
    from procgate.config import options_from
    from procgate.pipeline import build_checker
    from procgate.store.capture import policy_digest
    from procgate.store.db import open_store, reading
    from procgate.store.reevaluate import reevaluate as decide_again
    from procgate.store.reevaluate import summary

    options = options_from(flags)
    checker = build_checker(options)
    engine = open_store(store, create=False)
    policies = policy_digest(options)
    custom = bool(options.policy_dirs or options.bundle or options.opa_url)
    with reading(engine) as conn:
        out = decide_again(
            conn,
            checker,
            options.today,
            flags.audience,
            policies=policies,
            custom_policies=custom,
        )
    engine.dispose()
    if fmt == "json":
        write_output(json.dumps(out.as_dict(), indent=2), None)
    else:
        write_output("\n".join(summary(out, checker.ban_data)), None)
    worse = out.newly or any(now.severity == "deny" for now, _ in out.changed)
    sys.exit(1 if worse else 0)


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return os.environ.get("USER", "unknown")
