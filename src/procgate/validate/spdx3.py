"""SPDX 3 JSON-LD: structure only.

No installed library validates SPDX 3 (its official check is a SHACL model), so
procgate checks only what the normalizer relies on: an @context, an @graph list, and
elements that are objects with a type. Anything richer would be procgate's own reading
of the model, reported as if it were the standard's.
"""

from __future__ import annotations

from collections.abc import Iterator

from procgate.model import Document
from procgate.validate.messages import Problem


def validate(doc: Document) -> Iterator[Problem]:
    data = doc.data
    graph = data.get("@graph") if isinstance(data, dict) else None
    if not isinstance(graph, list):
        yield Problem("/@graph", "@graph: must be a list of SPDX 3 elements")
        return
    for i, element in enumerate(graph):
        if not isinstance(element, dict):
            yield Problem(f"/@graph/{i}", f"@graph[{i}]: must be an object, not {element!r:.40}")
        elif not isinstance(element.get("type", element.get("@type")), str):
            yield Problem(f"/@graph/{i}", f"@graph[{i}]: missing required field 'type'")
