"""The store's schema, versioned: the Alembic migrations in migrations/versions/, run in-process.

Each revision only adds (tables, columns, indexes) and fills what it adds: an upgrade never
drops or rewrites what an older procgate recorded. A revision this procgate does not ship
means a newer procgate wrote the store: refused, nothing touched.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from procgate import __version__
from procgate.errors import ProcgateError

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK = 0x70726F64  # PostgreSQL advisory lock held while migrating


def config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None, "migrations/versions holds the schema"
    return revision


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, to: str = "head") -> None:
    """Bring the store to this procgate's schema (or to revision `to`, for tests of
    upgrades). In one transaction: a failed migration leaves the store as it was."""
    script = ScriptDirectory.from_config(config())
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
        found = current(conn)
        if found is not None and found == script.get_current_head() and to == "head":
            return
        if found is not None and not _known(script, found):
            raise ProcgateError(
                f"this store was written by a newer procgate (schema revision {found}; "
                f"procgate {__version__} knows up to {script.get_current_head()})",
                "upgrade procgate to use this store; it was not changed",
            )
        if found is None:
            tables = set(inspect(conn).get_table_names())
            if tables:
                raise ProcgateError(
                    "this database is not a procgate store (it has tables of its own: "
                    f"{', '.join(sorted(tables)[:5])}); nothing was written to it",
                    "give an empty database or a new file",
                )
        cfg = config(conn)
        command.upgrade(cfg, to)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
