# procgate vendor-ban decision.
#
# Input (built by procgate; never the raw 100k components, only what matched):
#   input.document  {path, kind, spec_version, parent (the request that named this SBOM),
#                    and for purchase requests and waivers: id, data (the whole document)}
#   input.context   {audience, audiences (the audience first, then those it includes),
#                    date (YYYY-MM-DD), use, certain_score,
#                    horizon {until, words}: how far ahead bans.upcoming looks (the
#                    request's period of performance, else 24 months)}
#   input.matches[] {id, entity, role, value, party, pointer, matched, via, score, since,
#                    until, owner {pointer, label, category, name, text, purl}}
# Data (the ban lists, policies/data/*.yaml):
#   data.banlist.authorities[id] {title, citation, action, audiences{aud: {effective, severity,
#                                 until, basis, basis_note, not_for, use_condition,
#                                 supply_effective, contents_effective, action}}}
#   data.banlist.entities[id]    {name, listings[] {authority, since, scope, entry, action, ...}}
#   data.banlist.categories[]    {id, authority, since, words, domestic, entry, action, title}
#
# For each match the policy asks, for every listing of the matched entity:
#   1. in force?  the authority names this audience (or one it includes) and the date is on or
#                 after both the authority's effective date for it and the listing date;
#   2. covered?   the listing's product scope and use condition hold for the item: "yes",
#                 "doubt" (the document does not settle it), or "no".
# Then: any covered deny authority -> deny; a doubt or an advisory authority -> warn (review);
# an authority that comes into force within the horizon -> warn (upcoming); a listed entity
# that nothing reaches -> warn (listed, not banned), so nothing passes silently.
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

# The authority's entry for the first audience (in order) that it names, unless the entry
# leaves out this buyer's audience (`not_for`: BOD 17-01 is not for DoD or the IC).
audience_entry(auth) := entries[0] if {
	entries := [e |
		some aud in input.context.audiences
		e := auth.audiences[aud]
		not left_out(e)
	]
	count(entries) > 0
}

left_out(e) if {
	some aud in e.not_for
	aud in input.context.audiences
}

# `entry` is audience_entry(auth), computed once per listing by the callers (outcomes,
# upcoming): a function's result is not cached, and this one costs a comprehension.
effective_date(entry, listing, m) := max_date(entry_effective(entry, m), listing_since(listing))

# A listed company's goods bought from someone else, or inside another product, may be
# covered later (`contents_effective`, FY2024 NDAA §805); items supplied under a federal
# contract may be covered earlier (`supply_effective`, FY2019 NDAA §889 for contractors).
entry_effective(e, m) := e.contents_effective if {
	e.contents_effective
	not is_request_vendor(m)
} else := e.supply_effective if {
	e.supply_effective
	"federal-contract" in input.context.use
} else := e.effective

listing_since(listing) := listing.since if listing.since != null
else := ""

max_date(a, b) := a if a >= b
else := b

# A sunset (`until`: the last day the authority binds the audience).
ended(e) if input.context.date > e.until

# The audience's own use condition (contractors: only items supplied or used under a
# federal contract): "yes", "no" (the document says it is not), or "doubt" (it does not say).
audience_use(entry) := "yes" if {
	not entry.use_condition
} else := "yes" if {
	some u in entry.use_condition
	u in input.context.use
} else := "no" if {
	"no-federal-contract" in input.context.use
} else := "doubt"

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

# uas (drones): a drone item, or anything a drone maker sells on the request; its other
# products and SBOM components are a doubt.
covered(listing, m) := "yes" if {
	listing.scope == "uas"
	drone(m)
}

covered(listing, m) := "doubt" if {
	listing.scope == "uas"
	not drone(m)
}

drone_words := ["drone", "uas", "uav", "unmanned aircraft", "uncrewed aircraft", "quadcopter"]

drone(m) if whole_word(lower_text(m), drone_words)

drone(m) if is_request_vendor(m)

# semiconductors (§5949): hardware holds chips; software does not settle it.
covered(listing, m) := "yes" if {
	listing.scope == "semiconductors"
	hardware(m)
}

covered(listing, m) := "doubt" if {
	listing.scope == "semiconductors"
	not hardware(m)
}

hardware(m) if {
	is_purchase_item(m)
	m.owner.category in (hardware_categories | {""})
}

hardware(m) if is_request_vendor(m)

hardware(m) if {
	not is_purchase_item(m)
	m.owner.category in hardware_categories
}

# batteries: an item or component that says it is (or holds) a battery.
covered(listing, m) := "yes" if {
	listing.scope == "batteries"
	whole_word(lower_text(m), battery_words)
}

covered(listing, m) := "doubt" if {
	listing.scope == "batteries"
	not whole_word(lower_text(m), battery_words)
}

battery_words := ["battery", "batteries", "cell", "cells", "energy storage", "battery pack"]

whole_word(text, words) if {
	some w in words
	regex.match(sprintf(`(^|[^a-z0-9])%s([^a-z0-9]|$)`, [w]), text)
}

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

# outcomes[match id] = the set of {authority, covered, severity, effective, basis, action}
# that reach it (one listing per entity and authority).
# In force: the authority names this audience (audience_entry), the date is on or after its
# effective date and the listing's, and the authority has not ended for the audience.
# Each value is computed once per listing here (functions are not cached).
outcomes[m.id] contains {
	"authority": listing.authority,
	"covered": cover,
	"severity": entry.severity,
	"effective": eff,
	"basis": object.get(entry, "basis", "law"),
	"action": full_action(auth, entry, listing),
} if {
	some m in input.matches
	some listing in data.banlist.entities[m.entity].listings
	auth := data.banlist.authorities[listing.authority]
	entry := audience_entry(auth)
	eff := effective_date(entry, listing, m)
	input.context.date >= eff
	not ended(entry)
	cover := final_cover(listing, m, entry)
	cover != "no"
}

final_cover(listing, m, entry) := "no" if {
	covered(listing, m) == "no"
} else := "no" if {
	audience_use(entry) == "no"
} else := "yes" if {
	covered(listing, m) == "yes"
	certain(m)
	audience_use(entry) == "yes"
} else := "doubt"

# What to do: the listing's own words (else the authority's), then the audience's.
full_action(auth, entry, listing) := trim_space(concat(" ", [
	listing_action(auth, listing),
	object.get(entry, "action", ""),
]))

listing_action(auth, listing) := listing.action if listing.action != ""
else := object.get(auth, "action", "")

# The authority that decides a deny: a law before procgate's policy, then the oldest.
deciding(id) := sort([[basis_rank[o.basis], o.effective, o.authority] |
	some o in outcomes[id]
	o.covered == "yes"
	o.severity == "deny"
])[0][2]

basis_rank := {"law": 0, "policy": 1}

decided_action(id) := o.action if {
	some o in outcomes[id]
	o.authority == deciding(id)
}

# Advisory findings: the advice of the advisory authority (the oldest), if any.
advised_action(id) := sort([[o.effective, o.authority, o.action] |
	some o in outcomes[id]
	o.covered == "yes"
	o.severity == "warn"
])[0][2]

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
	"action": decided_action(m.id),
	"msg": deny_message(m),
} if {
	some m in input.matches
	count(deny_authorities(m.id)) > 0
}

deny_message(m) := sprintf("%s: %s is denied for %s by procgate's policy based on %s: %s.", [
	m.owner.label, entity_name(m), input.context.audience, titles(m.id, deny_authorities(m.id)),
	policy_note(m.id),
]) if {
	every a in deny_authorities(m.id) {
		policy_based(m.id, a)
	}
} else := sprintf("%s: %s is banned for %s under %s.", [
	m.owner.label, entity_name(m), input.context.audience, titles(m.id, deny_authorities(m.id)),
])

policy_based(id, a) if {
	some o in outcomes[id]
	o.authority == a
	o.basis == "policy"
}

# Why the list alone does not forbid it (the audience entry's basis_note).
policy_note(id) := concat("; ", sort({note |
	some a in deny_authorities(id)
	note := object.get(audience_entry(data.banlist.authorities[a]), "basis_note",
		"the list itself does not forbid this purchase")
}))

warn contains {
	"rule": rule,
	"match": m.id,
	"authorities": all_authorities(m.id),
	"action": warn_action(m.id, rule),
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

# A review keeps the generic review advice (procgate's); an advisory gives the list's.
warn_action(id, "bans.advisory") := advised_action(id)

warn_action(_, "bans.review") := ""

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
	not upcoming[m.id]
}

# ---------------------------------------------------------------- bans that are coming

# upcoming[match id] = {authority, effective} not yet in force on the check date but in force
# by the horizon (the request's period of performance, else 24 months ahead).
upcoming[m.id] contains {"authority": listing.authority, "effective": eff} if {
	some m in input.matches
	some listing in data.banlist.entities[m.entity].listings
	entry := audience_entry(data.banlist.authorities[listing.authority])
	eff := effective_date(entry, listing, m)
	eff > input.context.date
	eff <= input.context.horizon.until
	final_cover(listing, m, entry) != "no"
}

warn contains {
	"rule": "bans.upcoming",
	"match": m.id,
	"authorities": sort({u.authority | some u in upcoming[m.id]}),
	"msg": sprintf("%s: %s will be covered for %s by %s, within %s.", [
		m.owner.label, entity_name(m), input.context.audience, upcoming_titles(m.id),
		input.context.horizon.words,
	]),
} if {
	some m in input.matches
	count(deny_authorities(m.id)) == 0
	upcoming[m.id]
}

upcoming_titles(id) := concat("; ", sort([sprintf("%s from %s", [
	data.banlist.authorities[u.authority].title, u.effective,
]) | some u in upcoming[id]]))

# ---------------------------------------------------------------- product categories

# Covered List entries that name a kind of product (foreign-produced drones, routers, ...):
# an item that is such a product and does not say it is produced in a domestic country.
warn contains {
	"rule": "bans.review",
	"pointer": sprintf("/items/%d", [i]),
	"authorities": [cat.authority],
	"action": cat.action,
	"msg": sprintf("item %d (%s): a product category on the %s since %s: %s; %s.", [
		i + 1, item_name(item), cat.title, cat.since, trim_suffix(cat.entry, "."),
		made_in_words(item),
	]),
} if {
	input.document.kind == "purchase-request"
	is_array(input.document.data.items) # malformed items are the schema's finding, not a policy error
	some i, item in input.document.data.items
	is_object(item)
	some cat in data.banlist.categories
	auth := data.banlist.authorities[cat.authority]
	input.context.date >= max_date(audience_entry(auth).effective, cat.since)
	whole_word(item_text(item), cat.words)
	not upper(text_field(item, "made_in")) in {c | some c in cat.domestic}
}

item_text(item) := lower(concat(" ", [
	text_field(item, "description"), text_field(item, "product"), text_field(item, "model"),
]))

# A field's text, or "" when it is missing or not a string (the schema reports that).
text_field(obj, key) := obj[key] if is_string(obj[key])
else := ""

item_name(item) := item.product if is_string(item.product)
else := text_field(item, "description")

made_in_words(item) := sprintf("the item is made in %s: review whether it may be bought", [
	item.made_in,
]) if {
	is_string(item.made_in)
} else := "the request does not say where the item is produced (made_in)"

# "Title (in force since YYYY-MM-DD); ..." for the given authorities of one match; "(date of
# listing unknown)" where the list gives none (imported screening lists); "procgate's policy
# based on the list" where the deny is procgate's policy, not the list's own force.
titles(id, ids) := concat("; ", sort([sprintf("%s (%s)", [
	data.banlist.authorities[a].title, since_words(id, a),
]) | some a in ids]))

since_words(id, a) := "date of listing unknown" if {
	some m in input.matches
	m.id == id
	some listing in data.banlist.entities[m.entity].listings
	listing.authority == a
	object.get(listing, "since_unknown", false)
} else := sprintf("%s since %s", [basis_words(id, a), earliest(id, a)])

basis_words(id, a) := "procgate's policy based on the list" if policy_based(id, a)
else := "in force"

earliest(id, a) := min({o.effective | some o in outcomes[id]; o.authority == a})

doubt_reason(m) := "the SBOM names it as the SBOM's own maker or author, which usually means the product is its; check who makes the product" if {
	sbom_writer(m)
} else := "the name matched only approximately; check it is the same company" if {
	m.score < input.context.certain_score
} else := sprintf("%q belonged to the entity only %s", [m.matched, window_words(m)]) if {
	not name_in_window(m)
} else := "for contractors it covers only items supplied to the Government or used in performing a federal contract, and the document does not say how the item is used (use: federal-contract or no-federal-contract)" if {
	use_doubt(m)
} else := "covered only for public-safety, government-facility-security, critical-infrastructure or national-security use, and the document does not state such a use" if {
	doubt_scope(m, "video-telecom-equipment")
} else := "covered for equipment; whether this software component counts as equipment is not settled" if {
	doubt_scope(m, "telecom-equipment")
} else := "covered for information-security products; the document does not say this is one" if {
	doubt_scope(m, "security-software")
} else := "covered for telecommunications services; the document does not say this is one" if {
	doubt_scope(m, "telecom-services")
} else := "covered for drones; the document does not say this is one" if {
	doubt_scope(m, "uas")
} else := "covered for products that contain the company's chips; whether this item holds any is not settled" if {
	doubt_scope(m, "semiconductors")
} else := "covered for batteries; the document does not say this is one" if {
	doubt_scope(m, "batteries")
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

use_doubt(m) if {
	some o in outcomes[m.id]
	o.covered == "doubt"
	audience_use(audience_entry(data.banlist.authorities[o.authority])) == "doubt"
}
