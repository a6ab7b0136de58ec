"""`check --staged` is the pre-commit path: git runs as a subprocess, GitPython is never
imported (its import alone cost more CPU than pre-commit-hooks' check-yaml), and a YAML
request loads neither the JSON parser nor the position finder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import sys
from procgate.cli import main
sys.argv = ["procgate", "check", "--staged"]
try:
    main()
except SystemExit as e:
    code = e.code
print("exit", code)
print("loaded", sorted(m for m in ("git", "jiter", "msgspec", "lxml") if m in sys.modules))
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_staged_request_is_checked_without_gitpython(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    request = ROOT / "examples" / "purchase-requests" / "kaspersky-endpoint.yaml"
    (tmp_path / "pr.yaml").write_bytes(request.read_bytes())
    _git(tmp_path, "add", "pr.yaml")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert "exit 1" in out  # the staged request names Kaspersky: the commit is blocked
    assert "loaded []" in out, out


def test_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "procgate", "check", "--staged"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "not a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bare_repository_has_no_work_tree_to_check(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "--bare")
    result = subprocess.run(
        [sys.executable, "-m", "procgate", "check", "--staged"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "bare git repository" in result.stderr
