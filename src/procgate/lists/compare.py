"""Two versions of the ban data -> what changed between them.

    diff(old, new) -> ListDiff        `procgate lists diff OLD NEW`; `inventory reevaluate`

A change is one fact: an entity, a name (alias, former name, brand, subsidiary...), an
identifier, a CPE vendor, purl namespace or domain, a listing (an entity on an authority's
list: since when, scope, entry...), an authority (its dates and severity per audience, its
terms), an audience, a product category, or a list's as-of date, that was added, removed or
changed. Where a file lives (`source_file`) is not a fact: the same data in another folder
has no changes. Changes come in a fixed order (entities and authorities by id), so two runs
over the same files print the same text.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from procgate.model import Authority, BanData, Entity, ListInfo, Listing, Name

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# What a change is about (ListChange.what)
ENTITY = "entity"
NAME = "name"
IDENTIFIER = "identifier"
CPE_VENDOR = "cpe-vendor"
PURL_NAMESPACE = "purl-namespace"
DOMAIN = "domain"
LISTING = "listing"
AUTHORITY = "authority"
AUDIENCE = "audience"  # the audience tree (who includes whom)
CATEGORY = "category"
LIST = "list"
# Changes that can change what matches (the rest change what a match means).
MATCHING = frozenset({ENTITY, NAME, IDENTIFIER, CPE_VENDOR, PURL_NAMESPACE, DOMAIN})

_NAME_FIELDS = ("since", "until", "note", "common_word", "source")
_LISTING_FIELDS = (
    "since",
    "since_unknown",
    "scope",
    "entry",
    "excludes",
    "use_condition",
    "action",
    "source",
)
_AUTHORITY_FIELDS = ("title", "citation", "issued", "waivable", "summary", "action", "source")


@dataclass(frozen=True, slots=True)
class ListChange:
    change: str  # added | removed | changed
    what: str  # entity | name | identifier | cpe-vendor | purl-namespace | domain | listing
    #            | authority | audience | category | list
    entity: str = ""  # entity id (entity, name, identifier, ..., listing)
    authority: str = ""  # authority id (listing, authority)
    item: str = ""  # which one: the name, "lei 5493...", the audience, category id, list name
    field: str = ""  # for `changed`: which field ("since", "effective", "severity", ...)
    old: str = ""  # as text; "" when added
    new: str = ""  # as text; "" when removed

    def as_json(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v != ""}


@dataclass(frozen=True)
class ListDiff:
    old_lists: tuple[ListInfo, ...]
    new_lists: tuple[ListInfo, ...]
    old_digest: str
    new_digest: str
    changes: tuple[ListChange, ...]
    # the name of each entity and the title of each authority a change is about (new, else old)
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)
    titles: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def counts(self) -> Counter[str]:
        """added / removed / changed -> how many changes."""
        return Counter(c.change for c in self.changes)

    def entities(self, what: Iterable[str] | None = None) -> frozenset[str]:
        """Ids of the entities a change is about (only changes of these kinds, if given):
        entities(MATCHING) are those whose names or identifiers changed."""
        kinds = None if what is None else frozenset(what)
        return frozenset(
            c.entity for c in self.changes if c.entity and (kinds is None or c.what in kinds)
        )

    def authorities(self) -> frozenset[str]:
        """Ids of the authorities whose terms or listings changed."""
        return frozenset(c.authority for c in self.changes if c.authority)


def diff(old: BanData, new: BanData) -> ListDiff:
    changes = [
        *_lists(old.lists, new.lists),
        *_keyed(old.entities, new.entities, _entity_changes, _entity_summary),
        *_keyed(old.authorities, new.authorities, _authority_changes, _authority_summary),
        *_audiences(old.audiences, new.audiences),
        *_categories(old.categories, new.categories),
    ]
    entities = {c.entity for c in changes if c.entity}
    authorities = {c.authority for c in changes if c.authority}
    return ListDiff(
        old.lists,
        new.lists,
        old.digest,
        new.digest,
        tuple(changes),
        names={e: (new.entities.get(e) or old.entities[e]).name for e in sorted(entities)},
        titles={
            a: (new.authorities.get(a) or old.authorities[a]).title
            for a in sorted(authorities)
            if a in new.authorities or a in old.authorities
        },
    )


# ---------------------------------------------------------------- entities


def _entity_summary(change: str, e: Entity) -> ListChange:
    listed = "; ".join(f"{li.authority} ({_listing_text(li)})" for li in e.listings)
    text = f"{e.name}, " + (f"listed by {listed}" if listed else "no listings")
    return ListChange(change, ENTITY, entity=e.id, item=e.name, **{_side(change): text})


def _entity_changes(old: Entity, new: Entity) -> Iterator[ListChange]:
    eid = new.id
    if old.names[0].source != new.names[0].source:  # the legal name's source
        yield ListChange(
            CHANGED,
            ENTITY,
            entity=eid,
            item=new.name,
            field="name_source",
            old=old.names[0].source,
            new=new.names[0].source,
        )
    for attr in ("name", "country"):
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            yield ListChange(CHANGED, ENTITY, entity=eid, item=new.name, field=attr, old=a, new=b)
    yield from _names(eid, old.names[1:], new.names[1:])  # names[0] is the legal name
    for scheme in sorted(set(old.identifiers) | set(new.identifiers)):
        yield from _values(
            IDENTIFIER,
            eid,
            (f"{scheme} {v}" for v in old.identifiers.get(scheme, ())),
            (f"{scheme} {v}" for v in new.identifiers.get(scheme, ())),
        )
    yield from _values(CPE_VENDOR, eid, old.cpe_vendors, new.cpe_vendors)
    yield from _values(PURL_NAMESPACE, eid, old.purl_namespaces, new.purl_namespaces)
    yield from _values(DOMAIN, eid, old.domains, new.domains)
    yield from _listings(eid, old.listings, new.listings)


def _names(eid: str, old: Iterable[Name], new: Iterable[Name]) -> Iterator[ListChange]:
    before = {(n.value, n.via): n for n in old}
    after = {(n.value, n.via): n for n in new}
    for key, n in before.items():
        if key not in after:
            yield ListChange(REMOVED, NAME, entity=eid, item=_name_text(n), old=_name_text(n))
    for key, n in after.items():
        if key not in before:
            yield ListChange(ADDED, NAME, entity=eid, item=_name_text(n), new=_name_text(n))
        else:
            yield from _fields(NAME, before[key], n, _NAME_FIELDS, entity=eid, item=_name_text(n))


def _values(what: str, eid: str, old: Iterable[str], new: Iterable[str]) -> Iterator[ListChange]:
    before, after = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    for v in before:
        if v not in after:
            yield ListChange(REMOVED, what, entity=eid, item=v, old=v)
    for v in after:
        if v not in before:
            yield ListChange(ADDED, what, entity=eid, item=v, new=v)


def _listings(eid: str, old: Iterable[Listing], new: Iterable[Listing]) -> Iterator[ListChange]:
    before = {li.authority: li for li in old}
    after = {li.authority: li for li in new}
    for aid, li in before.items():
        if aid not in after:
            yield ListChange(REMOVED, LISTING, entity=eid, authority=aid, old=_listing_text(li))
    for aid, li in after.items():
        if aid not in before:
            yield ListChange(ADDED, LISTING, entity=eid, authority=aid, new=_listing_text(li))
        else:
            yield from _fields(LISTING, before[aid], li, _LISTING_FIELDS, entity=eid, authority=aid)


def _name_text(n: Name) -> str:
    return f"{n.value} ({n.via})"


def _listing_text(li: Listing) -> str:
    since = f"since {li.since.isoformat()}" if li.since else ""
    since = since or ("since an unknown date" if li.since_unknown else "")
    return ", ".join(p for p in (since, f"scope {li.scope}") if p)


# ---------------------------------------------------------------- authorities


def _authority_summary(change: str, a: Authority) -> ListChange:
    dates = ", ".join(
        f"{aud} {eff.isoformat()} {a.severity.get(aud, '')}".rstrip()
        for aud, eff in a.audiences.items()
    )
    return ListChange(
        change, AUTHORITY, authority=a.id, item=a.title, **{_side(change): f"{a.title}; {dates}"}
    )


def _authority_changes(old: Authority, new: Authority) -> Iterator[ListChange]:
    aid = new.id
    yield from _fields(AUTHORITY, old, new, _AUTHORITY_FIELDS, authority=aid, item=new.title)
    for aud in [*old.audiences, *(a for a in new.audiences if a not in old.audiences)]:
        item = f"audience {aud}"
        if aud not in new.audiences:
            text = f"{old.audiences[aud].isoformat()} {old.severity.get(aud, '')}".rstrip()
            yield ListChange(REMOVED, AUTHORITY, authority=aid, item=item, old=text)
            continue
        if aud not in old.audiences:
            text = f"{new.audiences[aud].isoformat()} {new.severity.get(aud, '')}".rstrip()
            yield ListChange(ADDED, AUTHORITY, authority=aid, item=item, new=text)
            continue
        before = {
            "effective": old.audiences[aud],
            "severity": old.severity.get(aud),
            **old.terms.get(aud, {}),
        }
        after = {
            "effective": new.audiences[aud],
            "severity": new.severity.get(aud),
            **new.terms.get(aud, {}),
        }
        yield from _mapping_fields(AUTHORITY, before, after, authority=aid, item=item)


# ---------------------------------------------------------------- the rest


def _lists(old: Iterable[ListInfo], new: Iterable[ListInfo]) -> Iterator[ListChange]:
    before = {i.name: i for i in old}
    after = {i.name: i for i in new}
    for name, info in before.items():
        if name not in after:
            yield ListChange(REMOVED, LIST, item=name, old=_text(info.as_of))
    for name, info in after.items():
        if name not in before:
            yield ListChange(ADDED, LIST, item=name, new=_text(info.as_of))
        elif before[name].as_of != info.as_of:
            yield ListChange(
                CHANGED,
                LIST,
                item=name,
                field="as_of",
                old=_text(before[name].as_of),
                new=_text(info.as_of),
            )


def _audiences(
    old: Mapping[str, tuple[str, ...]], new: Mapping[str, tuple[str, ...]]
) -> Iterator[ListChange]:
    for aud in [*old, *(a for a in new if a not in old)]:
        a, b = old.get(aud), new.get(aud)
        if a == b:
            continue
        change = REMOVED if b is None else ADDED if a is None else CHANGED
        yield ListChange(
            change,
            AUDIENCE,
            item=aud,
            field="includes" if change == CHANGED else "",
            old=_text(a[1:]) if a is not None else "",
            new=_text(b[1:]) if b is not None else "",
        )


def _categories(
    old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]
) -> Iterator[ListChange]:
    before = {str(c.get("id")): c for c in old}
    after = {str(c.get("id")): c for c in new}
    for cid, c in before.items():
        if cid not in after:
            yield ListChange(
                REMOVED,
                CATEGORY,
                authority=str(c.get("authority", "")),
                item=cid,
                old=str(c.get("title", "")),
            )
    for cid, c in after.items():
        if cid not in before:
            yield ListChange(
                ADDED,
                CATEGORY,
                authority=str(c.get("authority", "")),
                item=cid,
                new=str(c.get("title", "")),
            )
        else:
            yield from _mapping_fields(
                CATEGORY, before[cid], c, authority=str(c.get("authority", "")), item=cid
            )


def _keyed(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    changes: Any,
    summary: Any,
) -> Iterator[ListChange]:
    """Added, removed and changed members of two id -> object mappings, by id."""
    for key in sorted(set(old) | set(new)):
        if key not in new:
            yield summary(REMOVED, old[key])
        elif key not in old:
            yield summary(ADDED, new[key])
        else:
            a, b = old[key], new[key]
            if a is not b:
                yield from changes(a, b)


def _fields(
    what: str, old: Any, new: Any, fields: Iterable[str], **where: str
) -> Iterator[ListChange]:
    for attr in fields:
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            yield ListChange(CHANGED, what, field=attr, old=_text(a), new=_text(b), **where)


def _mapping_fields(
    what: str, old: Mapping[str, Any], new: Mapping[str, Any], **where: str
) -> Iterator[ListChange]:
    for attr in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(attr), new.get(attr)
        if a != b:
            yield ListChange(CHANGED, what, field=attr, old=_text(a), new=_text(b), **where)


def _side(change: str) -> str:
    return "old" if change == REMOVED else "new"


def _text(value: Any) -> str:
    """A value as people read it: dates ISO, lists joined, yes/no, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) or "(none)"
    return str(value)


# ---------------------------------------------------------------- for people and programs

_SIGN = {ADDED: "+", REMOVED: "-", CHANGED: "~"}


def as_json(d: ListDiff, old_label: str, new_label: str) -> dict[str, Any]:
    """`procgate lists diff --format json`."""
    counts = d.counts()
    return {
        "version": 1,
        "old": _side_json(old_label, d.old_digest, d.old_lists),
        "new": _side_json(new_label, d.new_digest, d.new_lists),
        "summary": {k: counts.get(k, 0) for k in (ADDED, REMOVED, CHANGED)},
        "changes": [c.as_json() for c in d.changes],
    }


def _side_json(label: str, digest: str, lists: Iterable[ListInfo]) -> dict[str, Any]:
    return {
        "path": label,
        "digest": digest,
        "lists": [{"name": i.name, "as_of": i.as_of.isoformat()} for i in lists],
    }


def as_text(d: ListDiff, old_label: str, new_label: str) -> str:
    """`procgate lists diff`: changes grouped under their entity or authority."""
    lines = [
        _shown(f"old: {old_label} ({_lists_text(d.old_lists)})"),
        _shown(f"new: {new_label} ({_lists_text(d.new_lists)})"),
    ]
    previous: str | None = None
    for c in d.changes:
        group = _group(c, d)
        if previous is None or group != previous:
            lines.append("")
            if group:
                lines.append(_shown(group))
        previous = group
        lines.append(("  " if group else "") + _shown(_line(c)))
    counts = d.counts()
    if d.changes:
        lines += [
            "",
            f"{len(d.changes)} change{'s' if len(d.changes) != 1 else ''}: "
            f"{counts[ADDED]} added, {counts[REMOVED]} removed, {counts[CHANGED]} changed",
        ]
    else:
        same = d.old_digest == d.new_digest
        lines += ["", "no changes" + ("" if same else " (the files differ in form only)")]
    return "\n".join(lines)


def _shown(line: str) -> str:
    """Control characters escaped (a newline as \\n): a value from a list cannot start a
    line of its own that reads like another change, nor send terminal escapes."""
    if line.isprintable():
        return line
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in line)


def _lists_text(lists: Iterable[ListInfo]) -> str:
    return ", ".join(f"{i.name} as of {i.as_of.isoformat()}" for i in lists) or "no lists"


def _group(c: ListChange, d: ListDiff) -> str:
    """The header a change is listed under ("" for a line of its own)."""
    if c.entity and not (c.what == ENTITY and c.change != CHANGED):
        return f"entity {c.entity} ({d.names.get(c.entity, '')})"
    if c.what == AUTHORITY and (c.change == CHANGED or c.item.startswith("audience ")):
        return f"authority {c.authority} ({d.titles.get(c.authority, '')})"
    if c.what == CATEGORY and c.change == CHANGED:
        return f"category {c.item}"
    return ""


def _line(c: ListChange) -> str:
    if c.what == ENTITY:
        subject = "" if c.change == CHANGED else f"entity {c.entity}"
    elif c.what == LISTING:
        subject = f"listing by {c.authority}"
    elif c.what == AUTHORITY:
        audience = c.item.startswith("audience ")
        subject = c.item if audience else "" if c.change == CHANGED else f"authority {c.authority}"
    elif c.what == CATEGORY:
        subject = "" if c.change == CHANGED else f"category {c.item}"
    else:  # name, identifier, cpe-vendor, purl-namespace, domain, audience, list
        subject = f"{c.what} {c.item}"
    text = " ".join(p for p in (_SIGN[c.change], subject, c.field) if p)
    if c.change == CHANGED:
        return f"{text}: {c.old or '(none)'} -> {c.new or '(none)'}"
    if c.what in (NAME, IDENTIFIER, CPE_VENDOR, PURL_NAMESPACE, DOMAIN):
        return text
    return f"{text}: {c.new or c.old}"
