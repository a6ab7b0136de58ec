"""What a compiled Rego module declares: its package and its rules with their lines.

Read from regorus's `get_ast_as_json`, so that `procgate test` finds test rules and the OPA
client knows which `deny`/`warn` rules a package defines, without parsing Rego by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class RuleDecl:
    name: str  # the first segment of the rule head: `outcomes[x] contains ...` -> outcomes
    line: int
    function: bool  # a function (`f(x) := ...`): never a test, never a decision


@dataclass(frozen=True)
class Module:
    file: str  # the name the policy was added under
    path: tuple[str, ...]  # ("procgate", "bans")
    rules: tuple[RuleDecl, ...]

    @property
    def package(self) -> str:
        """ "procgate.bans": for people and for OPA's /v1/data/procgate/bans."""
        return ".".join(self.path)

    def rule_names(self) -> set[str]:
        return {r.name for r in self.rules if not r.function}

    @property
    def ref(self) -> str:
        """`data.procgate.bans`; segments that are not identifiers are quoted."""
        return "data" + "".join(_segment(s) for s in self.path)

    def query(self, rule: str) -> str:
        return self.ref + _segment(rule)


def modules(engine: Any) -> list[Module]:
    """The modules of a regorus Engine, in the order they were added."""
    out: list[Module] = []
    for entry in json.loads(engine.get_ast_as_json()):
        ast = entry["ast"]
        package = _ref_path(ast["package"]["refr"], keep_index=True)
        rules = tuple(r for r in (_rule(raw) for raw in ast.get("rules", [])) if r is not None)
        out.append(Module(entry["source"]["file"], tuple(package), rules))
    return out


def _rule(raw: dict[str, Any]) -> RuleDecl | None:
    kind, body = next(iter(raw.items()))
    line = int(body.get("span", {}).get("line", 0))
    if kind == "Default":
        path = _ref_path(body.get("refr"))
        return RuleDecl(path[0], line, False) if path else None
    head = body.get("head")
    if not isinstance(head, dict) or not head:
        return None
    head_kind, head_body = next(iter(head.items()))
    path = _ref_path(head_body.get("refr"))
    return RuleDecl(path[0], line, head_kind == "Func") if path else None


def _ref_path(ref: Any, keep_index: bool = False) -> list[str]:
    """["procgate", "bans"] from a Var / RefDot chain. A RefBrack is a string segment in a
    package (`package a["b-c"]`) and a key in a rule head (`outcomes[id]`), which is dropped."""
    if not isinstance(ref, dict) or not ref:
        return []
    kind, body = next(iter(ref.items()))
    if kind == "Var":
        return [str(body["value"])]
    if kind == "RefDot":
        return [*_ref_path(body["refr"], keep_index), str(body["field"][1])]
    if kind == "RefBrack":
        index = body.get("index", {})
        inner = _ref_path(body["refr"], keep_index)
        if keep_index and isinstance(index, dict) and "String" in index:
            return [*inner, str(index["String"]["value"])]
        return inner
    return []


def _segment(name: str) -> str:
    return f".{name}" if _IDENT.fullmatch(name) else f"[{json.dumps(name)}]"
