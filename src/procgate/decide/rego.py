"""Embedded Rego engine (regorus): policies compiled once per run, evaluated per document.

Every package's `deny` and `warn` rules are collected, conftest-style: an entry is a message
string or an object {msg, rule?, match?, pointer?, authorities?}. Both rules of a package are
asked for in one query, so what they share (the per-match outcomes) is evaluated once.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import regorus

from procgate import cache, rules
from procgate.config import Limits
from procgate.decide.banlist_data import ban_data_as_json
from procgate.decide.findings import finding_from_result, result_pointer
from procgate.decide.inputs import rego_input
from procgate.decide.limits import Overrun, RegoChild
from procgate.errors import PolicyError
from procgate.model import (
    BanData,
    Context,
    Document,
    Finding,
    Match,
    Position,
    Severity,
    Subject,
)

_RULES = {"deny": Severity.DENY, "warn": Severity.WARN}


def _unreadable(doc: Document, why: str) -> Finding:
    """load/ keeps such documents out (nesting, lone surrogates); should one get through,
    it is a blocking finding on the file, and the other files are still checked."""
    rule = rules.PARSE_LIMIT if "limit" in why else rules.PARSE_ERROR
    return Finding(
        rule,
        Severity.DENY,
        f"the Rego engine cannot read this document as input: {why}",
        Position(doc.path, 1, 1),
    )


def rego_files(folders: Sequence[Path]) -> list[Path]:
    """Policy files under the folders; `*_test.rego` files are for `procgate test`."""
    files: list[Path] = []
    for folder in folders:
        found = [folder] if folder.is_file() else sorted(folder.rglob("*.rego"))
        files += [f for f in found if not f.name.endswith("_test.rego")]
    return files


def engine_error(exc: BaseException) -> str:
    """regorus messages end in a Rust backtrace that helps no one."""
    return str(exc).split("Stack backtrace:")[0].strip()


def guarded(what: str, call: Any, *args: Any) -> Any:
    """Run a regorus call; its panics derive from BaseException, so catch that too."""
    try:
        return call(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3 panics derive from BaseException
        raise PolicyError(f"{what}: {engine_error(exc)}") from exc


def data_json(ban_data: BanData) -> str:
    """{"banlist": ban_data_as_json(...)} as JSON text; for a big list, from the disk cache
    (making it means making every entity, which a cached list otherwise never does)."""
    on_disk = cache.on_disk(ban_data)
    text = cache.read("rego-data", ban_data.digest) if on_disk else None
    if not isinstance(text, str):
        text = orjson.dumps({"banlist": ban_data_as_json(ban_data)}).decode()
        if on_disk:
            cache.write("rego-data", ban_data.digest, text)
    return text


class RegoEngine:
    """Compiled here, evaluated in a child process under the per-policy limits (limits.py).
    `isolated=False` (only the shipped policies, whose cost the benchmarks measure): in the
    process, which saves a round trip per document."""

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
        self._engine = regorus.Engine()
        for f in files:
            try:
                text = f.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise PolicyError(f"cannot read policy {f}: {exc}") from exc
            guarded("policy does not compile", self._engine.add_policy, str(f), text)
        guarded(
            "ban-list data rejected by the Rego engine",
            self._engine.add_data_json,
            data_json(ban_data),
        )
        self._packages = guarded("listing packages", self._engine.get_packages)
        self._queries = {_query(p): p for p in self._packages}
        self._child = RegoChild(self._engine, limits or Limits(), engine_error, isolated=isolated)
        weakref.finalize(self, self._child.close)

    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]:
        payload = _dumps(rego_input(doc, matches, ctx, self._ban_data, self._certain))
        try:
            answers = self._child.answers(payload, list(self._queries))
        except Overrun as overrun:
            package, what = overran(overrun.what, self._queries)
            raise PolicyError(
                f"Rego policy {self._policy(package)} on {doc.path}: {what}", LIMITS_HINT
            ) from None
        results: list[tuple[Any, str, str]] = []
        for query, (ok, answer) in answers:
            if query == "(input)":  # the document, not the policy: a finding on it
                return [_unreadable(doc, answer)]
            package = self._queries[query]
            if not ok:
                raise PolicyError(f"evaluating {package}.deny/warn: {answer}")
            for rule, values in _rule_values(answer).items():
                results += ((result, rule, package) for result in _values(values))
        # All positions at once: one pass over the text for any number of findings.
        doc.locate(result_pointer(result, matches) for result, _, _ in results)
        return [
            finding_from_result(result, _RULES[rule], package, doc, matches, self._ban_data)
            for result, rule, package in results
        ]

    def _policy(self, package: str) -> str:
        """The package with its file, for an error message: the module list is read only
        then (regorus dumps the whole syntax tree as JSON for it: a tenth of a clean
        one-request check)."""
        from procgate.decide.rego_ast import modules

        files = {f"data.{m.package}": m.file for m in modules(self._engine)}
        file = files.get(package)
        return f"{package.removeprefix('data.')} ({file})" if file else package


LIMITS_HINT = (
    "raise policy-seconds / policy-memory-mb in procgate.yaml if it is expected to need more"
)


def overran(what: str, queries: dict[str, str]) -> tuple[str, str]:
    """(package, how) from an Overrun's "<query>: <how>" (queries: query -> package)."""
    for query, package in queries.items():
        if what.startswith(f"{query}: "):
            return package, what[len(query) + 2 :]
    query, _, how = what.partition(": ")  # "(input)", "(starting the engine)"
    return query, how


def _query(package: str) -> str:
    """The package's deny and warn values in one query: {"deny": [value], "warn": [value]},
    each list empty where the rule is undefined (a comprehension is never undefined)."""
    return "{" + ", ".join(f'"{rule}": [v | v := {package}.{rule}]' for rule in _RULES) + "}"


def _rule_values(answer: str) -> dict[str, list[Any]]:
    """{rule: [its value]} from the query's answer ({} when there is no result)."""
    out: dict[str, list[Any]] = {}
    for r in json.loads(answer).get("result", []):
        for e in r["expressions"]:
            for rule, values in e["value"].items():
                out.setdefault(rule, []).extend(values)
    return out


def _dumps(value: Any) -> str:
    """JSON text of the input: orjson (several times json's speed on 10,000 matches); what
    it refuses and the standard encoder may take (a lone surrogate, a non-string key; a
    date is refused by both) goes the standard way, so the engine gets the same input or
    the same error as before. (Answers stay with json.loads: orjson reads an integer
    beyond 64 bits as a float.)"""
    try:
        return orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value)


def _values(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, list):
            out += value
        elif isinstance(value, dict | str):  # a partial object rule or a single message
            out.append(value)
    return out
