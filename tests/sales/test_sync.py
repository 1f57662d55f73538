"""Sales sync against the sandbox Odoo over HTTP and the embedded PostgreSQL: idempotent
runs, cancellations after a sync, sections and notes, versions 16 to 19, units, locks."""

import pytest

from odoo_engines.core.runs import TimeBudget, load_cursor
from odoo_engines.sales.run import run_sales_sync
from odoo_engines.sales.sync import JOB, sync_sales

from .conftest import client_for

SNAPSHOT = (
    "SELECT line_id, order_id, date_order, product_id, sku, product_quantity, subtotal, state,"
    " locked FROM sales_items ORDER BY line_id"
)


def confirmed_lines(odoo_db) -> list[dict]:
    """Product lines of confirmed orders, read straight from the sandbox's ORM."""
    confirmed = [["state", "in", ["sale", "done"]]]
    orders = {o["id"] for o in odoo_db.search_read("sale.order", confirmed, ["id"])}
    lines = odoo_db.search_read(
        "sale.order.line", [["order_id", "in", sorted(orders)]], ["product_id", "display_type"]
    )
    return [line for line in lines if line["product_id"] and not line["display_type"]]


def test_a_repeated_sync_stores_each_line_once(db, odoo_db):
    client = client_for(odoo_db, page_size=40)
    first = sync_sales(db, client)
    assert first.complete and first.pages > 1
    assert first.lines_inserted == len(confirmed_lines(odoo_db)) > 0
    snapshot = db.fetchall(SNAPSHOT)

    again = sync_sales(db, client)  # incremental: only the overlap window is re-read
    full = sync_sales(db, client, full=True)  # FORCE_FULL_SYNC: every order again
    assert (again.lines_inserted, again.lines_updated) == (0, 0)
    assert (full.lines_inserted, full.lines_updated) == (0, 0)
    assert full.orders == first.orders
    assert db.fetchall(SNAPSHOT) == snapshot


def test_odoo_calls_per_page_stay_constant(db, odoo_db):
    client = client_for(odoo_db, page_size=25)
    client.fields("sale.order")  # metadata calls are made once per run, not per page
    client.fields("sale.order.line")
    client.fields("product.product")
    client.fields("uom.uom")
    before = client.calls
    counts = sync_sales(db, client)
    # per page: the orders (sometimes the pager's look at one second), their lines and the
    # products not seen yet; once per run: the units of measure
    assert (client.calls - before - 1) / counts.pages <= 3


def test_an_order_cancelled_after_the_sync_marks_its_lines_cancelled(db, odoo_db):
    client = client_for(odoo_db)
    sync_sales(db, client)
    order_id, lines = db.fetchone(
        "SELECT order_id, count(*) FROM sales_items WHERE state = 'sale'"
        " GROUP BY order_id ORDER BY count(*) DESC, order_id LIMIT 1"
    )
    client.execute("sale.order", "action_cancel", [order_id])

    counts = sync_sales(db, client)
    assert counts.state_changes["cancel"] == lines
    states = db.fetchall("SELECT DISTINCT state FROM sales_items WHERE order_id = %s", (order_id,))
    assert states == [("cancel",)]
    # back to quotation and confirmed again: counted again, once
    client.execute("sale.order", "action_draft", [order_id])
    client.execute("sale.order", "action_confirm", [order_id])
    sync_sales(db, client)
    assert db.fetchall(
        "SELECT state, count(*) FROM sales_items WHERE order_id = %s GROUP BY state", (order_id,)
    ) == [("sale", lines)]


def test_sections_notes_and_down_payments_are_not_sales(db, odoo_db):
    client = client_for(odoo_db)
    partner = odoo_db.search_read("res.partner", [["customer_rank", ">", 0]], ["id"])[0]["id"]
    product = odoo_db.search_read("product.product", [["sale_ok", "=", True]], ["id"])[0]["id"]
    order = client.execute("sale.order", "create", {"partner_id": partner})
    for vals in (
        {"display_type": "line_section", "name": "Temporada de invierno"},
        {"product_id": product, "product_uom_qty": 3, "price_unit": 1000},
        {"display_type": "line_note", "name": "Despachar en la mañana"},
        {"product_id": product, "product_uom_qty": 1, "price_unit": -500, "is_downpayment": True},
    ):
        client.execute("sale.order.line", "create", {"order_id": order, "name": "x", **vals})
    client.execute("sale.order", "action_confirm", [order])

    counts = sync_sales(db, client)
    rows = db.rows("SELECT product_id, quantity FROM sales_items WHERE order_id = %s", (order,))
    assert rows == [{"product_id": product, "quantity": 3}]
    assert counts.lines_skipped >= 3


def test_lines_removed_from_a_confirmed_order_are_removed(db, odoo_db):
    client = client_for(odoo_db)
    sync_sales(db, client)
    line_id = db.fetchval(
        "SELECT min(line_id) FROM sales_items GROUP BY order_id HAVING count(*) > 1"
        " ORDER BY order_id LIMIT 1"
    )
    client.execute("sale.order.line", "unlink", [line_id])
    counts = sync_sales(db, client)
    assert counts.lines_removed == 1
    assert db.fetchval("SELECT count(*) FROM sales_items WHERE line_id = %s", (line_id,)) == 0


@pytest.mark.parametrize(
    ("odoo_db", "locked_state"),
    [("16.0", "done"), ("17.0", "sale"), ("19.0", "sale")],
    indirect=["odoo_db"],
)
def test_locked_orders_across_versions(db, odoo_db, locked_state):
    client = client_for(odoo_db)
    assert sync_sales(db, client).complete
    by_state = dict(
        ((state, locked), count)
        for state, locked, count in db.fetchall(
            "SELECT state, locked, count(*) FROM sales_items GROUP BY 1, 2"
        )
    )
    # 16 locks with state `done`, 17+ with the `locked` flag: both are confirmed and locked
    assert by_state.get((locked_state, True), 0) > 0
    assert set(by_state) <= {("sale", False), (locked_state, True)}
    assert db.fetchval("SELECT count(*) FROM sales_items WHERE uom IS NULL") == 0


@pytest.mark.parametrize("odoo_db", ["19.0"], indirect=True)
def test_a_line_sold_by_the_dozen_counts_twelve_units(db, odoo_db):
    client = client_for(odoo_db)
    dozen = odoo_db.search_read("uom.uom", [["name", "=", "Docena"]], ["id"])[0]["id"]
    partner = odoo_db.search_read("res.partner", [["customer_rank", ">", 0]], ["id"])[0]["id"]
    product = odoo_db.search_read("product.product", [["sale_ok", "=", True]], ["id"])[0]["id"]
    order = client.execute("sale.order", "create", {"partner_id": partner})
    client.execute(
        "sale.order.line",
        "create",
        {"order_id": order, "product_id": product, "product_uom_qty": 2, "product_uom_id": dozen},
    )
    client.execute("sale.order", "action_confirm", [order])
    sync_sales(db, client)
    row = db.rows(
        "SELECT quantity, uom, product_quantity FROM sales_items WHERE order_id = %s", (order,)
    )
    assert row == [{"quantity": 2, "uom": "Docena", "product_quantity": 24}]


def test_a_sync_that_runs_out_of_time_resumes_from_its_cursor(db, odoo_db):
    client = client_for(odoo_db, page_size=30)
    partial = sync_sales(db, client, budget=TimeBudget(0.001))
    assert not partial.complete and partial.pages == 1
    assert load_cursor(db, JOB) is not None
    rest = sync_sales(db, client)
    assert rest.complete
    assert partial.lines_inserted + rest.lines_inserted == len(confirmed_lines(odoo_db))


def test_a_second_sync_waits_for_the_advisory_lock(db, odoo_db, settings):
    from odoo_engines.core.db import connect

    other = connect(settings)
    try:
        with other.advisory_lock(JOB) as got:
            assert got
            result = run_sales_sync(db, lambda: client_for(odoo_db), full=False)
    finally:
        other.close()
    assert result.success and result.skipped and not result.continued
    assert db.fetchval("SELECT count(*) FROM sales_items") == 0
    # a run skipped for the lock is not recorded (core.runs.recorded_run)
    assert db.fetchval("SELECT count(*) FROM runs WHERE job = %s", (JOB,)) == 0
