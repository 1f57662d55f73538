"""Session-wide real local parts: one embedded PostgreSQL with pgvector per test session.

Each test that asks for `database_url` gets its own database, copied from a migrated
template in a few milliseconds, so tests never see each other's rows.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pg8000.dbapi
import pytest
from cryptography.fernet import Fernet

from odoo_engines.core.db import Database, migrate
from odoo_engines.core.db.connection import embedded_socket
from odoo_engines.core.settings import load_settings

pytest_plugins = [
    "fixtures.ai",
    "fixtures.functions",
    "fixtures.odoo",
    "fixtures.real_odoo",
    "fixtures.refusing_postgres",
]

TEST_DIMENSIONS = 512
TEMPLATE = "odoo_engines_template"

# Threads for numpy/BLAS: one, as in the Makefile (the tests may be run without make).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _admin(socket: str, database: str = "postgres") -> pg8000.dbapi.Connection:
    conn = pg8000.dbapi.connect(user="postgres", unix_sock=socket, database=database)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="session")
def pg_socket() -> str:
    """The embedded PostgreSQL 18 + pgvector of this test session (its socket path).

    Its data lives outside pytest's temporary folders: pytest deletes old ones while
    another session may still run, and the server runs as another system user.
    """
    root = Path(tempfile.mkdtemp(prefix="odoo-engines-test-pg-"))
    root.chmod(0o755)
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    socket = embedded_socket(root / "data")
    conn = _admin(socket)
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE {TEMPLATE}")
    conn.close()
    db = Database(_admin(socket, TEMPLATE))
    migrate(db, TEST_DIMENSIONS)
    db.close()
    return socket


def socket_url(socket: str, database: str) -> str:
    directory, name = socket.rsplit("/", 1)
    port = name.rsplit(".", 1)[-1]
    return f"postgresql://postgres@/{database}?host={directory}&port={port}"


@pytest.fixture
def database_url(pg_socket) -> str:
    """A fresh, migrated database for this test, as a libpq socket URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = _admin(pg_socket)
    conn.cursor().execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    conn.close()
    yield socket_url(pg_socket, name)
    conn = _admin(pg_socket)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    conn.close()


@pytest.fixture
def base_env(database_url, tmp_path) -> dict[str, str]:
    """Environment of a local run against this test's database (no cloud, no keys)."""
    return {
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "EMBEDDING_DIMENSIONS": str(TEST_DIMENSIONS),
        "LOG_FORMAT": "json",
        "EMBEDDED_PG_DIR": str(tmp_path / "unused-pg"),
    }


@pytest.fixture
def orders_env(base_env) -> dict[str, str]:
    """The local run's environment plus a fresh key for tenants' secrets.

    Retries are due at once (base 0 s, no jitter) so tests need not wait.
    """
    return {
        **base_env,
        "ORDERS_SECRET_KEY": Fernet.generate_key().decode(),
        "ORDERS_RETRY_BASE_SECONDS": "0",
        "ORDERS_RETRY_JITTER": "0",
        "ORDERS_WEBHOOK_TIMEOUT": "5",
    }


@pytest.fixture
def settings(base_env):
    """Settings for this test's database, read the way the edges read them."""
    return load_settings(base_env)


@pytest.fixture
def db(settings):
    """A Database on this test's own database."""
    from odoo_engines.core.db import connect

    database = connect(settings)
    yield database
    database.close()
