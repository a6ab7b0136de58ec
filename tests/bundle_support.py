"""For bundle tests: throw-away signing keys (made with `cryptography` in the test's folder)
and hostile archives."""

from __future__ import annotations

import secrets
import struct
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


@dataclass(frozen=True)
class KeyPair:
    private: Path  # what `procgate bundle --signing-key` takes
    public: Path  # what `procgate check --verification-key` takes (the secret, for HS*)
    algorithm: str


def rsa_pair(folder: Path, name: str = "rsa", bits: int = 2048) -> KeyPair:
    return _pair(folder, name, rsa.generate_private_key(65537, bits), "RS256")


def ec_pair(folder: Path, name: str = "ec") -> KeyPair:
    return _pair(folder, name, ec.generate_private_key(ec.SECP256R1()), "ES256")


def hmac_secret(folder: Path, name: str = "hs", size: int = 32) -> KeyPair:
    file = folder / f"{name}.secret"
    file.write_text(secrets.token_hex(size))
    return KeyPair(file, file, "HS256")


def _pair(
    folder: Path, name: str, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, algorithm: str
) -> KeyPair:
    private, public = folder / f"{name}-private.pem", folder / f"{name}-public.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return KeyPair(private, public, algorithm)


def acme_bundle(run_cli, folder: Path) -> tuple[Path, KeyPair]:
    """A bundle signed with key id `acme`, built by `procgate bundle` from a config naming
    an organisation's own list (the one in policies/data/README.md: acme-no-kaspersky)."""
    own = folder / "bans" / "acme.yaml"
    own.parent.mkdir()
    readme = Path(__file__).resolve().parents[1] / "policies" / "data" / "README.md"
    own.write_text(readme.read_text().split("```yaml\n", 1)[1].split("```", 1)[0])
    (folder / "procgate.yaml").write_text("data: [bans/acme.yaml]\naudience: acme-retail\n")
    keys = rsa_pair(folder)
    bundle = folder / "b.tar.gz"
    signed = run_cli(
        "bundle", "-o", bundle, "--signing-key", keys.private, "--key-id", "acme", cwd=folder
    )
    assert signed.exit_code == 0, signed.output
    return bundle, keys


def bundle_consumer(folder: Path, bundle: Path, keys: KeyPair) -> Path:
    """A folder whose procgate.yaml names only that bundle and its verification key."""
    consumer = folder / "consumer"
    consumer.mkdir()
    (consumer / "procgate.yaml").write_text(
        f"bundle: {bundle}\naudience: acme-retail\n"
        f"bundle-verification:\n  keys:\n    acme: {{key: {keys.public}}}\n"
    )
    return consumer


MiB = 2**20


def claimed_header_bomb(kind: bytes, size: int) -> bytes:
    """A .tar.gz whose first header (GNU long name `L` or PAX `x`) claims `size` bytes, and
    then holds them (`a` repeated): 10^9 bytes in about 1 MB. The deflate stream repeats one
    block compressed after a full flush, which makes it independent of what came before.
    The gzip trailer's CRC is not computed (it would take a pass over 10^9 bytes): a reader
    that got that far has already lost."""
    info = tarfile.TarInfo("././@LongLink")
    info.type, info.size = kind, size
    header = info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape")
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [deflate.compress(header), deflate.flush(zlib.Z_FULL_FLUSH)]
    chunk = b"a" * MiB
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # what makes the repetition valid
    full, rest = divmod(size, MiB)
    parts += [block] * full
    padding = b"\0" * (-size % 512) + b"\0" * 1024  # to a block, then the end of the archive
    parts += [deflate.compress(b"a" * rest + padding), deflate.flush()]
    trailer = struct.pack("<II", 0, size & 0xFFFFFFFF)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"".join(parts) + trailer
