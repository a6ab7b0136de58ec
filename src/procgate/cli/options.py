"""Options that serve, scan and explain share with check: config, ban lists, date, audience."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from procgate.config import Options
from procgate.errors import ProcgateError


def gate_options(policies: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--config, --data, --date, --audience (and --policy): the same words as `check`."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        decorators = [
            click.option(
                "--config",
                "config_file",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Config file (default: procgate.yaml, else [tool.procgate] "
                "in pyproject.toml).",
            ),
            click.option(
                "--data",
                "data",
                multiple=True,
                type=click.Path(path_type=Path),
                help="Extra ban-list file. Repeatable.",
            ),
            click.option(
                "--date",
                "when",
                type=click.DateTime(formats=["%Y-%m-%d"]),
                help="Evaluate as of this date (default: today).",
            ),
            click.option(
                "--audience",
                help="Who is buying: us-federal (default), "
                "us-contractor, us-person, or one defined by a ban list.",
            ),
        ]
        if policies:
            decorators.append(
                click.option(
                    "--policy",
                    "policies",
                    multiple=True,
                    type=click.Path(path_type=Path),
                    help="Extra policy folder or file (.rego/.py). Repeatable.",
                )
            )
        for decorator in reversed(decorators):
            fn = decorator(fn)
        return fn

    return decorate


def cli_settings(
    config_file: Path | None,
    data: tuple[Path, ...],
    when: datetime | None,
    audience: str | None,
    policies: tuple[Path, ...] = (),
    fail_on: str | None = None,
) -> dict[str, Any]:
    """The flags, JSON-shaped (`serve` hands them to its worker processes); None: not given."""
    if config_file is not None and not config_file.is_file():
        raise ProcgateError(f"no such config file: {config_file}")
    return {
        "audience": audience,
        "fail_on": fail_on,
        "policies": [str(p) for p in policies],
        "data": [str(p) for p in data],
        "today": when.date().isoformat() if when else None,
        "config_file": str(config_file) if config_file else None,
    }


def options_from(settings: dict[str, Any]) -> Options:
    """Options from cli_settings(): the config file's settings overridden by the flags."""
    from procgate.serve.settings import ServeSettings

    return ServeSettings(settings, str(Path.cwd())).options()


def bundle_trust_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """How `check --bundle` verifies the bundle's signature (also settable in procgate.yaml,
    `bundle-verification:`); the command receives them as keyword arguments."""
    from procgate.bundle.trust import ALGORITHMS

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
