"""OPA's own Rego engine in the process (`--engine opa`), behind the same Engine interface as
the embedded regorus engine (rego.py).

OPA's Go `rego` package comes from opa-golib-python-bindings (a c-shared library behind a
ctypes wrapper; alpha, one maintainer). It gets exactly what regorus gets: the same policy
files, `data.banlist` as the same JSON, the same input (inputs.rego_input), and the same one
query per package for its `deny` and `warn` rules; the answers become findings through the same
code (findings.py). The differential tests (tests/differential) hold the two engines to the same
answers.

The per-policy limits (`policy-seconds`, `policy-memory-mb`) hold as for the embedded engine
(limits.RegoChild): when policies other than the shipped ones are loaded, OPA evaluates in a
child process forked once per run, timed per query and with its address space capped. The
binding offers no way to interrupt an evaluation, and a Go runtime does not survive a fork, so
OPA's engine is started in the child, after the fork (and before the cap: Go reserves about
1.7 GB of address space when it starts). A process where OPA's runtime already runs (one that
evaluated on OPA in-process before, as a test session may) evaluates in the process, unlimited.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import regorus

from procgate.config import Limits
from procgate.decide.findings import finding_from_result
from procgate.decide.inputs import rego_input
from procgate.decide.limits import Overrun, RegoChild
from procgate.decide.rego import (  # one way to ask, to read answers, to say why not
    LIMITS_HINT,
    _query,
    _unreadable,
    _values,
    data_json,
    guarded,
    overran,
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


_BROKEN = "policy: "  # an error text that is the policies' fault, not the document's


class _Evaluator:
    """OPA's engine, driven by limits.RegoChild as it drives regorus (set_input_json, then
    eval_query_as_json per query). start() builds it where it evaluates: in the child when
    isolated, else in this process."""

    def __init__(self, policies: Sequence[tuple[str, str]], data: str) -> None:
        self._policies = policies
        self._data = data
        self._engine: Any = None
        self.broken: PolicyError | None = None  # OPA rejected a policy
        self._input: Any = None

    def start(self) -> None:
        try:
            self._engine = compiled(self._policies, json.loads(self._data))
            self._engine.eval_query("true", {})  # OPA compiles the modules on a first query
        except PolicyError as exc:
            self.broken = exc
        except opa_module().OpaError as exc:
            self.broken = PolicyError(f"policy does not compile on OPA: {exc.message}")

    def set_input_json(self, text: str) -> None:
        if self.broken is not None:
            raise self.broken
        value = json.loads(text)
        json.dumps(value, ensure_ascii=False).encode()  # OPA's binding refuses lone surrogates
        self._input = value

    def eval_query_as_json(self, query: str) -> Any:
        return self._engine.eval_query(query, self._input)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, PolicyError):
        return _BROKEN + exc.message
    code, message = getattr(exc, "code", ""), getattr(exc, "message", str(exc))
    return f"{code}: {message}" if code else str(exc)


def _runtime_here() -> bool:
    """Whether OPA's Go runtime already runs in this process (its library is mapped): a
    child forked from it could not evaluate. Where that cannot be told, assume it does."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return "libopabridge" in maps.read()
    except OSError:
        return True


class OpaEngine:
    """Evaluated in a child process under the per-policy limits when `isolated` (policies
    other than the shipped ones), else in the process."""

    def __init__(
        self,
        files: Sequence[Path],
        ban_data: BanData,
        certain_score: float,
        limits: Limits | None = None,
        *,
        isolated: bool = True,
    ) -> None:
        self._ban_data = ban_data
        self._certain = certain_score
        policies = read_policies(files)
        mods = declared(policies)
        opa_module()  # absent: exit 2 with the install hint, before anything runs
        packages = {m.ref: m for m in mods}
        # OPA's binding returns bindings: the query's value is bound to `answer`
        self._queries = {f"answer = {_query(ref)}": ref for ref in packages}
        self._files = {ref: m.file for ref, m in packages.items()}
        evaluator = _Evaluator(policies, data_json(ban_data))
        self._child = RegoChild(
            evaluator,
            limits or Limits(),
            _error_text,
            isolated=isolated and not _runtime_here(),
            prepare=evaluator.start,
        )
        if evaluator.broken is not None:  # started here: say so now
            raise evaluator.broken
        self._close = weakref.finalize(self, _close, self._child, evaluator)

    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]:
        payload = json.dumps(rego_input(doc, matches, ctx, self._ban_data, self._certain))
        try:
            answers = self._child.answers(payload, list(self._queries))
        except Overrun as overrun:
            package, what = overran(overrun.what, self._queries)
            raise PolicyError(
                f"Rego policy {self._where(package)} on {doc.path} (OPA): {what}", LIMITS_HINT
            ) from None
        findings: list[Finding] = []
        for query, (ok, answer) in answers:
            if query == "(input)":
                if answer.startswith(_BROKEN):
                    raise PolicyError(answer.removeprefix(_BROKEN))
                return [_unreadable(doc, answer)]  # a lone surrogate, say
            package = self._queries[query]
            if not ok:
                raise PolicyError(f"OPA evaluating {self._where(package)} on {doc.path}: {answer}")
            rows = answer
            for rule, values in (rows[0]["answer"] if rows else {}).items():
                for result in _values(values):
                    findings.append(
                        finding_from_result(
                            result, _RULES[rule], package, doc, matches, self._ban_data
                        )
                    )
        return findings

    def _where(self, package: str) -> str:
        file = self._files.get(package)
        return f"{package.removeprefix('data.')} ({file})" if file else package

    def close(self) -> None:
        self._close()


def _close(child: RegoChild, evaluator: _Evaluator) -> None:
    child.close()
    evaluator.close()
