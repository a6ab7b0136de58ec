"""Bundles: written reproducibly, read back whole, and refused when unsafe or corrupted."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from bundle_support import rsa_pair

from procgate.bundle import (
    MAX_MEMBER_BYTES,
    BundleError,
    digest,
    manifest,
    policy_entries,
    read_bundle,
    unpacked,
    write_bundle,
)
from procgate.bundle.trust import Trust, VerificationKey
from procgate.bundle.write import Signing
from procgate.errors import ProcgateError
from procgate.lists import default_ban_files, load_ban_data
from procgate.resources import policies_dir


@pytest.fixture(scope="module")
def entries() -> dict[str, bytes]:
    files = default_ban_files()
    return policy_entries([policies_dir()], files, load_ban_data(files))


def test_layout(entries: dict[str, bytes]) -> None:
    assert set(entries) == {
        "policies/bans.rego",
        "policies/python/identifiers.py",
        "policies/python/placeholders.py",
        "lists/us-government.yaml",
        "data.json",
    }
    data = json.loads(entries["data.json"])
    assert set(data) == {"banlist"} and "kaspersky" in data["banlist"]["entities"]


def test_round_trip_and_manifest(tmp_path: Path, entries: dict[str, bytes]) -> None:
    out = tmp_path / "bundle.tar.gz"
    meta = manifest(entries, "0.1.0")
    write_bundle(out, entries, meta)
    back = read_bundle(out)
    assert {k: v for k, v in back.items() if k != ".manifest"} == entries
    assert json.loads(back[".manifest"]) == meta
    assert meta["revision"] == digest(entries)
    assert meta["roots"] == ["banlist", "procgate"]


def test_writing_is_reproducible(tmp_path: Path, entries: dict[str, bytes]) -> None:
    meta = manifest(entries, "0.1.0")
    write_bundle(tmp_path / "a.tar.gz", entries, meta)
    write_bundle(tmp_path / "b.tar.gz", entries, meta)
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()


def test_unpacked_gives_policy_folders_and_lists(tmp_path: Path, entries: dict[str, bytes]) -> None:
    keys = rsa_pair(tmp_path)
    out = tmp_path / "bundle.tar.gz"
    write_bundle(out, entries, manifest(entries, "0.1.0"), Signing(keys.private))
    trust = Trust(keys=(VerificationKey("default", keys.public),))
    with unpacked(out, trust) as u:
        assert u.verified_by == "default"
        assert [p.name for p in u.policy_folders] == ["policies"]
        assert [p.name for p in u.ban_files] == ["us-government.yaml"]
        assert (u.policy_folders[0] / "bans.rego").read_bytes() == entries["policies/bans.rego"]
        root = u.root
    assert not root.exists()  # the private copy is gone once the checker is built


# ---------------------------------------------------------------- refused


def _tar(tmp_path: Path, *members: tuple[tarfile.TarInfo, bytes | None]) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    path = tmp_path / "evil.tar.gz"
    path.write_bytes(buffer.getvalue())
    return path


def _file(name: str, data: bytes = b"package x\n") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def _special(name: str, kind: bytes, link: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info, None


@pytest.mark.parametrize(
    ("member", "why"),
    [
        (_file("../escape.rego"), "outside the bundle"),
        (_file("policies/../../escape.rego"), "outside the bundle"),
        (_file("/../etc/cron.d/x.rego"), "outside the bundle"),
        (_special("policies/link.rego", tarfile.SYMTYPE, "/etc/passwd"), "a link"),
        (_special("policies/hard.rego", tarfile.LNKTYPE, "data.json"), "a link"),
        (_special("dev", tarfile.CHRTYPE), "not a regular file"),
        (_special("fifo", tarfile.FIFOTYPE), "not a regular file"),
        (_file("policies\\win.rego"), "not a portable"),
    ],
)
def test_unsafe_members_are_refused(tmp_path: Path, member: tuple, why: str) -> None:
    path = _tar(tmp_path, _file("data.json", b"{}"), member)
    with pytest.raises(BundleError, match=why):
        read_bundle(path)


def test_duplicate_members_are_refused(tmp_path: Path) -> None:
    path = _tar(tmp_path, _file("a.rego"), _file("./a.rego"))
    with pytest.raises(BundleError, match="twice"):
        read_bundle(path)


def test_an_oversized_member_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _tar(tmp_path, _file("data.json", b"0" * (MAX_MEMBER_BYTES + 1)))
    assert path.stat().st_size < 100_000  # small on disk, large unpacked
    with pytest.raises(BundleError, match="the limit is"):
        read_bundle(path)


@pytest.mark.parametrize("damage", ["truncate", "flip", "not-gzip", "empty"])
def test_corrupted_bundles_are_refused(
    tmp_path: Path, entries: dict[str, bytes], damage: str
) -> None:
    out = tmp_path / "bundle.tar.gz"
    write_bundle(out, entries, manifest(entries, "0.1.0"))
    raw = bytearray(out.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "flip":
        raw[len(raw) // 2] ^= 0xFF
    elif damage == "not-gzip":
        raw = bytearray(b"PK\x03\x04 this is a zip file")
    else:
        raw = bytearray()
    out.write_bytes(bytes(raw))
    with pytest.raises(BundleError):
        read_bundle(out)


def test_contents_changed_after_building_are_refused(
    tmp_path: Path, entries: dict[str, bytes]
) -> None:
    meta = manifest(entries, "0.1.0")
    changed = {**entries, "policies/bans.rego": entries["policies/bans.rego"] + b"\n# edited\n"}
    out = tmp_path / "bundle.tar.gz"
    write_bundle(out, changed, meta)  # the old revision with new contents
    with pytest.raises(BundleError, match="do not match the manifest revision"):
        read_bundle(out)


def test_a_third_party_revision_is_accepted(tmp_path: Path) -> None:
    meta = json.dumps({"revision": "v42", "roots": ["x"]}).encode()
    path = _tar(tmp_path, _file(".manifest", meta), _file("x/p.rego"))
    assert set(read_bundle(path)) == {".manifest", "x/p.rego"}


def test_a_bundle_without_a_manifest_is_refused(tmp_path: Path) -> None:
    path = _tar(tmp_path, _file("x/p.rego", b"package x\ndeny contains 1 if false\n"))
    with pytest.raises(BundleError, match=r"has no \.manifest"):
        read_bundle(path)


@pytest.mark.parametrize(
    "name", ["x/.manifest", "x/y.manifest", "x/.signatures.json", "x/signatures.json"]
)
def test_names_opa_would_read_as_manifest_or_signatures_are_refused(
    tmp_path: Path, name: str
) -> None:
    path = _tar(tmp_path, _file(".manifest", b"{}"), _file(name, b"{}"))
    with pytest.raises(BundleError, match="only the top-level one"):
        read_bundle(path)


ALLOW_UNSIGNED = Trust(allow_unsigned=True)


@pytest.mark.parametrize(
    ("policies", "why"),
    [
        ({}, "no Rego policy with a deny or warn rule"),
        ({"x/p.rego": b""}, "is empty"),
        ({"x/p.rego": b"  \n\n"}, "is empty"),
        ({"x/p.rego": b"package x\n\nallow := true\n"}, "no Rego policy with a deny or warn"),
        ({"x/p_test.rego": b"package x\n\ndeny contains 1 if true\n"}, "no Rego policy with"),
        ({"x/p.rego": b"package x\ndeny contains {"}, "does not compile"),
    ],
)
def test_a_bundle_whose_policies_decide_nothing_is_refused(
    tmp_path: Path, policies: dict, why: str
) -> None:
    members = [
        _file(".manifest", b"{}"),
        _file("data.json", b"{}"),
        *(_file(n, d) for n, d in policies.items()),
    ]
    path = _tar(tmp_path, *members)
    with pytest.raises(ProcgateError, match=why), unpacked(path, ALLOW_UNSIGNED):
        pass  # BundleError, or PolicyError for one that does not compile: both exit 2


def test_a_policy_that_does_not_compile_is_not_bundled(entries: dict[str, bytes]) -> None:
    from procgate.errors import PolicyError

    with pytest.raises(PolicyError, match="does not compile"):
        manifest({**entries, "acme/broken.rego": b"package acme\nallow if {"}, "0.1.0")
