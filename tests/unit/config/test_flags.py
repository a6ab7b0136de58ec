"""One typed options path: config.Flags -> config.options_from -> Options, for every command."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from procgate.config import DEBUG_ENV, OPA_TOKEN_ENV, Flags, options_from
from procgate.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def test_every_flag_survives_the_trip_to_a_serve_worker() -> None:
    flags = Flags(
        config_file=Path("procgate.yaml"),
        audience="us-person",
        today=date(2026, 11, 28),
        fail_on="warn",
        policies=(Path("p1"), Path("p2")),
        data=(Path("d.yaml"),),
        audit_log=Path("audit.jsonl"),
        bundle=Path("b.tar.gz"),
        opa_url="http://127.0.0.1:8181",
        engine="opa",
        verification_key=Path("k.pem"),
        verification_key_id="kid",
        verification_alg="ES256",
        verification_scope="scope",
        allow_unsigned_bundle=True,
    )
    unset = [f.name for f in fields(Flags) if getattr(flags, f.name) == f.default]
    assert unset == []  # a new field must be added above, so its type is tried too
    assert Flags.from_json(flags.to_json()) == flags


def test_flags_override_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "procgate.yaml").write_text("audience: us-person\nfail-on: warn\n")
    from_file = options_from(Flags(), cwd=tmp_path, today=date(2026, 1, 2))
    assert (from_file.audience, from_file.fail_on, from_file.today) == (
        "us-person",
        "warn",
        date(2026, 1, 2),
    )
    assert from_file.audience_from == "procgate.yaml"
    given = options_from(Flags(audience="us-federal", fail_on="never"), cwd=tmp_path)
    assert (given.audience, given.audience_from, given.fail_on) == (
        "us-federal",
        "--audience",
        "never",
    )


def test_a_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such config file: nope\.yaml"):
        options_from(Flags(config_file=Path("nope.yaml")), cwd=tmp_path)


def test_environment_is_read_into_options_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(OPA_TOKEN_ENV, "s3cret")
    monkeypatch.setenv(DEBUG_ENV, "1")
    options = options_from(Flags(), cwd=tmp_path)
    assert options.opa_token == "s3cret" and options.debug
    assert "s3cret" not in repr(options)  # never printed with the options
    monkeypatch.delenv(OPA_TOKEN_ENV)
    monkeypatch.delenv(DEBUG_ENV)
    options = options_from(Flags(), cwd=tmp_path)
    assert options.opa_token is None and not options.debug


def test_commands_build_options_without_the_server_package(tmp_path: Path) -> None:
    """`cli` must not depend on `serve` to build options (it used to go through
    serve.settings.ServeSettings)."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from procgate.cli import main\n"
        "r = CliRunner().invoke(main, ['explain', '--date', '2026-11-28', 'kaspersky'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.startswith('procgate.serve')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
