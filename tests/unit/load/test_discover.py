"""Command-line paths -> (file, explicit) pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from procgate.errors import ProcgateError
from procgate.load import discover


def test_walks_folders_skipping_hidden_vendored_and_virtualenvs(tmp_path: Path) -> None:
    for name in (
        "b.yaml",
        "a.json",
        "sub/c.xml",
        "sub/d.spdx",
        "sub/readme.md",
        "img.png",
        ".hidden.yaml",
        ".git/config.json",
        "node_modules/x/bom.json",
        ".venv/lib/x.json",
        "env/lib/y.json",
        "env/pyvenv.cfg",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    found = discover([tmp_path])
    assert found == [
        (tmp_path / "a.json", False),
        (tmp_path / "b.yaml", False),
        (tmp_path / "sub" / "c.xml", False),
        (tmp_path / "sub" / "d.spdx", False),
    ]


def test_named_files_are_explicit_whatever_their_name(tmp_path: Path) -> None:
    (tmp_path / "req.txt").write_text("x")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "bom.json").write_text("{}")
    found = discover([tmp_path / "req.txt", tmp_path / "dir", tmp_path / "dir" / "bom.json"])
    assert found == [(tmp_path / "dir" / "bom.json", True), (tmp_path / "req.txt", True)]


def test_missing_path_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(ProcgateError, match="no such file or folder"):
        discover([tmp_path / "missing.yaml"])
