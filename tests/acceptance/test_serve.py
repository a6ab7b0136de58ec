"""The JSON API and the page over HTTP, against the real server started on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import httpx
import lxml.html
import pytest
from cli_support import EXAMPLES, ROOT, json_report
from procgate_server import Server, running_server

PR = EXAMPLES / "purchase-requests"
KASPERSKY = PR / "kaspersky-endpoint.yaml"
CLEAN = PR / "laptops-clean.yaml"
DATE = "2026-11-28"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("serve")
    with running_server(
        workdir, "--date", DATE, "--max-file-mb", "2", "--max-files", "5", "--max-body-mb", "6"
    ) as s:
        yield s


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def files(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (p.relative_to(ROOT).as_posix(), p.read_bytes(), "application/yaml"))
        for p in paths
    ]


def test_healthz(client: httpx.Client) -> None:
    answer = client.get("/healthz").json()
    assert answer["status"] == "ok" and answer["ban_data"].startswith("sha256:")


def test_listens_on_loopback_only_by_default(server: Server) -> None:
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("no /proc/net/tcp on this system")
    port = f"{int(server.url.rsplit(':', 1)[1]):04X}"
    listening = [
        line.split()[1]
        for line in table.read_text().splitlines()[1:]
        if line.split()[1].endswith(":" + port) and line.split()[3] == "0A"
    ]
    assert listening == [f"0100007F:{port}"]  # 127.0.0.1


def test_banned_request_answers_what_check_prints(client: httpx.Client, run_cli) -> None:
    api = client.post("/v1/check", files=files(KASPERSKY))
    assert api.status_code == 200
    cli = json_report(run_cli("check", "--format", "json", "--date", DATE, KASPERSKY))
    assert api.json() == cli
    assert cli["findings"][0]["entity"] == "kaspersky"


def test_json_body(client: httpx.Client) -> None:
    body = {
        "documents": [
            {"name": "pr.yaml", "content": KASPERSKY.read_text()},
            {"name": "clean.yaml", "content": CLEAN.read_text()},
        ]
    }
    report = client.post("/v1/check", json=body).json()
    assert report["summary"] == {"files": 2, "deny": 1, "warn": 0, "waived": 0, "passed": False}
    assert report["findings"][0]["file"] == "pr.yaml"


def test_clean_request_passes(client: httpx.Client) -> None:
    report = client.post("/v1/check", files=files(CLEAN)).json()
    assert report["summary"]["passed"] is True and report["findings"] == []


def test_request_with_its_sbom(client: httpx.Client) -> None:
    sbom = EXAMPLES / "sboms" / "branch-router-firmware.cdx.json"
    report = client.post("/v1/check", files=files(PR / "branch-router.yaml", sbom)).json()
    [finding] = report["findings"]
    assert finding["file"] == "examples/sboms/branch-router-firmware.cdx.json"
    assert finding["entity"] == "huawei" and report["summary"]["files"] == 2


def test_audience_and_date_parameters(client: httpx.Client) -> None:
    lobby = files(PR / "cameras-lobby.yaml")
    federal = client.post("/v1/check", files=lobby).json()
    person = client.post("/v1/check", params={"audience": "us-person"}, files=lobby).json()
    assert federal["summary"]["passed"] is False
    assert person["summary"] == {"files": 1, "deny": 0, "warn": 1, "waived": 0, "passed": True}
    early = client.post("/v1/check", params={"date": "2015-06-01"}, files=files(KASPERSKY))
    assert [f["rule"] for f in early.json()["findings"]] == ["bans.listed-not-banned"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"audience": "martians"}, "unknown audience 'martians'"),
        ({"date": "28/11/2026"}, "is not a date"),
    ],
)
def test_bad_parameters(client: httpx.Client, params: dict[str, str], needle: str) -> None:
    answer = client.post("/v1/check", params=params, files=files(CLEAN))
    assert answer.status_code == 400 and needle in answer.json()["error"]["message"]


def test_wrong_content_type_and_empty_bodies(client: httpx.Client) -> None:
    plain = client.post("/v1/check", content=b"hello", headers={"content-type": "text/plain"})
    assert plain.status_code == 415 and "multipart/form-data" in plain.json()["error"]["message"]
    empty_json = client.post("/v1/check", content=b"", headers={"content-type": "application/json"})
    assert empty_json.status_code == 400
    no_files = client.post(
        "/v1/check", data={"audience": "us-federal"}, files={"other": ("", b"", "text/plain")}
    )
    assert no_files.status_code == 400 and "no files" in no_files.json()["error"]["message"]
    bare = client.post("/v1/check", content=b"", headers={"content-type": "multipart/form-data"})
    assert bare.status_code == 400
    # An empty POST names no format at all: 415, as the README says.
    nothing = client.post("/v1/check")
    assert nothing.status_code == 415
    assert "multipart/form-data" in nothing.json()["error"]["message"]


def test_binary_upload_is_a_finding_not_a_crash(client: httpx.Client) -> None:
    blob = bytes(range(256)) * 40
    report = client.post("/v1/check", files=[("files", ("photo.jpg", blob, "image/jpeg"))]).json()
    [finding] = report["findings"]
    assert finding["rule"] == "parse.error" and finding["file"] == "photo.jpg"
    assert report["summary"]["passed"] is False


def test_upload_limits(client: httpx.Client) -> None:
    big = [("files", ("huge.yaml", b"# x\n" * 600_000, "application/yaml"))]  # 2.3 MB
    answer = client.post("/v1/check", files=big)
    assert answer.status_code == 413
    assert "huge.yaml is larger than 2 MB" in answer.json()["error"]["message"]
    many = [("files", (f"pr-{i}.yaml", CLEAN.read_bytes(), "application/yaml")) for i in range(6)]
    answer = client.post("/v1/check", files=many)
    assert answer.status_code == 413 and "at most 5" in answer.json()["error"]["message"]
    assert client.get("/healthz").status_code == 200  # and the server is still there


def test_ten_thousand_item_request(client: httpx.Client) -> None:
    banned = {
        17: "Kaspersky Lab ZAO",
        5000: "ZTE Corporation",
        9999: "Huawei Technologies Co., Ltd.",
    }
    lines = [
        "apiVersion: procgate/v1",
        "kind: PurchaseRequest",
        "id: PR-BIG",
        "date: 2026-11-01",
        "requester: {name: Pat}",
        "vendor: {name: Big Reseller Inc.}",
        "use: [general]",
        "items:",
    ]
    for i in range(10_000):
        maker = banned.get(i, "Dell Technologies Inc.")
        lines.append(
            f"  - {{description: Part {i}, quantity: 1, category: telecom-equipment, "
            f"manufacturer: {{name: {json.dumps(maker)}}}}}"
        )
    content = ("\n".join(lines) + "\n").encode()
    report = client.post("/v1/check", files=[("files", ("big.yaml", content, "text/yaml"))]).json()
    found = {(f["pointer"], f["entity"]) for f in report["findings"]}
    assert found == {
        ("/items/17/manufacturer/name", "kaspersky"),
        ("/items/5000/manufacturer/name", "zte"),
        ("/items/9999/manufacturer/name", "huawei"),
    }


def test_concurrent_clients(server: Server) -> None:
    cases = [
        (KASPERSKY, False, "kaspersky"),
        (CLEAN, True, None),
        (PR / "cameras-lobby.yaml", False, "hikvision"),
    ]

    def one(i: int) -> tuple[int, bool, str | None]:
        path, _, _ = cases[i % 3]
        with httpx.Client(base_url=server.url, timeout=60) as c:
            report = c.post("/v1/check", files=files(path)).json()
        entities = {f["entity"] for f in report["findings"]}
        return i, report["summary"]["passed"], next(iter(entities), None)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, range(48)))
    for i, passed, entity in answers:
        assert (passed, entity) == cases[i % 3][1:], f"request {i}"


def test_explain_schema_and_template(client: httpx.Client, server: Server) -> None:
    [match] = client.get("/v1/explain", params={"q": "HiLook"}).json()["matches"]
    assert (match["entity"], match["via"]) == ("hikvision", "brand")
    assert client.get("/v1/explain").status_code == 400
    schema = client.get("/v1/schemas/purchase-request.schema.json")
    assert schema.json() == json.loads((ROOT / "schemas/purchase-request.schema.json").read_text())
    template = client.get("/new/purchase-request.yaml").text
    assert template.splitlines()[0] == (
        f"# yaml-language-server: $schema={server.url}/v1/schemas/purchase-request.schema.json"
    )


def test_page_is_labelled_and_structured(client: httpx.Client) -> None:
    answer = client.get("/")
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    page = lxml.html.fromstring(answer.text)
    assert page.get("lang") == "en"
    labelled = set(page.xpath("//label/@for"))
    controls = page.xpath("//input[not(@type='hidden')] | //select | //textarea")
    assert controls and all(c.get("id") in labelled for c in controls)
    levels = [int(h.tag[1]) for h in page.xpath("//h1|//h2|//h3|//h4")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(levels))


def test_page_verdict(client: httpx.Client) -> None:
    answer = client.post(
        "/check", data={"audience": "us-federal", "date": DATE}, files=files(KASPERSKY)
    )
    page = lxml.html.fromstring(answer.text)
    assert page.xpath("string(//h1)") == "Blocked: this purchase must not go ahead as it is"
    assert "Kaspersky Lab ZAO" in page.xpath("string(//mark)")
    assert page.xpath("//mark/span[@class='n']/text()") == ["17"]


def test_nothing_uploaded_touches_disk(client: httpx.Client, server: Server) -> None:
    # Large enough that a spooling parser would have rolled it to a temporary file.
    content = KASPERSKY.read_bytes() + b"# padding\n" * 150_000  # 1.5 MB
    answer = client.post("/v1/check", files=[("files", ("padded.yaml", content, "text/yaml"))])
    assert answer.json()["findings"][0]["entity"] == "kaspersky"
    client.post("/check", data={"text": content.decode()}, files={"files": ("", b"")})
    assert list(server.tmpdir.iterdir()) == []


def test_two_workers(tmp_path: Path) -> None:
    with (
        running_server(tmp_path, "--workers", "2", "--date", DATE) as s,
        ThreadPoolExecutor(4) as pool,
    ):

        def post(_: int) -> bool:
            with httpx.Client(base_url=s.url, timeout=60) as c:
                return bool(c.post("/v1/check", files=files(KASPERSKY)).json()["findings"])

        assert all(pool.map(post, range(12)))


def test_the_page_and_the_api_say_how_current_the_ban_lists_are(client: httpx.Client) -> None:
    # Issue 12: every list's as-of date is shown by check, explain and serve, and a list older
    # than data-max-age (180 days) warns. The shipped list is current as of 2026-12-03.
    page = client.get("/").text
    assert "us-government as of 2026-12-03" in page
    fresh = client.post("/v1/check?date=2027-06-01", files=files(CLEAN)).json()
    assert fresh["findings"] == []
    assert fresh["decided_with"]["ban_lists"][0]["as_of"] == "2026-12-03"
    stale = client.post("/v1/check?date=2027-06-02", files=files(CLEAN)).json()
    assert [f["rule"] for f in stale["findings"]] == ["data.stale"]
    assert "181 days" in stale["findings"][0]["message"]


def test_the_audience_parameter_wins_over_the_requests_own_as_audience_does(
    client: httpx.Client, run_cli, tmp_path: Path
) -> None:
    # Issue 13 item 12: a request may say who is buying; the command line's --audience still
    # wins and the report says where the audience came from. The API's ?audience= is the
    # caller's --audience: it was reported as "default" and lost to the request's own.
    doc = (PR / "backup-intelligence.yaml").read_text(encoding="utf-8")
    request = tmp_path / "backup.yaml"
    request.write_text(doc + "audience: us-intelligence-community\n", encoding="utf-8")
    upload = [("files", ("backup.yaml", request.read_bytes(), "application/yaml"))]
    own = client.post("/v1/check", files=upload).json()
    assert own["decided_with"]["audiences"][0]["audience"] == "us-intelligence-community"
    assert own["decided_with"]["audiences"][0]["from"] == "the request's `audience`"
    assert [f["rule"] for f in own["findings"]] == ["bans.banned-vendor"]
    asked = client.post("/v1/check", params={"audience": "us-federal"}, files=upload).json()
    assert asked["decided_with"]["audiences"][0] == {
        "audience": "us-federal",
        "from": "the audience parameter",
        "files": None,
    }
    cli = json_report(
        run_cli("check", "--format", "json", "--audience", "us-federal", "--date", DATE, request)
    )
    assert [f["rule"] for f in asked["findings"]] == [f["rule"] for f in cli["findings"]]
    assert [f["rule"] for f in asked["findings"]] == ["bans.advisory"]
