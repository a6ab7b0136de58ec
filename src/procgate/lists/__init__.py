"""Ban lists as a whole: files -> BanData, and what changed between two versions.

    load_ban_data(paths) -> BanData     load.py: read (load/banlist.py), validate, merge.py
    default_ban_files() -> [Path]       the lists procgate ships
    diff(old, new) -> ListDiff          compare.py: entities, names, identifiers,
                                        authorities, listings and dates added/removed/changed

What the Rego policies read of a BanData is decide/banlist_data.py; public screening lists
become ban-list files through procgate.importers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procgate.lists.load import default_ban_files, load_ban_data

if TYPE_CHECKING:
    from procgate.lists.compare import ListChange, ListDiff, diff

__all__ = ["ListChange", "ListDiff", "default_ban_files", "diff", "load_ban_data"]


def __getattr__(name: str) -> Any:
    """compare.py's names, imported on first use: a check never compares lists."""
    if name in ("ListChange", "ListDiff", "diff"):
        from procgate.lists import compare

        return getattr(compare, name)
    raise AttributeError(f"module 'procgate.lists' has no attribute {name!r}")
