"""decide/opa.py on its own: a document the engine cannot take as input is a finding on that
file (as with the embedded engine), not the end of the run."""

from __future__ import annotations

from datetime import date

import pytest
from opa_support import opa_engine_class

from procgate import rules
from procgate.decide.opa import OpaEngine
from procgate.decide.rego import RegoEngine, rego_files
from procgate.lists import default_ban_files, load_ban_data
from procgate.model import Context, Document, Kind, Severity
from procgate.resources import policies_dir


@pytest.mark.parametrize("engine", ["regorus", "opa"])
def test_a_lone_surrogate_in_the_input_is_a_finding_on_the_file(engine: str) -> None:
    opa_engine_class()
    ban_data = load_ban_data(default_ban_files())
    files = rego_files([policies_dir()])
    decide = (
        OpaEngine(files, ban_data, 0.9)
        if engine == "opa"
        else RegoEngine(files, ban_data, 0.9, isolated=False)
    )
    doc = Document("pr.yaml", Kind.PURCHASE_REQUEST, {"id": "PR-\ud800", "items": []}, "yaml")
    [finding] = decide.evaluate(doc, [], [], Context("us-federal", date(2026, 11, 28)))
    assert finding.rule == rules.PARSE_ERROR and finding.severity is Severity.DENY
    assert finding.position.file == "pr.yaml"
    assert "cannot read this document as input" in finding.message
