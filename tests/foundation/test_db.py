"""The database layer against the real embedded PostgreSQL with pgvector."""

import threading

import numpy as np
import pytest

from odoo_engines.core.db import Database, migrate
from odoo_engines.core.db.connection import open_connection
from odoo_engines.core.errors import PermanentError


def test_migrations_are_recorded_and_idempotent(db, settings):
    versions = [v for (v,) in db.fetchall("SELECT version FROM schema_migrations")]
    assert 1 in versions
    assert migrate(db, settings.embedding.dimensions) == []


def test_vectors_round_trip_on_the_dbapi_connection(db):
    db.execute("CREATE TEMP TABLE v (id int, e vector(3))")
    db.execute("INSERT INTO v VALUES (1, %s)", (np.array([1.0, 2.0, 3.5]),))
    value = db.fetchval("SELECT e FROM v WHERE id = 1")
    assert isinstance(value, np.ndarray)
    assert value.tolist() == [1.0, 2.0, 3.5]
    nearest = db.fetchval("SELECT id FROM v ORDER BY e <=> %s LIMIT 1", (np.array([1.0, 2, 3]),))
    assert nearest == 1


def test_copy_rows_escapes_text_and_nulls(db):
    db.execute("CREATE TEMP TABLE c (a text, b int, e vector(2), j jsonb)")
    rows = [("tab\there\nnew\\line", 1, np.array([0.5, 1]), {"k": "ñ"}), (None, None, None, None)]
    db.copy_rows("c", ["a", "b", "e", "j"], rows)
    got = db.fetchall("SELECT a, b, e::text, j->>'k' FROM c ORDER BY b NULLS LAST")
    assert got == [("tab\there\nnew\\line", 1, "[0.5,1]", "ñ"), (None, None, None, None)]


def test_copy_rows_sends_many_rows_in_chunks_losing_none(db):
    db.execute("CREATE TEMP TABLE big (id int, t text, x float8)")
    rows = [(i, f"fila {i}\t«{'x' * (i % 300)}»\\", i / 7) for i in range(5000)]  # > 256 KB
    db.copy_rows("big", ["id", "t", "x"], rows)
    got = db.fetchall("SELECT id, t, x FROM big ORDER BY id")
    assert got == rows


def test_transaction_rolls_back_on_error(db):
    db.execute("CREATE TABLE t_tx (x int)")
    with pytest.raises(ZeroDivisionError), db.transaction():
        db.execute("INSERT INTO t_tx VALUES (1)")
        raise ZeroDivisionError
    assert db.fetchval("SELECT count(*) FROM t_tx") == 0


def test_sql_errors_are_permanent_with_sqlstate(db):
    with pytest.raises(PermanentError, match="42P01"):
        db.execute("SELECT * FROM no_such_table")


def test_advisory_lock_excludes_a_second_session(db, settings):
    other = Database(open_connection(settings.database))
    try:
        with db.advisory_lock("job-x") as got:
            assert got
            assert not other.try_advisory_lock("job-x")
        assert other.try_advisory_lock("job-x")
    finally:
        other.close()


def test_concurrent_migrations_apply_once(settings):
    errors = []

    def run():
        try:
            d = Database(open_connection(settings.database))
            migrate(d, settings.embedding.dimensions)
            d.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_kept_connection_is_dropped_after_the_database_failed_not_a_provider(settings):
    """A provider's TransientError inside the block (an embedding call) keeps the
    connection; a database failure drops it, and the next use opens a new one."""
    from odoo_engines.core.db import KeptConnection, connect
    from odoo_engines.core.errors import DatabaseUnavailable, TransientError

    opened: list[Database] = []
    kept = KeptConnection(lambda: opened.append(connect(settings)) or opened[-1])
    with pytest.raises(TransientError), kept() as db:
        db.fetchval("SELECT 1")
        raise TransientError("the embedding provider timed out")
    with kept() as db:
        assert db is opened[0]
    with pytest.raises(DatabaseUnavailable), kept() as db:
        db.fetchval("SELECT pg_terminate_backend(pg_backend_pid())")
    with kept() as db:
        assert db is opened[1] and db.fetchval("SELECT 1") == 1
    kept.close()
