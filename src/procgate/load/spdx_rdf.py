"""SPDX 2.x RDF/XML -> the shape of SPDX 2.x JSON, through spdx-tools.

RDF/XML is rare (one corpus file) and its triples have no fixed element layout, so
procgate does not read it itself: spdx-tools builds its model from an rdflib graph and
converts that model to the JSON shape. The XML has already passed procgate's safe lxml
parse (no entities), so rdflib never sees an entity. When spdx-tools cannot read a file
the result is a parse.error naming spdx-tools' reason: a file that cannot be read cannot
be checked, and a gate must not pass what it could not check. Positions are those of the
elements that carry each package's, file's or snippet's SPDX id (rdf:about="…#SPDXRef-…").
"""

from __future__ import annotations

from typing import Any

from procgate import rules
from procgate.load.marks import MarkLocator
from procgate.load.source import LoadProblem

_SPDX_TERMS = "http://spdx.org/rdf/terms#"
_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"


def is_spdx(root: Any) -> bool:
    return any(isinstance(e.tag, str) and e.tag.startswith("{" + _SPDX_TERMS) for e in root.iter())


def convert(content: bytes, root: Any) -> tuple[dict[str, Any], MarkLocator]:
    # Imported here: rdflib and spdx-tools take ~0.4 s to import, paid only for RDF files.
    from rdflib import Graph
    from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter
    from spdx_tools.spdx.parser.rdf.rdf_parser import translate_graph_to_document

    try:
        graph = Graph().parse(data=content, format="xml")
        data = DocumentConverter().convert(translate_graph_to_document(graph))
    except Exception as e:  # spdx-tools raises many types; all mean "could not read it"
        reason = str(getattr(e, "messages", None) or e).strip()[:300]
        raise LoadProblem(
            rules.PARSE_ERROR, f"SPDX RDF/XML could not be read (spdx-tools: {reason})"
        ) from e
    return data, _locator(data, root)


def _locator(data: dict[str, Any], root: Any) -> MarkLocator:
    lines: dict[str, int] = {}
    for element in root.iter():
        about = element.get(_ABOUT) if isinstance(element.tag, str) else None
        if about and "#" in about:
            lines.setdefault(about.rsplit("#", 1)[1], element.sourceline or 1)
    locator = MarkLocator(data, (root.sourceline or 1, 1))
    for key in ("packages", "files", "snippets"):
        items = data.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            line = lines.get(item.get("SPDXID", "")) if isinstance(item, dict) else None
            if line:
                locator.mark(items, i, line, 0)
    return locator
