"""One database connection per function instance, kept between requests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import DatabaseUnavailable
from .database import Database


class KeptConnection:
    """Opened by `open_db` on first use, held by one request at a time (a pg8000
    connection serves one statement at a time), dropped after the database failed so
    the next request reconnects (a provider's failure inside the block keeps it)."""

    def __init__(self, open_db: Callable[[], Database]):
        self._open = open_db
        self._db: Database | None = None
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self) -> Iterator[Database]:
        with self._lock:
            if self._db is None:
                self._db = self._open()
            try:
                yield self._db
            except DatabaseUnavailable:
                self._db.close()
                self._db = None
                raise

    def close(self) -> None:
        """Close the connection, if one is open."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
