"""TEST_CONNECTIONS_ONLY and `odoo-engines <engine> check`: probe each dependency, change
nothing. An engine names its probes (the database here, Odoo and the embedding provider
in their own packages); each answers a one-line detail or raises an EngineError."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import EngineError, PermanentError
from .logging import get_logger
from .settings import DatabaseSettings

log = get_logger("checks")

Probe = Callable[[], str]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def run_checks(probes: Mapping[str, Probe]) -> list[Check]:
    """One logged Check per probe, in order; a failure is reported, not raised."""
    checks = []
    for name, probe in probes.items():
        try:
            check = Check(name, True, probe())
        except EngineError as exc:
            check = Check(name, False, str(exc))
        log.info("connection_check", name=check.name, ok=check.ok, detail=check.detail)
        checks.append(check)
    return checks


def require_ok(checks: list[Check]) -> None:
    """PermanentError naming every failed check (a deploy's smoke step fails on it)."""
    failed = [c for c in checks if not c.ok]
    if failed:
        raise PermanentError("; ".join(f"{c.name}: {c.detail}" for c in failed))


def database_probe(settings: DatabaseSettings) -> Probe:
    """The database answers; its PostgreSQL and pgvector versions."""

    def probe() -> str:
        from .db import Database
        from .db.connection import open_connection

        with Database(open_connection(settings)) as db:
            version = db.fetchval("SHOW server_version")
            vector = db.fetchval("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        return f"PostgreSQL {version} ({settings.mode}), pgvector {vector or 'not installed yet'}"

    return probe
