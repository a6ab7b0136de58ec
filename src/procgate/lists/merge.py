"""Validated ban-list documents -> one BanData: the checks across files and the model types.

    merge(docs, digest) -> BanData      raises DataError at the file and line of the fault

Ids are unique across all files loaded together; listings, audiences, product categories
and severity overrides must name authorities, entities and audiences some file declares.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from procgate.identifiers import SCHEMES, lei_valid
from procgate.load.banlist import error_at
from procgate.model import Authority, BanData, Document, Entity, ListInfo, Listing, Name


def merge(docs: list[Document], digest: str) -> BanData:
    includes = _declared_audiences(docs)
    authorities: dict[str, Authority] = {}
    for doc in docs:
        for i, a in enumerate(doc.data.get("authorities", [])):
            if a["id"] in authorities:
                other = authorities[a["id"]].source_file
                raise error_at(
                    doc,
                    f"/authorities/{i}/id",
                    f"duplicate authority id {a['id']!r} (already defined in {other})",
                    "Ids are unique across all ban lists loaded together; pick a new id.",
                )
            for aud in a["audiences"]:
                if aud not in includes:
                    raise error_at(
                        doc,
                        f"/authorities/{i}/audiences/{_escape(aud)}",
                        f"audience {aud!r} is not declared under `audiences` in any ban list",
                        f"Declared audiences: {', '.join(sorted(includes))}.",
                    )
            authorities[a["id"]] = _authority(a, doc)

    entities: dict[str, dict[str, Any]] = {}  # id -> raw entity, listings still raw
    origin: dict[str, Document] = {}
    listings: dict[str, list[Listing]] = {}
    for doc in docs:
        for i, e in enumerate(doc.data.get("entities", [])):
            if e["id"] in entities:
                raise error_at(
                    doc,
                    f"/entities/{i}/id",
                    f"duplicate entity id {e['id']!r} (already defined in {origin[e['id']].path})",
                    "To list an entity another file defines, use a top-level `listings:` "
                    "entry with `entity:` instead of redefining it.",
                )
            entities[e["id"]], origin[e["id"]] = e, doc
            listings[e["id"]] = []
            for j, raw in enumerate(e["listings"]):
                pointer = f"/entities/{i}/listings/{j}"
                _add_listing(listings[e["id"]], raw, doc, pointer, authorities)
            for j, n in enumerate(e.get("names", [])):
                if "since" in n and "until" in n and n["until"] < n["since"]:
                    raise error_at(
                        doc, f"/entities/{i}/names/{j}/until", "`until` is before `since`"
                    )
            for j, value in enumerate((e.get("identifiers") or {}).get("lei", [])):
                if not lei_valid(value):  # the schema checks the shape, not the check digits
                    raise error_at(
                        doc,
                        f"/entities/{i}/identifiers/lei/{j}",
                        f"LEI {value!r} fails its ISO 7064 MOD 97-10 check digits",
                        "Copy the LEI again from GLEIF (search.gleif.org); a typo changes them.",
                    )
    for doc in docs:
        for j, raw in enumerate(doc.data.get("listings", [])):
            pointer = f"/listings/{j}"
            if raw["entity"] not in entities:
                raise error_at(
                    doc,
                    f"{pointer}/entity",
                    f"unknown entity {raw['entity']!r}",
                    "Load the file that defines it too (ids: "
                    f"{', '.join(sorted(entities)) or 'none'}).",
                )
            _add_listing(listings[raw["entity"]], raw, doc, pointer, authorities)

    _override(docs, authorities)
    return BanData(
        authorities=authorities,
        entities={eid: _entity(e, listings[eid], origin[eid]) for eid, e in entities.items()},
        audiences={aud: _closure(aud, includes) for aud in includes},
        digest=digest,
        lists=tuple(_list_info(doc) for doc in docs),
        categories=tuple(_categories(docs, authorities)),
    )


def _list_info(doc: Document) -> ListInfo:
    meta = doc.data["metadata"]
    as_of = meta.get("as_of")
    return ListInfo(
        meta["name"],
        doc.path,
        date.fromisoformat(as_of or meta["updated"]),
        declared=as_of is not None,
    )


def _categories(
    docs: list[Document], authorities: Mapping[str, Authority]
) -> Iterator[dict[str, Any]]:
    for doc in docs:
        for i, c in enumerate(doc.data.get("product_categories", [])):
            if c["authority"] not in authorities:
                raise error_at(
                    doc,
                    f"/product_categories/{i}/authority",
                    f"unknown authority {c['authority']!r}",
                    f"Known authorities: {', '.join(sorted(authorities))}.",
                )
            yield {
                **{k: _frozen(v) for k, v in c.items()},
                "title": authorities[c["authority"]].title,
            }


def _override(docs: list[Document], authorities: dict[str, Authority]) -> None:
    """An organisation's `severity_overrides`: its own severity for an authority and audience."""
    for doc in docs:
        for i, o in enumerate(doc.data.get("severity_overrides", [])):
            a = authorities.get(o["authority"])
            if a is None or o["audience"] not in a.audiences:
                what = "authority" if a is None else "audience"
                raise error_at(
                    doc,
                    f"/severity_overrides/{i}/{what}",
                    f"{o['authority']!r} has no entry for audience {o['audience']!r}"
                    if a
                    else f"unknown authority {o['authority']!r}",
                )
            # What to do follows the organisation's severity, not the list's own words for
            # the audience (which may call it a ban).
            said = f"{doc.data['metadata']['name']} sets this to {o['severity']}: {o['reason']}"
            terms = {
                **a.terms,
                o["audience"]: {
                    **a.terms.get(o["audience"], {}),
                    "override": o["reason"],
                    "action": said,
                },
            }
            authorities[a.id] = replace(
                a, severity={**a.severity, o["audience"]: o["severity"]}, terms=terms
            )


def _declared_audiences(docs: list[Document]) -> dict[str, list[str]]:
    """audience -> directly included audiences, merged over all files (first mention first)."""
    includes: dict[str, list[str]] = {}
    for doc in docs:
        for aud, included in (doc.data.get("audiences") or {}).items():
            merged = includes.setdefault(aud, [])
            merged.extend(a for a in included if a not in merged)
    for doc in docs:
        for aud, included in (doc.data.get("audiences") or {}).items():
            for k, inc in enumerate(included):
                if inc not in includes:
                    raise error_at(
                        doc,
                        f"/audiences/{_escape(aud)}/{k}",
                        f"audience {inc!r} is included but not declared",
                        "Declare it as a key under `audiences` (with [] if it includes none).",
                    )
    return includes


def _closure(audience: str, includes: Mapping[str, list[str]]) -> tuple[str, ...]:
    """The audience itself first, then everything it includes, breadth-first, no repeats."""
    order, queue = [audience], deque([audience])
    while queue:
        for inc in includes.get(queue.popleft(), ()):
            if inc not in order:
                order.append(inc)
                queue.append(inc)
    return tuple(order)


def _add_listing(
    into: list[Listing],
    raw: Mapping[str, Any],
    doc: Document,
    pointer: str,
    authorities: Mapping[str, Authority],
) -> None:
    if raw["authority"] not in authorities:
        raise error_at(
            doc,
            f"{pointer}/authority",
            f"unknown authority {raw['authority']!r}",
            f"Known authorities: {', '.join(sorted(authorities)) or 'none'}.",
        )
    # The Rego decision keys its outcome by authority: two listings of one entity by the
    # same authority would collide there. Merge them into one entry (the earlier `since`).
    if any(li.authority == raw["authority"] for li in into):
        raise error_at(
            doc,
            f"{pointer}/authority",
            f"entity already has a listing by {raw['authority']!r}",
            "Keep one listing per entity and authority; put both entries' words in `entry`.",
        )
    into.append(
        Listing(
            authority=raw["authority"],
            since=_date(raw.get("since")),
            since_unknown=bool(raw.get("since_unknown", False)),
            scope=raw["scope"],
            entry=raw["entry"],
            source=raw["source"],
            excludes=tuple(raw.get("excludes", ())),
            use_condition=tuple(raw.get("use_condition", ())),
            action=raw.get("action", ""),
        )
    )


def _authority(a: Mapping[str, Any], doc: Document) -> Authority:
    return Authority(
        id=a["id"],
        title=a["title"],
        citation=a["citation"],
        issued=_date(a.get("issued")),
        audiences={aud: date.fromisoformat(v["effective"]) for aud, v in a["audiences"].items()},
        severity={aud: v["severity"] for aud, v in a["audiences"].items()},
        waivable=a["waivable"],
        source=a["source"],
        summary=a["summary"],
        action=a["action"],
        source_file=doc.path,
        terms={
            aud: {k: _frozen(val) for k, val in v.items() if k not in ("effective", "severity")}
            for aud, v in a["audiences"].items()
        },
    )


def _entity(e: Mapping[str, Any], listings: list[Listing], doc: Document) -> Entity:
    # The legal name comes first among the names, so a matcher can index `names` alone.
    legal = Name(value=e["name"], via="legal-name", source=e["name_source"])
    names = tuple(
        Name(
            value=n["value"],
            via=n["via"],
            since=_date(n.get("since")),
            until=_date(n.get("until")),
            source=n["source"],
            note=n.get("note", ""),
            common_word=n.get("common_word", False),
        )
        for n in e.get("names", [])
    )
    ids = e.get("identifiers", {})
    return Entity(
        id=e["id"],
        name=e["name"],
        names=(legal, *names),
        identifiers={scheme: tuple(ids.get(scheme, ())) for scheme in SCHEMES},
        cpe_vendors=tuple(e.get("cpe_vendors", ())),
        purl_namespaces=tuple(e.get("purl_namespaces", ())),
        domains=tuple(e.get("domains", ())),
        listings=tuple(listings),
        country=e.get("country", ""),
        source_file=doc.path,
    )


def _frozen(value: Any) -> Any:
    """Lists as tuples, as the model keeps them (and as the disk cache gives them back)."""
    return tuple(value) if isinstance(value, list) else value


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
