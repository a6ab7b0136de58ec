"""match: subjects -> matches, entity resolution against the ban lists (pipeline step 4).

    Matcher(ban_data).match(subjects) -> list[Match]
    strongest_per_owner(matches) -> list[Match]   one per (item or component, entity)

Layout: vocabulary.py (legal forms, abbreviations, places, generic words), names.py (folding
organization names), tokens.py (camelCase), translit.py (other scripts in Latin letters),
fuzzy.py (one-edit neighbours of listed words, name likeness), keys.py (CPE, purl, hosts;
identifiers and their check digits are procgate.identifiers), index.py (lookup tables
built once), cache.py (built indexes kept per ban-list digest, in memory and on disk),
resolve.py (the rules, one function per kind of role, and the scores), matcher.py (cache per
value, best match per entity). Precision and recall on the labelled set:
benchmarks/match_quality.py.
"""

from procgate.match.matcher import Matcher, strongest_per_owner
from procgate.match.resolve import SCORE_CORE, SCORE_EXACT, SCORE_FUZZY_MIN, SCORE_MENTION

__all__ = [
    "SCORE_CORE",
    "SCORE_EXACT",
    "SCORE_FUZZY_MIN",
    "SCORE_MENTION",
    "Matcher",
    "strongest_per_owner",
]
