"""Reading a store in tests: plain SQL over SQLAlchemy (the tables are the contract)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text

from procgate.store.db import store_url


def rows(url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(url: str, *statements: str) -> None:
    engine = create_engine(store_url(url))
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every procgate table, in id order: 'the store as it was'."""
    tables = {
        "sweeps": "id",
        "files": "id",
        "sweep_files": "sweep_id, file_id",
        "findings": "id",
    }
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as conn:
            return {
                t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY {o}"))]
                for t, o in tables.items()
            }
    finally:
        engine.dispose()
