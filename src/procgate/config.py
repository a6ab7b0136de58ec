"""procgate.yaml / [tool.procgate] + command-line flags -> Options (frozen). Read once."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_type_hints

from procgate.errors import ConfigError
from procgate.resources import schema_path

if TYPE_CHECKING:
    from procgate.bundle.trust import Trust

CONFIG_NAMES = ("procgate.yaml", "procgate.yml", ".procgate.yaml")
DEFAULT_CERTAIN_SCORE = 0.9
# Environment variables, read here only (options_from), never inside a stage.
OPA_TOKEN_ENV = "PROCGATE_OPA_TOKEN"  # sent to --opa-url as a bearer token when set
DEBUG_ENV = "PROCGATE_DEBUG"  # an internal error on one file raises (for the traceback)


@dataclass(frozen=True)
class Flags:
    """What the command line said, typed; None (or empty) means "not given", so the config
    file's value counts. cli/options.gate_options collects a command's flags into one; every
    command builds its Options from it with options_from(). To add an option, see
    /work/helpers/NOTES.md ("adding an option")."""

    config_file: Path | None = None
    audience: str | None = None
    today: date | None = None
    fail_on: str | None = None
    policies: tuple[Path, ...] = ()
    data: tuple[Path, ...] = ()
    audit_log: Path | None = None
    bundle: Path | None = None
    opa_url: str | None = None
    engine: str | None = None  # regorus | opa (decide/opa.py)
    verification_key: Path | None = None
    verification_key_id: str | None = None
    verification_alg: str | None = None
    verification_scope: str | None = None
    allow_unsigned_bundle: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON-shaped (`serve` hands the flags to its worker processes)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                out[f.name] = [str(v) for v in value]
            elif isinstance(value, (Path, date)):
                out[f.name] = str(value) if isinstance(value, Path) else value.isoformat()
            else:
                out[f.name] = value
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Flags:
        hints = get_type_hints(cls)
        return cls(**{k: _typed(hints[k], v) for k, v in raw.items() if k in hints})


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if hint in (Path, Path | None):
        return Path(value)
    if hint in (date, date | None):
        return date.fromisoformat(value)
    if hint == tuple[Path, ...]:
        return tuple(Path(v) for v in value)
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Limits:
    """Per policy and document (decide/limits.py enforces them). The shipped policies take
    about 3 s and a few hundred MiB on a 100k-component SBOM."""

    seconds: float = 20.0
    memory_mb: int = 1024


# Audience sources that win over a purchase request's own `audience:` (the command line's
# --audience, serve's ?audience= query parameter).
EXPLICIT_AUDIENCE = ("--audience", "the audience parameter")


@dataclass(frozen=True)
class Options:
    """Everything a run needs to know, from the config file, the flags and the environment."""

    today: date
    audience: str = "us-federal"
    # Where the audience came from: "--audience", the config file's name, "default", or (serve)
    # "the audience parameter". A purchase request's own `audience:` counts unless whoever runs
    # the check named one (EXPLICIT_AUDIENCE).
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
    engine: str = "regorus"  # the in-process Rego engine: regorus (embedded) or opa
    bundle_trust: Trust | None = None  # keys that verify the bundle (set when there is one)
    policy_limits: Limits = field(default_factory=Limits)  # per policy evaluation
    opa_token: str | None = field(default=None, repr=False)  # $PROCGATE_OPA_TOKEN
    debug: bool = False  # $PROCGATE_DEBUG: an internal error raises instead of a finding


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


def options_from(flags: Flags, *, cwd: Path | None = None, today: date | None = None) -> Options:
    """The one way every command gets its Options: the config file's settings (`--config`,
    else found from `cwd`) overridden by the flags, and the environment variables."""
    cwd = cwd or Path.cwd()
    if flags.config_file is not None and not (cwd / flags.config_file).is_file():
        raise ConfigError(f"no such config file: {flags.config_file}")
    file = cwd / flags.config_file if flags.config_file else find_config(cwd)
    raw = read_config(file) if file else {}
    base = file.parent if file else cwd

    def pick(key: str, default: Any) -> Any:
        value = getattr(flags, key.replace("-", "_"), None)
        return value if value not in (None, ()) else raw.get(key, default)

    def one_path(key: str) -> Path | None:
        value = getattr(flags, key.replace("-", "_"), None)
        if value:
            return cwd / str(value)
        return base / str(raw[key]) if raw.get(key) else None

    # A bundle is the pinned policy set: it replaces the shipped and configured policies and
    # ban lists; only those given on the command line are added to it.
    bundle = one_path("bundle")

    def paths(key: str, given: tuple[Path, ...] = ()) -> tuple[Path, ...]:
        # Config paths are relative to the config file; extra CLI ones to the cwd.
        pinned = bundle is not None and key in ("policies", "data")
        from_config = () if pinned else tuple(base / p for p in raw.get(key, ()))
        return from_config + tuple(cwd / p for p in given)

    bundle_trust = None
    if bundle is not None:
        from procgate.bundle.trust import trust_from

        bundle_trust = trust_from(raw.get("bundle-verification"), base, flags, cwd)
    return Options(
        today=flags.today or today or date.today(),
        audience=pick("audience", "us-federal"),
        audience_from="--audience"
        if flags.audience
        else (file.name if file and raw.get("audience") else "default"),
        data_max_age=int(raw.get("data-max-age", 180)),
        fail_on=pick("fail-on", "deny"),
        policy_dirs=paths("policies", flags.policies),
        data_files=paths("data", flags.data),
        paths=tuple(base / p for p in raw.get("paths", ())),
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
        engine=pick("engine", "regorus"),
        bundle_trust=bundle_trust,
        policy_limits=Limits(
            float(raw.get("policy-seconds", Limits.seconds)),
            int(raw.get("policy-memory-mb", Limits.memory_mb)),
        ),
        opa_token=os.environ.get(OPA_TOKEN_ENV) or None,
        debug=bool(os.environ.get(DEBUG_ENV)),
    )


def _read_toml(file: Path) -> dict[str, Any]:
    import tomllib

    from procgate.load.source import LoadProblem, read_regular

    try:
        return tomllib.loads(read_regular(file).decode("utf-8"))
    except LoadProblem as problem:
        raise ConfigError(f"cannot read {file}: {problem.message}") from problem
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {file}: {exc}") from exc


def _check(raw: Any, file: Path) -> None:
    """A valid config is told by jsonschema-rs (imported by every check anyway);
    python-jsonschema, whose import costs more than the rest of a pre-commit run, is imported
    only to explain one that failed (or holds values jsonschema-rs does not take, such as a
    TOML date). Formats are not asserted by either."""
    import jsonschema_rs

    schema = json.loads(schema_path("config").read_text(encoding="utf-8"))
    fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
    try:
        if fast.is_valid(raw):
            return
        refused = True
    except ValueError:  # "Unsupported type": python-jsonschema says what is wrong with it
        refused = False
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.path))
    if not errors:
        if refused:  # the two libraries disagree: what jsonschema-rs saw; never pass
            raise ConfigError(f"{file}: {next(iter(fast.iter_errors(raw)))}")
        return
    e = errors[0]
    if e.validator == "additionalProperties" and not e.path:  # a top-level key
        known = ", ".join(sorted(schema["properties"]))
        unknown = sorted(set(raw) - set(schema["properties"]))
        raise ConfigError(f"{file}: unknown key {unknown[0]!r}", f"known keys: {known}")
    key = ".".join(str(p) for p in e.path) or "(top level)"
    raise ConfigError(f"{file}: {key}: {e.message}")
