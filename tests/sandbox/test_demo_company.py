"""The demo company is deterministic and has what the engines need to meet in real data."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

import pytest

from odoo_engines_tools.sandbox.odoo import Database, DemoSpec
from odoo_engines_tools.sandbox.odoo.demo_company import ean13, populate, rut

FIXED = DemoSpec(start=date(2023, 1, 1), now=datetime(2026, 1, 15, 12, 0, 0))
EVERYTHING = {"active_test": False}


@pytest.fixture(scope="module")
def company() -> dict[str, Database]:
    """The default demo company in 16.0 and 17.0 (generated once for this module)."""
    dbs = {}
    for version in ("16.0", "17.0"):
        dbs[version] = Database(f"demo_{version}", version)
        populate(dbs[version], FIXED, seed=42)
    return dbs


def test_same_spec_and_seed_give_the_same_rows():
    first, second, other = Database("a", "17.0"), Database("b", "17.0"), Database("c", "17.0")
    populate(first, DemoSpec(products=40, months=3, now=FIXED.now), seed=5)
    populate(second, DemoSpec(products=40, months=3, now=FIXED.now), seed=5)
    populate(other, DemoSpec(products=40, months=3, now=FIXED.now), seed=6)
    for model in ("product.product", "res.partner", "sale.order.line", "stock.quant"):
        assert first.tables[model] == second.tables[model]
    assert first.tables["product.product"] != other.tables["product.product"]


def test_sizes_follow_the_spec():
    db = Database("sizes", "18.0")
    populate(
        db,
        DemoSpec(products=333, categories=30, partners=25, months=4, orders_per_month=10),
        seed=1,
    )
    assert len(db.tables["product.product"]) == 333
    assert len(db.tables["product.category"]) == 30
    assert db.search_count("res.partner", [("customer_rank", ">", 0)], context=EVERYTHING) == 25
    assert 4 * 10 * 0.6 < len(db.tables["sale.order"]) < 4 * 10 * 1.6


def test_catalogue_has_variants_missing_and_shared_codes_archives_and_barcodes(company):
    db = company["17.0"]
    rows = db.search_read(
        "product.product",
        [],
        ["default_code", "barcode", "active", "weight", "product_template_attribute_value_ids"],
        context=EVERYTHING,
    )
    codes = Counter(r["default_code"] for r in rows if r["default_code"])
    assert any(not r["default_code"] for r in rows)
    assert any(n > 1 for n in codes.values())
    assert any(not r["active"] for r in rows)
    barcodes = [r["barcode"] for r in rows if r["barcode"]]
    assert barcodes and all(b.startswith("780") and ean13(b[:12]) == b for b in barcodes)
    assert any(r["product_template_attribute_value_ids"] for r in rows)
    names = {
        r["display_name"]
        for r in db.search_read("product.template.attribute.value", [], ["display_name"])
    }
    assert "Tamaño: 500 ml" in names or "Tamaño: 1 L" in names
    assert (
        db.search_count(
            "product.template", [("categ_id.complete_name", "=like", "All / Ventas / %")]
        )
        > 0
    )


def test_partners_live_in_chile_and_beyond(company):
    db = company["17.0"]
    partners = db.search_read(
        "res.partner",
        [("customer_rank", ">", 0)],
        ["country_code", "state_id", "mobile", "vat", "street"],
    )
    assert Counter(p["country_code"] for p in partners).most_common(1)[0][0] == "CL"
    assert any(p["country_code"] != "CL" for p in partners)
    assert any(p["mobile"] for p in partners) and any(not p["mobile"] for p in partners)
    chilean = [p for p in partners if p["country_code"] == "CL"]
    assert all(p["state_id"][1].endswith("(CL)") and p["street"] for p in chilean)
    assert rut(76086428) == "76.086.428-5"


def test_sale_orders_span_the_months_with_states_per_version(company):
    for version, locked_domain in (
        ("16.0", [("state", "=", "done")]),
        ("17.0", [("locked", "=", True)]),
    ):
        db = company[version]
        dates = [o["date_order"] for o in db.search_read("sale.order", [], ["date_order"])]
        assert min(dates) >= "2023-01-01" and max(dates) < "2026-01-01"
        states = Counter(o["state"] for o in db.search_read("sale.order", [], ["state"]))
        assert states["sale"] > states["cancel"] > 0 and states["draft"] > 0
        assert db.search_count("sale.order", locked_domain) > 0


def test_order_amounts_are_the_sum_of_their_lines(company):
    db = company["17.0"]
    lines = db.search_read(
        "sale.order.line", [], ["order_id", "price_subtotal", "price_total", "display_type"]
    )
    by_order = defaultdict(lambda: [0.0, 0.0])
    for line in lines:
        by_order[line["order_id"][0]][0] += line["price_subtotal"]
        by_order[line["order_id"][0]][1] += line["price_total"]
    for order in db.search_read("sale.order", [], ["amount_untaxed", "amount_total"]):
        assert [order["amount_untaxed"], order["amount_total"]] == by_order[order["id"]]
    kinds = Counter(line["display_type"] for line in lines)
    assert kinds["line_section"] > 0 and kinds["line_note"] > 0


def test_demand_has_regular_and_intermittent_skus(company):
    db = company["17.0"]
    lines = db.search_read(
        "sale.order.line",
        [("product_id", "!=", False), ("state", "=", "sale")],
        ["product_id", "order_id"],
    )
    month_of = {
        o["id"]: o["date_order"][:7] for o in db.search_read("sale.order", [], ["date_order"])
    }
    months_sold = defaultdict(set)
    for line in lines:
        months_sold[line["product_id"][0]].add(month_of[line["order_id"][0]])
    spread = sorted(len(m) for m in months_sold.values())
    assert spread[-1] >= 24  # best sellers sell nearly every month of 36
    assert sum(1 for n in spread if n <= 6) >= len(spread) // 5  # a share of SKUs sell rarely


def test_stock_purchases_and_manufacturing(company):
    db = company["17.0"]
    usages = Counter(
        q["location_id"][1] for q in db.search_read("stock.quant", [], ["location_id"])
    )
    assert usages["WH/Stock"] > 0 and any(
        name.startswith("Partners/") or "transit" in name for name in usages
    )
    assert db.search_count("purchase.order.line", [("order_id.state", "=", "purchase")]) > 0
    assert db.search_count("mrp.production", [("state", "in", ["confirmed", "progress"])]) > 0
    product = db.search_read(
        "product.product", [("qty_available", ">", 0)], ["qty_available"], limit=1
    )
    assert product and product[0]["qty_available"] > 0
