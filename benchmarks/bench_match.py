"""Matching alone: index build, growth with subjects and with list size, subjects/second.

    .venv/bin/python benchmarks/bench_match.py [--entities 20000] [--repeat 3] [--quick]

Ban data: the shipped lists plus N generated screening-list entities (bench_match_data.py:
five names and identifiers each, so 20,000 entities are 100,000). Subjects: four per SBOM
component (supplier, product name, group, purl namespace), about 1% naming a listed vendor,
in two mixes: `distinct` (every value unique: each one is resolved, the worst case) and
`repeated` (values drawn from pools, as in real SBOMs). Baseline: a dict lookup per subject
over the same values, the floor of any per-subject work. Each time is the best of --repeat
runs, measured with a fresh Matcher (its per-value cache empty) and the index prebuilt.

Printed: (1) index build time per list size, and reading it back from the disk cache;
(2) time per subject count at the full list (near-linear: ratio of times ~ ratio of
subjects); (3) time per list size at a fixed subject count (sub-linear: the index makes
the cost of a subject independent of the number of names).
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial

from bench_match_data import ban_data, name_count, subjects

from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher
from procgate.match.cache import index_for
from procgate.match.index import BanIndex
from procgate.model import BanData, Subject


def best_of(repeat: int, prepare: Callable[[], Callable[[], object]]) -> float:
    """Shortest wall time of `repeat` runs (the least disturbed by other load). `prepare()`
    is untimed and returns the work to time."""
    times = []
    for _ in range(repeat):
        work = prepare()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _lookups(table: dict[tuple[str, str], None], batch: list[Subject]) -> list[None]:
    return [table.get((s.role, s.value)) for s in batch]


def match_time(data: BanData, batch: list[Subject], repeat: int) -> tuple[float, float, int]:
    """(matcher seconds, dict-baseline seconds, matches)."""
    table = {(s.role, s.value): None for s in batch}
    baseline = best_of(repeat, lambda: partial(_lookups, table, batch))
    elapsed = best_of(repeat, lambda: partial(Matcher(data).match, batch))
    return elapsed, baseline, len(Matcher(data).match(batch))


def build_times(curated: BanData, sizes: list[int]) -> None:
    print("(1) index build")
    print(f"{'entities':>9} {'names+ids':>10} {'build s':>8} {'from cache s':>12}")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PROCGATE_CACHE_DIR"] = folder
        for size in sizes:
            data = ban_data(curated, size)
            built = best_of(1, lambda data=data: partial(BanIndex.build, data))
            index_for(data)  # writes the cache file
            from procgate.match import cache

            def cached(data: BanData = data) -> Callable[[], object]:
                cache._memory.clear()
                return partial(index_for, data)

            read = best_of(1, cached)
            print(f"{len(data.entities):>9} {name_count(data):>10} {built:>8.3f} {read:>12.3f}")
        del os.environ["PROCGATE_CACHE_DIR"]


def subject_growth(data: BanData, sizes: list[int], repeat: int) -> None:
    print(f"(2) growth with subjects, {len(data.entities)} entities / {name_count(data)} names")
    print(
        f"{'components':>10} {'mix':>8} {'subjects':>9} {'matches':>7} {'matcher s':>9} "
        f"{'comp/s':>9} {'subj/s':>10} {'us/subj':>7} {'dict s':>7} {'ratio':>6}"
    )
    previous: dict[bool, float] = {}
    for size in sizes:
        for distinct in (False, True):
            batch = subjects(size, distinct)
            elapsed, baseline, found = match_time(data, batch, repeat)
            growth = f"  x{elapsed / previous[distinct]:.1f} time" if distinct in previous else ""
            previous[distinct] = elapsed
            print(
                f"{size:>10} {'distinct' if distinct else 'repeated':>8} {len(batch):>9} "
                f"{found:>7} {elapsed:>9.3f} {size / elapsed:>9,.0f} "
                f"{len(batch) / elapsed:>10,.0f} "
                f"{elapsed / len(batch) * 1e6:>7.2f} {baseline:>7.3f} "
                f"{elapsed / baseline:>6.1f}{growth}"
            )


def list_growth(curated: BanData, sizes: list[int], components: int, repeat: int) -> None:
    batch = subjects(components, distinct=True)
    print(f"(3) growth with list size, {components} components ({len(batch)} distinct subjects)")
    print(f"{'entities':>9} {'names+ids':>10} {'matcher s':>9} {'us/subj':>7}")
    first = 0.0
    for size in sizes:
        data = ban_data(curated, size)
        index_for(data)  # built outside the timing
        elapsed, _, _ = match_time(data, batch, repeat)
        first = first or elapsed
        print(
            f"{len(data.entities):>9} {name_count(data):>10} {elapsed:>9.3f} "
            f"{elapsed / len(batch) * 1e6:>7.2f}  x{elapsed / first:.2f} time"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=20_000, help="generated entities")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one run")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    components = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    lists = [0, 1_000, 5_000, args.entities]

    curated = load_ban_data(default_ban_files())
    gc.freeze()  # the ban data and subjects live all run, as in `procgate check`
    warm_up(curated)
    build_times(curated, lists)
    full = ban_data(curated, args.entities)
    index_for(full)
    subject_growth(full, components, repeat)
    list_growth(curated, lists, 10_000 if args.quick else 100_000, repeat)


def warm_up(data: BanData) -> None:
    """One untimed run, so the first measurement does not pay for imports and caches."""
    Matcher(data).match(subjects(1_000, distinct=True))


if __name__ == "__main__":
    main()
