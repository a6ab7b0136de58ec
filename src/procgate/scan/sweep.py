"""The sweep: every file under the paths checked as of a date, in worker processes.

A regorus engine must stay on the thread that made it and holds the GIL while it
evaluates, so threads would not run in parallel: each worker process builds its own
Checker once (in the pool's initializer) and is handed chunks of file names.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from procgate import rules
from procgate.config import Options
from procgate.errors import ProcgateError
from procgate.explain import owner_labels
from procgate.load import Missing, discover, load, open_reference
from procgate.load.references import DiskScope, Scope
from procgate.model import Document, Finding, Kind
from procgate.pipeline import Checker, build_checker
from procgate.scan import remote

Progress = Callable[[int, int, int], None]  # (files done, files in all, workers)
Reader = Callable[[str, bool], Document | Finding | None]  # (display path, explicit)

# Below this many files, starting worker processes costs more than it saves.
_IN_PROCESS_BELOW = 200


@dataclass(frozen=True, slots=True)
class Hit:
    """One affected item: a purchase item or SBOM component that names a banned vendor."""

    file: str
    line: int
    column: int
    pointer: str
    item: str  # "item 1 (Kaspersky Endpoint Security)", "component modem-fw@1.2"
    entity: str
    matched: str  # as written in the file
    listed_name: str  # the ban-list name it matched
    via: str
    score: float
    severity: str  # deny | warn | waived
    rule: str
    authorities: tuple[str, ...]
    waiver: str | None
    message: str
    location: str = ""  # position-free, as `check --diff` keys findings (Finding.location)


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be checked fully (parse or schema error, and the like)."""

    file: str
    line: int
    column: int
    rule: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class SweptFile:
    """What `scan --store` keeps of a file (store/capture.py): kind "" when unreadable."""

    path: str
    kind: str
    digest: str | None
    values: bytes  # store/values.py


@dataclass(slots=True)
class FileResult:
    path: str
    known: bool  # a purchase request, SBOM, ban list or waiver (else skipped)
    refs: tuple[str, ...] = ()  # SBOMs it references, checked with it
    hits: list[Hit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    listed: int = 0  # matches of listed vendors that no ban reaches here
    swept: list[SweptFile] = field(default_factory=list)  # with `record` (scan --store)


def files_under(paths: Sequence[Path]) -> list[tuple[str, bool]]:
    """(display path, named explicitly) of every file the sweep looks at, in path order."""
    cwd = Path.cwd().resolve()
    return [(_display(p, cwd), explicit) for p, explicit in discover(list(paths))]


def sweep(
    paths: Sequence[Path | str],
    options: Options,
    checker: Checker,
    jobs: int,
    progress: Progress | None = None,
    cluster: str | None = None,
    record: bool = False,
) -> tuple[int, list[FileResult]]:
    """(files found, results). A file referenced by a request is reported once, in its
    request's context (the request's `use` decides some bans). `paths`: local Paths and
    fsspec URLs (scan/remote.py); `cluster`: a Dask scheduler or local:N (scan/cluster.py).
    `record`: each result also carries what `scan --store` keeps of its files
    (FileResult.swept)."""
    local = [p for p in paths if isinstance(p, Path)]
    urls = [p for p in paths if isinstance(p, str)]
    # A memory:// file exists only in this process: no worker process of ours could read it.
    if cluster is None and any(remote.is_process_local(u) for u in urls):
        jobs = 1
    # Workers start while the tree is walked: each needs about as long to import and
    # build its checker as the walk of 10,000 files takes.
    pool = _start_pool(options, jobs, urls, record) if jobs > 1 and cluster is None else None
    try:
        files = files_under(local) + [f for u in urls for f in remote.files_at(u)]
        folders = tuple(p for p in local if p.is_dir())
        if cluster is not None:
            from procgate.scan.cluster import sweep_on_cluster

            results = sweep_on_cluster(cluster, files, options, folders, urls, progress, record)
        elif pool is None or len(files) < _IN_PROCESS_BELOW:
            results = _here(files, checker, folders, urls, progress, record)
        else:
            results = _in_processes(pool, files, jobs, folders, progress)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    referenced = {ref for r in results for ref in r.refs}
    kept = [r for r in results if r.path not in referenced]
    kept = _each_in_its_own(kept)
    # A configured waiver's note (expiring, rejected) comes with each file checked: once.
    seen: set[Problem] = set()
    for r in kept:
        r.problems = [p for p in dict.fromkeys(r.problems) if p not in seen]
        seen.update(r.problems)
    return len(files), kept


def _each_in_its_own(results: list[FileResult]) -> list[FileResult]:
    """A request that another refers to is checked with it too; what it found is reported in
    its own result when it has one, not twice."""
    own = {r.path for r in results if r.known}
    for r in results:
        r.hits = [h for h in r.hits if h.file == r.path or h.file not in own]
        r.problems = [p for p in r.problems if p.file == r.path or p.file not in own]
    return results


def _here(
    files: Sequence[tuple[str, bool]],
    checker: Checker,
    folders: tuple[Path, ...],
    roots: Sequence[str],
    progress: Progress | None,
    record: bool = False,
) -> list[FileResult]:
    results = []
    for done, (path, explicit) in enumerate(files, 1):
        results.append(check_any(checker, path, explicit, folders, roots, record))
        if progress and (done % 50 == 0 or done == len(files)):
            progress(done, len(files), 1)
    return results


def _start_pool(
    options: Options, jobs: int, roots: Sequence[str], record: bool = False
) -> ProcessPoolExecutor:
    # spawn, not fork: the parent holds a regorus engine and may run other threads.
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(options, tuple(roots), record),
    )
    for _ in range(jobs):  # the pool starts a process per waiting task
        pool.submit(int)
    return pool


def _in_processes(
    pool: ProcessPoolExecutor,
    files: Sequence[tuple[str, bool]],
    jobs: int,
    folders: tuple[Path, ...],
    progress: Progress | None,
) -> list[FileResult]:
    size = max(1, min(200, len(files) // (jobs * 8)))
    chunks = [list(files[i : i + size]) for i in range(0, len(files), size)]
    done = 0
    by_chunk: dict[int, list[FileResult]] = {}
    futures = {pool.submit(_check_chunk, chunk, folders): i for i, chunk in enumerate(chunks)}
    for future in as_completed(futures):
        i = futures[future]
        by_chunk[i] = future.result()
        done += len(chunks[i])
        if progress:
            progress(done, len(files), jobs)
    return [r for i in range(len(chunks)) for r in by_chunk[i]]


_worker_checker: Checker | None = None  # one per worker process, made on its main thread
_worker_roots: tuple[str, ...] = ()
_worker_records = False  # scan --store: keep what the store needs of each file


def _start_worker(options: Options, roots: tuple[str, ...], record: bool = False) -> None:
    global _worker_checker, _worker_roots, _worker_records
    _worker_checker = build_checker(options)
    _worker_roots = roots
    _worker_records = record


def _check_chunk(chunk: list[tuple[str, bool]], folders: tuple[Path, ...]) -> list[FileResult]:
    assert _worker_checker is not None, "the pool initializer builds the checker"
    return [
        check_any(_worker_checker, path, explicit, folders, _worker_roots, _worker_records)
        for path, explicit in chunk
    ]


def check_any(
    checker: Checker,
    path: str,
    explicit: bool,
    folders: tuple[Path, ...],
    roots: Sequence[str],
    record: bool = False,
) -> FileResult:
    """check_file for a local path or an fsspec URL (read where it is kept)."""
    if not remote.is_url(path):
        return check_file(checker, path, explicit, folders, record)
    result = check_file(
        checker,
        remote.inner(path),
        explicit,
        record=record,
        read=remote.read,
        reference=remote.open_reference,
        scope=remote.RemoteScope(roots),
        digest=remote.digest,
    )
    return remote.named(result)


def _load_local(path: str, explicit: bool) -> Document | Finding | None:
    return load(Path(path), path, explicit=explicit)


def check_file(
    checker: Checker,
    path: str,
    explicit: bool,
    folders: tuple[Path, ...] = (),
    record: bool = False,
    *,
    read: Reader = _load_local,
    reference: Callable[[str], Document | Finding | Missing] = open_reference,
    scope: Scope | None = None,
    digest: Callable[[str], str | None] | None = None,
) -> FileResult:
    """One file (and what it references) -> hits and problems. Never raises for a bad file;
    a tool error (a policy that fails) still stops the sweep. `folders`: the swept folders,
    which hold the references when no git work tree does (load/references.py). `digest`:
    the content hash the store records (default: of the file on disk)."""
    docs: dict[str, Document] = {}

    def open_ref(ref: str) -> Document | Finding | Missing:
        got = reference(ref)
        if isinstance(got, Document):
            docs[ref] = got
        return got

    if record:  # the subjects the check makes are kept for the store (store/capture.py)
        checker.normalized = {}
    try:
        item = read(path, explicit)
        if item is None:
            return FileResult(path, known=False)
        if isinstance(item, Document):
            docs[path] = item
        verdict = checker.check([item], open_ref, scope=scope or DiskScope(folders))
    except ProcgateError:
        raise
    except Exception as exc:  # a bug must not lose the other 9,999 files: report it
        problem = Problem(path, 0, 0, rules.INTERNAL_ERROR, "deny", f"internal error: {exc!r}")
        return FileResult(path, known=True, problems=[problem], swept=_unread(path, record))
    finally:
        normalized, checker.normalized = checker.normalized or {}, None
    # The files checked in this one's context; a request it refers to is not one of them.
    refs = tuple(
        f for f in verdict.files[1:] if f not in docs or docs[f].kind is not Kind.PURCHASE_REQUEST
    )
    result = FileResult(path, known=True, refs=refs)
    if record:
        from procgate.store.capture import swept_files

        result.swept = swept_files(checker, docs, path, refs, normalized, digest)
    labels: dict[str, dict[str, str]] = {}
    for f in verdict.findings:
        if f.entity is None or f.about_waiver is not None:  # a waiver's own note is no hit
            result.problems.append(
                Problem(
                    f.position.file,
                    f.position.line,
                    f.position.column,
                    f.rule,
                    str(f.severity),
                    f.message,
                )
            )
        elif f.rule == rules.LISTED_NOT_BANNED:
            result.listed += 1
        else:
            result.hits.append(_hit(f, _label(docs, labels, f)))
    return result


def _hit(f: Finding, item: str) -> Hit:
    return Hit(
        file=f.position.file,
        line=f.position.line,
        column=f.position.column,
        pointer=f.pointer,
        item=item,
        entity=f.entity or "",
        matched=f.matched or "",
        listed_name=f.listed_name or "",
        via=f.via or "",
        score=f.score if f.score is not None else 0.0,
        severity=str(f.severity),
        rule=f.rule,
        authorities=f.authorities,
        waiver=f.waived_by.id if f.waived_by else None,
        message=f.message,
        location=f.location if f.location is not None else f.pointer,
    )


def _unread(path: str, record: bool) -> list[SweptFile]:
    """A file whose check failed: recorded as unread (its findings are not resolved)."""
    return [SweptFile(path, "", None, b"")] if record else []


def _label(docs: dict[str, Document], cache: dict[str, dict[str, str]], f: Finding) -> str:
    """The purchase item or component a finding is about, as the normalizer names it."""
    file = f.position.file
    if file not in cache:
        doc = docs.get(file)
        cache[file] = owner_labels(doc) if doc else {}
    return cache[file].get(f.pointer, f.pointer or "(the whole document)")


def _display(path: Path, cwd: Path) -> str:
    """Paths as the user would write them: relative to the working folder when inside it.
    String work only: resolving 10,000 paths one by one cost more than checking them."""
    if not path.is_absolute():
        return os.path.normpath(path)
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
