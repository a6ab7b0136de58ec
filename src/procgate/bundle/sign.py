"""Signing a bundle the way OPA does (`opa build --signing-key`, docs "Signing").

`.signatures.json` is {"signatures": [JWT]}: one JWS whose header carries `alg` and `kid`
and whose payload lists every other file of the bundle with its hash:

    {"files": [{"name": ".manifest", "hash": "…", "algorithm": "SHA-256"}, …],
     "keyid": "default", "scope": "…"}

(`keyid` in the payload is deprecated in OPA but still read by older versions; `scope` only
when given.) An OPA server configured with the public key (or the HS* secret) verifies it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from procgate.bundle import ALGORITHMS
from procgate.bundle.hashing import DEFAULT_ALGORITHM, file_hash
from procgate.bundle.keys import signing_key
from procgate.bundle.layout import SIGNATURES
from procgate.errors import BundleError


def signatures(
    entries: Mapping[str, bytes], key_file: Path, algorithm: str, key_id: str, scope: str = ""
) -> bytes:
    """The `.signatures.json` for a bundle holding `entries` (its manifest included)."""
    import jwt

    if algorithm not in ALGORITHMS:
        raise BundleError(
            f"unknown signing algorithm {algorithm!r}", f"use one of {', '.join(ALGORITHMS)}"
        )
    key = signing_key(key_file, algorithm)
    files = [
        {"name": name, "hash": file_hash(name, entries[name]), "algorithm": DEFAULT_ALGORITHM}
        for name in sorted(entries)
        if name != SIGNATURES
    ]
    payload: dict[str, object] = {"files": files}
    if key_id:
        payload["keyid"] = key_id
    if scope:
        payload["scope"] = scope
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    try:
        token = jwt.api_jws.encode(
            body, key, algorithm=algorithm, headers={"kid": key_id} if key_id else None
        )
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise BundleError(f"cannot sign with {key_file} ({algorithm}): {exc}") from exc
    return json.dumps({"signatures": [token]}, indent=1).encode("utf-8")
