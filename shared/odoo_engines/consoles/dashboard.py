"""Read-only figures of the order poller for the operator's dashboard and log view.

The orders engine owns its tables; these queries only read them, each in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..core.db import Database


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


def sync_log(db: Database, tenant_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest poll cycles (of one tenant, or all), newest first, with the tenant's name."""
    return db.rows(
        "SELECT l.id, l.connection_id, c.name AS tenant, l.synced_at, l.orders_found,"
        " l.orders_sent, l.orders_failed, l.error_message, l.duration_ms, l.pages, l.odoo_calls"
        " FROM sync_log l JOIN connections c ON c.id = l.connection_id"
        " WHERE %s::text IS NULL OR l.connection_id = %s ORDER BY l.id DESC LIMIT %s",
        (tenant_id, tenant_id, limit),
    )


def describe_cycle(row: dict[str, Any]) -> str:
    """One line for the activity feed, as the seed's layout: '3 orders sent', '⚠ 1 failed'."""
    if row["error_message"]:
        return f"⚠ error: {row['error_message']}"
    sent, failed = row["orders_sent"], row["orders_failed"]
    if not sent and not failed:
        return "0 new orders"
    parts = []
    if sent:
        parts.append(f"{sent} order{'s' if sent != 1 else ''} sent")
    if failed:
        parts.append(f"⚠ {failed} failed, queued")
    return ", ".join(parts)


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'30s ago', '5m ago', '2h ago', '3d ago'; 'never' for None."""
    if moment is None:
        return "never"
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"
