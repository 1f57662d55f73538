"""Writes to `sales_items`: one statement each, a page's worth of rows at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..core.db import Database
from .lines import COLUMNS

# Array types for unnest(), in COLUMNS order.
_TYPES = (
    "bigint", "bigint", "text", "timestamptz", "bigint", "text", "bigint", "text", "text",
    "text", "numeric", "text", "numeric", "numeric", "numeric", "numeric", "text", "bigint",
    "text", "text", "boolean", "timestamptz",
)  # fmt: skip
_UPDATED = [c for c in COLUMNS if c != "line_id"]
# Built from the constants above only. Unchanged rows are not rewritten.
_UPSERT = (
    f"INSERT INTO sales_items ({', '.join(COLUMNS)})"  # noqa: S608
    f" SELECT * FROM unnest({', '.join(f'%s::{t}[]' for t in _TYPES)})"
    f" ON CONFLICT (line_id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in _UPDATED)},"
    " synced_at = now()"
    f" WHERE ({', '.join(f'sales_items.{c}' for c in _UPDATED)})"
    f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in _UPDATED)})"
    " RETURNING xmax = 0"
)


def upsert_items(db: Database, rows: Sequence[tuple[Any, ...]]) -> tuple[int, int]:
    """Insert or update lines by `line_id`; returns (inserted, changed). A repeated page
    changes nothing."""
    if not rows:
        return 0, 0
    arrays = [list(column) for column in zip(*rows, strict=True)]
    flags = db.fetchall(_UPSERT, arrays)
    inserted = sum(1 for (is_new,) in flags if is_new)
    return inserted, len(flags) - inserted


def remove_vanished_lines(db: Database, order_ids: Sequence[int], kept: Sequence[int]) -> int:
    """Delete stored lines of `order_ids` that Odoo no longer lists; returns how many."""
    if not order_ids:
        return 0
    return len(
        db.fetchall(
            "DELETE FROM sales_items WHERE order_id = ANY(%s::bigint[])"
            " AND NOT (line_id = ANY(%s::bigint[])) RETURNING line_id",
            (list(order_ids), list(kept) or [0]),
        )
    )


def set_order_states(
    db: Database, orders: Sequence[tuple[int, str, bool, datetime | None]]
) -> dict[str, int]:
    """Apply (order id, state, locked, write_date) to the order's stored lines, e.g. a
    cancellation; returns how many lines changed, by new state."""
    if not orders:
        return {}
    ids, states, locked, written = (list(c) for c in zip(*orders, strict=True))
    changed: dict[str, int] = {}
    for (state,) in db.fetchall(
        "UPDATE sales_items s SET state = t.state, locked = t.locked, write_date = t.written,"
        " synced_at = now()"
        " FROM unnest(%s::bigint[], %s::text[], %s::boolean[], %s::timestamptz[])"
        " AS t(order_id, state, locked, written)"
        " WHERE s.order_id = t.order_id"
        " AND (s.state, s.locked) IS DISTINCT FROM (t.state, t.locked)"
        " RETURNING s.state",
        (ids, states, locked, written),
    ):
        changed[state] = changed.get(state, 0) + 1
    return changed
