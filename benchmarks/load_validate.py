"""Load and validate a generated 100k-component CycloneDX 1.5 SBOM (~40 MB), beside plain
orjson.loads and json.loads of the same bytes in the same run.

    .venv/bin/python benchmarks/load_validate.py [COMPONENTS]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import orjson

from procgate.load import load
from procgate.validate import validate


def sbom(components: int) -> dict:
    """A schema-valid CycloneDX 1.5 SBOM shaped like real tool output."""
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2024-05-01T12:00:00Z",
            "component": {"type": "application", "name": "big-app", "version": "1.0"},
        },
        "components": [
            {
                "type": "library",
                "bom-ref": f"pkg:npm/%40scope{i % 97}/package-{i}@1.{i % 10}.{i % 7}",
                "group": f"@scope{i % 97}",
                "name": f"package-{i}",
                "version": f"1.{i % 10}.{i % 7}",
                "supplier": {"name": f"Supplier {i % 1000} Inc."},
                "licenses": [{"license": {"id": "MIT"}}],
                "hashes": [{"alg": "SHA-256", "content": f"{i:064x}"}],
                "purl": f"pkg:npm/%40scope{i % 97}/package-{i}@1.{i % 10}.{i % 7}",
            }
            for i in range(components)
        ],
    }


def timed(label: str, fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:44} {best:7.3f} s")
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.cdx.json"
        path.write_text(json.dumps(sbom(n), indent=2))
        print(f"{n} components, {path.stat().st_size / 2**20:.1f} MiB")
        timed("orjson.loads(read_bytes)", lambda: orjson.loads(path.read_bytes()))
        timed("json.loads(read_text)", lambda: json.loads(path.read_text()))
        doc = timed("procgate load()", lambda: load(path))
        findings = timed("procgate validate()", lambda: validate(doc))
        print(f"findings: {len(findings)}")
        start = time.perf_counter()
        line, _ = doc.locator(f"/components/{n - 1}/supplier/name")
        print(
            f"{'first position (last component)':44} {time.perf_counter() - start:7.3f} s"
            f"  -> line {line}"
        )
        start = time.perf_counter()
        for i in range(0, n, max(1, n // 1000)):
            doc.locator(f"/components/{i}/name")
        print(f"{'1000 more positions':44} {time.perf_counter() - start:7.3f} s")


if __name__ == "__main__":
    main()
