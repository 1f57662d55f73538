"""All SQL on the sales engine's tables: `sales_items` (the synced lines), `forecast_runs`,
`forecast_shards` and `forecast` (the forecast job), `production_forecast` (the plan),
including the reads the admin panel shows. Other packages read these tables only here.

Writes are one statement each, a page's or a shard's worth of rows at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date, datetime
from typing import Any

from ..core.db import Database
from .lines import COLUMNS
from .production import PlanInput, PlanRow

# -- sales_items ----------------------------------------------------------------------------

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


# -- monthly demand -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandWindow:
    """The lines that count as demand: these order states, ordered in [since, until), of
    any product type but these."""

    states: Sequence[str]
    since: date
    until: date
    excluded_types: Sequence[str]

    def params(self) -> tuple[Any, ...]:
        return (list(self.states), self.since, self.until, list(self.excluded_types))


# A SKU's shard is `abs(hashtext(sku)::bigint) % shards` (cast first: abs of the int4
# minimum overflows).
_WINDOW = (
    "state = ANY(%s) AND date_order >= %s AND date_order < %s"
    " AND coalesce(product_type, '') <> ALL(%s)"
)
_IN_SHARD = "mod(abs(hashtext(sku)::bigint), %s) = %s"
# Built from the constants above only.
_COUNT_SKUS = f"SELECT count(DISTINCT sku) FROM sales_items WHERE {_WINDOW}"  # noqa: S608
_MONTHLY = (
    "SELECT sku, date_trunc('month', date_order AT TIME ZONE 'UTC')::date AS month,"  # noqa: S608
    f" sum(product_quantity)::float8 FROM sales_items WHERE {_WINDOW} AND {_IN_SHARD}"
    " GROUP BY 1, 2 ORDER BY 1, 2"
)
_PRODUCTS = (
    "SELECT DISTINCT ON (sku) sku, product_id, product_name FROM sales_items"  # noqa: S608
    f" WHERE {_WINDOW} AND {_IN_SHARD} ORDER BY sku, date_order DESC, line_id DESC"
)


def count_demand_skus(db: Database, window: DemandWindow) -> int:
    """SKUs with a line in `window`."""
    count: int = db.fetchval(_COUNT_SKUS, window.params())
    return count


def monthly_demand(
    db: Database, window: DemandWindow, shard: int, shards: int
) -> list[tuple[str, date, float]]:
    """(sku, first day of the month, quantity) of the shard's SKUs, by SKU then month
    (calendar months in UTC; months without a line are absent)."""
    return db.fetchall(_MONTHLY, (*window.params(), shards, shard))


def demand_products(
    db: Database, window: DemandWindow, shard: int, shards: int
) -> dict[str, tuple[int, str]]:
    """The product (id, name) of each of the shard's SKUs, from its latest line."""
    rows = db.fetchall(_PRODUCTS, (*window.params(), shards, shard))
    return {sku: (product_id, name) for sku, product_id, name in rows}


# -- forecast runs, shards and rows ---------------------------------------------------------


def find_forecast_run(db: Database, run_id: str) -> tuple[str, date, date, int, int] | None:
    """(run_id, start_month, target_month, shards, skus) of a recorded run, or None."""
    row: tuple[str, date, date, int, int] | None = db.fetchone(
        "SELECT run_id, start_month, target_month, shards, skus FROM forecast_runs"
        " WHERE run_id = %s",
        (run_id,),
    )
    return row


def insert_forecast_run(
    db: Database, run_id: str, start_month: date, target_month: date, shards: int, skus: int
) -> None:
    """Record a planned run (a run recorded already keeps its first plan)."""
    db.execute(
        "INSERT INTO forecast_runs (run_id, start_month, target_month, shards, skus)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (run_id) DO NOTHING",
        (run_id, start_month, target_month, shards, skus),
    )


def upsert_forecasts(db: Database, run_id: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Upsert forecast rows by (sku, forecast_date) in one statement. A row: sku,
    forecast_date, product_id, product_name, forecasted_quantity, lower_bound, upper_bound,
    model, demand_class, history_months, backtest_mae, backtest_mase."""
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    db.execute(
        "INSERT INTO forecast (sku, forecast_date, year, month, product_id, product_name,"
        " forecasted_quantity, lower_bound, upper_bound, model, demand_class, history_months,"
        " backtest_mae, backtest_mase, run_id)"
        " SELECT sku, d, extract(year FROM d), extract(month FROM d), product_id, product_name,"
        " q, lo, hi, model, demand_class, history_months, mae, mase, %s"
        " FROM unnest(%s::text[], %s::date[], %s::bigint[], %s::text[], %s::float8[],"
        " %s::float8[], %s::float8[], %s::text[], %s::text[], %s::int[], %s::float8[],"
        " %s::float8[]) AS t(sku, d, product_id, product_name, q, lo, hi, model, demand_class,"
        " history_months, mae, mase)"
        " ON CONFLICT (sku, forecast_date) DO UPDATE SET"
        " product_id = EXCLUDED.product_id, product_name = EXCLUDED.product_name,"
        " forecasted_quantity = EXCLUDED.forecasted_quantity,"
        " lower_bound = EXCLUDED.lower_bound, upper_bound = EXCLUDED.upper_bound,"
        " model = EXCLUDED.model, demand_class = EXCLUDED.demand_class,"
        " history_months = EXCLUDED.history_months, backtest_mae = EXCLUDED.backtest_mae,"
        " backtest_mase = EXCLUDED.backtest_mase, run_id = EXCLUDED.run_id,"
        " generated_at = now()",
        (run_id, *columns),
    )


def record_shard(
    db: Database, run_id: str, shard: int, skus: int, fallbacks: int, seconds: float
) -> None:
    """Record a shard as finished (again, when it is redelivered)."""
    db.execute(
        "INSERT INTO forecast_shards (run_id, shard, skus, fallbacks, seconds)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (run_id, shard) DO UPDATE SET"
        " skus = EXCLUDED.skus, fallbacks = EXCLUDED.fallbacks,"
        " seconds = EXCLUDED.seconds, finished_at = now()",
        (run_id, shard, skus, fallbacks, seconds),
    )


def awaits_plan(db: Database, run_id: str) -> bool:
    """Every shard of the run is stored and its production plan is not made yet."""
    return bool(
        db.fetchval(
            "SELECT r.planned_at IS NULL AND r.shards ="
            " (SELECT count(*) FROM forecast_shards s WHERE s.run_id = r.run_id)"
            " FROM forecast_runs r WHERE r.run_id = %s",
            (run_id,),
        )
    )


def mark_planned(db: Database, run_id: str) -> None:
    """Record that the run's production plan is made."""
    db.execute("UPDATE forecast_runs SET planned_at = now() WHERE run_id = %s", (run_id,))


def forecast_models(db: Database, run_id: str) -> list[tuple[str, int]]:
    """(model family, SKUs) of a run's forecasts, the most used first."""
    return db.fetchall(
        "SELECT split_part(model, ':', 1), count(DISTINCT sku) FROM forecast WHERE run_id = %s"
        " GROUP BY 1 ORDER BY 2 DESC",
        (run_id,),
    )


# -- production plan ------------------------------------------------------------------------


def load_plan_inputs(db: Database, run_id: str, month: date) -> list[PlanInput]:
    """The forecasts of run `run_id` for `month`."""
    return [
        PlanInput(*row)
        for row in db.fetchall(
            "SELECT sku, product_id, product_name, forecasted_quantity FROM forecast"
            " WHERE run_id = %s AND forecast_date = %s ORDER BY sku",
            (run_id, month),
        )
    ]


def store_plan(db: Database, run_id: str | None, month: date, rows: Sequence[PlanRow]) -> None:
    """Replace the plan of `month` with `rows` (one upsert, one delete of stale SKUs)."""
    with db.transaction():
        if rows:
            columns = list(zip(*[astuple(r) for r in rows], strict=True))
            db.execute(
                "INSERT INTO production_forecast (sku, year, month, product_id, product_name,"
                " forecast_quantity, stock_on_hand, incoming_manufacturing, incoming_purchases,"
                " production_needed, priority, explanation, run_id)"
                " SELECT sku, %s, %s, product_id, product_name, f, s, m, p, n, priority, e, %s"
                " FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::float8[], %s::float8[],"
                " %s::float8[], %s::float8[], %s::float8[], %s::text[], %s::text[])"
                " AS t(sku, product_id, product_name, f, s, m, p, n, priority, e)"
                " ON CONFLICT (sku, year, month) DO UPDATE SET"
                " product_id = EXCLUDED.product_id, product_name = EXCLUDED.product_name,"
                " forecast_quantity = EXCLUDED.forecast_quantity,"
                " stock_on_hand = EXCLUDED.stock_on_hand,"
                " incoming_manufacturing = EXCLUDED.incoming_manufacturing,"
                " incoming_purchases = EXCLUDED.incoming_purchases,"
                " production_needed = EXCLUDED.production_needed, priority = EXCLUDED.priority,"
                " explanation = EXCLUDED.explanation, run_id = EXCLUDED.run_id,"
                " computed_at = now()",
                (month.year, month.month, run_id, *[list(c) for c in columns]),
            )
        db.execute(
            "DELETE FROM production_forecast WHERE year = %s AND month = %s"
            " AND NOT (sku = ANY(%s::text[]))",
            (month.year, month.month, [r.sku for r in rows] or [""]),
        )


# -- the admin panel's reads ----------------------------------------------------------------


def tables_exist(db: Database, *tables: str) -> bool:
    """The sales migrations made these tables (the engine may not run on this database)."""
    sql = "SELECT bool_and(to_regclass(name) IS NOT NULL) FROM unnest(%s::text[]) AS name"
    return bool(db.fetchval(sql, (list(tables),)))


def latest_plan_month(db: Database) -> tuple[int, int] | None:
    """(year, month) of the latest production plan, or None before the first."""
    row: tuple[int, int] | None = db.fetchone(
        "SELECT year, month FROM production_forecast ORDER BY year DESC, month DESC LIMIT 1"
    )
    return row


def plan_items(
    db: Database, year: int, month: int, priorities: Sequence[str], limit: int
) -> list[dict[str, Any]]:
    """The plan rows of `year`-`month`, in `priorities` order, then largest need first."""
    return db.rows(
        "SELECT sku, product_name, forecast_quantity, stock_on_hand, incoming_manufacturing,"
        " incoming_purchases, production_needed, priority, explanation, computed_at"
        " FROM production_forecast WHERE year = %s AND month = %s"
        " ORDER BY array_position(%s::text[], priority), production_needed DESC, sku"
        " LIMIT %s",
        (year, month, list(priorities), limit),
    )


def sku_forecast_points(db: Database, sku: str) -> list[dict[str, Any]]:
    """A SKU's forecast months with their interval and model, oldest first."""
    return db.rows(
        "SELECT forecast_date, forecasted_quantity, lower_bound, upper_bound, model,"
        " demand_class, product_name, history_months, backtest_mase"
        " FROM forecast WHERE sku = %s ORDER BY forecast_date",
        (sku,),
    )


def sku_monthly_sales(db: Database, sku: str, before: date, months: int) -> list[tuple[date, Any]]:
    """(month, quantity) of a SKU's confirmed lines in the `months` months before `before`,
    a month without a line as 0."""
    return db.fetchall(
        "SELECT m::date, coalesce(sum(s.product_quantity), 0) FROM generate_series("
        " %s::date - make_interval(months => %s), %s::date - interval '1 month',"
        " interval '1 month') AS m"
        " LEFT JOIN sales_items s ON s.sku = %s AND s.state IN ('sale', 'done')"
        " AND date_trunc('month', s.date_order AT TIME ZONE 'UTC') = m"
        " GROUP BY m ORDER BY m",
        (before, months, before, sku),
    )
