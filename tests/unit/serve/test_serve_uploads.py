"""Uploads: read in memory from a streamed body, refused at the first limit passed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest
from starlette.requests import Request

from procgate.serve.settings import Limits
from procgate.serve.uploads import (
    Received,
    Upload,
    UploadError,
    clean_name,
    read_json_documents,
    read_multipart,
    unique,
)

BOUNDARY = "----procgate-test"


def multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += (f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").encode()
        out += data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


class Body:
    """An ASGI receive callable that hands the body over in chunks and counts them."""

    def __init__(self, body: bytes, chunk: int = 1024) -> None:
        self.chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
        self.sent = 0

    async def __call__(self) -> dict[str, object]:
        data = self.chunks[self.sent]
        self.sent += 1
        return {"type": "http.request", "body": data, "more_body": self.sent < len(self.chunks)}


def request(body: Body, content_type: str, length: int | None = None) -> Request:
    headers = [(b"content-type", content_type.encode())]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/check",
        "headers": headers,
        "query_string": b"",
    }
    return Request(scope, body)


def read(body: bytes, limits: Limits, chunk: int = 1024) -> tuple[Received, Body]:
    stream = Body(body, chunk)
    req = request(stream, f"multipart/form-data; boundary={BOUNDARY}")
    return asyncio.run(read_multipart(req, limits)), stream


def refused(call: Callable[[], object]) -> UploadError:
    with pytest.raises(UploadError) as info:
        call()
    return info.value


def test_files_and_fields_are_read() -> None:
    body = multipart(
        [
            ("files", "a.yaml", b"one"),
            ("files", "b.json", b"{}"),
            ("files", "", b""),  # a file input left empty
            ("audience", None, b"us-person"),
        ]
    )
    received, _ = read(body, Limits())
    assert received.uploads == [Upload("a.yaml", b"one"), Upload("b.json", b"{}")]
    assert received.fields == {"audience": "us-person"}


def test_an_oversize_file_is_refused_before_the_body_is_read() -> None:
    body = multipart([("files", "big.yaml", b"x" * 200_000), ("files", "after.yaml", b"y")])
    stream = Body(body, 1024)
    req = request(stream, f"multipart/form-data; boundary={BOUNDARY}")
    error = refused(lambda: asyncio.run(read_multipart(req, Limits(max_file_bytes=10_000))))
    assert error.status == 413 and "big.yaml is larger than 9.77 KB" in error.message
    assert stream.sent < len(stream.chunks) // 10  # stopped early, not after reading it all


def test_too_many_files_are_refused_before_their_data() -> None:
    body = multipart([("files", f"f{i}.yaml", b"z" * 10) for i in range(5)])
    error = refused(lambda: read(body, Limits(max_files=3)))
    assert error.status == 413 and "at most 3" in error.message


def test_a_declared_oversize_body_is_refused_unread() -> None:
    stream = Body(b"x" * 10)
    req = request(stream, f"multipart/form-data; boundary={BOUNDARY}", length=10**9)
    error = refused(lambda: asyncio.run(read_multipart(req, Limits())))
    assert error.status == 413 and stream.sent == 0


def test_json_documents() -> None:
    payload = {
        "documents": [{"name": "../../etc/pr.yaml", "content": "kind: x"}, {"content": "{}"}]
    }
    stream = Body(json.dumps(payload).encode())
    uploads = asyncio.run(read_json_documents(request(stream, "application/json"), Limits()))
    assert uploads == [Upload("etc/pr.yaml", b"kind: x"), Upload("upload-2", b"{}")]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"not json", 400),
        (b"[1, 2]", 422),
        (b'{"documents": [{"name": "a"}]}', 422),
    ],
)
def test_bad_json_bodies(body: bytes, status: int) -> None:
    req = request(Body(body), "application/json")
    assert refused(lambda: asyncio.run(read_json_documents(req, Limits()))).status == status


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("pr.yaml", "pr.yaml"),
        ("/etc/passwd", "etc/passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("sboms/./x.json", "sboms/x.json"),
        ("", "upload-3"),
        ("..", "upload-3"),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw, 3) == clean


def test_unique_names() -> None:
    names = [
        u.name
        for u in unique([Upload("pr.yaml", b""), Upload("pr.yaml", b""), Upload("pr.yaml", b"")])
    ]
    assert names == ["pr.yaml", "pr (2).yaml", "pr (3).yaml"]
