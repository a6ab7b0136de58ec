"""`procgate init --ci KIND`: the ready CI file for the repository at hand.

    installed_source() -> Source            where the running procgate came from (URL, commit)
    render(kind, source, branch) -> str     a pre-commit config, GitHub workflow or GitLab CI

procgate publishes no release tags yet, so every file pins procgate by commit: the commit
pip recorded when it installed procgate from git (direct_url.json), or the checkout's HEAD
for an editable install. Without either, pre-commit runs the procgate installed here
(`language: system`) and CI installs the same version from the package index.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from procgate.errors import ProcgateError

FILES = {
    "pre-commit": ".pre-commit-config.yaml",
    "github": ".github/workflows/procgate.yml",
    "gitlab": ".gitlab-ci.yml",
}
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_HOSTED = re.compile(
    r"^(?:https://|git@)(github\.com|gitlab\.com)[/:]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)
_SAFE_URL = re.compile(r"^[A-Za-z0-9_.:/@~+%=-]+$")  # nothing that could break out of YAML
POLICY_FILES = (
    r"(?i)((^|/)(policies|policy|bans|ban-?lists?)/.*\.(rego|py|ya?ml|json)$"
    r"|(^|/)\.?procgate\.ya?ml$)"
)
CHECKED_FILES = r"(?i)\.(ya?ml|json|jsonld|xml|spdx|rdf|cdx)$"


@dataclass(frozen=True)
class Source:
    url: str | None  # procgate's repository: https://github.com/OWNER/procgate, a path...
    rev: str | None  # a full commit hash
    version: str

    @property
    def pinned(self) -> bool:
        return bool(self.url and self.rev)

    @property
    def hosted(self) -> tuple[str, str] | None:
        """("github.com", "OWNER/NAME") for a repository on GitHub or GitLab."""
        found = _HOSTED.match(self.url or "")
        return (found[1], found[2]) if found else None

    @property
    def pip_spec(self) -> str:
        if self.pinned and urlparse(self.url or "").scheme in ("https", "http", "ssh"):
            return f"git+{self.url}@{self.rev}"
        return f"procgate=={self.version}"


def installed_source(url: str | None = None, rev: str | None = None) -> Source:
    """The running procgate's origin; `url`/`rev` (the command's options) win."""
    version = metadata.version("procgate")
    found_url, found_rev = _direct_url()
    url, rev = url or found_url, rev or found_rev
    if url is not None and not _SAFE_URL.match(url):
        raise ProcgateError(
            f"procgate repository {url!r} has characters a CI file cannot hold",
            "pass --procgate-repo with a plain URL or path",
        )
    if rev is not None and not _COMMIT.match(rev):
        raise ProcgateError(
            f"--procgate-rev {rev!r} is not a full commit hash",
            "procgate has no release tags yet: pin it by its 40-character "
            "commit (git rev-parse HEAD in its checkout)",
        )
    return Source(url, rev, version)


def _direct_url() -> tuple[str | None, str | None]:
    try:
        raw = metadata.distribution("procgate").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None, None
    if not raw:
        return None, None  # from a package index: no commit to pin
    info = json.loads(raw)
    if "vcs_info" in info:  # pip install git+URL@REV
        return info["url"], info["vcs_info"].get("commit_id")
    parsed = urlparse(info.get("url", ""))
    if parsed.scheme == "file":  # an (editable) install from a checkout
        checkout = Path(unquote(parsed.path))
        rev = _git(checkout, "rev-parse", "HEAD")
        origin = _git(checkout, "remote", "get-url", "origin")
        return (origin or str(checkout)) if rev else None, rev
    return None, None


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def current_branch(folder: Path) -> str:
    """The branch CI runs on pushes to: the repository's current branch, else main."""
    return _git(folder, "symbolic-ref", "--short", "HEAD") or "main"


def render(kind: str, source: Source, branch: str) -> str:
    return {"pre-commit": _pre_commit, "github": _github, "gitlab": _gitlab}[kind](source, branch)


def _header(kind: str, source: Source) -> str:
    pin = (
        f"procgate {source.version}, pinned by commit (no release tags yet)"
        if source.pinned
        else f"procgate {source.version}"
    )
    return f"# Written by `procgate init --ci {kind}` for {pin}.\n"


def _pre_commit(source: Source, _branch: str) -> str:
    if source.pinned:
        return _header("pre-commit", source) + (
            "# `pre-commit install`, then every commit is checked; `pre-commit autoupdate\n"
            "# --freeze` moves the pin to procgate's newest commit.\n"
            "repos:\n"
            f"  - repo: {_yaml_str(source.url or '')}\n"
            f"    rev: {source.rev}\n"
            "    hooks:\n"
            "      - id: procgate           # purchase requests and SBOMs in each commit\n"
            "      - id: procgate-policies  # policy tests, when policies or ban lists change\n"
        )
    return _header("pre-commit", source) + (
        "# procgate's repository could not be told from how it was installed, so these hooks\n"
        "# run the procgate installed here; `procgate init --ci pre-commit --procgate-repo URL\n"
        "# --procgate-rev COMMIT` writes hooks that pre-commit installs itself.\n"
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: procgate\n"
        "        name: procgate (vendor bans)\n"
        "        entry: procgate check --staged\n"
        "        language: system\n"
        f"        files: {CHECKED_FILES}\n"
        "        require_serial: true\n"
        "      - id: procgate-policies\n"
        "        name: procgate policy tests\n"
        "        entry: procgate test\n"
        "        language: system\n"
        f"        files: {POLICY_FILES}\n"
        "        pass_filenames: false\n"
    )


def _github(source: Source, branch: str) -> str:
    head = _header("github", source) + (
        "name: procgate\n"
        "on:\n"
        "  pull_request:\n"
        "  push:\n"
        f"    branches: [{_yaml_str(branch)}]\n"
        "permissions:\n"
        "  contents: read\n"
        "  security-events: write  # SARIF upload to code scanning\n"
        "jobs:\n"
        "  procgate:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          fetch-depth: 0  # --diff needs the base commit\n"
    )
    hosted = source.hosted
    if source.pinned and hosted and hosted[0] == "github.com":
        return head + (
            f"      - uses: {hosted[1]}@{source.rev}\n        with:\n          sarif: true\n"
        )
    if source.url and not source.pip_spec.startswith("git+"):
        # A checkout's folder (no hosted `origin`): `procgate==VERSION` from the package
        # index would install what someone else published under that name, or nothing.
        raise ProcgateError(
            f"a CI runner cannot install procgate from {source.url!r}",
            "pass --procgate-repo https://HOST/OWNER/procgate (the repository you got "
            "procgate from) and --procgate-rev COMMIT",
        )
    return head + (
        "      - uses: actions/setup-python@v5\n"
        "        with:\n"
        '          python-version: "3.11"\n'
        f"      - run: python -m pip install --quiet {_yaml_str(source.pip_spec)}\n"
        "      - name: procgate check (only new findings on a pull request)\n"
        "        env:\n"
        "          BASE: ${{ github.event.pull_request.base.sha }}\n"
        "        run: |\n"
        '          if [ -n "$BASE" ]; then\n'
        '            procgate check --format github --diff "$BASE"\n'
        "          else\n"
        "            procgate check --format github\n"
        "          fi\n"
    )


def _gitlab(source: Source, _branch: str) -> str:
    hosted = source.hosted
    if not (source.pinned and hosted):
        raise ProcgateError(
            "cannot tell where procgate's GitLab CI template is",
            "pass --procgate-repo https://github.com/OWNER/procgate (or gitlab.com) and "
            "--procgate-rev COMMIT, or include ci/gitlab/procgate.gitlab-ci.yml from your "
            "copy of procgate",
        )
    host, path = hosted
    raw = (
        f"https://raw.githubusercontent.com/{path}/{source.rev}"
        if host == "github.com"
        else f"https://gitlab.com/{path}/-/raw/{source.rev}"
    )
    return _header("gitlab", source) + (
        "# Adds a `procgate` job to merge-request and branch pipelines (JUnit report in the\n"
        "# merge request). Variables: PROCGATE_PATHS, PROCGATE_FAIL_ON, PROCGATE_ARGS.\n"
        "include:\n"
        f"  - remote: {raw}/ci/gitlab/procgate.gitlab-ci.yml\n"
        "variables:\n"
        f"  PROCGATE_INSTALL: {_yaml_str('pip install --quiet ' + source.pip_spec)}\n"
    )


def _yaml_str(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML string
