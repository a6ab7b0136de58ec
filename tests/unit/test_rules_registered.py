"""Every rule id procgate can emit is registered in procgate.rules (title, help, SARIF rule).

Read from the sources themselves: the shipped Rego policies, the shipped Python policies and
procgate's own code, so a new id that skips rules.py fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from procgate import rules
from procgate.decide.python import PythonEngine, python_files
from procgate.model import BanData
from procgate.resources import policies_dir

SRC = Path(rules.__file__).parent
# A rule id: dotted lowercase words ("bans.banned-vendor"). File names look alike: left out.
_ID = re.compile(r"[a-z][a-z0-9]*(?:\.[a-z][a-z0-9-]*)+")
_FILE_SUFFIX = re.compile(r"\.(?:ya?ml|json|xml|rego|py|spdx|txt|html)$")
_REGO_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _rego_rule_ids(text: str) -> set[str]:
    """String literals of a Rego module (comments left out) that look like rule ids."""
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    return {
        s for s in _REGO_STRING.findall(code) if _ID.fullmatch(s) and not _FILE_SUFFIX.search(s)
    }


def _shipped_rego() -> list[Path]:
    return [f for f in sorted(policies_dir().rglob("*.rego")) if not f.stem.endswith("_test")]


def test_rule_ids_in_shipped_rego_are_registered() -> None:
    found = {rule: f.name for f in _shipped_rego() for rule in _rego_rule_ids(f.read_text())}
    assert "bans.banned-vendor" in found  # the scan reads the policy at all
    missing = {rule: file for rule, file in found.items() if rule not in rules.RULES}
    assert missing == {}


def test_rule_ids_of_shipped_python_policies_are_registered() -> None:
    engine = PythonEngine(python_files([policies_dir() / "python"]), BanData({}, {}, {}))
    assert rules.MALFORMED_IDENTIFIER in engine.rules
    assert [r for r in engine.rules if r not in rules.RULES] == []


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_rule_name(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "rule") or (
        isinstance(node, ast.Attribute) and node.attr == "rule"
    )


def _emitted_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals the code uses as a rule id: `rule=...`, `{"rule": ...}`, a Problem's
    rule, `rule == ...`."""
    out: list[tuple[int, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            out += [(node.lineno, _literal(k.value)) for k in node.keywords if k.arg == "rule"]
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "Problem" and len(node.args) >= 4:
                out.append((node.lineno, _literal(node.args[3])))
        elif isinstance(node, ast.Dict):
            out += [
                (node.lineno, _literal(v))
                for k, v in zip(node.keys, node.values, strict=True)
                if _literal(k) == "rule"
            ]
        elif isinstance(node, ast.Compare) and _is_rule_name(node.left):
            out += [(node.lineno, _literal(c)) for c in node.comparators]
    return [(line, s) for line, s in out if s is not None]


def _code_files() -> list[Path]:
    """procgate's code and the shipped Python policies (their tests left out), not rules.py."""
    shipped = [
        f for f in (policies_dir() / "python").glob("*.py") if not f.name.startswith("test_")
    ]
    return [
        f for f in sorted(SRC.rglob("*.py")) if f.name != "rules.py" or f.parent != SRC
    ] + sorted(shipped)


def test_code_writes_rule_ids_as_rules_constants() -> None:
    """A rule id in code is `rules.X`, never a string: a string can drift from rules.py (a
    finding with an id no report knows) and cannot be found by name."""
    written = []
    for file in _code_files():
        tree = ast.parse(file.read_text())
        emitted = {line for line, _ in _emitted_literals(tree)}
        written += [f"{file.name}:{line} {rule}" for line, rule in _emitted_literals(tree)]
        written += [
            f"{file.name}:{node.lineno} {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value in rules.RULES
            and node.lineno not in emitted
        ]
    assert written == []


def test_the_scan_would_see_an_unregistered_id() -> None:
    """The readers above find what they look for (a test that cannot fail proves nothing)."""
    assert _rego_rule_ids('# "a.b"\nwarn contains {"rule": "bans.new-thing", "msg": "a.json"}') == {
        "bans.new-thing"
    }
    code = (
        'Problem(p, 0, 0, "x.bug", "deny", m)\nFinding(rule="y.z")\n{"rule": "w.v"}\n'
        'if f.rule == "u.t": pass\n'
    )
    assert sorted(s for _, s in _emitted_literals(ast.parse(code))) == [
        "u.t",
        "w.v",
        "x.bug",
        "y.z",
    ]
