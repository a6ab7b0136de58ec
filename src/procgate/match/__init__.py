"""match: subjects -> matches, entity resolution against the ban lists (pipeline step 4).

    Matcher(ban_data).match(subjects) -> list[Match]

Layout: vocabulary.py (legal forms, places, generic words), names.py (folding organization
names), tokens.py (camelCase), keys.py (identifiers, CPE, purl, hosts), index.py (lookup
tables built once), resolve.py (the rules, one function per kind of role, and the scores),
matcher.py (cache per value, best match per entity).
"""

from procgate.match.matcher import Matcher
from procgate.match.resolve import SCORE_CORE, SCORE_EXACT, SCORE_MENTION

__all__ = ["SCORE_CORE", "SCORE_EXACT", "SCORE_MENTION", "Matcher"]
