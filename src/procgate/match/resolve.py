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
from procgate.match.index import ANY_TYPE, ENTITY_ID, VIA, BanIndex, Ref
from procgate.match.names import (
    fold,
    is_distinctive,
    is_placeholder,
    split_contacts,
    split_party,
    strip_legal,
    words,
)
from procgate.match.tokens import camel_parts

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
        found += _name(index, fold(name), mention)
    return found


def _name(index: BanIndex, folded: list[str], mention: bool) -> list[Scored]:
    """Exact (1.0); a listed core with nothing distinctive around it (0.9); a listed core
    among other distinctive words (0.8, only when `mention`)."""
    tokens = strip_legal(folded)
    if not tokens:
        return []
    literal = index.literal.get(" ".join(folded), ())
    exact = index.exact.get(" ".join(tokens), ())
    if literal:  # the listed spelling, not another name equal only without legal forms
        seen = {ref[ENTITY_ID] for ref in literal}
        exact = tuple(ref for ref in exact if ref[ENTITY_ID] not in seen)
    found = [(SCORE_EXACT, ref) for ref in (*literal, *exact)]
    if index.cores.firsts.isdisjoint(tokens):  # no listed core starts here: the usual case
        return found
    for start, end, refs in index.cores.spans(tokens):
        others = tokens[:start] + tokens[end:]
        if not any(is_distinctive(t) for t in others):
            found += [(SCORE_CORE, ref) for ref in refs]
        elif mention:
            found += [(SCORE_MENTION, ref) for ref in refs]
    return found


def product_name(index: BanIndex, value: str, party: str) -> list[Scored]:
    """Whole tokens only: "kaspersky-endpoint-agent" and "TikTokSDK" yes, "tiktoken" no."""
    found = index.cores.find(words(value))
    for parts in camel_parts(value):  # "KasperskyEndpointAgent", "TikTokSDK"
        found += index.cores.find(parts) + index.camel.find(parts)
    return [(SCORE_MENTION, ref) for ref in found]


def group(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A CycloneDX group is a purl namespace without its type: com.kaspersky, @kaspersky."""
    found = _namespace(index, ANY_TYPE, value.strip().casefold(), keys.ALL_SEPARATORS)
    return found + product_name(index, value, party)


def purl_namespace(index: BanIndex, value: str, party: str) -> list[Scored]:
    """ "maven/com.kaspersky.android-components", "npm/@kaspersky", "github/bytedance"."""
    kind, namespace = keys.purl_namespace_key(value)
    if not namespace:
        return []
    found = _namespace(index, kind, namespace, keys.NESTED_NAMESPACES.get(kind, ""))
    return found + product_name(index, namespace, party)


def _namespace(index: BanIndex, kind: str, namespace: str, separators: str) -> list[Scored]:
    """Listed namespaces equal to the value or, for nested types, an ancestor of it."""
    table = index.namespaces
    key = f"{kind}/{namespace}"
    refs: list[Ref] = []
    for prefix in keys.ancestors(key, separators, start=len(kind) + 1):
        refs += table.get(prefix, ())
        if prefix not in index.namespace_stems:
            break  # nothing listed lies below this level, so neither does the value
    else:
        refs += table.get(key, ())
    if "/" in separators:  # a Go module github.com/bytedance/... is github/bytedance
        host_kind, owner = keys.hosted_namespace(namespace)
        if owner:
            refs += table.get(f"{host_kind}/{owner}", ())
    # A groupId under a listed domain (com.kaspersky.*) is likely, not certainly, its owner's.
    return [(SCORE_EXACT if ref[VIA] == "purl-namespace" else SCORE_CORE, ref) for ref in refs]


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
