"""Public screening lists -> procgate ban-list files (the format of policies/data/).

    IMPORTERS[format](source_bytes, options) -> (ban-list document, counts)

csl  trade.gov Consolidated Screening List JSON ({results: [...]}, csl.py)
ftm  OpenSanctions FollowTheMoney entities, one JSON object a line (ftm.py)

Only organizations are imported: people are never matched by name (see match/), and
vessels and aircraft are not vendors. What an importer keeps: names (legal name, aliases,
former names), identifiers with a valid shape (LEI check digits, UEI, CAGE, DUNS), the
country, one listing per source list with its start date, and the date the source says it
is current as of (`metadata.as_of`, so an imported list goes stale like any other). The
written file is JSON (the loader reads it with orjson) and validates against
schemas/ban-list.schema.json. An importer needs only procgate.identifiers (identifier keys
and check digits) and writes a plain document: nothing of the loader or the matcher.
"""

from __future__ import annotations

from procgate.importers.common import Imported, ImportOptions
from procgate.importers.csl import import_csl
from procgate.importers.ftm import import_ftm

IMPORTERS = {"csl": import_csl, "ftm": import_ftm}

__all__ = ["IMPORTERS", "ImportOptions", "Imported"]
