"""Every shipped Rego test and every `procgate init` scaffold's Rego test gives the same value on
regorus and on OPA's own engine (true, false, undefined, or an error on both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import ROOT
from engine_pair import EnginePair, same, side_by_side
from opa_support import opa_engine_class

from procgate.decide.banlist_data import ban_data_as_json
from procgate.decide.rego_ast import modules
from procgate.lists import default_ban_files, load_ban_data

POLICIES = ROOT / "policies"
SHIPPED_TESTS = sorted(POLICIES.glob("*_test.rego"))
# Organisation names `procgate init` turns into ids and Rego packages: plain, with digits
# first, with characters a package segment cannot hold.
ORGS = ["Acme Retail", "3M Health", "Öffentliche Vergabe GmbH & Co. KG"]


def _tests(pair: EnginePair, files: set[str]) -> list[tuple[str, str]]:
    """(file, query) of every test_* rule in `files`, from the compiled modules."""
    found = []
    for m in modules(pair.regorus):
        if m.file not in files:
            continue
        names = dict.fromkeys(r.name for r in m.rules if not r.function)
        found += [(m.file, m.query(n)) for n in names if n.startswith("test_")]
    return found


def _pair(folder: Path, data_files: list[Path]) -> EnginePair:
    opa_engine_class()  # skip (fail under CI) before anything is built
    policies = [(str(f), f.read_text(encoding="utf-8")) for f in sorted(folder.rglob("*.rego"))]
    ban = {"banlist": ban_data_as_json(load_ban_data(data_files))}
    return EnginePair(policies, ban)


@pytest.fixture(scope="module")
def shipped() -> Iterator[EnginePair]:
    pair = _pair(POLICIES, default_ban_files())
    yield pair
    pair.close()


def _assert_same(pair: EnginePair, tests: list[tuple[str, str]]) -> None:
    differ = []
    for file, query in tests:
        left, right = pair.both(query)
        if not same(left, right):
            differ.append(side_by_side(f"{file}: {query}", left, right))
    assert not differ, f"{len(differ)} of {len(tests)} tests differ\n\n" + "\n\n".join(differ)


def test_every_shipped_rego_test_agrees(shipped: EnginePair) -> None:
    tests = _tests(shipped, {str(f) for f in SHIPPED_TESTS})
    assert {f for f, _ in tests} == {str(f) for f in SHIPPED_TESTS}
    assert len(tests) >= 50, len(tests)  # bans_test and bans_2025_test, every rule
    _assert_same(shipped, tests)
    # and they pass on OPA too, not merely fail alike
    failing = [q for _, q in tests if shipped.on_opa(q) is not True]
    assert not failing, failing


@pytest.mark.parametrize("org", ORGS)
def test_every_init_scaffold_rego_test_agrees(run_cli, tmp_path: Path, org: str) -> None:
    opa_engine_class()
    assert run_cli("init", "--org", org, tmp_path).exit_code == 0
    scaffold = tmp_path / "policies"
    own = sorted((tmp_path / "bans").glob("*.yaml"))
    pair = _pair(scaffold, [*default_ban_files(), *own])
    try:
        tests = _tests(pair, {str(f) for f in scaffold.glob("*_test.rego")})
        assert len(tests) == 3, tests
        _assert_same(pair, tests)
        assert all(pair.on_opa(q) is True for _, q in tests)
    finally:
        pair.close()
