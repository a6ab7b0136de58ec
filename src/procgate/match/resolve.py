"""What one (role, value, party) resolves to: the rules, one function per kind of role.

Scores say how sure the rule is that the value *is* the entity, not whether it is banned:
  1.0  exact   the value is a listed name, alias, identifier, CPE vendor, namespace or domain
               (after folding case, Unicode, punctuation and legal forms)
  0.9  core    the value is a listed name's core plus only legal forms, places and generic
               words ("Dahua Technology USA Inc.", "Huawei Technologies Co., Ltd. (Shenzhen)"),
               or a Maven groupId under a listed domain reversed (com.kaspersky.*)
  0.8  mention a listed core appears as whole tokens inside something longer: a product
               name, a group, an organization with other distinctive words, a person's
               e-mail at a listed domain. The entity is involved; a person should confirm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from procgate.match import keys
from procgate.match.index import BanIndex, Ref
from procgate.match.names import (
    is_distinctive,
    is_placeholder,
    name_tokens,
    split_contacts,
    split_party,
)
from procgate.match.tokens import camel_parts, runs

SCORE_EXACT = 1.0
SCORE_CORE = 0.9
SCORE_MENTION = 0.8

Scored = tuple[float, Ref]
Resolver = Callable[[BanIndex, str, str], list[Scored]]

_ORGANIZATION_ROLES = ("vendor", "manufacturer", "supplier", "publisher", "author", "originator")


def organization(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A vendor, supplier, author...: "AO Kaspersky Lab", "Joe <joe@dbzteam.org>"."""
    value, party = split_party(value, party)
    # Only a declared organization may be matched by a name inside its longer name;
    # for an unknown party "Dahua Lin" could be a person, and a person is never an entity.
    return _names_and_contacts(index, value, party, mention=party == "organization")


def brand(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A brand is never a person, and "Ezviz by Hikvision" names Hikvision."""
    return _names_and_contacts(index, value, party, mention=True)


def _names_and_contacts(index: BanIndex, value: str, party: str, mention: bool) -> list[Scored]:
    name, hosts = split_contacts(value)
    # A person's address at a listed domain says where they work, not who they are.
    contact_score = SCORE_EXACT if party == "organization" else SCORE_MENTION
    found = [(contact_score, ref) for host in hosts for ref in _domain_refs(index, host)]
    if party != "person" and not is_placeholder(name):
        found += _name(index, name_tokens(name), mention)
    return found


def _name(index: BanIndex, tokens: list[str], mention: bool) -> list[Scored]:
    if not tokens:
        return []
    found = [(SCORE_EXACT, ref) for ref in index.exact.get(" ".join(tokens), ())]
    for start, end, refs in index.cores.find(tokens):
        others = tokens[:start] + tokens[end:]
        if not any(is_distinctive(t) for t in others):
            found += [(SCORE_CORE, ref) for ref in refs]
        elif mention:
            found += [(SCORE_MENTION, ref) for ref in refs]
    return found


def product_name(index: BanIndex, value: str, party: str) -> list[Scored]:
    """Whole tokens only: "kaspersky-endpoint-agent" and "TikTokSDK" yes, "tiktoken" no."""
    found = [ref for _, _, refs in index.cores.find(runs(value)) for ref in refs]
    for parts in camel_parts(value):  # "KasperskyEndpointAgent", "TikTokSDK"
        for table in (index.cores, index.camel):
            found += [ref for _, _, refs in table.find(parts) for ref in refs]
    return [(SCORE_MENTION, ref) for ref in found]


def group(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A CycloneDX group is a purl namespace without its type: com.kaspersky, @kaspersky."""
    namespace = value.strip().casefold()
    found = _namespace(index, namespace, None, ".:/")
    return found + product_name(index, value, party)


def purl_namespace(index: BanIndex, value: str, party: str) -> list[Scored]:
    """ "maven/com.kaspersky.android-components", "npm/@kaspersky", "github/bytedance"."""
    kind, namespace = keys.purl_namespace_key(value)
    if not namespace:
        return []
    separators = keys.NESTED_NAMESPACES.get(kind, "")
    found = _namespace(index, namespace, kind, separators)
    return found + product_name(index, namespace, party)


def _namespace(index: BanIndex, namespace: str, kind: str | None, separators: str) -> list[Scored]:
    """Listed namespaces equal to the value or an ancestor of it (nested types only)."""
    found: list[Scored] = []
    table, prefix = (index.bare_namespaces, "") if kind is None else (index.namespaces, kind + "/")
    for candidate in keys.prefixes(namespace, separators):
        found += [(SCORE_EXACT, ref) for ref in table.get(prefix + candidate, ())]
        if "." in separators:
            found += [(SCORE_CORE, ref) for ref in index.reversed_domains.get(candidate, ())]
    host_kind, owner = keys.hosted_namespace(namespace)
    if owner and "/" in separators:  # a Go module github.com/bytedance/... is github/bytedance
        found += [(SCORE_EXACT, ref) for ref in index.namespaces.get(f"{host_kind}/{owner}", ())]
    return found


def cpe_vendor(index: BanIndex, value: str, party: str) -> list[Scored]:
    return [(SCORE_EXACT, ref) for ref in index.cpe_vendors.get(keys.cpe_vendor_key(value), ())]


def domain(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A host, URL or e-mail address: the listed domain itself or any subdomain of it."""
    return [(SCORE_EXACT, ref) for ref in _domain_refs(index, keys.host(value))]


def _domain_refs(index: BanIndex, host: str) -> Iterable[Ref]:
    for suffix in keys.domain_suffixes(host):
        yield from index.domains.get(suffix, ())


def identifier(scheme: str) -> Resolver:
    def resolve(index: BanIndex, value: str, party: str) -> list[Scored]:
        key = f"{scheme}:{keys.identifier_key(value)}"
        return [(SCORE_EXACT, ref) for ref in index.identifiers.get(key, ())]

    return resolve


RESOLVERS: dict[str, Resolver] = {
    **dict.fromkeys(_ORGANIZATION_ROLES, organization),
    "brand": brand,
    "product-name": product_name,
    "group": group,
    "purl-namespace": purl_namespace,
    "cpe-vendor": cpe_vendor,
    "domain": domain,
    **{scheme: identifier(scheme) for scheme in ("uei", "cage", "lei", "duns")},
}
