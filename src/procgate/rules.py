"""Rule ids: defined once, set on every finding when it is created. Ids are stable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    help: str


RULES: dict[str, Rule] = {}


def _rule(id: str, title: str, help: str) -> str:
    RULES[id] = Rule(id, title, help)
    return id


PARSE_ERROR = _rule(
    "parse.error",
    "File cannot be parsed",
    "The file is not well-formed YAML, JSON, XML or SPDX tag-value. Fix the syntax at the "
    "line shown; nothing in an unreadable file can be checked.",
)
PARSE_UNKNOWN_KIND = _rule(
    "parse.unknown-kind",
    "File is not a known kind",
    "The file was named explicitly but is neither a purchase request (apiVersion: procgate/v1, "
    "kind: PurchaseRequest), a CycloneDX or SPDX SBOM, a ban list nor a waiver.",
)
PARSE_LIMIT = _rule(
    "parse.limit",
    "File exceeds a safety limit",
    "The file is larger or more deeply nested than procgate reads, or uses YAML aliases or XML "
    "entities that could expand without bound.",
)
PARSE_MISSING_FILE = _rule(
    "parse.missing-file",
    "Referenced file is missing",
    "A purchase request item names an SBOM (`sbom:`) that does not exist. The path is relative "
    "to the request file.",
)
SCHEMA_ERROR = _rule(
    "schema.invalid",
    "Document does not match its schema",
    "The document does not validate against its JSON Schema (procgate's own formats) or the "
    "official CycloneDX / SPDX schema. Fix the field at the position shown.",
)
NAMES_HIDDEN = _rule(
    "names.hidden-characters",
    "Vendor name hides characters",
    "A vendor, manufacturer, supplier, brand or CPE vendor contains characters a reader does "
    "not see (zero-width spaces and joiners, soft hyphens, bidi controls) or look-alike letters "
    "of several scripts inside one word (a Cyrillic а among Latin letters). That is how a "
    "listed name is disguised. procgate compared the name as displayed; ask for it written "
    "plainly.",
)
BANNED_VENDOR = _rule(
    "bans.banned-vendor",
    "Vendor is banned",
    "A vendor, manufacturer, brand or component supplier is covered by a ban that applies to "
    "this audience on this date. Do not buy, ship or keep it; choose another vendor.",
)
POSSIBLE_BAN = _rule(
    "bans.review",
    "Vendor may be covered by a ban",
    "A listed vendor was matched, but whether the ban reaches this item depends on facts the "
    "document does not settle (its use, whether it is equipment or software, the product "
    "line). Review it and record the outcome.",
)
ADVISORY_BAN = _rule(
    "bans.advisory",
    "Vendor is on a list that advises against it",
    "A listed vendor was matched and the list reaches this item, but for this audience it "
    "advises rather than forbids (the FCC Covered List for a private buyer, for example). "
    "Follow the list's advice or record why not in a waiver.",
)
LISTED_NOT_BANNED = _rule(
    "bans.listed-not-banned",
    "Vendor is listed, but no ban applies here",
    "The vendor is on a list procgate knows, but no listed authority applies to this "
    "audience, date or use. Nothing listed passes silently: confirm and move on.",
)
UPCOMING_BAN = _rule(
    "bans.upcoming",
    "Vendor will be banned soon",
    "A listed vendor is covered by a ban that is not yet in force on the check date but comes "
    "into force within the request's period of performance (`performance: {start, end}`), "
    "or within 24 months when the request gives none. The message names the date. Buy "
    "elsewhere, or make sure nothing is bought, delivered or renewed after it.",
)
AUDIENCE_NOT_ALLOWED = _rule(
    "audience.not-allowed",
    "Request's audience is ignored",
    "A purchase request names an `audience` that does not include the one procgate.yaml "
    "sets: a request may make the check stricter (us-dod includes us-federal), never looser. "
    "The request is checked as the configured audience.",
)
DATA_STALE = _rule(
    "data.stale",
    "Ban list is out of date",
    "A ban list is older than `data-max-age` days (default 180) on the evaluation date: its "
    "as-of date says when its facts were last checked. Bans added since are not in it. "
    "Update procgate or the list, or re-import it.",
)
MALFORMED_IDENTIFIER = _rule(
    "identifiers.malformed",
    "Entity identifier is malformed",
    "A UEI, CAGE, LEI or DUNS does not have the form its scheme requires (length, alphabet, "
    "check digits). A mistyped identifier cannot be screened; correct it from SAM.gov or GLEIF.",
)
TEMPLATE_PLACEHOLDER = _rule(
    "request.template-placeholder",
    "Purchase request still holds template text",
    "A value is still the example text `procgate new purchase-request` wrote (`Vendor Name "
    "Inc.`, `PR-0000-0000`, ...). An unfilled request cannot be screened: fill in the lines "
    "shown, or delete an optional line you do not need.",
)
WAIVER_REJECTED = _rule(
    "waiver.rejected",
    "Waiver is rejected",
    "The waiver cannot be used: it is granted under an authority that allows no waivers (FY2018 "
    "NDAA §1634, DHS BOD 17-01 and the BIS Kaspersky determination have no waiver mechanism), "
    "under an unknown authority, expires before it was approved or more than the longest "
    "duration after it (a year unless `waiver-max-days` says otherwise), repeats another "
    "waiver's id, names a finding about a file that could not be read or does not match its "
    "schema (those cannot be waived: fix the file), reaches out of its own folder, or covers "
    "every file (`**`) without `waivers-may-cover-all-files: true` in procgate.yaml. It covers "
    "nothing; remove it or correct it.",
)
WAIVER_NOT_APPLICABLE = _rule(
    "waiver.not-applicable",
    "Waiver matches a finding it cannot waive",
    "The waiver's entity, rule and scope match a finding, but an authority behind that finding "
    "allows no waivers, so the finding stands. Remove the item; no approval can cover it.",
)
WAIVER_EXPIRED = _rule(
    "waiver.expired",
    "Waiver has expired",
    "The waiver's `expires` date has passed, so it no longer applies and the findings it covered "
    "count again. Renew it with a new approval, or remove it and the item.",
)
WAIVER_EXPIRING = _rule(
    "waiver.expiring",
    "Waiver expires within 30 days",
    "The waiver still applies, but expires soon. Renew the approval or finish the phase-out "
    "before the date shown.",
)
WAIVER_NOT_YET_ACTIVE = _rule(
    "waiver.not-yet-active",
    "Waiver is not approved yet",
    "The waiver's `approved_on` date is after the evaluation date, so it does not apply yet.",
)
WAIVER_UNUSED = _rule(
    "waiver.unused",
    "Waiver matches nothing",
    "The waiver is active but no finding in the checked files matches its entity, rule and scope. "
    "The item may be gone (remove the waiver) or the scope may be mistyped.",
)
PARSE_REFERENCE_OUTSIDE = _rule(
    "parse.reference-outside",
    "Reference leaves the repository",
    "An item's `sbom:` resolves outside the repository: above the git top level (else the "
    "folder given on the command line, else the set of uploaded files), through an absolute "
    "path, or through a symbolic link that points out. The file is not read. A folder walk "
    "does not follow a link out of the repository either (a file named on the command line is "
    "read). Keep the SBOM in the repository and refer to it with a relative path.",
)
PARSE_REFERENCE_CYCLE = _rule(
    "parse.reference-cycle",
    "References form a cycle",
    "An item's `sbom:` names a purchase request that leads back, through its own `sbom:` "
    "references, to the request it started from (or names the request itself). Every request "
    "is still checked once; point `sbom:` at the item's SBOM.",
)
INTERNAL_ERROR = _rule(
    "internal.error",
    "procgate failed on this file",
    "A bug in procgate stopped the check of this file; the file blocks, the other files are "
    "still checked and reported. Run again with PROCGATE_DEBUG=1 for a traceback and report it.",
)

# A document that could not be read (or does not match its schema, or was left unread because
# its reference leaves the repository or loops, or procgate failed on it) was never matched:
# no waiver may cover these findings, a waiver naming one of them is rejected, and `scan`
# lists them as files that could not be checked fully.
UNWAIVABLE = frozenset(
    {
        PARSE_ERROR,
        PARSE_UNKNOWN_KIND,
        PARSE_LIMIT,
        PARSE_MISSING_FILE,
        SCHEMA_ERROR,
        PARSE_REFERENCE_OUTSIDE,
        PARSE_REFERENCE_CYCLE,
        INTERNAL_ERROR,
    }
)
