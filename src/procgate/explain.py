"""What procgate knows about a vendor, in plain words (`procgate explain`, the web page).

    explain(query, ban_data, matcher, audience) -> Explanation   an entity id or a free-text name
    entity_facts(entity, ban_data, audience) -> EntityFacts      names, ids, coverage, clocks
    banned_since(ban_data, entity, authority, audience)  the date a listing reaches a buyer

A free-text query is matched the way the gate would match it in a document: as a vendor
name, a brand, a product name, and (when it looks like one) a domain, purl, CPE or
identifier. The best match per entity is kept, with its score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from procgate.deadlines import Deadline, deadlines
from procgate.match import Matcher
from procgate.model import (
    Authority,
    BanData,
    Document,
    Entity,
    ListInfo,
    Listing,
    Match,
    Name,
    Owner,
    Subject,
)
from procgate.normalize import subjects
from procgate.normalize.parse import cpe_vendor, domain_from_url, purl_namespace
from procgate.report.text import VIA_WORDS

SCOPE_WORDS = {
    "any": "any hardware, software or services",
    "security-software": "information-security (cybersecurity, anti-virus) products and services",
    "telecom-equipment": "telecommunications equipment, and services using it",
    "video-telecom-equipment": "video-surveillance and telecommunications equipment",
    "telecom-services": "telecommunications services",
    "tiktok-app": "the TikTok app and its successors",
    "uas": "drones (unmanned aircraft systems)",
    "semiconductors": "products that contain its chips",
    "batteries": "batteries",
}
USE_WORDS = {
    "public-safety": "public safety",
    "government-facility-security": "security of government facilities",
    "critical-infrastructure": "physical surveillance of critical infrastructure",
    "national-security": "national security",
}
EXCLUDE_WORDS = {
    "threat-intelligence": "threat intelligence",
    "security-training": "security training",
    "consulting": "purely informational consulting",
}
AUDIENCE_WORDS = {
    "us-federal": "U.S. federal agencies",
    "us-dod": "the U.S. Department of Defense",
    "us-intelligence-community": "the U.S. Intelligence Community",
    "us-contractor": "U.S. federal contractors",
    "us-person": "anyone in the United States",
}
NAME_KINDS = {  # Name.via -> heading, in the order shown
    "alias": "Also known as",
    "former-name": "Former names",
    "brand": "Brands",
    "subsidiary": "Subsidiaries",
    "affiliate": "Affiliates",
}
# How a free-text query is tried, and how that reads: (role, party, words).
_ROLES = (
    ("manufacturer", "organization", "a vendor or manufacturer name"),
    ("brand", "organization", "a brand"),
    ("product-name", "unknown", "a product name"),
)


def sentence(text: str) -> str:
    """First letter up, the rest as written (Jinja's `capitalize` lowers "DHS")."""
    return text[:1].upper() + text[1:]


def audience_words(audience: str) -> str:
    return AUDIENCE_WORDS.get(audience, audience)


def scope_words(listing: Listing) -> str:
    """'video-surveillance ... equipment, only when used for public safety or ...'."""
    words = SCOPE_WORDS.get(listing.scope, listing.scope)
    if listing.use_condition:
        uses = [USE_WORDS.get(u, u) for u in listing.use_condition]
        words += ", only when used for " + _either(uses)
    if listing.excludes:
        words += "; not " + _either([EXCLUDE_WORDS.get(x, x) for x in listing.excludes])
    return words


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def in_force(authority: Authority, audience: str, ban_data: BanData) -> date | None:
    """When the authority starts to bind `audience`: its entry for the first audience in
    the buyer's chain that it names (a federal agency is also a U.S. person), as the Rego
    decision reads it, unless that entry leaves the buyer out (`not_for`: BOD 17-01 is not
    for DoD). None when it never does."""
    chain = ban_data.audiences.get(audience, (audience,))
    for a in chain:
        if a in authority.audiences:
            if set(authority.terms.get(a, {}).get("not_for", ())) & set(chain):
                continue
            return authority.audiences[a]
    return None


def applicable_terms(authority: Authority, audience: str, ban_data: BanData) -> dict[str, Any]:
    """The authority's further terms (until, basis, action, ...) for this buyer."""
    chain = ban_data.audiences.get(audience, (audience,))
    for a in chain:
        if a in authority.audiences:
            terms = authority.terms.get(a, {})
            if not set(terms.get("not_for", ())) & set(chain):
                return dict(terms)
    return {}


def action_words(authority: Authority, listing: Listing, audience: str, ban_data: BanData) -> str:
    """What to do, as the decision says it: the listing's own words (else the authority's),
    then what the authority adds for this buyer's audience."""
    extra = applicable_terms(authority, audience, ban_data).get("action", "")
    return " ".join(" ".join((listing.action or authority.action, extra)).split())


def banned_since(
    ban_data: BanData, entity_id: str, authority_id: str, audience: str
) -> date | None:
    """The later of the authority's date for this buyer and the entity's listing date."""
    authority = ban_data.authorities.get(authority_id)
    entity = ban_data.entities.get(entity_id)
    if authority is None or entity is None:
        return None
    start = in_force(authority, audience, ban_data)
    listing = next((li for li in entity.listings if li.authority == authority_id), None)
    if start is None or listing is None:
        return start
    return max(start, listing.since) if listing.since else start


@dataclass(frozen=True, slots=True)
class Applies:
    """One audience an authority binds: who, from when, deny or warn."""

    audience: str
    words: str
    since: date
    severity: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """One listing of an entity: the law or list, what it covers, whom, since when."""

    authority: Authority
    listing: Listing
    products: str
    applies: tuple[Applies, ...]
    clock: tuple[Deadline, ...]
    yours: date | None  # when it reaches the buyer's audience (None: it never does)
    action: str = ""  # what to do, for this buyer (listing, then audience)
    ends: date | None = None  # last day it binds this buyer (a sunset)

    def in_force(self, today: date) -> bool:
        return (
            self.yours is not None
            and self.yours <= today
            and (self.ends is None or today <= self.ends)
        )


@dataclass(frozen=True, slots=True)
class EntityFacts:
    entity: Entity
    names: tuple[tuple[str, tuple[Name, ...]], ...]  # (heading, names), legal name left out
    coverage: tuple[Coverage, ...]

    def identifiers(self) -> list[tuple[str, str]]:
        """(label, comma-separated values) for every kind of identifier the entity has."""
        e = self.entity
        rows = [(scheme.upper(), ", ".join(v)) for scheme, v in e.identifiers.items() if v]
        rows += [
            (label, ", ".join(values))
            for label, values in (
                ("CPE vendor", e.cpe_vendors),
                ("Package namespaces", e.purl_namespaces),
                ("Web domains", e.domains),
            )
            if values
        ]
        return rows


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity the query resolves to, and how."""

    facts: EntityFacts
    matched_name: str  # the ban-list name, alias or identifier that matched
    via: str
    score: float
    as_what: str  # "a vendor or manufacturer name"


@dataclass(frozen=True, slots=True)
class Explanation:
    query: str
    by_id: bool  # the query was an entity id
    candidates: tuple[Candidate, ...]  # best first
    lists: tuple[ListInfo, ...] = ()  # the ban lists consulted, with their as-of dates


def entity_facts(entity: Entity, ban_data: BanData, audience: str) -> EntityFacts:
    names = tuple(
        (heading, group)
        for via, heading in NAME_KINDS.items()
        if (group := tuple(n for n in entity.names if n.via == via))
    )
    coverage = []
    for listing in entity.listings:
        authority = ban_data.authorities[listing.authority]
        applies = tuple(
            Applies(
                aud, audience_words(aud), max(eff, listing.since or eff), authority.severity[aud]
            )
            for aud, eff in sorted(authority.audiences.items(), key=lambda kv: kv[1])
        )
        yours = banned_since(ban_data, entity.id, authority.id, audience)
        until = applicable_terms(authority, audience, ban_data).get("until")
        coverage.append(
            Coverage(
                authority,
                listing,
                scope_words(listing),
                applies,
                deadlines(authority.id),
                yours,
                action_words(authority, listing, audience, ban_data),
                date.fromisoformat(until) if until else None,
            )
        )
    coverage.sort(key=lambda c: min((a.since for a in c.applies), default=date.max))
    return EntityFacts(entity, names, tuple(coverage))


def explain(query: str, ban_data: BanData, matcher: Matcher, audience: str) -> Explanation:
    query = " ".join(query.split())
    entity = ban_data.entities.get(query.casefold())
    if entity is not None:
        facts = entity_facts(entity, ban_data, audience)
        return Explanation(
            query,
            True,
            (Candidate(facts, entity.name, "id", 1.0, "an entity id"),),
            tuple(ban_data.lists),
        )
    best: dict[str, Candidate] = {}
    for match, as_what in _matches(query, matcher):
        held = best.get(match.entity_id)
        if held is None or match.score > held.score:
            facts = entity_facts(ban_data.entities[match.entity_id], ban_data, audience)
            best[match.entity_id] = Candidate(
                facts, match.matched_name, match.via, match.score, as_what
            )
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.facts.entity.id))
    return Explanation(query, False, tuple(ranked), tuple(ban_data.lists))


def _matches(query: str, matcher: Matcher) -> Iterable[tuple[Match, str]]:
    owner = Owner("", "query", "")
    tries = [(role, party, words, query) for role, party, words in _ROLES]
    lowered = query.casefold()
    if lowered.startswith("pkg:") and (ns := purl_namespace(query)):
        tries.append(("purl-namespace", "identifier", "a package URL", ns))
    if lowered.startswith("cpe:") and (vendor := cpe_vendor(query)):
        tries.append(("cpe-vendor", "identifier", "a CPE name", vendor))
    if "." in query and " " not in query and (host := domain_from_url(query)):
        tries.append(("domain", "identifier", "a web domain", host))
    if query.isalnum() and len(query) in (5, 9, 12, 20):  # CAGE, DUNS, UEI, LEI lengths
        scheme = {5: "cage", 9: "duns", 12: "uei", 20: "lei"}[len(query)]
        tries.append((scheme, "identifier", f"a {scheme.upper()}", query))
    for role, party, words, value in tries:
        for match in matcher.match([Subject(role, value, "", owner, party)]):
            yield match, words


def explanation_json(exp: Explanation, audience: str, today: date) -> dict[str, Any]:
    """The JSON form (`procgate explain --format json`, GET /v1/explain)."""
    return {
        "version": 1,
        "query": exp.query,
        "audience": audience,
        "date": today.isoformat(),
        "lists": [{"name": i.name, "as_of": i.as_of.isoformat()} for i in exp.lists],
        "matches": [
            {
                "entity": c.facts.entity.id,
                "name": c.facts.entity.name,
                "matched": c.matched_name,
                "via": c.via,
                "score": c.score,
                "as": c.as_what,
                **_facts_json(c.facts, today),
            }
            for c in exp.candidates
        ],
    }


def _facts_json(facts: EntityFacts, today: date) -> dict[str, Any]:
    e = facts.entity
    return {
        "country": e.country,
        "names": [
            {
                "value": n.value,
                "via": n.via,
                "since": _iso(n.since),
                "until": _iso(n.until),
                "source": n.source,
                "note": n.note,
            }
            for n in e.names
        ],
        "identifiers": {k: list(v) for k, v in e.identifiers.items()},
        "cpe_vendors": list(e.cpe_vendors),
        "purl_namespaces": list(e.purl_namespaces),
        "domains": list(e.domains),
        "coverage": [
            {
                "authority": c.authority.id,
                "title": c.authority.title,
                "citation": c.authority.citation,
                "products": c.products,
                "entry": c.listing.entry,
                "listed_since": _iso(c.listing.since),
                "since_unknown": c.listing.since_unknown,
                "applies": [
                    {
                        "audience": a.audience,
                        # an undated list's 1970-01-01 placeholder is never shown as a date
                        "since": None if c.listing.since_unknown else a.since.isoformat(),
                        "severity": a.severity,
                    }
                    for a in c.applies
                ],
                "for_you_since": None if c.listing.since_unknown else _iso(c.yours),
                "for_you_until": _iso(c.ends),
                "in_force": c.in_force(today),
                "upcoming": c.yours is not None and c.yours > today,
                "clock": [
                    {"what": d.what, "due": d.due.isoformat(), "status": d.status(today)}
                    for d in c.clock
                ],
                "action": c.action,
                "source": c.listing.source,
                "authority_source": c.authority.source,
            }
            for c in facts.coverage
        ],
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _from(c: Coverage, since: date) -> str:
    """ "from 2017-09-13"; nothing made up when the list gives no date (imported lists)."""
    return "(date of listing unknown)" if c.listing.since_unknown else f"from {since.isoformat()}"


def status_words(c: Coverage, audience: str, today: date) -> str:
    """'in force for U.S. federal agencies since 2017-09-13', or why it is not."""
    who = audience_words(audience)
    if c.yours is None:
        return f"does not apply to {who}"
    if c.yours > today:
        days = (c.yours - today).days
        return (
            f"UPCOMING: applies to {who} from {c.yours.isoformat()} "
            f"(in {days} day{'s' if days != 1 else ''})"
        )
    if c.ends is not None and c.ends < today:
        return f"ended for {who} after {c.ends.isoformat()}"
    if c.listing.since_unknown:
        return f"in force for {who} (date of listing unknown)"
    until = f" until {c.ends.isoformat()}" if c.ends else ""
    return f"in force for {who} since {c.yours.isoformat()}{until}"


def render_text(exp: Explanation, audience: str, today: date) -> str:
    """`procgate explain` for people."""
    if not exp.candidates:
        consulted = "; ".join(f"{i.name} (as of {i.as_of.isoformat()})" for i in exp.lists)
        return (
            f"No match for {exp.query!r} on the ban lists procgate has.\n"
            "Nothing on them matches it as a vendor, brand, product, domain, package or "
            "identifier. This is not a clearance: the lists hold only the companies they "
            "name, as of their dates, and a vendor may be banned under another name, "
            "through a parent company or by a list procgate does not have.\n"
            f"Lists consulted: {consulted or 'none'}.\n"
            "Check the current lists (SAM.gov exclusions, fcc.gov/supplychain/coveredlist, "
            "the Section 1260H list) before relying on this."
        )
    out = []
    if not exp.by_id:
        n = len(exp.candidates)
        out.append(f"{exp.query!r} matches {n} listed vendor{'s' if n != 1 else ''}.")
        out.append("")
    consulted = "; ".join(f"{i.name} (as of {i.as_of.isoformat()})" for i in exp.lists)
    for c in exp.candidates:
        out += _entity_text(c, audience, today)
    if consulted:
        out.append(f"Ban lists: {consulted}.")
    return "\n".join(out).rstrip()


def _entity_text(c: Candidate, audience: str, today: date) -> list[str]:
    e = c.facts.entity
    head = f"{e.name}  (id: {e.id}" + (f", country: {e.country})" if e.country else ")")
    out = [head, "=" * len(head)]
    if c.via != "id":
        via = VIA_WORDS.get(c.via, c.via)
        out.append(f"Match: as {c.as_what}, {c.matched_name!r} ({via}), score {c.score:.2f}")
    out += [
        f"{heading}: {', '.join(_name_text(n) for n in names)}" for heading, names in c.facts.names
    ]
    out += [f"{label}: {values}" for label, values in c.facts.identifiers()]
    out.append("")
    out.append(f"Covered by ({audience_words(audience)}, as of {today.isoformat()}):")
    for cov in c.facts.coverage:
        a = cov.authority
        out.append(f"* {a.title}: {status_words(cov, audience, today)}")
        out.append(f"    citation:   {a.citation}")
        out.append(f"    covers:     {cov.products}")
        out.append(
            "    applies to: "
            + "; ".join(f"{x.words} {_from(cov, x.since)} ({x.severity})" for x in cov.applies)
        )
        if cov.clock:
            out.append(
                "    clock:      "
                + "; ".join(
                    f"{d.what} by {d.due.isoformat()} ({d.status(today)})" for d in cov.clock
                )
            )
        out.append(f"    listed:     {' '.join(cov.listing.entry.split())}")
        if cov.action:
            out.append(f"    what to do: {cov.action}")
        out.append(f"    source:     {cov.listing.source}")
    out.append("")
    return out


def _name_text(n: Name) -> str:
    dates = ""
    if n.until:
        dates = f" (until {n.until.isoformat()})"
    elif n.since:
        dates = f" (since {n.since.isoformat()})"
    return n.value + dates


def owner_labels(doc: Document) -> dict[str, str]:
    """JSON pointer of each vendor-naming field -> the item or component it belongs to, in
    the normalizer's words: "item 1 (Kaspersky Endpoint Security)"."""
    return {s.pointer: s.owner.label for s in subjects(doc)}
