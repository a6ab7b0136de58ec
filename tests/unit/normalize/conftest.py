"""Fixtures for the normalize tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from normalize_helpers import CORPUS, JSON_FORMATS, make_doc

from procgate.model import Document


@pytest.fixture
def corpus() -> Callable[[str], Document]:
    """corpus("cyclonedx-json/x.json") -> Document of that corpus file."""

    def build(name: str) -> Document:
        return make_doc(CORPUS / name, JSON_FORMATS[name.split("/", 1)[0]])

    return build
