"""Rego decisions on a remote OPA server, through its REST Data API (opa-python-client).

For each document it POSTs `{"input": rego_input(...)}` — exactly what the embedded engine
gets — to /v1/data/<package>/deny and /warn for every package of the local policies (or of
the bundle the server was given), and turns the results into findings the same way. The
server must hold the same policies and data.banlist: give it the `procgate bundle`.

A rule the local policies define but the server leaves undefined is an error, not a pass: a
server running other policies must not let every purchase through.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import regorus
import requests
from opa_client import OpaClient

from procgate.decide.findings import finding_from_result
from procgate.decide.inputs import rego_input
from procgate.decide.rego import guarded
from procgate.decide.rego_ast import modules
from procgate.errors import ConfigError, PolicyError
from procgate.model import BanData, Context, Document, Finding, Match, Severity, Subject

_RULES = {"deny": Severity.DENY, "warn": Severity.WARN}
TIMEOUT = 10.0


def decision_rules(policies: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(package, rule) for every deny/warn rule the policies define, from their AST."""
    engine = regorus.Engine()
    for name, text in policies:
        guarded("policy does not compile", engine.add_policy, name, text)
    found = {(m.package, r) for m in modules(engine) for r in _RULES if r in m.rule_names()}
    return sorted(found)


def client_for(url: str, token: str | None = None) -> OpaClient:
    """An OpaClient for http(s)://host[:port][/prefix]; the prefix allows a proxy path.
    `token` (config.OPA_TOKEN_ENV) is sent as a bearer token."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--opa-url {url!r} is not an http(s) URL", "e.g. http://localhost:8181")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    client = OpaClient(
        host=parts.hostname,
        port=port,
        ssl=https,
        timeout=TIMEOUT,
        token=token,
    )
    # opa-python-client builds scheme://host:port/v1; keep a path prefix if one was given.
    prefix = parts.path.rstrip("/")
    client.root_url = f"{parts.scheme}://{parts.netloc}{prefix}/v1"
    return client


class OpaServerEngine:
    def __init__(
        self,
        url: str,
        rules: Sequence[tuple[str, str]],
        ban_data: BanData,
        certain_score: float,
        token: str | None = None,
    ) -> None:
        self._url = url
        self._client = client_for(url, token)
        self._rules = list(rules)
        self._ban_data = ban_data
        self._certain = certain_score

    def evaluate(
        self, doc: Document, subjects: Sequence[Subject], matches: Sequence[Match], ctx: Context
    ) -> list[Finding]:
        payload = rego_input(doc, matches, ctx, self._ban_data, self._certain)
        findings: list[Finding] = []
        for package, rule in self._rules:
            for result in self._query(payload, package, rule):
                findings.append(
                    finding_from_result(
                        result, _RULES[rule], f"data.{package}", doc, matches, self._ban_data
                    )
                )
        return findings

    def _query(self, payload: dict[str, Any], package: str, rule: str) -> list[Any]:
        where = f"data.{package}.{rule} on the OPA server at {self._url}"
        try:
            answer = self._client.query_rule(payload, package, rule)
        except requests.HTTPError as exc:
            raise PolicyError(f"{where} failed: {_server_message(exc)}") from exc
        except requests.RequestException as exc:
            raise PolicyError(
                f"cannot reach the OPA server at {self._url}: {exc}", "start it, or check --opa-url"
            ) from exc
        except ValueError as exc:  # the body was not JSON
            raise PolicyError(f"{where}: the answer is not JSON") from exc
        if not isinstance(answer, dict) or "result" not in answer:
            raise PolicyError(
                f"{where} is undefined",
                "load the procgate bundle into the server (opa run --server "
                "--bundle bundle.tar.gz)",
            )
        value = answer["result"]
        if isinstance(value, list):
            return value
        return [value] if isinstance(value, dict | str) else []


def _server_message(exc: requests.HTTPError) -> str:
    response = exc.response
    try:
        body = response.json() if response is not None else {}
    except ValueError:
        body = {}
    code = response.status_code if response is not None else "?"
    message = body.get("message") if isinstance(body, dict) else None
    return f"HTTP {code}: {message or exc}"
