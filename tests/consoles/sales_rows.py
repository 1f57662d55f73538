"""Rows of the sales engine's tables (migrations 0200-0202) for the panel's plan and chart tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

START = date(2026, 7, 1)  # first forecast month; history is the 12 months before


def add_plan(db) -> None:
    """A plan for July 2026 of three SKUs, a year of sales and a 6-month forecast each."""
    plan = [
        ("MESA-01", "Mesa de roble", 120.0, 20.0, 0.0, 100.0, "ALTA"),
        ("SILLA-02", "Silla tapizada", 80.0, 50.0, 0.0, 30.0, "MEDIA"),
        ("LAMP-03", "Lámpara <b>de pie</b>", 10.0, 40.0, 5.0, -35.0, "BAJA"),
    ]
    line = 0
    for pid, (sku, name, fc, stock, incoming, need, priority) in enumerate(plan, start=1):
        db.execute(
            "INSERT INTO production_forecast (sku, year, month, product_id, product_name,"
            " forecast_quantity, stock_on_hand, incoming_manufacturing, production_needed,"
            " priority, explanation) VALUES (%s, 2026, 7, %s, %s, %s, %s, %s, %s, %s, %s)",
            (sku, pid, name, fc, stock, incoming, need, priority,
             f"{priority}: forecast {fc:g}, stock {stock:g}"),
        )  # fmt: skip
        for m in range(6):
            month = date(2026 + (6 + m) // 12, (6 + m) % 12 + 1, 1)
            db.execute(
                "INSERT INTO forecast (sku, forecast_date, year, month, product_id, product_name,"
                " forecasted_quantity, lower_bound, upper_bound, model, demand_class,"
                " history_months, run_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
                " 'theta', 'smooth', 12, 'run-1')",
                (sku, month, month.year, month.month, pid, name, fc, fc * 0.7, fc * 1.3),
            )
        for m in range(12):  # one confirmed line a month (none in the 4th), one cancelled
            if m == 3:
                continue
            month = date(2025 + (6 + m) // 12, (6 + m) % 12 + 1, 15)
            for state, qty in (("sale", 10.0 + m), ("cancel", 99.0)):
                line += 1
                db.execute(
                    "INSERT INTO sales_items (line_id, order_id, order_name, date_order,"
                    " product_id, sku, product_name, quantity, product_quantity, unit_price,"
                    " subtotal, state) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 1, 1, %s)",
                    (line, line, f"S{line:05d}",
                     datetime(month.year, month.month, 15, tzinfo=UTC),
                     pid, sku, name, qty, qty, state),
                )  # fmt: skip
