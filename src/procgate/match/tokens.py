"""Word tokens of identifiers and product names: "kaspersky-endpoint-agent", "TikTokSDK".

Tokens are maximal letter/digit runs, so a listed token matches only a whole run:
"zte" is not in "dbzteam", "tiktok" is not in "tiktoken". Runs written in camelCase are
also split into parts, so that a camel-cased brand ("TikTok": tik, tok) is found inside
"TikTokSDK" but never across two runs.
"""

from __future__ import annotations

import re

from procgate.match.names import strip_marks

_RUN = re.compile(r"[^\W_]+")
# Upper-case runs before a capitalised word ("SDKClient": SDK, Client), words, digits,
# and letters without case (CJK) as one part.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_A-Za-z]+")


def runs(text: str) -> list[str]:
    """Casefolded letter/digit runs: "Hikvision DS-2CD2143G2" -> hikvision, ds, 2cd2143g2."""
    if not text.isascii():
        text = strip_marks(text)
    return _RUN.findall(text.casefold())


def camel_parts(text: str) -> list[list[str]]:
    """For each camel-cased run, its casefolded parts ("TikTokSDK" -> [tik, tok, sdk])."""
    if not text.isascii():
        text = strip_marks(text)
    return [
        [p.casefold() for p in _CAMEL.findall(run)]
        for run in _RUN.findall(text)
        if _is_camel(run)
    ]


def _is_camel(run: str) -> bool:
    """An upper-case letter after the first one, in a run that is not all capitals."""
    tail = run[1:]
    return tail != tail.lower() and not run.isupper()
