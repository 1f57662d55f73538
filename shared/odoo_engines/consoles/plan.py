"""Read-only views of the sales engine's tables for the admin panel: the production plan
of a month (`production_forecast`) and one SKU's monthly demand with its forecast
(`sales_items`, `forecast`). The sales engine writes them; nothing here does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.db import Database
from ..core.errors import NotFoundError

PLAN_LIMIT = 500
HISTORY_MONTHS = 24
PRIORITIES = ("ALTA", "MEDIA", "BAJA")


def _available(db: Database, *tables: str) -> bool:
    return all(db.fetchval("SELECT to_regclass(%s) IS NOT NULL", (t,)) for t in tables)


def production_plan(
    db: Database, year: int | None = None, month: int | None = None
) -> dict[str, Any]:
    """The plan of `year`-`month` (default: the latest planned month), highest priority
    and largest need first; NotFoundError when there is none yet."""
    if not _available(db, "production_forecast"):
        raise NotFoundError("no production plan: the sales engine has not run on this database")
    if year is None or month is None:
        latest = db.fetchone(
            "SELECT year, month FROM production_forecast ORDER BY year DESC, month DESC LIMIT 1"
        )
        if latest is None:
            raise NotFoundError("no production plan yet: run the sales forecast first")
        year, month = latest
    rows = db.rows(
        "SELECT sku, product_name, forecast_quantity, stock_on_hand, incoming_manufacturing,"
        " incoming_purchases, production_needed, priority, explanation, computed_at"
        " FROM production_forecast WHERE year = %s AND month = %s"
        " ORDER BY array_position(%s::text[], priority), production_needed DESC, sku"
        " LIMIT %s",
        (year, month, list(PRIORITIES), PLAN_LIMIT),
    )
    counts = {p: 0 for p in PRIORITIES}
    for row in rows:
        counts[row["priority"]] += 1
    return {
        "year": year,
        "month": month,
        "counts": counts,
        "items": [{**row, "computed_at": row["computed_at"].isoformat()} for row in rows],
    }


def sku_forecast(db: Database, sku: str) -> dict[str, Any]:
    """One SKU's confirmed monthly demand (the months before its forecast, 24 at most) and its
    forecast months with the 80% interval; NotFoundError for a SKU without a forecast."""
    if not _available(db, "forecast", "sales_items"):
        raise NotFoundError("no forecast: the sales engine has not run on this database")
    points = db.rows(
        "SELECT forecast_date, forecasted_quantity, lower_bound, upper_bound, model,"
        " demand_class, product_name, history_months, backtest_mase"
        " FROM forecast WHERE sku = %s ORDER BY forecast_date",
        (sku,),
    )
    if not points:
        raise NotFoundError(f"no forecast for SKU {sku!r}")
    head = points[0]
    first: date = head["forecast_date"]
    # the months the forecast learnt from (at most 24), months without a sale as 0
    months = max(1, min(head["history_months"], HISTORY_MONTHS))
    history = db.fetchall(
        "SELECT m::date, coalesce(sum(s.product_quantity), 0) FROM generate_series("
        " %s::date - make_interval(months => %s), %s::date - interval '1 month',"
        " interval '1 month') AS m"
        " LEFT JOIN sales_items s ON s.sku = %s AND s.state IN ('sale', 'done')"
        " AND date_trunc('month', s.date_order AT TIME ZONE 'UTC') = m"
        " GROUP BY m ORDER BY m",
        (first, months, first, sku),
    )
    return {
        "sku": sku,
        "product_name": head["product_name"],
        "model": head["model"],
        "demand_class": head["demand_class"],
        "backtest_mase": head["backtest_mase"],
        "history": [{"month": m.isoformat(), "quantity": float(q)} for m, q in history],
        "forecast": [
            {
                "month": p["forecast_date"].isoformat(),
                "quantity": p["forecasted_quantity"],
                "lower": p["lower_bound"],
                "upper": p["upper_bound"],
            }
            for p in points
        ],
    }
