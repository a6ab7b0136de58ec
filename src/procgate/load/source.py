"""Bytes to text, safety limits, and offset -> (line, column): what every syntax shares."""

from __future__ import annotations

import codecs
import os
import re
import stat
from bisect import bisect_right
from pathlib import Path

from procgate import rules

MAX_BYTES = 256 * 1024 * 1024  # larger than any real SBOM; stops a runaway upload
MAX_DEPTH = 256  # nesting of YAML/XML (libxml2's own limit); JSON uses orjson's 1024
MAX_EXPANDED_NODES = 1_000_000  # YAML nodes counted with every alias expanded

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class LoadProblem(Exception):
    """A file that cannot become a Document. Raised inside load/, turned into a Finding
    at its boundary (load_bytes): callers never see it."""

    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.column = column


def read_regular(path: Path, limit: int = MAX_BYTES, *, prefix: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes: the one way load/ reads a file.

    A device (/dev/zero), FIFO, socket or folder is refused before a byte is read, and the
    read itself stops after `limit` bytes (a file that grows while read cannot get past it).
    The file is opened without blocking, so a FIFO cannot hang the run, and checked again
    once open, so a file swapped for a FIFO between the two looks is refused too.
    Raises LoadProblem for what is not a readable regular file within the limit; OSError
    (FileNotFoundError, a symlink loop) for what the system refuses. `prefix`: only the
    first that many bytes (the size limit is still checked)."""
    _regular(os.stat(path).st_mode, path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        _regular(info.st_mode, path)
        if info.st_size > limit:
            raise LoadProblem(rules.PARSE_LIMIT, too_large(info.st_size, limit))
        chunks: list[bytes] = []
        total = 0
        wanted = limit + 1 if prefix is None else prefix
        while total < wanted and (chunk := os.read(fd, min(1 << 24, wanted - total))):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise LoadProblem(rules.PARSE_LIMIT, too_large(total, limit))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _regular(mode: int, path: Path) -> None:
    if stat.S_ISREG(mode):
        return
    what = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    raise LoadProblem(rules.PARSE_ERROR, f"{what}, not a regular file: procgate reads only files")


def too_large(size: int, limit: int = MAX_BYTES) -> str:
    over = "over " if size == limit + 1 else ""  # a read stopped there: the size is a floor
    return f"file is {over}{size / 2**20:.0f} MiB; procgate reads files up to {limit // 2**20} MiB"


def encoding_of(content: bytes) -> tuple[str, int]:
    """(codec, length of the byte-order mark). UTF-16/32 without a BOM are recognised by
    the zero bytes around the first ASCII characters, as RFC 4627 did for JSON."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec, len(bom)
    head = content[:4]
    if len(head) == 4:
        if head[0] == 0 and head[1] == 0 and head[2] == 0 and head[3]:
            return "utf-32-be", 0
        if head[0] and head[1] == 0 and head[2] == 0 and head[3] == 0:
            return "utf-32-le", 0
        if head[0] == 0 and head[1] and head[2] == 0 and head[3]:
            return "utf-16-be", 0
        if head[0] and head[1] == 0 and head[2] and head[3] == 0:
            return "utf-16-le", 0
    return "utf-8", 0


def decode(content: bytes, codec: str, bom: int) -> str:
    """The file as text, or a parse.error naming the line of the first bad byte."""
    body = content[bom:]
    if codec == "utf-8" and b"\x00" in body[:8192]:
        raise LoadProblem(rules.PARSE_ERROR, "binary file: this is not a text document")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as e:
        good = body[: e.start].decode(codec, errors="replace")
        line, column = line_col(good, len(good))
        raise LoadProblem(
            rules.PARSE_ERROR,
            f"not valid {codec.upper()} text (byte 0x{body[e.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from e
    if "\x00" in text:
        raise LoadProblem(rules.PARSE_ERROR, "binary file: this is not a text document")
    return text


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class LineIndex:
    """Offset -> (line, column) for many look-ups in a large text: counts newlines only
    from the nearest offset already looked up, so looking up N positions in order costs
    one pass over the text, not N."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offsets: list[int] = [0]
        self._lines: list[int] = [1]

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._offsets, offset) - 1
        base, line = self._offsets[i], self._lines[i]
        line += self._text.count("\n", base, offset)
        if self._offsets[i] != offset:
            self._offsets.insert(i + 1, offset)
            self._lines.insert(i + 1, line)
        return line, offset - (self._text.rfind("\n", 0, offset) + 1) + 1


def pointer_tokens(pointer: str) -> list[str]:
    """RFC 6901 reference tokens of a JSON pointer ("" is the whole document)."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


# Strings that mark a file as one of ours even when it does not parse: a broken SBOM in a
# folder walk is reported, a broken unrelated tsconfig.json is not.
_OURS = re.compile(
    rb"procgate/v1|PurchaseRequest|BanList|bomFormat|spdxVersion|SPDXVersion|"
    rb"cyclonedx\.org/schema/bom|spdx\.org/rdf"
)


def looks_like_ours(content: bytes) -> bool:
    codec, bom = encoding_of(content)
    head = content[bom : bom + 65536]
    if codec != "utf-8":
        head = head.decode(codec, errors="ignore").encode()
    return _OURS.search(head) is not None
