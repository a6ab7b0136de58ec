"""Options the commands share: config, ban lists, policies, date, audience, fail-on, collected
into one typed config.Flags; report targets."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from procgate.config import Flags
from procgate.model import FAIL_ON

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

# The shared options, by group; each click dest is the name of a config.Flags field.
_FILES = (
    click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Config file (default: procgate.yaml, else [tool.procgate] in pyproject.toml).",
    ),
    click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Extra ban-list file. Repeatable.",
    ),
)
_EVALUATION = (
    click.option(
        "--date",
        "today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Evaluate as of this date (default: today).",
    ),
    click.option(
        "--audience",
        help="Who is buying: us-federal (default), "
        "us-contractor, us-person, or one defined by a ban list.",
    ),
)
_POLICIES = click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra policy folder or file (.rego/.py). Repeatable.",
)
_FAIL_ON = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    help="Lowest severity that fails the run (exit 1; default: deny).",
)


def gate_options(
    *, policies: bool = True, evaluation: bool = True, fail_on: bool = False
) -> Decorator:
    """--config and --data, --policy (`policies`), --date and --audience (`evaluation`),
    --fail-on (`fail_on`): the same words in every command that checks.

    It also hands the command one typed `flags` (config.Flags) instead of separate keyword
    arguments: every parameter of the command named like a Flags field (whichever decorator
    declared it, e.g. check's --bundle) goes into it; the command builds its Options with
    config.options_from(flags)."""
    chosen = [
        *_FILES,
        *(_EVALUATION if evaluation else ()),
        *([_POLICIES] if policies else []),
        *([_FAIL_ON] if fail_on else []),
    ]

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def collect(**kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in _FLAG_NAMES if name in kwargs}
            if isinstance(given.get("today"), datetime):
                given["today"] = given["today"].date()
            return fn(flags=Flags(**given), **kwargs)

        wrapped: Callable[..., Any] = collect
        for decorator in reversed(chosen):
            wrapped = decorator(wrapped)
        return wrapped

    return decorate


_FLAG_NAMES = tuple(f.name for f in fields(Flags))


def engine_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--engine regorus|opa (check, test, serve; `engine:` in procgate.yaml): which engine
    evaluates Rego in the process. The command receives it in its Flags."""
    return click.option(
        "--engine",
        type=click.Choice(["regorus", "opa"]),
        help="Rego engine: regorus (embedded, the default) or opa (OPA's own engine; "
        "needs opa-golib-python-bindings).",
    )(fn)


def bundle_trust_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """How `check --bundle` verifies the bundle's signature (also settable in procgate.yaml,
    `bundle-verification:`); the command receives them as keyword arguments."""
    from procgate.bundle import ALGORITHMS  # not .trust: its classes are not needed here

    algorithms = click.Choice(ALGORITHMS)
    decorators = [
        click.option(
            "--verification-key",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Verify the bundle's signature with this key: a PEM public key "
            "(RS*, PS*, ES*) or a file holding the shared secret (HS*).",
        ),
        click.option(
            "--verification-key-id",
            metavar="ID",
            help="The id of that key (default: 'default', as in OPA), or which "
            "configured key to use.",
        ),
        click.option(
            "--verification-alg",
            type=algorithms,
            help="Algorithm of --verification-key (default: RS256).",
        ),
        click.option(
            "--verification-scope",
            metavar="SCOPE",
            help="The scope the bundle's signature must carry.",
        ),
        click.option(
            "--allow-unsigned-bundle",
            is_flag=True,
            help="Use a bundle that is not signed (or cannot be verified here). "
            "Its Python policies never run: a bundle holding any is refused.",
        ),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def report_targets(
    values: tuple[str, ...], formats: Iterable[str], by_suffix: Mapping[str, str]
) -> list[tuple[str, Path]]:
    """`--report` values, in either form, as (format, file): `FORMAT=FILE` (sarif=out.sarif)
    or a plain FILE whose extension names the format (out.sarif). `check` and `scan` both
    take both forms."""
    known = sorted(formats)
    suffixes = ", ".join(sorted(by_suffix))
    targets = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if sep and fmt in known:
            if not file:
                raise click.BadParameter(f"{value!r}: no FILE after {fmt}=", param_hint="--report")
            targets.append((fmt, Path(file)))
            continue
        path = Path(value)
        inferred = by_suffix.get(path.suffix.lower())
        if inferred is None:
            raise click.BadParameter(
                f"{value!r}: give FORMAT=FILE (FORMAT one of {', '.join(known)}) or a FILE "
                f"ending in {suffixes}",
                param_hint="--report",
            )
        targets.append((inferred, path))
    return targets
