"""OPA bundles: one pinned, signed, distributable version of the policies and ban lists.

    layout.py    what a bundle holds (policy_entries), its revision (digest), its .manifest
    archive.py   the .tar.gz: written reproducibly, read with bounded cost
    hashing.py   file hashes as OPA computes them for signatures
    keys.py      key files: PEM keys and HS* secrets, checked against the algorithm
    sign.py      .signatures.json, as `opa build --signing-key` writes it
    verify.py    checking it, as an OPA server configured with the key does
    trust.py     which keys a check trusts (config and command line)
    read.py      read_bundle / unpacked: what `check --bundle` uses
    write.py     write_bundle: manifest, signature and archive, for `procgate bundle`

Layout (an OPA server loads the .rego files and data.json and ignores the rest):

    .manifest                    {"revision": "sha256:…", "roots": ["banlist", "procgate", …]}
    .signatures.json             {"signatures": [JWT over every other file's hash]}
    data.json                    {"banlist": …}: what the Rego policies read as data.banlist
    policies/bans.rego           each policy folder under its own name
    policies/python/identifiers.py
    lists/us-government.yaml     the ban lists themselves: procgate's matcher needs every name
                                 and identifier, which data.json leaves out
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# OPA's signing algorithms (JWS): what both `opa build --signing-alg` and procgate accept.
# Here, not in trust.py: every command that takes --verification-alg lists them.
ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "HS256",
    "HS384",
    "HS512",
)

# Names are imported when first used: config.py and the command-line options import
# procgate.bundle.trust on every check, which must not pull in tar, hashing and crypto.
_WHERE = {
    "MAX_MEMBER_BYTES": "archive",
    "MAX_MEMBERS": "archive",
    "read_archive": "archive",
    "write_archive": "archive",
    "DATA": "layout",
    "LISTS": "layout",
    "MANIFEST": "layout",
    "SIGNATURES": "layout",
    "digest": "layout",
    "manifest": "layout",
    "policy_entries": "layout",
    "Unpacked": "read",
    "read_bundle": "read",
    "unpacked": "read",
    "write_bundle": "write",
}
__all__ = ["ALGORITHMS", "BundleError", *sorted(_WHERE)]


def __getattr__(name: str) -> Any:
    if name == "BundleError":
        from procgate.errors import BundleError

        return BundleError
    if name in _WHERE:
        return getattr(import_module(f"procgate.bundle.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'procgate.bundle' has no attribute {name!r}")
