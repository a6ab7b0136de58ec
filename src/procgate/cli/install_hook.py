"""`procgate install-hook`: a native git pre-commit hook, for teams without the pre-commit
framework. The hook runs `procgate check --staged`: it checks what the commit will hold."""

from __future__ import annotations

import os
import shlex
import stat
import sys
from pathlib import Path

import click

from procgate.cli.common import tool_errors
from procgate.errors import ProcgateError

# Marks a hook as ours: only a hook with this line is replaced or removed without --force.
MARKER = "# procgate-hook: written by `procgate install-hook`"
BACKUP_SUFFIX = ".procgate-backup"

_TEMPLATE = """#!/bin/sh
{marker}
# Checks the staged purchase requests and SBOMs; remove with `procgate install-hook --uninstall`.
# Skip once (not recommended): git commit --no-verify
PROCGATE_PYTHON={python}
if [ -x "$PROCGATE_PYTHON" ]; then
    exec "$PROCGATE_PYTHON" -m procgate check --staged{args}
fi
if command -v procgate >/dev/null 2>&1; then
    exec procgate check --staged{args}
fi
echo "procgate pre-commit hook: procgate is not installed (pip install procgate)." >&2
echo "Install it, or remove the hook: procgate install-hook --uninstall" >&2
exit 1
"""


def hook_script(python: str, args: list[str]) -> str:
    """The hook's text. The interpreter that installed it comes first (procgate may not be
    on PATH in a GUI git client); `procgate` on PATH is the fallback. A missing procgate
    blocks the commit: a gate that silently lets everything through is worse."""
    extra = "".join(" " + shlex.quote(a) for a in args)
    return _TEMPLATE.format(marker=MARKER, python=shlex.quote(python), args=extra)


@click.command("install-hook")
@click.option(
    "--force",
    is_flag=True,
    help=f"Replace a pre-commit hook that procgate did not write (it is kept as "
    f"pre-commit{BACKUP_SUFFIX}).",
)
@click.option(
    "--uninstall",
    is_flag=True,
    help="Remove procgate's hook (and put back the hook it replaced, if any).",
)
@click.option(
    "--args",
    "extra",
    default="",
    metavar="ARGS",
    help="More options for `procgate check` in the hook, e.g. '--fail-on warn'.",
)
@tool_errors
def install_hook(force: bool, uninstall: bool, extra: str) -> None:
    """Write .git/hooks/pre-commit running `procgate check --staged`.

    For teams that do not use the pre-commit framework (for those, see the `procgate` hook
    in .pre-commit-hooks.yaml). A hook that procgate did not write is left alone unless
    --force is given. Honours core.hooksPath and git worktrees.
    """
    from procgate.load.git import GitRepo

    repo = GitRepo.open(Path.cwd())
    # --git-path: .git/hooks, or core.hooksPath, or the common dir of a linked worktree.
    hooks = Path(os.fsdecode(repo.git("rev-parse", "--git-path", "hooks").rstrip(b"\n")))
    hooks = hooks if hooks.is_absolute() else repo.root / hooks
    hook = hooks / "pre-commit"
    backup = hook.with_name(hook.name + BACKUP_SUFFIX)
    ours = hook.is_file() and MARKER in hook.read_text(encoding="utf-8", errors="replace")
    shown = _shown(hook)

    if uninstall:
        if not hook.exists():
            click.echo(f"no pre-commit hook at {shown}: nothing to remove")
            return
        if not ours:
            raise ProcgateError(f"{shown} was not written by procgate: left alone")
        hook.unlink()
        if backup.exists():
            backup.rename(hook)
            click.echo(f"removed procgate's hook; restored the previous hook at {shown}")
        else:
            click.echo(f"removed procgate's hook {shown}")
        return

    try:
        args = shlex.split(extra)
    except ValueError as exc:
        raise click.BadParameter(f"{extra!r}: {exc}", param_hint="--args") from exc
    if (hook.exists() or hook.is_symlink()) and not ours:
        if not force:
            raise ProcgateError(
                f"{shown} already exists and was not written by procgate",
                "add procgate to that hook yourself (procgate check --staged), use the "
                "pre-commit framework's `procgate` hook, or run again with --force to "
                f"replace it (the old hook is kept as {backup.name})",
            )
        if backup.exists() or backup.is_symlink():
            raise ProcgateError(f"{_shown(backup)} exists: move it away first")
        hook.rename(backup)
        click.echo(f"moved the previous hook to {_shown(backup)}")
    try:
        hooks.mkdir(parents=True, exist_ok=True)
        hook.write_text(hook_script(sys.executable, args), encoding="utf-8")
        mode = hook.stat().st_mode
        hook.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    except OSError as exc:
        raise ProcgateError(f"cannot write {shown}: {exc.strerror or exc}") from exc
    click.echo(f"installed procgate's pre-commit hook at {shown}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
