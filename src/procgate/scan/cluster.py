"""The sweep on a Dask cluster (`procgate scan PATHS --cluster tcp://host:8786 | local:N`).

The client walks the paths and hands the files to the workers in batches; results stream
back as batches finish and are put back in path order, so the report is the one a local
sweep gives for the same files.

Once per worker (a WorkerPlugin, sent once and replayed by the scheduler to workers that
join or restart later): the options, the bytes of every ban list, policy and waiver file
they name (written to the worker's scratch folder where the worker does not see the same
files), the client's working folder, and a copy of the swept `memory://` trees. The
checker is then built by the first batch on each worker thread, once: a regorus engine
must stay on the thread that made it.

Faults: a batch whose worker dies is run again elsewhere by the scheduler; the results are
kept by batch, so a file is counted once however often its batch ran. A batch that killed
`distributed.scheduler.allowed-failures` + 1 workers (default 3 + 1) is split into one task
per file; a file whose task still fails so runs once more on its own (a dying worker fails
every task it holds, the neighbours of the culprit too), and if that kills its workers as
well it is reported as an internal.error finding. Losing the scheduler ends the sweep with
exit 2 (after `distributed.comm.timeouts.connect` of trying to reconnect).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from procgate import __version__, rules
from procgate.config import Options
from procgate.errors import ProcgateError
from procgate.pipeline import Checker, build_checker
from procgate.resources import policies_dir
from procgate.scan import remote
from procgate.scan.sweep import FileResult, Problem, Progress, check_any

try:
    import dask
    from dask.utils import parse_timedelta
    from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, wait
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker
except ImportError as exc:  # pragma: no cover - the extra is part of the test install
    raise ProcgateError(
        f"--cluster needs Dask's distributed scheduler ({exc.name} is not installed)",
        "pip install 'procgate[cluster]'",
    ) from exc

# Files per batch: big enough that the scheduler's few milliseconds per task stay small
# beside ~0.4 ms per file, small enough that the last batches do not leave workers idle.
MAX_BATCH = 250
BATCHES_PER_WORKER = 8


@dataclass(frozen=True, slots=True)
class _Failed:
    """The tool could not run on a worker (a policy that fails, a bad setup): exit 2."""

    message: str
    hint: str


def parse_address(value: str) -> str | int:
    """`local:N` -> N worker processes here; `tcp://host:port` (or tls://, ucx://, inproc://)
    -> the scheduler's address."""
    if value.startswith("local:"):
        count = value.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ProcgateError(
                f"--cluster {value}: local:N needs a number of workers of at least 1"
            )
        return int(count)
    if "://" not in value:
        raise ProcgateError(
            f"--cluster {value}: not a scheduler address",
            "give tcp://host:port (a running `dask scheduler`) or local:N",
        )
    return value


def sweep_on_cluster(
    address: str,
    files: Sequence[tuple[str, bool]],
    options: Options,
    folders: tuple[Path, ...],
    roots: Sequence[str],
    progress: Progress | None = None,
    record: bool = False,
) -> list[FileResult]:
    """The FileResults of `files` (display name, named explicitly), in their order.
    `record`: each also carries what `scan --store` keeps of its files, as locally."""
    target = parse_address(address)
    run = uuid.uuid4().hex[:12]  # sweeps sharing a cluster each have their own setup
    with _client(target, address, run) as client:
        try:
            client.register_plugin(_Setup(run, options, folders, roots, record), name=_plugin(run))
            return _run(client, run, files, progress)
        except ProcgateError:
            client.cancel(list(client.futures.values()))  # stop the rest before closing
            raise
        except Exception as exc:
            if client.status == "running" and not isinstance(exc, _LOST):
                raise ProcgateError(f"the Dask cluster failed the sweep: {exc!r}") from exc
            raise ProcgateError(
                f"lost the Dask scheduler at {address} during the sweep ({exc or type(exc)})",
                "the sweep was not finished; run it again when the scheduler is back",
            ) from exc


_LOST = (CancelledError, FutureCancelledError, OSError, TimeoutError)


class _client:
    """A Client on a new LocalCluster (closed afterwards) or on a running scheduler."""

    def __init__(self, target: str | int, address: str, run: str) -> None:
        self._target = target
        self._address = address
        self._run = run
        self._cluster: LocalCluster | None = None

    def __enter__(self) -> Client:
        try:
            if isinstance(self._target, int):
                self._cluster = LocalCluster(
                    n_workers=self._target,
                    threads_per_worker=1,  # regorus holds the GIL: one thread per process
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self._cluster)
            else:
                self.client = Client(self._target)
        except (OSError, TimeoutError) as exc:
            raise ProcgateError(
                f"cannot reach the Dask scheduler at {self._address}: {exc}",
                "start one with `dask scheduler`, or use --cluster local:N",
            ) from exc
        return self.client

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        # A sweep that stops early leaves results in flight; their loss is no news.
        names = ("tornado.application", "distributed") if kind is not None else ()
        loggers = [logging.getLogger(name) for name in names]
        levels = [log.level for log in loggers]
        for log in loggers:
            log.setLevel(logging.CRITICAL)
        try:
            if self._cluster is None:
                with contextlib.suppress(Exception):  # the scheduler may be gone
                    self.client.unregister_worker_plugin(_plugin(self._run))
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()
        finally:
            for log, level in zip(loggers, levels, strict=True):
                log.setLevel(level)


def _plugin(run: str) -> str:
    return f"procgate-{run}"


def _run(
    client: Client, run: str, files: Sequence[tuple[str, bool]], progress: Progress | None
) -> list[FileResult]:
    if not files:
        return []
    try:
        client.wait_for_workers(1, timeout=_patience())
    except TimeoutError as exc:
        raise _no_workers() from exc
    workers = _workers(client)
    size = max(1, min(MAX_BATCH, len(files) // (workers * BATCHES_PER_WORKER)))
    batches = [list(files[i : i + size]) for i in range(0, len(files), size)]
    sweep = _Batches(client, run, batches, len(files), progress)
    sweep.settle([sweep.submit((i, None)) for i in range(len(batches))], alone=False)
    # A worker that dies fails every task it holds, so a file can be blamed for its
    # neighbour: each suspect runs again on its own, and only then is it the culprit.
    for job in sweep.suspects:
        sweep.settle([sweep.submit(job, "-alone")], alone=True)
    _forget(client, run)
    ordered: list[FileResult] = []
    for i, batch in enumerate(batches):
        if (i, None) in sweep.results:
            ordered += sweep.results[(i, None)]
        else:
            ordered += [r for j in range(len(batch)) for r in sweep.results[(i, j)]]
    return ordered


Job = tuple[int, int | None]  # (batch, file in it), or (batch, None): the whole batch


class _Batches:
    """The sweep's tasks and what came back, each file's result kept once."""

    def __init__(
        self,
        client: Client,
        run: str,
        batches: list[list[tuple[str, bool]]],
        total: int,
        progress: Progress | None,
    ) -> None:
        self.client = client
        self.run = run
        self.batches = batches
        self.total = total
        self.progress = progress
        self.futures: dict[Future[Any], Job] = {}
        self.results: dict[Job, list[FileResult]] = {}
        self.suspects: list[Job] = []
        self.done = 0
        self._asked = 0.0  # when the scheduler was last asked how many workers it has
        self._count = 0

    def files(self, job: Job) -> list[tuple[str, bool]]:
        i, j = job
        return self.batches[i] if j is None else [self.batches[i][j]]

    def submit(self, job: Job, suffix: str = "") -> Future[Any]:
        i, j = job
        key = f"procgate-{self.run}-{i}" + ("" if j is None else f"-{j}") + suffix
        future = self.client.submit(_check_batch, self.run, self.files(job), key=key, pure=False)
        self.futures[future] = job
        return future

    def settle(self, futures: list[Future[Any]], *, alone: bool) -> None:
        """Wait for `futures` (and the tasks they are split into), keeping each result."""
        pending = as_completed(futures, with_results=True, raise_errors=False)
        for future, value in self._arrivals(pending):
            job = self.futures.pop(future)
            batch = self.files(job)
            if future.status == "cancelled":  # the scheduler went away (or closed the client)
                raise value if isinstance(value, BaseException) else CancelledError(str(value))
            if future.status == "error":
                exc = value[1]  # (type, exception, traceback)
                if not isinstance(exc, KilledWorker):
                    raise ProcgateError(f"a Dask worker failed: {exc!r}")
                if len(batch) > 1:  # which file is it? one task each
                    pending.update([self.submit((job[0], j)) for j in range(len(batch))])
                    continue
                if not alone:
                    self.suspects.append(job)
                    continue
                value = [_killer(batch[0][0], exc)]
            if isinstance(value, _Failed):
                raise ProcgateError(value.message, value.hint)
            self.results[job] = value
            self.done += len(batch)
            if self.progress:
                self.progress(self.done, self.total, self._workers())

    def _arrivals(self, pending: as_completed) -> Iterator[tuple[Future[Any], Any]]:
        """What `pending` yields, as it comes; stops the sweep when the cluster has had no
        worker for as long as a connection may take (a nanny may give up restarting one)."""
        alone_since: float | None = None
        while not pending.is_empty():
            got = pending.next_batch(block=False)
            yield from got
            if got:
                continue
            if self._workers():
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since > _patience():
                raise _no_workers()
            time.sleep(0.05)

    def _workers(self) -> int:
        """Workers connected now, asked of the scheduler at most once a second."""
        now = time.monotonic()
        if now - self._asked > 1.0:
            self._count = _workers(self.client)
            self._asked = now
        return self._count


def _workers(client: Client) -> int:
    return int(client.scheduler_info(n_workers=0).get("n_workers", 0))


def _patience() -> float:
    """Seconds to wait for a worker: Dask's own connect timeout (default 30 s)."""
    return float(parse_timedelta(dask.config.get("distributed.comm.timeouts.connect")))


def _no_workers() -> ProcgateError:
    return ProcgateError(
        f"the Dask cluster has had no worker for {_patience():.0f} s: the sweep was not finished",
        "start workers (`dask worker SCHEDULER`); a file that kills every worker at once "
        "can leave none (docs/cluster.md)",
    )


def _killer(path: str, exc: BaseException) -> FileResult:
    problem = Problem(
        path,
        0,
        0,
        rules.INTERNAL_ERROR,
        "deny",
        f"internal error: every Dask worker that checked this file died ({exc}); "
        "it may need more memory than a worker has",
    )
    return FileResult(path, known=True, problems=[problem])


# -- on the workers ------------------------------------------------------------------------


class _Setup(WorkerPlugin):
    """What each worker needs to check files, sent once per worker."""

    def __init__(
        self,
        run: str,
        options: Options,
        folders: tuple[Path, ...],
        roots: Sequence[str],
        record: bool = False,
    ) -> None:
        self.run = run
        self.record = record
        self.version = __version__
        self.shipped = _shipped_digest()
        self.options = options
        self.folders = folders
        self.roots = tuple(roots)
        self.files = dict(_config_files(options))
        self.cwd = os.getcwd()
        self.memory = remote.snapshot(roots)  # process-local trees (memory://), copied

    def setup(self, worker: Any) -> None:
        try:
            if (self.version, self.shipped) != (__version__, _shipped_digest()):
                raise ProcgateError(
                    f"this worker runs procgate {__version__} with other shipped policies or "
                    f"lists than the client's procgate {self.version}",
                    "install the same procgate release on the client and every worker",
                )
            options = self.options
            if any(not _same(Path(p), data) for p, data in self.files.items()):
                options = _materialized(options, self.files, Path(worker.local_directory))
            if os.path.isdir(self.cwd):  # relative paths name the client's files
                os.chdir(self.cwd)
            remote.restore(self.memory)
        except ProcgateError as exc:
            _runs[self.run] = _Failed(exc.message, exc.hint)
            return
        _runs[self.run] = _Run(options, self.folders, self.roots, self.record)

    def teardown(self, worker: Any) -> None:
        _runs.pop(self.run, None)  # its checker goes when the next sweep's is built


@dataclass(frozen=True, slots=True)
class _Run:
    options: Options
    folders: tuple[Path, ...]
    roots: tuple[str, ...]
    record: bool = False


_runs: dict[str, _Run | _Failed] = {}  # this worker's sweeps, by run id
_thread = threading.local()  # (run id, Checker): a regorus engine stays on its thread


def _checker(run: str, setup: _Run) -> Checker:
    cached = getattr(_thread, "checker", None)
    if cached is not None and cached[0] == run:
        return cached[1]  # type: ignore[no-any-return]
    _thread.checker = None  # the last sweep's checker goes before this one is built
    checker = build_checker(setup.options)
    _thread.checker = (run, checker)
    return checker


def _forget(client: Client, run: str) -> None:
    """Each worker drops this sweep's checker on the thread that built it (regorus refuses
    to be dropped by another thread, as at the worker's exit)."""
    futures = [
        client.submit(_drop, run, key=f"procgate-{run}-drop-{w}", workers=[w], pure=False)
        for w in client.scheduler_info()["workers"]
    ]
    with contextlib.suppress(Exception):  # tidying only: the sweep is done
        wait(futures, timeout=30)


def _drop(run: str) -> None:
    cached = getattr(_thread, "checker", None)
    if cached is not None and cached[0] == run:
        _thread.checker = None


def _check_batch(run: str, batch: list[tuple[str, bool]]) -> list[FileResult] | _Failed:
    setup = _runs.get(run)
    if setup is None:
        return _Failed(f"a Dask worker has no procgate setup for this sweep ({run})", "")
    if isinstance(setup, _Failed):
        return setup
    try:
        checker = _checker(run, setup)
        return [
            check_any(checker, name, explicit, setup.folders, setup.roots, setup.record)
            for name, explicit in batch
        ]
    except ProcgateError as exc:  # its hint would not survive pickling: sent as data
        return _Failed(exc.message, exc.hint)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _config_files(options: Options) -> Iterator[tuple[str, bytes]]:
    """(absolute path, bytes) of each ban list, policy and waiver file the options name."""
    named = [*options.data_files, *options.policy_dirs, *options.waiver_files]
    if options.bundle is not None:
        named.append(options.bundle)
    for path in named:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                yield str(file.resolve()), file.read_bytes()


def _materialized(options: Options, files: dict[str, bytes], scratch: Path) -> Options:
    """The options with every file they name replaced by its copy under `scratch`."""
    scratch.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="procgate-", dir=scratch))
    for name, data in files.items():
        copy = root / Path(name).relative_to("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)

    def moved(path: Path) -> Path:
        return root / path.resolve().relative_to("/")

    return replace(
        options,
        data_files=tuple(map(moved, options.data_files)),
        policy_dirs=tuple(map(moved, options.policy_dirs)),
        waiver_files=tuple(map(moved, options.waiver_files)),
        bundle=moved(options.bundle) if options.bundle is not None else None,
    )


def _shipped_digest() -> str:
    """One hash over the shipped policies and ban lists: a worker must run the same ones."""
    h = hashlib.sha256()
    root = policies_dir()
    for file in sorted(root.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            h.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return h.hexdigest()
