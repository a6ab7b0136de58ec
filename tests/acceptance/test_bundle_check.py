"""`procgate bundle` round trip: checking from the (signed) bundle gives the same findings."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from bundle_support import acme_bundle, bundle_consumer, rsa_pair
from cli_support import EXAMPLES, json_report


def test_check_from_the_bundle_equals_check_from_the_source_tree(run_cli, tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    bundle = tmp_path / "policy.tar.gz"
    built = run_cli("bundle", "-o", bundle, "--signing-key", keys.private)
    assert built.exit_code == 0, built.output
    assert "roots banlist, procgate; signed with key 'default' (RS256)" in built.output
    source = run_cli("check", "--format", "json", "--date", "2026-11-28", EXAMPLES)
    pinned = run_cli(
        "check",
        "--format",
        "json",
        "--date",
        "2026-11-28",
        "--bundle",
        bundle,
        "--verification-key",
        keys.public,
        EXAMPLES,
    )
    assert source.exit_code == pinned.exit_code == 1
    assert json_report(pinned) == json_report(source)
    assert json_report(source)["findings"]  # the comparison is about something


def test_bundle_from_the_config_carries_the_organisations_list(run_cli, tmp_path: Path) -> None:
    bundle, keys = acme_bundle(run_cli, tmp_path)
    with tarfile.open(bundle) as tar:
        assert "lists/acme.yaml" in tar.getnames()
        data = json.load(tar.extractfile("data.json"))  # type: ignore[arg-type]
    assert "acme-no-kaspersky" in data["banlist"]["authorities"]
    # A repository with only the bundle (no list of its own) decides the same.
    consumer = bundle_consumer(tmp_path, bundle, keys)
    kaspersky = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"
    result = run_cli("check", "--format", "json", kaspersky, cwd=consumer)
    [finding] = json_report(result)["findings"]
    assert "acme-no-kaspersky" in finding["authorities"]


def _rewrite(bundle: Path, out: Path, extra: tarfile.TarInfo, data: bytes | None) -> None:
    with tarfile.open(bundle) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            dst.addfile(member, src.extractfile(member))
        if data is not None:
            extra.size = len(data)
        dst.addfile(extra, io.BytesIO(data) if data is not None else None)


def test_path_traversing_or_linking_bundles_are_refused(run_cli, tmp_path: Path) -> None:
    bundle = tmp_path / "b.tar.gz"
    run_cli("bundle", "-o", bundle)
    link = tarfile.TarInfo("policies/evil.rego")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    for name, (info, data) in {
        "dotdot": (tarfile.TarInfo("../../evil.rego"), b"package evil\n"),
        "absolute": (tarfile.TarInfo("/tmp/evil.rego"), b"package evil\n"),
        "symlink": (link, None),
    }.items():
        evil = tmp_path / f"{name}.tar.gz"
        _rewrite(bundle, evil, info, data)
        result = run_cli("check", "--bundle", evil, EXAMPLES)
        assert result.exit_code == 2, name
        assert "procgate: error:" in result.stderr
        assert not (tmp_path / "evil.rego").exists() and not Path("/tmp/evil.rego").exists()


def test_a_corrupted_bundle_is_refused(run_cli, tmp_path: Path) -> None:
    bundle = tmp_path / "b.tar.gz"
    run_cli("bundle", "-o", bundle)
    raw = bytearray(bundle.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    bundle.write_bytes(bytes(raw))
    result = run_cli("check", "--bundle", bundle, EXAMPLES)
    assert result.exit_code == 2 and "bundle" in result.stderr
