# Tests of policies/bans.rego for the 2025-26 authorities, the audience tree, bans that are
# coming (bans.upcoming), product categories and the corrections of issue 12. Most run
# against the shipped ban lists (data.banlist), so the ids and dates in
# policies/data/us-government.yaml are tested too: each date boundary the day before and the
# day of. Run: procgate test --coverage
package procgate.bans_2025_test

import rego.v1

import data.procgate.bans

chains := {
	"us-federal": ["us-federal", "us-person"],
	"us-dod": ["us-dod", "us-federal", "us-person"],
	"us-intelligence-community": ["us-intelligence-community", "us-federal", "us-person"],
	"us-contractor": ["us-contractor", "us-person"],
	"us-person": ["us-person"],
}

ctx(aud, day, use) := {
	"audience": aud, "audiences": chains[aud], "date": day, "use": use, "certain_score": 0.9,
}

# With a horizon for bans.upcoming (what procgate passes: performance end or 24 months).
ahead(aud, day, use, until) := object.union(ctx(aud, day, use), {"horizon": {
	"until": until, "words": sprintf("the period of performance (ending %s)", [until]),
}})

item(entity, category, name) := {
	"id": 0, "entity": entity, "role": "manufacturer", "value": name, "party": "organization",
	"matched": name, "via": "legal-name", "score": 1.0, "since": null, "until": null,
	"owner": {"pointer": "/items/0", "label": "item 1", "category": category, "name": name, "text": ""},
}

vendor(entity) := object.union(item(entity, "", "vendor"), {"role": "vendor", "owner": {
	"pointer": "", "label": "vendor", "category": "", "name": "", "text": "",
}})

component(entity, category, name) := object.union(item(entity, category, name), {"owner": {
	"pointer": "/components/0", "label": "component 1", "category": category, "name": name,
	"text": "",
}})

pr := {"kind": "purchase-request", "path": "pr.yaml", "data": {"items": []}}

decide(c, m) := {"deny": d, "warn": w} if {
	d := bans.deny with input as {"document": pr, "context": c, "matches": [m]}
	w := bans.warn with input as {"document": pr, "context": c, "matches": [m]}
}

rules(c, m) := {r.rule | some r in decide(c, m).deny} | {r.rule | some r in decide(c, m).warn}

authorities(c, m) := {a | some r in decide(c, m).deny; some a in r.authorities}

one(results) := r if {
	count(results) == 1
	some r in results
}

# ---------------------------------------------------------------- American Security Drone Act

test_drone_act_from_2024_11_12_for_federal_buyers if {
	drone := item("dji", "hardware", "Mavic 3 Enterprise drone")
	rules(ctx("us-federal", "2024-11-11", []), drone) == {"bans.listed-not-banned"}
	authorities(ctx("us-federal", "2024-11-12", []), drone) == {"american-security-drone-act"}
}

test_drone_act_sunsets_after_2028_12_22 if {
	drone := item("autel-robotics", "hardware", "EVO Max 4T drone")
	"american-security-drone-act" in authorities(ctx("us-federal", "2028-12-22", []), drone)
	not "american-security-drone-act" in authorities(ctx("us-federal", "2028-12-23", []), drone)
}

test_drone_act_for_contractors_needs_contract_use if {
	drone := item("dji", "hardware", "Matrice drone")
	"american-security-drone-act" in authorities(ctx("us-contractor", "2025-06-01", ["federal-contract"]), drone)
	rules(ctx("us-contractor", "2025-06-01", []), drone) == {"bans.review"}
}

test_a_drone_makers_other_product_is_a_review if {
	w := decide(ctx("us-federal", "2025-06-01", []), item("dji", "hardware", "Osmo gimbal")).warn
	r := one(w)
	r.rule == "bans.review"
	contains(r.msg, "covered for drones")
}

# ---------------------------------------------------------------- FCC Covered List 2025-12-22

test_dji_on_the_covered_list_from_2025_12_22 if {
	cam := item("dji", "hardware", "Osmo camera")
	rules(ctx("us-person", "2025-12-21", []), cam) == {"bans.listed-not-banned"}
	rules(ctx("us-person", "2025-12-22", []), cam) == {"bans.advisory"}
}

test_fcc_only_deny_says_it_is_procgate_policy if {
	d := decide(ctx("us-federal", "2026-01-05", []), item("china-mobile", "service", "IP transit")).deny
	r := one(d)
	contains(r.msg, "is denied for us-federal by procgate's policy based on FCC Covered List")
	contains(r.msg, "not federal purchases")
	contains(r.action, "procgate's policy treats a Covered List entry as a ban")
}

test_a_deny_under_a_law_names_the_list_as_policy if {
	c := ctx("us-federal", "2026-01-05", ["public-safety"])
	r := one(decide(c, item("hikvision", "video-surveillance-equipment", "dome camera")).deny)
	contains(r.msg, "is banned for us-federal under")
	contains(r.msg, "FCC Covered List (Secure and Trusted Communications Networks Act) (procgate's policy based on the list since 2021-03-12)")
	contains(r.msg, "(in force since 2019-08-13)")
}

# ---------------------------------------------------------------- FY2024 NDAA §805 (us-dod)

test_805_contract_with_a_listed_company_from_2026_06_30 if {
	rules(ctx("us-dod", "2026-06-29", []), vendor("quectel")) == {"bans.listed-not-banned"}
	authorities(ctx("us-dod", "2026-06-30", []), vendor("quectel")) == {"ndaa-fy2024-805"}
}

test_805_its_goods_through_others_from_2027_06_30 if {
	module := item("quectel", "hardware", "LTE module")
	rules(ctx("us-dod", "2026-06-30", []), module) == {"bans.listed-not-banned"}
	rules(ctx("us-dod", "2027-06-29", []), module) == {"bans.listed-not-banned"}
	authorities(ctx("us-dod", "2027-06-30", []), module) == {"ndaa-fy2024-805"}
	authorities(ctx("us-dod", "2027-06-30", []), component("tencent", "library", "mmkv")) == {"ndaa-fy2024-805"}
}

test_805_binds_only_dod if {
	rules(ctx("us-federal", "2027-07-01", []), vendor("catl")) == {"bans.listed-not-banned"}
	"ndaa-fy2024-805" in authorities(ctx("us-dod", "2027-07-01", []), vendor("huawei"))
	"ndaa-fy2024-805" in authorities(ctx("us-dod", "2027-07-01", []), vendor("cxmt"))
}

# The 1260H members re-verified on 2026-12-03: SMIC (2020), YMTC (2024-01-31) and the June 2026
# additions Alibaba, Baidu and BYD (notice of 2026-06-10), each a contract ban for DoD from
# 2026-06-30 (the day before: rules() has no horizon, so listed, not banned).
test_805_1260h_members_of_2020_to_2026 if {
	every e in ["smic", "ymtc", "alibaba", "baidu", "byd"] {
		rules(ctx("us-dod", "2026-06-29", []), vendor(e)) == {"bans.listed-not-banned"}
		"ndaa-fy2024-805" in authorities(ctx("us-dod", "2026-06-30", []), vendor(e))
		not "ndaa-fy2024-805" in authorities(ctx("us-federal", "2026-06-30", []), vendor(e))
	}
}

# ---------------------------------------------------------------- FY2023 NDAA §5949

test_5949_chips_from_2027_12_23 if {
	ssd := component("ymtc", "hardware", "NAND flash")
	rules(ctx("us-federal", "2027-12-22", []), ssd) == {"bans.listed-not-banned"}
	authorities(ctx("us-federal", "2027-12-23", []), ssd) == {"ndaa-fy2023-5949"}
	authorities(ctx("us-federal", "2027-12-23", []), vendor("smic")) == {"ndaa-fy2023-5949"}
	authorities(ctx("us-federal", "2027-12-23", []), item("ymtc", "", "2 TB SSD")) == {"ndaa-fy2023-5949"}
}

test_5949_software_is_a_review if {
	r := one(decide(ctx("us-federal", "2028-01-01", []), component("ymtc", "library", "ymtc-tools")).warn)
	contains(r.msg, "contain the company's chips")
}

# ---------------------------------------------------------------- FASCSA orders

test_acronis_order_binds_the_intelligence_community_from_2025_07_11 if {
	backup := item("acronis", "software", "Cyber Protect backup")
	rules(ctx("us-intelligence-community", "2025-07-10", []), backup) == {"bans.listed-not-banned"}
	authorities(ctx("us-intelligence-community", "2025-07-11", []), backup) == {"fascsa-orders"}
	r := one(decide(ctx("us-intelligence-community", "2025-07-11", []), backup).deny)
	contains(r.action, "Intelligence Community")
}

test_acronis_order_is_advisory_for_other_federal_buyers if {
	backup := item("acronis", "software", "Cyber Protect backup")
	rules(ctx("us-federal", "2025-07-11", []), backup) == {"bans.advisory"}
	rules(ctx("us-dod", "2025-07-11", []), backup) == {"bans.advisory"}
	r := one(decide(ctx("us-federal", "2025-07-11", []), backup).warn)
	contains(r.action, "does not bind your agency")
}

# ---------------------------------------------------------------- DoD battery ban

test_battery_ban_from_2027_10_01 if {
	pack := item("eve-energy", "hardware", "battery pack")
	rules(ctx("us-dod", "2027-09-30", []), pack) == {"bans.listed-not-banned"}
	authorities(ctx("us-dod", "2027-10-01", []), pack) == {"ndaa-fy2024-batteries"}

	# BYD is also a 1260H company since June 2026: its goods are banned for DoD under §805
	# from 2027-06-30, before the battery ban.
	byd := item("byd", "hardware", "battery pack")
	authorities(ctx("us-dod", "2027-09-30", []), byd) == {"ndaa-fy2024-805"}
	authorities(ctx("us-dod", "2027-10-01", []), byd) == {"ndaa-fy2024-805", "ndaa-fy2024-batteries"}
	r := one(decide(ctx("us-dod", "2027-10-01", []), item("gotion", "hardware", "charger")).warn)
	contains(r.msg, "covered for batteries")
}

# ---------------------------------------------------------------- audience tree

test_dod_and_ic_are_federal_but_not_under_bod_17_01 if {
	av := item("kaspersky", "software", "Endpoint Security")
	"dhs-bod-17-01" in authorities(ctx("us-federal", "2023-01-01", []), av)
	a := authorities(ctx("us-dod", "2023-01-01", []), av)
	not "dhs-bod-17-01" in a
	"ndaa-fy2018-1634" in a
	b := authorities(ctx("us-intelligence-community", "2023-01-01", []), av)
	not "dhs-bod-17-01" in b
	"ndaa-fy2018-1634" in b
}

# ---------------------------------------------------------------- what to do

test_what_to_do_comes_from_the_deciding_authority if {
	av := item("kaspersky", "software", "Endpoint Security")
	person := one(decide(ctx("us-person", "2025-01-01", []), av).deny)
	contains(person.action, "resell or integrate")
	not contains(person.action, "documented reason")
	federal := one(decide(ctx("us-federal", "2025-01-01", []), av).deny)
	startswith(federal.action, "Do not buy Kaspersky-branded security products")
	dod := one(decide(ctx("us-dod", "2025-01-01", []), av).deny)
	startswith(dod.action, "Do not buy, deliver or use any Kaspersky product")
}

test_what_to_do_speaks_of_the_vendor_at_hand if {
	c := ctx("us-federal", "2026-01-05", ["government-facility-security"])
	r := one(decide(c, item("hikvision", "video-surveillance-equipment", "dome camera")).deny)
	contains(r.action, "Hikvision")
	not contains(r.action, "Huawei")
	not contains(r.action, "business day")
}

test_advisory_gives_the_lists_advice if {
	r := one(decide(ctx("us-person", "2024-07-19", []), item("kaspersky", "software", "Endpoint Security")).warn)
	r.rule == "bans.advisory"
	contains(r.action, "documented reason")
}

test_contractor_reporting_duty_only_for_contractors if {
	c := ctx("us-contractor", "2021-01-01", ["federal-contract"])
	r := one(decide(c, item("huawei", "hardware", "switch")).deny)
	contains(r.action, "1 business day")
}

# ---------------------------------------------------------------- contractor nuances

test_1634_for_contractors_only_under_a_contract if {
	box := item("kaspersky", "hardware", "appliance")
	c := ctx("us-contractor", "2023-01-01", [])
	r := one(decide(c, box).warn)
	r.rule == "bans.review"
	contains(r.msg, "does not say how the item is used")
	"ndaa-fy2018-1634" in authorities(ctx("us-contractor", "2023-01-01", ["federal-contract"]), box)
}

test_tiktok_for_contractors_only_on_contract_it if {
	app := item("bytedance", "software", "TikTok")
	rules(ctx("us-contractor", "2024-01-01", []), app) == {"bans.review"}
	rules(ctx("us-contractor", "2024-01-01", ["federal-contract"]), app) == {"bans.banned-vendor"}
	rules(ctx("us-contractor", "2024-01-01", ["no-federal-contract"]), app) == {"bans.listed-not-banned"}
}

test_889_supplying_from_2019_08_13_use_from_2020_08_13 if {
	sw := item("huawei", "hardware", "switch")
	rules(ctx("us-contractor", "2019-08-12", ["federal-contract"]), sw) == {"bans.listed-not-banned"}
	authorities(ctx("us-contractor", "2019-08-13", ["federal-contract"]), sw) == {"ndaa-fy2019-889"}
	rules(ctx("us-contractor", "2020-08-12", []), sw) == {"bans.listed-not-banned"}
	authorities(ctx("us-contractor", "2020-08-13", []), sw) == {"ndaa-fy2019-889"}
}

# ---------------------------------------------------------------- bans.upcoming

test_upcoming_within_the_period_of_performance if {
	ssd := component("ymtc", "hardware", "NAND flash")
	r := one(decide(ahead("us-federal", "2026-12-03", [], "2028-06-30"), ssd).warn)
	r.rule == "bans.upcoming"
	r.authorities == ["ndaa-fy2023-5949"]
	contains(r.msg, "from 2027-12-23")
	contains(r.msg, "the period of performance (ending 2028-06-30)")
}

# The per-match views: what reaches match 0 now, and what comes within the horizon.
test_outcomes_and_upcoming_per_match if {
	ssd := component("ymtc", "hardware", "NAND flash")
	i := {"document": pr, "context": ahead("us-federal", "2026-12-03", [], "2028-06-30"), "matches": [ssd]}
	u := bans.upcoming with input as i
	u == {0: {{"authority": "ndaa-fy2023-5949", "effective": "2027-12-23"}}}
	o := bans.outcomes with input as i
	o == {}
	later := object.union(i, {"context": {"date": "2028-01-02"}})
	o2 := bans.outcomes with input as later
	{x.authority | some x in o2[0]} == {"ndaa-fy2023-5949"}
}

test_upcoming_window_ends_with_the_period if {
	ssd := component("ymtc", "hardware", "NAND flash")
	rules(ahead("us-federal", "2026-12-03", [], "2027-12-22"), ssd) == {"bans.listed-not-banned"}
	rules(ahead("us-federal", "2026-12-03", [], "2027-12-23"), ssd) == {"bans.upcoming"}
}

test_upcoming_for_goods_bought_through_a_reseller if {
	r := one(decide(ahead("us-dod", "2026-12-03", [], "2028-12-03"), item("quectel", "hardware", "LTE module")).warn)
	r.rule == "bans.upcoming"
	contains(r.msg, "from 2027-06-30")
}

test_no_upcoming_once_denied if {
	c := ahead("us-dod", "2026-12-03", [], "2028-12-03")
	rules(c, vendor("quectel")) == {"bans.banned-vendor"}
}

test_upcoming_beside_a_review if {
	c := ahead("us-dod", "2026-12-03", [], "2028-12-03")
	rules(c, item("catl", "hardware", "battery pack")) == {"bans.upcoming"}
	before_fcc := ahead("us-federal", "2025-06-01", [], "2026-06-01")
	rules(before_fcc, item("dji", "hardware", "gimbal")) == {"bans.review", "bans.upcoming"}
}

# ---------------------------------------------------------------- product categories

request(items) := {"kind": "purchase-request", "path": "pr.yaml", "data": {"items": items}}

category_warnings(day, items) := {r | some r in w; r.rule == "bans.review"} if {
	w := bans.warn with input as {"document": request(items), "context": ctx("us-federal", day, []), "matches": []}
}

test_foreign_drone_without_made_in_is_a_review_from_2025_12_22 if {
	items := [{"description": "Survey drone with thermal camera", "quantity": 2}]
	count(category_warnings("2025-12-21", items)) == 0
	r := one(category_warnings("2025-12-22", items))
	r.pointer == "/items/0"
	r.authorities == ["fcc-covered-list"]
	contains(r.msg, "does not say where the item is produced")
}

test_made_in_decides_the_category_review if {
	us := [{"description": "Quadcopter", "product": "X2", "quantity": 1, "made_in": "US"}]
	count(category_warnings("2026-01-05", us)) == 0
	cn := [{"description": "Quadcopter", "product": "X2", "quantity": 1, "made_in": "CN"}]
	r := one(category_warnings("2026-01-05", cn))
	contains(r.msg, "item 1 (X2)")
	contains(r.msg, "made in CN")
}

test_routers_from_2026_03_23_and_no_false_word_match if {
	router := [{"description": "Wi-Fi 7 wireless router", "quantity": 5}]
	count(category_warnings("2026-03-22", router)) == 0
	count(category_warnings("2026-03-23", router)) == 1
	count(category_warnings("2026-12-01", [{"description": "Routing software licence", "quantity": 5}])) == 0
	count(category_warnings("2026-12-01", [{"description": "Branch office router, 8 ports", "quantity": 3}])) == 0
	count(category_warnings("2026-12-01", [{"description": "Robotic vacuum", "quantity": 1}])) == 1
}

test_malformed_items_are_not_a_policy_error if {
	items := ["survey drone", 5, {"description": {"x": 1}, "quantity": 1, "made_in": 7}]
	count(category_warnings("2026-12-01", items)) == 0
	r := one(category_warnings("2026-12-01", [{"description": "drone", "quantity": 1, "made_in": 7}]))
	contains(r.msg, "does not say where")
}

imported := {
	"authorities": {"csl-el": {"title": "Entity List", "audiences": {
		"us-person": {"effective": "2000-01-01", "severity": "deny"},
	}}},
	"entities": {"acme": {"name": "Acme Ltd", "listings": [
		{"authority": "csl-el", "since": null, "since_unknown": true, "scope": "any", "entry": "Acme", "action": ""},
	]}},
	"categories": [],
}

test_a_listing_without_a_date_says_so if {
	d := bans.deny with input as {"document": pr, "context": ctx("us-person", "2026-01-01", []), "matches": [item("acme", "hardware", "x")]}
		with data.banlist as imported
	r := one(d)
	contains(r.msg, "Entity List (date of listing unknown)")
}

test_a_name_held_for_a_while_is_a_review_outside_it if {
	m := object.union(item("dahua", "video-surveillance-equipment", "Lorex"), {"since": "2018-02-06", "until": "2023-02-28"})
	r := one(decide(ctx("us-federal", "2024-01-01", ["public-safety"]), m).warn)
	contains(r.msg, "from 2018-02-06 to 2023-02-28")
}
