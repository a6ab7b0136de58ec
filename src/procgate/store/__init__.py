"""store: the remediation record behind `scan --store` and `procgate inventory`.

BOD 17-01 asked agencies to find Kaspersky products, plan their removal and remove them, and
to report along the way: a record kept over time, not one report. The store keeps each sweep
(when, as of which date, for which buyer, with which ban data and policies), each file swept
(path, content hash, and its distinct vendor-naming values, so a new list can be applied
without reading the files again), and each finding with first seen, last seen and resolved
times, keyed as `check --diff` keys findings (rule, entity, file, item; never the line).

    db.open_store(url)                 an engine, the schema migrated to this procgate's
    record.record_sweep(...)           one sweep, in one transaction
    workflow / reevaluate              statuses and their hash-chained history; a new list

SQLite by default (a path), PostgreSQL for a team (postgresql://...), through SQLAlchemy 2;
the schema is versioned with Alembic migrations shipped in this package (migrations/).
"""
