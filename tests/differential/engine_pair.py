"""The same Rego on two engines: regorus (procgate's embedded engine) and OPA's own Go engine
(opa-golib-python-bindings, `from opa_bindings import OpaEngine`), with a side-by-side report of
any difference.

Both engines get the same policy texts under the same names and the same data document, and
are asked the same query; the answer is compared as JSON, with "undefined" and "error" as
answers of their own. Sets come out as arrays in each engine's own sort order; the comparison
is exact, so a different order would show as a difference (none has so far).

Without the OPA package the tests skip with the install hint, and fail under CI
(opa_support.py).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

import regorus
from opa_support import opa_engine_class

UNDEFINED = {"<undefined>": True}


class EnginePair:
    """One regorus engine and one OPA engine holding the same policies and data."""

    def __init__(self, policies: Sequence[tuple[str, str]], data: dict[str, Any]) -> None:
        self.regorus = regorus.Engine()
        self.opa = opa_engine_class()()
        self.opa.print_handler = lambda _message, _location: None  # tests print on failure
        for name, text in policies:
            self.regorus.add_policy(name, text)
            self.opa.add_policy(name, text)
        text = json.dumps(data)
        self.regorus.add_data_json(text)
        self.opa.add_data(json.loads(text))

    def on_regorus(self, query: str, input_: Any = None) -> Any:
        try:
            if input_ is not None:
                self.regorus.set_input_json(json.dumps(input_))
            answer = json.loads(self.regorus.eval_query_as_json(query))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # pyo3 panics derive from BaseException
            return {"<error>": str(exc).split("Stack backtrace:")[0].strip()}
        values = [e["value"] for r in answer.get("result", []) for e in r["expressions"]]
        return values[0] if values else UNDEFINED

    def on_opa(self, query: str, input_: Any = None) -> Any:
        from opa_bindings import OpaError

        try:
            # A fresh variable binds the query's value (eval_query returns bindings).
            rows = self.opa.eval_query(f"__answer__ = {query}", input_)
        except OpaError as exc:
            return {"<error>": str(exc)}
        return rows[0]["__answer__"] if rows else UNDEFINED

    def both(self, query: str, input_: Any = None) -> tuple[Any, Any]:
        return self.on_regorus(query, input_), self.on_opa(query, input_)

    def close(self) -> None:
        self.opa.close()


def same(left: Any, right: Any) -> bool:
    """Equal as JSON; an error equals an error (the engines word them differently)."""
    if _is_error(left) and _is_error(right):
        return True
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"<error>"}


def side_by_side(what: str, left: Any, right: Any, input_: Any = None, width: int = 78) -> str:
    """Both answers as indented JSON in two columns, differing lines marked `|`, and the input
    that produced them (to rerun it)."""
    a = json.dumps(left, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    b = json.dumps(right, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    lines = [f"{what}: regorus and OPA differ", f"{'regorus':<{width}}   OPA"]
    for x, y in itertools.zip_longest(a, b, fillvalue=""):
        mark = " " if x == y else "|"
        lines.append(f"{_cut(x, width):<{width}} {mark} {_cut(y, width)}")
    if input_ is not None:
        lines += ["input:", json.dumps(input_, sort_keys=True, ensure_ascii=False)]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
