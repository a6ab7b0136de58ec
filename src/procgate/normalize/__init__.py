"""normalize: Document → Subjects, the values in a document that can name a vendor.

``subjects(doc)`` dispatches on ``doc.kind`` through ``NORMALIZERS``. Every Subject has
a role (see ``model.ROLES``); the value as written (trimmed; SPDX actor prefixes and
e-mails removed, purl namespaces and CPE vendors extracted); the RFC 6901 pointer of
the field it came from (every key on the way is a fixed ASCII name or an index, so no
token needs ``~0``/``~1`` escaping); the Owner (the purchase item or SBOM component or
package it belongs to; pointer "" for the document); and a party: organization |
person | unknown | identifier. Normalizers read ``Document.data`` only and never raise
on odd shapes: a schema-invalid file still gets checked for vendors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from procgate import gcpause
from procgate.model import Document, Kind, Subject
from procgate.normalize.cyclonedx import normalize_cyclonedx
from procgate.normalize.purchase import normalize_purchase
from procgate.normalize.spdx2 import normalize_spdx2
from procgate.normalize.spdx3 import normalize_spdx3

Normalizer = Callable[[Document], Sequence[Subject]]


def no_subjects(doc: Document) -> list[Subject]:
    """Ban lists and waivers are policy input, not things being bought."""
    return []


NORMALIZERS: dict[Kind, Normalizer] = {
    Kind.PURCHASE_REQUEST: normalize_purchase,
    Kind.CYCLONEDX: normalize_cyclonedx,
    Kind.SPDX2: normalize_spdx2,
    Kind.SPDX3: normalize_spdx3,
    Kind.BAN_LIST: no_subjects,
    Kind.WAIVER: no_subjects,
}


def subjects(doc: Document) -> Sequence[Subject]:
    """All subjects of `doc`, grouped by owner (deterministic order). SBOMs give a
    SubjectTable (normalize/table.py: rows, Subjects made when read), other kinds a list.

    The cyclic GC is paused meanwhile: a 100k-component SBOM creates ~600k rows, and
    collections triggered by them would walk the whole loaded document again and again
    (see procgate/gcpause.py)."""
    normalizer = NORMALIZERS.get(doc.kind, no_subjects)
    with gcpause.bulk():
        return normalizer(doc)


__all__ = [
    "NORMALIZERS",
    "Normalizer",
    "no_subjects",
    "normalize_cyclonedx",
    "normalize_purchase",
    "normalize_spdx2",
    "normalize_spdx3",
    "subjects",
]
