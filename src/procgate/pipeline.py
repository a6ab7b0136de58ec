"""The table of contents: the stages, in order.

load -> validate -> normalize -> match -> decide -> waive -> report
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from procgate import gcpause, rules
from procgate.config import EXPLICIT_AUDIENCE, Options
from procgate.decide import Engine
from procgate.decide.findings import hidden_characters
from procgate.decide.python import PythonEngine, python_files
from procgate.decide.rego import RegoEngine, rego_files
from procgate.diff.baseline import finding_location
from procgate.errors import ConfigError, ProcgateError
from procgate.lists import default_ban_files, load_ban_data
from procgate.load import (
    Missing,
    Opener,
    deeper_than,
    discover,
    display_path,
    load,
    may_be_request,
    open_reference,
    sbom_refs,
)
from procgate.load.exclude import Exclude
from procgate.load.references import DiskScope, Scope, written
from procgate.match import Matcher, strongest_per_owner
from procgate.model import (
    BanData,
    Context,
    Decided,
    Document,
    Finding,
    Kind,
    Position,
    Severity,
    Subject,
    Verdict,
    Waiver,
)
from procgate.normalize import subjects
from procgate.resources import policies_dir
from procgate.validate import validate
from procgate.waive import Limits as WaiverLimits
from procgate.waive import Target, apply_waivers, load_waiver_files, parse_waiver

if TYPE_CHECKING:
    from procgate.bundle import Unpacked


@dataclass(frozen=True)
class Referenced:
    """A file of a folder check that a request's `sbom:` names: not loaded where the walk
    meets it, but by the request that names it (it is checked in that request's context),
    so that it is parsed once."""

    path: str  # display path


@dataclass
class Checker:
    """Ban data, matcher, engines and waivers built once per run, checking any number of files."""

    options: Options
    ban_data: BanData
    matcher: Matcher
    engines: list[Engine]
    waivers: list[Waiver] = field(default_factory=list)  # from `waivers:` in the config
    policy_digest: str = ""  # of the policies and ban lists (bundle.digest); for the audit log
    notes: list[str] = field(default_factory=list)  # what building it has to say (on stderr)
    # When a dict: each document's subjects by path, as the check normalized them (scan
    # --store keeps them, store/capture.py, instead of normalizing each file twice).
    normalized: dict[str, Sequence[Subject]] | None = None

    def check_paths(self, paths: Iterable[Path], *, full: bool = False) -> Verdict:
        """Files and folders from disk. Purchase requests are loaded first (which SBOMs they
        refer to decides how those are checked); every other file is loaded when its turn
        comes and dropped once checked, so a folder of big SBOMs is held one at a time."""
        paths = list(paths)
        exclude = Exclude(self.options.exclude, self.options.base_dir)
        found = [(p, display_path(p), e) for p, e in discover(paths) if not exclude.matches(p)]
        early = {
            p: load(p, shown, explicit=e)
            for p, shown, e in found
            if len(found) == 1 or may_be_request(p)
        }
        scope = DiskScope(paths)
        referenced = _referenced_paths(early.values(), scope)

        def in_order() -> Iterator[Document | Finding | Referenced]:
            for path, shown, explicit in found:
                item: Document | Finding | Referenced | None
                if path in early:
                    item = early.pop(path)
                elif shown in referenced:
                    item = Referenced(shown)
                else:
                    item = load(path, shown, explicit=explicit)
                if item is not None:
                    yield item

        return self.check(in_order(), open_reference, full=full, referenced=referenced, scope=scope)

    def check(
        self,
        items: Iterable[Document | Finding | Referenced],
        open_ref: Opener,
        *,
        full: bool = False,
        referenced: set[str] | None = None,
        scope: Scope | None = None,
    ) -> Verdict:
        """Every item is checked once, whatever refers to what: an SBOM named by a request's
        `sbom:` is checked with that request (its `use` decides some bans); a request named
        by one is checked as a request, and its own references are followed in turn.

        `full`: the run covers every configured path, so a configured waiver that matched
        nothing is reported as unused (in a partial run it may cover a file not checked).
        `referenced`: the files the requests among `items` refer to, when the caller knows
        them beforehand; `items` is then read once, each document dropped once checked
        (requests and waivers are kept, for waiver scopes). Else all are read first.
        `scope`: which references may be opened (default: inside the git top level, see
        load/references.py)."""
        scope = scope or DiskScope()
        if referenced is None:
            items = list(items)
            referenced = _referenced_paths(items, scope)
        run = _Run()
        run.findings.extend(self._stale_lists())
        kept: list[Document] = []  # requests and waivers, for the waivers' scopes
        documents: list[str] = []  # paths of all documents in `items`, for the same
        deferred: list[str] = []  # SBOMs left to a request that refers to them
        for item in items:
            if isinstance(item, Finding):
                run.files.setdefault(item.position.file)
                run.failed(item)
                continue
            run.files.setdefault(item.path)
            documents.append(item.path)
            if isinstance(item, Referenced):
                deferred.append(item.path)
                continue
            if item.kind in (Kind.PURCHASE_REQUEST, Kind.WAIVER):
                kept.append(item)
            if item.kind is not Kind.PURCHASE_REQUEST and item.path in referenced:
                deferred.append(item.path)  # checked below, in its request's context
            elif item.path not in run.done:
                self._top(item, open_ref, scope, run)
        for path in deferred:  # named by a reference that was never followed: check alone
            if path not in run.checked:
                opened = open_ref(path)
                if isinstance(opened, Document):
                    self._top(opened, open_ref, scope, run)
                elif isinstance(opened, Finding):
                    run.failed(opened)
        findings = self._waive(kept, documents, run.findings, full)
        findings.sort(key=lambda f: (f.position.file, f.position.line, f.position.column, f.rule))
        decided = self._decided(run.audiences)
        return Verdict(
            tuple(run.files),
            tuple(findings),
            decided=decided,
            notes=_notes(decided),
            authority_urls=self._authority_urls(findings),
        )

    def _authority_urls(self, findings: Iterable[Finding]) -> tuple[tuple[str, str], ...]:
        known = self.ban_data.authorities
        named = sorted({a for f in findings for a in f.authorities if a in known})
        return tuple((a, known[a].source) for a in named if known[a].source)

    def _audience(self, doc: Document) -> tuple[str, str, list[Finding]]:
        """Who is buying, from where: --audience wins; then a purchase request's own
        `audience:`; then procgate.yaml's; then the default (us-federal)."""
        options = self.options
        own = _request_audience(doc)
        if own is None or options.audience_from in EXPLICIT_AUDIENCE:
            return (
                options.audience,
                _AUDIENCE_FROM.get(options.audience_from, options.audience_from),
                [],
            )
        if (
            options.audience_from != "default"
            and options.audience not in self.ban_data.audiences.get(own, ())
        ):
            # A request may make the configured audience stricter (us-dod includes
            # us-federal), never looser: a requester cannot write itself out of a ban.
            return (
                options.audience,
                options.audience_from,
                [
                    Finding(
                        rule=rules.AUDIENCE_NOT_ALLOWED,
                        severity=Severity.WARN,
                        pointer="/audience",
                        position=doc.position("/audience"),
                        message=(
                            f"the request asks to be checked as {own!r}, which does not "
                            f"include {options.audience!r} set in {options.audience_from}; "
                            f"checked as {options.audience}"
                        ),
                        action="Remove `audience:` from the request, or use an audience that "
                        f"includes {options.audience}.",
                    )
                ],
            )
        if own not in self.ban_data.audiences:
            known = ", ".join(sorted(self.ban_data.audiences))
            return (
                options.audience,
                _AUDIENCE_FROM["default"],
                [
                    Finding(
                        rule=rules.SCHEMA_ERROR,
                        severity=Severity.DENY,
                        pointer="/audience",
                        position=doc.position("/audience"),
                        message=f"unknown audience {own!r} (known: {known}); checked as "
                        f"{options.audience} instead",
                    )
                ],
            )
        return own, "the request's `audience`", []

    def _decided(self, audiences: dict[tuple[str, str], list[str]]) -> Decided:
        """The date, the audience(s) with where each came from, and the ban lists."""
        if len(audiences) <= 1:
            [(audience, source)] = audiences or [
                (
                    self.options.audience,
                    _AUDIENCE_FROM.get(self.options.audience_from, self.options.audience_from),
                )
            ]
            chosen: tuple[tuple[str, str, tuple[str, ...]], ...] = ((audience, source, ()),)
        else:
            chosen = tuple((a, s, tuple(paths)) for (a, s), paths in sorted(audiences.items()))
        return Decided(self.options.today, chosen, tuple(self.ban_data.lists))

    def _stale_lists(self) -> Iterator[Finding]:
        """data.stale: a ban list older than data-max-age days on the evaluation date."""
        limit = self.options.data_max_age
        for info in self.ban_data.lists if limit else ():
            age = (self.options.today - info.as_of).days
            if info.declared and age > limit:
                yield Finding(
                    rule=rules.DATA_STALE,
                    severity=Severity.WARN,
                    pointer="",
                    position=Position(display_path(Path(info.path)), 0, 0),
                    message=f"ban list {info.name!r} is current as of "
                    f"{info.as_of.isoformat()}, {age} days before "
                    f"{self.options.today.isoformat()} (data-max-age: {limit} days): "
                    "bans added since are not in it",
                    action="Upgrade procgate (shipped lists) or update or re-import the "
                    "list, or check the sources it cites for changes since its as-of "
                    "date.",
                )

    def _waive(
        self, kept: list[Document], documents: list[str], findings: list[Finding], full: bool
    ) -> list[Finding]:
        # A waiver among the checked files that is not configured is confined to its folder.
        approved = {w.position("id").file for w in self.waivers}
        root = self.options.base_dir
        checked = [
            replace(w, folder=_from_root(os.path.dirname(d.path) or ".", root))
            for d in kept
            if d.kind is Kind.WAIVER
            and d.path not in approved
            and (w := parse_waiver(d)) is not None
        ]
        seen = {w.position("id").file for w in checked}
        configured = [w for w in self.waivers if w.position("id").file not in seen]
        if not checked and not configured:
            return findings
        return apply_waivers(
            findings,
            checked + configured,
            self.options.today,
            authorities=self.ban_data.authorities,
            targets=_targets(kept, documents, self.options.base_dir),
            quiet_unused=() if full else {w.id for w in configured},
            limits=WaiverLimits(self.options.waiver_max_days, self.options.waivers_all_files),
        )

    def _document(self, doc: Document, ctx: Context) -> list[Finding]:
        try:
            findings = validate(doc)
            subs = subjects(doc)
        except (RecursionError, ValueError) as exc:
            # Nesting the parsers accept (JSON to 1024 levels) but a validator or the
            # normalizer cannot follow (jsonschema-rs stops at 255): a limit finding.
            if not isinstance(exc, RecursionError) and "ecursion" not in str(exc):
                raise
            return _located([_too_deep(doc)], doc)
        if self.normalized is not None:
            self.normalized[doc.path] = subs
        matches = strongest_per_owner(self.matcher.match(subs))
        for engine in self.engines:
            findings += engine.evaluate(doc, subs, matches, ctx)
        findings += hidden_characters(doc, subs)  # names.hidden-characters (match.visible)
        return _located(findings, doc)

    def _top(self, doc: Document, open_ref: Opener, scope: Scope, run: _Run) -> None:
        """A document checked as itself, then what it refers to, to any depth."""
        audience, source, problem = self._audience(doc)
        run.audiences.setdefault((audience, source), []).append(doc.path)
        run.findings.extend(problem)
        ctx = Context(audience, self.options.today, _use(doc))
        run.done.add(doc.path)
        run.checked.add(doc.path)
        try:
            found = self._document(doc, ctx)
            found += self._follow(doc, ctx, open_ref, scope, run)
        except ProcgateError:  # the tool cannot run (a policy failed): exit 2
            raise
        except Exception as exc:  # RecursionError, MemoryError included
            # A bug met on one file must not cost the report of the others: it blocks that
            # file, and the run goes on (PROCGATE_DEBUG=1 raises it, for the traceback).
            if self.options.debug:
                raise
            found = [
                Finding(
                    rules.INTERNAL_ERROR,
                    Severity.DENY,
                    f"internal error while checking this file: {exc!r}; please "
                    "report it (PROCGATE_DEBUG=1 shows a traceback)",
                    Position(doc.path, 0, 0),
                )
            ]
        run.findings += found

    def _follow(
        self, root: Document, root_ctx: Context, open_ref: Opener, scope: Scope, run: _Run
    ) -> list[Finding]:
        """The files `root` refers to: SBOMs checked in the context of the request naming
        them, requests as themselves (once), followed depth first; a reference back into the
        chain that led to it is a cycle, reported at `root`'s first step on that chain."""
        findings: list[Finding] = []
        stack: list[tuple[Document, Context, tuple[str, ...], str]] = [
            (root, root_ctx, (root.path,), "")
        ]
        while stack:
            doc, ctx, chain, first = stack.pop()
            for pointer, ref in sbom_refs(doc):
                hop = first or pointer
                if not scope.inside(doc, pointer, ref):
                    findings += _located([_outside(doc, pointer)], doc)
                    continue
                if ref in chain:
                    findings += _located([_cycle(root, hop, (*chain, ref))], root)
                    continue
                opened = open_ref(ref)
                if opened is None or isinstance(opened, Missing):
                    why = opened.why if opened is not None else ""
                    findings += _located([_missing(doc, pointer, ref, why)], doc)
                    continue
                run.files.setdefault(ref)
                if isinstance(opened, Finding):
                    run.failed(opened)
                    continue
                if opened.kind is Kind.PURCHASE_REQUEST:
                    if ref not in run.done:  # else checked already, its references followed
                        run.done.add(ref)
                        run.checked.add(ref)
                        own = Context(ctx.audience, ctx.today, _use(opened))
                        findings += self._document(opened, own)
                        stack.append((opened, own, (*chain, ref), hop))
                    continue
                run.checked.add(ref)
                findings += self._document(replace(opened, parent=doc), ctx)
        return findings


@dataclass
class _Run:
    """What one check has seen: files (in order, once each), findings, and which documents
    were checked as themselves (`done`) or at all (`checked`)."""

    files: dict[str, None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    # (audience, where it came from) -> the files checked as it
    audiences: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)

    def failed(self, finding: Finding) -> None:
        """A file that could not be loaded: reported once, however many refer to it."""
        if finding.position.file not in self.unreadable:
            self.unreadable.add(finding.position.file)
            self.findings.append(finding)


def _referenced_paths(
    items: Iterable[Document | Finding | Referenced | None], scope: Scope
) -> set[str]:
    return {
        ref
        for doc in items
        if isinstance(doc, Document)
        for pointer, ref in sbom_refs(doc)
        if scope.inside(doc, pointer, ref)
    }


def _located(findings: list[Finding], doc: Document) -> list[Finding]:
    """The findings with their position-free location in `doc` (Finding.location)."""
    return [replace(f, location=finding_location(f, doc)) for f in findings]


def build_checker(options: Options) -> Checker:
    """Ban lists, matcher and policies: built once per run, however many files. With a
    bundle (`--bundle`, `bundle:` in the config), its policies and lists replace the shipped
    ones: it is verified and unpacked for the engines to compile, then removed.

    The cyclic collector is paused meanwhile and what was built is then frozen out of its
    reach, in a server too (built once, at start): a big list's data and index are ~10^6
    objects that live as long as the checker and form no cycles, and a collection walking
    them costs ~0.1 s each time."""
    with gcpause.paused():
        if options.bundle is None:
            checker = _build_checker(options, None)
        else:
            from procgate.bundle import unpacked

            with unpacked(options.bundle, options.bundle_trust) as bundle:
                checker = _build_checker(options, bundle)
            if bundle.verified_by is None:
                checker.notes.append(
                    f"{options.bundle} is used unverified (--allow-unsigned-bundle)"
                )
        gc.freeze()
        return checker


def _build_checker(options: Options, bundle: Unpacked | None) -> Checker:
    shipped = options.shipped_policies and bundle is None
    data_files = [
        *(default_ban_files() if shipped else []),
        *(bundle.ban_files if bundle else ()),
        *options.data_files,
    ]
    if not data_files:
        raise ConfigError("no ban lists to check against", "add `data:` files to procgate.yaml")
    ban_data = load_ban_data(data_files)
    if options.audience not in ban_data.audiences:
        known = ", ".join(sorted(ban_data.audiences))
        raise ConfigError(f"unknown audience {options.audience!r}", f"known audiences: {known}")
    folders = [
        *([policies_dir()] if shipped else []),
        *(bundle.policy_folders if bundle else ()),
        *options.policy_dirs,
    ]
    for folder in folders:
        if not folder.exists():
            raise ConfigError(f"no such policy folder or file: {folder}")
    shipped_only = folders == [policies_dir()]
    engines: list[Engine] = [
        _rego_engine(options, rego_files(folders), ban_data, isolated=not shipped_only),
        PythonEngine(python_files(folders), ban_data, options.policy_limits),
    ]
    waivers = load_waiver_files(list(options.waiver_files), display_path)
    digest = ""
    if options.audit_log is not None:  # read the files again only when it is recorded
        from procgate.bundle import digest as bundle_digest
        from procgate.bundle import policy_entries

        digest = bundle_digest(policy_entries(folders, data_files, ban_data))
    return Checker(options, ban_data, Matcher(ban_data), engines, waivers, digest)


def _rego_engine(
    options: Options, files: list[Path], ban_data: BanData, *, isolated: bool
) -> Engine:
    """Embedded (regorus) or OPA's own engine (--engine opa), policies other than the shipped
    ones in a child process under the limits; or an OPA server given the same input
    (--opa-url)."""
    if options.engine == "opa":
        if options.opa_url is not None:
            raise ConfigError(
                "--engine opa evaluates in this process, --opa-url on a server: give one",
                "drop `opa-url` or `engine: opa` from the command line or procgate.yaml",
            )
        from procgate.decide.opa import OpaEngine

        return OpaEngine(
            files, ban_data, options.certain_score, options.policy_limits, isolated=isolated
        )
    if options.opa_url is None:
        return RegoEngine(
            files, ban_data, options.certain_score, options.policy_limits, isolated=isolated
        )
    from procgate.decide.opa_server import OpaServerEngine, decision_rules

    sources = []
    for f in files:
        try:
            sources.append((str(f), f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read policy {f}: {exc}") from exc
    decisions = decision_rules(sources)
    return OpaServerEngine(
        options.opa_url, decisions, ban_data, options.certain_score, options.opa_token
    )


def _targets(
    requests: Iterable[Document], documents: Iterable[str], root: Path
) -> dict[str, Target]:
    """What waiver scopes compare: each file's path from the project root and its request id
    (an SBOM checked with a request belongs to that request)."""
    targets: dict[str, Target] = {}
    for doc in requests:
        data = doc.data if isinstance(doc.data, dict) else {}
        request = data.get("id") if doc.kind is Kind.PURCHASE_REQUEST else None
        if isinstance(request, str):
            for path in (doc.path, *(ref for _, ref in sbom_refs(doc))):
                targets[path] = Target(_from_root(path, root), request)
    for path in documents:  # files that belong to no request
        targets.setdefault(path, Target(_from_root(path, root)))
    return targets


def _from_root(display: str, root: Path) -> str:
    return Path(os.path.relpath(Path.cwd() / display, root)).as_posix()


_AUDIENCE_FROM = {"--audience": "--audience", "default": "default"}


def _request_audience(doc: Document) -> str | None:
    data = doc.data if doc.kind is Kind.PURCHASE_REQUEST and isinstance(doc.data, dict) else {}
    audience = data.get("audience")
    return audience if isinstance(audience, str) and audience else None


def _use(doc: Document) -> tuple[str, ...]:
    data = doc.data if doc.kind is Kind.PURCHASE_REQUEST and isinstance(doc.data, dict) else {}
    use = data.get("use")
    return tuple(u for u in use if isinstance(u, str)) if isinstance(use, list) else ()


def _finding_at(doc: Document, pointer: str, rule: str, message: str) -> Finding:
    """A blocking finding at `pointer` in `doc` (the position of its nearest located part)."""
    return Finding(
        rule=rule,
        severity=Severity.DENY,
        message=message,
        position=doc.position(pointer),
        pointer=pointer,
    )


def _too_deep(doc: Document) -> Finding:
    pointer = deeper_than(doc.data, _CHECKED_DEPTH) or ""
    return _finding_at(
        doc,
        pointer,
        rules.PARSE_LIMIT,
        f"nested more than {_CHECKED_DEPTH} levels deep: too deep to validate and check (no "
        "real SBOM nests this deep)",
    )


_CHECKED_DEPTH = 200  # where the search for the culprit starts: below jsonschema-rs's 255


def _outside(doc: Document, pointer: str) -> Finding:
    return _finding_at(
        doc,
        pointer,
        rules.PARSE_REFERENCE_OUTSIDE,
        f"referenced SBOM {written(doc, pointer)!r} is outside the repository (an absolute "
        "path, a path above its top folder, or a link out of it): not read",
    )


def _cycle(root: Document, pointer: str, chain: tuple[str, ...]) -> Finding:
    return _finding_at(
        root,
        pointer,
        rules.PARSE_REFERENCE_CYCLE,
        "`sbom:` references form a cycle: "
        + " -> ".join(chain)
        + " (each request is checked once; point `sbom:` at the item's SBOM)",
    )


def _missing(doc: Document, pointer: str, ref: str, why: str = "") -> Finding:
    """`why`: what the opener knows (not in the git index); else the file is not there."""
    message = f"referenced SBOM {ref!r} does not exist (paths are relative to the request)"
    if why:
        message = f"referenced SBOM {ref!r}: {why}"
    return _finding_at(doc, pointer, rules.PARSE_MISSING_FILE, message)


def _notes(decided: Decided) -> tuple[str, ...]:
    """'audience: us-federal (default)' and the ban lists with their as-of dates."""
    said = [
        f"audience: {audience} ({source})" + (f" for {', '.join(paths)}" if paths else "")
        for audience, source, paths in decided.audiences
    ]
    lists = ", ".join(f"{i.name} (as of {i.as_of.isoformat()})" for i in decided.lists)
    return (*said, f"ban lists: {lists}") if lists else tuple(said)
