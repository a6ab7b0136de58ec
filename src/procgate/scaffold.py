"""`procgate init`: a repository an organisation can run `procgate check` in at once.

    plan(org, today) -> {relative path: text}     what would be written (pure)
    scaffold(folder, org, today, force)            write it; existing files are kept

The templates live in templates/init/. The sample request buys from a listed vendor and the
sample waiver covers that finding, so the first check shows a waived finding and passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates" / "init"
WAIVER_DAYS = 180  # how long the sample waiver runs
PRE_COMMIT = ".pre-commit-config.yaml"

# template -> where it goes; {org} and {pkg} are the organisation's id and Rego name.
FILES = (
    ("procgate.yaml", "procgate.yaml"),
    ("bans.yaml", "bans/{org}.yaml"),
    ("request.yaml", "requests/example-request.yaml"),
    ("waiver.yaml", "waivers/example-waiver.yaml"),
    ("policy.rego", "policies/{pkg}.rego"),
    ("policy_test.rego", "policies/{pkg}_test.rego"),
    ("pre-commit-config.yaml", PRE_COMMIT),
)


@dataclass(frozen=True)
class Org:
    name: str  # as given: "Acme Retail"
    id: str  # ban-list ids and rule ids: "acme-retail"
    pkg: str  # Rego package segment: "acme_retail"

    @classmethod
    def from_name(cls, name: str) -> Org:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-") or "example"
        if not slug[0].isalpha():
            slug = f"org-{slug}"
        return cls(name.strip() or slug, slug, slug.replace("-", "_"))


def plan(org: Org, today: date) -> dict[str, str]:
    values = {
        "@ORG_NAME@": org.name,
        "@ORG_UPPER@": org.id.upper(),
        "@ORG_PKG@": org.pkg,
        "@ORG@": org.id,
        "@TODAY@": today.isoformat(),
        "@EXPIRES@": (today + timedelta(days=WAIVER_DAYS)).isoformat(),
    }
    pattern = re.compile("|".join(re.escape(k) for k in values))
    out: dict[str, str] = {}
    for template, target in FILES:
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        out[target.format(org=org.id, pkg=org.pkg)] = pattern.sub(lambda m: values[m[0]], text)
    return out


def scaffold(folder: Path, org: Org, today: date, force: bool = False) -> list[tuple[str, str]]:
    """Write the files; returns (relative path, "created" | "overwritten" | "kept")."""
    done: list[tuple[str, str]] = []
    for rel, text in plan(org, today).items():
        target = folder / rel
        existed = target.exists()
        if existed and not force:
            done.append((rel, "kept"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        done.append((rel, "overwritten" if existed else "created"))
    return done
