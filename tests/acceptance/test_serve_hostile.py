"""Hostile bodies against the real server (issue 17 item 6): deep JSON, a flood of multipart
fields, an overlong boundary, and errors of every kind answer with the JSON error shape and
the security headers, 5xx included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_support import EXAMPLES
from procgate_server import Server, running_server

CLEAN = EXAMPLES / "purchase-requests" / "laptops-clean.yaml"
DATE = "2026-11-28"
SECURITY_HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "cache-control",
)

# A policy with a bug: it fails on one vendor, so the server has a real 500 to answer.
BROKEN_POLICY = """\
from procgate.decide.python import policy


@policy("test.broken", kinds={"purchase-request"})
def broken(inp):
    if "Explode" in repr(inp.document.data):
        raise RuntimeError("a bug in a policy")
    return []
"""

EXPLODING = CLEAN.read_text(encoding="utf-8").replace("name: ", "name: Explode ", 1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("serve-hostile")
    policies = workdir / "policies"
    policies.mkdir()
    (policies / "broken.py").write_text(BROKEN_POLICY, encoding="utf-8")
    with running_server(workdir, "--date", DATE, "--policy", str(policies)) as s:
        yield s  # default limits: 50 MB body, 20 files


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c


def _error(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, answer.text[:300]
    for header in SECURITY_HEADERS:
        assert header in answer.headers, (status, header)
    body = answer.json()
    assert body["error"]["status"] == status
    return str(body["error"]["message"])


def test_json_nested_a_thousand_deep_is_a_400(client: httpx.Client) -> None:
    for depth in (1_000, 100_000):
        body = b'{"documents": ' + b"[" * depth + b"]" * depth + b"}"
        message = _error(
            client.post("/v1/check", content=body, headers={"content-type": "application/json"}),
            400,
        )
        assert "nested" in message
    assert client.get("/healthz").status_code == 200


def test_eight_hundred_thousand_one_byte_fields_are_a_413(client: httpx.Client) -> None:
    boundary = "b"
    part = b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n'
    body = part * 800_000 + b"--b--\r\n"  # 46 MB, under the 50 MB body limit
    assert len(body) < 50 * 1024 * 1024
    answer = client.post(
        "/v1/check",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "too many form fields" in _error(answer, 413)
    page = client.post(
        "/check",
        content=part * 1000 + b"--b--\r\n",
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert page.status_code == 413 and "too many form fields" in page.text
    for header in SECURITY_HEADERS:
        assert header in page.headers


def test_a_part_with_endless_headers_is_refused(client: httpx.Client) -> None:
    body = (
        b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.yaml"\r\n'
        + b"X-Pad: "
        + b"a" * 100_000
        + b"\r\n\r\nx\r\n--b--\r\n"
    )
    answer = client.post(
        "/v1/check", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert "header size" in _error(answer, 400)  # python-multipart's own limits
    body = (
        b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.yaml"\r\n'
        + b"X-Pad: aaaaaaaaaa\r\n" * 100_000
        + b"\r\nx\r\n--b--\r\n"
    )
    answer = client.post(
        "/v1/check", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert "header count" in _error(answer, 400)


def test_a_boundary_over_256_characters_is_a_400(client: httpx.Client) -> None:
    boundary = "x" * 300
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="a.yaml"\r\n\r\n'
        ).encode()
        + CLEAN.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    answer = client.post(
        "/v1/check",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "boundary" in _error(answer, 400)


def test_a_bug_answers_500_with_the_json_shape_and_the_headers(client: httpx.Client) -> None:
    answer = client.post(
        "/v1/check", files=[("files", ("pr.yaml", EXPLODING.encode(), "application/yaml"))]
    )
    message = _error(answer, 500)
    assert "a bug in a policy" not in message  # internals stay in the server's log
    page = client.post(
        "/check", files=[("files", ("pr.yaml", EXPLODING.encode(), "application/yaml"))]
    )
    assert page.status_code == 500
    for header in SECURITY_HEADERS:
        assert header in page.headers
    assert client.get("/healthz").status_code == 200  # and the server goes on


def test_every_other_error_carries_the_headers(client: httpx.Client) -> None:
    for answer, status in (
        (client.get("/no/such/page"), 404),
        (client.delete("/v1/check"), 405),
        (client.post("/v1/check", content=b"x", headers={"content-type": "text/plain"}), 415),
        (client.get("/v1/schemas/nothing"), 404),
    ):
        assert answer.status_code == status
        for header in SECURITY_HEADERS:
            assert header in answer.headers, (status, header)


def test_a_clean_request_still_passes(client: httpx.Client, tmp_path: Path) -> None:
    answer = client.post(
        "/v1/check", files=[("files", ("pr.yaml", CLEAN.read_bytes(), "application/yaml"))]
    )
    assert answer.status_code == 200 and answer.json()["summary"]["passed"] is True
