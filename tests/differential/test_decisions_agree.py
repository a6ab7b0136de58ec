"""The shipped decision (policies/bans.rego with data.banlist) is the same on regorus and on
OPA's own engine, for the Rego input procgate builds:

- for every example and test document, checked by the real pipeline for every audience (the
  input recorded where an engine would get it);
- for generated inputs that walk the decision table (generated_inputs.py: audiences x days
  around every effective date x scopes x use conditions).

Compared: the deny and warn sets, and the per-match outcomes and upcoming bans behind them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import pytest
from cli_support import CORPUS, EXAMPLES, ROOT
from engine_pair import EnginePair, same, side_by_side
from generated_inputs import cases, count_matches
from opa_support import opa_engine_class

from procgate.config import Flags, options_from
from procgate.decide.banlist_data import ban_data_as_json
from procgate.decide.inputs import rego_input
from procgate.lists import default_ban_files, load_ban_data
from procgate.model import BanData, Context, Document, Finding, Match, Subject
from procgate.pipeline import build_checker

POLICIES = ROOT / "policies"
TEST_DOCUMENTS = [
    EXAMPLES,
    ROOT / "tests" / "data" / "purchase-requests",
    ROOT / "tests" / "data" / "bad",
]
# Real SBOMs that name no listed vendor (tests/data/corpus): checked for one audience only.
DAY = date(2026, 11, 28)
RULES = ("deny", "warn", "outcomes", "upcoming")
# Partial object rules are compared through a comprehension, which is {} on both engines
# when the rule has no entry (see test_known_differences.py for why).
DECISION = (
    "{"
    '"deny": [v | v := data.procgate.bans.deny], '
    '"warn": [v | v := data.procgate.bans.warn], '
    '"outcomes": {k: v | v := data.procgate.bans.outcomes[k]}, '
    '"upcoming": {k: v | v := data.procgate.bans.upcoming[k]}'
    "}"
)


class Recorder:
    """A decide engine (the Engine interface) that keeps the Rego input procgate builds for
    each document, and decides nothing."""

    def __init__(self, ban_data: BanData, certain: float) -> None:
        self.ban_data, self.certain = ban_data, certain
        self.inputs: list[tuple[str, dict[str, Any]]] = []

    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]:
        given = rego_input(doc, matches, ctx, self.ban_data, self.certain)
        self.inputs.append((f"{doc.path} as {ctx.audience}", given))
        return []


@pytest.fixture(scope="module")
def pair() -> Iterator[EnginePair]:
    opa_engine_class()
    policies = [
        (str(f), f.read_text(encoding="utf-8"))
        for f in sorted(POLICIES.glob("*.rego"))
        if not f.name.endswith("_test.rego")
    ]
    data = {"banlist": ban_data_as_json(load_ban_data(default_ban_files()))}
    engines = EnginePair(policies, data)
    yield engines
    engines.close()


def _compare(pair: EnginePair, inputs: list[tuple[str, dict[str, Any]]]) -> None:
    differ = []
    for label, given in inputs:
        left, right = pair.both(DECISION, given)
        if not same(left, right):
            differ.append(side_by_side(label, left, right, given))
    shown = "\n\n".join(differ[:3])
    assert not differ, f"{len(differ)} of {len(inputs)} inputs decided differently\n\n{shown}"


def _document_inputs() -> list[tuple[str, dict[str, Any]]]:
    recorded: list[tuple[str, dict[str, Any]]] = []
    shipped = load_ban_data(default_ban_files())
    for audience in sorted(shipped.audiences):
        options = options_from(Flags(audience=audience, today=DAY), cwd=ROOT)
        checker = build_checker(options)
        recorder = Recorder(checker.ban_data, options.certain_score)
        checker.engines = [recorder]
        checker.check_paths([*TEST_DOCUMENTS, *([CORPUS] if audience == "us-federal" else [])])
        recorded += recorder.inputs
    return recorded


def test_every_example_and_test_document_is_decided_alike(pair: EnginePair) -> None:
    inputs = _document_inputs()
    documents = {label.split(" as ")[0] for label, _ in inputs}
    assert {
        "examples/purchase-requests/kaspersky-endpoint.yaml",
        "examples/sboms/branch-router-firmware.cdx.json",
        "tests/data/purchase-requests/sboms/access-controller.cdx.json",
    } <= documents
    assert len(documents) >= 60, len(documents)  # examples, test requests, the corpus
    assert sum(len(i["matches"]) for _, i in inputs) >= 50
    denied = [i for _, i in inputs if i["matches"] and pair.on_opa(DECISION, i)["deny"] != [[]]]
    assert len(denied) >= 5  # not only clean documents
    _compare(pair, inputs)


def test_generated_inputs_over_the_decision_table_are_decided_alike(pair: EnginePair) -> None:
    generated = cases(load_ban_data(default_ban_files()))
    contexts = {(i["context"]["audience"], tuple(i["context"]["use"])) for _, i in generated}
    assert len(contexts) == 25  # every audience with every use condition
    assert count_matches(generated) > 9000
    _compare(pair, generated)
