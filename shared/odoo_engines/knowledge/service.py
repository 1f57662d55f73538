"""What one instance of the `embed-document` function holds between requests.

Settings, the database connection and the embedder are made on first use, so a
misconfiguration is answered (503, naming the variable) instead of crashing the
instance, and a broken database connection is dropped and reopened on the next request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property

from ..config import Settings, load_settings
from ..db import Database, connect
from ..embeddings import Embedder, get_embedder
from ..errors import ConfigError, TransientError
from ..triggers import HttpError
from . import store


class KnowledgeService:
    """Lazily built settings, database and embedder of one function instance."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        self._db: Database | None = None
        # one pg8000 connection serves one request at a time
        self._lock = threading.Lock()

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

    @contextmanager
    def database(self) -> Iterator[Database]:
        """The instance's connection, held for the block; reopened after a failure."""
        with self._lock:
            if self._db is None:
                with _misconfiguration_is_503():
                    db = connect(self.settings)
                store.use_search_settings(db, self.settings.knowledge.ef_search)
                self._db = db
            try:
                yield self._db
            except TransientError:
                self._db.close()
                self._db = None
                raise

    def close(self) -> None:
        """Close the connection, if one is open."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@contextmanager
def _misconfiguration_is_503() -> Iterator[None]:
    try:
        yield
    except ConfigError as exc:
        raise HttpError(503, f"the service is misconfigured: {exc}") from exc
