"""The sales sync, the production plan's inputs and the forecast against each backend, as
the least-privilege integration user."""

from __future__ import annotations

from datetime import datetime, timedelta

from click.testing import CliRunner

from odoo_engines.sales.production import read_supply
from odoo_engines_tools.cli import cli


def _run(backend, base_env, *args):
    result = CliRunner().invoke(cli, list(args), env={**base_env, **backend.env()})
    assert result.exit_code == 0, result.output
    return result.output


def _lines(db, order_id):
    return {
        r["product_id"]: (float(r["quantity"]), r["state"])
        for r in db.rows(
            "SELECT product_id, quantity, state FROM sales_items WHERE order_id = %s", (order_id,)
        )
    }


def test_sales_sync_follows_edits_and_cancellations(backend, base_env, db, unique):
    shop = backend.shop
    chair = shop.product(f"Chair {unique}", f"SCH-{unique}")
    table = shop.product(f"Table {unique}", f"STB-{unique}")
    customer = shop.customer(f"Customer {unique}")
    kept = shop.order(customer, [(chair, 2), (table, 1)])
    cancelled = shop.order(customer, [(chair, 5)])
    draft = shop.order(customer, [(table, 7)], confirm=False)
    _run(backend, base_env, "sync", "sales")
    assert _lines(db, kept) == {chair: (2.0, "sale"), table: (1.0, "sale")}
    assert _lines(db, cancelled) == {chair: (5.0, "sale")}
    assert _lines(db, draft) == {}  # quotations are not sales
    shop.set_quantity(kept, chair, 3)
    shop.cancel(cancelled)
    _run(backend, base_env, "sync", "sales")
    assert _lines(db, kept) == {chair: (3.0, "sale"), table: (1.0, "sale")}
    assert _lines(db, cancelled) == {chair: (5.0, "cancel")}


def test_production_plan_inputs_are_readable_by_the_integration_user(backend, unique):
    """Stock in internal locations, confirmed purchases not yet received, open
    manufacturing: all read without admin rights (no `ir.model`)."""
    shop = backend.shop
    pid = shop.product(f"Cabinet {unique}", f"CAB-{unique}")
    part = shop.product(f"Hinge {unique}", f"HNG-{unique}")
    shop.set_stock(pid, 30)
    vendor = shop.customer(f"Vendor {unique}")
    purchase = shop.execute("purchase.order", "create", {
        "partner_id": vendor,
        "order_line": [(0, 0, {"product_id": pid, "product_qty": 10})],
    })  # fmt: skip
    shop.execute("purchase.order", "button_confirm", [purchase])
    bom = shop.execute("mrp.bom", "create", {
        "product_tmpl_id": shop.template_of(pid), "product_qty": 1.0,
        "bom_line_ids": [(0, 0, {"product_id": part, "product_qty": 4})],
    })  # fmt: skip
    production = shop.execute("mrp.production", "create",
                              {"product_id": pid, "product_qty": 4, "bom_id": bom})  # fmt: skip
    shop.execute("mrp.production", "action_confirm", [production])
    with backend.client() as client:
        supply = read_supply(client, [pid])
    assert supply.stock_source == "stock.quant"
    assert supply.stock[pid] == 30
    assert supply.purchases[pid] == 10
    assert supply.manufacturing[pid] == 4


def test_forecast_and_plan_run_as_the_integration_user(backend, base_env, db, unique):
    shop = backend.shop
    pid = shop.product(f"Stool {unique}", f"STL-{unique}")
    shop.set_stock(pid, 3)
    customer = shop.customer(f"Buyer {unique}")
    now = datetime.now().replace(day=10, hour=9, minute=0, second=0, microsecond=0)
    for month in range(1, 15):
        shop.order(customer, [(pid, 10 + month % 3)], when=now - timedelta(days=31 * month))
    _run(backend, base_env, "sync", "sales")
    output = _run(backend, base_env, "forecast")
    assert "priority" in output
    row = db.rows(
        "SELECT stock_on_hand, forecast_quantity, priority FROM production_forecast"
        " WHERE product_id = %s", (pid,)
    )  # fmt: skip
    assert row and row[0]["stock_on_hand"] == 3 and row[0]["forecast_quantity"] > 0


def test_a_sales_only_database_syncs_sales_and_plans(sales_backend, base_env, db, unique):
    """No Inventory, Purchase or Manufacturing: no stock, nothing incoming, still a plan."""
    shop = sales_backend.shop
    pid = shop.product(f"Service kit {unique}", f"SVK-{unique}")
    customer = shop.customer(f"Client {unique}")
    order = shop.order(customer, [(pid, 4)])
    _run(sales_backend, base_env, "sync", "sales")
    assert _lines(db, order) == {pid: (4.0, "sale")}
    with sales_backend.client() as client:
        supply = read_supply(client, [pid])
    assert supply.stock_source == "none"
    assert supply.manufacturing == supply.purchases == {}
