"""Reading a bundle for `check`: archive, manifest, signature, policies — in that order.

    read_bundle(path)             the members, with a valid .manifest (refused without one)
    unpacked(path, trust)         verified (or explicitly allowed unverified), policies that
                                  decide something, as files in a private temporary folder

A bundle is refused (BundleError, exit 2) when it has no `.manifest`, when its `sha256:`
revision does not match its contents, when it is unsigned or wrongly signed (unless
--allow-unsigned-bundle), when it is unverified and carries Python policies (they are code),
and when its Rego policies define no `deny` or `warn` rule (it would pass everything).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from procgate.bundle.archive import read_archive, shown
from procgate.bundle.layout import LISTS, MANIFEST, SIGNATURES, digest
from procgate.bundle.trust import Trust
from procgate.bundle.verify import verify
from procgate.errors import BundleError

_DECISIONS = {"deny", "warn"}


def read_bundle(path: Path) -> dict[str, bytes]:
    """The members of a bundle, checked; raises BundleError for anything unsafe or broken."""
    entries = read_archive(path)
    for name in entries:
        # OPA reads any file ending in these names as the manifest / the signatures.
        if name not in (MANIFEST, SIGNATURES) and name.endswith((MANIFEST, "signatures.json")):
            raise BundleError(
                f"{path}: {shown(name)} would be read by OPA as the bundle's "
                "manifest or signatures; only the top-level one may exist"
            )
    _check_manifest(entries, path)
    return entries


def _check_manifest(entries: Mapping[str, bytes], path: Path) -> None:
    raw = entries.get(MANIFEST)
    if raw is None:
        raise BundleError(
            f"{path} has no {MANIFEST}",
            "a bundle must say what it is; build it with `procgate bundle`",
        )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"{path}: {MANIFEST} is not JSON") from exc
    if not isinstance(data, dict):
        raise BundleError(f"{path}: {MANIFEST} is not a JSON object")
    revision = data.get("revision")
    if isinstance(revision, str) and revision.startswith("sha256:"):
        actual = digest(entries)
        if actual != revision:
            raise BundleError(
                f"{path}: contents do not match the manifest revision "
                f"({actual} != {revision[:80]})",
                "the bundle was changed after it was built; rebuild it",
            )


@dataclass(frozen=True)
class Unpacked:
    root: Path
    revision: str  # the digest of the contents (equal to a procgate manifest's revision)
    policy_folders: tuple[Path, ...]  # every top-level folder holding policies
    ban_files: tuple[Path, ...]
    verified_by: str | None  # the key id that verified the signature; None: unverified


@contextmanager
def unpacked(path: Path, trust: Trust | None = None) -> Iterator[Unpacked]:
    """The bundle's files in a private temporary folder, for the engines to compile. Files
    are written from the checked in-memory members; nothing is extracted by tarfile."""
    entries = read_bundle(path)
    verified_by = verify(entries, trust or Trust(), path)
    if verified_by is None:
        python = sorted(n for n in entries if n.lower().endswith(".py"))
        if python:
            raise BundleError(
                f"{path} is not verified and holds Python policies ({shown(python[0])}"
                f"{f' and {len(python) - 1} more' if len(python) > 1 else ''}); Python "
                "policies are code and run only from a bundle whose signature verifies",
                "sign the bundle (procgate bundle --signing-key) and configure its "
                "verification key",
            )
    _check_decides(entries, path)
    with tempfile.TemporaryDirectory(prefix="procgate-bundle-") as tmp:
        root = Path(tmp)
        name = ""
        try:
            for name, data in entries.items():
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        except OSError as exc:  # e.g. a file and a folder of the same name
            raise BundleError(f"{path}: cannot unpack {shown(name)}: {exc.strerror}") from exc
        tops = sorted({n.split("/")[0] for n in entries if "/" in n and not n.startswith(LISTS)})
        lists = sorted(
            n
            for n in entries
            if n.startswith(f"{LISTS}/") and n.endswith((".yaml", ".yml", ".json"))
        )
        loose = [n for n in entries if "/" not in n and n.endswith((".rego", ".py"))]
        yield Unpacked(
            root=root,
            revision=digest(entries),
            policy_folders=tuple(root / t for t in tops) + tuple(root / n for n in loose),
            ban_files=tuple(root / n for n in lists),
            verified_by=verified_by,
        )


def _check_decides(entries: Mapping[str, bytes], path: Path) -> None:
    """The bundle's Rego policies compile and at least one defines `deny` or `warn`: a bundle
    with none (no .rego, or emptied ones) would pass every document."""
    import regorus

    from procgate.decide.rego import guarded
    from procgate.decide.rego_ast import modules

    engine = regorus.Engine()
    for name in sorted(entries):
        if name.endswith(".rego") and not name.endswith("_test.rego"):
            text = entries[name].decode("utf-8", errors="replace")
            if not text.strip():
                raise BundleError(f"{path}: the policy {shown(name)} is empty")
            guarded(f"{path}: {name} does not compile", engine.add_policy, name, text)
    if not any(m.rule_names() & _DECISIONS for m in modules(engine)):
        raise BundleError(
            f"{path} holds no Rego policy with a deny or warn rule",
            "it would pass every document; build it with `procgate bundle`",
        )
