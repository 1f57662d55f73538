"""Read-only views of the sales engine's tables for the admin panel: the production plan
of a month (`production_forecast`) and one SKU's monthly demand with its forecast
(`sales_items`, `forecast`). The sales engine writes them and its store reads them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.db import Database
from ..core.errors import NotFoundError
from ..sales.store import (
    latest_plan_month,
    plan_items,
    sku_forecast_points,
    sku_monthly_sales,
    tables_exist,
)

PLAN_LIMIT = 500
HISTORY_MONTHS = 24
PRIORITIES = ("ALTA", "MEDIA", "BAJA")


def production_plan(
    db: Database, year: int | None = None, month: int | None = None
) -> dict[str, Any]:
    """The plan of `year`-`month` (default: the latest planned month), highest priority
    and largest need first; NotFoundError when there is none yet."""
    if not tables_exist(db, "production_forecast"):
        raise NotFoundError("no production plan: the sales engine has not run on this database")
    if year is None or month is None:
        latest = latest_plan_month(db)
        if latest is None:
            raise NotFoundError("no production plan yet: run the sales forecast first")
        year, month = latest
    rows = plan_items(db, year, month, PRIORITIES, PLAN_LIMIT)
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
    if not tables_exist(db, "forecast", "sales_items"):
        raise NotFoundError("no forecast: the sales engine has not run on this database")
    points = sku_forecast_points(db, sku)
    if not points:
        raise NotFoundError(f"no forecast for SKU {sku!r}")
    head = points[0]
    first: date = head["forecast_date"]
    # the months the forecast learnt from (at most 24), months without a sale as 0
    months = max(1, min(head["history_months"], HISTORY_MONTHS))
    history = sku_monthly_sales(db, sku, first, months)
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
