"""Keeping Python's cyclic garbage collector out of bulk work: one helper for every stage.

procgate makes millions of objects at a time that form no reference cycles: a parsed
100k-component SBOM (~5M dicts, lists and strings), its 500k Subjects, the index of a
screening-list-sized ban list. Each few hundred allocations trigger a collection, and the
older generations' collections walk everything alive, so the same objects are walked again
and again. Measured on a 63 MB SBOM: orjson.loads takes 0.76 s with the collector, 0.28 s
paused. Nothing is lost by pausing (no cycles are made).

What is still alive when the collector resumes is walked once more (~0.2 s for 500k
Subjects). A process that ends with its run (`procgate check`, inside `one_run()`) avoids
that: `bulk()` then calls gc.freeze() before the collector resumes. gc.freeze() moves every
object the collector tracks out of its reach, not only what the bulk work made: a
reference cycle that is garbage by then (an earlier file's rdflib graph in a folder check)
is kept until the process ends. A run that ends bounds that; `procgate serve` and `scan`,
which never enter one_run(), never freeze (tests/unit/test_gcpause.py). The mode is
process-wide, not per thread: only a command that owns its process may set it.

The collector switch is process-wide, so pauses are counted under a lock: the collector
comes back on when the last pause on any thread ends, not when one of them does.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # pauses open, on all threads
_was_enabled = False  # the collector's state when the first of them began
_one_run = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside; afterwards as it was before the first pause began."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


@contextmanager
def bulk() -> Iterator[None]:
    """paused(); in a one-run process, gc.freeze() at the end: everything alive is frozen,
    not only what was made inside."""
    with paused():
        yield
        if _one_run:
            gc.freeze()


@contextmanager
def one_run() -> Iterator[None]:
    """Mark the process as ending with this run (the `check` command), for bulk()."""
    global _one_run
    before, _one_run = _one_run, True
    try:
        yield
    finally:
        _one_run = before
