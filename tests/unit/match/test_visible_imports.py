"""The pre-commit path: folding look-alike letters reads confusable-homoglyphs' data files
without importing its modules, which pull in urllib.request, ssl, http and email (issue 11:
~12% of a one-request `procgate check`)."""

from __future__ import annotations

import subprocess
import sys

from confusable_homoglyphs import categories, confusables

from procgate.match import visible

PROBE = """
import sys
from procgate.match.visible import seen, shape
assert seen("Каѕреrѕkу Lab") == "Kaspersky Lab", seen("Каѕреrѕkу Lab")
assert shape("НЕХ") == "HEX"
heavy = sorted(m for m in ("ssl", "urllib.request", "http.client", "confusable_homoglyphs")
               if m in sys.modules)
print(",".join(heavy))
"""


def test_folding_imports_no_network_modules() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_scripts_are_the_packages_own() -> None:
    for code in [*range(0x80, 0x3400, 3), 0x4E00, 0xAC00, 0x1D400, 0xE0001, 0x10FFFF]:
        char = chr(code)
        assert visible.script(char) == categories.alias(char), hex(code)


def test_look_alikes_are_the_packages_own() -> None:
    table = visible.prototypes()
    assert table["а"] == "a" and table["Η"] == "H"  # Cyrillic a, Greek Eta
    assert set(table) <= set(confusables.confusables_data)
