"""camelCase parts of identifiers and product names: "TikTokSDK" -> tik, tok, sdk.

Product names are matched by whole tokens (names.words: letter/digit runs), so "zte" is
not in "dbzteam" and "tiktok" is not in "tiktoken". A run written in camelCase is also
split into parts, so that "KasperskyEndpointAgent" names Kaspersky and a camel-cased brand
("TikTok": tik, tok) is found inside "TikTokSDK", but never across two runs.
"""

from __future__ import annotations

import re

from procgate.match.names import strip_marks

_HINT = re.compile(r"[^\W\d_][A-Z]")  # a capital after a letter: a run may be camel-cased
_RUN = re.compile(r"[^\W_]+")  # a letter/digit run, as names.words
# Upper-case runs before a capitalised word ("SDKClient": SDK, Client), words, digits,
# and letters without case (CJK) as one part.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_A-Za-z]+")


def camel_parts(text: str) -> list[list[str]]:
    """For each camel-cased run, its casefolded parts ("TikTokSDK" -> [tik, tok, sdk])."""
    if not text.isascii():
        text = strip_marks(text)  # as displayed: full-width capitals are capitals
    if text.islower() or text.isupper() or _HINT.search(text) is None:  # most names
        return []
    return [
        [p.casefold() for p in _CAMEL.findall(run)] for run in _RUN.findall(text) if _is_camel(run)
    ]


def _is_camel(run: str) -> bool:
    """An upper-case letter after the first one, in a run that is not all capitals."""
    tail = run[1:]
    return tail != tail.lower() and not run.isupper()
