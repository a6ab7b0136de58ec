"""Paths on the command line -> the files to load."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from procgate.errors import ProcgateError

# Extensions a folder walk considers. Content decides the kind; these only keep the walk
# from opening every image and binary in a repository.
EXTENSIONS = frozenset((".json", ".jsonld", ".yaml", ".yml", ".xml", ".spdx", ".rdf", ".cdx"))
# Folders a walk skips, on disk and in git (diff/select.py): hidden ones, these, and any
# folder holding a pyvenv.cfg (a virtual environment under any name).
SKIPPED_DIRS = frozenset(("node_modules", "__pycache__", "venv", "site-packages"))


def skipped_folder_name(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRS


def walked_file_name(name: str) -> bool:
    """Whether a walk loads a file of this name (not hidden, one of our extensions)."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in EXTENSIONS


def discover(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """(file, explicit) pairs, sorted by path. A file named on the command line is
    explicit (loaded whatever its name; not being a known kind is a finding); files found
    by walking a folder are not (other kinds are skipped silently). Hidden folders,
    node_modules and virtual environments are not walked."""
    found: dict[Path, bool] = {}
    for path in paths:
        if path.is_dir():
            for file in _walk(path):
                found.setdefault(file, False)
        elif path.exists():
            found[path] = True
        else:
            raise ProcgateError(f"no such file or folder: {path}")
    return sorted(found.items(), key=lambda pair: str(pair[0]))


def _walk(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _skipped(Path(root) / d))
        files += [Path(root) / n for n in names if walked_file_name(n)]
    return files


def _skipped(folder: Path) -> bool:
    return skipped_folder_name(folder.name) or (folder / "pyvenv.cfg").is_file()
