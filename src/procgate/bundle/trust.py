"""Which bundles a check trusts: verification keys, key id, scope, and the explicit opt-out.

Read by config.py from procgate.yaml and the command line; light on purpose (no crypto
imports), since every check reads the config.

    bundle-verification:            # procgate.yaml; paths relative to it
      keyid: release-2026           # optional: this key, whatever the bundle's `kid` says
      scope: procurement            # optional: the signature's `scope` must equal it
      keys:
        release-2026: {key: keys/bundle-public.pem, algorithm: RS256}
        ci: {key: keys/bundle.secret, algorithm: HS256, scope: ci}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procgate.bundle import ALGORITHMS
from procgate.errors import ConfigError

if TYPE_CHECKING:
    from procgate.config import Flags

DEFAULT_ALGORITHM = "RS256"  # OPA's default
DEFAULT_KEY_ID = "default"  # OPA's default --verification-key-id


@dataclass(frozen=True)
class VerificationKey:
    id: str
    file: Path  # a PEM public key (RS*, PS*, ES*) or the shared secret's bytes (HS*)
    algorithm: str = DEFAULT_ALGORITHM
    scope: str = ""


@dataclass(frozen=True)
class Trust:
    keys: tuple[VerificationKey, ...] = ()
    key_id: str = ""  # the key to use; empty: the bundle's `kid` (or its payload's `keyid`)
    scope: str = ""  # the scope the signature must carry; empty: the key's own
    allow_unsigned: bool = False  # --allow-unsigned-bundle: use it, but never its Python


def trust_from(raw: Any, base: Path, flags: Flags, cwd: Path) -> Trust:
    """The config's `bundle-verification` (paths relative to the config file) with the
    command line's --verification-key[-id], --verification-alg, --verification-scope and
    --allow-unsigned-bundle. A key given on the command line is the one used, as in OPA."""
    raw = raw or {}
    keys = [
        VerificationKey(
            kid, base / spec["key"], spec.get("algorithm", DEFAULT_ALGORITHM), spec.get("scope", "")
        )
        for kid, spec in sorted((raw.get("keys") or {}).items())
    ]
    key_id = raw.get("keyid", "")
    if flags.verification_key:
        key_id = flags.verification_key_id or DEFAULT_KEY_ID
        keys = [k for k in keys if k.id != key_id]
        keys.append(
            VerificationKey(
                key_id,
                cwd / flags.verification_key,
                flags.verification_alg or DEFAULT_ALGORITHM,
            )
        )
    elif flags.verification_key_id:
        key_id = flags.verification_key_id
    for key in keys:
        if key.algorithm not in ALGORITHMS:
            raise ConfigError(
                f"verification key {key.id!r}: unknown algorithm {key.algorithm!r}",
                f"use one of {', '.join(ALGORITHMS)}",
            )
    if key_id and keys and key_id not in {k.id for k in keys}:
        raise ConfigError(
            f"bundle verification key id {key_id!r} is not configured",
            f"configured: {', '.join(k.id for k in keys)}",
        )
    return Trust(
        keys=tuple(keys),
        key_id=key_id,
        scope=flags.verification_scope or raw.get("scope", ""),
        allow_unsigned=flags.allow_unsigned_bundle,
    )
