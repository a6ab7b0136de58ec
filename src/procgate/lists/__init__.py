"""Ban lists as a whole: files -> BanData, and what changed between two versions.

    load_ban_data(paths) -> BanData     load.py: read (load/banlist.py), validate, merge.py
    default_ban_files() -> [Path]       the lists procgate ships
    diff(old, new) -> ListDiff          compare.py: entities, names, identifiers,
                                        authorities, listings and dates added/removed/changed

What the Rego policies read of a BanData is decide/banlist_data.py; public screening lists
become ban-list files through procgate.importers.
"""

from __future__ import annotations

from procgate.lists.compare import ListChange, ListDiff, diff
from procgate.lists.load import default_ban_files, load_ban_data

__all__ = ["ListChange", "ListDiff", "default_ban_files", "diff", "load_ban_data"]
