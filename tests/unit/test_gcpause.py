"""gcpause.paused(): the collector off inside, as it was afterwards; and who may freeze."""

from __future__ import annotations

import gc
from datetime import date

import pytest
from cli_support import EXAMPLES, ROOT

from procgate import gcpause
from procgate.config import build_options
from procgate.load import load
from procgate.model import Document
from procgate.pipeline import build_checker


def test_pause_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():  # nested: still off, and not switched on by the inner one
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()  # a caller that disabled it keeps it disabled
    finally:
        gc.enable()


@pytest.mark.parametrize("one_run", [False, True])
def test_only_a_one_run_checker_freezes_what_documents_make(one_run: bool) -> None:
    """`procgate serve` checks for days: nothing a request makes may be frozen (a frozen
    reference cycle is never freed). `procgate check` ends with its run: it freezes."""
    options = build_options({}, date(2026, 11, 28), ROOT, None)
    checker = build_checker(options, one_run=one_run)
    doc = load(EXAMPLES / "sboms" / "branch-router-firmware.cdx.json", "router.cdx.json")
    assert isinstance(doc, Document)
    before = gc.get_freeze_count()
    verdict = checker.check([doc], lambda _: None)
    assert verdict.findings  # the router's SBOM has banned components: real work was done
    assert (gc.get_freeze_count() > before) is one_run
    gc.unfreeze()
