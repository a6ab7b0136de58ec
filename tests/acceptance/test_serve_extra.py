"""`procgate serve`'s web server is the `serve` extra: the pre-commit hook installs procgate
without FastAPI, uvicorn and python-multipart (README, Performance). Without them, `serve`
says how to install them (exit 2, no traceback) and every other command works."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from cli_support import ROOT

# The web server's packages made unimportable, as in an environment without the extra.
WITHOUT_SERVER = (
    "import sys\n"
    "for name in ('fastapi', 'uvicorn', 'python_multipart', 'starlette'):\n"
    "    sys.modules[name] = None\n"
    "from procgate.cli import main\n"
    "main(sys.argv[1:])\n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_SERVER, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        check=False,
    )


def test_serve_without_its_extra_says_how_to_install_it(tmp_path: Path) -> None:
    result = run("serve", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "procgate serve needs its web server" in result.stderr
    assert "pip install 'procgate[serve]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_and_help_need_no_web_server(tmp_path: Path) -> None:
    request = ROOT / "examples" / "purchase-requests" / "kaspersky-endpoint.yaml"
    assert run("--help", cwd=tmp_path).returncode == 0
    checked = run("check", str(request), cwd=tmp_path)
    assert checked.returncode == 1 and "bans.banned-vendor" in checked.stdout, checked.stderr


def test_the_server_packages_are_an_extra_the_tests_install() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {"fastapi", "uvicorn", "python-multipart"}
    required = {d.split(">")[0].split("=")[0].strip() for d in project["dependencies"]}
    assert not names & required
    serve = {d.split(">")[0].strip() for d in project["optional-dependencies"]["serve"]}
    assert serve == names
    assert "procgate[serve]" in project["optional-dependencies"]["test"]
