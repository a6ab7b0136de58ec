"""Key material for bundle signatures, read from files and checked against the algorithm.

RS*/PS*/ES* keys are PEM (a private key to sign; a public key or certificate to verify);
HS* keys are the file's bytes exactly, as OPA reads a secret from a file (a trailing newline
is part of the secret). Parsing is left to `cryptography`; nothing here is hand-made crypto.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from procgate.errors import BundleError

MAX_KEY_BYTES = 64 * 2**10
MIN_RSA_BITS = 2048
_CURVES = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}
_HMAC_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}  # RFC 7518 §3.2: at least the hash size


def read_key_file(file: Path, what: str) -> bytes:
    """A key file's bytes; only a regular file of reasonable size (never a FIFO or device)."""
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise BundleError(f"cannot read {what} {file}: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BundleError(f"{what} {file} is not a regular file")
        if info.st_size > MAX_KEY_BYTES:
            raise BundleError(f"{what} {file} is {info.st_size} bytes; a key is far smaller")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_KEY_BYTES + 1)
    finally:
        os.close(fd)
    if not data:
        raise BundleError(f"{what} {file} is empty")
    return data


def signing_key(file: Path, algorithm: str) -> Any:
    """What PyJWT signs with: the secret's bytes (HS*) or a private key object."""
    data = read_key_file(file, "signing key")
    if algorithm.startswith("HS"):
        _not_pem(data, file, algorithm)
        need = _HMAC_BYTES[algorithm]
        if len(data) < need:
            raise BundleError(
                f"signing key {file} is {len(data)} bytes; {algorithm} needs a secret of at "
                f"least {need} bytes (RFC 7518 §3.2)",
                f"e.g. python3 -c \"import secrets; print(secrets.token_hex({need}), end='')\""
                f" > {file}",
            )
        return data
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise BundleError(
            f"signing key {file} is not an unencrypted PEM private key: {str(exc)[:200]}",
            "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out bundle-private.pem",
        ) from exc
    _check_kind(key.public_key(), file, algorithm, "signing key")
    return key


def verification_key(file: Path, algorithm: str, key_id: str) -> Any:
    """What PyJWT verifies with: the secret's bytes (HS*) or a public key object."""
    what = f"verification key {key_id!r}"
    data = read_key_file(file, what)
    if algorithm.startswith("HS"):
        _not_pem(data, file, algorithm)
        return data
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    if b"PRIVATE KEY-----" in data:
        raise BundleError(
            f"{what} ({file}) is a private key",
            "give the public key: openssl pkey -in private.pem -pubout "
            "-out public.pem (and keep the private key out of the repository)",
        )
    key: object  # a certificate may hold key kinds a bare PEM key cannot (DH): _check_kind
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            key = x509.load_pem_x509_certificate(data).public_key()
        else:
            key = load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise BundleError(
            f"{what} ({file}) is not a PEM public key or certificate: {str(exc)[:200]}"
        ) from exc
    _check_kind(key, file, algorithm, what)
    return key


def _not_pem(data: bytes, file: Path, algorithm: str) -> None:
    if b"-----BEGIN" in data:
        raise BundleError(
            f"{file} is a PEM key, but {algorithm} takes a shared secret",
            "give the matching algorithm (RS256, PS256, ES256, ...)",
        )


def _check_kind(public: Any, file: Path, algorithm: str, what: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if algorithm[:2] in ("RS", "PS"):
        if not isinstance(public, rsa.RSAPublicKey):
            raise BundleError(f"{what} {file} is not an RSA key, which {algorithm} needs")
        if public.key_size < MIN_RSA_BITS:
            raise BundleError(
                f"{what} {file} is a {public.key_size}-bit RSA key; at least "
                f"{MIN_RSA_BITS} bits are needed"
            )
    elif algorithm[:2] == "ES":
        if not isinstance(public, ec.EllipticCurvePublicKey):
            raise BundleError(f"{what} {file} is not an EC key, which {algorithm} needs")
        if public.curve.name != _CURVES[algorithm]:
            raise BundleError(
                f"{what} {file} is on curve {public.curve.name}; {algorithm} "
                f"needs {_CURVES[algorithm]}"
            )
