"""Ban lists (policies/data/*.yaml, --data FILE) -> BanData.

Each file is parsed with PyYAML, checked against schemas/ban-list.schema.json, then checked
across files (unique ids, known authorities, entities and audiences) and turned into the frozen
model types. A bad ban list raises DataError (exit 2): every decision depends on it, so the
run cannot go on without it, unlike a bad purchase request, which is a finding.

Speed: this runs on every pre-commit hook. The clean path validates with jsonschema-rs;
python-jsonschema is imported only to explain a file that failed, because importing it costs
over a second here (its format checkers pull in rfc3987-syntax, which builds a grammar at
import). Line numbers are likewise computed only for errors, by composing the YAML node tree.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import deque
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import yaml

from procgate import cache, gcpause
from procgate.errors import DataError
from procgate.match.keys import lei_valid
from procgate.model import Authority, BanData, Entity, ListInfo, Listing, Name
from procgate.resources import data_dir, schema_path

SCHEMA_NAME = "ban-list"
IDENTIFIER_SCHEMES = ("uei", "cage", "lei", "duns")
# Lists of more than cache.ON_DISK_ENTITIES entities are at least this big (~90 bytes for the
# smallest valid entity): below it, the disk cache is not even looked at.
_CACHED_BYTES = 90_000  # 1,001 entities x ~90 bytes; the shipped lists (80 KB) stay below
_MAX_REPORTED = 8  # schema errors spelled out in one DataError
_HINT = "A ban list must match schemas/ban-list.schema.json; see policies/data/README.md."

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]  # CSafeLoader if built, else SafeLoader
    """Safe YAML loader that keeps dates as strings and refuses duplicate keys."""


# Dates stay "YYYY-MM-DD" strings, so the schema sees what was written (format: date) and
# the data stays JSON-shaped; the loader converts them afterwards. Booleans are YAML 1.2's
# (`country: NO` is Norway, not false), as in load/yamlfile.py.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, _BOOL_1_2 if tag == _BOOL else regexp)
        for tag, regexp in resolvers
        if tag != _TIMESTAMP
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # PyYAML keeps the last of two equal keys; in curated data that hides a typo or a lost
    # fact (two `source:` lines), so it is an error here.
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable) or key in mapping:
            problem = (
                "unhashable key" if not isinstance(key, Hashable) else f"duplicate key {key!r}"
            )
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, problem, key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


# ---------------------------------------------------------------- public functions


def default_ban_files() -> list[Path]:
    """The ban lists shipped with procgate (policies/data/*.yaml), in name order."""
    return sorted(data_dir().glob("*.yaml"))


def load_ban_data(paths: Sequence[Path]) -> BanData:
    """Read, validate and merge ban-list files. Raises DataError naming file, field and line.

    A screening-list-sized list is read back from procgate's disk cache (procgate/cache.py)
    when these very bytes were loaded before: parsing, validating and making 100k+ model
    objects is then skipped, and each entity is made only when something looks it up."""
    raws = [(Path(p), _read_bytes(Path(p))) for p in paths]
    digest = _digest(raws)
    # The same files (name and bytes) in the same order give the same data, wherever they
    # are (a bundle unpacks to a new folder every run); only the source paths differ, and
    # are mapped file by file. (The digest alone ignores order: not enough here.)
    key = "".join(f"{p.name}\0{hashlib.sha256(raw).hexdigest()}\0" for p, raw in raws)
    sources = tuple(str(p) for p, _ in raws)
    cacheable = sum(len(raw) for _, raw in raws) >= _CACHED_BYTES
    if cacheable:
        held = cache.read("ban-data", key, _CACHED_TYPES)
        if (
            isinstance(held, tuple)
            and len(held) == 2
            and isinstance(held[1], BanData)
            and isinstance(held[1].entities, PackedEntities)
        ):
            return _moved(held[1], dict(zip(held[0], sources, strict=True)))
    files = [_parse(path, raw) for path, raw in raws]
    for f in files:
        _validate(f)
    with gcpause.paused():  # a screening-list-sized file makes 100k+ model objects
        data = _merge(files, digest)
        if cacheable and cache.on_disk(data):
            kept = replace(data, entities=PackedEntities(data.entities))
            cache.write("ban-data", key, (sources, kept), _CACHED_TYPES)
        return data


def _moved(data: BanData, paths: dict[str, str]) -> BanData:
    """Cached ban data with each recorded source path replaced by where the file is now."""
    paths = {old: new for old, new in paths.items() if old != new}
    if not paths:
        return data
    if isinstance(data.entities, PackedEntities):  # as written by load_ban_data
        data.entities.moved = paths
    authorities = {
        aid: replace(a, source_file=paths.get(a.source_file, a.source_file))
        for aid, a in data.authorities.items()
    }
    return replace(data, authorities=authorities)


class PackedEntities(Mapping[str, Entity]):
    """Entities kept encoded one by one (cache.encode: data only), each decoded on first
    look-up: a check against a cached 20,000-entity list looks up the few that matched, and
    reading the cache file costs milliseconds instead of the 0.3 s that 100k Name objects
    would."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self._packed = {eid: cache.encode(e, _ENTITY_TYPES) for eid, e in entities.items()}
        self._made: dict[str, Entity] = {}
        self.moved: dict[str, str] = {}  # source path when encoded -> where the file is now

    def __getitem__(self, eid: str) -> Entity:
        made = self._made.get(eid)
        if made is None:
            made = cache.decode(self._packed[eid], _ENTITY_TYPES)
            if not isinstance(made, Entity):
                raise KeyError(eid)
            if made.source_file in self.moved:
                made = replace(made, source_file=self.moved[made.source_file])
            self._made[eid] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, eid: object) -> bool:
        return eid in self._packed


_ENTITY_TYPES = (Entity, Name, Listing)
# What a "ban-data" cache file may hold (PackedEntities: _made and moved are empty dicts).
_CACHED_TYPES = (BanData, Authority, ListInfo, PackedEntities)


def ban_data_as_json(data: BanData) -> dict[str, Any]:
    """What the Rego policies get as data.procgate: only the fields the decision reads.

    Names and identifiers stay out (matching is done in Python), so the engine loads it fast.
    """
    return {
        "authorities": {
            a.id: {
                "title": a.title,
                "citation": a.citation,
                "source": a.source,
                "waivable": a.waivable,
                "action": a.action,
                "audiences": {
                    aud: {
                        **a.terms.get(aud, {}),
                        "effective": eff.isoformat(),
                        "severity": a.severity[aud],
                    }
                    for aud, eff in a.audiences.items()
                },
            }
            for a in data.authorities.values()
        },
        "entities": {
            e.id: {
                "name": e.name,
                "listings": [
                    {
                        "authority": li.authority,
                        "since": li.since.isoformat() if li.since else None,
                        "since_unknown": li.since_unknown,
                        "scope": li.scope,
                        "entry": li.entry,
                        "excludes": list(li.excludes),
                        "use_condition": list(li.use_condition),
                        "action": li.action,
                    }
                    for li in e.listings
                ],
            }
            for e in data.entities.values()
        },
        "audiences": {aud: list(included) for aud, included in data.audiences.items()},
        "categories": [dict(c) for c in data.categories],
    }


# ---------------------------------------------------------------- reading


@dataclass
class _File:
    path: Path
    raw: bytes
    data: Any

    def error(self, pointer: str, message: str, hint: str = _HINT) -> DataError:
        return DataError(_line(self.path, *_locate(self.raw, pointer), pointer, message), hint)


def _line(path: Path, line: int, column: int, pointer: str, message: str) -> str:
    where = f"{path}:{line}:{column}" if line else str(path)
    return f"{where}: {pointer or '/'}: {message}"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataError(
            f"{path}: cannot read ban list: {e.strerror or e}", "Check the --data path."
        ) from e


def _parse(path: Path, raw: bytes) -> _File:
    data = _json(raw)
    if data is not None:
        return _File(path, raw, data)
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = e.problem or e.context or "invalid YAML"
        raise DataError(f"{where}: {problem}", "Fix the YAML syntax at that line.") from e
    except yaml.YAMLError as e:
        raise DataError(f"{path}: not valid YAML: {e}", "Fix the YAML syntax.") from e
    if data is None:
        raise DataError(f"{path}: the ban list is empty", _HINT)
    return _File(path, raw, data)


def _json(raw: bytes) -> Any:
    """A ban list written as JSON (an imported screening list: tens of thousands of
    entities), parsed by orjson: 20x faster than the YAML parser on a 10 MB file. None when
    it is not JSON; the YAML parser then reads it, and explains any syntax error with its
    line. JSON duplicate keys keep the last value (the YAML path refuses them)."""
    if raw.lstrip()[:1] != b"{":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


# ---------------------------------------------------------------- schema validation


@functools.cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(SCHEMA_NAME).read_text(encoding="utf-8"))
    return schema


@functools.cache
def _fast_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_schema(), validate_formats=True)


def _validate(f: _File) -> None:
    if _fast_validator().is_valid(f.data):
        return
    # Explain with python-jsonschema: its messages and paths are the ones users know.
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(_schema(), format_checker=FormatChecker())
    located = []
    for err in validator.iter_errors(f.data):
        for pointer, message in _explain(err):
            line, column = _locate(f.raw, pointer)
            located.append((line, column, pointer, message))
    located = list(dict.fromkeys(located))  # several missing fields: each said once
    if not located:  # the two validators disagree: report what jsonschema-rs saw
        located = [
            (*_locate(f.raw, p), p, m)
            for p, m in (
                (_pointer(e.instance_path), e.message)
                for e in _fast_validator().iter_errors(f.data)
            )
        ]
    located.sort()
    lines = [_line(f.path, *where) for where in located[:_MAX_REPORTED]]
    if len(located) > _MAX_REPORTED:
        lines.append(f"... and {len(located) - _MAX_REPORTED} more")
    if len(lines) > 1:
        lines.insert(0, f"{f.path}: {len(located)} schema errors")
    raise DataError("\n  ".join(lines), _HINT)


def _explain(err: Any) -> Iterator[tuple[str, str]]:
    """(pointer, message) for one jsonschema error, in the words request errors use
    (validate/messages.py: "entities[0]: missing required field 'name_source'"); unknown keys
    point at the key itself."""
    from procgate.validate.messages import from_python

    pointer = _pointer(err.absolute_path)
    if err.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        err.instance, dict
    ):
        known = _declared(err.schema)
        unexpected = [k for k in err.instance if k not in known]
        if unexpected:
            allowed = ", ".join(sorted(known))
            for key in unexpected:
                yield f"{pointer}/{_escape(str(key))}", f"unknown key {key!r} (allowed: {allowed})"
            return
    path = list(err.schema_path)
    when = ""
    if "dependentSchemas" in path:  # say which key brought the requirement
        when = f" when `{path[path.index('dependentSchemas') + 1]}` is given"
    for problem in from_python(err):
        yield problem.pointer, problem.message + when


def _declared(schema: Any) -> set[str]:
    """Property names a (sub)schema declares, following local $refs and allOf."""
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties", {}))
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        names |= _declared(_schema()["$defs"][ref.removeprefix("#/$defs/")])
    for sub in schema.get("allOf", []):
        names |= _declared(sub)
    return names


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _pointer(parts: Any) -> str:
    return "".join(f"/{_escape(str(p))}" for p in parts)


def _locate(raw: bytes, pointer: str) -> tuple[int, int]:
    """1-based (line, column) of a JSON pointer in a YAML file; the nearest parent if absent.

    A mapping member is located at its key, so an unknown or invalid key is shown where the
    user typed it. Only called for errors: composing the node tree costs time.
    """
    try:
        node: yaml.Node | None = yaml.compose(raw, Loader=_Loader)
    except yaml.YAMLError:
        return 0, 0
    if node is None:
        return 0, 0
    mark = node.start_mark
    for part in (p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]):
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == part), None)
            if found is None:
                break
            mark, node = found[0].start_mark, found[1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


# ---------------------------------------------------------------- merging


def _merge(files: list[_File], digest: str) -> BanData:
    includes = _declared_audiences(files)
    authorities: dict[str, Authority] = {}
    for f in files:
        for i, a in enumerate(f.data.get("authorities", [])):
            if a["id"] in authorities:
                other = authorities[a["id"]].source_file
                raise f.error(
                    f"/authorities/{i}/id",
                    f"duplicate authority id {a['id']!r} (already defined in {other})",
                    "Ids are unique across all ban lists loaded together; pick a new id.",
                )
            for aud in a["audiences"]:
                if aud not in includes:
                    raise f.error(
                        f"/authorities/{i}/audiences/{_escape(aud)}",
                        f"audience {aud!r} is not declared under `audiences` in any ban list",
                        f"Declared audiences: {', '.join(sorted(includes))}.",
                    )
            authorities[a["id"]] = _authority(a, f)

    entities: dict[str, dict[str, Any]] = {}  # id -> raw entity, listings still raw
    origin: dict[str, _File] = {}
    listings: dict[str, list[Listing]] = {}
    for f in files:
        for i, e in enumerate(f.data.get("entities", [])):
            if e["id"] in entities:
                raise f.error(
                    f"/entities/{i}/id",
                    f"duplicate entity id {e['id']!r} (already defined in {origin[e['id']].path})",
                    "To list an entity another file defines, use a top-level `listings:` "
                    "entry with `entity:` instead of redefining it.",
                )
            entities[e["id"]], origin[e["id"]] = e, f
            listings[e["id"]] = []
            for j, raw in enumerate(e["listings"]):
                _add_listing(listings[e["id"]], raw, f, f"/entities/{i}/listings/{j}", authorities)
            for j, n in enumerate(e.get("names", [])):
                if "since" in n and "until" in n and n["until"] < n["since"]:
                    raise f.error(f"/entities/{i}/names/{j}/until", "`until` is before `since`")
            for j, value in enumerate((e.get("identifiers") or {}).get("lei", [])):
                if not lei_valid(value):  # the schema checks the shape, not the check digits
                    raise f.error(
                        f"/entities/{i}/identifiers/lei/{j}",
                        f"LEI {value!r} fails its ISO 7064 MOD 97-10 check digits",
                        "Copy the LEI again from GLEIF (search.gleif.org); a typo changes them.",
                    )
    for f in files:
        for j, raw in enumerate(f.data.get("listings", [])):
            pointer = f"/listings/{j}"
            if raw["entity"] not in entities:
                raise f.error(
                    f"{pointer}/entity",
                    f"unknown entity {raw['entity']!r}",
                    "Load the file that defines it too (ids: "
                    f"{', '.join(sorted(entities)) or 'none'}).",
                )
            _add_listing(listings[raw["entity"]], raw, f, pointer, authorities)

    _override(files, authorities)
    return BanData(
        authorities=authorities,
        entities={eid: _entity(e, listings[eid], origin[eid]) for eid, e in entities.items()},
        audiences={aud: _closure(aud, includes) for aud in includes},
        digest=digest,
        lists=tuple(_list_info(f) for f in files),
        categories=tuple(_categories(files, authorities)),
    )


def _list_info(f: _File) -> ListInfo:
    meta = f.data["metadata"]
    as_of = meta.get("as_of")
    return ListInfo(
        meta["name"],
        str(f.path),
        date.fromisoformat(as_of or meta["updated"]),
        declared=as_of is not None,
    )


def _categories(
    files: list[_File], authorities: Mapping[str, Authority]
) -> Iterator[dict[str, Any]]:
    for f in files:
        for i, c in enumerate(f.data.get("product_categories", [])):
            if c["authority"] not in authorities:
                raise f.error(
                    f"/product_categories/{i}/authority",
                    f"unknown authority {c['authority']!r}",
                    f"Known authorities: {', '.join(sorted(authorities))}.",
                )
            yield {
                **{k: _frozen(v) for k, v in c.items()},
                "title": authorities[c["authority"]].title,
            }


def _override(files: list[_File], authorities: dict[str, Authority]) -> None:
    """An organisation's `severity_overrides`: its own severity for an authority and audience."""
    for f in files:
        for i, o in enumerate(f.data.get("severity_overrides", [])):
            a = authorities.get(o["authority"])
            if a is None or o["audience"] not in a.audiences:
                what = "authority" if a is None else "audience"
                raise f.error(
                    f"/severity_overrides/{i}/{what}",
                    f"{o['authority']!r} has no entry for audience {o['audience']!r}"
                    if a
                    else f"unknown authority {o['authority']!r}",
                )
            terms = {
                **a.terms,
                o["audience"]: {**a.terms.get(o["audience"], {}), "override": o["reason"]},
            }
            authorities[a.id] = replace(
                a, severity={**a.severity, o["audience"]: o["severity"]}, terms=terms
            )


def _declared_audiences(files: list[_File]) -> dict[str, list[str]]:
    """audience -> directly included audiences, merged over all files (first mention first)."""
    includes: dict[str, list[str]] = {}
    for f in files:
        for aud, included in (f.data.get("audiences") or {}).items():
            merged = includes.setdefault(aud, [])
            merged.extend(a for a in included if a not in merged)
    for f in files:
        for aud, included in (f.data.get("audiences") or {}).items():
            for k, inc in enumerate(included):
                if inc not in includes:
                    raise f.error(
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
    f: _File,
    pointer: str,
    authorities: Mapping[str, Authority],
) -> None:
    if raw["authority"] not in authorities:
        raise f.error(
            f"{pointer}/authority",
            f"unknown authority {raw['authority']!r}",
            f"Known authorities: {', '.join(sorted(authorities)) or 'none'}.",
        )
    # The Rego decision keys its outcome by authority: two listings of one entity by the
    # same authority would collide there. Merge them into one entry (the earlier `since`).
    if any(li.authority == raw["authority"] for li in into):
        raise f.error(
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


def _authority(a: Mapping[str, Any], f: _File) -> Authority:
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
        source_file=str(f.path),
        terms={
            aud: {k: _frozen(val) for k, val in v.items() if k not in ("effective", "severity")}
            for aud, v in a["audiences"].items()
        },
    )


def _entity(e: Mapping[str, Any], listings: list[Listing], f: _File) -> Entity:
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
        identifiers={scheme: tuple(ids.get(scheme, ())) for scheme in IDENTIFIER_SCHEMES},
        cpe_vendors=tuple(e.get("cpe_vendors", ())),
        purl_namespaces=tuple(e.get("purl_namespaces", ())),
        domains=tuple(e.get("domains", ())),
        listings=tuple(listings),
        country=e.get("country", ""),
        source_file=str(f.path),
    )


def _frozen(value: Any) -> Any:
    """Lists as tuples, as the model keeps them (and as the disk cache gives them back)."""
    return tuple(value) if isinstance(value, list) else value


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _digest(raws: list[tuple[Path, bytes]]) -> str:
    """sha256 over the files' names and bytes, in name order: the same data gives the same
    digest on every machine, whatever the checkout path or the order of --data flags."""
    h = hashlib.sha256()
    for path, raw in sorted(raws, key=lambda pr: (pr[0].name, str(pr[0]))):
        h.update(path.name.encode() + b"\0" + str(len(raw)).encode() + b"\0")
        h.update(raw)
    return "sha256:" + h.hexdigest()
