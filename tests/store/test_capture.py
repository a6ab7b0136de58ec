"""scan --store keeps each file's values from the subjects the check itself made (no file is
normalized twice): they must be what normalizing the file afresh gives, and the content hash
what audit.input_digest gives."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from procgate.audit import input_digest
from procgate.config import Flags, options_from
from procgate.load import load
from procgate.model import Subject
from procgate.normalize import subjects
from procgate.pipeline import build_checker
from procgate.scan.sweep import sweep
from procgate.store.values import decode


def test_values_come_from_the_check_and_equal_a_fresh_normalization(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(records.parent)
    options = options_from(Flags(today=date(2026, 11, 28)))
    checker = build_checker(options)
    _, results = sweep([Path("records")], options, checker, 1, record=True)
    assert checker.normalized is None  # the check's subjects are not kept after a file
    swept = [s for r in results for s in r.swept if s.kind]
    assert len(swept) == 11
    for s in swept:
        assert s.digest == input_digest(s.path)
        doc = load(Path(s.path), s.path, explicit=True)
        assert doc is not None and not hasattr(doc, "rule"), s.path
        stored = decode(s.path, s.values).subjects
        fresh = subjects(doc)  # type: ignore[arg-type]
        assert fresh, s.path
        assert Counter(map(_plain, stored)) == Counter(map(_plain, fresh)), s.path


def _plain(s: Subject) -> tuple[str, ...]:
    o = s.owner
    return (s.role, s.value, s.pointer, s.party, o.pointer, o.label, o.name, o.text, o.purl)
