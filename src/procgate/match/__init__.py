"""match: subjects -> matches, entity resolution against the ban lists (pipeline step 4)."""

from procgate.match.matcher import Matcher
from procgate.match.resolve import SCORE_CORE, SCORE_EXACT, SCORE_MENTION

__all__ = ["SCORE_CORE", "SCORE_EXACT", "SCORE_MENTION", "Matcher"]
