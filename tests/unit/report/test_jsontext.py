"""The reports' indented JSON is the standard library's text, written by orjson."""

from __future__ import annotations

import json

import pytest
from report_fixtures import GOLDEN

from procgate.report.jsontext import dumps

VALUES = [
    {"a": [], "b": {}, "c": [1, 2.5, None, True, 1e20, 1.0, -0.0, 0.1 + 0.2, 2**63 - 1]},
    {"d": 'ü😀\n"\\\u2028\x7f\x00\x1f', "e": "\ud7ff\ue000\uffff", "": {"k": [{}]}},
    [[[]]],
    "plain",
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_same_text_as_the_standard_library(value: object, ensure_ascii: bool) -> None:
    assert dumps(value, ensure_ascii=ensure_ascii) == json.dumps(
        value, indent=2, ensure_ascii=ensure_ascii
    )


@pytest.mark.parametrize("name", ["verdict.json", "verdict.sarif", "clean.sarif"])
def test_golden_reports_round_trip(name: str) -> None:
    value = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    assert dumps(value, ensure_ascii=name.endswith(".sarif")) == json.dumps(
        value, indent=2, ensure_ascii=name.endswith(".sarif")
    )


def test_a_file_name_that_was_not_utf8_is_still_written() -> None:
    """os.fsdecode gives lone surrogates for undecodable bytes; orjson refuses them."""
    value = {"file": "requests/caf\udce9.yaml"}
    assert dumps(value, ensure_ascii=True) == '{\n  "file": "requests/caf\\udce9.yaml"\n}'
