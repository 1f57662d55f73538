"""What every scheduled job shares: time budgets, run records, continuations and saved
cursors.

A run is `recorded_run(db, job, result, work)`: the job's advisory lock, a `runs` row
holding the typed result (a `RunResult` subclass with the engine's counts), the error if
it failed. A run that runs out of time sets `result.continued`; its handler then
publishes a continuation (`{"continuation": true, …modes}`) to the job's own topic, after
the lock is released so the continuation is never skipped for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from .db import Database
from .errors import EngineError
from .logging import get_logger
from .publish import Publisher

log = get_logger("runs")

# The message field that says "resume from the saved cursor" (a run that ran out of time).
CONTINUATION = "continuation"


# A result field kept for the caller only (`field(default=…, metadata=NOT_RECORDED)`): what
# it holds is stored elsewhere, and a run record says what it is by its other fields.
NOT_RECORDED = {"recorded": False}


@dataclass
class RunResult:
    """What every run returns and records in `runs.result`; engines add their counts."""

    success: bool = False
    error: str | None = None
    skipped: str | None = None  # why nothing ran (another run of the job holds its lock)
    continued: bool = False  # out of time: a continuation carries on from the cursor
    duration_seconds: float = 0.0
    sql_statements: int = 0

    def as_dict(self) -> dict[str, Any]:
        """What `runs.result` records: every field but those marked NOT_RECORDED."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata != NOT_RECORDED}


R = TypeVar("R", bound=RunResult)


def recorded_run(
    db: Database,
    job: str,
    result: R,
    work: Callable[[R], None],
    *,
    scope: str = "",
    lock: bool = True,
) -> R:
    """`work(result)` recorded in `runs`, under the job's advisory lock when `lock`.

    When another run holds the lock nothing runs or is recorded: `result.skipped` says
    so. A failure is recorded with its message, then raised again.
    """
    if not lock:
        return _recorded(db, job, scope, result, work)
    with db.advisory_lock(job) as got:
        if got:
            return _recorded(db, job, scope, result, work)
    result.success, result.skipped = True, f"another {job} run holds the lock"
    log.info("run_skipped", job=job, scope=scope, reason=result.skipped)
    return result


def _recorded(db: Database, job: str, scope: str, result: R, work: Callable[[R], None]) -> R:
    started, statements = time.monotonic(), db.statements
    run_id = start_run(db, job, scope)
    try:
        work(result)
        result.success = True
    except Exception as exc:
        result.error = str(exc) if isinstance(exc, EngineError) else f"{type(exc).__name__}: {exc}"
        raise
    finally:
        result.duration_seconds = round(time.monotonic() - started, 3)
        result.sql_statements = db.statements - statements
        try:
            finish_run(db, run_id, result.as_dict())
        except EngineError as exc:  # the database itself failed: the log keeps the result
            log.error("run_not_recorded", job=job, error=str(exc))
        log.info("run_finished", job=job, scope=scope, **result.as_dict())
    return result


def publish_continuation(
    publisher: Publisher, topic: str, modes: Mapping[str, Any], **attributes: str
) -> None:
    """Ask for the next run to resume from the saved cursor, with the same run modes (and
    the message attributes that name its scope, such as a tenant's `connection_id`)."""
    publisher.publish(topic, {**modes, CONTINUATION: True}, **attributes)


@dataclass
class TimeBudget:
    """Seconds a run may use before it must checkpoint and hand over to a continuation."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.seconds - self.elapsed()

    def exhausted(self, reserve: float = 0.0) -> bool:
        """True once less than `reserve` seconds are left."""
        return self.remaining() <= reserve


def start_run(db: Database, job: str, scope: str = "") -> int:
    """Insert a `runs` row for this run; returns its id."""
    sql = "INSERT INTO runs (job, scope) VALUES (%s, %s) RETURNING id"
    run_id: int = db.fetchval(sql, (job, scope))
    return run_id


def finish_run(db: Database, run_id: int, result: dict[str, Any]) -> None:
    """Store the run's result dict (its `success` and `error` keys fill their columns)."""
    db.execute(
        "UPDATE runs SET finished_at = now(), success = %s, error = %s, result = %s::jsonb"
        " WHERE id = %s",
        (
            bool(result.get("success")),
            result.get("error"),
            json.dumps(result, default=str),
            run_id,
        ),
    )


def load_cursor(db: Database, job: str, scope: str = "") -> dict[str, Any] | None:
    """The saved cursor of a job, or None before its first page."""
    value = db.fetchval("SELECT cursor FROM sync_state WHERE job = %s AND scope = %s", (job, scope))
    if isinstance(value, str):
        value = json.loads(value)
    cursor: dict[str, Any] | None = value
    return cursor


def save_cursor(db: Database, job: str, scope: str, cursor: dict[str, Any] | None) -> None:
    """Save the cursor (call inside the page's transaction, so both commit together)."""
    db.execute(
        "INSERT INTO sync_state (job, scope, cursor) VALUES (%s, %s, %s::jsonb)"
        " ON CONFLICT (job, scope) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()",
        (job, scope, json.dumps(cursor) if cursor is not None else None),
    )


def mark_success(db: Database, job: str, scope: str = "") -> None:
    """Record that a whole run of the job finished successfully now."""
    db.execute(
        "INSERT INTO sync_state (job, scope, last_success_at) VALUES (%s, %s, now())"
        " ON CONFLICT (job, scope) DO UPDATE SET last_success_at = now(), updated_at = now()",
        (job, scope),
    )


def last_success(db: Database, job: str, scope: str = "") -> datetime | None:
    """When the job last succeeded, or None."""
    when: datetime | None = db.fetchval(
        "SELECT last_success_at FROM sync_state WHERE job = %s AND scope = %s", (job, scope)
    )
    return when


def recent_runs(
    db: Database, job: str | None = None, limit: int = 20, failed_only: bool = False
) -> list[dict[str, Any]]:
    """The latest `runs` rows, newest first (one job's, or only failed ones, if asked)."""
    return db.rows(
        "SELECT id, job, scope, started_at, finished_at, success, error, result FROM runs"
        " WHERE (%s::text IS NULL OR job = %s) AND (NOT %s OR success IS NOT TRUE)"
        " ORDER BY id DESC LIMIT %s",
        (job, job, failed_only, limit),
    )
