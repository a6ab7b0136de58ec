"""Python policies: plain functions registered by a decorator.

    from procgate.decide.python import PolicyInput, Result, policy

    @policy("acme.no-unpriced-items", kinds={"purchase-request"})
    def unpriced(inp: PolicyInput):
        for i, item in enumerate(inp.document.data.get("items", [])):
            if "unit_price" not in item:
                yield Result("item has no price", severity="warn", pointer=f"/items/{i}")

A policy file is any .py file in a policy folder; every decorated function in it runs on
every document of the given kinds (all kinds when none are given).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from procgate.config import Limits
from procgate.decide.findings import finding_from_result
from procgate.decide.limits import Overrun, run_limited
from procgate.errors import PolicyError
from procgate.model import BanData, Context, Document, Finding, Kind, Match, Severity, Subject


@dataclass(frozen=True)
class PolicyInput:
    """What a Python policy is given: the document, its subjects and matches, the ban data and the
    context."""

    document: Document
    subjects: Sequence[Subject]
    matches: Sequence[Match]
    ban_data: BanData
    context: Context


@dataclass(frozen=True)
class Result:
    """What a Python policy yields: a message, where, and what to do."""

    message: str
    severity: str = "deny"  # deny | warn
    pointer: str = ""
    match: int | None = None  # index into PolicyInput.matches, to carry entity and score
    authorities: tuple[str, ...] = ()
    action: str = ""

    def __post_init__(self) -> None:
        # A typo must not decide: "warning" used to become a deny.
        if self.severity not in _SEVERITIES:
            raise ValueError(
                f"Result severity {self.severity!r} is not one of "
                f"{', '.join(map(repr, _SEVERITIES))}"
            )


_SEVERITIES = (Severity.DENY.value, Severity.WARN.value)
PolicyFn = Callable[[PolicyInput], Iterable[Result]]
_MARK = "__procgate_policy__"
_KINDS = frozenset(k.value for k in Kind)


def policy(rule: str, *, kinds: Iterable[str] | None = None) -> Callable[[PolicyFn], PolicyFn]:
    """Register a function as a policy with a stable rule id. `kinds` are Kind values
    ("purchase-request", "cyclonedx", ...); one procgate does not know is an error here, when
    the policy file loads (a typo used to switch the policy off without a word)."""
    if isinstance(kinds, str):
        raise ValueError(f"policy {rule}: kinds must be a set of kinds, not the string {kinds!r}")
    wanted = frozenset(kinds) if kinds else None
    unknown = sorted(wanted - _KINDS) if wanted else []
    if unknown:
        raise ValueError(
            f"policy {rule}: unknown kinds {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(sorted(_KINDS))}"
        )

    def mark(fn: PolicyFn) -> PolicyFn:
        setattr(fn, _MARK, (rule, wanted))
        return fn

    return mark


@dataclass(frozen=True)
class _Registered:
    """A function marked with @policy, with its rule, kinds and file."""

    rule: str
    kinds: frozenset[str] | None
    fn: PolicyFn
    file: Path


def python_files(folders: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        found = [folder] if folder.is_file() else sorted(folder.rglob("*.py"))
        files += [f for f in found if f.suffix == ".py" and not f.name.startswith("test_")]
    return files


def _load(file: Path) -> list[_Registered]:
    name = f"procgate_policy_{abs(hash(file.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise PolicyError(f"cannot load Python policy {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise PolicyError(f"Python policy {file} failed to load: {exc!r}") from exc
    found = []
    for value in vars(module).values():
        mark = getattr(value, _MARK, None)
        if mark and callable(value):
            found.append(_Registered(mark[0], mark[1], value, file))
    return found


class PythonEngine:
    def __init__(
        self, files: Sequence[Path], ban_data: BanData, limits: Limits | None = None
    ) -> None:
        self._ban_data = ban_data
        self._policies = [p for f in files for p in _load(f)]
        self._limits = limits or Limits()

    @property
    def rules(self) -> list[str]:
        return [p.rule for p in self._policies]

    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]:
        inp = PolicyInput(doc, subjects, matches, self._ban_data, ctx)
        findings: list[Finding] = []
        for p in self._policies:
            if p.kinds is not None and str(doc.kind) not in p.kinds:
                continue
            try:
                results: list[Result] = run_limited(partial(_results, p.fn, inp), self._limits)
            except Overrun as overrun:
                raise PolicyError(
                    f"Python policy {p.rule} ({p.file}) on {doc.path}: {overrun.what}",
                    "raise policy-seconds / policy-memory-mb in procgate.yaml if it is "
                    "expected to need more",
                ) from None
            except Exception as exc:
                raise PolicyError(
                    f"Python policy {p.rule} ({p.file}) failed on {doc.path}: {exc!r}"
                ) from exc
            for r in results:
                raw = {
                    "msg": r.message,
                    "rule": p.rule,
                    "pointer": r.pointer,
                    "match": r.match,
                    "authorities": list(r.authorities),
                    "action": r.action,
                }
                severity = Severity.WARN if r.severity == "warn" else Severity.DENY
                findings.append(
                    finding_from_result(raw, severity, p.rule, doc, matches, self._ban_data)
                )
        return findings


def _results(fn: PolicyFn, inp: PolicyInput) -> list[Result]:
    return list(fn(inp))
