"""decide/limits.py on its own: the time limit on any thread, the memory limit, the Rego
child that is killed and replaced, and an outer timer that survives a policy's."""

from __future__ import annotations

import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import regorus

from procgate.config import Limits
from procgate.decide.limits import Overrun, RegoChild, run_limited
from procgate.decide.rego import engine_error


def spin() -> None:
    while True:
        pass


def stubborn() -> None:
    while True:
        try:
            spin()
        except Exception:  # what a careless policy does
            continue


@pytest.mark.parametrize("fn", [spin, stubborn])
def test_time_limit_on_the_main_thread(fn) -> None:
    with pytest.raises(Overrun, match="time limit"):
        run_limited(fn, Limits(seconds=0.5))


@pytest.mark.parametrize("fn", [spin, stubborn])
def test_time_limit_on_another_thread(fn) -> None:
    # `procgate serve` runs policies on its checker thread: no timer signal there.
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(run_limited, fn, Limits(seconds=0.5))
        with pytest.raises(Overrun, match="time limit"):
            future.result(timeout=60)


def test_memory_limit() -> None:
    def hog() -> None:
        chunks = []
        while True:
            chunks.append(bytearray(8 * 2**20))

    with pytest.raises(Overrun, match="memory limit"):
        run_limited(hog, Limits(seconds=120, memory_mb=64))
    assert len(bytearray(256 * 2**20)) == 256 * 2**20  # the cap is gone afterwards


def test_an_outer_timer_survives() -> None:
    fired = threading.Event()
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.set())
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.5)
        assert run_limited(lambda: 42, Limits(seconds=5)) == 42
        deadline = time.monotonic() + 30
        while not fired.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fired.is_set()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


RUNAWAY = """package acme.runaway
import rego.v1

deny contains msg if {
	input.spin
	some i in numbers.range(1, 100000000000)
	i < 0
	msg := "never"
}

deny contains "hello" if input.hello
"""


def test_rego_child_is_killed_named_and_replaced() -> None:
    engine = regorus.Engine()
    engine.add_policy("runaway.rego", RUNAWAY)
    child = RegoChild(engine, Limits(seconds=2, memory_mb=256), engine_error)
    try:
        [(query, (ok, answer))] = child.answers(
            json.dumps({"hello": True}), ["data.acme.runaway.deny"]
        )
        assert ok and "hello" in answer
        with pytest.raises(Overrun, match=r"^data\.acme\.runaway\.deny: "):
            child.answers(json.dumps({"spin": True}), ["data.acme.runaway.deny"])
        [(query, (ok, answer))] = child.answers(
            json.dumps({"hello": True}), ["data.acme.runaway.deny"]
        )
        assert ok and "hello" in answer and query == "data.acme.runaway.deny"
    finally:
        child.close()
