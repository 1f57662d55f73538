"""TEST_CONNECTIONS_ONLY: check Odoo, the database and the embedding provider, change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .config import Settings
from .errors import EngineError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def check_connections(settings: Settings, embeddings: bool = True) -> list[Check]:
    """One Check per dependency; failures are reported, not raised."""
    checks = [_check("database", lambda: _database(settings)),
              _check("odoo", lambda: _odoo(settings))]  # fmt: skip
    if embeddings:
        checks.append(_check("embeddings", lambda: _embeddings(settings)))
    return checks


def _check(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name, True, probe())
    except EngineError as exc:
        return Check(name, False, str(exc))


def _database(settings: Settings) -> str:
    from .db import Database
    from .db.connection import open_connection

    with Database(open_connection(settings.database)) as db:
        version = db.fetchval("SHOW server_version")
        vector = db.fetchval("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    return (
        f"PostgreSQL {version} ({settings.database.mode}), pgvector {vector or 'not installed yet'}"
    )


def _odoo(settings: Settings) -> str:
    from .odoo import connect_odoo

    client = connect_odoo(settings.odoo)
    where = "sandbox" if settings.odoo.is_sandbox else settings.odoo.url
    return f"Odoo {client.version.raw} at {where}, database {client.db}, uid {client.uid}"


def _embeddings(settings: Settings) -> str:
    from .embeddings import get_embedder

    embedder = get_embedder(settings)
    vector = embedder.embed(["connection check"])[0]
    return f"{settings.embedding.provider} model {embedder.model}, {len(vector)} dimensions"
