"""procgate.yaml / [tool.procgate] + command-line flags -> Options (frozen). Read once."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procgate.errors import ConfigError
from procgate.resources import schema_path

if TYPE_CHECKING:
    from procgate.bundle.trust import Trust

CONFIG_NAMES = ("procgate.yaml", "procgate.yml", ".procgate.yaml")
DEFAULT_CERTAIN_SCORE = 0.9


@dataclass(frozen=True)
class Limits:
    """Per policy and document (decide/limits.py enforces them). The shipped policies take
    about 3 s and a few hundred MiB on a 100k-component SBOM."""

    seconds: float = 20.0
    memory_mb: int = 1024


@dataclass(frozen=True)
class Options:
    today: date
    audience: str = "us-federal"
    # Where the audience came from: "--audience", the config file's name, or "default". A
    # purchase request's own `audience:` counts unless it came from the command line.
    audience_from: str = "default"
    data_max_age: int = 180  # days after a ban list's as-of date before data.stale warns
    fail_on: str = "deny"
    policy_dirs: tuple[Path, ...] = ()
    data_files: tuple[Path, ...] = ()
    paths: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    certain_score: float = DEFAULT_CERTAIN_SCORE
    shipped_policies: bool = True
    config_file: Path | None = None
    base_dir: Path = field(default_factory=Path.cwd)
    waiver_files: tuple[Path, ...] = ()  # files or folders of `kind: Waiver` documents
    waiver_max_days: int | None = None  # longest waiver; None: one calendar year
    waivers_all_files: bool = False  # may a waiver's `files` be `**` (every file)?
    audit_log: Path | None = None
    bundle: Path | None = None  # policies and ban lists from an OPA bundle instead
    opa_url: str | None = None  # Rego decisions on this OPA server instead of in-process
    bundle_trust: Trust | None = None  # keys that verify the bundle (set when there is one)
    policy_limits: Limits = field(default_factory=Limits)  # per policy evaluation


def find_config(start: Path) -> Path | None:
    """procgate.yaml, else a pyproject.toml with [tool.procgate], walking up from `start`."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "procgate" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def read_config(file: Path) -> dict[str, Any]:
    """The raw settings of a config file, validated against schemas/config.schema.json."""
    if file.name == "pyproject.toml":
        raw = _read_toml(file).get("tool", {}).get("procgate", {})
    else:
        raw = _read_yaml(file)
    _check(raw, file)  # a mapping of known keys from here on
    checked: dict[str, Any] = raw
    return checked


def _read_yaml(file: Path) -> Any:
    """procgate.yaml, read as procgate reads every YAML file (load/): a regular file within
    the size cap, duplicate keys refused (only one of them would count), nesting limited."""
    from procgate.load import yamlfile
    from procgate.load.source import LoadProblem, decode, encoding_of, read_regular

    try:
        content = read_regular(file)
        codec, bom = encoding_of(content)
        text = decode(content, codec, bom)
        if not text.strip():
            return {}
        data, _ = yamlfile.parse(text)
    except LoadProblem as problem:
        raise ConfigError(f"{file}:{problem.line}:{problem.column}: {problem.message}") from problem
    except OSError as exc:
        raise ConfigError(f"cannot read config {file}: {exc.strerror or exc}") from exc
    return {} if data is None else data


def build_options(
    cli: dict[str, Any], today: date, cwd: Path, config_file: Path | None = None
) -> Options:
    """Config file settings overridden by the command line's (None means 'not given')."""
    file = config_file or find_config(cwd)
    raw = read_config(file) if file else {}
    base = file.parent if file else cwd

    def pick(key: str, default: Any) -> Any:
        value = cli.get(key.replace("-", "_"))
        return value if value not in (None, ()) else raw.get(key, default)

    def one_path(key: str) -> Path | None:
        value = cli.get(key.replace("-", "_"))
        if value:
            return cwd / str(value)
        return base / str(raw[key]) if raw.get(key) else None

    # A bundle is the pinned policy set: it replaces the shipped and configured policies and
    # ban lists; only those given on the command line are added to it.
    bundle = one_path("bundle")

    def paths(key: str) -> tuple[Path, ...]:
        # Config paths are relative to the config file; extra CLI ones to the cwd.
        pinned = bundle is not None and key in ("policies", "data")
        from_config = () if pinned else tuple(base / p for p in raw.get(key, ()))
        from_cli = tuple(cwd / p for p in cli.get(key) or ())
        return from_config + from_cli

    default_paths = tuple(base / p for p in raw.get("paths", ()))
    bundle_trust = None
    if bundle is not None:
        from procgate.bundle.trust import trust_from

        bundle_trust = trust_from(raw.get("bundle-verification"), base, cli, cwd)
    return Options(
        today=cli.get("today") or today,
        audience=pick("audience", "us-federal"),
        audience_from="--audience"
        if cli.get("audience")
        else (file.name if file and raw.get("audience") else "default"),
        data_max_age=int(raw.get("data-max-age", 180)),
        fail_on=pick("fail-on", "deny"),
        policy_dirs=paths("policies"),
        data_files=paths("data"),
        paths=default_paths,
        exclude=tuple(raw.get("exclude", ())),
        certain_score=float(pick("certain-score", DEFAULT_CERTAIN_SCORE)),
        shipped_policies=bundle is None and bool(raw.get("shipped-policies", True)),
        config_file=file,
        base_dir=base,
        waiver_files=paths("waivers"),
        waiver_max_days=raw.get("waiver-max-days"),
        waivers_all_files=bool(raw.get("waivers-may-cover-all-files", False)),
        audit_log=one_path("audit-log"),
        bundle=bundle,
        opa_url=pick("opa-url", None),
        bundle_trust=bundle_trust,
        policy_limits=Limits(
            float(pick("policy-seconds", Limits.seconds)),
            int(pick("policy-memory-mb", Limits.memory_mb)),
        ),
    )


def _read_toml(file: Path) -> dict[str, Any]:
    from procgate.load.source import LoadProblem, read_regular

    try:
        return tomllib.loads(read_regular(file).decode("utf-8"))
    except LoadProblem as problem:
        raise ConfigError(f"cannot read {file}: {problem.message}") from problem
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {file}: {exc}") from exc


def _check(raw: Any, file: Path) -> None:
    import jsonschema  # only when a config exists: keeps the hook's start-up small

    schema = json.loads(schema_path("config").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.path))
    if not errors:
        return
    e = errors[0]
    if e.validator == "additionalProperties" and not e.path:  # a top-level key
        known = ", ".join(sorted(schema["properties"]))
        unknown = sorted(set(raw) - set(schema["properties"]))
        raise ConfigError(f"{file}: unknown key {unknown[0]!r}", f"known keys: {known}")
    key = ".".join(str(p) for p in e.path) or "(top level)"
    raise ConfigError(f"{file}: {key}: {e.message}")
