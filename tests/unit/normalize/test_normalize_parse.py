"""The string parsers: purl namespaces, CPE vendors, SPDX actors, domains, pointer tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
from normalize_helpers import CORPUS, read_json
from packageurl import PackageURL

from procgate.model import Owner, Subject
from procgate.normalize import _emit
from procgate.normalize.parse import (
    Actor,
    cpe_vendor,
    domain_from_email,
    domain_from_url,
    parse_actor,
    purl_namespace,
)


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        (
            "pkg:maven/com.kaspersky.android-components/kaspresso@1.5.3",
            "maven/com.kaspersky.android-components",
        ),
        (
            "pkg:maven/com.huaweicloud.sdk/huaweicloud-sdk-core@3.1.0?type=jar",
            "maven/com.huaweicloud.sdk",
        ),
        ("pkg:npm/%40kaspersky/hexa-ui", "npm/@kaspersky"),
        ("pkg:npm/%40kaspersky/hexa-ui@2.1.0", "npm/@kaspersky"),
        ("pkg:npm/@kaspersky/hexa-ui@2.1.0", "npm/@kaspersky"),  # unencoded scope
        ("pkg:npm/@kaspersky/hexa-ui", "npm/@kaspersky"),
        ("pkg:npm/lodash@4.17.21", None),
        ("pkg:github/bytedance/sonic@v1.9.1", "github/bytedance"),
        ("pkg:golang/github.com/bytedance/sonic@v1.9.1", "golang/github.com/bytedance"),
        ("pkg:docker/library/nginx@1.25?repository_url=docker.io", "docker/library"),
        ("pkg:docker/nginx@sha256:abc", None),
        ("pkg:docker/cassandra@latest", None),
        (
            "pkg:swid/Acme/example.com/Enterprise+Server@1.0.0?tag_id=75b8c285",
            "swid/Acme/example.com",
        ),
        ("pkg:swid/os-image@10.0.22621.2134#C:\\Windows\\System32\\ntoskrnl.exe", None),
        ("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "deb/debian"),
        ("pkg:MAVEN/org.apache/commons@1", "maven/org.apache"),  # type is case-insensitive
        ("PKG:maven/org.apache/commons@1", "maven/org.apache"),
        ("pkg://maven/org.apache//commons@1", "maven/org.apache"),  # tolerated slashes
        ("pkg:maven/org.apache/commons@1/2#sub/path", "maven/org.apache"),
        ("pkg:generic/a%2Fb/c", "generic/a/b"),  # a decoded segment keeps its "/"
        ("pkg:maven/org.apache/", None),
        ("pkg:pypi/requests@2.31.0", None),
        ("pkg:", None),
        ("pkg:maven", None),
        ("npm/@kaspersky/hexa-ui", None),
        ("  pkg:npm/%40kaspersky/x@1  ", "npm/@kaspersky"),
        ("", None),
    ],
)
def test_purl_namespace(purl: str, expected: str | None) -> None:
    assert purl_namespace(purl) == expected
    assert purl_namespace(purl) == expected  # the cached answer is the same


def test_purl_cache_does_not_confuse_similar_purls() -> None:
    # Same text before the last "/", different namespace: "a/b/" has no name after it.
    assert purl_namespace("pkg:maven/a/b/c@1") == "maven/a/b"
    assert purl_namespace("pkg:maven/a/b/") == "maven/a"
    assert purl_namespace("pkg:maven/a/b/d@2") == "maven/a/b"


def _corpus_purls() -> list[str]:
    purls: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if (
                    key in ("purl", "referenceLocator", "identifier", "software_packageUrl")
                    and isinstance(value, str)
                    and value.startswith("pkg:")
                ):
                    purls.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for folder in ("cyclonedx-json", "spdx-json", "spdx3-jsonld"):
        for path in sorted(Path(CORPUS, folder).glob("*.json")):
            walk(read_json(path))
    return sorted(purls)


def test_purl_namespace_agrees_with_packageurl_python_on_the_corpus() -> None:
    """Every purl in the corpus that the reference parser reads gives the same namespace."""
    purls = _corpus_purls()
    assert len(purls) > 3000
    compared = 0
    for purl in purls:
        try:
            ref = PackageURL.from_string(purl)
        except ValueError:
            continue
        expected = f"{ref.type}/{ref.namespace}" if ref.namespace else None
        got = purl_namespace(purl)
        # packageurl-python lowercases namespaces of case-insensitive types (github,
        # npm…); we keep the document's spelling and let the matcher fold case.
        assert (got or "").casefold() == (expected or "").casefold(), purl
        compared += 1
    assert compared > 0.95 * len(purls)


@pytest.mark.parametrize(
    ("cpe", "expected"),
    [
        ("cpe:2.3:a:kaspersky:anti-virus:2019:*:*:*:*:*:*:*", "kaspersky"),
        ("cpe:2.3:o:huawei:hg532_firmware:-:*:*:*:*:*:*:*", "huawei"),
        ("cpe:2.3:h:zte:f460:-:*:*:*:*:*:*:*", "zte"),
        ("cpe:2.3:a:dahuasecurity:smart_pss:*:*:*:*:*:*:*:*", "dahuasecurity"),
        # 2.3 escapes: "\," "\:" "\\" are quoted characters inside a field.
        (
            r"cpe:2.3:a:harald_hoyer\,_arnaldo_carvalho_de_melo\,_david_sommerseth_project:"
            r"python-ethtool:0.14:*:*:*:*:*:*:*",
            "harald_hoyer,_arnaldo_carvalho_de_melo,_david_sommerseth_project",
        ),
        (r"cpe:2.3:a:at\&t:product\:x:1:*:*:*:*:*:*:*", "at&t"),
        (r"cpe:2.3:a:foo\:bar:baz:1:*:*:*:*:*:*:*", "foo:bar"),
        (r"cpe:2.3:a:back\\slash:p:1:*:*:*:*:*:*:*", "back\\slash"),
        (r"cpe:2.3:a:\*:p:1:*:*:*:*:*:*:*", "*"),  # a quoted "*" is a literal, not ANY
        ("cpe:2.3:a:*:anything:*:*:*:*:*:*:*:*", None),
        ("cpe:2.3:a:-:anything:*:*:*:*:*:*:*:*", None),
        ("CPE:2.3:A:Kaspersky:Anti-Virus:*:*:*:*:*:*:*:*", "Kaspersky"),
        ("cpe:2.3:a:vendor", None),  # truncated
        # 2.2 URI binding: percent-encoded, empty = ANY.
        ("cpe:/a:kaspersky:kaspersky_internet_security:18.0.0.405", "kaspersky"),
        ("cpe:/h:zte:f460", "zte"),
        ("cpe:/a:at%26t:connect", "at&t"),
        ("cpe:/a:example:myapplication:1.0.0", "example"),
        ("cpe:/o:huawei", "huawei"),
        ("cpe:/a::product", None),
        ("cpe:/a", None),
        ("  cpe:/a:kaspersky:x  ", "kaspersky"),
        ("kaspersky", None),
        ("", None),
    ],
)
def test_cpe_vendor(cpe: str, expected: str | None) -> None:
    assert cpe_vendor(cpe) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Organization: ExampleCodeInspect (contact@example.com)",
            Actor("organization", "ExampleCodeInspect", "contact@example.com"),
        ),
        ("Organization: Microsoft", Actor("organization", "Microsoft", "")),
        ("Organization: ExampleCodeInspect ()", Actor("organization", "ExampleCodeInspect", "")),
        (
            "Person: Jane Doe (jane.doe@example.com)",
            Actor("person", "Jane Doe", "jane.doe@example.com"),
        ),
        (
            "Person: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>",
            Actor("person", "Ubuntu Developers", "ubuntu-devel-discuss@lists.ubuntu.com"),
        ),
        ("organization:   AO Kaspersky Lab  ", Actor("organization", "AO Kaspersky Lab", "")),
        ("Tool: syft-0.57.0", Actor("tool", "syft-0.57.0", "")),
        # No prefix (apko): kept whole, party unknown.
        (
            "Natanael Copa <ncopa@alpinelinux.org>",
            Actor("unknown", "Natanael Copa <ncopa@alpinelinux.org>", "ncopa@alpinelinux.org"),
        ),
        ("devel:languages:perl", Actor("unknown", "devel:languages:perl", "")),
        ("https://github.com/harald", Actor("unknown", "https://github.com/harald", "")),
        ("NOASSERTION", None),
        ("NONE", None),
        ("noassertion", None),
        ("Organization: NOASSERTION", None),
        ("Person: ", None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_actor(text: str, expected: Actor | None) -> None:
    assert parse_actor(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Kaspersky.com/us/home", "www.kaspersky.com"),
        ("kaspersky.com", "kaspersky.com"),
        ("www.hikvision.com/en/", "www.hikvision.com"),
        ("http://user:secret@cloud.huawei.com:8443/path?q=1#x", "cloud.huawei.com"),
        ("https://zte.com.cn.", "zte.com.cn"),
        ("//cdn.example.org/lib.js", "cdn.example.org"),
        ("mailto:sales@dahuasecurity.com", "dahuasecurity.com"),
        ("https://касперский.рф/", "касперский.рф"),
        ("http://10.0.0.1/admin", None),
        ("https://[2001:db8::1]/", None),
        ("https://localhost:8080/", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_domain_from_url(url: str, expected: str | None) -> None:
    assert domain_from_url(url) == expected


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("seb@dbzteam.org", "dbzteam.org"),
        ("Support <Support@Kaspersky.COM>", "kaspersky.com"),
        ("contact@example.com", "example.com"),
        ("no-at-sign.example.com", None),
        ("user@localhost", None),
    ],
)
def test_domain_from_email(email: str, expected: str | None) -> None:
    assert domain_from_email(email) == expected


def test_fast_constructors_equal_the_dataclass_constructors() -> None:
    owner = _emit.owner("/components/0", "component x@1", "software", "x", "text", "pkg:npm/x")
    assert owner == Owner("/components/0", "component x@1", "software", "x", "text", "pkg:npm/x")
    assert type(owner) is Owner
    subject = _emit.subject(
        "supplier", "Acme", "/components/0/supplier/name", owner, "organization"
    )
    expected = Subject("supplier", "Acme", "/components/0/supplier/name", owner, "organization")
    assert subject == expected
    assert hash(subject) == hash(expected)
    assert repr(subject) == repr(expected)
    with pytest.raises(AttributeError):
        subject.value = "other"  # type: ignore[misc]  # still frozen
