"""--format sarif: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

import procgate
from procgate.diff.baseline import finding_key
from procgate.model import Finding, Severity, Verdict
from procgate.report.jsontext import dumps
from procgate.report.text import explain_match
from procgate.rules import RULES

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# procgate has no public home page yet (pyproject.toml has no [project.urls]); SARIF makes
# tool.driver.informationUri optional, so it is left out until this is set.
INFORMATION_URI: str | None = None
FINGERPRINT_KEY = "procgateFinding/v1"

_LEVELS = {Severity.DENY: "error", Severity.WARN: "warning", Severity.WAIVED: "note"}


@lru_cache(maxsize=4096)  # called for every finding; most share a few files
def artifact_uri(path: str) -> str:
    """A finding's file as a URI reference: relative paths stay relative (viewers resolve
    them against the checkout), with forward slashes and percent-escaped spaces/unicode."""
    if PureWindowsPath(path).is_absolute():  # C:\x\y.yaml or \\server\share\y.yaml
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    while posix.startswith("./"):
        posix = posix[2:]
    # quote() also escapes ':' so that "a:b.yaml" is not read as scheme "a"; surrogateescape
    # gives back the original bytes of a file name that was not UTF-8 (os.fsdecode's form).
    return quote(posix, safe="/", errors="surrogateescape")


def fingerprint(f: Finding) -> str:
    """Identity of a finding across commits. Deliberately neither the line number nor an
    array index (Finding.location names the component by its purl or name): reformatting a
    file or reordering its components must not turn an old alert into a new one."""
    key = "\0".join(finding_key(f, artifact_uri(f.position.file)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprints(findings: tuple[Finding, ...]) -> list[str]:
    # Two findings can share rule, entity, file and pointer (two schema errors on one object);
    # an occurrence number keeps them apart, as GitHub's own "hash:N" fingerprints do.
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        h = fingerprint(f)
        seen[h] = seen.get(h, 0) + 1
        out.append(f"{h}:{seen[h]}")
    return out


def _rule_name(rule_id: str) -> str:
    # SARIF wants a readable identifier: "bans.banned-vendor" -> "BansBannedVendor".
    words = rule_id.replace("-", ".").replace("_", ".").split(".")
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def _authority_link(authority: str, urls: Mapping[str, str]) -> str:
    url = urls.get(authority)
    return f"[{authority}]({url})" if url else f"`{authority}`"


def _rule_descriptor(
    rule_id: str, findings: list[Finding], urls: Mapping[str, str]
) -> dict[str, Any]:
    rule = RULES.get(rule_id)
    # A rule from an organisation's own policy may not be in RULES: describe it by its id.
    title = rule.title if rule else rule_id
    help_text = rule.help if rule else f"Finding of the policy rule {rule_id}."
    authorities = sorted({a for f in findings for a in f.authorities})
    markdown = help_text
    if authorities:
        links = "\n".join(f"- {_authority_link(a, urls)}" for a in authorities)
        markdown += f"\n\n**Authorities in these findings**\n\n{links}"
    return {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text, "markdown": markdown},
    }


def _message(f: Finding) -> str:
    parts = [f.message]
    if f.matched is not None and f.listed_name:
        explained = explain_match(f)
        parts.append(explained[:1].upper() + explained[1:] + ".")
    if f.authorities:
        parts.append("Authorities: " + ", ".join(f.authorities) + ".")
    if f.action:
        parts.append(f"What to do: {f.action}")
    return "\n".join(parts)


def _location(f: Finding, artifact_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": artifact_uri(f.position.file), "index": artifact_index}
    }
    if f.position.line > 0:  # 0 means unknown; SARIF requires startLine >= 1
        region = {"startLine": f.position.line}
        if f.position.column > 0:
            region["startColumn"] = f.position.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(f: Finding, rule_index: int, artifact_index: int, fp: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[f.severity],
        "message": {"text": _message(f)},
        "locations": [_location(f, artifact_index)],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
        "properties": {
            "severity": str(f.severity),
            "entity": f.entity,
            "authorities": list(f.authorities),
            "matched": f.matched,
            "listedName": f.listed_name,
            "score": f.score,
            "via": f.via,
            "pointer": f.pointer,
        },
    }
    if f.severity is Severity.WAIVED:
        # "external": the waiver lives outside the analysed file, in procgate's waiver list.
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": _justification(f)}
        ]
    return result


def _justification(f: Finding) -> str:
    w = f.waived_by
    if w is None:
        return "waived"
    ticket = f", ticket {w.ticket}" if w.ticket else ""
    return f"{w.id}: {w.reason} (approved by {w.approver} until {w.expires}{ticket})"


def render_sarif(verdict: Verdict, fail_on: str) -> str:
    """help.markdown links each authority to its source (verdict.authority_urls); one whose
    source is not known is named without a link."""
    authority_urls = dict(verdict.authority_urls)
    # Keyed by URI: "a.yaml" and "./a.yaml" are one artifact, and SARIF wants them unique.
    files = [*verdict.files, *(f.position.file for f in verdict.findings)]
    uris = list(dict.fromkeys(artifact_uri(file) for file in files))
    artifact_index = {uri: i for i, uri in enumerate(uris)}
    by_rule: dict[str, list[Finding]] = {}
    for f in verdict.findings:
        by_rule.setdefault(f.rule, []).append(f)
    rule_ids = sorted(by_rule)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}

    driver: dict[str, Any] = {"name": "procgate", "version": procgate.__version__}
    if INFORMATION_URI:
        driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [_rule_descriptor(r, by_rule[r], authority_urls) for r in rule_ids]
    run = {
        "tool": {"driver": driver},
        "artifacts": [{"location": {"uri": uri}, "roles": ["analysisTarget"]} for uri in uris],
        "results": [
            _result(f, rule_index[f.rule], artifact_index[artifact_uri(f.position.file)], fp)
            for f, fp in zip(verdict.findings, _fingerprints(verdict.findings), strict=True)
        ],
        "properties": {"failOn": fail_on, "summary": verdict.summary(fail_on)},
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # ASCII output: a file name that was not UTF-8 reaches us as lone surrogates, which
    # cannot be written as UTF-8 but can be written as JSON \u escapes.
    return dumps(log, ensure_ascii=True)
