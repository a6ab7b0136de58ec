"""Runaway policies stop: a time and memory limit per policy and document.

Rego (regorus 0.13.0) offers no execution limit through its Python binding: `Engine` has no
timer, instruction count or memory budget (only the `Rvm` mode has them, and that mode gave
wrong results here). It holds the GIL while it runs, so nothing in the process can stop it,
and it aborts the process when an allocation fails. So, when policies other than the shipped
ones are loaded, Rego evaluates in a child process forked once per run from the process
that built the engine (nothing to rebuild; a fork takes about a millisecond): its address
space is capped, and each query has a deadline, watched through a shared-memory slot where
the child writes which query it is on, so a document costs one round trip. A child that
overruns is killed and named; the next document gets a fresh one. OPA's engine (decide/opa.py)
is driven the same way, started inside the child (`prepare`): Go's runtime does not survive a
fork.

Python policies run in the process (their input is the whole document, too big to copy per
call): a timer signal (on the main thread) or a watchdog thread (on a server's checker
thread) raises PolicyTimeout inside the policy when its time is up, and the address space
is capped while the policy runs, so an allocation past the limit is a MemoryError.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import resource
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from procgate.config import Limits


class PolicyTimeout(BaseException):
    """Raised inside a Python policy whose time is up. A BaseException, so that a policy's
    `except Exception:` does not swallow it."""


class Overrun(Exception):
    """A policy went past a limit; `what` says which and how."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


# -- memory ----------------------------------------------------------------------------


def _address_space() -> int | None:
    """Bytes of address space this process holds now (Linux); None elsewhere."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def memory_cap(megabytes: int) -> Iterator[None]:
    """Cap this process's address space at what it holds now plus `megabytes`."""
    used = _address_space()
    if used is None:
        yield
        return
    before = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + megabytes * 2**20
    for given in before:  # never above a limit set from outside
        if given != resource.RLIM_INFINITY:
            cap = min(cap, given)
    resource.setrlimit(resource.RLIMIT_AS, (cap, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


# -- time, for Python policies ------------------------------------------------------------


class _Watchdog:
    """One thread for the process: raises PolicyTimeout in a thread that is past its
    deadline, again every 0.1 s until it leaves the guarded call."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="procgate-policy-watchdog", daemon=True
                )
                self._thread.start()
            self._deadlines[ident] = time.monotonic() + seconds
            self._lock.notify()
        try:
            yield
        finally:
            with self._lock:
                self._deadlines.pop(ident, None)

    def _run(self) -> None:
        import ctypes  # only a server's checker thread needs it

        with self._lock:
            while True:
                now = time.monotonic()
                for ident, due in list(self._deadlines.items()):
                    if now >= due:
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(ident), ctypes.py_object(PolicyTimeout)
                        )
                        self._deadlines[ident] = now + 0.1
                soonest = min(self._deadlines.values(), default=now + 3600)
                self._lock.wait(max(0.01, soonest - now))


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """On the main thread, a timer signal does the watchdog's job without a thread."""

    def expired(_signum: int, _frame: Any) -> None:
        raise PolicyTimeout

    outer = signal.getitimer(signal.ITIMER_REAL)  # someone else's timer: given back after
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)  # and again every 0.1 s after
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:
            left = outer[0] - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer[1])


def _deadline(seconds: float) -> contextlib.AbstractContextManager[None]:
    main = threading.current_thread() is threading.main_thread()
    if main and hasattr(signal, "setitimer"):
        return _alarm(seconds)
    return _WATCHDOG.deadline(seconds)


def run_limited(fn: Callable[[], Any], limits: Limits) -> Any:
    """fn() under the limits; Overrun when it goes past one."""
    try:
        with _deadline(limits.seconds), memory_cap(limits.memory_mb):
            return fn()
    except PolicyTimeout:
        raise Overrun(f"ran longer than its time limit ({limits.seconds:g} s)") from None
    except MemoryError:
        raise Overrun(f"allocated more than its memory limit ({limits.memory_mb} MiB)") from None


# -- Rego, in a child process -----------------------------------------------------------


class _Pipe:
    """Length-prefixed pickles over a pair of OS pipes (multiprocessing.connection costs more
    to import than a small check takes)."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd, self.write_fd = read_fd, write_fd

    def send(self, message: Any) -> None:
        import pickle  # only with a child (policies other than the shipped ones)

        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(struct.pack("!Q", len(data)) + data)
        while view:
            view = view[os.write(self.write_fd, view) :]

    def poll(self, seconds: float) -> bool:
        return bool(select.select([self.read_fd], [], [], seconds)[0])

    def recv(self) -> Any:
        size = struct.unpack("!Q", self._exactly(8))[0]
        import pickle

        return pickle.loads(self._exactly(size))

    def _exactly(self, n: int) -> bytes:
        chunks: list[bytes] = []
        while n:
            chunk = os.read(self.read_fd, min(n, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


_UNREAPED: list[int] = []  # children told to exit, not waited for (a run ends meanwhile)
_STARTING = -3  # the shared slot while a child starts its engine (RegoChild's `prepare`)
_START_SECONDS = 60.0  # starting is not the policies' time: OPA's compiles the lists' data


def _reap() -> None:
    for pid in list(_UNREAPED):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue
        _UNREAPED.remove(pid)


class RegoChild:
    """The engine's queries, answered by a forked child under the limits.

    `answers(input_json, queries)` gives (query, (ok, answer JSON or error)); it raises
    Overrun naming the query that overran, and the next call forks a fresh child."""

    def __init__(
        self,
        engine: Any,
        limits: Limits,
        error_text: Callable[[BaseException], str],
        *,
        isolated: bool = True,
        prepare: Callable[[], None] | None = None,
    ):
        """`prepare`: starts an engine where it evaluates, before the memory cap: in each
        child when isolated, else here at once (OPA's, whose Go runtime does not survive a
        fork and reserves about 1.7 GB of address space when it starts)."""
        self._engine = engine
        self._limits = limits
        self._isolated = isolated and hasattr(os, "fork")
        self._error_text = error_text
        self._prepare = prepare
        self._pipe: _Pipe | None = None
        self._pid = 0
        self._shared = mmap.mmap(-1, 8)  # the index of the query the child is evaluating
        if prepare is not None and not self._isolated:
            prepare()

    def answers(self, input_json: str, queries: Sequence[str]) -> list[tuple[str, Any]]:
        if not self._isolated:  # the shipped policies only (or no fork): in the process
            return _evaluate(self._engine, input_json, queries, self._error_text)
        pipe = self._connection()
        try:
            pipe.send((input_json, list(queries)))
            index, due = -2, 0.0
            while not pipe.poll(0.25):  # returns as soon as the answer is there
                now_at = struct.unpack_from("!q", self._shared, 0)[0]
                if now_at != index:  # the next query started: its own time limit
                    allowed = _START_SECONDS if now_at == _STARTING else self._limits.seconds
                    index, due = now_at, time.monotonic() + allowed - 0.25
                elif time.monotonic() > due:
                    current = self._current(queries)
                    self._stop()
                    raise Overrun(
                        f"{current}: ran longer than its time limit ({self._limits.seconds:g} s)"
                    )
            return list(pipe.recv())
        except (EOFError, OSError):
            current = self._current(queries)
            how = self._stop()
            raise Overrun(
                f"{current}: stopped past its memory limit "
                f"({self._limits.memory_mb} MiB) or crashed: {how}"
            ) from None

    def _current(self, queries: Sequence[str]) -> str:
        """The query the child was evaluating: it writes the index to shared memory before
        each one (-1: reading the input), so one round trip per document suffices."""
        index = struct.unpack_from("!q", self._shared, 0)[0]
        if index == _STARTING:
            return "(starting the engine)"
        return queries[index] if 0 <= index < len(queries) else "(input)"

    def _connection(self) -> _Pipe:
        if self._pipe is not None:
            return self._pipe
        _reap()
        import pickle  # noqa: F401  # for _Pipe, before the child runs under its memory cap

        to_child = os.pipe()
        from_child = os.pipe()
        if self._prepare is not None:
            struct.pack_into("!q", self._shared, 0, _STARTING)
        pid = os.fork()
        if pid == 0:  # the child: answer until the pipe closes, never return
            code = 0
            try:
                _close_all_but(to_child[0], from_child[1])
                _quiet_stderr()
                if self._prepare is not None:
                    self._prepare()
                with memory_cap(self._limits.memory_mb):
                    _serve(
                        _Pipe(to_child[0], from_child[1]),
                        self._engine,
                        self._error_text,
                        self._shared,
                    )
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(to_child[0])
        os.close(from_child[1])
        self._pipe, self._pid = _Pipe(from_child[0], to_child[1]), pid
        return self._pipe

    def _stop(self) -> str:
        """End the child (if alive) and say how it ended."""
        pipe, pid = self._pipe, self._pid
        self._pipe, self._pid = None, 0
        if pipe is not None:
            pipe.close()
        if not pid:
            return "gone"
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == signal.SIGKILL:
                return "killed"
            return (
                f"the engine aborted ({signal.Signals(sig).name}), as it does when an "
                "allocation fails"
            )
        return f"exit status {os.WEXITSTATUS(status)}"

    def close(self) -> None:
        """The child sees its pipe close and exits; it is reaped later, not waited for."""
        pipe, pid = self._pipe, self._pid
        self._pipe, self._pid = None, 0
        if pipe is not None:
            pipe.close()
        if pid:
            _UNREAPED.append(pid)
            _reap()


def _close_all_but(*keep: int) -> None:
    """The child holds no other descriptor of the parent's: not the pipes of earlier children
    (which would then never see their pipe close), nor sockets or files."""
    start = 3
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, _max_fd())


def _max_fd() -> int:
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return soft if soft != resource.RLIM_INFINITY and soft < 1 << 20 else 1 << 16


def _quiet_stderr() -> None:
    """The engine prints its abort message and backtrace to stderr; the parent says it
    better."""
    import faulthandler

    faulthandler.disable()  # pytest's, say: it would report the abort on the parent's fd
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _serve(
    conn: _Pipe, engine: Any, error_text: Callable[[BaseException], str], shared: mmap.mmap
) -> None:
    while True:
        try:
            input_json, queries = conn.recv()
        except (EOFError, OSError):
            return
        struct.pack_into("!q", shared, 0, -1)
        try:
            engine.set_input_json(input_json)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            conn.send([("(input)", (False, error_text(exc)))])
            continue
        out: list[tuple[str, Any]] = []
        for i, query in enumerate(queries):
            struct.pack_into("!q", shared, 0, i)
            try:
                out.append((query, (True, engine.eval_query_as_json(query))))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # pyo3 panics derive from BaseException
                out.append((query, (False, error_text(exc))))
        conn.send(out)


def _evaluate(
    engine: Any, input_json: str, queries: Sequence[str], error_text: Callable[[BaseException], str]
) -> list[tuple[str, Any]]:
    try:
        engine.set_input_json(input_json)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        return [("(input)", (False, error_text(exc)))]
    out: list[tuple[str, Any]] = []
    for query in queries:
        try:
            out.append((query, (True, engine.eval_query_as_json(query))))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            out.append((query, (False, error_text(exc))))
    return out
