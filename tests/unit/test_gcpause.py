"""gcpause: the collector off inside a pause and as it was afterwards, on every thread; and
only a one-run process freezes what bulk work made."""

from __future__ import annotations

import gc
import sys
import threading
from datetime import date

import pytest
from cli_support import EXAMPLES, ROOT

from procgate import gcpause
from procgate.config import Flags, options_from
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


def test_pauses_on_two_threads_leave_the_collector_on() -> None:
    """The switch is process-wide: without counting, one thread's pause ending while the
    other's began could leave the collector off for good."""

    def pause_often() -> None:
        for _ in range(20_000):
            with gcpause.paused():
                pass

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows
    try:
        for _ in range(5):
            threads = [threading.Thread(target=pause_often) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert gc.isenabled()
    finally:
        sys.setswitchinterval(interval)
        gc.enable()


@pytest.mark.parametrize("one_run", [False, True])
def test_only_a_one_run_process_freezes_what_documents_make(one_run: bool) -> None:
    """`procgate serve` checks for days: nothing a request makes may be frozen (a frozen
    reference cycle is never freed). `procgate check` ends with its run: it freezes."""
    options = options_from(Flags(), cwd=ROOT, today=date(2026, 11, 28))
    checker = build_checker(options)
    path = EXAMPLES / "sboms" / "branch-router-firmware.cdx.json"
    before = gc.get_freeze_count()
    if one_run:
        with gcpause.one_run():
            doc = load(path, "router.cdx.json")
            assert isinstance(doc, Document)
            verdict = checker.check([doc], lambda _: None)
    else:
        doc = load(path, "router.cdx.json")
        assert isinstance(doc, Document)
        verdict = checker.check([doc], lambda _: None)
    assert verdict.findings  # the router's SBOM has banned components: real work was done
    assert (gc.get_freeze_count() > before) is one_run
    gc.unfreeze()
