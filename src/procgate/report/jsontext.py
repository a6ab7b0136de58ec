"""Indented JSON text for the reports, at C speed.

The standard library writes indented JSON with its pure-Python encoder (its C encoder is
used only without `indent`): 10,000 findings as SARIF took over a second. orjson writes
the same text (two-space indent, `": "` and `,` separators) about twenty times faster.
Text orjson refuses (a file name that was not UTF-8 reaches us as lone surrogates) is
written by the standard library, as before.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_NON_ASCII = re.compile(r"[^\x00-\x7e]+")  # what ensure_ascii escapes (DEL too)


def _escape(match: re.Match[str]) -> str:
    return json.dumps(match[0])[1:-1]  # \u00fc; a pair of \u escapes beyond the BMP


def dumps(value: Any, *, ensure_ascii: bool) -> str:
    """What `json.dumps(value, indent=2, ensure_ascii=ensure_ascii)` returns, but for the
    spelling of floats below 1e-4 (orjson writes 1e-7 where Python writes 1e-07) and NaN
    (null: NaN is no JSON)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # lone surrogates, or a type orjson does not write
        return json.dumps(value, indent=2, ensure_ascii=ensure_ascii)
    return _NON_ASCII.sub(_escape, text) if ensure_ascii else text
