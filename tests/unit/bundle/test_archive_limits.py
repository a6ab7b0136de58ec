"""Archives with a bounded cost: headers that claim huge sizes, too many members, chains of
extended headers, names that would flood a message (issue 17, item 4)."""

from __future__ import annotations

import io
import tarfile
import zlib
from pathlib import Path

import pytest
from bundle_support import claimed_header_bomb

from procgate.bundle import MAX_MEMBERS, BundleError, read_archive
from procgate.bundle.archive import MAX_EXTENDED_BYTES, MAX_EXTENDED_IN_A_ROW, SHOWN_NAME


@pytest.mark.parametrize(
    ("kind", "what"),
    [
        (tarfile.GNUTYPE_LONGNAME, "GNU long-name"),
        (tarfile.GNUTYPE_LONGLINK, "GNU long-name"),
        (tarfile.XHDTYPE, "PAX"),
        (tarfile.XGLTYPE, "PAX"),
    ],
)
def test_a_header_claiming_a_billion_bytes_is_refused_from_the_header(
    tmp_path: Path, kind: bytes, what: str
) -> None:
    bomb = tmp_path / "bomb.tar.gz"
    bomb.write_bytes(claimed_header_bomb(kind, 10**9))
    assert bomb.stat().st_size < 1_500_000  # ~1 MB on disk, 10^9 bytes unpacked
    with pytest.raises(
        BundleError, match=f"a {what} header of 1000000000 bytes; the limit is {MAX_EXTENDED_BYTES}"
    ):
        read_archive(bomb)


def test_the_claimed_header_bomb_really_unpacks_to_its_claim(tmp_path: Path) -> None:
    """The input above is what it says: a gzip stream of the header plus 10^9 bytes (read
    back here in 1 MiB pieces, for 10^7 bytes, which is enough to see the pattern hold)."""
    raw = claimed_header_bomb(tarfile.GNUTYPE_LONGNAME, 10**7)
    stream = zlib.decompressobj(-15)
    body = stream.decompress(raw[10:-8])
    assert len(body) == 512 + 10**7 + (-(10**7) % 512) + 1024
    assert tarfile.TarInfo.frombuf(body[:512], "utf-8", "surrogateescape").size == 10**7
    assert set(body[512 : 512 + 10**7]) == {ord("a")}


def _tar(tmp_path: Path, members: list[tarfile.TarInfo], fmt: int = tarfile.PAX_FORMAT) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=fmt) as tar:
        for info in members:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    path = tmp_path / "a.tar.gz"
    path.write_bytes(buffer.getvalue())
    return path


def _dir(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    return info


def test_the_number_of_members_is_limited_folders_included(tmp_path: Path) -> None:
    path = _tar(tmp_path, [_dir(f"d{i}") for i in range(MAX_MEMBERS + 1)], tarfile.USTAR_FORMAT)
    with pytest.raises(BundleError, match=f"more than {MAX_MEMBERS} members"):
        read_archive(path)


def test_a_chain_of_extended_headers_is_refused_not_recursed(tmp_path: Path) -> None:
    """tarfile follows each long-name header to the next recursively: 10^4 of them in a row
    would end in a RecursionError; the chain is cut long before."""
    one = tarfile.TarInfo("././@LongLink")
    one.type, one.size = tarfile.GNUTYPE_LONGNAME, 512
    block = one.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape") + b"n" * 512
    path = tmp_path / "chain.tar.gz"
    path.write_bytes(zlib.compress(block * 10_000, wbits=31))
    with pytest.raises(BundleError, match=f"more than {MAX_EXTENDED_IN_A_ROW} extended"):
        read_archive(path)


def test_a_sparse_member_is_refused(tmp_path: Path) -> None:
    info = tarfile.TarInfo("policies/p.rego")
    info.type = tarfile.GNUTYPE_SPARSE
    path = tmp_path / "sparse.tar.gz"
    path.write_bytes(
        zlib.compress(
            info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape") + b"\0" * 1024, wbits=31
        )
    )
    with pytest.raises(BundleError, match="sparse"):
        read_archive(path)


def test_names_in_messages_are_cut(tmp_path: Path) -> None:
    info = tarfile.TarInfo("../" + "a" * 60_000)  # within the header limit, but refused
    path = _tar(tmp_path, [info])
    with pytest.raises(BundleError) as caught:
        read_archive(path)
    message = caught.value.diagnostics()
    assert "points outside the bundle" in message and "60003 characters" in message
    assert len(message) < len(str(path)) + SHOWN_NAME + 200


def test_a_leading_slash_is_the_bundle_root_as_opa_writes_it(tmp_path: Path) -> None:
    info = tarfile.TarInfo("/policies/p.rego")
    info.size = 3
    assert set(read_archive(_tar(tmp_path, [info]))) == {"policies/p.rego"}
