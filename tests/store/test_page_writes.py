"""The inventory's item pages write (`procgate serve --store URL --allow-edits`): a change
made on the page is recorded like `inventory set` (one code path, the same hash chain), and
everything an attacker could send instead is refused: a POST from another site (no cookie,
someone else's token, a foreign Origin), accepted-risk where no waiver is allowed, hostile or
oversized values, an edit made from a page that is out of date. Two sweeps and the page
writing at once lose and duplicate nothing (SQLite and a real PostgreSQL server).

A real `procgate serve` on loopback, driven with httpx (the browser test is in
tests/acceptance/test_browser_inventory.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import Result
from conftest import DATE
from procgate_server import Server, running_server
from store_support import rows


def _sweep(url: str, folder: str, cwd: Path) -> None:
    scan = [sys.executable, "-m", "procgate", "scan", folder, "--store", url, "--date", DATE]
    done = subprocess.run(scan, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr


def _ids(url: str) -> dict[str, int]:
    return {r["entity"]: r["id"] for r in rows(url, "SELECT id, entity FROM findings")}


@contextmanager
def _serve(tmp_path: Path, url: str, *more: str) -> Iterator[Server]:
    with running_server(tmp_path / "server", "--date", DATE, "--store", url, *more) as s:
        yield s


@pytest.fixture
def swept(records: Path, tmp_path: Path) -> str:
    """A SQLite store holding one sweep of the examples (7 items)."""
    url = str(tmp_path / "inventory.db")
    _sweep(url, "records", tmp_path)
    return url


@pytest.fixture
def editable(swept: str, tmp_path: Path) -> Iterator[Server]:
    with _serve(tmp_path, swept, "--allow-edits") as server:
        yield server


def _form(client: httpx.Client, fid: int) -> dict[str, str]:
    """The hidden fields of item `fid`'s form, as the page gives them to this client."""
    page = client.get(f"/inventory/items/{fid}")
    assert page.status_code == 200, page.text
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))


def _post(client: httpx.Client, fid: int, **fields: str) -> httpx.Response:
    return client.post(f"/inventory/items/{fid}", data=fields)


def test_read_only_by_default(swept: str, tmp_path: Path) -> None:
    fid = _ids(swept)["huawei"]
    with (
        running_server(tmp_path / "ro", "--date", DATE, "--store", swept) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        page = client.get(f"/inventory/items/{fid}")
        assert page.status_code == 200 and "huawei" in page.text
        assert "<form" not in page.text and "read-only" in page.text
        answer = _post(client, fid, token="0" * 64, seen="0", status="removed", why="x", by="eve")
    assert answer.status_code == 403 and "read-only" in answer.text
    assert rows(swept, "SELECT seq FROM changes") == []
    assert rows(swept, "SELECT status FROM findings WHERE id = :i", i=fid) == [{"status": "open"}]


def test_a_change_on_the_page_is_recorded_as_inventory_set_records_it(
    store_url: str, records: Path, tmp_path: Path
) -> None:
    _sweep(store_url, "records", tmp_path)
    fid = _ids(store_url)["huawei"]
    with (
        _serve(tmp_path, store_url, "--allow-edits") as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        hidden = _form(client, fid)
        assert hidden["seen"] == "0" and len(hidden["token"]) == 64
        answer = _post(
            client,
            fid,
            **hidden,
            status="removal-planned",
            owner="it-security",
            due="2027-01-31",
            note="plan filed\nticket IT-77",
            why="BOD 17-01 plan",
            by="pat",
        )
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/inventory/items/{fid}?saved=1"
        page = client.get(answer.headers["location"])
        assert "Saved" in page.text and "removal-planned" in page.text
        assert "BOD 17-01 plan" in page.text and "ticket IT-77" in page.text
    [change] = rows(store_url, "SELECT seq, finding_id, who, why FROM changes")
    assert change == {"seq": 1, "finding_id": fid, "who": "pat", "why": "BOD 17-01 plan"}
    [f] = rows(store_url, "SELECT status, owner, due, notes FROM findings WHERE id = :i", i=fid)
    assert (f["status"], f["owner"], str(f["due"])) == (
        "removal-planned",
        "it-security",
        "2027-01-31",
    )
    assert f["notes"].endswith(" pat: plan filed\nticket IT-77\n")
    # The same history the command line writes and reads.
    shown = subprocess.run(
        [sys.executable, "-m", "procgate", "inventory", "show", str(fid), "--store", store_url],
        capture_output=True,
        text=True,
    )
    [line] = [x for x in shown.stdout.splitlines() if x.strip().startswith("1. ")]
    assert " pat: " in line and "status 'open' -> 'removal-planned'" in line
    assert line.endswith(" - BOD 17-01 plan")
    verified = subprocess.run(
        [sys.executable, "-m", "procgate", "inventory", "verify", "--store", store_url],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0 and "1 changes checked: intact." in verified.stdout


def test_posts_from_elsewhere_are_refused(editable: Server, swept: str) -> None:
    ids = _ids(swept)
    fid, other = ids["huawei"], ids["dji"]
    with (
        httpx.Client(base_url=editable.url, timeout=30) as mine,
        httpx.Client(base_url=editable.url, timeout=30) as theirs,
    ):
        hidden = _form(mine, fid)
        change = {"status": "false-positive", "why": "not ours", "by": "eve"}
        refused = {
            # Another site's form: the browser sends no SameSite=Strict cookie.
            "no cookie": _post(theirs, fid, **hidden, **change),
            "another item's token": _post(mine, other, **hidden, **change),
            "an altered token": _post(mine, fid, **{**hidden, "token": "f" * 64}, **change),
            "no token": _post(mine, fid, seen=hidden["seen"], **change),
        }
        _form(theirs, fid)  # theirs now holds a cookie of its own: still not mine
        refused["their cookie, my token"] = _post(theirs, fid, **hidden, **change)
        for header in (
            {"Origin": "http://evil.example"},
            {"Origin": "null"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site"},
        ):
            refused[str(header)] = mine.post(
                f"/inventory/items/{fid}", data={**hidden, **change}, headers=header
            )
        for why, answer in refused.items():
            assert answer.status_code == 403, why
            assert "Refused" in answer.text, why
        assert rows(swept, "SELECT seq FROM changes") == []
        # The page's own form, from its own origin, is accepted.
        ok = mine.post(
            f"/inventory/items/{fid}",
            data={**hidden, **change},
            headers={"Origin": editable.url, "Sec-Fetch-Site": "same-origin"},
        )
        assert ok.status_code == 303, ok.text
    assert [r["who"] for r in rows(swept, "SELECT who FROM changes")] == ["eve"]


def test_the_cookie_is_strict_and_http_only(editable: Server, swept: str) -> None:
    page = httpx.get(f"{editable.url}/inventory/items/{_ids(swept)['huawei']}", timeout=30)
    cookie = page.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie and "path=/inventory" in cookie
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "form-action 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "same-origin"  # so the form's Origin is sent
    assert "<script" not in page.text


def test_accepted_risk_is_refused_where_no_waiver_is_allowed(editable: Server, swept: str) -> None:
    fid = _ids(swept)["kaspersky"]
    with httpx.Client(base_url=editable.url, timeout=30) as client:
        answer = _post(
            client, fid, **_form(client, fid), status="accepted-risk", why="we like it", by="pat"
        )
    assert answer.status_code == 400 and "accepted-risk is not allowed" in answer.text
    assert rows(swept, "SELECT status FROM findings WHERE id = :i", i=fid) == [{"status": "open"}]
    assert rows(swept, "SELECT seq FROM changes") == []


def test_hostile_values_are_refused_or_escaped(editable: Server, swept: str) -> None:
    fid = _ids(swept)["huawei"]
    with httpx.Client(base_url=editable.url, timeout=30) as client:
        hidden = _form(client, fid)
        ok = {**hidden, "why": "triage", "by": "pat"}
        bad = {
            "a line break in why": ({**ok, "why": "x\nhistory: forged"}, 400, "one line"),
            "a control character": ({**ok, "note": "\x1b[2Jcleared"}, 400, "control"),
            "a line separator": ({**ok, "by": "pat\u2028eve"}, 400, "control"),
            "a long owner": ({**ok, "owner": "o" * 201}, 400, "longer than 200"),
            "an unknown field": ({**ok, "status_": "removed"}, 400, "does not send"),
            "an unknown status": ({**ok, "status": "gone"}, 400, "Unknown status"),
            "a bad date": ({**ok, "due": "2027-02-30"}, 400, "not a date"),
            "no reason": ({**ok, "why": "  "}, 400, "Say why"),
            "no name": ({**ok, "by": ""}, 400, "Say who"),
            "no seen": ({k: v for k, v in ok.items() if k != "seen"}, 400, "not this page"),
        }
        for why, (data, status, said) in bad.items():
            answer = client.post(f"/inventory/items/{fid}", data=data)
            assert answer.status_code == status, (why, answer.text)
            assert said in answer.text, why
        twice = client.post(
            f"/inventory/items/{fid}",
            content="&".join(f"{k}={v}" for k, v in ok.items()) + "&why=again",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert twice.status_code == 400 and "twice" in twice.text
        latin1 = client.post(
            f"/inventory/items/{fid}",
            content=b"why=caf\xe9",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert latin1.status_code == 400
        huge = client.post(f"/inventory/items/{fid}", data={**ok, "note": "n" * 20_000})
        assert huge.status_code == 413
        multipart = client.post(f"/inventory/items/{fid}", data=ok, files={"x": b"y"})
        assert multipart.status_code == 415
        assert rows(swept, "SELECT seq FROM changes") == []
        # Markup is kept as text and shown escaped.
        script = "<script>alert(1)</script>"
        saved = _post(client, fid, **ok, owner=script, note=f"{script}\n<img src=x>")
        assert saved.status_code == 303
        page = client.get(f"/inventory/items/{fid}")
    assert "<script" not in page.text and "<img" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert rows(swept, "SELECT owner FROM findings WHERE id = :i", i=fid) == [{"owner": script}]


def test_a_page_out_of_date_is_refused(editable: Server, swept: str) -> None:
    fid = _ids(swept)["huawei"]
    with (
        httpx.Client(base_url=editable.url, timeout=30) as pat,
        httpx.Client(base_url=editable.url, timeout=30) as sam,
    ):
        pats, sams = _form(pat, fid), _form(sam, fid)
        first = _post(pat, fid, **pats, owner="networks", why="theirs", by="pat")
        assert first.status_code == 303
        # Sam's page still shows no owner: saving it must not undo Pat's change unseen.
        late = _post(sam, fid, **sams, owner="", status="investigating", why="mine", by="sam")
        assert late.status_code == 409 and "someone changed this item" in late.text
        assert 'value="networks"' in late.text  # the page as it is now
    assert rows(swept, "SELECT owner, status FROM findings WHERE id = :i", i=fid) == [
        {"owner": "networks", "status": "open"}
    ]


def test_behind_a_proxy_the_header_says_who(swept: str, tmp_path: Path) -> None:
    fid = _ids(swept)["huawei"]
    header = "X-Forwarded-User"
    with (
        running_server(
            tmp_path / "proxied",
            "--date",
            DATE,
            "--store",
            swept,
            "--allow-edits",
            "--user-header",
            header,
        ) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        page = client.get(f"/inventory/items/{fid}", headers={header: "alice"})
        assert "recorded as <strong>alice</strong>" in page.text
        assert 'name="by"' not in page.text
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
        change = {**hidden, "status": "investigating", "why": "triage", "by": "mallory"}
        unsigned = client.post(f"/inventory/items/{fid}", data=change)
        assert unsigned.status_code == 403 and header in unsigned.text
        signed = client.post(f"/inventory/items/{fid}", data=change, headers={header: "alice"})
        assert signed.status_code == 303
    assert [r["who"] for r in rows(swept, "SELECT who FROM changes")] == ["alice"]


def test_two_sweeps_and_the_page_writing_at_once_lose_and_duplicate_nothing(
    store_url: str, records: Path, tmp_path: Path
) -> None:
    """Two sweeps (the examples again, and a second copy) while the page changes every item of
    the first sweep over and over: 14 items, each once; every saved change is in the chain."""
    subprocess.run(["cp", "-r", str(records), str(tmp_path / "more")], check=True)
    _sweep(store_url, "records", tmp_path)
    ids = sorted(_ids(store_url).values())
    saved: list[int] = []
    failures: list[str] = []
    sweeping = threading.Event()

    def edit(server: Server, fid: int) -> None:
        steps = ("investigating", "removal-planned", "open")
        with httpx.Client(base_url=server.url, timeout=120) as client:
            n = 0
            while sweeping.is_set() or n < 3:
                hidden = _form(client, fid)
                answer = _post(
                    client, fid, **hidden, status=steps[n % 3], why=f"step {n}", by=f"user{fid}"
                )
                if answer.status_code == 303:
                    saved.append(fid)
                else:
                    failures.append(f"{fid}: {answer.status_code} {answer.text[:200]}")
                n += 1

    with _serve(tmp_path, store_url, "--allow-edits", "--workers", "2") as server:
        sweeping.set()
        editors = [threading.Thread(target=edit, args=(server, fid)) for fid in ids]
        for t in editors:
            t.start()
        sweeps = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "procgate",
                    "scan",
                    folder,
                    "--store",
                    store_url,
                    "--date",
                    DATE,
                ],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in ("records", "more")
        ]
        outputs = [p.communicate(timeout=300) for p in sweeps]
        sweeping.clear()
        for t in editors:
            t.join(300)
    assert [p.returncode for p in sweeps] == [1, 1], outputs
    assert failures == []
    found = rows(store_url, "SELECT file_key, entity FROM findings")
    assert len(found) == 14 and len({(f["file_key"], f["entity"]) for f in found}) == 14
    assert len(rows(store_url, "SELECT id FROM sweeps")) == 3
    changes = rows(store_url, "SELECT seq, finding_id FROM changes ORDER BY seq")
    assert [c["seq"] for c in changes] == list(range(1, len(saved) + 1))
    assert sorted(c["finding_id"] for c in changes) == sorted(saved)
    verified = subprocess.run(
        [sys.executable, "-m", "procgate", "inventory", "verify", "--store", store_url],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout
    assert f"{len(saved)} changes checked: intact." in verified.stdout


def test_edit_switches_need_a_store_and_a_header_name(
    procgate: Callable[..., Result], swept: str
) -> None:
    alone = procgate("serve", "--allow-edits", "--port", "0")
    assert alone.exit_code == 2 and "need --store" in alone.output
    bad = procgate("serve", "--store", swept, "--user-header", "X-User: eve", "--port", "0")
    assert bad.exit_code == 2 and "not an HTTP header name" in bad.output
