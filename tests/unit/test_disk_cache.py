"""A screening-list-sized ban list is parsed, indexed and handed to Rego once, then read back
from the disk cache (procgate/cache.py) with the same results, keyed by its bytes and paths."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from cli_support import json_report
from click.testing import Result

from procgate import cache
from procgate.decide.rego import data_json
from procgate.lists import default_ban_files, load_ban_data
from procgate.lists.packed import PackedEntities
from procgate.match import Matcher, index_format
from procgate.match import cache as index_cache
from procgate.match.fuzzy import Neighbours
from procgate.match.index import SINCE, UNTIL, BanIndex, SequenceTable
from procgate.model import Owner, Subject

ENTITIES = 1_200  # the size of a small screening list
SYLLABLES = ["bal", "cor", "dan", "fin", "gal", "hor", "jan", "kel", "mor", "nal", "pal", "ros"]


def spell(n: int) -> str:
    """A made-up word for n: four syllables, different for every n below 12**4."""
    out = []
    for _ in range(4):
        n, r = divmod(n, len(SYLLABLES))
        out.append(SYLLABLES[r])
    return "".join(out).title()


def screening_list(count: int = ENTITIES) -> dict[str, Any]:
    """A ban-list file shaped like an imported screening list (`procgate import csl`)."""
    source = "https://example.org/screening-list.json (test data)"
    return {
        "apiVersion": "procgate/v1",
        "kind": "BanList",
        "metadata": {
            "name": "test-screening",
            "description": "Test data.",
            "updated": "2026-11-28",
        },
        "authorities": [
            {
                "id": "test-screening",
                "title": "Test screening list",
                "citation": "none",
                "audiences": {"us-federal": {"effective": "2020-01-01", "severity": "deny"}},
                "waivable": False,
                "summary": "Test.",
                "action": "Do not buy.",
                "source": source,
            }
        ],
        "entities": [
            {
                "id": f"test-{i}",
                "name": f"{spell(i)} {spell(i * 7 + 3)} Trading Co., Ltd.",
                "name_source": source,
                "names": [{"value": f"{spell(i)} Industrial", "via": "alias", "source": source}],
                "listings": [
                    {
                        "authority": "test-screening",
                        "scope": "any",
                        "entry": f"entry {i}",
                        "source": source,
                    }
                ],
            }
            for i in range(count)
        ],
    }


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROCGATE_CACHE_DIR", str(folder))
    index_cache._memory.clear()  # this process's indexes, kept by digest
    return folder


@pytest.fixture
def big_list(tmp_path: Path) -> Path:
    path = tmp_path / "screening.json"
    path.write_text(json.dumps(screening_list()), encoding="utf-8")
    return path


def kinds(folder: Path) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[0] for p in folder.glob("*.msgpack"))


def test_a_big_list_is_read_back_the_same_and_entities_are_made_on_demand(
    cache_dir: Path, big_list: Path
) -> None:
    files = [*default_ban_files(), big_list]
    first = load_ban_data(files)
    assert kinds(cache_dir) == ["ban-data"]
    again = load_ban_data(files)
    assert isinstance(again.entities, PackedEntities)
    assert again.entities._made == {}  # nothing decoded until looked up
    assert again.entities["test-7"] == first.entities["test-7"]
    assert "test-7" in again.entities and "nobody" not in again.entities
    assert (
        len(again.entities)
        == len(first.entities)
        == ENTITIES + len(load_ban_data(default_ban_files()).entities)
    )
    assert dict(again.entities) == dict(first.entities)
    assert (again.authorities, again.audiences, again.digest) == (
        first.authorities,
        first.audiences,
        first.digest,
    )


def test_index_and_rego_data_are_cached_by_the_lists_digest(
    cache_dir: Path, big_list: Path
) -> None:
    data = load_ban_data([*default_ban_files(), big_list])
    built = Matcher(data)
    text = data_json(data)
    assert kinds(cache_dir) == ["ban-data", "match-index", "rego-data"]
    index_cache._memory.clear()
    read = index_cache.index_for(data)
    assert isinstance(read, BanIndex) and read is not built._index
    assert read.exact == built._index.exact
    assert data_json(data) == text
    assert json.loads(text)["banlist"]["entities"]["test-7"]["name"] == (
        data.entities["test-7"].name
    )


@pytest.mark.parametrize("damage", ["flip a bit", "cut short"])
def test_damaged_cache_files_mean_the_work_is_done_again(
    cache_dir: Path, big_list: Path, damage: str
) -> None:
    files = [*default_ban_files(), big_list]
    data = load_ban_data(files)
    subject = Subject("supplier", data.entities["test-42"].name, "/x", Owner("/x", "x", ""))
    expected = Matcher(data).match([subject])
    text = data_json(data)
    for written in cache_dir.glob("*.msgpack"):
        content = bytearray(written.read_bytes())
        if damage == "flip a bit":
            content[len(content) // 2] ^= 0x01  # mid-file: inside one encoded entity
        else:
            del content[len(content) // 2 :]
        written.write_bytes(bytes(content))
    index_cache._memory.clear()
    again = load_ban_data(files)
    assert dict(again.entities) == dict(data.entities)
    assert Matcher(again).match([subject]) == expected
    assert data_json(again) == text


def test_a_changed_or_moved_list_is_never_served_stale(
    cache_dir: Path, big_list: Path, tmp_path: Path
) -> None:
    files = [*default_ban_files(), big_list]
    load_ban_data(files)
    changed = screening_list()
    changed["entities"][7]["name"] = "Renamed Holdings LLC"
    big_list.write_text(json.dumps(changed), encoding="utf-8")
    assert load_ban_data(files).entities["test-7"].name == "Renamed Holdings LLC"
    assert len(list(cache_dir.glob("ban-data-*"))) == 2
    # Moved (a bundle unpacks to a new folder every run): read back, with today's paths.
    moved = tmp_path / "moved" / big_list.name
    moved.parent.mkdir()
    shutil.copy(big_list, moved)
    from_moved = load_ban_data([*default_ban_files(), moved])
    assert isinstance(from_moved.entities, PackedEntities)
    assert len(list(cache_dir.glob("ban-data-*"))) == 2
    assert from_moved.entities["test-7"].source_file == str(moved)
    assert from_moved.authorities["test-screening"].source_file == str(moved)
    assert from_moved.digest == load_ban_data(files).digest  # same bytes, same digest
    # Another file name is another list, even with the same bytes.
    renamed = moved.with_name("other.json")
    moved.rename(renamed)
    assert load_ban_data([*default_ban_files(), renamed]).digest != from_moved.digest


def test_the_shipped_list_is_cached_and_an_empty_cache_setting_writes_nothing(
    tmp_path: Path, big_list: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    built = load_ban_data(default_ban_files())
    Matcher(built)
    data_json(built)
    # the pre-commit path: its index is built (as fast as msgspec's import and a read)
    assert kinds(cache_dir) == ["ban-data", "rego-data"]
    index_cache._memory.clear()
    read = load_ban_data(default_ban_files())
    assert isinstance(read.entities, PackedEntities)
    assert dict(read.entities) == dict(built.entities)
    assert (read.authorities, read.audiences, read.lists, read.categories, read.digest) == (
        built.authorities,
        built.audiences,
        built.lists,
        built.categories,
        built.digest,
    )
    shutil.rmtree(cache_dir)
    monkeypatch.setenv("PROCGATE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    data = load_ban_data([*default_ban_files(), big_list])
    Matcher(data)
    data_json(data)
    assert not cache_dir.exists()
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_check_against_a_big_list_gives_the_same_verdict_from_the_cache(
    cache_dir: Path, big_list: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    listed = screening_list()["entities"][42]["name"]
    sbom = tmp_path / "app.cdx.json"
    sbom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.5",
                "version": 1,
                "components": [
                    {"type": "library", "name": "left-pad", "version": "1.3.0"},
                    {
                        "type": "device",
                        "name": "gateway",
                        "version": "2",
                        "supplier": {"name": listed},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    args = ("check", "--format", "json", "--audience", "us-federal", "--data", big_list, sbom)
    cold = run_cli(*args, cwd=tmp_path)
    assert kinds(cache_dir) == ["ban-data", "match-index", "rego-data"]
    index_cache._memory.clear()
    warm = run_cli(*args, cwd=tmp_path)
    assert cold.exit_code == warm.exit_code == 1
    assert json_report(warm) == json_report(cold)
    [finding] = json_report(warm)["findings"]
    assert finding["entity"] == "test-42" and finding["severity"] == "deny"
    assert finding["pointer"] == "/components/1/supplier/name"


def test_only_the_most_recently_used_files_of_a_kind_are_kept(cache_dir: Path) -> None:
    """A list imported again every day leaves a new entry every day: old ones go."""
    for day in range(cache.KEEP):
        cache.write("ban-data", f"day-{day}", {"day": day})
    assert cache.read("ban-data", "day-0") == {"day": 0}  # used again: now the newest
    for day in range(cache.KEEP, cache.KEEP + 2):
        cache.write("ban-data", f"day-{day}", {"day": day})
    cache.write("rego-data", "other kind", "kept")
    kept = [day for day in range(cache.KEEP + 2) if cache.read("ban-data", f"day-{day}")]
    assert kept == [0, 3, 4, 5]
    assert cache.read("rego-data", "other kind") == "kept"


def test_files_of_the_same_name_keep_their_own_paths_in_either_order(
    cache_dir: Path, tmp_path: Path
) -> None:
    """--data a/list.json --data b/list.json, then the other way round: each entity and
    authority still names the file it came from, cold or warm."""
    first, second = screening_list(), screening_list()
    first["entities"] = first["entities"][:600]
    second["entities"] = second["entities"][600:]
    second["authorities"][0]["id"] = "other-screening"
    for e in second["entities"]:
        e["listings"][0]["authority"] = "other-screening"
    a, b = tmp_path / "a" / "list.json", tmp_path / "b" / "list.json"
    for path, content in [(a, first), (b, second)]:
        path.parent.mkdir()
        path.write_text(json.dumps(content), encoding="utf-8")
    for _ in range(2):  # cold, then warm
        for order in ([a, b], [b, a]):
            data = load_ban_data([*default_ban_files(), *order])
            assert data.entities["test-1"].source_file == str(a)
            assert data.entities["test-700"].source_file == str(b)
            assert data.authorities["test-screening"].source_file == str(a)
            assert data.authorities["other-screening"].source_file == str(b)
    assert len(list(cache_dir.glob("ban-data-*"))) == 2  # one per order


def same_index(a: BanIndex, b: BanIndex) -> bool:
    """Every field of two indexes equal (Neighbours and SequenceTables compared by value)."""

    def plain(value: Any) -> Any:
        if isinstance(value, SequenceTable):
            return value.refs, value.firsts, value.longest
        if isinstance(value, Neighbours):
            return value._starts, value._ends
        return value

    return all(
        plain(getattr(a, f.name)) == plain(getattr(b, f.name)) for f in dataclasses.fields(a)
    )


def test_the_index_read_back_equals_the_built_one_and_shares_its_refs(
    cache_dir: Path, big_list: Path
) -> None:
    """Every field, with the shipped lists' dates (since/until) and Chinese names."""
    data = load_ban_data([*default_ban_files(), big_list])
    built = index_cache.index_for(data)
    assert any(ref[SINCE] or ref[UNTIL] for refs in built.exact.values() for ref in refs)
    assert built.ideographic or built.ideographic_pairs
    index_cache._memory.clear()
    read = index_cache.index_for(data)
    assert read is not built and same_index(read, built)
    # One Ref object wherever the index refers to it, as in the built index.
    ref = read.names["test-7"][0][2]
    assert any(r is ref for r in read.exact[read.names["test-7"][0][0]])


@pytest.mark.parametrize(
    "change", ["a string for a number", "a Ref that does not exist", "columns of different lengths"]
)
def test_an_index_file_with_data_of_the_wrong_shape_is_built_again(
    cache_dir: Path, big_list: Path, change: str
) -> None:
    """A file with the right magic line and checksum whose data is not what encode wrote
    (another procgate's bug, a hand edit): never a half-made index, never a traceback."""
    data = load_ban_data([*default_ban_files(), big_list])
    built = index_cache.index_for(data)
    packed = msgspec.msgpack.decode(index_format.encode(built))  # plain lists and dicts
    tables = packed[7]
    if change == "a string for a number":
        tables["exact"][1][0] = "0"
    elif change == "a Ref that does not exist":
        tables["exact"][1][0] = 10**9
    else:
        del tables["exact"][0][-1]
    cache.write_payload("match-index", data.digest, msgspec.msgpack.encode(packed))
    index_cache._memory.clear()
    read = index_cache.index_for(data)
    assert read is not built and same_index(read, built)
