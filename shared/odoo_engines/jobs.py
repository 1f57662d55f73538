"""What every scheduled job shares: time budgets, run records and saved cursors."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .db import Database


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
