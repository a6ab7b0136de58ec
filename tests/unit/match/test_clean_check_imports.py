"""A clean one-request check (the pre-commit path) compares no two words and folds no
look-alike letters: it neither imports rapidfuzz nor reads the confusables table (together
about a sixth of that check's CPU before they became lazy). Nor does it import what only
other files, other commands or errors need (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import sys
from procgate.cli import main
from procgate.match import visible
sys.argv = ["procgate", "check", sys.argv[1]]
try:
    main()
except SystemExit as e:
    code = e.code
print("exit", code)
print("rapidfuzz", "rapidfuzz" in sys.modules)
print("confusables read", visible.prototypes.cache_info().currsize)
"""


def test_clean_request_needs_neither_rapidfuzz_nor_the_confusables_table() -> None:
    request = ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml"
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(request)], capture_output=True, text=True, check=True
    ).stdout
    assert "exit 0" in out, out
    assert "rapidfuzz False" in out, out
    assert "confusables read 0" in out, out


def test_a_typo_still_loads_rapidfuzz_and_is_caught(tmp_path: Path) -> None:
    """The lazy import is still taken when a word is one edit from a listed one."""
    request = tmp_path / "pr.yaml"
    text = (ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml").read_text()
    assert "  name: CDW Government LLC\n" in text
    typo = text.replace("  name: CDW Government LLC\n", "  name: Kasperskyy Lab\n")
    request.write_text(typo, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(request)], capture_output=True, text=True, check=True
    ).stdout
    assert "rapidfuzz True" in out, out
    assert "exit 1" in out, out  # denied: "Kasperskyy Lab" matched by spelling (score 0.93)


# What a one-request check needs none of: python-jsonschema (a valid procgate.yaml is told by
# jsonschema-rs), the SBOM validators and lxml, list comparison, the Rego syntax tree (read
# for error messages), TOML (no pyproject.toml here), pickle (no policy child process),
# difflib (suggestions for typos), logging (cache warnings), traceback, msgspec, and what
# other commands use (git, jinja2, SQLAlchemy, JWT, bundles).
UNNEEDED = (
    "jsonschema",
    "procgate.validate.cyclonedx",
    "procgate.validate.spdx2",
    "procgate.validate.spdx3",
    "lxml",
    "procgate.lists.compare",
    "procgate.decide.rego_ast",
    "tomllib",
    "pickle",
    "difflib",
    "logging",
    "traceback",
    "git",
    "jinja2",
    "sqlalchemy",
    "jwt",
    "procgate.bundle.read",
    "rapidfuzz",
    "msgspec",  # a YAML file, and the shipped list's index is built, not read back
)

IMPORTED = """
import sys
from procgate.cli import main
unneeded = sys.argv[2:]
sys.argv = ["procgate", "check", sys.argv[1]]
try:
    main()
except SystemExit as e:
    code = e.code
print("exit", code)
print("imported", ",".join(m for m in unneeded if m in sys.modules))
"""


@pytest.mark.parametrize("config", [False, True])
def test_a_request_check_imports_only_what_it_needs(tmp_path: Path, config: bool) -> None:
    request = tmp_path / "request.yaml"
    request.write_bytes(
        (ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml").read_bytes()
    )
    if config:
        (tmp_path / "procgate.yaml").write_text("audience: us-federal\nfail-on: warn\n")
    env = {**os.environ, "PROCGATE_CACHE_DIR": str(tmp_path / "cache")}
    for run in ("cold cache", "warm cache"):
        out = subprocess.run(
            [sys.executable, "-c", IMPORTED, "request.yaml", *UNNEEDED],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "exit 0" in out, (run, out)
        assert "imported \n" in out, (run, out)
