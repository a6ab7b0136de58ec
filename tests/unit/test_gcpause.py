"""gcpause.paused(): the collector off inside, as it was afterwards."""

from __future__ import annotations

import gc

from procgate import gcpause


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
