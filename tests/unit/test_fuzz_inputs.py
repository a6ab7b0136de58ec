"""Property-based tests (issue 10): whatever bytes arrive, every loader and the whole check
answer with a Document, a finding or "not ours" — never an exception, a hang or an
`internal error`. Inputs: arbitrary bytes, arbitrary JSON/YAML trees (alone and grafted
into real documents), and truncated and mutated real SBOMs and requests.

The default run is modest (PROCGATE_FUZZ_EXAMPLES, default 25 per test) and, under CI=true,
derandomized; a longer, random run:
    PROCGATE_FUZZ_EXAMPLES=2000 pytest tests/unit/test_fuzz_inputs.py --hypothesis-show-statistics
"""

from __future__ import annotations

import contextlib
import copy
import faulthandler
import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procgate.config import Options
from procgate.load import load_bytes
from procgate.model import Document, Finding, Verdict
from procgate.pipeline import Checker, build_checker
from procgate.report import REPORTERS, reporter

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXAMPLES_RUN = int(os.environ.get("PROCGATE_FUZZ_EXAMPLES", "25"))
HANG_SECONDS = 60  # one example that takes this long is a hang

FUZZ = settings(
    max_examples=EXAMPLES_RUN,
    # CI replays the same examples every run, so a landing is never blocked by a new random
    # draw; exploring is done by longer local runs (see the module docstring), whose finds
    # become regression tests.
    derandomize=os.environ.get("CI") == "true",
    deadline=None,  # the machine may be busy; hangs are caught by the alarm below
    database=None,  # nothing written into the repository
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Real documents of every syntax the loaders read (examples/ and tests/data/, plus the small
# ones below, written for these tests).
REAL_FILES = [
    EXAMPLES / "sboms" / "branch-router-firmware.cdx.json",
    EXAMPLES / "sboms" / "webapp-clean.spdx.json",
    EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml",
    EXAMPLES / "purchase-requests" / "branch-router.yaml",
    ROOT / "tests" / "data" / "purchase-requests" / "sboms" / "access-controller.cdx.json",
]
TAG_VALUE = b"""SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: firmware
DocumentNamespace: https://example.org/spdx/firmware
Creator: Tool: hand
Created: 2026-01-01T00:00:00Z

PackageName: av-engine
SPDXID: SPDXRef-av
PackageDownloadLocation: NOASSERTION
PackageSupplier: Organization: Kaspersky Lab
PackageComment: <text>multi
line</text>
ExternalRef: SECURITY cpe23Type cpe:2.3:a:kaspersky:anti-virus:21:*:*:*:*:*:*:*
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-av
"""
CYCLONEDX_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <components>
    <component type="library">
      <supplier><name>Huawei Technologies Co., Ltd.</name></supplier>
      <name>modem</name><version>1.0</version>
      <purl>pkg:generic/huawei/modem@1.0</purl>
    </component>
  </components>
</bom>
"""
SPDX3 = json.dumps(
    {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {
                "type": "CreationInfo",
                "@id": "_:c",
                "specVersion": "3.0.1",
                "created": "2026-01-01T00:00:00Z",
                "createdBy": ["urn:a"],
            },
            {
                "type": "Organization",
                "spdxId": "urn:o",
                "creationInfo": "_:c",
                "name": "ZTE Corporation",
            },
            {
                "type": "software_Package",
                "spdxId": "urn:p",
                "creationInfo": "_:c",
                "name": "fw",
                "suppliedBy": "urn:o",
            },
        ],
    }
).encode()
SEEDS: list[tuple[str, bytes]] = [
    *((p.name, p.read_bytes()) for p in REAL_FILES),
    ("fw.spdx", TAG_VALUE),
    ("bom.cdx.xml", CYCLONEDX_XML),
    ("doc.spdx3.json", SPDX3),
]
NAMES = [".json", ".yaml", ".xml", ".spdx", ".jsonld", ".cdx", ".rdf"]

counted: dict[str, int] = {}


@contextlib.contextmanager
def no_hang(what: str) -> Iterator[None]:
    """A hang ends the test run with every thread's traceback, instead of waiting forever
    (a timer signal of our own would meet the policy time limit's)."""
    counted[what] = counted.get(what, 0) + 1
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def checker() -> Iterator[Checker]:
    yield build_checker(Options(today=date(2026, 11, 28), base_dir=ROOT))


def answered(item: Document | Finding | None) -> None:
    """What a loader may give: a Document, a finding with a position, or None."""
    assert item is None or isinstance(item, Document | Finding), item
    if isinstance(item, Finding):
        assert item.rule.startswith("parse."), item
        assert item.position.line >= 0 and item.message
        assert "internal error" not in item.message


def check_all(checker: Checker, item: Document | Finding | None) -> Verdict | None:
    """The whole check of one loaded item, then every report format."""
    if item is None:
        return None
    verdict = checker.check([item], lambda _ref: None)
    for finding in verdict.findings:
        assert "internal error" not in finding.message
        if isinstance(item, Document):
            assert finding.position.file == item.path
    for name in REPORTERS:
        text = reporter(name)(verdict, "deny")
        assert isinstance(text, str)
        text.encode("utf-8")  # printable: no lone surrogates leak into a report
    assert verdict.exit_code("deny") in (0, 1)
    return verdict


# -- arbitrary bytes ----------------------------------------------------------------------


@FUZZ
@given(content=st.binary(max_size=4096), suffix=st.sampled_from(NAMES), explicit=st.booleans())
def test_arbitrary_bytes(checker: Checker, content: bytes, suffix: str, explicit: bool) -> None:
    with no_hang("bytes"):
        item = load_bytes(content, f"file{suffix}", explicit=explicit)
        answered(item)
        check_all(checker, item)


@FUZZ
@given(text=st.text(max_size=2048), suffix=st.sampled_from(NAMES))
def test_arbitrary_text(checker: Checker, text: str, suffix: str) -> None:
    with no_hang("text"):
        item = load_bytes(text.encode("utf-8", "surrogatepass"), f"file{suffix}")
        answered(item)
        check_all(checker, item)


# -- arbitrary JSON / YAML trees ----------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=40,
)
# Keys and values our formats care about, so that trees reach kind detection and beyond.
HINTS = st.sampled_from(
    [
        {"bomFormat": "CycloneDX", "specVersion": "1.5"},
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{}]},
        {"spdxVersion": "SPDX-2.3", "packages": [{"supplier": "Organization: ZTE"}]},
        {"apiVersion": "procgate/v1", "kind": "PurchaseRequest"},
        {"apiVersion": "procgate/v1", "kind": "Waiver"},
        {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []},
        {},
    ]
)


def as_yaml(tree: Any) -> bytes:
    return yaml.safe_dump(tree, allow_unicode=True).encode("utf-8", "surrogatepass")


@FUZZ
@given(tree=TREES, hint=HINTS, syntax=st.sampled_from(["json", "yaml"]))
def test_arbitrary_trees(checker: Checker, tree: Any, hint: dict, syntax: str) -> None:
    doc = {**hint, "x": tree} if isinstance(tree, dict) else {**hint, "items": tree}
    if isinstance(tree, dict):
        doc.update(tree)
    content = json.dumps(doc).encode() if syntax == "json" else as_yaml(doc)
    with no_hang("trees"):
        item = load_bytes(content, f"doc.{syntax}")
        answered(item)
        check_all(checker, item)


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths_of(v, (*prefix, i))
    return out


JSON_SEEDS = [(n, json.loads(c)) for n, c in SEEDS if n.endswith(".json")]
YAML_SEEDS = [(n, yaml.safe_load(c)) for n, c in SEEDS if n.endswith(".yaml")]


@FUZZ
@given(seed=st.sampled_from(JSON_SEEDS + YAML_SEEDS), graft=TREES, data=st.data())
def test_trees_grafted_into_real_documents(
    checker: Checker, seed: tuple[str, Any], graft: Any, data: st.DataObject
) -> None:
    name, original = seed
    doc = copy.deepcopy(original)
    path = data.draw(st.sampled_from(paths_of(doc)[1:]))
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = graft
    content = json.dumps(doc).encode() if name.endswith(".json") else as_yaml(doc)
    with no_hang("grafted"):
        item = load_bytes(content, name)
        answered(item)
        check_all(checker, item)


# -- truncated and mutated real files -----------------------------------------------------


@FUZZ
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_truncated_real_files(
    checker: Checker, seed: tuple[str, bytes], data: st.DataObject
) -> None:
    name, content = seed
    cut = data.draw(st.integers(min_value=0, max_value=len(content)))
    with no_hang("truncated"):
        item = load_bytes(content[:cut], name)
        answered(item)
        check_all(checker, item)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "repeat"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=6,
)


def mutate(content: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(content)
    for op, where, payload in mutations:
        at = int(where * max(0, len(out) - 1))
        if op == "flip" and out:
            out[at] ^= payload[0] or 1
        elif op == "insert":
            out[at:at] = payload
        elif op == "delete":
            del out[at : at + len(payload)]
        elif op == "repeat":
            out[at:at] = out[at : at + 64] * 3
    return bytes(out)


@FUZZ
@given(seed=st.sampled_from(SEEDS), mutations=MUTATIONS)
def test_mutated_real_files(
    checker: Checker, seed: tuple[str, bytes], mutations: list[tuple[str, float, bytes]]
) -> None:
    name, content = seed
    with no_hang("mutated"):
        item = load_bytes(mutate(content, mutations), name)
        answered(item)
        check_all(checker, item)


@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    open_char=st.sampled_from(["[", "{", "- "]),
    depth=st.integers(min_value=50, max_value=3000),
)
def test_deep_nesting_grafted_into_real_files(
    checker: Checker, seed: tuple[str, bytes], open_char: str, depth: int
) -> None:
    name, content = seed
    text = content.decode("utf-8")
    if name.endswith(".json"):
        if open_char == "{":
            nested = '{"a":' * depth + "1" + "}" * depth
        else:
            nested = "[" * depth + "]" * depth
        mutated = text.replace('"name": ', f'"deep": {nested}, "name": ', 1)
    elif name.endswith(".yaml"):
        mutated = text + "\njustification: " + "[" * depth + "]" * depth + "\n"
    else:
        mutated = text + "\n" + "<a>" * depth + "</a>" * depth
    with no_hang("deep"):
        item = load_bytes(mutated.encode(), name)
        answered(item)
        check_all(checker, item)


def test_report_how_many_examples_ran() -> None:
    """Runs last in this module: the counts go to the test log (pytest -rA shows them)."""
    print("fuzz examples run:", counted, "total", sum(counted.values()))
    if counted:
        assert all(n >= 1 for n in counted.values())
