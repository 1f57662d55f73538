"""Rows of the sales engine's tables for the panel's plan and chart tests.

STAND-IN until the sales engine (branch sales-forecast, migrations 0200-0202) is on
main: `ensure_tables` creates the three tables with the columns and constraints of
those migrations, `IF NOT EXISTS`, so it does nothing once the real migrations ran.
Delete `ensure_tables` (and its DDL) when they have landed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

DDL = """
CREATE TABLE IF NOT EXISTS sales_items (
    line_id bigint PRIMARY KEY, order_id bigint NOT NULL, order_name text NOT NULL,
    date_order timestamptz NOT NULL, customer_id bigint, customer_name text,
    product_id bigint NOT NULL, sku text NOT NULL, product_name text NOT NULL,
    product_type text, quantity numeric NOT NULL, uom text, product_quantity numeric NOT NULL,
    unit_price numeric NOT NULL, discount numeric NOT NULL DEFAULT 0, subtotal numeric NOT NULL,
    currency text, company_id bigint, company_name text, state text NOT NULL,
    locked boolean NOT NULL DEFAULT false, write_date timestamptz,
    synced_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS forecast (
    sku text NOT NULL, forecast_date date NOT NULL, year smallint NOT NULL,
    month smallint NOT NULL CHECK (month BETWEEN 1 AND 12), product_id bigint,
    product_name text, forecasted_quantity double precision NOT NULL,
    lower_bound double precision NOT NULL, upper_bound double precision NOT NULL,
    model text NOT NULL, demand_class text NOT NULL, history_months integer NOT NULL,
    backtest_mae double precision, backtest_mase double precision, run_id text NOT NULL,
    generated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (sku, forecast_date));
CREATE TABLE IF NOT EXISTS production_forecast (
    sku text NOT NULL, year smallint NOT NULL, month smallint NOT NULL, product_id bigint,
    product_name text, forecast_quantity double precision NOT NULL,
    stock_on_hand double precision NOT NULL,
    incoming_manufacturing double precision NOT NULL DEFAULT 0,
    incoming_purchases double precision NOT NULL DEFAULT 0,
    production_needed double precision NOT NULL,
    priority text NOT NULL CHECK (priority IN ('ALTA', 'MEDIA', 'BAJA')),
    explanation text NOT NULL, run_id text, computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, year, month));
"""

START = date(2026, 7, 1)  # first forecast month; history is the 12 months before


def ensure_tables(db) -> None:
    db.execute(DDL)


def add_plan(db) -> None:
    """A plan for July 2026 of three SKUs, a year of sales and a 6-month forecast each."""
    ensure_tables(db)
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
