"""Verifying a bundle's `.signatures.json` as OPA does (docs "Signature Verification").

1. exactly one JWT; its signature verifies with the configured key: the key named by the
   configuration (`keyid`, or --verification-key), else by the token's `kid` header, else by
   its payload's deprecated `keyid`; the algorithm is the key's, never the token's choice;
2. its `scope` equals the configured one (both may be empty);
3. its `files` and the bundle's files (all but `.signatures.json`) are the same set, and
   every file's hash matches.

    verify(entries, trust, path) -> the id of the key that verified it, or None when the
                                    bundle is used unverified (--allow-unsigned-bundle)
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from procgate.bundle.archive import shown
from procgate.bundle.hashing import file_hash
from procgate.bundle.keys import verification_key
from procgate.bundle.layout import SIGNATURES
from procgate.bundle.trust import Trust, VerificationKey
from procgate.errors import BundleError

_SIGN_HINT = (
    "sign it: procgate bundle -o FILE --signing-key KEY; or, to use it unverified, "
    "pass --allow-unsigned-bundle (a bundle holding Python policies is refused then)"
)


def verify(entries: Mapping[str, bytes], trust: Trust, path: Path) -> str | None:
    raw = entries.get(SIGNATURES)
    if raw is None:
        if trust.allow_unsigned:
            return None
        raise BundleError(f"{path} is not signed (it has no {SIGNATURES})", _SIGN_HINT)
    if not trust.keys:
        if trust.allow_unsigned:
            return None
        raise BundleError(
            f"{path} is signed, but no key to verify it is configured",
            "pass --verification-key FILE (and --verification-alg), or set "
            "bundle-verification: keys: in procgate.yaml",
        )
    token = _token(raw, path)
    payload, key_id = _verified_payload(token, trust, path)
    _check_files(payload, entries, path)
    return key_id


def _token(raw: bytes, path: Path) -> str:
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"{path}: {SIGNATURES} is not JSON") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("signatures"), list):
        raise BundleError(f'{path}: {SIGNATURES} has no "signatures" list')
    if doc.get("plugin"):
        raise BundleError(
            f"{path}: signed by the signing plugin {str(doc['plugin'])[:80]!r}, "
            "which procgate does not have"
        )
    tokens = doc["signatures"]
    if len(tokens) != 1 or not isinstance(tokens[0], str):
        raise BundleError(
            f"{path}: {SIGNATURES} must hold exactly one JWT (it holds {len(tokens)} entries)"
        )
    return tokens[0]


def _verified_payload(token: str, trust: Trust, path: Path) -> tuple[dict[str, Any], str]:
    import jwt

    try:
        header = jwt.get_unverified_header(token)
        unverified = _payload(
            jwt.api_jws.decode_complete(token, options={"verify_signature": False})["payload"], path
        )
    except jwt.PyJWTError as exc:
        raise BundleError(f"{path}: the signature is not a readable JWT: {exc}") from exc
    key = _key(trust, header, unverified, path)
    secret = verification_key(key.file, key.algorithm, key.id)
    try:
        with warnings.catch_warnings():  # a short HS secret: OPA accepts it; so do we
            warnings.simplefilter("ignore")
            verified = jwt.api_jws.decode_complete(token, secret, algorithms=[key.algorithm])
    except jwt.InvalidAlgorithmError as exc:
        raise BundleError(
            f"{path}: signed with {str(header.get('alg'))[:20]}, but key "
            f"{key.id!r} is configured for {key.algorithm}"
        ) from exc
    except jwt.InvalidSignatureError as exc:
        raise BundleError(
            f"{path}: the signature does not verify with key {key.id!r} ({key.file})",
            "the bundle was changed or signed with another key",
        ) from exc
    except jwt.PyJWTError as exc:
        raise BundleError(f"{path}: the signature cannot be verified: {exc}") from exc
    payload = _payload(verified["payload"], path)
    want = trust.scope or key.scope
    got = payload.get("scope", "")
    if got != want:
        raise BundleError(
            f"{path}: the signature's scope {str(got)[:80]!r} is not the configured {want!r}"
        )
    return payload, key.id


def _payload(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"{path}: the signature's payload is not JSON") from exc
    if not isinstance(payload, dict):
        raise BundleError(f"{path}: the signature's payload is not a JSON object")
    return payload


def _key(
    trust: Trust, header: dict[str, Any], payload: dict[str, Any], path: Path
) -> VerificationKey:
    wanted = trust.key_id or header.get("kid") or payload.get("keyid") or ""
    by_id = {k.id: k for k in trust.keys}
    if not wanted and len(trust.keys) == 1:
        return trust.keys[0]
    if not isinstance(wanted, str) or wanted not in by_id:
        named = f"key id {str(wanted)[:80]!r}" if wanted else "no key id"
        raise BundleError(
            f"{path}: signed with {named}, which is not a configured "
            f"verification key ({', '.join(sorted(by_id))})"
        )
    return by_id[wanted]


def _check_files(payload: dict[str, Any], entries: Mapping[str, bytes], path: Path) -> None:
    listed = payload.get("files")
    if not isinstance(listed, list):
        raise BundleError(f"{path}: the signature lists no files")
    signed: dict[str, dict[str, Any]] = {}
    for item in listed:
        if not (
            isinstance(item, dict)
            and all(isinstance(item.get(k), str) for k in ("name", "hash", "algorithm"))
        ):
            raise BundleError(
                f"{path}: the signature lists a file without a name, hash and algorithm"
            )
        if item["name"] in signed:
            raise BundleError(f"{path}: the signature lists {shown(item['name'])} twice")
        signed[item["name"]] = item
    present = [n for n in entries if n != SIGNATURES]
    unsigned = sorted(set(present) - set(signed))
    if unsigned:
        more = f" and {len(unsigned) - 1} more" if len(unsigned) > 1 else ""
        raise BundleError(
            f"{path}: {shown(unsigned[0])}{more} not covered by the signature",
            "a file was added after signing; rebuild and sign the bundle",
        )
    missing = sorted(set(signed) - set(present))
    if missing:
        raise BundleError(
            f"{path}: the signature lists {shown(missing[0])}, which the bundle does not hold"
        )
    for name in sorted(present):
        item = signed[name]
        actual = file_hash(name, entries[name], item["algorithm"])
        try:
            expected = bytes.fromhex(item["hash"])
        except ValueError:
            expected = b""
        if bytes.fromhex(actual) != expected:
            raise BundleError(
                f"{path}: {shown(name)} does not match its signed hash",
                "the file was changed after signing",
            )
