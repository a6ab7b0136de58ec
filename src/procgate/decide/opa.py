"""OPA's own Rego engine in the process (`--engine opa`), behind the same Engine interface as
the embedded regorus engine (rego.py).

OPA's Go `rego` package comes from opa-golib-python-bindings (a c-shared library behind a
ctypes wrapper; alpha, one maintainer). It gets exactly what regorus gets: the same policy
files, `data.banlist` as the same JSON, the same input (inputs.rego_input), and the same one
query per package for its `deny` and `warn` rules; the answers become findings through the same
code (findings.py). The differential tests (tests/differential) hold the two engines to the same
answers.

Unlike the embedded engine, OPA evaluates in the process without the per-policy time and memory
limits (`policy-seconds`, `policy-memory-mb`): the binding offers no way to interrupt an
evaluation, and a Go runtime does not survive the fork the embedded engine's limits rely on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import regorus

from procgate.decide.findings import finding_from_result
from procgate.decide.inputs import rego_input
from procgate.decide.rego import (  # one way to ask, to read answers, to say why not
    _query,
    _unreadable,
    _values,
    data_json,
    guarded,
)
from procgate.decide.rego_ast import Module, modules
from procgate.errors import ConfigError, PolicyError
from procgate.model import BanData, Context, Document, Finding, Match, Severity, Subject

ENGINES = ("regorus", "opa")
PACKAGE = "opa-golib-python-bindings==0.4.4"
_RULES = {"deny": Severity.DENY, "warn": Severity.WARN}


def opa_module() -> Any:
    """The opa_bindings module, or a ConfigError (exit 2) that says how to install it."""
    try:
        import opa_bindings
    except ImportError as exc:
        raise ConfigError(
            "--engine opa: OPA's engine is not installed",
            f"pip install --ignore-requires-python {PACKAGE} (on Python 3.14 and later: "
            "pip install 'procgate[opa]'), or use --engine regorus",
        ) from exc
    return opa_bindings


def read_policies(files: Sequence[Path]) -> list[tuple[str, str]]:
    out = []
    for f in files:
        try:
            out.append((str(f), f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"cannot read policy {f}: {exc}") from exc
    return out


def compiled(policies: Sequence[tuple[str, str]], data: Any = None) -> Any:
    """An OpaEngine holding the policies (and data); a policy OPA rejects is a PolicyError."""
    bindings = opa_module()
    engine = bindings.OpaEngine()
    engine.print_handler = lambda _message, _location: None
    try:
        for name, text in policies:
            engine.add_policy(name, text)
        if data is not None:
            engine.add_data(data)
    except bindings.OpaError as exc:
        engine.close()
        raise PolicyError(f"policy does not compile on OPA: {exc.message}") from exc
    return engine


def declared(policies: Sequence[tuple[str, str]]) -> list[Module]:
    """The modules' packages and rules, from the AST (rego_ast.py reads it from regorus's
    parser; OPA's binding gives no AST)."""
    parser = regorus.Engine()
    for name, text in policies:
        guarded("policy does not compile", parser.add_policy, name, text)
    return modules(parser)


class OpaEngine:
    def __init__(self, files: Sequence[Path], ban_data: BanData, certain_score: float) -> None:
        self._ban_data = ban_data
        self._certain = certain_score
        policies = read_policies(files)
        mods = declared(policies)
        self._engine = compiled(policies, json.loads(data_json(ban_data)))
        self._error = opa_module().OpaError
        packages = {m.ref: m for m in mods}
        # OPA's binding returns bindings: the query's value is bound to `answer`
        self._queries = {f"answer = {_query(ref)}": ref for ref in packages}
        self._files = {ref: m.file for ref, m in packages.items()}
        for query in self._queries:  # OPA compiles on a query's first use: compile them now
            try:
                self._engine.eval_query(query, {})
            except self._error as exc:
                if exc.code == "prepare_error":
                    self._engine.close()
                    raise PolicyError(f"policy does not compile on OPA: {exc.message}") from exc

    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]:
        given = rego_input(doc, matches, ctx, self._ban_data, self._certain)
        findings: list[Finding] = []
        for query, package in self._queries.items():
            try:
                rows = self._engine.eval_query(query, given)
            except self._error as exc:
                if exc.code == "invalid_argument":  # the input: a lone surrogate, say
                    return [_unreadable(doc, exc.message)]
                where = f"{package.removeprefix('data.')} ({self._files[package]})"
                raise PolicyError(f"OPA evaluating {where} on {doc.path}: {exc.message}") from exc
            answer = rows[0]["answer"] if rows else {}
            for rule, values in answer.items():
                for result in _values(values):
                    findings.append(
                        finding_from_result(
                            result, _RULES[rule], package, doc, matches, self._ban_data
                        )
                    )
        return findings

    def close(self) -> None:
        self._engine.close()
