# procgate vendor-ban decision.
#
# Input (built by procgate; never the raw 100k components, only what matched):
#   input.document  {path, kind, id, use}
#   input.context   {audience, audiences (the audience first, then those it includes),
#                    date (YYYY-MM-DD), use, certain_score}
#   input.matches[] {id, entity, role, value, party, matched, via, score, since, until,
#                    owner {pointer, label, category, name, text}}
# Data (the ban lists, policies/data/*.yaml):
#   data.banlist.authorities[id] {title, citation, audiences{aud: {effective, severity}}, ...}
#   data.banlist.entities[id]    {name, listings[] {authority, since, scope, entry, ...}}
#
# For each match the policy asks, for every listing of the matched entity:
#   1. in force?  the authority names this audience (or one it includes) and the date is on or
#                 after both the authority's effective date for it and the listing date;
#   2. covered?   the listing's product scope and use condition hold for the item: "yes",
#                 "doubt" (the document does not settle it), or "no".
# Then: any covered deny authority -> deny; a doubt or an advisory authority -> warn (review);
# a listed entity that nothing reaches -> warn (listed, not banned), so nothing passes silently.
package procgate.bans

import rego.v1

# Words that mark an item as information-security / anti-virus software (BOD 17-01, BIS, FCC).
security_words := [
	"security", "antivirus", "anti-virus", "anti virus", "endpoint", "anti-malware",
	"antimalware", "malware", "edr", "xdr", "firewall", "vpn", "internet security",
	"total security", "threat protection", "ksn", "security network",
]

# BIS ICTS-2021-002 leaves these Kaspersky offerings out (89 FR 52434).
exclusion_words := {
	"threat-intelligence": ["threat intelligence", "threat intel", "threat data feed"],
	"security-training": ["training", "awareness", "course"],
	"consulting": ["consulting", "consultancy", "advisory"],
}

public_uses := {
	"public-safety", "government-facility-security", "critical-infrastructure",
	"national-security",
}

hardware_categories := {"hardware", "telecom-equipment", "video-surveillance-equipment"}

service_categories := {"service", "cloud-service", "telecom-equipment"}

# ---------------------------------------------------------------- in force

# The authority's entry for the first audience (in order) that it names.
audience_entry(auth) := entries[0] if {
	entries := [e | some aud in input.context.audiences; e := auth.audiences[aud]]
	count(entries) > 0
}

effective_date(auth, listing) := max_date(audience_entry(auth).effective, listing_since(listing))

listing_since(listing) := listing.since if listing.since != null
else := ""

max_date(a, b) := a if a >= b
else := b

in_force(auth, listing) if input.context.date >= effective_date(auth, listing)

# ---------------------------------------------------------------- product scope

lower_text(m) := lower(concat(" ", [m.owner.name, m.owner.text, m.value]))

is_purchase_item(m) if startswith(m.owner.pointer, "/items/")

# The vendor of a purchase request sells everything on it.
is_request_vendor(m) if {
	input.document.kind == "purchase-request"
	m.owner.pointer == ""
}

has_word(text, words) if {
	some w in words
	contains(text, w)
}

covered(listing, _) := "yes" if listing.scope == "any"

# security-software
excluded(listing, m) if {
	some key in object.get(listing, "excludes", [])
	has_word(lower_text(m), exclusion_words[key])
}

covered(listing, m) := "no" if {
	listing.scope == "security-software"
	excluded(listing, m)
}

covered(listing, m) := "yes" if {
	listing.scope == "security-software"
	not excluded(listing, m)
	security_item(m)
}

covered(listing, m) := "doubt" if {
	listing.scope == "security-software"
	not excluded(listing, m)
	not security_item(m)
}

security_item(m) if has_word(lower_text(m), security_words)

security_item(_) if "information-security" in input.context.use

# A Kaspersky software or service line on a purchase request is a security product:
# the company sells nothing else under its name (exclusions above aside).
security_item(m) if {
	is_purchase_item(m)
	m.owner.category in {"software", "cloud-service", "service", ""}
}

security_item(m) if is_request_vendor(m)

# telecom-equipment (Huawei, ZTE): any purchase item or vendor; in an SBOM only
# hardware-like components are clearly equipment.
covered(listing, m) := "yes" if {
	listing.scope == "telecom-equipment"
	telecom_equipment(m)
}

covered(listing, m) := "doubt" if {
	listing.scope == "telecom-equipment"
	not telecom_equipment(m)
}

telecom_equipment(m) if is_purchase_item(m)

telecom_equipment(m) if is_request_vendor(m)

telecom_equipment(m) if {
	not is_purchase_item(m)
	m.owner.category in hardware_categories
}

# video-telecom-equipment (Hytera, Hikvision, Dahua): only for the listed uses.
covered(listing, _) := "yes" if {
	listing.scope == "video-telecom-equipment"
	count(listed_uses(listing) & {u | some u in input.context.use}) > 0
}

covered(listing, _) := "doubt" if {
	listing.scope == "video-telecom-equipment"
	count(listed_uses(listing) & {u | some u in input.context.use}) == 0
}

listed_uses(listing) := {u | some u in object.get(listing, "use_condition", public_uses)}

# telecom-services (the carriers): services on a purchase request; anything else is a doubt.
covered(listing, m) := "yes" if {
	listing.scope == "telecom-services"
	telecom_service(m)
}

covered(listing, m) := "doubt" if {
	listing.scope == "telecom-services"
	not telecom_service(m)
}

telecom_service(m) if {
	is_purchase_item(m)
	m.owner.category in service_categories
}

telecom_service(m) if is_request_vendor(m)

# tiktok-app: the TikTok application (and successors), not every ByteDance product.
covered(listing, m) := "yes" if {
	listing.scope == "tiktok-app"
	tiktok(m)
}

covered(listing, m) := "no" if {
	listing.scope == "tiktok-app"
	not tiktok(m)
}

tiktok(m) if regex.match(`(^|[^a-z0-9])tiktok([^a-z0-9]|$)`, lower_text(m))

tiktok(m) if regex.match(`(^|[^a-z0-9])tiktok([^a-z0-9]|$)`, lower(m.matched))

# ---------------------------------------------------------------- doubts about the match itself

# A name that belonged to the entity only for a while (e.g. a brand that was sold).
name_in_window(m) if {
	not_before(m)
	not_after(m)
}

not_before(m) if m.since == null

not_before(m) if input.context.date >= m.since

not_after(m) if m.until == null

not_after(m) if input.context.date <= m.until

certain(m) if {
	m.score >= input.context.certain_score
	name_in_window(m)
	not sbom_writer(m)
}

# Who made or wrote the SBOM itself (CycloneDX metadata.manufacturer/authors, SPDX
# creators): the product's maker usually writes its own SBOM, but a consultant may too,
# so a listed vendor there is a review, never a deny on its own.
sbom_writer(m) if m.owner.category == "sbom-author"

# ---------------------------------------------------------------- outcomes per match

# outcomes[match id] = the set of {authority, covered, severity, effective} that reach it.
# An entity may be listed twice by one authority (the FCC lists two Kaspersky entries).
outcomes[m.id] contains {
	"authority": listing.authority,
	"covered": final_cover(listing, m),
	"severity": audience_entry(auth).severity,
	"effective": effective_date(auth, listing),
} if {
	some m in input.matches
	some listing in data.banlist.entities[m.entity].listings
	auth := data.banlist.authorities[listing.authority]
	in_force(auth, listing)
	final_cover(listing, m) != "no"
}

final_cover(listing, m) := "doubt" if {
	covered(listing, m) == "yes"
	not certain(m)
} else := covered(listing, m)

deny_authorities(id) := {o.authority |
	some o in outcomes[id]
	o.covered == "yes"
	o.severity == "deny"
}

doubt_authorities(id) := {o.authority | some o in outcomes[id]; o.covered == "doubt"}

advisory_authorities(id) := {o.authority |
	some o in outcomes[id]
	o.covered == "yes"
	o.severity == "warn"
}

all_authorities(id) := sort({o.authority | some o in outcomes[id]})

entity_name(m) := data.banlist.entities[m.entity].name

deny contains {
	"rule": "bans.banned-vendor",
	"match": m.id,
	"authorities": all_authorities(m.id),
	"msg": sprintf("%s: %s is banned for %s under %s.", [
		m.owner.label, entity_name(m), input.context.audience, titles(m.id, deny_authorities(m.id)),
	]),
} if {
	some m in input.matches
	count(deny_authorities(m.id)) > 0
}

warn contains {
	"rule": rule,
	"match": m.id,
	"authorities": all_authorities(m.id),
	"msg": sprintf("%s: %s may be covered for %s by %s: %s.", [
		m.owner.label, entity_name(m), input.context.audience, titles(m.id, reviewed),
		doubt_reason(m),
	]),
} if {
	some m in input.matches
	count(deny_authorities(m.id)) == 0
	reviewed := doubt_authorities(m.id) | advisory_authorities(m.id)
	count(reviewed) > 0
	rule := review_rule(m.id)
}

review_rule(id) := "bans.review" if count(doubt_authorities(id)) > 0
else := "bans.advisory"

warn contains {
	"rule": "bans.listed-not-banned",
	"match": m.id,
	"authorities": [],
	"msg": sprintf("%s: %s is on a ban list, but no listed ban reaches this item for %s on %s.", [
		m.owner.label, entity_name(m), input.context.audience, input.context.date,
	]),
} if {
	some m in input.matches
	not outcomes[m.id]
}

# "Title (in force since YYYY-MM-DD); ..." for the given authorities of one match; "(date of
# listing unknown)" where the list gives none (imported screening lists).
titles(id, ids) := concat("; ", sort([sprintf("%s (%s)", [
	data.banlist.authorities[a].title, since_words(id, a),
]) | some a in ids]))

since_words(id, a) := "date of listing unknown" if {
	some m in input.matches
	m.id == id
	some listing in data.banlist.entities[m.entity].listings
	listing.authority == a
	object.get(listing, "since_unknown", false)
} else := sprintf("in force since %s", [earliest(id, a)])

earliest(id, a) := min({o.effective | some o in outcomes[id]; o.authority == a})

doubt_reason(m) := "the SBOM names it as the SBOM's own maker or author, which usually means the product is its; check who makes the product" if {
	sbom_writer(m)
} else := "the name matched only approximately; check it is the same company" if {
	m.score < input.context.certain_score
} else := sprintf("%q belonged to the entity only %s", [m.matched, window_words(m)]) if {
	not name_in_window(m)
} else := "covered only for public-safety, government-facility-security, critical-infrastructure or national-security use, and the document does not state such a use" if {
	doubt_scope(m, "video-telecom-equipment")
} else := "covered for equipment; whether this software component counts as equipment is not settled" if {
	doubt_scope(m, "telecom-equipment")
} else := "covered for information-security products; the document does not say this is one" if {
	doubt_scope(m, "security-software")
} else := "covered for telecommunications services; the document does not say this is one" if {
	doubt_scope(m, "telecom-services")
} else := "the list advises against it for this audience but does not forbid it"

# "from 2019-05-01 to 2020-12-31", "until 2020-12-31" (a subsidiary that left its parent),
# "from 2021-06-01" (one it acquired).
window_words(m) := sprintf("from %s to %s", [m.since, m.until]) if {
	m.since != null
	m.until != null
} else := sprintf("until %s", [m.until]) if {
	m.until != null
} else := sprintf("from %s", [m.since])

doubt_scope(m, scope) if {
	some listing in data.banlist.entities[m.entity].listings
	listing.scope == scope
	some o in outcomes[m.id]
	o.authority == listing.authority
	o.covered == "doubt"
}
