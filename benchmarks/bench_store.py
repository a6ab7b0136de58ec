"""procgate scan --store: what recording a sweep costs, and reevaluate beside a re-sweep.

    python benchmarks/bench_store.py [--files 10000] [--findings 100000] [--repeat 3]

1. A sweep of the 10,000-file generated inventory (tests/acceptance/inventory_tree.py) with
   --store (a new SQLite file; a new PostgreSQL database when PostgreSQL's binaries are here,
   on a throwaway cluster as the tests start it), and a second sweep into the same store (the
   update path), each beside the same sweep without --store, in the same run. Target: 1.3x.
2. `inventory reevaluate --data NEW` of a store holding 100,000 findings (1,000 SBOMs of 100
   components whose supplier is a banned vendor), beside a full re-sweep of the same files
   with the same new list (`scan --store --data NEW`). NEW adds an entity a tenth of the
   components name: reevaluate decides those again, not the rest. NEW' also lists the vendor
   the other nine tenths name: the worst case, nearly everything decided again.

Wall and CPU seconds (user + system of the process and its workers) are medians over the
runs; the ratios compare runs made in this same process, one after the other.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _run import PROCGATE, run_cpu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
sys.path.insert(0, str(ROOT / "tests"))
from inventory_tree import make_tree  # noqa: E402

DATE = "2026-11-28"
NEW_LIST = (
    (ROOT / "tests" / "store" / "test_reevaluate.py")
    .read_text()
    .split('NEW_LIST = """\\\n')[1]
    .split('"""', 1)[0]
)

HUAWEI_LISTING = """\
  - entity: huawei
    authority: agency-drones-2026
    scope: any
    entry: Huawei products (benchmark)
    source: https://agency.example/orders/2026-11
"""


def timed(cmd: list[str], cwd: Path, repeat: int, before: object = None) -> tuple[float, float]:
    """(median wall s, median CPU s) of `cmd`; `before()` runs ahead of each run, untimed."""
    walls, cpus = [], []
    for _ in range(repeat):
        if callable(before):
            before()
        wall, cpu, _, code = run_cpu(cmd, cwd)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {code}")
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def stores(work: Path) -> list[tuple[str, object]]:
    """(name, a function giving a new empty store URL) for SQLite and, when here, PostgreSQL."""
    count = iter(range(1_000_000))
    found: list[tuple[str, object]] = [
        ("sqlite", lambda: str(work / f"store-{next(count)}.db")),
    ]
    try:
        from support.postgres import start_postgres

        server = start_postgres()
    except BaseException as exc:  # pytest.skip raises a BaseException when it is absent
        print(f"  (PostgreSQL not measured: {exc})")
        return found
    found.append(("postgresql", server.new_database))
    stores.server = server  # type: ignore[attr-defined]
    return found


def sweep_cost(work: Path, files: int, repeat: int) -> None:
    expected = make_tree(work / "records", files)
    scan = [*PROCGATE, "scan", "records", "--date", DATE, "--jobs", "2"]
    print(f"1. sweep of {expected.files} files ({len(expected.hits)} affected items), --jobs 2")
    print("   each --store run is paired with a run without it made just before; the ratio is")
    print("   the median of the pairs' CPU ratios (a shared machine drifts between blocks)")
    run_cpu(scan, work)  # warms the disk cache, as every later run finds it
    for name, new_url in stores(work):
        first = _paired(scan, work, repeat, new_url)
        url = str(new_url())  # type: ignore[operator]
        run_cpu([*scan, "--store", url], work)
        again = _paired(scan, work, repeat, lambda url=url: url)
        for label, (cpu, base, ratio) in (("first", first), ("again", again)):
            print(
                f"   --store {name:10} {label}: {cpu:6.2f} s CPU beside {base:6.2f} s "
                f"without  x{ratio:.2f} CPU"
            )


def _paired(
    scan: list[str], work: Path, repeat: int, store_url: Callable[[], object]
) -> tuple[float, float, float]:
    """(median CPU s with --store, median CPU s without, median of the pairs' ratios);
    `store_url()` gives the store of each run (a new one for a first sweep)."""
    with_store, without, ratios = [], [], []
    for _ in range(repeat):
        _, base, _, code = run_cpu(scan, work)
        _, cpu, _, code2 = run_cpu([*scan, "--store", str(store_url())], work)
        if code not in (0, 1) or code2 not in (0, 1):
            raise SystemExit(f"scan exited {code}/{code2}")
        with_store.append(cpu)
        without.append(base)
        ratios.append(cpu / base)
    return statistics.median(with_store), statistics.median(without), statistics.median(ratios)


def sbom(n: int, components: int) -> dict[str, object]:
    """A CycloneDX SBOM whose components all name Huawei as supplier; every tenth names the
    new list's drone maker instead."""
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        "version": 1,
        "components": [
            {
                "type": "firmware",
                "bom-ref": f"c{i}",
                "name": f"modem-fw-{n}-{i}",
                "version": "1.0",
                "purl": f"pkg:generic/modem-fw-{n}-{i}@1.0",
                "supplier": {
                    "name": "Skyhawk Aerial Systems Ltd."
                    if i % 10 == 0
                    else "Huawei Technologies Co., Ltd."
                },
            }
            for i in range(components)
        ],
    }


def reevaluate_cost(work: Path, findings: int, repeat: int) -> None:
    per_file = 100
    folder = work / "sboms"
    folder.mkdir()
    for n in range(findings // per_file):
        (folder / f"fw-{n:05d}.cdx.json").write_text(json.dumps(sbom(n, per_file)))
    new = work / "agency-extra.yaml"
    new.write_text(NEW_LIST)
    db = str(work / "big.db")
    scan = [*PROCGATE, "scan", "sboms", "--date", DATE, "--jobs", "2", "--store", db]
    wall, cpu, _, _ = run_cpu(scan, work)
    print(
        f"2. store with {findings} findings in {findings // per_file} SBOMs "
        f"(first sweep {wall:.1f} s wall, {cpu:.1f} s CPU)"
    )
    again = [
        *PROCGATE,
        "inventory",
        "reevaluate",
        "--store",
        db,
        "--data",
        str(new),
        "--date",
        DATE,
    ]
    resweep = [*scan, "--data", str(new)]
    r = timed(again, work, repeat)
    s = timed(resweep, work, repeat)
    print("   NEW: the drone maker (a tenth of the items) and a listing of Acronis (none)")
    print(f"   reevaluate --data NEW:     {r[0]:6.2f} s wall  {r[1]:6.2f} s CPU")
    print(
        f"   full re-sweep --data NEW:  {s[0]:6.2f} s wall  {s[1]:6.2f} s CPU  "
        f"(reevaluate x{r[0] / s[0]:.2f} wall, x{r[1] / s[1]:.2f} CPU of it)"
    )
    # The worst case: the change is about the vendor nine items in ten name, so nearly
    # everything is decided again.
    worst = work / "agency-huawei.yaml"
    worst.write_text(NEW_LIST.replace("\nentities:\n", "\n" + HUAWEI_LISTING + "entities:\n", 1))
    w = timed([*again[:-4], "--data", str(worst), "--date", DATE], work, repeat)
    print("   NEW': also a listing of Huawei (nine items in ten)")
    print(
        f"   reevaluate --data NEW':    {w[0]:6.2f} s wall  {w[1]:6.2f} s CPU  "
        f"(x{w[1] / s[1]:.2f} CPU of the re-sweep)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["sweep", "reevaluate"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            if args.only != "reevaluate":
                sweep_cost(work, args.files, args.repeat)
            if args.only != "sweep":
                reevaluate_cost(work, args.findings, args.repeat)
        finally:
            server = getattr(stores, "server", None)
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
