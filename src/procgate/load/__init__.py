"""load: files -> Documents (JSON-shaped data + lazy source positions), or Findings.

    load(path, display)               a file on disk
    load_bytes(content, name)         the same from bytes (git-staged content, uploads)
    discover(paths)                   command-line paths -> files, folders walked
    display_path(path)                the path findings show for a file on disk
    open_reference(display)           a file a request's `sbom:` names; Missing if absent
    sbom_refs(doc)                    (load/references.py) what a request's `sbom:`s name

A file that cannot be read is a parse.* Finding with a line and column, never an
exception. The syntax is sniffed from the content (the extension only breaks ties) and
the kind from the parsed data; see kinds.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from procgate import rules
from procgate.load import jsonfile, yamlfile
from procgate.load.discover import discover
from procgate.load.kinds import detect
from procgate.load.references import link_out_of_repository, sbom_refs
from procgate.load.source import (
    MAX_BYTES,
    LoadProblem,
    decode,
    encoding_of,
    looks_like_ours,
    read_regular,
    too_large,
)
from procgate.model import Document, Finding, Kind, Locator, Position, Severity

__all__ = [
    "Missing",
    "Opener",
    "deeper_than",
    "discover",
    "display_path",
    "load",
    "load_bytes",
    "may_be_request",
    "open_reference",
    "sbom_refs",
]


@dataclass(frozen=True)
class Missing:
    """What an opener returns for a referenced file that is not there. `why` is set when
    the opener knows more than "no such file" (git: "… is not in the index")."""

    why: str = ""


# Opens a file a document refers to (an item's `sbom:`), by its display path: from disk
# (open_reference), from a git snapshot (diff/select.py) or from uploads (serve, where a
# name not uploaded gives None: the same as Missing()).
Opener = Callable[[str], "Document | Finding | Missing | None"]


def display_path(path: Path) -> str:
    """The one way a file on disk is named in findings: relative to the cwd when inside it
    (both sides with their links resolved), else as given. realpath, not resolve(): a
    symlink loop must not raise here (loading it is a finding)."""
    try:
        return str(Path(os.path.realpath(path)).relative_to(os.path.realpath(Path.cwd())))
    except ValueError:
        return str(path)


def open_reference(display: str) -> Document | Finding | Missing:
    """A referenced file on disk, by its display path."""
    loaded = load(Path(display), display)
    if loaded is None or (isinstance(loaded, Finding) and loaded.rule == rules.PARSE_MISSING_FILE):
        return Missing()  # (None never: a named file of no known kind is a finding)
    return loaded


_TAG_VALUE = re.compile(r"\A(?:\s*#[^\n]*\n)*\s*SPDXVersion\s*:")
_JSON_EXTENSIONS = (".json", ".jsonld")
_YAML_EXTENSIONS = (".yaml", ".yml")


def load(
    path: Path, display: str | None = None, *, explicit: bool = True
) -> Document | Finding | None:
    """Read and parse one file. `display` is the path shown in findings (default: path).
    With explicit=False (a file found by walking a folder) a file of no known kind gives
    None; so does one that does not parse, unless its text names one of our formats."""
    name = display if display is not None else str(path)
    if not explicit and link_out_of_repository(path):
        return Finding(
            rules.PARSE_REFERENCE_OUTSIDE,
            Severity.DENY,
            f"{name} is a symbolic link to a file outside the repository: not read (a folder "
            "walk only follows links that stay inside it)",
            Position(name, 0, 0),
        )
    try:
        content = read_regular(path, MAX_BYTES)
    except LoadProblem as problem:
        return _finding(problem, name)
    except FileNotFoundError:
        return Finding(
            rules.PARSE_MISSING_FILE, Severity.DENY, f"no such file: {name}", Position(name, 0, 0)
        )
    except OSError as e:
        return _finding(LoadProblem(rules.PARSE_ERROR, f"cannot read the file: {e.strerror}"), name)
    return load_bytes(content, name, explicit=explicit)


def may_be_request(path: Path) -> bool:
    """Whether a file can be a purchase request, so that `check` can read the requests of a
    folder first and its big SBOMs one at a time afterwards. A request must say `kind:
    PurchaseRequest`, so a file without those bytes (in UTF-8) is not one. Only the head
    is read when it settles the question: it names a request, or it is XML or SPDX
    tag-value, or a JSON object whose leading plain string members make it CycloneDX or
    SPDX 2 (kinds.detect prefers those to `kind:`); else the whole file is scanned.
    Unreadable or non-UTF-8 files say yes: loading them is what explains them."""
    try:
        head = read_regular(path, MAX_BYTES, prefix=_HEAD_BYTES)
        codec, bom = encoding_of(head)
        if codec != "utf-8" or b"PurchaseRequest" in head:
            return True
        text = head[bom:].lstrip()
        if text[:1] == b"<" or _TAG_VALUE_BYTES.match(text) or _SBOM_JSON_HEAD.match(text):
            return False
        return len(head) == _HEAD_BYTES and b"PurchaseRequest" in read_regular(path, MAX_BYTES)
    except (OSError, LoadProblem):
        return True


_HEAD_BYTES = 8192
_TAG_VALUE_BYTES = re.compile(rb"(?:#[^\n]*\n\s*)*SPDXVersion\s*:")
# `{` then plain "key": "value" members, one of which makes the object an SBOM.
_SBOM_JSON_HEAD = re.compile(
    rb'\{(?:\s*"[^"\\]*"\s*:\s*"[^"\\]*"\s*,)*?'
    rb'\s*"(?:bomFormat"\s*:\s*"CycloneDX|spdxVersion"\s*:\s*"SPDX-2)'
)


def load_bytes(content: bytes, name: str, *, explicit: bool = True) -> Document | Finding | None:
    """Parse a file's content; `name` is its path as shown to people (and its extension
    breaks ties between syntaxes)."""
    try:
        doc = _parse(content, name)
    except LoadProblem as problem:
        if not explicit and not looks_like_ours(content):
            return None
        return _finding(problem, name)
    if doc is None:
        # A walked file that speaks our formats but has a misspelled kind must not pass
        # silently (`kind: PurchaseRequst` would otherwise slip past the hook).
        if not explicit and not looks_like_ours(content):
            return None
        return Finding(
            rules.PARSE_UNKNOWN_KIND,
            Severity.DENY,
            "not a purchase request (apiVersion: procgate/v1, kind: PurchaseRequest), "
            "CycloneDX or SPDX SBOM, ban list or waiver",
            Position(name, 1, 1),
        )
    return doc


def _parse(content: bytes, name: str) -> Document | None:
    if len(content) > MAX_BYTES:
        raise LoadProblem(rules.PARSE_LIMIT, too_large(len(content), MAX_BYTES))
    codec, bom = encoding_of(content)
    head = content[bom : bom + 4096].decode(codec, errors="ignore").lstrip()
    if not head:
        if content[bom:].strip():
            raise LoadProblem(rules.PARSE_ERROR, "binary file: this is not a text document")
        raise LoadProblem(rules.PARSE_ERROR, "file is empty")
    suffix = Path(name).suffix.lower()
    if head[0] == "<":
        from procgate.load import xmlfile  # lxml only when a file is XML

        parsed = xmlfile.parse(content)
        if parsed is None:
            return None
        return Document(
            path=name,
            kind=parsed.kind,
            data=parsed.data,
            syntax="xml",
            locator=parsed.locator,
            spec_version=parsed.spec_version,
            source=parsed.source,
        )
    locator: Locator
    if (head[0] in "{[" and suffix not in _YAML_EXTENSIONS) or suffix in _JSON_EXTENSIONS:
        data, locator = jsonfile.parse(content, codec, bom)
        syntax = "json"
    else:
        text = decode(content, codec, bom)
        if _TAG_VALUE.match(text) or (suffix == ".spdx" and "SPDXVersion:" in text[:65536]):
            from procgate.load import tagvalue

            data, locator = tagvalue.parse(text)
            return Document(
                name, Kind.SPDX2, data, "tag-value", locator, str(data.get("spdxVersion", ""))
            )
        data, locator = yamlfile.parse(text)
        syntax = "yaml"
    detected = detect(data)
    if detected is None:
        return None
    kind, spec_version = detected
    if kind in _WHOLE_KINDS:
        _not_too_deep(data, locator)
    return Document(name, kind, data, syntax, locator, spec_version)


# Our own small formats reach the Rego engine whole, inside its input; its JSON reader stops
# at 128 levels. No real request or waiver comes near this (the schema's deepest is 4).
MAX_OWN_DEPTH = 64
_WHOLE_KINDS = (Kind.PURCHASE_REQUEST, Kind.WAIVER)


def _walk(data: object) -> Iterator[tuple[str, int, object]]:
    """(pointer, depth, value) of every value, without recursion."""
    stack: list[tuple[str, int, object]] = [("", 0, data)]
    while stack:
        pointer, depth, value = stack.pop()
        yield pointer, depth, value
        if isinstance(value, dict):
            stack += [(f"{pointer}/{_escape(k)}", depth + 1, v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{pointer}/{i}", depth + 1, v) for i, v in enumerate(value)]


def deeper_than(data: object, limit: int) -> str | None:
    """The pointer of the first value nested deeper than `limit`, or None."""
    return next((pointer for pointer, depth, _ in _walk(data) if depth > limit), None)


def _not_too_deep(data: object, locator: Callable[[str], tuple[int, int]]) -> None:
    pointer = deeper_than(data, MAX_OWN_DEPTH)
    if pointer is not None:
        line, column = locator(pointer)
        raise LoadProblem(
            rules.PARSE_LIMIT,
            f"nested more than {MAX_OWN_DEPTH} levels deep: a purchase request or waiver "
            "is a few levels deep",
            line,
            column,
        )


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _finding(problem: LoadProblem, name: str) -> Finding:
    return Finding(
        rule=problem.rule,
        severity=Severity.DENY,
        message=problem.message,
        position=Position(name, problem.line, problem.column),
    )
