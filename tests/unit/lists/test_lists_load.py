"""Ban-list loading: the shipped data, bad files written to tmp_path, merging, closure."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from procgate.decide.banlist_data import ban_data_as_json
from procgate.errors import DataError
from procgate.lists import default_ban_files, load_ban_data
from procgate.load import load
from procgate.load.banlist import read_ban_list
from procgate.model import BanData, Document, Kind
from procgate.resources import schema_path
from procgate.validate import validate

ENTITY_IDS = {
    "kaspersky", "huawei", "zte", "hytera", "hikvision", "dahua", "china-mobile",
    "china-telecom", "china-unicom", "pacific-networks", "bytedance",
}  # fmt: skip
AUTHORITY_IDS = {
    "dhs-bod-17-01", "ndaa-fy2018-1634", "ndaa-fy2019-889", "fcc-covered-list",
    "bis-icts-kaspersky-2024", "no-tiktok-on-government-devices",
}  # fmt: skip

# A small valid file; the bad-file tests change one thing in it.
MINIMAL = """\
apiVersion: procgate/v1
kind: BanList
metadata: {name: test, description: test list, updated: 2026-11-28}
audiences:
  us-federal: [us-person]
  us-person: []
authorities:
  - id: law-a
    title: Law A
    citation: Pub. L. 1-1
    audiences:
      us-federal: {effective: 2018-10-01, severity: deny}
    waivable: false
    summary: bans Acme
    action: do not buy Acme
    source: https://example.org/law-a
entities:
  - id: acme
    name: Acme Corp
    name_source: https://example.org/acme
    names:
      - {value: Acme, via: brand, source: https://example.org/acme}
    listings:
      - authority: law-a
        scope: any
        entry: Acme Corp
        source: https://example.org/law-a
"""


@pytest.fixture(scope="module")
def shipped() -> BanData:
    return load_ban_data(default_ban_files())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def load_error(*paths: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load_ban_data(list(paths))
    return info.value


# ---------------------------------------------------------------- the shipped data


def test_shipped_files_exist() -> None:
    files = default_ban_files()
    assert files and all(f.suffix == ".yaml" for f in files)


def test_shipped_data_validates_with_python_jsonschema_too() -> None:
    # The clean path uses jsonschema-rs; the two validators must agree on the shipped data.
    schema = json.loads(schema_path("ban-list").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for path in default_ban_files():
        data = read_ban_list(path).data
        assert [e.message for e in validator.iter_errors(data)] == [], path


def test_required_ids_present(shipped: BanData) -> None:
    assert set(shipped.entities) >= ENTITY_IDS
    assert set(shipped.authorities) >= AUTHORITY_IDS


def test_every_fact_has_a_source(shipped: BanData) -> None:
    for a in shipped.authorities.values():
        assert a.source.startswith("https://"), a.id
        assert a.summary and a.action and a.citation, a.id
    for e in shipped.entities.values():
        assert e.listings, e.id
        for li in e.listings:
            assert li.source.startswith("https://"), (e.id, li.authority)
            assert li.entry.strip(), (e.id, li.authority)
        for n in e.names:
            assert n.source.strip(), (e.id, n.value)


def test_legal_name_comes_first_among_names(shipped: BanData) -> None:
    for e in shipped.entities.values():
        assert (e.names[0].value, e.names[0].via) == (e.name, "legal-name")


def test_key_dates(shipped: BanData) -> None:
    listing = {(e.id, li.authority): li for e in shipped.entities.values() for li in e.listings}
    assert listing["kaspersky", "fcc-covered-list"].since == date(2022, 3, 25)
    assert listing["pacific-networks", "fcc-covered-list"].since == date(2022, 9, 20)
    assert listing["huawei", "fcc-covered-list"].since == date(2021, 3, 12)
    bis = shipped.authorities["bis-icts-kaspersky-2024"]
    assert bis.audiences == {"us-person": date(2024, 7, 20)}
    assert bis.waivable is False
    s889 = shipped.authorities["ndaa-fy2019-889"]
    assert s889.audiences["us-federal"] == date(2019, 8, 13)
    assert s889.audiences["us-contractor"] == date(2020, 8, 13)
    assert s889.waivable is True
    s1634 = shipped.authorities["ndaa-fy2018-1634"]
    assert s1634.audiences["us-contractor"] == date(2018, 10, 1)
    assert s1634.waivable is False
    assert shipped.authorities["dhs-bod-17-01"].audiences == {"us-federal": date(2017, 9, 13)}
    tiktok = shipped.authorities["no-tiktok-on-government-devices"]
    assert tiktok.audiences["us-contractor"] == date(2023, 6, 2)
    fcc = shipped.authorities["fcc-covered-list"]
    assert fcc.severity == {"us-federal": "deny", "us-contractor": "deny", "us-person": "warn"}


def test_scopes_the_decision_reads(shipped: BanData) -> None:
    scopes = {(e.id, li.authority): li for e in shipped.entities.values() for li in e.listings}
    assert scopes["kaspersky", "ndaa-fy2018-1634"].scope == "any"
    bis = scopes["kaspersky", "bis-icts-kaspersky-2024"]
    assert bis.scope == "security-software"
    assert set(bis.excludes) == {"threat-intelligence", "security-training", "consulting"}
    for vendor in ("hytera", "hikvision", "dahua"):
        li = scopes[vendor, "ndaa-fy2019-889"]
        assert li.scope == "video-telecom-equipment"
        assert "public-safety" in li.use_condition
    assert scopes["huawei", "ndaa-fy2019-889"].scope == "telecom-equipment"
    assert scopes["china-unicom", "fcc-covered-list"].scope == "telecom-services"
    assert scopes["bytedance", "no-tiktok-on-government-devices"].scope == "tiktok-app"


def test_names_and_identifiers(shipped: BanData) -> None:
    def names(eid: str) -> dict[str, str]:
        return {n.value: n.via for n in shipped.entities[eid].names}

    assert names("kaspersky")["Kaspersky Lab ZAO"] == "former-name"
    assert names("zte")["Zhongxing Telecommunication Equipment Corp."] == "former-name"
    assert names("pacific-networks")["ComNet (USA) LLC"] == "subsidiary"
    assert names("bytedance")["TikTok"] == "brand"
    assert {"Ezviz", "HiLook", "HiWatch", "Hiksemi"} <= set(names("hikvision"))
    honor = next(n for n in shipped.entities["huawei"].names if n.value == "Honor")
    assert honor.until == date(2020, 11, 17) and "no shares" in honor.note
    lorex = next(n for n in shipped.entities["dahua"].names if n.value == "Lorex")
    assert (lorex.since, lorex.until) == (date(2018, 2, 6), date(2023, 2, 28))
    assert "not the end" in lorex.note
    assert names("hytera")["Norsat International Inc."] == "subsidiary"
    assert {"Pacific Network Corp", "PacNet"} <= set(names("pacific-networks"))
    assert names("kaspersky")["Kaspersky Lab, Inc."] == "subsidiary"
    kaspersky = shipped.entities["kaspersky"]
    assert "kaspersky" in kaspersky.cpe_vendors
    assert {"maven/com.kaspersky", "npm/@kaspersky"} <= set(kaspersky.purl_namespaces)
    assert "dahuasecurity" in shipped.entities["dahua"].cpe_vendors
    assert set(kaspersky.identifiers) == {"uei", "cage", "lei", "duns"}


def test_absent_vendors_are_explained() -> None:
    # UltraAV/Pango and Amcrest have no source tying them to a banned entity.
    text = "\n".join(p.read_text(encoding="utf-8") for p in default_ban_files())
    data = [read_ban_list(p).data for p in default_ban_files()]
    notes = " ".join(n for d in data for n in d["metadata"].get("notes", []))
    for absent in ("UltraAV", "Amcrest"):
        assert absent in notes
        assert not re.search(rf"value: {absent}", text)


def test_shipped_audiences(shipped: BanData) -> None:
    assert shipped.audiences["us-federal"] == ("us-federal", "us-person")
    assert shipped.audiences["us-contractor"] == ("us-contractor", "us-person")
    assert shipped.audiences["us-person"] == ("us-person",)
    # The audience tree is data: DoD and the IC are federal (and so U.S. persons).
    assert shipped.audiences["us-dod"] == ("us-dod", "us-federal", "us-person")
    assert shipped.audiences["us-intelligence-community"] == (
        "us-intelligence-community",
        "us-federal",
        "us-person",
    )


def test_digest_is_stable_and_content_based(tmp_path: Path, shipped: BanData) -> None:
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", shipped.digest)
    assert load_ban_data(default_ban_files()).digest == shipped.digest
    a = write(tmp_path, "a.yaml", MINIMAL)
    first = load_ban_data([a]).digest
    a.write_text(MINIMAL.replace("bans Acme", "bans Acme Corp"), encoding="utf-8")
    assert load_ban_data([a]).digest != first


def test_json_for_rego(shipped: BanData) -> None:
    data = ban_data_as_json(shipped)
    assert set(data) == {"authorities", "entities", "audiences", "categories"}
    json.dumps(data)  # JSON-ready: no dates or tuples left
    fcc = data["authorities"]["fcc-covered-list"]
    assert fcc["audiences"]["us-person"]["effective"] == "2021-03-12"
    assert fcc["audiences"]["us-person"]["severity"] == "warn"
    assert fcc["audiences"]["us-federal"]["basis"] == "policy"
    bod_terms = data["authorities"]["dhs-bod-17-01"]["audiences"]["us-federal"]
    assert list(bod_terms["not_for"]) == ["us-dod", "us-intelligence-community"]
    assert {c["id"] for c in data["categories"]} == {
        "fcc-foreign-uas",
        "fcc-foreign-routers",
        "fcc-foreign-inverters-robots",
    }
    kaspersky = data["entities"]["kaspersky"]
    assert set(kaspersky) == {"name", "listings"}
    bod = next(li for li in kaspersky["listings"] if li["authority"] == "dhs-bod-17-01")
    assert bod["since"] is None
    assert data["audiences"]["us-federal"] == ["us-federal", "us-person"]


# ---------------------------------------------------------------- bad files


def test_minimal_file_loads(tmp_path: Path) -> None:
    data = load_ban_data([write(tmp_path, "min.yaml", MINIMAL)])
    assert set(data.entities) == {"acme"}
    assert data.entities["acme"].source_file.endswith("min.yaml")


def test_unknown_key_names_file_key_and_line(tmp_path: Path) -> None:
    bad = MINIMAL.replace(
        "        entry: Acme Corp\n", "        entry: Acme Corp\n        sorce: x\n"
    )
    err = load_error(write(tmp_path, "typo.yaml", bad))
    assert f"typo.yaml:{line_of(bad, 'sorce:')}:9:" in err.message  # at the key itself
    assert "/entities/0/listings/0/sorce" in err.message
    assert "'sorce'" in err.message and "source" in err.message  # allowed keys are listed


def test_unknown_top_level_key(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "top.yaml", MINIMAL + "entitys: []\n"))
    assert "top.yaml:" in err.message and "/entitys" in err.message


def test_bad_date(tmp_path: Path) -> None:
    bad = MINIMAL.replace("effective: 2018-10-01", "effective: 2018-02-30")
    err = load_error(write(tmp_path, "date.yaml", bad))
    assert f"date.yaml:{line_of(bad, '2018-02-30')}:" in err.message
    assert "/authorities/0/audiences/us-federal/effective" in err.message
    assert "2018-02-30" in err.message


def test_missing_source(tmp_path: Path) -> None:
    bad = MINIMAL.replace("    source: https://example.org/law-a\nentities", "entities")
    err = load_error(write(tmp_path, "nosource.yaml", bad))
    assert f"nosource.yaml:{line_of(bad, 'id: law-a')}:5:" in err.message
    assert "/authorities/0:" in err.message
    assert "authorities[0]: missing required field 'source'" in err.message
    assert "is a required property" not in err.message


def test_schema_errors_read_like_request_errors(tmp_path: Path) -> None:
    """Issue 13 item 13: not `'name_source' is a required property`."""
    data = yaml.safe_load(MINIMAL)
    del data["entities"][0]["name_source"]
    data["entities"][0]["listings"][0]["scope"] = "anything"
    err = load_error(write(tmp_path, "list.json", json.dumps(data, indent=2, default=str)))
    assert "entities[0]: missing required field 'name_source'" in err.message
    assert "required property" not in err.message
    assert 'entities[0].listings[0].scope: "anything" is not allowed' in err.message
    assert err.message.count("name_source") == 1


def test_ban_lists_are_validated_like_every_document(tmp_path: Path) -> None:
    """One validator: a ban list given to --data fails with the words and the line that
    `procgate check` gives the same file."""
    bad = MINIMAL.replace("scope: any", "scope: anything")
    path = write(tmp_path, "scope.yaml", bad)
    err = load_error(path)
    doc = load(path)
    assert isinstance(doc, Document) and doc.kind is Kind.BAN_LIST
    [finding] = validate(doc)
    where = f"scope.yaml:{finding.position.line}:{finding.position.column}:"
    assert finding.position.line == line_of(bad, "scope: anything")
    assert f"{where} {finding.pointer}: {finding.message}" in err.message


def test_a_json_list_is_located_too(tmp_path: Path) -> None:
    data = yaml.safe_load(MINIMAL)
    data["entities"][0]["listings"][0]["bogus"] = 1
    text = json.dumps(data, indent=2, default=str)
    err = load_error(write(tmp_path, "list.json", text))
    assert f"list.json:{line_of(text, chr(34) + 'bogus')}:" in err.message
    # no field is close to 'bogus': the fields there are are listed instead
    assert "unknown field 'bogus'" in err.message and "(allowed: action, authority" in err.message


def test_video_scope_needs_use_condition(tmp_path: Path) -> None:
    bad = MINIMAL.replace("scope: any", "scope: video-telecom-equipment")
    err = load_error(write(tmp_path, "video.yaml", bad))
    assert "use_condition" in err.message and "/entities/0/listings/0" in err.message


def test_excludes_only_with_security_software(tmp_path: Path) -> None:
    bad = MINIMAL.replace("scope: any", "scope: any\n        excludes: [consulting]")
    err = load_error(write(tmp_path, "excl.yaml", bad))
    assert "/entities/0/listings/0/scope" in err.message


def test_listing_with_unknown_authority(tmp_path: Path) -> None:
    bad = MINIMAL.replace("      - authority: law-a", "      - authority: law-b")
    err = load_error(write(tmp_path, "auth.yaml", bad))
    assert f"auth.yaml:{line_of(bad, 'law-b')}:" in err.message
    assert "/entities/0/listings/0/authority" in err.message and "'law-b'" in err.message
    assert "law-a" in err.hint


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", MINIMAL)
    b = write(tmp_path, "b.yaml", MINIMAL.replace("id: law-a", "id: law-c"))
    err = load_error(a, b)
    assert "b.yaml:" in err.message and "/entities/0/id" in err.message
    assert "'acme'" in err.message and "a.yaml" in err.message


def test_duplicate_authority_id(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", MINIMAL)
    err = load_error(a, a)
    assert "/authorities/0/id" in err.message and "'law-a'" in err.message


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    bad = MINIMAL.replace("    title: Law A\n", "    title: Law A\n    title: Law B\n")
    err = load_error(write(tmp_path, "dupkey.yaml", bad))
    assert (
        f"dupkey.yaml:{line_of(bad, 'Law B')}:" in err.message
        and "duplicate key 'title'" in err.message
    )


def test_yaml_1_2_scalars(tmp_path: Path) -> None:
    # Norway's code is not a boolean, and dates stay strings until the loader converts them.
    text = MINIMAL.replace("    name: Acme Corp\n", "    name: Acme Corp\n    country: NO\n")
    data = load_ban_data([write(tmp_path, "no.yaml", text)])
    assert data.entities["acme"].country == "NO"
    assert data.authorities["law-a"].audiences["us-federal"] == date(2018, 10, 1)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "syntax.yaml", MINIMAL + "  - [unclosed\n"))
    assert re.search(r"syntax\.yaml:\d+:\d+:", err.message)


def test_missing_file(tmp_path: Path) -> None:
    err = load_error(tmp_path / "nope.yaml")
    assert "nope.yaml" in err.message


def test_undeclared_audience(tmp_path: Path) -> None:
    bad = MINIMAL.replace("      us-federal: {effective", "      us-federl: {effective")
    err = load_error(write(tmp_path, "aud.yaml", bad))
    assert "/authorities/0/audiences/us-federl" in err.message


def test_two_listings_by_one_authority(tmp_path: Path) -> None:
    extra = (
        "      - authority: law-a\n        scope: any\n        entry: again\n"
        "        source: https://example.org/law-a\n"
    )
    err = load_error(write(tmp_path, "twice.yaml", MINIMAL + extra))
    assert "/entities/0/listings/1/authority" in err.message


# ---------------------------------------------------------------- merging and audiences


ORG_LIST = """\
apiVersion: procgate/v1
kind: BanList
metadata: {name: acme-retail, description: our own list, updated: 2026-11-28}
audiences:
  acme-retail: [us-person]
authorities:
  - id: acme-no-kaspersky
    title: Acme Retail stops selling Kaspersky
    citation: Merchandising decision 2017-09
    audiences:
      acme-retail: {effective: 2017-09-08, severity: deny}
    waivable: true
    waiver_note: The merchandising director may approve an exception.
    summary: Acme Retail no longer stocks Kaspersky products.
    action: Do not order Kaspersky products for resale.
    source: https://intranet.example/merch/2017-09
listings:
  - entity: kaspersky
    authority: acme-no-kaspersky
    scope: any
    entry: All Kaspersky products
    source: https://intranet.example/merch/2017-09
"""


def test_org_list_adds_audience_and_listing(tmp_path: Path) -> None:
    org = write(tmp_path, "acme.yaml", ORG_LIST)
    data = load_ban_data([*default_ban_files(), org])
    assert data.audiences["acme-retail"] == ("acme-retail", "us-person")
    listings = {li.authority for li in data.entities["kaspersky"].listings}
    assert "acme-no-kaspersky" in listings and "ndaa-fy2018-1634" in listings


def test_readme_example_loads(tmp_path: Path) -> None:
    # The example in policies/data/README.md must stay a working file.
    readme = (default_ban_files()[0].parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    org = write(tmp_path, "acme-retail.yaml", example.group(1))
    data = load_ban_data([*default_ban_files(), org])
    assert data.audiences["acme-retail"] == ("acme-retail", "us-person")
    assert "acme-no-kaspersky" in {li.authority for li in data.entities["kaspersky"].listings}


def test_org_listing_of_unknown_entity(tmp_path: Path) -> None:
    org = write(tmp_path, "acme.yaml", ORG_LIST)
    err = load_error(write(tmp_path, "min.yaml", MINIMAL), org)  # no kaspersky here
    assert "acme.yaml:" in err.message and "/listings/0/entity" in err.message


def test_audience_closure_is_transitive_breadth_first(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "  us-federal: [us-person]\n  us-person: []\n",
        "  dod: [us-federal, defense]\n  us-federal: [us-person]\n  defense: [nato]\n"
        "  nato: []\n  us-person: [dod]\n",  # a cycle must not loop
    )
    data = load_ban_data([write(tmp_path, "aud.yaml", text)])
    assert data.audiences["dod"] == ("dod", "us-federal", "defense", "us-person", "nato")
    assert data.audiences["nato"] == ("nato",)
    assert data.audiences["us-person"][0] == "us-person"


def test_included_audience_must_be_declared(tmp_path: Path) -> None:
    text = MINIMAL.replace("  us-federal: [us-person]", "  us-federal: [us-persn]")
    err = load_error(write(tmp_path, "inc.yaml", text))
    assert "/audiences/us-federal/0" in err.message and "'us-persn'" in err.message


def test_an_organisation_sets_its_own_severity_for_the_fcc_list(tmp_path: Path) -> None:
    own = write(
        tmp_path,
        "acme.yaml",
        """\
apiVersion: procgate/v1
kind: BanList
metadata: {name: acme, description: Acme's own settings, updated: 2026-12-01}
severity_overrides:
  - authority: fcc-covered-list
    audience: us-federal
    severity: warn
    reason: Counsel reads the Covered List as advisory for our purchases (memo L-26-4).
""",
    )
    data = load_ban_data([*default_ban_files(), own])
    fcc = data.authorities["fcc-covered-list"]
    assert fcc.severity["us-federal"] == "warn"
    assert fcc.severity["us-contractor"] == "deny"  # only the named audience changes
    assert (
        "memo L-26-4"
        in ban_data_as_json(data)["authorities"]["fcc-covered-list"]["audiences"]["us-federal"][
            "override"
        ]
    )
    assert [i.name for i in data.lists] == ["us-government", "acme"]
    assert data.lists[1].as_of == date(2026, 12, 1)  # `updated` when there is no `as_of`
    # "What to do" follows the override: the shipped text for federal buyers ("treats a
    # Covered List entry as a ban") would contradict a warning.
    action = fcc.terms["us-federal"]["action"]
    assert action == (
        "acme sets this to warn: Counsel reads the Covered List as advisory for our purchases "
        "(memo L-26-4)."
    )
    assert "as a ban" in fcc.terms["us-contractor"]["action"]


def test_an_override_of_an_unknown_audience_is_an_error(tmp_path: Path) -> None:
    own = write(
        tmp_path,
        "acme.yaml",
        """\
apiVersion: procgate/v1
kind: BanList
metadata: {name: acme, description: Acme's own settings, updated: 2026-12-01}
severity_overrides:
  - {authority: fcc-covered-list, audience: acme-retail, severity: warn, reason: ours}
""",
    )
    with pytest.raises(DataError, match="has no entry for audience 'acme-retail'"):
        load_ban_data([*default_ban_files(), own])


def test_shipped_list_is_current_as_of_its_review(shipped: BanData) -> None:
    [info] = shipped.lists
    assert (info.name, info.as_of) == ("us-government", date(2026, 12, 3))


def test_only_a_stated_as_of_can_go_stale(shipped: BanData, tmp_path: Path) -> None:
    assert shipped.lists[0].declared is True
    own = write(tmp_path, "min.yaml", MINIMAL)
    [info] = load_ban_data([own]).lists
    assert info.declared is False and info.as_of == date(2026, 11, 28)
