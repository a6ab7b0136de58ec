"""Matcher throughput on synthetic SBOM subjects, beside a plain dict lookup baseline.

    .venv/bin/python benchmarks/bench_match.py [--entities N] [--sizes 1000,10000,100000]
                                               [--repeat 3]

Each component gives four subjects (supplier, product name, group, purl namespace), as a
normalized CycloneDX component does. Two value mixes:
  repeated  values drawn from small pools, as in real SBOMs (a few hundred suppliers/groups)
  distinct  every value unique: the worst case, every value is resolved once
The baseline is a dict lookup of (role, value) per subject over the same list: the floor of
any per-subject work. Each figure is the best of --repeat runs (index build excluded).
Absolute numbers vary by machine; compare the ratio.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from functools import partial

from procgate.match import Matcher
from procgate.model import BanData, Entity, Name, Owner, Subject

SYLLABLES = (
    "ka lo mi ne ra so tu vex zor qua bri den fal gor hun jel kip lum nor pex rin sul tav wen"
)
SUFFIXES = ["Inc.", "LLC", "Ltd", "GmbH", "Corporation", "Foundation", "Project", "Software"]
BANNED = [
    ("supplier", "Huawei Technologies Co., Ltd."),
    ("supplier", "AO Kaspersky Lab"),
    ("product-name", "kaspersky-endpoint-agent"),
    ("group", "com.kaspersky.android-components"),
    ("purl-namespace", "github/bytedance"),
]


def ban_data(extra: int) -> BanData:
    """The vendors of facts/vendor-bans.md, plus `extra` synthetic entities of 5 names each."""

    def entity(id: str, names: list[str], **kw: tuple[str, ...]) -> Entity:
        return Entity(
            id=id,
            name=names[0],
            names=tuple(Name(n, "legal-name" if i == 0 else "alias") for i, n in enumerate(names)),
            identifiers={},
            cpe_vendors=kw.get("cpe", ()),
            purl_namespaces=kw.get("purl", ()),
            domains=kw.get("domains", ()),
            listings=(),
        )

    entities = [
        entity(
            "kaspersky",
            ["AO Kaspersky Lab", "Kaspersky Lab ZAO", "Kaspersky Labs Limited", "Kaspersky"],
            cpe=("kaspersky",),
            purl=("maven/com.kaspersky", "npm/@kaspersky"),
            domains=("kaspersky.com",),
        ),
        entity("huawei", ["Huawei Technologies Co., Ltd.", "HiSilicon"], domains=("huawei.com",)),
        entity("zte", ["ZTE Corporation", "Zhongxing Telecommunication Equipment"]),
        entity("hikvision", ["Hangzhou Hikvision Digital Technology Co Ltd", "Ezviz", "HiLook"]),
        entity("dahua", ["Zhejiang Dahua Technology Co Ltd", "Lorex"]),
        entity("hytera", ["Hytera Communications Corp Ltd"]),
        entity("bytedance", ["ByteDance Ltd", "TikTok"], purl=("github/bytedance",)),
        entity("china-mobile", ["China Mobile International USA Inc."]),
    ]
    rng = random.Random(7)
    for i in range(extra):
        base = _word(rng, 3) + "x" + str(i)  # never collides with the generated subjects
        names = [f"{base} {rng.choice(SUFFIXES)}", *(f"{base} {_word(rng, 2)}" for _ in range(4))]
        entities.append(entity(f"synthetic-{i}", names, domains=(f"{base}.com",)))
    return BanData(authorities={}, entities={e.id: e for e in entities}, audiences={})


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(n))


# role -> (pool size in the repeated mix, value from a unique word)
MAKERS: dict[str, tuple[int, Callable[[random.Random, str], str]]] = {
    "supplier": (300, lambda rng, w: f"{w.title()} {rng.choice(SUFFIXES)}"),
    "product-name": (2000, lambda rng, w: f"{w}-{_word(rng, 2)}-{_word(rng, 1)}"),
    "group": (500, lambda rng, w: f"org.{w}.{_word(rng, 2)}"),
    "purl-namespace": (500, lambda rng, w: f"maven/org.{w}"),
}


def subjects(components: int, distinct: bool, seed: int = 1) -> list[Subject]:
    rng = random.Random(seed)
    pools = {
        role: [make(rng, _word(rng, 2)) for _ in range(size)]
        for role, (size, make) in MAKERS.items()
    }
    out = []
    for i in range(components):
        owner = Owner(f"/components/{i}", f"component {i + 1}", "software")
        if distinct:
            w = _word(rng, 2) + str(i)
            values = [(role, make(rng, w)) for role, (_, make) in MAKERS.items()]
        else:
            values = [(role, rng.choice(pool)) for role, pool in pools.items()]
        if i % 100 == 0:  # about 1% of components name a listed vendor somewhere
            values[i // 100 % 4] = BANNED[i // 100 % len(BANNED)]
        out += [Subject(role, v, f"/components/{i}/{role}", owner) for role, v in values]
    return out


def best_of(repeat: int, run: Callable[[], Callable[[], object]]) -> float:
    """Shortest wall time of `repeat` runs: the least disturbed by other load on the machine.

    `run()` prepares one run (untimed) and returns the work to time.
    """
    times = []
    for _ in range(repeat):
        work = run()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _lookups(table: dict[tuple[str, str], None], batch: list[Subject]) -> list[None]:
    return [table.get((s.role, s.value)) for s in batch]


def measure(data: BanData, batch: list[Subject], repeat: int) -> tuple[float, float, int]:
    """(matcher seconds, baseline seconds, matches) for one batch of subjects."""
    table = {(s.role, s.value): None for s in batch}
    baseline = best_of(repeat, lambda: partial(_lookups, table, batch))
    # A fresh Matcher per run, built outside the timing: its cache starts empty, as in a run.
    elapsed = best_of(repeat, lambda: partial(Matcher(data).match, batch))
    return elapsed, baseline, len(Matcher(data).match(batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=0, help="extra synthetic entities")
    parser.add_argument("--sizes", default="1000,10000,100000", help="components per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best)")
    args = parser.parse_args()

    data = ban_data(args.entities)
    build = best_of(1, lambda: partial(Matcher, data))
    names = sum(len(e.names) for e in data.entities.values())
    print(f"ban data: {len(data.entities)} entities, {names} names; index build {build:.3f} s")
    print(
        f"{'components':>10} {'mix':>8} {'subjects':>9} {'matches':>7} "
        f"{'matcher s':>9} {'subj/s':>10} {'dict s':>7} {'ratio':>6}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for distinct in (False, True):
            batch = subjects(size, distinct)
            elapsed, baseline, found = measure(data, batch, args.repeat)
            print(
                f"{size:>10} {'distinct' if distinct else 'repeated':>8} {len(batch):>9} "
                f"{found:>7} {elapsed:>9.3f} {len(batch) / elapsed:>10,.0f} "
                f"{baseline:>7.3f} {elapsed / baseline:>6.1f}"
            )


if __name__ == "__main__":
    main()
