"""The production plan: supply read from the sandbox Odoo, priorities from configurable
thresholds, a sentence for each, and the report files planners open."""

import csv

import pytest
from click.testing import CliRunner

from odoo_engines.core.errors import ConfigError
from odoo_engines.sales.production import (
    PlanInput,
    Supply,
    explain,
    plan_rows,
    priority_for,
    read_supply,
)
from odoo_engines.sales.settings import SalesSettings, load_sales_settings
from odoo_engines_tools.cli import cli

from .conftest import client_for

DEFAULTS = SalesSettings()


def test_priorities_follow_the_uncovered_share_of_the_month():
    assert priority_for(120, 100, DEFAULTS) == "ALTA"  # 83% uncovered
    assert priority_for(100, 50, DEFAULTS) == "ALTA"  # exactly the high threshold
    assert priority_for(100, 30, DEFAULTS) == "MEDIA"
    assert priority_for(100, 19, DEFAULTS) == "BAJA"
    assert priority_for(100, -40, DEFAULTS) == "BAJA"  # covered with stock to spare
    assert priority_for(0, 0, DEFAULTS) == "BAJA"
    assert priority_for(0, 5, DEFAULTS) == "ALTA"  # negative stock: orders are owed
    strict = SalesSettings(high_gap=0.9, medium_gap=0.1)
    assert priority_for(120, 100, strict) == "MEDIA"
    assert priority_for(100, 12, strict) == "MEDIA"


def test_thresholds_come_from_the_environment_and_are_checked():
    settings = load_sales_settings({"PRODUCTION_HIGH_GAP": "0.7", "PRODUCTION_MEDIUM_GAP": "0.3"})
    assert (settings.high_gap, settings.medium_gap) == (0.7, 0.3)
    with pytest.raises(ConfigError, match="PRODUCTION_MEDIUM_GAP"):
        load_sales_settings({"PRODUCTION_HIGH_GAP": "0.2", "PRODUCTION_MEDIUM_GAP": "0.5"})


def test_each_priority_says_why():
    assert explain("ALTA", 120, 20, 0, 0, 100) == (
        "ALTA: forecast 120, stock 20, nothing incoming; produce 100 (83% of the month uncovered)"
    )
    assert explain("MEDIA", 120, 50, 30, 10, 30) == (
        "MEDIA: forecast 120, stock 50, incoming 40 (30 in manufacturing, 10 purchased);"
        " produce 30 (25% of the month uncovered)"
    )
    assert explain("BAJA", 4.5, 10, 0, 0, -5.5) == (
        "BAJA: forecast 4.5, stock 10, nothing incoming; covered, 5.5 to spare"
    )
    assert explain("ALTA", 0, -5, 0, 0, 5) == (
        "ALTA: forecast 0, stock -5, nothing incoming; produce 5 (stock is below zero)"
    )


def test_plan_rows_subtract_stock_and_incoming_supply_largest_need_first():
    inputs = [
        PlanInput("A", 1, "Aceite", 120.0),
        PlanInput("B", 2, "Miel", 100.0),
        PlanInput("C", 3, "Jabón", 10.0),
    ]
    supply = Supply({1: 20.0, 2: 40.0, 3: 50.0}, {2: 20.0}, {2: 10.0}, "stock.quant")
    rows = plan_rows(inputs, supply, DEFAULTS)
    assert [(r.sku, r.needed, r.priority) for r in rows] == [
        ("A", 100.0, "ALTA"),
        ("B", 30.0, "MEDIA"),
        ("C", -40.0, "BAJA"),
    ]
    assert rows[1].explanation.startswith("MEDIA: forecast 100, stock 40, incoming 30")


def test_supply_counts_internal_stock_open_manufacturing_and_pending_purchases(odoo_db):
    product = odoo_db.search_read("product.product", [["sale_ok", "=", True]], ["id", "uom_id"])[0]
    pid = product["id"]
    locations = {
        row["usage"]: row["id"]
        for row in odoo_db.search_read("stock.location", [], ["usage"], order="id desc")
    }
    for model in ("stock.quant", "mrp.production", "purchase.order.line"):
        existing = odoo_db.search_read(model, [["product_id", "=", pid]], ["id"])
        odoo_db.unlink(model, [r["id"] for r in existing])
    odoo_db.create(
        "stock.quant", {"product_id": pid, "location_id": locations["internal"], "quantity": 30}
    )
    odoo_db.create(
        "stock.quant", {"product_id": pid, "location_id": locations["customer"], "quantity": 900}
    )
    company = 1
    for state, qty in (("confirmed", 12), ("done", 500), ("cancel", 70)):
        odoo_db.create(
            "mrp.production",
            {"product_id": pid, "product_qty": qty, "state": state, "company_id": company,
             "date_start": "2026-01-01 00:00:00"},
        )  # fmt: skip
    vendor = odoo_db.search_read("res.partner", [["supplier_rank", ">", 0]], ["id"])[0]["id"]
    for state, ordered, received in (("purchase", 10, 4), ("draft", 99, 0)):
        order = odoo_db.create(
            "purchase.order",
            {"partner_id": vendor, "state": state, "company_id": company,
             "date_order": "2026-01-01 00:00:00"},
        )  # fmt: skip
        odoo_db.create(
            "purchase.order.line",
            {"order_id": order, "product_id": pid, "name": "x", "product_qty": ordered,
             "qty_received": received},
        )  # fmt: skip
    supply = read_supply(client_for(odoo_db), [pid])
    assert supply.stock_source == "stock.quant"
    assert supply.stock[pid] == 30  # the customer location's quant is not ours
    assert supply.manufacturing[pid] == 12  # done and cancelled orders supply nothing more
    assert supply.purchases[pid] == 6  # ordered 10, received 4; drafts are not orders


def test_report_mode_writes_csv_charts_and_an_index(db, odoo_env, base_env, tmp_path):
    env = {**base_env, **odoo_env}
    runner = CliRunner()
    synced = runner.invoke(cli, ["sync", "sales"], env=env)
    assert synced.exit_code == 0, synced.output
    assert "incremental sync" in synced.output
    out = tmp_path / "report"
    result = runner.invoke(
        cli, ["forecast", "--mode", "report", "--out", str(out), "--top", "4"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "priority" in result.output  # the table of top needs

    charts = sorted((out / "charts").glob("*.png"))
    assert len(charts) == 4
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts)
    index = (out / "index.html").read_text()
    assert all(f"charts/{p.name}" in index for p in charts)
    with (out / "forecast.csv").open() as handle:
        forecast = list(csv.DictReader(handle))
    skus = {row["sku"] for row in forecast}
    assert len(forecast) == 12 * len(skus)
    with (out / "production_plan.csv").open() as handle:
        plan = list(csv.DictReader(handle))
    assert {row["sku"] for row in plan} == skus
    assert all(row["priority"] in ("ALTA", "MEDIA", "BAJA") and row["explanation"] for row in plan)
    # report mode only reads the database
    assert db.fetchval("SELECT count(*) FROM forecast") == 0


def test_report_mode_writes_where_the_seed_did_and_works_without_odoo(
    db, odoo_env, base_env, tmp_path, monkeypatch
):
    """`data/forecasts/` by default; with Odoo down, stock from the last product sync."""
    env = {**base_env, **odoo_env}
    runner = CliRunner()
    assert runner.invoke(cli, ["sync", "sales"], env=env).exit_code == 0
    sku, product_id = db.fetchall("SELECT sku, product_id FROM sales_items LIMIT 1")[0]
    db.execute(
        "INSERT INTO products (odoo_id, sku, name, qty_available) VALUES (%s, %s, 'x', 7)",
        (product_id, sku),
    )
    monkeypatch.chdir(tmp_path)
    down = {**env, "ODOO_PROD_URL": "http://127.0.0.1:9"}  # nothing listens there
    result = runner.invoke(cli, ["forecast", "--mode", "report", "--top", "2"], env=down)
    assert result.exit_code == 0, result.output
    assert "Odoo not reachable" in result.stderr
    with (tmp_path / "data" / "forecasts" / "production_plan.csv").open() as handle:
        plan = {row["sku"]: row for row in csv.DictReader(handle)}
    assert "stock 7 (last product sync; Odoo not read)" in plan[sku]["explanation"]
