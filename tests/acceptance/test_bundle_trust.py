"""Bundles are authenticated before anything in them is used (issue 17, items 1 and 4): the
exact inputs of the security test, through the command line."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from bundle_support import claimed_header_bomb, hmac_secret, rsa_pair
from cli_support import EXAMPLES, ROOT, json_report

from procgate.bundle import digest, manifest, policy_entries, write_bundle
from procgate.bundle.write import Signing
from procgate.lists import default_ban_files, load_ban_data

KASPERSKY = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"
SHIPPED = ROOT / "policies"


def _evil(marker: Path) -> bytes:
    return (f"import os\n\nos.system('echo ran > {marker}')\n").encode()


def _tarball(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _shipped_members() -> dict[str, bytes]:
    """The files of a procgate bundle, without its .manifest."""
    lists = {f"lists/{f.name}": f.read_bytes() for f in default_ban_files()}
    return {"policies/bans.rego": (SHIPPED / "bans.rego").read_bytes(), **lists}


def _changed(bundle: Path, out: Path, changes: dict[str, bytes]) -> Path:
    """`bundle` with members added or replaced after it was built (and signed), and its
    manifest revision recomputed, as anyone can."""
    with tarfile.open(bundle) as src:
        members = {m.name: src.extractfile(m).read() for m in src.getmembers() if m.isfile()}  # type: ignore[union-attr]
    members.update(changes)
    meta = json.loads(members[".manifest"])
    meta["revision"] = digest(members)
    members[".manifest"] = json.dumps(meta, sort_keys=True).encode()
    return _tarball(out, members)


def _org_policies(tmp_path: Path, marker: Path) -> Path:
    """A policy folder whose Python policy writes `marker` when it is loaded."""
    org = tmp_path / "org"
    (org / "python").mkdir(parents=True)
    (org / "python" / "evil.py").write_bytes(_evil(marker))
    return org


# ---------------------------------------------------------------- Python from a bundle


def test_a_signed_bundle_runs_its_python_policies(run_cli, tmp_path: Path) -> None:
    """The control for the tests below: the marker really is written when the Python policy
    is loaded, so its absence there means the policy never ran."""
    marker, keys = tmp_path / "MARKER", rsa_pair(tmp_path)
    bundle = tmp_path / "b.tar.gz"
    built = run_cli(
        "bundle",
        "-o",
        bundle,
        "--policy",
        _org_policies(tmp_path, marker),
        "--signing-key",
        keys.private,
    )
    assert built.exit_code == 0, built.output
    assert not marker.exists()  # building reads the files; it runs nothing
    result = run_cli("check", "--bundle", bundle, "--verification-key", keys.public, KASPERSKY)
    assert result.exit_code == 1 and marker.read_text() == "ran\n"


def test_a_tarball_with_a_python_policy_never_runs_it(run_cli, tmp_path: Path) -> None:
    """The issue's input: a tarball (no .manifest) with policies/python/evil.py."""
    marker = tmp_path / "MARKER"
    evil = _tarball(
        tmp_path / "evil.tar.gz", {**_shipped_members(), "policies/python/evil.py": _evil(marker)}
    )
    for extra in ([], ["--allow-unsigned-bundle"]):
        result = run_cli("check", "--bundle", evil, *extra, KASPERSKY)
        assert result.exit_code == 2, extra
        assert "has no .manifest" in result.stderr
    assert not marker.exists()


def test_an_unsigned_bundle_with_python_never_runs_it(run_cli, tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    bundle = tmp_path / "b.tar.gz"
    built = run_cli("bundle", "-o", bundle, "--policy", _org_policies(tmp_path, marker))
    assert built.exit_code == 0 and "unsigned" in built.output
    refused = run_cli("check", "--bundle", bundle, KASPERSKY)
    assert refused.exit_code == 2
    assert "is not signed (it has no .signatures.json)" in refused.stderr
    allowed = run_cli("check", "--bundle", bundle, "--allow-unsigned-bundle", KASPERSKY)
    assert allowed.exit_code == 2
    assert "is not verified and holds Python policies" in allowed.stderr
    assert "run only from a bundle whose signature verifies" in allowed.stderr
    assert not marker.exists()


def test_python_added_to_a_signed_bundle_never_runs(run_cli, tmp_path: Path) -> None:
    marker, keys = tmp_path / "MARKER", rsa_pair(tmp_path)
    bundle = tmp_path / "b.tar.gz"
    run_cli("bundle", "-o", bundle, "--signing-key", keys.private)
    evil = _changed(bundle, tmp_path / "evil.tar.gz", {"policies/python/evil.py": _evil(marker)})
    for extra in ([], ["--allow-unsigned-bundle"]):
        result = run_cli(
            "check", "--bundle", evil, "--verification-key", keys.public, *extra, KASPERSKY
        )
        assert result.exit_code == 2
        assert "'policies/python/evil.py' not covered by the signature" in result.stderr
    assert not marker.exists()


# ---------------------------------------------------------------- what a bundle must hold


def test_a_bundle_without_a_manifest_is_refused(run_cli, tmp_path: Path) -> None:
    bare = _tarball(tmp_path / "bare.tar.gz", _shipped_members())
    result = run_cli("check", "--bundle", bare, "--allow-unsigned-bundle", KASPERSKY)
    assert result.exit_code == 2
    assert "has no .manifest" in result.stderr


def test_an_emptied_bans_rego_never_passes_the_kaspersky_request(run_cli, tmp_path: Path) -> None:
    """The issue's input: a manifest-less bundle whose bans.rego is empty made the Kaspersky
    request pass with 0 findings."""
    emptied = _tarball(
        tmp_path / "emptied.tar.gz", {**_shipped_members(), "policies/bans.rego": b""}
    )
    for extra in ([], ["--allow-unsigned-bundle"]):
        result = run_cli("check", "--bundle", emptied, *extra, KASPERSKY)
        assert result.exit_code == 2 and "PASSED" not in result.output


@pytest.mark.parametrize("bans", [b"", b"package procgate.bans\n\nimport rego.v1\n"])
def test_a_bundle_whose_policies_are_empty_is_refused_even_signed(
    run_cli, tmp_path: Path, bans: bytes
) -> None:
    keys = rsa_pair(tmp_path)
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "bans.rego").write_bytes(bans)
    files = default_ban_files()
    entries = policy_entries([folder], files, load_ban_data(files))
    bundle = tmp_path / "empty.tar.gz"
    meta = {"revision": "v1", "roots": ["banlist", "procgate"]}  # manifest() would not compile ""
    write_bundle(bundle, entries, meta, Signing(keys.private))
    result = run_cli("check", "--bundle", bundle, "--verification-key", keys.public, KASPERSKY)
    assert result.exit_code == 2
    assert ("is empty" if not bans else "no Rego policy with a deny or warn rule") in result.stderr


# ---------------------------------------------------------------- signatures


def test_unsigned_and_wrongly_signed_bundles_are_refused(run_cli, tmp_path: Path) -> None:
    signer, other = rsa_pair(tmp_path, "signer"), rsa_pair(tmp_path, "other")
    bundle = tmp_path / "b.tar.gz"
    run_cli("bundle", "-o", bundle, "--signing-key", signer.private)
    wrong = run_cli("check", "--bundle", bundle, "--verification-key", other.public, KASPERSKY)
    assert wrong.exit_code == 2
    assert "the signature does not verify with key 'default'" in wrong.stderr
    no_key = run_cli("check", "--bundle", bundle, KASPERSKY)
    assert no_key.exit_code == 2 and "no key to verify it is configured" in no_key.stderr
    good = run_cli("check", "--bundle", bundle, "--verification-key", signer.public, KASPERSKY)
    assert good.exit_code == 1 and "bans.banned-vendor" in good.output


def test_a_changed_file_in_a_signed_bundle_is_refused(run_cli, tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    bundle = tmp_path / "b.tar.gz"
    run_cli("bundle", "-o", bundle, "--signing-key", keys.private)
    with tarfile.open(bundle) as src:
        lists = src.extractfile("lists/us-government.yaml").read()  # type: ignore[union-attr]
    changed = _changed(
        bundle,
        tmp_path / "changed.tar.gz",
        {"lists/us-government.yaml": lists.replace(b"Kaspersky", b"Kasparov")},
    )
    result = run_cli("check", "--bundle", changed, "--verification-key", keys.public, KASPERSKY)
    assert result.exit_code == 2
    assert "does not match its signed hash" in result.stderr


def test_hs256_and_a_scope_from_the_command_line(run_cli, tmp_path: Path) -> None:
    secret = hmac_secret(tmp_path)
    bundle = tmp_path / "b.tar.gz"
    built = run_cli(
        "bundle",
        "-o",
        bundle,
        "--signing-key",
        secret.private,
        "--signing-alg",
        "HS256",
        "--key-id",
        "ci",
        "--scope",
        "procurement",
    )
    assert built.exit_code == 0 and "signed with key 'ci' (HS256)" in built.output
    args = [
        "check",
        "--format",
        "json",
        "--bundle",
        bundle,
        "--verification-key",
        secret.public,
        "--verification-alg",
        "HS256",
        "--verification-key-id",
        "ci",
    ]
    ok = run_cli(*args, "--verification-scope", "procurement", KASPERSKY)
    assert ok.exit_code == 1 and json_report(ok)["findings"][0]["entity"] == "kaspersky"
    bad = run_cli(*args, "--verification-scope", "other", KASPERSKY)
    assert bad.exit_code == 2 and "scope 'procurement' is not the configured 'other'" in bad.stderr
    as_rsa = run_cli("check", "--bundle", bundle, "--verification-key", secret.public, KASPERSKY)
    assert as_rsa.exit_code == 2  # RS256 by default: a shared secret is no RSA key


def test_allow_unsigned_uses_a_bundle_without_python_and_says_so(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(SHIPPED / "bans.rego", folder)
    files = default_ban_files()
    entries = policy_entries([folder], files, load_ban_data(files))
    bundle = tmp_path / "rego-only.tar.gz"
    write_bundle(bundle, entries, manifest(entries, "0"))
    result = run_cli("check", "--bundle", bundle, "--allow-unsigned-bundle", KASPERSKY)
    assert result.exit_code == 1 and "bans.banned-vendor" in result.output
    assert "is used unverified (--allow-unsigned-bundle)" in result.stderr


def test_verification_keys_from_the_config(run_cli, tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    bundle = tmp_path / "b.tar.gz"
    run_cli(
        "bundle",
        "-o",
        bundle,
        "--signing-key",
        keys.private,
        "--key-id",
        "release",
        "--scope",
        "procurement",
    )
    shutil.copy(keys.public, tmp_path / "release.pem")
    config = (
        "bundle: b.tar.gz\nbundle-verification:\n  scope: procurement\n  keys:\n"
        "    release: {key: release.pem, algorithm: RS256}\n"
    )
    (tmp_path / "procgate.yaml").write_text(config)
    assert run_cli("check", KASPERSKY, cwd=tmp_path).exit_code == 1
    (tmp_path / "procgate.yaml").write_text(config.replace("scope: procurement", "scope: x"))
    assert run_cli("check", KASPERSKY, cwd=tmp_path).exit_code == 2
    (tmp_path / "procgate.yaml").write_text(config + "  unknown: 1\n")
    result = run_cli("check", KASPERSKY, cwd=tmp_path)
    assert result.exit_code == 2 and "bundle-verification" in result.stderr


# ---------------------------------------------------------------- archive limits


@pytest.mark.parametrize("size", [10**9, 10**8])
def test_a_huge_long_name_is_refused_with_a_short_message(
    run_cli, tmp_path: Path, size: int
) -> None:
    """The issue's input: a GNU long-name header claiming 10^9 bytes (~1 MB .tar.gz) took
    32-42 s and 3-6 GB; a 10^8 one printed 100 MB of file name to stderr."""
    bomb = tmp_path / "bomb.tar.gz"
    bomb.write_bytes(claimed_header_bomb(tarfile.GNUTYPE_LONGNAME, size))
    result = run_cli("check", "--bundle", bomb, "--allow-unsigned-bundle", KASPERSKY)
    assert result.exit_code == 2
    assert f"GNU long-name header of {size} bytes" in result.stderr
    assert len(result.stderr) < 1000
