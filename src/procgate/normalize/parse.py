"""String parsers shared by the normalizers: purl namespaces, CPE vendors, SPDX actors,
domains.

They run once or more per SBOM component (100k times on a large SBOM), so they use
plain string methods and return ``None`` for anything they cannot read instead of
raising: a malformed purl in a real SBOM is common and must never stop a check.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

# CPE vendor values that mean "any" / "not applicable", not a vendor.
_CPE_LOGICAL = frozenset(("", "*", "-"))
# Characters of an ASCII host name, and characters no host name has.
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")
_NOT_IN_HOST = frozenset(" \t\r\n,;:/\\\"'<>()[]{}|@!?*=+&%$#^`~")
_NO_VALUE = frozenset(("NOASSERTION", "NONE", "UNKNOWN", "N/A"))


# purl head (text before the name) -> namespace. Namespaces repeat across components
# (one groupId, many artifacts), so this turns a 1.5 µs parse into a dict lookup.
_PURL_CACHE: dict[str, str | None] = {}
_PURL_CACHE_MAX = 20_000


def purl_namespace(purl: str) -> str | None:
    """``"<type>/<namespace>"`` of a package URL, percent-decoded; ``None`` when the purl
    has no namespace (``pkg:pypi/requests``) or is not a purl.

    Follows the purl spec's parse order (subpath after ``#`` and qualifiers after ``?``
    dropped, ``/`` after the scheme tolerated, type lowercased, empty segments dropped)
    with one tolerance: an unencoded ``@`` that starts a segment (``pkg:npm/@scope/x``)
    is a scope, not the version separator, so only an ``@`` inside a segment starts the
    version.

    >>> purl_namespace("pkg:npm/%40kaspersky/hexa-ui@1.2.0")
    'npm/@kaspersky'
    """
    end = purl.find("?")
    if end < 0:
        end = len(purl)
    hash_ = purl.find("#", 0, end)
    if hash_ >= 0:
        end = hash_
    slash = purl.rfind("/", 0, end)
    # The result depends only on the text before the last "/" (the name and version
    # after it hold no "/"), unless nothing follows that "/".
    if slash < 0 or slash >= end - 1:
        return _purl_namespace(purl)
    key = purl[:slash]
    try:
        return _PURL_CACHE[key]
    except KeyError:
        pass
    result = _purl_namespace(purl)
    if len(_PURL_CACHE) >= _PURL_CACHE_MAX:
        _PURL_CACHE.clear()
    _PURL_CACHE[key] = result
    return result


def _purl_namespace(purl: str) -> str | None:
    if purl[:4].lower() != "pkg:":
        purl = purl.strip()
        if purl[:4].lower() != "pkg:":
            return None
    rest = purl[4:]
    cut = rest.find("#")
    if cut >= 0:
        rest = rest[:cut]
    cut = rest.find("?")
    if cut >= 0:
        rest = rest[:cut]
    if rest[:1] == "/":
        rest = rest.lstrip("/")
    slash = rest.find("/")
    if slash <= 0:
        return None
    ptype = rest[:slash].lower()
    rest = rest[slash + 1 :]
    # The version starts at the first "@" that does not open a segment.
    at = rest.find("@", 1)
    while at > 0 and rest[at - 1] == "/":
        at = rest.find("@", at + 1)
    if at > 0:
        rest = rest[:at]
    rest = rest.strip("/")
    last = rest.rfind("/")
    if last <= 0:
        return None
    namespace = rest[:last]
    if "//" in namespace or "%" in namespace or namespace[-1] == "/":
        namespace = "/".join(unquote(s) for s in namespace.split("/") if s)
        if not namespace:
            return None
    return ptype + "/" + namespace


def cpe_vendor(cpe: str) -> str | None:
    """The vendor field of a CPE name: 2.3 formatted string (``cpe:2.3:a:vendor:…``,
    backslash escapes removed) or 2.2 URI (``cpe:/a:vendor:…``, percent-decoded).
    ``None`` for ANY/NA (``*``, ``-``, empty) and for strings that are not CPEs.

    >>> cpe_vendor(r"cpe:2.3:a:harald_hoyer\\,_arnaldo:python-ethtool:0.14:*:*:*:*:*:*:*")
    'harald_hoyer,_arnaldo'
    """
    head = cpe[:8] if cpe.startswith("cpe:") else cpe[:8].lower()
    if head == "cpe:2.3:":
        if "\\" in cpe:
            return _cpe23_vendor(cpe)
        start = cpe.find(":", 8) + 1  # after the part (a/o/h)
        end = cpe.find(":", start) if start else -1
        if end < 0:  # no vendor field, or nothing after it (truncated)
            return None
        vendor = cpe[start:end]
    elif head[:5] == "cpe:/":
        parts = cpe.split(":", 3)
        vendor = parts[2] if len(parts) > 2 else ""
        if "%" in vendor:
            vendor = unquote(vendor)
            return vendor or None  # a decoded "%2a" is a literal "*", not ANY
    else:
        stripped = cpe.strip()
        return cpe_vendor(stripped) if stripped != cpe else None
    if vendor in _CPE_LOGICAL:
        return None
    return vendor


def _cpe23_vendor(cpe: str) -> str | None:
    """The vendor field of a CPE 2.3 formatted string that contains ``\\`` escapes: a
    quoted character (``\\:``, ``\\,``, ``\\*``) is a literal, unquoted ``*``/``-`` alone
    mean ANY/NA."""
    field: list[str] = []
    quoted = False
    current = 0  # 0 = part, 1 = vendor
    i, n = 8, len(cpe)
    while i < n:
        ch = cpe[i]
        if ch == "\\" and i + 1 < n:
            if current == 1:
                field.append(cpe[i + 1])
                quoted = True
            i += 2
            continue
        if ch == ":":
            if current == 1:
                break
            current += 1
        elif current == 1:
            field.append(ch)
        i += 1
    if current != 1 or i >= n:  # no vendor field, or nothing after it (truncated)
        return None
    vendor = "".join(field)
    if not quoted and vendor in _CPE_LOGICAL:
        return None
    return vendor or None


class Actor(NamedTuple):
    """An SPDX actor string, parsed. `kind` is organization | person | tool | unknown."""

    kind: str
    name: str
    email: str


_ACTOR_PREFIXES = {"organization": "organization", "person": "person", "tool": "tool"}


def parse_actor(text: str) -> Actor | None:
    """Parse ``Organization: name (email)``, ``Person: name (email)``, ``Tool: name``.

    ``NOASSERTION``/``NONE``/empty give ``None``. A value without a known prefix (apko
    writes ``Natanael Copa <ncopa@alpinelinux.org>``) is kept whole with kind
    ``unknown``: we cannot tell a person from a company there. The e-mail may be in
    ``(…)`` (the spec) or ``<…>`` (syft, apko).
    """
    text = text.strip()
    if not text or text.upper() in _NO_VALUE:
        return None
    colon = text.find(":")
    kind = _ACTOR_PREFIXES.get(text[:colon].strip().lower()) if colon > 0 else None
    if kind is None:
        return Actor("unknown", text, _trailing_email(text)[1])
    name, email = _trailing_email(text[colon + 1 :].strip())
    if not name or name.upper() in _NO_VALUE:
        return None
    return Actor(kind, name, email)


def _trailing_email(text: str) -> tuple[str, str]:
    """Split ``name (email)`` / ``name <email>`` into (name, email)."""
    for open_, close in (("(", ")"), ("<", ">")):
        if text.endswith(close):
            start = text.rfind(open_)
            if start >= 0:
                return text[:start].strip(), text[start + 1 : -1].strip()
    return text, ""


@lru_cache(maxsize=4096)  # suppliers repeat their URLs on every component
def domain_from_email(email: str) -> str | None:
    """Host part of an e-mail address, lowercased; ``None`` if there is none."""
    at = email.rfind("@")
    if at < 0:
        return None
    return _host(email[at + 1 :].strip().strip("<>()"))


@lru_cache(maxsize=4096)
def domain_from_url(url: str) -> str | None:
    """Host of a URL (scheme optional: ``www.example.com/x`` works), lowercased, without
    user info, port or trailing dot. IP addresses and single labels give ``None``."""
    text = url.strip()
    sep = text.find("://")
    if sep >= 0:
        text = text[sep + 3 :]
    elif text[:7].lower() == "mailto:":
        return domain_from_email(text[7:])
    elif text[:2] == "//":
        text = text[2:]
    for ch in "/?#":
        cut = text.find(ch)
        if cut >= 0:
            text = text[:cut]
    at = text.rfind("@")
    if at >= 0:
        text = text[at + 1 :]
    if text[:1] == "[":  # IPv6 literal
        return None
    colon = text.find(":")
    if colon >= 0:
        text = text[:colon]
    return _host(text)


def _host(text: str) -> str | None:
    host = text.strip().rstrip(".").lower()
    if "." not in host or host[0] == ".":
        return None
    # Internationalized names (касперский.рф) stay Unicode; ASCII junk is no host.
    if not _HOST_CHARS.issuperset(host) and (host.isascii() or not _NOT_IN_HOST.isdisjoint(host)):
        return None
    if host.replace(".", "").isdigit():  # an IPv4 address names no vendor
        return None
    return host
