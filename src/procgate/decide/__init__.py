"""decide: matches + document -> findings, by Rego and Python policies.

`Engine.evaluate(doc, subjects, matches, ctx) -> list[Finding]` is the one interface; the
Rego engine (embedded regorus, rego.py), the OPA-server engine (opa_server.py, --opa-url) and
the Python-policy engine (python.py) implement it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from procgate.model import Context, Document, Finding, Match, Subject


class Engine(Protocol):
    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]: ...
