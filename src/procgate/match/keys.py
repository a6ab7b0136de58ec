"""Canonical keys of non-name values: identifiers, CPE vendors, purl namespaces, hosts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from urllib.parse import unquote

_ID_NOISE = re.compile(r"[\s\-]+")
_HOST_END = re.compile(r"[/:?#\s<>()\[\]\"',;]")

# purl types whose namespaces nest, and the separator between levels: a Maven groupId
# (com.kaspersky -> com.kaspersky.android-components), a Go module path (github.com/x -> .../y).
NESTED_NAMESPACES = {"maven": ".", "golang": "/"}
ALL_SEPARATORS = ".:/"  # a CycloneDX group may be either kind
# Code hosts whose first path level is an owner that purl also names as a namespace.
_CODE_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}


def identifier_key(value: str) -> str:
    """UEI, CAGE, LEI, DUNS as compared: upper case, no spaces or dashes."""
    return _ID_NOISE.sub("", value).upper()


def cpe_vendor_key(value: str) -> str:
    """A CPE vendor, or the vendor field of a whole CPE 2.2/2.3 name, casefolded."""
    value = value.strip()
    if value[:4].casefold() == "cpe:":
        fields = value.split(":")  # cpe:2.3:a:vendor:... | cpe:/a:vendor:...
        index = 3 if fields[1] == "2.3" else 2
        value = fields[index] if len(fields) > index else ""
    return value.replace("\\", "").casefold()


def purl_namespace_key(value: str) -> tuple[str, str]:
    """("maven", "com.kaspersky") from "maven/com.kaspersky" or "pkg:maven/com.kaspersky".

    Casefolded for every type: a ban gate would rather match com.Kaspersky than miss it.
    """
    value = value.strip()
    if value[:4].casefold() == "pkg:":
        value = value[4:].lstrip("/")
    if "%" in value:
        value = unquote(value)  # npm/%40kaspersky -> npm/@kaspersky
    kind, _, namespace = value.partition("/")
    return kind.casefold(), namespace.strip("/").casefold()


def hosted_namespace(module_path: str) -> tuple[str, str]:
    """("github", "bytedance") from the Go module path "github.com/bytedance/sonic"."""
    if "/" not in module_path:
        return "", ""
    host, _, rest = module_path.partition("/")
    kind = _CODE_HOSTS.get(host)
    return (kind, rest.partition("/")[0]) if kind else ("", "")


def ancestors(key: str, separators: str, start: int = 0) -> Iterator[str]:
    """The key's proper prefixes that end at a separator after `start`, shortest first.

    "maven/com.kaspersky.android-components" (start after "maven/") -> maven/com,
    maven/com.kaspersky; never "maven/com.kasp": a level ends only at a separator.
    Lazy, because the caller usually stops at the first level.
    """
    if separators:
        for m in _separator_pattern(separators).finditer(key, start):
            yield key[: m.start()]


@cache
def _separator_pattern(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


def host(value: str) -> str:
    """The host of a host name, URL or e-mail address, casefolded, without port or path."""
    value = value.strip().casefold()
    if "://" in value:
        value = value.split("://", 1)[1]
        value = value.split("/", 1)[0].rsplit("@", 1)[-1]  # drop user:pass@
    elif "@" in value:
        value = value.rsplit("@", 1)[1]
    return _HOST_END.split(value, maxsplit=1)[0].strip(".")


def domain_suffixes(hostname: str) -> Iterator[str]:
    """support.kaspersky.com -> support.kaspersky.com, kaspersky.com (never a bare TLD)."""
    labels = hostname.split(".")
    for i in range(len(labels) - 1):
        yield ".".join(labels[i:])


def reversed_domain(domain: str) -> str:
    """kaspersky.com -> com.kaspersky, the Maven groupId its owner publishes under."""
    return ".".join(reversed(domain.split(".")))
