"""The config's `exclude:` globs: files that are never checked (test fixtures that name
banned vendors on purpose, vendored SBOMs), whether walked, named or staged."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path


class Exclude:
    """Glob patterns relative to the config file's folder. `*` also crosses folders
    (`tests/*` is everything under tests/), a pattern naming a folder excludes what is in
    it, and a leading `**/` also matches at the top (`**/fixtures/*`)."""

    def __init__(self, patterns: tuple[str, ...], base: Path) -> None:
        self.base = Path(os.path.realpath(base))
        self.patterns = [p.strip().removeprefix("./").rstrip("/") for p in patterns if p.strip()]

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, path: Path) -> bool:
        if not self.patterns:
            return False
        absolute = Path(os.path.abspath(path))
        try:
            rel = (Path(os.path.realpath(absolute.parent)) / absolute.name).relative_to(self.base)
        except ValueError:
            return False  # outside the config's folder: no pattern is about it
        name = rel.as_posix()
        for pattern in self.patterns:
            forms = [pattern, pattern + "/*"]
            if pattern.startswith("**/"):
                forms += [pattern[3:], pattern[3:] + "/*"]
            if any(fnmatchcase(name, form) for form in forms):
                return True
        return False
