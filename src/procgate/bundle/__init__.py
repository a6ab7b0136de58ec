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

from procgate.bundle.archive import MAX_MEMBER_BYTES, MAX_MEMBERS, read_archive, write_archive
from procgate.bundle.layout import (
    DATA,
    LISTS,
    MANIFEST,
    SIGNATURES,
    digest,
    manifest,
    policy_entries,
)
from procgate.bundle.read import Unpacked, read_bundle, unpacked
from procgate.bundle.write import write_bundle
from procgate.errors import BundleError

__all__ = [
    "DATA", "LISTS", "MANIFEST", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "SIGNATURES", "BundleError",
    "Unpacked", "digest", "manifest", "policy_entries", "read_archive", "read_bundle",
    "unpacked", "write_archive", "write_bundle",
]

