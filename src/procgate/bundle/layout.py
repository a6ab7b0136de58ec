"""What a procgate bundle holds, by path inside it, and its revision.

policy_entries(folders, data_files, ban_data)   bundle path -> bytes, in a fixed layout
digest(entries)                                 sha256 over them: the bundle's revision
manifest(entries, version)                      .manifest: revision, roots, metadata
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from procgate.errors import BundleError

if TYPE_CHECKING:
    from procgate.model import BanData

MANIFEST = ".manifest"
SIGNATURES = ".signatures.json"
DATA = "data.json"
LISTS = "lists"
# Names OPA reads as data wherever they are: a ban list must not be stored under them.
_OPA_DATA_NAMES = {"data.json", "data.yaml", "data.yml", "patch.json"}


def policy_entries(
    folders: Sequence[Path], data_files: Sequence[Path], ban_data: BanData
) -> dict[str, bytes]:
    """Everything a bundle holds except its manifest, keyed by path inside the bundle.

    Also what the audit log's policy digest is computed over, so a check from the source tree
    and a check from its bundle record the same digest."""
    from procgate.decide.banlist_data import ban_data_as_json
    from procgate.decide.python import python_files
    from procgate.decide.rego import rego_files

    entries: dict[str, bytes] = {}
    for folder in folders:
        for f in [*rego_files([folder]), *python_files([folder])]:
            inside = f.name if folder.is_file() else f"{folder.name}/{f.relative_to(folder)}"
            _add(entries, PurePosixPath(Path(inside).as_posix()).as_posix(), f)
    for f in data_files:
        if f.name in _OPA_DATA_NAMES:
            raise BundleError(
                f"ban list {f} cannot go into a bundle under the name {f.name}",
                "OPA would read it as data; rename the file",
            )
        _add(entries, f"{LISTS}/{f.name}", f)
    payload = {"banlist": ban_data_as_json(ban_data)}
    entries[DATA] = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return entries


def _add(entries: dict[str, bytes], name: str, file: Path) -> None:
    if name in entries:
        raise BundleError(
            f"two files would be stored as {name} in the bundle",
            "give policy folders and ban lists distinct names",
        )
    try:
        entries[name] = file.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read {file}: {exc.strerror}") from exc


def digest(entries: Mapping[str, bytes]) -> str:
    """sha256 over (name, length, bytes) of every entry but the manifest and signatures, in
    name order."""
    h = hashlib.sha256()
    for name in sorted(entries):
        if name in (MANIFEST, SIGNATURES):
            continue
        data = entries[name]
        h.update(name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return "sha256:" + h.hexdigest()


def manifest(entries: Mapping[str, bytes], version: str) -> dict[str, Any]:
    """`roots`: the first segment of every package (the policies are compiled to find them,
    so a bundle never holds a policy that does not compile) and `banlist` for data.json."""
    import regorus

    from procgate.decide.rego import guarded
    from procgate.decide.rego_ast import modules

    engine = regorus.Engine()
    for name in sorted(n for n in entries if n.endswith(".rego")):
        guarded(
            f"{name} does not compile",
            engine.add_policy,
            name,
            entries[name].decode("utf-8", errors="replace"),
        )
    roots = sorted({m.path[0] for m in modules(engine)} | {"banlist"})
    return {"revision": digest(entries), "roots": roots, "metadata": {"procgate": version}}
