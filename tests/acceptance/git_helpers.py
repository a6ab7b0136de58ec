"""Throwaway git repositories for the git, hook and CI tests: real repos made with GitPython."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import git

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = ROOT / "tests" / "data" / "purchase-requests"
CLEAN = (REQUESTS / "clean.yaml").read_text(encoding="utf-8")
HUAWEI = (REQUESTS / "huawei.yaml").read_text(encoding="utf-8")
DATE = "2026-11-28"  # fixed evaluation date: findings do not depend on the day the test runs

# An SBOM with one banned component (Huawei) among ordinary ones.
SBOM: dict[str, Any] = json.loads(
    (ROOT / "examples" / "sboms" / "branch-router-firmware.cdx.json").read_text(encoding="utf-8")
)
ZTE_COMPONENT = {
    "type": "firmware",
    "bom-ref": "wifi",
    "name": "ZXHN wifi module firmware",
    "version": "2.0",
    "supplier": {"name": "ZTE Corporation"},
}


def new_repo(path: Path, branch: str = "main") -> git.Repo:
    path.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(path, initial_branch=branch)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.org")
        config.set_value("commit", "gpgsign", "false")
    return repo


def write(repo: git.Repo, name: str, content: str | bytes, *, stage: bool = True) -> Path:
    path = Path(repo.working_tree_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if stage:
        repo.index.add([name])
    return path


def commit(repo: git.Repo, message: str = "change") -> str:
    # `git commit` (not index.commit): hooks run, as they do for a person committing.
    repo.git.commit("-m", message, "--no-verify")
    return repo.head.commit.hexsha


def sbom(*extra: dict[str, Any], drop: str | None = None, indent: int = 2) -> str:
    """The router SBOM, with components added or one removed (by bom-ref)."""
    bom = copy.deepcopy(SBOM)
    bom["components"] = [c for c in bom["components"] if c.get("bom-ref") != drop]
    bom["components"] += list(extra)
    return json.dumps(bom, indent=indent)


def request(sbom_ref: str | None = None, *, manufacturer: str = "Netgear, Inc.") -> str:
    """A purchase request for a router whose SBOM is `sbom_ref`."""
    lines = [
        "apiVersion: procgate/v1",
        "kind: PurchaseRequest",
        "id: PR-2026-0300",
        "date: 2026-11-20",
        "requester:",
        "  name: Ana Costa",
        "vendor:",
        "  name: Metro Networks Distribution Inc.",
        "items:",
        "  - description: Branch office router",
        "    quantity: 3",
        "    category: telecom-equipment",
        "    manufacturer:",
        f"      name: {manufacturer}",
    ]
    if sbom_ref:
        lines.append(f"    sbom: {sbom_ref}")
    lines.append("use: [telecommunications]")
    return "\n".join(lines) + "\n"
