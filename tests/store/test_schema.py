"""The schema: the models mirror the migrations' head; an upgrade keeps what was recorded."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from procgate.store.db import HEAD, open_store
from procgate.store.migrate import head
from procgate.store.models import Base


def test_the_models_are_the_migrations_head(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_head_db_knows_is_the_migrations_head() -> None:
    assert head() == HEAD
