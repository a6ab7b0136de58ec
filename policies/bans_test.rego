# Unit tests of policies/bans.rego. Run: procgate test --coverage
package procgate.bans_test

import rego.v1

import data.procgate.bans

fixture := {
	"authorities": {
		"law-a": {"title": "Law A", "audiences": {
			"us-federal": {"effective": "2018-10-01", "severity": "deny"},
			"us-contractor": {"effective": "2020-08-13", "severity": "deny"},
		}},
		"list-b": {"title": "List B", "audiences": {
			"us-federal": {"effective": "2021-03-12", "severity": "deny"},
			"us-person": {"effective": "2021-03-12", "severity": "warn"},
		}},
	},
	"entities": {
		"acme-av": {"name": "Acme AV", "listings": [
			{"authority": "law-a", "since": null, "scope": "any", "entry": "any product"},
			{"authority": "list-b", "since": "2022-03-25", "scope": "security-software", "entry": "security",
			 "excludes": ["threat-intelligence"]},
		]},
		"av-only": {"name": "AV Only", "listings": [
			{"authority": "list-b", "since": "2022-03-25", "scope": "security-software", "entry": "security"},
		]},
		"cams": {"name": "Cams Co", "listings": [{
			"authority": "law-a", "since": null, "scope": "video-telecom-equipment", "entry": "cams",
			"use_condition": ["public-safety", "national-security"],
		}]},
		"telco": {"name": "Telco", "listings": [
			{"authority": "law-a", "since": null, "scope": "telecom-equipment", "entry": "telco"},
		]},
		"carrier": {"name": "Carrier Corp", "listings": [
			{"authority": "law-a", "since": null, "scope": "telecom-services", "entry": "carrier"},
		]},
		"apps": {"name": "Apps Ltd", "listings": [
			{"authority": "law-a", "since": null, "scope": "tiktok-app", "entry": "tiktok"},
		]},
	},
}

ctx(aud, auds, day, use) := {"audience": aud, "audiences": auds, "date": day, "use": use, "certain_score": 0.92}

item(entity, category, name) := {
	"id": 0, "entity": entity, "role": "manufacturer", "value": name, "party": "organization",
	"matched": name, "via": "legal-name", "score": 1.0, "since": null, "until": null,
	"owner": {"pointer": "/items/0", "label": "item 1", "category": category, "name": name, "text": ""},
}

component(entity, category, name) := object.union(item(entity, category, name), {"owner": {
	"pointer": "/components/0", "label": "component", "category": category, "name": name, "text": "",
}})

doc := {"kind": "purchase-request", "path": "pr.yaml"}

sbom := {"kind": "cyclonedx", "path": "bom.json"}

federal := ctx("us-federal", ["us-federal", "us-person"], "2025-01-01", [])

rules_of(results) := {r.rule | some r in results}

test_any_scope_denies_federal if {
	d := bans.deny with input as {"document": doc, "context": federal, "matches": [item("acme-av", "hardware", "x")]}
		with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
}

test_before_effective_date_is_listed_not_banned if {
	early := ctx("us-federal", ["us-federal"], "2017-01-01", [])
	w := bans.warn with input as {"document": doc, "context": early, "matches": [item("acme-av", "software", "x")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.listed-not-banned"}
	count(bans.deny) == 0 with input as {"document": doc, "context": early, "matches": [item("acme-av", "software", "x")]}
		with data.banlist as fixture
}

test_contractor_date_differs_from_federal if {
	c := ctx("us-contractor", ["us-contractor", "us-person"], "2019-01-01", [])
	w := bans.warn with input as {"document": doc, "context": c, "matches": [item("acme-av", "software", "x")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.listed-not-banned"}
}

test_person_gets_advisory_warning if {
	p := ctx("us-person", ["us-person"], "2025-01-01", [])
	w := bans.warn with input as {"document": doc, "context": p, "matches": [item("acme-av", "software", "Endpoint Security")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.advisory"}
}

test_use_condition_met_denies if {
	c := ctx("us-federal", ["us-federal"], "2025-01-01", ["public-safety"])
	d := bans.deny with input as {"document": doc, "context": c, "matches": [item("cams", "video-surveillance-equipment", "cam")]}
		with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
}

test_use_condition_unmet_warns_review if {
	w := bans.warn with input as {"document": doc, "context": federal, "matches": [item("cams", "video-surveillance-equipment", "cam")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.review"}
}

test_telecom_software_component_is_review if {
	w := bans.warn with input as {"document": sbom, "context": federal, "matches": [component("telco", "software", "sdk")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.review"}
}

test_telecom_firmware_component_denies if {
	d := bans.deny with input as {"document": sbom, "context": federal, "matches": [component("telco", "hardware", "fw")]}
		with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
}

test_tiktok_app_denied_but_other_app_listed_only if {
	d := bans.deny with input as {"document": doc, "context": federal, "matches": [item("apps", "software", "TikTok for Business")]}
		with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
	w := bans.warn with input as {"document": doc, "context": federal, "matches": [item("apps", "software", "sonic json")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.listed-not-banned"}
}

test_tiktoken_is_not_tiktok if {
	w := bans.warn with input as {"document": doc, "context": federal, "matches": [item("apps", "software", "tiktoken")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.listed-not-banned"}
}

test_low_score_is_review_not_deny if {
	m := object.union(item("acme-av", "software", "x"), {"score": 0.85})
	w := bans.warn with input as {"document": doc, "context": federal, "matches": [m]}
		with data.banlist as fixture
	rules_of(w) == {"bans.review"}
}

test_sold_brand_after_sale_is_review if {
	m := object.union(item("acme-av", "hardware", "x"), {"until": "2023-01-01"})
	w := bans.warn with input as {"document": doc, "context": federal, "matches": [m]}
		with data.banlist as fixture
	rules_of(w) == {"bans.review"}
}

test_name_window_reads_without_an_open_end if {
	left := object.union(item("acme-av", "hardware", "x"), {"matched": "Acme Phones", "until": "2020-12-31"})
	w := bans.warn with input as {"document": doc, "context": federal, "matches": [left]}
		with data.banlist as fixture
	some r in w
	endswith(r.msg, "\"Acme Phones\" belonged to the entity only until 2020-12-31.")
	joined := object.union(item("acme-av", "hardware", "x"), {"matched": "Acme Phones", "since": "2030-01-01"})
	w2 := bans.warn with input as {"document": doc, "context": federal, "matches": [joined]}
		with data.banlist as fixture
	some r2 in w2
	endswith(r2.msg, "\"Acme Phones\" belonged to the entity only from 2030-01-01.")
	not contains(concat(" ", [r.msg, r2.msg]), "(open)")
}

test_deny_names_every_authority if {
	d := bans.deny with input as {"document": doc, "context": federal, "matches": [item("acme-av", "software", "Endpoint Security")]}
		with data.banlist as fixture
	some r in d
	r.authorities == ["law-a", "list-b"]
}

test_excluded_offering_is_outside_the_security_listing if {
	person := ctx("us-person", ["us-person"], "2025-01-01", [])
	m := item("acme-av", "service", "Threat Intelligence Data Feed")
	w := bans.warn with input as {"document": doc, "context": person, "matches": [m]}
		with data.banlist as fixture
	rules_of(w) == {"bans.listed-not-banned"}
}

test_security_product_is_covered_despite_exclusions if {
	person := ctx("us-person", ["us-person"], "2025-01-01", [])
	m := item("acme-av", "software", "Endpoint Security Cloud")
	w := bans.warn with input as {"document": doc, "context": person, "matches": [m]}
		with data.banlist as fixture
	rules_of(w) == {"bans.advisory"}
}

test_telecom_service_on_a_request_denies if {
	d := bans.deny with input as {"document": doc, "context": federal, "matches": [item("carrier", "service", "IP transit")]}
		with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
}

test_request_vendor_of_telecom_services_denies if {
	m := object.union(item("carrier", "", "Carrier Corp"), {"role": "vendor", "owner": {
		"pointer": "", "label": "vendor", "category": "", "name": "", "text": "",
	}})
	d := bans.deny with input as {"document": doc, "context": federal, "matches": [m]}
		with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
}

test_telecom_services_carrier_in_an_sbom_is_review if {
	w := bans.warn with input as {"document": sbom, "context": federal, "matches": [component("carrier", "software", "lib")]}
		with data.banlist as fixture
	rules_of(w) == {"bans.review"}
	some r in w
	contains(r.msg, "telecommunications services")
}

sbom_author(entity) := object.union(item(entity, "sbom-author", "Acme AV"), {"owner": {
	"pointer": "/metadata", "label": "the SBOM's author (metadata)", "category": "sbom-author",
	"name": "", "text": "",
}})

test_sbom_author_naming_a_banned_vendor_is_a_review_not_a_deny if {
	i := {"document": sbom, "context": federal, "matches": [sbom_author("acme-av")]}
	count(bans.deny) == 0 with input as i with data.banlist as fixture
	w := bans.warn with input as i with data.banlist as fixture
	rules_of(w) == {"bans.review"}
	some r in w
	contains(r.msg, "the SBOM's own maker or author")
}

# A component of an SBOM that names no security words is a security product only when the
# document's use says so; else the security-software listing is a doubt, not a deny.
# (OPA's coverage found neither branch evaluated by the other tests.)
test_security_listing_on_a_plain_component_is_review if {
	i := {"document": sbom, "context": federal, "matches": [component("av-only", "software", "libfoo")]}
	count(bans.deny) == 0 with input as i with data.banlist as fixture
	w := bans.warn with input as i with data.banlist as fixture
	rules_of(w) == {"bans.review"}
	some r in w
	contains(r.msg, "covered for information-security products; the document does not say this is one")
}

test_information_security_use_makes_a_plain_component_covered if {
	c := ctx("us-federal", ["us-federal", "us-person"], "2025-01-01", ["information-security"])
	i := {"document": sbom, "context": c, "matches": [component("av-only", "software", "libfoo")]}
	d := bans.deny with input as i with data.banlist as fixture
	rules_of(d) == {"bans.banned-vendor"}
}
