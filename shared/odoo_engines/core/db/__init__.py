"""PostgreSQL access: connections, the Database wrapper, migrations, vectors, text."""

from __future__ import annotations

from ..settings import Settings
from .connection import open_connection
from .database import Database, lock_key
from .kept import KeptConnection
from .migrate import migrate
from .text import storable_text, text_hash
from .vector import register_vector, to_vector_text

__all__ = [
    "Database",
    "KeptConnection",
    "connect",
    "lock_key",
    "migrate",
    "register_vector",
    "storable_text",
    "text_hash",
    "to_vector_text",
]


def connect(settings: Settings, *, migrate_schema: bool = True) -> Database:
    """Open a Database for `settings`, applying pending migrations first by default."""
    db = Database(open_connection(settings.database))
    if migrate_schema:
        migrate(db, settings.embedding.dimensions)
    return db
