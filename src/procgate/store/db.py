"""Opening a store: a path or URL -> a SQLAlchemy engine whose schema is this procgate's.

A path (or sqlite:///path) is a SQLite file; postgresql://... is a PostgreSQL server, reached
through psycopg 3. The schema is brought up to date with the Alembic migrations shipped in
this package, run here in-process (an upgrade only adds: no migration drops data). A store
whose schema revision this procgate does not know was written by a newer procgate: refused
(exit 2), never downgraded or written to.

Writers take one lock for the whole of their transaction (SQLite: BEGIN IMMEDIATE;
PostgreSQL: a transaction-scoped advisory lock), so two sweeps and the web page never
interleave their reads and writes: nothing is lost or counted twice, and the hash chain of
status changes has one order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.orm import Session

from procgate.errors import ProcgateError

# Any number, the same in every procgate: the key of PostgreSQL's advisory lock for writers.
_WRITE_LOCK = 0x70726F63  # "proc"
_BUSY_MS = 120_000  # how long a SQLite writer waits for another one
# The newest migration (migrations/versions/; a test checks they agree): a store at it is
# used as it is, without loading Alembic.
HEAD = "0003"


class StoreError(ProcgateError):
    """The store cannot be opened or written (exit 2)."""


def store_url(given: str) -> str:
    """A URL SQLAlchemy understands: a plain path is a SQLite file; postgresql:// and
    postgres:// use psycopg 3. Any other scheme is refused (it would need a driver procgate
    does not ship, and a typo must not become a file named 'postgressql:')."""
    if "://" not in given:
        if not given.strip():
            raise StoreError("--store is empty", "give a file path or a postgresql:// URL")
        return "sqlite:///" + os.path.abspath(given)
    scheme, rest = given.split("://", 1)
    scheme = scheme.lower()
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return "postgresql+psycopg://" + rest
    if scheme == "sqlite":
        return given
    raise StoreError(
        f"--store {redacted(given)}: unknown kind of database {scheme!r}",
        "give a file path (SQLite) or a postgresql://user@host/db URL",
    )


def open_store(given: str, *, create: bool = True) -> Engine:
    """An engine on the store at `given`, migrated to this procgate's schema. `create`:
    a missing SQLite file is made (scan); else it is an error (inventory commands)."""
    url = store_url(given)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"--store {redacted(given)} is not a database URL: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if not path or path == ":memory:":
            raise StoreError("--store needs a file: an in-memory database would be lost")
        if not create and not Path(path).is_file():
            raise StoreError(f"no store at {path}", "run `procgate scan PATHS --store FILE` first")
        if Path(path).is_dir():
            raise StoreError(f"--store {path} is a folder", "give a file path")
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store's folder: {exc}") from exc
        engine = create_engine(parsed, connect_args={"timeout": _BUSY_MS / 1000})
        _sqlite_immediate(engine)
    else:
        try:
            engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"--store {redacted(given)}: no driver for it: {exc}") from exc
    try:
        if _revision(engine) != HEAD:  # Alembic (a third of a second) only when needed
            from procgate.store.migrate import upgrade

            upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open the store {redacted(given)}: {_first_line(exc)}",
            "check the URL, that the server is running and reachable, and the credentials",
        ) from exc
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(
            f"the store {redacted(given)} cannot be used: {_first_line(exc)}",
            "is it a procgate store (or an empty database)?",
        ) from exc
    return engine


def _revision(engine: Engine) -> str | None:
    """The store's schema revision, None when it has none yet (or no procgate table)."""
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except ProgrammingError:  # PostgreSQL: no such table
        return None
    except OperationalError as exc:  # SQLite: no such table; else the server is not there
        if "no such table" in str(exc):
            return None
        raise
    return str(row[0]) if row else None


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction holding the store's writer lock; committed at the end, rolled
    back (nothing written) if anything raises or the process dies before the end."""
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _WRITE_LOCK})
            yield conn
    except OperationalError as exc:
        raise StoreError(f"cannot write the store: {_first_line(exc)}") from exc


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    try:
        with engine.connect() as conn:
            yield conn
    except OperationalError as exc:
        raise StoreError(f"cannot read the store: {_first_line(exc)}") from exc


def orm(conn: Connection) -> Session:
    """An ORM session on `conn`, inside its transaction (model objects, not bare rows)."""
    return Session(bind=conn, autoflush=False)


def _sqlite_immediate(engine: Engine) -> None:
    """pysqlite's own transaction handling is turned off and every transaction starts with
    BEGIN IMMEDIATE: the write lock is taken before the first read, so two writers queue
    (busy timeout) instead of one failing at its first write after reading stale rows."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None
        cursor = dbapi.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def redacted(given: str) -> str:
    """The URL without its password, for messages."""
    if "://" not in given:
        return given
    try:
        return make_url(given).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return given.split("://", 1)[0] + "://…"


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
