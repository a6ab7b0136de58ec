"""A clean one-request check (the pre-commit path) compares no two words and folds no
look-alike letters: it neither imports rapidfuzz nor reads the confusables table (together
about a sixth of that check's CPU before they became lazy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import sys
from procgate.cli import main
from procgate.match import visible
sys.argv = ["procgate", "check", sys.argv[1]]
try:
    main()
except SystemExit as e:
    code = e.code
print("exit", code)
print("rapidfuzz", "rapidfuzz" in sys.modules)
print("confusables read", visible.prototypes.cache_info().currsize)
"""


def test_clean_request_needs_neither_rapidfuzz_nor_the_confusables_table() -> None:
    request = ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml"
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(request)], capture_output=True, text=True, check=True
    ).stdout
    assert "exit 0" in out, out
    assert "rapidfuzz False" in out, out
    assert "confusables read 0" in out, out


def test_a_typo_still_loads_rapidfuzz_and_is_caught(tmp_path: Path) -> None:
    """The lazy import is still taken when a word is one edit from a listed one."""
    request = tmp_path / "pr.yaml"
    text = (ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml").read_text()
    assert "  name: CDW Government LLC\n" in text
    typo = text.replace("  name: CDW Government LLC\n", "  name: Kasperskyy Lab\n")
    request.write_text(typo, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(request)], capture_output=True, text=True, check=True
    ).stdout
    assert "rapidfuzz True" in out, out
    assert "exit 1" in out, out  # denied: "Kasperskyy Lab" matched by spelling (score 0.93)
