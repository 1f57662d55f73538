"""A thin wrapper over one DB-API connection: explicit transactions, counted statements.

SQL uses pg8000's `%s` placeholders (write a literal percent sign as `%%`). The
statement counter lets benchmarks and tests count round trips.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np
import pg8000.dbapi
from pgvector import Vector

from ..errors import DatabaseUnavailable, QueryError
from .vector import register_vector, to_vector_text

# SQLSTATE classes that retrying can fix: connection loss, serialization/deadlock,
# lock timeouts, query cancellation (statement_timeout), server shutdown.
_TRANSIENT_SQLSTATES = ("08", "40", "55P03", "57014", "57P01", "57P02", "57P03", "53")


class Cursor(Protocol):
    """The part of pg8000's DB-API cursor the engines use (pg8000 ships no types)."""

    rowcount: int
    description: Sequence[Sequence[Any]] | None  # (name, type code, ...) per column

    def execute(
        self, sql: str, params: tuple[Any, ...], stream: Iterable[bytes] | None = None
    ) -> object: ...

    def fetchall(self) -> Sequence[Sequence[Any]]: ...

    def fetchone(self) -> Sequence[Any] | None: ...


class Database:
    """One connection with helpers. Autocommit unless inside `transaction()`."""

    def __init__(self, conn: pg8000.dbapi.Connection):
        self.conn = conn
        self.statements = 0
        self._depth = 0
        self.has_vector = register_vector(conn)

    # -- statements -------------------------------------------------------------------
    def execute(
        self, sql: str, params: Sequence[Any] = (), stream: Iterable[bytes] | None = None
    ) -> Cursor:
        """Run one statement; returns the cursor (rows via fetchall).

        Without params the simple protocol is used, so a `;`-separated script works too.
        """
        cur: Cursor = self.conn.cursor()
        self.statements += 1
        try:
            cur.execute(sql, tuple(params), stream=stream)
        except pg8000.dbapi.DatabaseError as exc:
            raise _classify(exc) from exc
        except (pg8000.dbapi.InterfaceError, OSError) as exc:
            raise DatabaseUnavailable(f"database connection failed: {exc}") from exc
        return cur

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.fetchone(sql, params)
        return row[0] if row else None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """All rows as dicts keyed by column name."""
        cur = self.execute(sql, params)
        if cur.description is None:
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """COPY rows into `table` in one round trip (text format; None is NULL)."""
        cols = ", ".join(columns)
        self.execute(f"COPY {table} ({cols}) FROM STDIN", stream=_copy_lines(rows))

    # -- transactions and locks -----------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN … COMMIT, or ROLLBACK on any exception. Nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.execute("BEGIN")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            # if the connection is gone, the server rolled back already
            with contextlib.suppress(DatabaseUnavailable):
                self.execute("ROLLBACK")
            raise
        self._depth = 0
        self.execute("COMMIT")

    def try_advisory_lock(self, name: str) -> bool:
        """Take the session-level advisory lock `name` if free; False if someone holds it."""
        return bool(self.fetchval("SELECT pg_try_advisory_lock(%s)", (lock_key(name),)))

    def advisory_unlock(self, name: str) -> None:
        self.execute("SELECT pg_advisory_unlock(%s)", (lock_key(name),))

    @contextmanager
    def advisory_lock(self, name: str) -> Iterator[bool]:
        """`with db.advisory_lock("product-sync") as got:`; releases on exit if taken."""
        got = self.try_advisory_lock(name)
        try:
            yield got
        finally:
            if got:
                self.advisory_unlock(name)

    def close(self) -> None:
        # closing a dead connection has nothing to report
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def sqlstate(exc: pg8000.dbapi.DatabaseError) -> tuple[str, str]:
    """The server's SQLSTATE and message of a pg8000 error ("" when it carries none)."""
    info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    return info.get("C", ""), info.get("M", str(exc))


def is_transient(code: str) -> bool:
    """Whether retrying can fix an error of this SQLSTATE."""
    return code.startswith(_TRANSIENT_SQLSTATES)


def _classify(exc: pg8000.dbapi.DatabaseError) -> Exception:
    code, message = sqlstate(exc)
    detail = f"{message} (SQLSTATE {code})" if code else message
    if is_transient(code):
        return DatabaseUnavailable(f"database: {detail}")
    return QueryError(f"database: {detail}")


_COPY_CHUNK = 256 * 1024  # bytes per CopyData message: pg8000 flushes the socket per item
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):  # nothing to escape in a number
        return str(value)
    if isinstance(value, np.ndarray | Vector):
        return to_vector_text(value)  # digits, commas and brackets only
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif not isinstance(value, str):
        value = str(value)
    text: str = value
    return text.translate(_ESCAPES) if _needs_escape(text) else text


def _needs_escape(text: str) -> bool:
    return "\\" in text or "\t" in text or "\n" in text or "\r" in text


def _copy_lines(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """COPY text lines, joined into chunks of about `_COPY_CHUNK` bytes."""
    chunk: list[str] = []
    size = 0
    for row in rows:
        line = "\t".join([_copy_escape(v) for v in row]) + "\n"
        chunk.append(line)
        size += len(line)
        if size >= _COPY_CHUNK:
            yield "".join(chunk).encode()
            chunk, size = [], 0
    if chunk:
        yield "".join(chunk).encode()
