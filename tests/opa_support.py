"""OPA's own engine (opa-golib-python-bindings) for the tests that compare procgate with OPA:
tests/differential and the --opa-url server (tests/support/opa_data_api.py). A uniquely named
module, not conftest.py (see cli_support.py).

Without the package those tests are skipped with the install hint (pytest's summary shows it);
under CI (`CI=true`) they fail, as the browser tests do without chromium.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

INSTALL_HINT = (
    "OPA's engine is not installed: run `.venv/bin/pip install --ignore-requires-python "
    "opa-golib-python-bindings==0.4.4` (.ci/run does it)"
)


def opa_engine_class() -> Any:
    """OpaEngine, or skip (fail under CI) with the install hint."""
    try:
        from opa_bindings import OpaEngine
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{INSTALL_HINT} (CI=true: the tests against OPA must run)")
        pytest.skip(INSTALL_HINT)
    return OpaEngine
