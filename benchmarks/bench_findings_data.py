"""Generated SBOMs for bench_findings.py: `n` components of which `banned` name
`AO Kaspersky Lab` as supplier (spread evenly), the rest an ordinary mix of suppliers.

    cyclonedx_json(n, banned, path)   CycloneDX 1.5 JSON (the shape of bench_check.make_sbom)
    spdx_json(n, banned, path)        SPDX 2.3 JSON: packages, purl/CPE refs, relationships
    cyclonedx_xml(n, banned, path)    CycloneDX 1.5 XML

Deterministic for a given (n, banned): runs in the same table compare the same files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

BANNED = "AO Kaspersky Lab"
SUPPLIERS = [
    "Red Hat, Inc.",
    "Microsoft Corporation",
    "The Apache Software Foundation",
    "Debian",
    "Google LLC",
    "Oracle Corporation",
    "Pallets",
    "Canonical Ltd.",
]
AUTHORS = ["Jane Doe <jane@example.org>", "Python Packaging Authority", "Joe Smith"]
NAMESPACES = ["org.apache", "com.google", "io.netty", "org.example.lib"]


def _is_banned(i: int, n: int, banned: int) -> bool:
    """`banned` of the n indexes, evenly spaced."""
    return banned > 0 and (i * banned) // n != ((i + 1) * banned) // n


def _rows(n: int, banned: int, seed: int = 7):  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    for i in range(n):
        ns = rnd.choice(NAMESPACES)
        supplier = BANNED if _is_banned(i, n, banned) else rnd.choice(SUPPLIERS)
        yield i, ns, f"lib-{i}", f"1.{i % 50}.0", supplier, rnd.choice(AUTHORS)


def cyclonedx_components(n: int, banned: int) -> list[dict[str, Any]]:
    """The components of cyclonedx_json (bench_check.make_sbom starts from banned=0)."""
    return [
        {
            "type": "library",
            "bom-ref": f"c{i}",
            "name": name,
            "version": version,
            "purl": f"pkg:maven/{ns}/{name}@{version}",
            "cpe": f"cpe:2.3:a:{ns.split('.')[-1]}:{name}:{version}:*:*:*:*:*:*:*",
            "supplier": {"name": supplier},
            "author": author,
            "description": "A library that does one thing well. " * 3,
            "hashes": [{"alg": "SHA-256", "content": f"{i:064x}"}],
            "licenses": [{"license": {"id": "Apache-2.0"}}],
        }
        for i, ns, name, version, supplier, author in _rows(n, banned)
    ]


def write_cyclonedx(components: list[dict[str, Any]], path: Path) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {"timestamp": "2026-11-01T00:00:00Z"},
        "components": components,
    }
    path.write_text(json.dumps(bom, indent=1), encoding="utf-8")


def cyclonedx_json(n: int, banned: int, path: Path) -> None:
    write_cyclonedx(cyclonedx_components(n, banned), path)


def spdx_json(n: int, banned: int, path: Path) -> None:
    packages = [
        {
            "SPDXID": f"SPDXRef-Package-{i}",
            "name": name,
            "versionInfo": version,
            "supplier": f"Organization: {supplier}",
            "originator": f"Person: {author}",
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False,
            "licenseConcluded": "Apache-2.0",
            "licenseDeclared": "Apache-2.0",
            "copyrightText": "NOASSERTION",
            "description": "A library that does one thing well. " * 3,
            "checksums": [{"algorithm": "SHA256", "checksumValue": f"{i:064x}"}],
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:maven/{ns}/{name}@{version}",
                },
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe23Type",
                    "referenceLocator": (
                        f"cpe:2.3:a:{ns.split('.')[-1]}:{name}:{version}:*:*:*:*:*:*:*"
                    ),
                },
            ],
        }
        for i, ns, name, version, supplier, author in _rows(n, banned)
    ]
    relationships = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-Package-0",
        }
    ]
    relationships += [
        {
            "spdxElementId": "SPDXRef-Package-0",
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": f"SPDXRef-Package-{i}",
        }
        for i in range(1, n)
    ]
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "generated",
        "documentNamespace": "https://example.org/spdx/generated-3e671687",
        "creationInfo": {"created": "2026-11-01T00:00:00Z", "creators": ["Tool: bench"]},
        "packages": packages,
        "relationships": relationships,
    }
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")


def cyclonedx_xml(n: int, banned: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" '
            'serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">\n'
            "  <metadata><timestamp>2026-11-01T00:00:00Z</timestamp></metadata>\n"
            "  <components>\n"
        )
        for i, ns, name, version, supplier, author in _rows(n, banned):
            cpe = f"cpe:2.3:a:{ns.split('.')[-1]}:{name}:{version}:*:*:*:*:*:*:*"
            out.write(
                f'    <component type="library" bom-ref="c{i}">\n'
                f"      <supplier><name>{escape(supplier)}</name></supplier>\n"
                f"      <author>{escape(author)}</author>\n"
                f"      <name>{name}</name>\n"
                f"      <version>{version}</version>\n"
                f"      <description>{'A library that does one thing well. ' * 3}</description>\n"
                f'      <hashes><hash alg="SHA-256">{i:064x}</hash></hashes>\n'
                f"      <licenses><license><id>Apache-2.0</id></license></licenses>\n"
                f"      <cpe>{cpe}</cpe>\n"
                f"      <purl>pkg:maven/{ns}/{name}@{version}</purl>\n"
                f"    </component>\n"
            )
        out.write("  </components>\n</bom>\n")


FORMATS = {
    "cyclonedx-json": (cyclonedx_json, ".cdx.json"),
    "spdx-json": (spdx_json, ".spdx.json"),
    "cyclonedx-xml": (cyclonedx_xml, ".cdx.xml"),
}
