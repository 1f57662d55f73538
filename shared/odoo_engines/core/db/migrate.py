"""Versioned SQL migrations, applied in order under an advisory lock.

Each engine keeps its SQL beside its code: `odoo_engines/<engine>/migrations/NNNN_name.sql`.
Versions are global (ranges: 0001-0099 core, 0100 products, 0200 sales and forecast,
0300 orders, 0400 knowledge, 0500 enrichment). Applied versions are recorded in
`schema_migrations` with a checksum; an edited, already-applied file is refused.
The token `{{embedding_dimensions}}` is replaced by the configured vector size.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..logging import get_logger
from .database import Database

log = get_logger("migrate")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
LOCK = "odoo-engines:migrate"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql_template(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql_template.encode()).hexdigest()


def discover() -> list[Migration]:
    """Every migration file in the package, ordered by version; duplicates refused."""
    root = Path(str(resources.files("odoo_engines")))
    found: dict[int, Migration] = {}
    for path in sorted(root.glob("**/migrations/*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ConfigError(f"migration file name must be NNNN_name.sql: {path}")
        version = int(match.group(1))
        if version in found:
            raise ConfigError(
                f"two migrations share version {version}: {found[version].path}, {path}"
            )
        found[version] = Migration(version, match.group(2), path)
    return [found[v] for v in sorted(found)]


def migrate(db: Database, embedding_dimensions: int) -> list[Migration]:
    """Apply every pending migration, each in its own transaction; returns those applied."""
    applied_now: list[Migration] = []
    db.execute("SELECT pg_advisory_lock(hashtext(%s))", (LOCK,))
    try:
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {v: c for v, c in db.fetchall("SELECT version, checksum FROM schema_migrations")}
        for migration in discover():
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    raise ConfigError(
                        f"migration {migration.path.name} changed after it was applied; "
                        "add a new migration instead of editing an applied one"
                    )
                continue
            sql = migration.sql_template.replace(
                "{{embedding_dimensions}}", str(int(embedding_dimensions))
            )
            with db.transaction():
                db.execute(sql)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, migration.checksum),
                )
            log.info("migration applied", version=migration.version, name=migration.name)
            applied_now.append(migration)
    finally:
        db.execute("SELECT pg_advisory_unlock(hashtext(%s))", (LOCK,))
    if applied_now and not db.has_vector:
        from .vector import register_vector

        db.has_vector = register_vector(db.conn)
    return applied_now
