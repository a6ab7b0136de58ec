"""Uploads read into memory, with limits enforced while the body streams in.

Starlette's own form parser spools files over 1 MiB to temporary files on disk; this one
never does: every part is collected in memory and the read stops at the first limit it
passes (size of one file, number of files, size of the whole body), before the rest of
the body has been read.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from procgate.serve.settings import Limits

if TYPE_CHECKING:  # defined for type checkers only
    from python_multipart.multipart import MultipartCallbacks

FILE_FIELDS = ("files",)  # file inputs; the page's textarea "text" is a document too
TEXT_FIELD = "text"
_MAX_FIELD_BYTES = 4096  # any non-document field (audience, date, text_name)
# Parts besides the files: the page sends five (text, text_name, audience, date, an empty
# file input). Each part costs Python calls, so their number is bounded before the body's size
# is (800,000 one-byte fields, 46 MB, cost 12 s of CPU).
_OTHER_PARTS = 16
_MAX_BOUNDARY = 256  # RFC 2046 allows 70; python-multipart refuses more than 256


class UploadError(Exception):
    """The request cannot be checked: said to the client with an HTTP status."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}  # what the page form had, to show it again


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    content: bytes


@dataclass
class Received:
    uploads: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def clean_name(raw: str, index: int) -> str:
    """A display name for an upload. Nothing is written to disk, but names appear in
    reports and SBOM references are resolved by them: no absolute paths, no '..'."""
    parts = [p for p in raw.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    name = "/".join(parts)[-200:].strip()
    return name or f"upload-{index}"


def unique(uploads: list[Upload]) -> list[Upload]:
    """Two uploads called pr.yaml become pr.yaml and pr (2).yaml."""
    seen: set[str] = set()
    out = []
    for u in uploads:
        name = u.name
        n = 2
        while name in seen:
            stem, ext = posixpath.splitext(u.name)
            name = f"{stem} ({n}){ext}"
            n += 1
        seen.add(name)
        out.append(Upload(name, u.content))
    return out


async def read_body(request: Request, limits: Limits) -> AsyncIterator[bytes]:
    """The body's chunks; refuses a declared or actual size over the limit."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise UploadError(400, "bad Content-Length header")
        if int(declared) > limits.max_body_bytes:
            raise UploadError(413, limits.body_message())
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limits.max_body_bytes:
            raise UploadError(413, limits.body_message())
        yield chunk


async def drain(request: Request, cap: int) -> None:
    """Read and drop what is left of a refused body (up to `cap` bytes) so that the client
    gets the refusal as a response instead of a reset connection."""
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > cap:
                return
    except Exception:  # the client went away, or the stream was consumed: nothing to drop
        return


async def read_multipart(request: Request, limits: Limits) -> Received:
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadError(400, "multipart/form-data without a boundary")
    if len(boundary) > _MAX_BOUNDARY:
        raise UploadError(400, f"the multipart boundary is longer than {_MAX_BOUNDARY} characters")
    parts = _Parts(limits)
    parser = MultipartParser(boundary, parts.callbacks())
    try:
        async for chunk in read_body(request, limits):
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise UploadError(400, f"the form data is malformed: {exc}") from exc
    except UploadError as exc:
        exc.fields = parts.received.fields
        raise
    return parts.received


class _Parts:
    """python-multipart callbacks that collect parts in memory and check the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.received = Received()
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._data = bytearray()
        self._name = ""
        self._filename: str | None = None
        self._parts = 0  # python-multipart itself bounds each part's headers (400)

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._add("_header_name", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_header_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _begin(self) -> None:
        self._parts += 1
        most = self.limits.max_files + _OTHER_PARTS
        if self._parts > most:
            raise UploadError(
                413,
                f"too many form fields: at most {most} parts may be sent "
                f"({self.limits.max_files} files and a few fields).",
            )
        self._headers, self._data = {}, bytearray()
        self._name, self._filename = "", None

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._filename = filename.decode("utf-8", "replace") if filename is not None else None
        # A file input with no file chosen still sends a part, with an empty file name:
        # not counted. Counted here, before the file's data is read.
        if self._filename and len(self.received.uploads) >= self.limits.max_files:
            raise UploadError(413, self.limits.count_message())

    def _is_document(self) -> bool:
        return self._name in FILE_FIELDS or self._filename is not None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]
        limit = (
            self.limits.max_file_bytes
            if self._is_document() or self._name == TEXT_FIELD
            else _MAX_FIELD_BYTES
        )
        if len(self._data) > limit:
            what = self._filename or self._name
            raise UploadError(413, self.limits.file_message(what))

    def _end(self) -> None:
        if self._filename is not None or self._name in FILE_FIELDS:
            if self._filename or self._data:
                index = len(self.received.uploads) + 1
                if index > self.limits.max_files:
                    raise UploadError(413, self.limits.count_message())
                name = clean_name(self._filename or "", index)
                self.received.uploads.append(Upload(name, bytes(self._data)))
        else:
            self.received.fields[self._name] = self._data.decode("utf-8", "replace")


async def read_json_documents(request: Request, limits: Limits) -> list[Upload]:
    """{"documents": [{"name": "pr.yaml", "content": "..."}]}"""
    body = bytearray()
    async for chunk in read_body(request, limits):
        body += chunk
    if not body.strip():
        raise UploadError(400, 'empty body: send {"documents": [{"name": ..., "content": ...}]}')
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UploadError(400, f"the body is not valid JSON: {exc}") from exc
    except RecursionError as exc:  # json's parser recurses once per level
        raise UploadError(
            400,
            "the JSON body is nested too deeply: send "
            '{"documents": [{"name": ..., "content": ...}]}',
        ) from exc
    documents = payload.get("documents") if isinstance(payload, dict) else None
    if not isinstance(documents, list):
        raise UploadError(422, 'expected an object {"documents": [{"name": ..., "content": ...}]}')
    if len(documents) > limits.max_files:
        raise UploadError(413, limits.count_message())
    uploads = []
    for i, doc in enumerate(documents, 1):
        if not (
            isinstance(doc, dict)
            and isinstance(doc.get("content"), str)
            and isinstance(doc.get("name", ""), str)
        ):
            raise UploadError(
                422, f"documents[{i - 1}] needs a string `content` (and a string `name`)"
            )
        content = doc["content"].encode("utf-8", "surrogatepass")
        name = clean_name(doc.get("name") or "", i)
        if len(content) > limits.max_file_bytes:
            raise UploadError(413, limits.file_message(name))
        uploads.append(Upload(name, content))
    return uploads
