"""What one (role, value, party) resolves to: the rules, one function per kind of role.

Scores say how sure the rule is that the value *is* the entity, not whether it is banned:
  1.0  exact   the value is a listed name, alias, identifier, CPE vendor, namespace or domain
               (after folding case, Unicode, punctuation and legal forms)
  0.9  core    the value is a listed name's core plus only legal forms, places and generic
               words ("Dahua Technology USA Inc.", "Huawei Technologies Co., Ltd. (Shenzhen)"),
               or a Maven groupId under a listed domain reversed (com.kaspersky.*)
  0.8  mention a listed core that is a listed name itself (Kaspersky, not "china mobile")
               appears as whole tokens inside something longer: a product name, a group, an
               organization with other distinctive words, a person's e-mail at a listed
               domain. The entity is involved; a person should confirm.
  0.85-0.99 fuzzy  a close spelling (one edit per word) of a listed name, via "fuzzy": the
               rule's score times the share of letters kept; from 0.9 it counts as sure.
               Digits inside a word read as letters ("Hu4wei"): the rule's score x 0.95.
  Names in another script are transliterated and go through the same rules (via
  "transliteration", scored like the rule that matched; at most 0.85 for Chinese read
  as pinyin, where many characters sound alike).

"Folding" is: the text as displayed (visible.py: invisible characters out, right-to-left
overrides applied, look-alike letters of mixed-script words in Latin), Unicode NFKC,
diacritics off, casefold, punctuation as a space, dotted initials joined (Z.T.E.),
abbreviations and plurals in one spelling (Tech., Labs, Comms, Ltd), legal forms stripped
at the ends (AO, ZAO, LLC, Co. Ltd, GmbH, 有限公司). A listed name's words written together
(KasperskyLab) are that name too (index.py); respell.py joins the pieces of a word split by
punctuation (Hua-wei) and reads digits inside a word as letters (Hu4wei).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from procgate.identifiers import VALIDATORS, identifier_key
from procgate.match import fuzzy, keys
from procgate.match.index import ANY_TYPE, ENTITY_ID, SINCE, UNTIL, VALUE, VIA, BanIndex, Ref
from procgate.match.names import (
    canonical,
    fold,
    has_contact,
    is_distinctive,
    is_placeholder,
    looks_like_organization,
    split_contacts,
    split_party,
    strip_legal,
    words,
)
from procgate.match.respell import codes, could_respell, respell
from procgate.match.tokens import camel_parts
from procgate.match.translit import has_ideographs, latin_words, syllables, transliterate
from procgate.match.visible import seen, shape
from procgate.match.vocabulary import NON_DISTINCTIVE

SCORE_EXACT = 1.0
SCORE_CORE = 0.9
SCORE_MENTION = 0.8
# Below this a close spelling is not reported: one letter off a six-letter name (0.83) is
# as often another company as a typo.
SCORE_FUZZY_MIN = 0.85
# A Chinese name matched only by its pronunciation (pinyin): many characters sound alike,
# so this is a possible match to review, never a sure one.
SCORE_SOUNDS_ALIKE = 0.85

# A digit written for a letter inside a word ("Hu4wei", "L0rex"): deliberate, whatever the
# word's length, so not scored by the share of letters kept as a typo is.
DIGIT_FOR_LETTER = 0.95

Scored = tuple[float, Ref]
Resolver = Callable[[BanIndex, str, str], list[Scored]]

_ASCII_WORD = re.compile(r"[a-z0-9]+")  # names.words for ASCII text, inlined on hot paths
_ORGANIZATION_ROLES = ("vendor", "manufacturer", "supplier", "publisher", "author", "originator")


def organization(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A vendor, supplier, author...: "AO Kaspersky Lab", "Joe <joe@dbzteam.org>"."""
    if ":" in value:  # "Organization: X" / "Person: X" that arrived unsplit
        value, party = split_party(value, party)
    # Only an organization may be matched by a name inside its longer name, or by spelling
    # whatever its words; for an unknown party "Dahua Lin" could be a person, and a person
    # is never an entity. A legal form declares one ("Kaspersky Lab Engineering LLC" in a
    # person-typed field): see _name.
    declared = party == "organization"
    return _names_and_contacts(index, value, party, mention=declared, fuzzy=declared)


def brand(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A brand is never a person, and "Ezviz by Hikvision" names Hikvision."""
    return _names_and_contacts(index, value, party, mention=True, fuzzy=True)


def _names_and_contacts(
    index: BanIndex, value: str, party: str, mention: bool, fuzzy: bool
) -> list[Scored]:
    if not has_contact(value):  # the usual case: a plain name
        if party == "person" or is_placeholder(value):
            return []
        return _name(index, value, mention, fuzzy)
    name, hosts = split_contacts(value)
    # A person's address at a listed domain says where they work, not who they are.
    contact_score = SCORE_EXACT if party == "organization" else SCORE_MENTION
    found = [(contact_score, ref) for host in hosts for ref in _domain_refs(index, host)]
    if party != "person" and not is_placeholder(name):
        found += _name(index, name, mention, fuzzy)
    return found


def _name(index: BanIndex, name: str, mention: bool, fuzzy: bool) -> list[Scored]:
    """The rules on the name as written; then, unless they are sure, on its transliteration
    and on close spellings."""
    if name.isascii() and _nothing_listed(index, name, _ASCII_WORD.findall(name.lower()), fuzzy):
        return []
    folded = canonical(fold(name))
    tokens = strip_legal(folded)
    if not tokens:
        return []
    if not mention and tokens != folded:  # a legal form: an organization, not a person
        mention = fuzzy = True
    found = _rules(index, folded, tokens, mention)
    if any(score >= SCORE_CORE for score, _ in found):
        return found
    found += _respelled(index, name, tokens, mention)
    if any(score >= SCORE_CORE for score, _ in found):
        return found
    if not all(map(str.isascii, tokens)):
        found += _ideographic(index, tokens, mention)
        found += _transliterated(index, tokens)
        found += _shaped(index, name, tokens)
    if fuzzy or looks_like_organization(folded):
        found += _close_spellings(index, name, tokens, found)
    return found


def _nothing_listed(index: BanIndex, name: str, words: list[str], typos: bool) -> bool:
    """Can no rule match these words? The usual case for a vendor name, decided with two
    set operations in C and, for long unknown words, a look for close listed words."""
    if not index.cores.firsts.isdisjoint(words) or index.words_plus.issuperset(words):
        return False  # a listed core starts here, or every word is a listed one
    if (
        not (name.istitle() or name.islower() or name.isupper())  # camel case?
        or len(words) > name.count(" ") + 1  # punctuation inside a word?
        or not all(map(str.isalpha, words))  # digits?
    ) and could_respell(name, words, index.words_plus):  # (tested inline first: C calls)
        return False  # "Hua-wei", "Hu4wei", "AOKaspersky": a listed word once respelled
    typos = typos or looks_like_organization(words)
    near, shortest = index.neighbours.near, fuzzy.MIN_QUERY
    for w in words:  # a loop, not any(generator): this runs for every vendor name
        if len(w) == 1:
            return False  # dotted initials (Z.T.E.) are joined by fold(): the long way
        if typos and len(w) >= shortest and w not in NON_DISTINCTIVE and w.isalpha() and near(w):
            return False
    return True


def _rules(index: BanIndex, folded: list[str], tokens: list[str], mention: bool) -> list[Scored]:
    """Exact (1.0); a listed core with nothing distinctive around it (0.9); a listed core
    among other distinctive words (0.8, only when `mention`)."""
    literal = index.literal.get(" ".join(folded), ())
    exact = index.exact.get(" ".join(tokens), ())
    if literal:  # the listed spelling, not another name equal only without legal forms
        seen = {ref[ENTITY_ID] for ref in literal}
        exact = tuple(ref for ref in exact if ref[ENTITY_ID] not in seen)
    found = [(SCORE_EXACT, ref) for ref in (*literal, *exact)]
    if index.cores.firsts.isdisjoint(tokens):  # no listed core starts here: the usual case
        return found
    numbers = codes(tokens) if not all(map(str.isalpha, tokens)) else []
    for start, end, refs in index.cores.spans(tokens):
        others = tokens[:start] + tokens[end:]
        if not any(is_distinctive(t) for t in others):
            found += [(_numbered(SCORE_CORE, numbers, ref), ref) for ref in refs]
        elif mention and tuple(tokens[start:end]) in index.mentionable:
            found += [(_numbered(SCORE_MENTION, numbers, ref), ref) for ref in refs]
    return [(score, ref) for score, ref in found if score]


def _numbered(score: float, numbers: list[str], ref: Ref) -> float:
    """Numbers are not typos: "Trading 28" is not the listed "Trading 2" (0: no match). A
    listed name with a number that the value lacks may still be it: a review (0.8)."""
    listed = _listed_codes(ref[VALUE])
    if not listed or numbers == listed:
        return score
    return 0.0 if numbers else min(score, SCORE_MENTION)


@lru_cache(maxsize=65_536)
def _listed_codes(value: str) -> list[str]:
    return codes(fold(value))


def _respelled(index: BanIndex, name: str, tokens: list[str], mention: bool) -> list[Scored]:
    """The rules on the name with the pieces of a listed word joined ("Hua-wei": as the
    whole word would match) and digits inside words read as letters ("Hu4wei": a look-alike
    spelling, DIGIT_FOR_LETTER times the rule's score, via "fuzzy")."""
    respelled = respell(seen(name), index.words_plus)
    if respelled is None:
        return []
    text, by_digits = respelled
    folded = canonical(fold(text))
    new = strip_legal(folded)
    if not new or new == tokens:
        return []
    found = _rules(index, folded, new, mention)
    if not by_digits:
        return found
    found = [(round(score * DIGIT_FOR_LETTER, 2), _via(ref, "fuzzy")) for score, ref in found]
    return [(score, ref) for score, ref in found if score >= SCORE_FUZZY_MIN]


def _shaped(index: BanIndex, name: str, tokens: list[str]) -> list[Scored]:
    """A name spelled wholly in look-alike letters of another script, read by its shape."""
    shaped = strip_legal(canonical(fold(shape(name))))
    if not shaped or shaped == tokens or not all(map(str.isascii, shaped)):
        return []
    return _rules(index, shaped, shaped, mention=False)


def _transliterated(index: BanIndex, tokens: list[str]) -> list[Scored]:
    """Cyrillic, Chinese...: the same rules on the Latin spelling, but never a mere mention
    (a transliterated syllable run is weaker evidence than a word written by the author)."""
    latin = strip_legal(canonical(transliterate(tokens, index.words)))
    if not latin or latin == tokens:
        return []
    found = _rules(index, latin, latin, mention=False)
    if any(map(has_ideographs, tokens)):  # pinyin is lossy: 达华 and 大华 are both "dahua"
        found = [(min(score, SCORE_SOUNDS_ALIKE), ref) for score, ref in found]
    return [(score, _via(ref, "transliteration")) for score, ref in found]


def _ideographic(index: BanIndex, tokens: list[str], mention: bool) -> list[Scored]:
    """A listed Chinese name inside a run of characters: 海康威视 in 海康威视数字技术 (by
    syllables, so 海康威視 too), 华为 in 华为终端 (two characters: by the characters). Scored
    like a core: 0.9 when what is left is places and generic words (数字技术, digital
    technology), 0.8 when it is more and `mention` allows."""
    found: list[Scored] = []
    sounds = [syllables(t) if has_ideographs(t) else [t] for t in tokens]
    for t, run in enumerate(sounds):
        others = [w for other in sounds[:t] + sounds[t + 1 :] for w in other]
        for i in range(len(run) - 1):
            for name, ref in index.ideographic.get(f"{run[i]} {run[i + 1]}", ()):
                if tuple(run[i : i + len(name)]) == name:
                    rest = [*run[:i], *run[i + len(name) :], *others]
                    found += _scored_inside(index, rest, ref, mention)
        token = tokens[t]
        for i in range(len(token) - 1):
            for ref in index.ideographic_pairs.get(token[i : i + 2], ()):
                rest = [*syllables(token[:i]), *syllables(token[i + 2 :]), *others]
                found += _scored_inside(index, rest, ref, mention)
    return found


def _scored_inside(index: BanIndex, rest: list[str], ref: Ref, mention: bool) -> list[Scored]:
    """A listed name found inside ideographic text, scored by the syllables around it."""
    latin = strip_legal(canonical(latin_words(rest, index.words)))
    if not any(map(is_distinctive, latin)):
        return [(SCORE_CORE if rest else SCORE_EXACT, ref)]
    return [(SCORE_MENTION, ref)] if mention else []


def _close_spellings(
    index: BanIndex, name: str, tokens: list[str], found: list[Scored]
) -> list[Scored]:
    """Typos, scored by how alike the names are: "Huawai Technologies" (0.94), "Kaspersky
    Lbs" (0.92). Two ways in: words one edit from a listed word, then the rules on the
    corrected name; and entities already found by a listed word inside the name, whose
    listed names are compared with the whole name."""
    scored: list[Scored] = []
    corrected = tokens
    for i, token in enumerate(tokens):
        if token not in index.words and is_distinctive(token) and fuzzy.eligible(token):
            # a listed word, else a generic one ("Telecomunication", "Technolgies")
            near = index.neighbours.near(token) or _GENERIC_NEIGHBOURS.near(token)
            if near:
                corrected = [*corrected[:i], near[0], *corrected[i + 1 :]]
    if corrected is not tokens:
        alike = fuzzy.similarity(" ".join(tokens), " ".join(corrected))
        for score, ref in _rules(index, corrected, corrected, False):
            scored.append((round(score * alike, 2), _via(ref, "fuzzy")))
    if found:
        key = " ".join(tokens)
        written = " ".join(strip_legal(fold(name)))
        for entity_id in {ref[ENTITY_ID] for _, ref in found}:
            alike, ref = max(
                (max(fuzzy.similarity(key, k), fuzzy.similarity(written, w)), ref)
                for k, w, ref in index.names.get(entity_id, ())
            )
            scored.append((_numbered(round(alike, 2), codes(tokens), ref), _via(ref, "fuzzy")))
    return [(score, ref) for score, ref in scored if score >= SCORE_FUZZY_MIN]


_GENERIC_NEIGHBOURS = fuzzy.Neighbours(NON_DISTINCTIVE)


def _via(ref: Ref, via: str) -> Ref:
    return (ref[ENTITY_ID], ref[VALUE], via, ref[SINCE], ref[UNTIL])


def product_name(index: BanIndex, value: str, party: str) -> list[Scored]:
    """Whole tokens only: "kaspersky-endpoint-agent" and "TikTokSDK" yes, "tiktoken" no."""
    tokens = _ASCII_WORD.findall(value.lower()) if value.isascii() else words(value)
    found = [] if index.package_words.isdisjoint(tokens) else _mentions(index, canonical(tokens))
    if not (value.islower() or value.isupper()):  # camel case is rare in package names
        for parts in camel_parts(value):  # "KasperskyEndpointAgent", "TikTokSDK"
            found += _mentions(index, canonical(parts)) + index.camel.find(parts)
    return [(SCORE_MENTION, ref) for ref in found]


def _mentions(index: BanIndex, tokens: list[str]) -> list[Ref]:
    """Refs of the mentionable listed cores that are runs of whole tokens in `tokens`."""
    return [
        ref
        for start, end, refs in index.cores.spans(tokens)
        if tuple(tokens[start:end]) in index.mentionable
        for ref in refs
    ]


def _no_package_word(index: BanIndex, value: str) -> bool:
    """Nothing listed can be in this package name or namespace: none of its words is one
    that a listed core starts with or a listed namespace ends with (and it is not camel
    case, whose parts are words too). Decided in C for the usual lower-case value."""
    return (
        value.isascii()
        and (value.islower() or value.isupper())
        and "%" not in value  # npm/%40kaspersky: decoded on the long way
        and index.package_words.isdisjoint(_ASCII_WORD.findall(value.lower()))
    )


def group(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A CycloneDX group is a purl namespace without its type: com.kaspersky, @kaspersky."""
    if _no_package_word(index, value):
        return []
    found = _namespace(index, ANY_TYPE, value.strip().casefold(), keys.ALL_SEPARATORS)
    return found + product_name(index, value, party)


def purl_namespace(index: BanIndex, value: str, party: str) -> list[Scored]:
    """ "maven/com.kaspersky.android-components", "npm/@kaspersky", "github/bytedance"."""
    if _no_package_word(index, value):
        return []
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
    if not refs and "/" not in separators:
        return []
    if "/" in separators:  # a Go module github.com/bytedance/... is github/bytedance
        host_kind, owner = keys.hosted_namespace(namespace)
        if owner:
            refs += table.get(f"{host_kind}/{owner}", ())
    # A groupId under a listed domain (com.kaspersky.*) is likely, not certainly, its owner's.
    return [(SCORE_EXACT if ref[VIA] == "purl-namespace" else SCORE_CORE, ref) for ref in refs]


def cpe_vendor(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A listed CPE vendor; else the vendor read as an organization's name, as `procgate
    explain` reads it: kaspersky_lab, kaspersky\\:lab, huawei_technologies, hikvisi0n."""
    key = keys.cpe_vendor_key(value)
    listed = index.cpe_vendors.get(key)
    if listed:
        return [(SCORE_EXACT, ref) for ref in listed]
    name = keys.cpe_vendor_name(key)
    if not name or is_placeholder(name) or name in ("*", "-"):
        return []
    return _name(index, name, mention=False, fuzzy=True)


def domain(index: BanIndex, value: str, party: str) -> list[Scored]:
    """A host, URL or e-mail address: the listed domain itself or any subdomain of it."""
    return [(SCORE_EXACT, ref) for ref in _domain_refs(index, keys.host(value))]


def _domain_refs(index: BanIndex, host: str) -> Iterable[Ref]:
    for suffix in keys.domain_suffixes(host):
        yield from index.domains.get(suffix, ())


def identifier(scheme: str) -> Resolver:
    def resolve(index: BanIndex, value: str, party: str) -> list[Scored]:
        """The listed identifier; a value that is well formed only for another scheme (an
        LEI in a UEI field) is also looked up there."""
        key = identifier_key(value)
        refs = index.identifiers.get(f"{scheme}:{key}", ())
        if not refs and not VALIDATORS[scheme](key):
            for other, valid in VALIDATORS.items():
                if other != scheme and valid(key):
                    refs += index.identifiers.get(f"{other}:{key}", ())
        return [(SCORE_EXACT, ref) for ref in refs]

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
