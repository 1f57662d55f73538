"""Every statement on the orders engine's tables: `connections` (tenants), `sent_orders`
(the record of events to send), `retry_queue` (failed ones), `sync_log` (one row per
cycle) and `local_scheduler_jobs` (the local stand-in for Cloud Scheduler).

An event is recorded before it is sent and marked after a 2xx, so a crash in between
leaves an unsent record that the tenant's next cycle sends again with the same
`webhook-id`; a marked event is never sent again. The outbox functions take a batch and
cost one statement each. The consoles read these tables only through this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.db import Database
from ..core.errors import NotFoundError
from .tenants import Tenant

if TYPE_CHECKING:
    from .run import CycleResult


@dataclass(frozen=True)
class Event:
    """One event of one order, ready to send: its ids and the exact body."""

    connection_id: str
    odoo_order_id: int
    external_id: str
    event: str
    webhook_id: str
    body: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.odoo_order_id, self.event)


@dataclass(frozen=True)
class Known:
    """What is already recorded about one event of one order."""

    sent: bool
    retry_status: str | None


@dataclass(frozen=True)
class RetryItem:
    """A due row of `retry_queue`, locked by the run that claimed it."""

    id: int
    event: Event
    attempts: int
    max_attempts: int
    webhook_url: str
    webhook_secret_ref: str
    status: str = "PENDING"
    cancelled: bool = False  # the order was cancelled in Odoo before this was delivered
    legacy_secret_header: bool = False  # the tenant's, at the time of the claim


def known(db: Database, connection_id: str, order_ids: list[int]) -> dict[tuple[int, str], Known]:
    """Recorded events of these orders, keyed by (order id, event)."""
    if not order_ids:
        return {}
    rows = db.fetchall(
        "SELECT s.odoo_order_id, s.event, s.sent_at IS NOT NULL, r.status"
        " FROM sent_orders s LEFT JOIN retry_queue r ON r.connection_id = s.connection_id"
        " AND r.odoo_order_id = s.odoo_order_id AND r.event = s.event"
        " WHERE s.connection_id = %s AND s.odoo_order_id = ANY(%s::int[])",
        (connection_id, order_ids),
    )
    return {(order_id, event): Known(sent, status) for order_id, event, sent, status in rows}


def record(db: Database, events: list[Event]) -> list[Event]:
    """Record events before sending; returns those not recorded before (the ones to send)."""
    if not events:
        return []
    rows = db.fetchall(
        "INSERT INTO sent_orders (connection_id, odoo_order_id, external_id, event,"
        " webhook_id, payload)"
        " SELECT * FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::text[],"
        " %s::text[])"
        " ON CONFLICT (connection_id, odoo_order_id, event) DO NOTHING"
        " RETURNING odoo_order_id, event",
        _columns(events),
    )
    new = {(order_id, event) for order_id, event in rows}
    return [e for e in events if e.key in new]


def mark_sent(db: Database, events: list[Event]) -> None:
    """Mark delivered events (a 2xx came back); their stored body is no longer needed."""
    if not events:
        return
    db.execute(
        "UPDATE sent_orders s SET sent_at = now(), payload = NULL"
        " FROM unnest(%s::text[], %s::int[], %s::text[]) AS u(connection_id, order_id, event)"
        " WHERE s.connection_id = u.connection_id AND s.odoo_order_id = u.order_id"
        " AND s.event = u.event AND s.sent_at IS NULL",
        (
            [e.connection_id for e in events],
            [e.odoo_order_id for e in events],
            [e.event for e in events],
        ),
    )


def unsent(db: Database, connection_id: str) -> list[Event]:
    """Recorded, never marked, and not in the retry queue: a crash between send and mark."""
    rows = db.fetchall(
        "SELECT s.connection_id, s.odoo_order_id, s.external_id, s.event, s.webhook_id,"
        " s.payload FROM sent_orders s WHERE s.connection_id = %s AND s.sent_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM retry_queue r WHERE r.connection_id = s.connection_id"
        " AND r.odoo_order_id = s.odoo_order_id AND r.event = s.event)"
        " ORDER BY s.id",
        (connection_id,),
    )
    return [Event(*row) for row in rows]


def enqueue(
    db: Database,
    failures: list[tuple[Event, str | None, int | None, float]],
    max_attempts: int,
) -> None:
    """Put failed first sends in the retry queue: (event, error, HTTP status, delay seconds)."""
    if not failures:
        return
    events = [f[0] for f in failures]
    db.execute(
        "INSERT INTO retry_queue (connection_id, odoo_order_id, external_id, event, webhook_id,"
        " payload, last_error, last_status, next_retry_at, max_attempts)"
        " SELECT u.c, u.o, u.x, u.e, u.w, u.p, u.err, u.st, now() + make_interval(secs => u.d),"
        " %s FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::text[], %s::text[],"
        " %s::text[], %s::int[], %s::float8[]) AS u(c, o, x, e, w, p, err, st, d)"
        " ON CONFLICT (connection_id, odoo_order_id, event) DO NOTHING",
        (
            max_attempts,
            *_columns(events),
            [f[1] for f in failures],
            [f[2] for f in failures],
            [float(f[3]) for f in failures],
        ),
    )


def discard_cancelled(
    db: Database, connection_id: str, order_id: int, event: str, why: str
) -> bool:
    """Discard a queued, undelivered event of an order cancelled in Odoo, and record the
    cancellation so the event is never sent; True if one was discarded.

    A row a retry run holds is waited for, so a delivery in flight is never discarded.
    """
    return (
        db.fetchval(
            "WITH discarded AS (UPDATE retry_queue SET status = 'DISCARDED', last_error = %s,"
            " updated_at = now() WHERE connection_id = %s AND odoo_order_id = %s"
            " AND event = %s AND status IN ('PENDING', 'FAILED') RETURNING id)"
            " UPDATE sent_orders SET cancelled_at = now() WHERE connection_id = %s"
            " AND odoo_order_id = %s AND event = %s AND EXISTS (SELECT 1 FROM discarded)"
            " RETURNING id",
            (why, connection_id, order_id, event, connection_id, order_id, event),
        )
        is not None
    )


def is_sent(db: Database, connection_id: str, order_id: int, event: str) -> bool:
    return bool(
        db.fetchval(
            "SELECT sent_at IS NOT NULL FROM sent_orders"
            " WHERE connection_id = %s AND odoo_order_id = %s AND event = %s",
            (connection_id, order_id, event),
        )
    )


# -- the retry queue, for webhook-retry and operators -------------------------------------
_ITEM = (
    "SELECT r.id, r.connection_id, r.odoo_order_id, r.external_id, r.event, r.webhook_id,"
    " r.payload, r.attempts, r.max_attempts, c.webhook_url, c.webhook_secret_ref, r.status,"
    " s.cancelled_at IS NOT NULL, c.legacy_secret_header"
    " FROM retry_queue r JOIN connections c ON c.id = r.connection_id"
    " LEFT JOIN sent_orders s ON s.connection_id = r.connection_id"
    " AND s.odoo_order_id = r.odoo_order_id AND s.event = r.event"
)


def _item(row: tuple[Any, ...]) -> RetryItem:
    return RetryItem(row[0], Event(*row[1:7]), *row[7:])


def claim_due(db: Database, limit: int, due_by: datetime) -> list[RetryItem]:
    """Lock up to `limit` items of active tenants due by `due_by` (inside a transaction).

    `SKIP LOCKED`: two runs at once take disjoint items, neither waits for the other.
    """
    rows = db.fetchall(
        _ITEM + " WHERE r.status = 'PENDING' AND r.next_retry_at <= %s AND c.is_active"
        " AND c.deliveries_paused_at IS NULL AND s.cancelled_at IS NULL"
        " ORDER BY r.next_retry_at, r.id LIMIT %s FOR UPDATE OF r SKIP LOCKED",
        (due_by, limit),
    )
    return [_item(r) for r in rows]


def claim(db: Database, item_id: int) -> RetryItem | None:
    """Lock one undelivered item by id (call inside a transaction); None if there is none."""
    rows = db.fetchall(
        _ITEM + " WHERE r.id = %s AND r.status <> 'SUCCESS' FOR UPDATE OF r", (item_id,)
    )
    return _item(rows[0]) if rows else None


def record_attempts(
    db: Database, results: list[tuple[RetryItem, bool, int | None, str | None, float | None]]
) -> None:
    """Store retries' outcomes: (item, ok, HTTP status, error, next delay or None = FAILED)."""
    if not results:
        return
    db.execute(
        "UPDATE retry_queue r SET attempts = r.attempts + 1,"
        " status = CASE WHEN u.ok THEN 'SUCCESS' WHEN u.d IS NULL THEN 'FAILED'"
        " ELSE 'PENDING' END,"
        " next_retry_at = CASE WHEN u.d IS NULL THEN r.next_retry_at"
        " ELSE now() + make_interval(secs => u.d) END,"
        " last_error = COALESCE(u.err, r.last_error), last_status = u.st, updated_at = now()"
        " FROM unnest(%s::bigint[], %s::boolean[], %s::int[], %s::text[], %s::float8[])"
        " AS u(id, ok, st, err, d) WHERE r.id = u.id",
        (
            [r[0].id for r in results],
            [r[1] for r in results],
            [r[2] for r in results],
            [r[3] for r in results],
            [r[4] for r in results],
        ),
    )
    mark_sent(db, [r[0].event for r in results if r[1]])


def requeue(db: Database, item_id: int) -> None:
    """Make an item due now with a fresh set of attempts (an operator's `retry`)."""
    db.execute(
        "UPDATE retry_queue SET status = 'PENDING', attempts = 0, next_retry_at = now(),"
        " updated_at = now() WHERE id = %s AND status <> 'SUCCESS'",
        (item_id,),
    )


def discard(db: Database, item_id: int) -> bool:
    """An operator gives up on an item; True if it was waiting or failed."""
    return (
        db.fetchval(
            "UPDATE retry_queue SET status = 'DISCARDED', last_error = COALESCE(last_error, '')"
            " || ' (discarded by an operator)', updated_at = now()"
            " WHERE id = %s AND status IN ('PENDING', 'FAILED') RETURNING id",
            (item_id,),
        )
        is not None
    )


def retry_rows(
    db: Database, tenant_id: str | None = None, status: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Queue rows for screens (newest first), without payloads."""
    return db.rows(
        "SELECT id, connection_id, odoo_order_id, external_id, event, status, attempts,"
        " max_attempts, next_retry_at, last_status, last_error, created_at, updated_at"
        " FROM retry_queue WHERE (%s::text IS NULL OR connection_id = %s)"
        " AND (%s::text IS NULL OR status = %s) ORDER BY id DESC LIMIT %s",
        (tenant_id, tenant_id, status, status, limit),
    )


def retry_row(db: Database, item_id: int) -> dict[str, Any] | None:
    """One queue row with its payload."""
    rows = db.rows("SELECT * FROM retry_queue WHERE id = %s", (item_id,))
    return rows[0] if rows else None


def _columns(events: list[Event]) -> tuple[list[Any], ...]:
    return (
        [e.connection_id for e in events],
        [e.odoo_order_id for e in events],
        [e.external_id for e in events],
        [e.event for e in events],
        [e.webhook_id for e in events],
        [e.body for e in events],
    )


def pending_counts(db: Database) -> dict[str, dict[str, int]]:
    """Per tenant: how many queue items are PENDING and FAILED."""
    counts: dict[str, dict[str, int]] = {}
    for tenant_id, status, n in db.fetchall(
        "SELECT connection_id, status, count(*) FROM retry_queue"
        " WHERE status IN ('PENDING', 'FAILED') GROUP BY 1, 2"
    ):
        counts.setdefault(tenant_id, {})[status] = n
    return counts


def now(db: Database) -> datetime:
    """The database's clock (what `next_retry_at` is compared with)."""
    moment: datetime = db.fetchval("SELECT now()")
    return moment


# -- tenants (`connections`) --------------------------------------------------------------
# Column names below come from this module (Tenant's fields, tenants.EDITABLE), never
# from input.
_COLUMNS = ", ".join(f.name for f in fields(Tenant))
_SELECT = f"SELECT {_COLUMNS} FROM connections"  # noqa: S608


def _tenant(row: dict[str, Any]) -> Tenant:
    if isinstance(row.get("poll_cursor"), str):
        row = {**row, "poll_cursor": json.loads(row["poll_cursor"])}
    return Tenant(**row)


def get_tenant(db: Database, tenant_id: str) -> Tenant:
    """The tenant with this id; NotFoundError (acknowledged by triggers) if there is none."""
    rows = db.rows(_SELECT + " WHERE id = %s", (tenant_id,))
    if not rows:
        raise NotFoundError(f"no tenant with id {tenant_id!r}")
    return _tenant(rows[0])


def list_tenants(db: Database) -> list[Tenant]:
    return [_tenant(r) for r in db.rows(_SELECT + " ORDER BY name, id")]


def insert_tenant(db: Database, row: dict[str, Any]) -> None:
    """A new `connections` row from checked values (keys are Tenant's field names)."""
    columns, marks = ", ".join(row), ", ".join(["%s"] * len(row))
    db.execute(
        f"INSERT INTO connections ({columns}) VALUES ({marks})",  # noqa: S608
        list(row.values()),
    )


def update_tenant(db: Database, tenant_id: str, values: dict[str, Any]) -> None:
    """Set checked values (keys are Tenant's field names) on the tenant's row."""
    assignments = ", ".join(f"{k} = %s" for k in values)
    sql = f"UPDATE connections SET {assignments}, updated_at = now() WHERE id = %s"  # noqa: S608
    db.execute(sql, [*values.values(), tenant_id])


def pause_tenant(db: Database, tenant_id: str) -> None:
    """Stop polling the tenant."""
    db.execute(
        "UPDATE connections SET is_active = false, updated_at = now() WHERE id = %s",
        (tenant_id,),
    )


def resume_tenant(db: Database, tenant_id: str) -> None:
    """Poll the tenant again, and deliver again if a 410 had paused its deliveries."""
    db.execute(
        "UPDATE connections SET is_active = true, deliveries_paused_at = NULL,"
        " deliveries_paused_reason = NULL, updated_at = now() WHERE id = %s",
        (tenant_id,),
    )


def delete_tenant(db: Database, tenant_id: str) -> None:
    """The row, with its sync log, retry queue and sent records (ON DELETE CASCADE)."""
    db.execute("DELETE FROM connections WHERE id = %s", (tenant_id,))


def pause_deliveries(db: Database, tenant_id: str, reason: str) -> None:
    """Stop sending to the tenant's webhook until an operator resumes it."""
    db.execute(
        "UPDATE connections SET deliveries_paused_at = now(), deliveries_paused_reason = %s,"
        " updated_at = now() WHERE id = %s AND deliveries_paused_at IS NULL",
        (reason, tenant_id),
    )


def save_poll_cursor(
    db: Database, tenant_id: str, cursor: dict[str, Any] | None, last_order_id: int | None
) -> None:
    """Where the tenant's next page starts, and the last order id seen (if the page had one)."""
    db.execute(
        "UPDATE connections SET poll_cursor = %s::jsonb,"
        " last_sync_order_id = COALESCE(%s, last_sync_order_id) WHERE id = %s",
        (json.dumps(cursor), last_order_id, tenant_id),
    )


def mark_synced(db: Database, tenant_id: str) -> None:
    """A cycle read every page: the tenant's last sync is now."""
    db.execute("UPDATE connections SET last_sync_at = now() WHERE id = %s", (tenant_id,))


# -- the cycles' log (`sync_log`) ---------------------------------------------------------
def log_cycle(db: Database, cycle: CycleResult) -> None:
    """Keep what one poll cycle did in `sync_log`."""
    db.execute(
        "INSERT INTO sync_log (connection_id, orders_found, orders_sent, orders_failed,"
        " error_message, duration_ms, pages, odoo_calls)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            cycle.connection_id,
            cycle.found,
            cycle.sent,
            cycle.failed,
            cycle.error,
            cycle.duration_ms,
            cycle.pages,
            cycle.odoo_calls,
        ),
    )


def recent_cycles(db: Database, tenant_id: str, limit: int = 5) -> list[dict[str, Any]]:
    """The tenant's latest `sync_log` rows, newest first."""
    return db.rows(
        "SELECT synced_at, orders_found, orders_sent, orders_failed, error_message,"
        " duration_ms, pages, odoo_calls FROM sync_log WHERE connection_id = %s"
        " ORDER BY id DESC LIMIT %s",
        (tenant_id, limit),
    )


def sync_log(db: Database, tenant_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest poll cycles (of one tenant, or all), newest first, with the tenant's name."""
    return db.rows(
        "SELECT l.id, l.connection_id, c.name AS tenant, l.synced_at, l.orders_found,"
        " l.orders_sent, l.orders_failed, l.error_message, l.duration_ms, l.pages, l.odoo_calls"
        " FROM sync_log l JOIN connections c ON c.id = l.connection_id"
        " WHERE %s::text IS NULL OR l.connection_id = %s ORDER BY l.id DESC LIMIT %s",
        (tenant_id, tenant_id, limit),
    )


@dataclass(frozen=True)
class TenantStats:
    """What the dashboard shows beside a tenant: today's deliveries and recent errors."""

    sent_today: int = 0
    errors_24h: int = 0
    last_error: str | None = None
    last_cycle_at: datetime | None = None


def tenant_stats(db: Database) -> dict[str, TenantStats]:
    """Per tenant id: orders delivered since midnight UTC, failed cycles in the last 24 h."""
    rows = db.fetchall(
        "SELECT c.id,"
        " (SELECT count(*) FROM sent_orders s WHERE s.connection_id = c.id"
        "   AND s.sent_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),"
        " (SELECT count(*) FROM sync_log l WHERE l.connection_id = c.id"
        "   AND l.error_message IS NOT NULL AND l.synced_at > now() - interval '24 hours'),"
        " (SELECT l.error_message FROM sync_log l WHERE l.connection_id = c.id"
        "   AND l.synced_at > now() - interval '24 hours' ORDER BY l.id DESC LIMIT 1),"
        " (SELECT max(l.synced_at) FROM sync_log l WHERE l.connection_id = c.id)"
        " FROM connections c"
    )
    return {row[0]: TenantStats(*row[1:]) for row in rows}


# -- the local stand-in for Cloud Scheduler (`local_scheduler_jobs`) ---------------------
def upsert_local_job(
    db: Database, name: str, topic: str, attributes: dict[str, str], schedule: str, paused: bool
) -> None:
    db.execute(
        "INSERT INTO local_scheduler_jobs (name, topic, attributes, schedule, paused)"
        " VALUES (%s, %s, %s::jsonb, %s, %s) ON CONFLICT (name) DO UPDATE SET"
        " schedule = EXCLUDED.schedule, paused = EXCLUDED.paused, updated_at = now()",
        (name, topic, json.dumps(attributes), schedule, paused),
    )


def set_local_job_paused(db: Database, name: str, paused: bool) -> bool:
    """Pause or resume a job; False if there is no such job."""
    found = db.fetchval(
        "UPDATE local_scheduler_jobs SET paused = %s, updated_at = now()"
        " WHERE name = %s RETURNING name",
        (paused, name),
    )
    return found is not None


def delete_local_job(db: Database, name: str) -> None:
    db.execute("DELETE FROM local_scheduler_jobs WHERE name = %s", (name,))


def local_job(db: Database, name: str) -> dict[str, Any] | None:
    """The job's row (attributes decoded), or None."""
    rows = db.rows(
        "SELECT name, schedule, topic, attributes, paused FROM local_scheduler_jobs"
        " WHERE name = %s",
        (name,),
    )
    if not rows:
        return None
    row = rows[0]
    if isinstance(row["attributes"], str):
        row = {**row, "attributes": json.loads(row["attributes"])}
    return row
