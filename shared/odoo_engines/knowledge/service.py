"""What one instance of the `embed-document` function holds between requests.

Settings, the database connection and the embedder are made on first use, so a
misconfiguration is answered (503, naming the variable) instead of crashing the
instance, and a broken database connection is dropped and reopened on the next request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property

from ..core.db import Database, KeptConnection, connect
from ..core.errors import ConfigError
from ..core.settings import Settings, load_settings
from ..core.triggers import HttpError
from ..embeddings import Embedder, get_embedder
from . import store


class KnowledgeService:
    """Lazily built settings, database and embedder of one function instance."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        # `with service.database() as db:` the instance's connection, held for the block
        self.database = KeptConnection(self._connect)

    @cached_property
    def settings(self) -> Settings:
        """The settings, read once; a bad variable is a 503 that names it."""
        with _misconfiguration_is_503():
            return load_settings(self._env)

    @cached_property
    def embedder(self) -> Embedder:
        """The configured embedder (its model loads on first use)."""
        with _misconfiguration_is_503():
            return get_embedder(self.settings)

    def _connect(self) -> Database:
        with _misconfiguration_is_503():
            db = connect(self.settings)
        store.use_search_settings(db, self.settings.knowledge.ef_search)
        return db

    def close(self) -> None:
        """Close the connection, if one is open."""
        self.database.close()


@contextmanager
def _misconfiguration_is_503() -> Iterator[None]:
    try:
        yield
    except ConfigError as exc:
        raise HttpError(503, f"the service is misconfigured: {exc}") from exc
