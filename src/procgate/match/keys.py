"""Canonical keys of non-name values: CPE vendors, purl namespaces, hosts (identifiers:
procgate.identifiers)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from urllib.parse import unquote

_CPE_FIELD = re.compile(r"(?<!\\):")  # a colon that is not escaped
_HOST_END = re.compile(r"[/:?#\s<>()\[\]\"',;]")

# purl types whose namespaces nest, and the separator between levels: a Maven groupId
# (com.kaspersky -> com.kaspersky.android-components), a Go module path (github.com/x -> .../y).
NESTED_NAMESPACES = {"maven": ".", "golang": "/"}
ALL_SEPARATORS = ".:/"  # a CycloneDX group may be either kind
# Code hosts whose first path level is an owner that purl also names as a namespace.
_CODE_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}


def cpe_vendor_key(value: str) -> str:
    """A CPE vendor, or the vendor field of a whole CPE 2.2/2.3 name, casefolded and
    unescaped (2.3 backslash escapes: ``kaspersky\\:lab``; 2.2 percent-encoding)."""
    value = value.strip()
    if value[:4].casefold() == "cpe:":
        fields = _CPE_FIELD.split(value)  # cpe:2.3:a:vendor:... | cpe:/a:vendor:...
        index = 3 if fields[1] == "2.3" else 2
        value = fields[index] if len(fields) > index else ""
    if "%" in value:
        value = unquote(value)
    return value.replace("\\", "").casefold()


def cpe_vendor_name(key: str) -> str:
    """A CPE vendor as the name it stands for: the NVD writes spaces as underscores
    (kaspersky_lab, huawei_technologies)."""
    return key.replace("_", " ")


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
        search = _separator_pattern(separators).search
        found = search(key, start)
        while found is not None:
            yield key[: found.start()]
            found = search(key, found.end())


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
