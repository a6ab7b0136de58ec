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
# Matches that agree in all the decision reads (`facts`: all but where the match is) are
# decided once; each still gets its own finding, with its own label.
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

drone_words := ["drone", "uas", "uav", "unmanned aircraft", "uncrewed aircraft", "quadcopter"]

battery_words := ["battery", "batteries", "cell", "cells", "energy storage", "battery pack"]

# The word lists as one regular expression each, so that a match's text is searched once
# per list, not once per word (none of the words holds a character special to regular
# expressions): anywhere in the text for security words and exclusions, as a whole word for
# the rest.
word_patterns := object.union(
	{
		"security": concat("|", security_words),
		"tiktok": whole_words(["tiktok"]),
		"drone": whole_words(drone_words),
		"battery": whole_words(battery_words),
	},
	{key: concat("|", words) | some key, words in exclusion_words},
)

whole_words(words) := sprintf(`(^|[^a-z0-9])(%s)([^a-z0-9]|$)`, [concat("|", words)])

# The word lists each scope reads.
scope_words := {
	"security-software": {"security"},
	"tiktok-app": {"tiktok"},
	"uas": {"drone"},
	"batteries": {"battery"},
}

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
# `f` is a match's facts (below).
effective_date(entry, listing, f) := max_date(entry_effective(entry, f), listing_since(listing))

# A listed company's goods bought from someone else, or inside another product, may be
# covered later (`contents_effective`, FY2024 NDAA §805); items supplied under a federal
# contract may be covered earlier (`supply_effective`, FY2019 NDAA §889 for contractors).
entry_effective(e, f) := e.contents_effective if {
	e.contents_effective
	not f.request_vendor
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

# ---------------------------------------------------------------- what a decision reads

# facts[match id]: all that the decision and the words of its findings read of a match; only
# where the match is and its label are left out. The matches of one vendor in thousands of
# components mostly share their facts, and each distinct facts object is decided once
# (`decided`): a function's result is not cached, a rule's value is.
facts[m.id] := {
	"entity": m.entity,
	"matched": m.matched,
	"score": m.score,
	"since": m.since,
	"until": m.until,
	"category": m.owner.category,
	# a line of a purchase request
	"item": startswith(m.owner.pointer, "/items/"),
	# the vendor of a purchase request: it sells everything on it
	"request_vendor": [input.document.kind, m.owner.pointer] == ["purchase-request", ""],
	# the word lists (word_patterns) that its text holds
	"hits": {w |
		some w in entity_words[m.entity]
		regex.match(word_patterns[w], text)
	},
} if {
	some m in input.matches
	text := lower(concat(" ", [m.owner.name, m.owner.text, m.value]))
}

decided := {f | some f in facts}

# The word lists the listings of a matched entity read (a security-software listing's
# exclusions too).
entity_words[e] := {w |
	some listing in data.banlist.entities[e].listings
	some w in listing_words(listing)
} if some e in {m.entity | some m in input.matches}

listing_words(listing) := scope_words[listing.scope] | {key |
	listing.scope == "security-software"
	some key in object.get(listing, "excludes", [])
} if scope_words[listing.scope]

# ---------------------------------------------------------------- product scope

# covered(listing, f): "yes", "doubt" or "no" for the listing's product scope and a match
# with facts f.
covered(listing, _) := "yes" if listing.scope == "any"

# security-software
covered(listing, f) := "no" if {
	listing.scope == "security-software"
	excluded(listing, f)
} else := "yes" if {
	listing.scope == "security-software"
	security_item(f)
} else := "doubt" if listing.scope == "security-software"

excluded(listing, f) if {
	some key in object.get(listing, "excludes", [])
	key in f.hits
}

security_item(f) if "security" in f.hits

security_item(_) if "information-security" in input.context.use

# A Kaspersky software or service line on a purchase request is a security product:
# the company sells nothing else under its name (exclusions above aside).
security_item(f) if {
	f.item
	f.category in {"software", "cloud-service", "service", ""}
}

security_item(f) if f.request_vendor

# telecom-equipment (Huawei, ZTE): any purchase item or vendor; in an SBOM only
# hardware-like components are clearly equipment.
covered(listing, f) := "yes" if {
	listing.scope == "telecom-equipment"
	telecom_equipment(f)
} else := "doubt" if listing.scope == "telecom-equipment"

telecom_equipment(f) if f.item

telecom_equipment(f) if f.request_vendor

telecom_equipment(f) if {
	not f.item
	f.category in hardware_categories
}

# video-telecom-equipment (Hytera, Hikvision, Dahua): only for the listed uses.
covered(listing, _) := "yes" if {
	listing.scope == "video-telecom-equipment"
	count(listed_uses(listing) & {u | some u in input.context.use}) > 0
} else := "doubt" if listing.scope == "video-telecom-equipment"

listed_uses(listing) := {u | some u in object.get(listing, "use_condition", public_uses)}

# telecom-services (the carriers): services on a purchase request; anything else is a doubt.
covered(listing, f) := "yes" if {
	listing.scope == "telecom-services"
	telecom_service(f)
} else := "doubt" if listing.scope == "telecom-services"

telecom_service(f) if {
	f.item
	f.category in service_categories
}

telecom_service(f) if f.request_vendor

# tiktok-app: the TikTok application (and successors), not every ByteDance product.
covered(listing, f) := "yes" if {
	listing.scope == "tiktok-app"
	tiktok(f)
} else := "no" if listing.scope == "tiktok-app"

tiktok(f) if "tiktok" in f.hits

tiktok(f) if regex.match(word_patterns.tiktok, lower(f.matched))

# uas (drones): a drone item, or anything a drone maker sells on the request; its other
# products and SBOM components are a doubt.
covered(listing, f) := "yes" if {
	listing.scope == "uas"
	drone(f)
} else := "doubt" if listing.scope == "uas"

drone(f) if "drone" in f.hits

drone(f) if f.request_vendor

# semiconductors (§5949): hardware holds chips; software does not settle it.
covered(listing, f) := "yes" if {
	listing.scope == "semiconductors"
	hardware(f)
} else := "doubt" if listing.scope == "semiconductors"

hardware(f) if {
	f.item
	f.category in (hardware_categories | {""})
}

hardware(f) if f.request_vendor

hardware(f) if {
	not f.item
	f.category in hardware_categories
}

# batteries: an item or component that says it is (or holds) a battery.
covered(listing, f) := "yes" if {
	listing.scope == "batteries"
	"battery" in f.hits
} else := "doubt" if listing.scope == "batteries"

whole_word(text, words) if {
	some w in words
	regex.match(sprintf(`(^|[^a-z0-9])%s([^a-z0-9]|$)`, [w]), text)
}

# ---------------------------------------------------------------- doubts about the match itself

# A name that belonged to the entity only for a while (e.g. a brand that was sold).
name_in_window(f) if {
	not_before(f)
	not_after(f)
}

not_before(f) if f.since == null

not_before(f) if input.context.date >= f.since

not_after(f) if f.until == null

not_after(f) if input.context.date <= f.until

certain(f) if {
	f.score >= input.context.certain_score
	name_in_window(f)
	not sbom_writer(f)
}

# Who made or wrote the SBOM itself (CycloneDX metadata.manufacturer/authors, SPDX
# creators): the product's maker usually writes its own SBOM, but a consultant may too,
# so a listed vendor there is a review, never a deny on its own.
sbom_writer(f) if f.category == "sbom-author"

# ---------------------------------------------------------------- outcomes

# outcomes_for[facts] = the set of {authority, covered, severity, effective, basis, action}
# that reach a match with these facts (one listing per entity and authority).
# In force: the authority names this audience (audience_entry), the date is on or after its
# effective date and the listing's, and the authority has not ended for the audience.
# Each value is computed once per listing here (functions are not cached).
outcomes_for[f] contains {
	"authority": listing.authority,
	"covered": cover,
	"severity": entry.severity,
	"effective": eff,
	"basis": object.get(entry, "basis", "law"),
	"action": full_action(auth, entry, listing),
} if {
	some f in decided
	some listing in data.banlist.entities[f.entity].listings
	auth := data.banlist.authorities[listing.authority]
	entry := audience_entry(auth)
	eff := effective_date(entry, listing, f)
	input.context.date >= eff
	not ended(entry)
	cover := final_cover(covered(listing, f), f, entry)
	cover != "no"
}

# Per match, as the decision reads them: outcomes[match id] and upcoming[match id] (for
# policies and tests that look at one match; deny and warn read the facts' own).
outcomes[m.id] := o if {
	some m in input.matches
	o := outcomes_for[facts[m.id]]
}

upcoming[m.id] := u if {
	some m in input.matches
	u := upcoming_for[facts[m.id]]
}

final_cover("no", _, _) := "no"

final_cover(cover, f, entry) := "no" if {
	cover != "no"
	audience_use(entry) == "no"
} else := "yes" if {
	cover == "yes"
	certain(f)
	audience_use(entry) == "yes"
} else := "doubt" if cover != "no"

# What to do: the listing's own words (else the authority's), then the audience's.
full_action(auth, entry, listing) := trim_space(concat(" ", [
	listing_action(auth, listing),
	object.get(entry, "action", ""),
]))

listing_action(auth, listing) := listing.action if listing.action != ""
else := object.get(auth, "action", "")

# The authority that decides a deny: a law before procgate's policy, then the oldest.
deciding(f) := sort([[basis_rank[o.basis], o.effective, o.authority] |
	some o in outcomes_for[f]
	o.covered == "yes"
	o.severity == "deny"
])[0][2]

basis_rank := {"law": 0, "policy": 1}

decided_action(f) := o.action if {
	a := deciding(f)
	some o in outcomes_for[f]
	o.authority == a
}

# Advisory findings: the advice of the advisory authority (the oldest), if any.
advised_action(f) := sort([[o.effective, o.authority, o.action] |
	some o in outcomes_for[f]
	o.covered == "yes"
	o.severity == "warn"
])[0][2]

deny_authorities[f] := {o.authority |
	some o in outcomes_for[f]
	o.covered == "yes"
	o.severity == "deny"
} if some f in decided

doubt_authorities(f) := {o.authority | some o in outcomes_for[f]; o.covered == "doubt"}

advisory_authorities(f) := {o.authority |
	some o in outcomes_for[f]
	o.covered == "yes"
	o.severity == "warn"
}

all_authorities[f] := sort({o.authority | some o in outcomes_for[f]}) if some f in decided

entity_name(f) := data.banlist.entities[f.entity].name

# ---------------------------------------------------------------- findings

# What each rule says about a match with these facts, but for the match's label: decided
# once per distinct facts object; each match's finding puts its own label in front.
denied[f] := {
	"authorities": all_authorities[f],
	"action": decided_action(f),
	"msg": deny_message(f),
} if {
	some f in decided
	count(deny_authorities[f]) > 0
}

deny contains {
	"rule": "bans.banned-vendor",
	"match": m.id,
	"authorities": d.authorities,
	"action": d.action,
	"msg": sprintf("%s: %s", [m.owner.label, d.msg]),
} if {
	some m in input.matches
	d := denied[facts[m.id]]
}

deny_message(f) := sprintf("%s is denied for %s by procgate's policy based on %s: %s.", [
	entity_name(f), input.context.audience, titles(f, deny_authorities[f]), policy_note(f),
]) if {
	every a in deny_authorities[f] {
		policy_based(f, a)
	}
} else := sprintf("%s is banned for %s under %s.", [
	entity_name(f), input.context.audience, titles(f, deny_authorities[f]),
])

policy_based(f, a) if {
	some o in outcomes_for[f]
	o.authority == a
	o.basis == "policy"
}

# Why the list alone does not forbid it (the audience entry's basis_note).
policy_note(f) := concat("; ", sort({note |
	some a in deny_authorities[f]
	note := object.get(audience_entry(data.banlist.authorities[a]), "basis_note",
		"the list itself does not forbid this purchase")
}))

reviewed[f] := {
	"rule": rule,
	"authorities": all_authorities[f],
	"action": warn_action(f, rule),
	"msg": sprintf("%s may be covered for %s by %s: %s.", [
		entity_name(f), input.context.audience, titles(f, authorities), doubt_reason(f),
	]),
} if {
	some f in decided
	count(deny_authorities[f]) == 0
	authorities := doubt_authorities(f) | advisory_authorities(f)
	count(authorities) > 0
	rule := review_rule(f)
}

warn contains {
	"rule": r.rule,
	"match": m.id,
	"authorities": r.authorities,
	"action": r.action,
	"msg": sprintf("%s: %s", [m.owner.label, r.msg]),
} if {
	some m in input.matches
	r := reviewed[facts[m.id]]
}

review_rule(f) := "bans.review" if count(doubt_authorities(f)) > 0
else := "bans.advisory"

# A review keeps the generic review advice (procgate's); an advisory gives the list's.
warn_action(f, "bans.advisory") := advised_action(f)

warn_action(_, "bans.review") := ""

warn contains {
	"rule": "bans.listed-not-banned",
	"match": m.id,
	"authorities": [],
	"msg": sprintf("%s: %s is on a ban list, but no listed ban reaches this item for %s on %s.", [
		m.owner.label, entity_name(f), input.context.audience, input.context.date,
	]),
} if {
	some m in input.matches
	f := facts[m.id]
	not outcomes_for[f]
	not upcoming_for[f]
}

# ---------------------------------------------------------------- bans that are coming

# upcoming_for[facts] = {authority, effective} not yet in force on the check date but in force
# by the horizon (the request's period of performance, else 24 months ahead).
upcoming_for[f] contains {"authority": listing.authority, "effective": eff} if {
	some f in decided
	some listing in data.banlist.entities[f.entity].listings
	entry := audience_entry(data.banlist.authorities[listing.authority])
	eff := effective_date(entry, listing, f)
	eff > input.context.date
	eff <= input.context.horizon.until
	final_cover(covered(listing, f), f, entry) != "no"
}

coming[f] := {
	"authorities": sort({u.authority | some u in upcoming_for[f]}),
	"msg": sprintf("%s will be covered for %s by %s, within %s.", [
		entity_name(f), input.context.audience, upcoming_titles(f), input.context.horizon.words,
	]),
} if {
	some f in decided
	count(deny_authorities[f]) == 0
	upcoming_for[f]
}

warn contains {
	"rule": "bans.upcoming",
	"match": m.id,
	"authorities": c.authorities,
	"msg": sprintf("%s: %s", [m.owner.label, c.msg]),
} if {
	some m in input.matches
	c := coming[facts[m.id]]
}

upcoming_titles(f) := concat("; ", sort([sprintf("%s from %s", [
	data.banlist.authorities[u.authority].title, u.effective,
]) | some u in upcoming_for[f]]))

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
titles(f, ids) := concat("; ", sort([sprintf("%s (%s)", [
	data.banlist.authorities[a].title, since_words(f, a),
]) | some a in ids]))

since_words(f, a) := "date of listing unknown" if {
	some listing in data.banlist.entities[f.entity].listings
	listing.authority == a
	object.get(listing, "since_unknown", false)
} else := sprintf("%s since %s", [basis_words(f, a), earliest(f, a)])

basis_words(f, a) := "procgate's policy based on the list" if policy_based(f, a)
else := "in force"

earliest(f, a) := min({o.effective | some o in outcomes_for[f]; o.authority == a})

doubt_reason(f) := "the SBOM names it as the SBOM's own maker or author, which usually means the product is its; check who makes the product" if {
	sbom_writer(f)
} else := "the name matched only approximately; check it is the same company" if {
	f.score < input.context.certain_score
} else := sprintf("%q belonged to the entity only %s", [f.matched, window_words(f)]) if {
	not name_in_window(f)
} else := "for contractors it covers only items supplied to the Government or used in performing a federal contract, and the document does not say how the item is used (use: federal-contract or no-federal-contract)" if {
	use_doubt(f)
} else := "covered only for public-safety, government-facility-security, critical-infrastructure or national-security use, and the document does not state such a use" if {
	doubt_scope(f, "video-telecom-equipment")
} else := "covered for equipment; whether this software component counts as equipment is not settled" if {
	doubt_scope(f, "telecom-equipment")
} else := "covered for information-security products; the document does not say this is one" if {
	doubt_scope(f, "security-software")
} else := "covered for telecommunications services; the document does not say this is one" if {
	doubt_scope(f, "telecom-services")
} else := "covered for drones; the document does not say this is one" if {
	doubt_scope(f, "uas")
} else := "covered for products that contain the company's chips; whether this item holds any is not settled" if {
	doubt_scope(f, "semiconductors")
} else := "covered for batteries; the document does not say this is one" if {
	doubt_scope(f, "batteries")
} else := "the list advises against it for this audience but does not forbid it"

# "from 2019-05-01 to 2020-12-31", "until 2020-12-31" (a subsidiary that left its parent),
# "from 2021-06-01" (one it acquired).
window_words(f) := sprintf("from %s to %s", [f.since, f.until]) if {
	f.since != null
	f.until != null
} else := sprintf("until %s", [f.until]) if {
	f.until != null
} else := sprintf("from %s", [f.since])

doubt_scope(f, scope) if {
	some listing in data.banlist.entities[f.entity].listings
	listing.scope == scope
	some o in outcomes_for[f]
	o.authority == listing.authority
	o.covered == "doubt"
}

use_doubt(f) if {
	some o in outcomes_for[f]
	o.covered == "doubt"
	audience_use(audience_entry(data.banlist.authorities[o.authority])) == "doubt"
}
