"""Orders in a sandbox Odoo database, for the tests and the benchmark."""

from __future__ import annotations

from odoo_engines_tools.sandbox.odoo import DemoSpec, business

# products and customers, no orders: each test places the orders it needs
EMPTY_SHOP = DemoSpec(products=24, partners=8, months=0)


def place_orders(odoo_db, count: int, lines: int = 2) -> list[int]:
    """`count` confirmed orders, written in one Odoo transaction (so one write_date)."""
    partners = [
        p["id"] for p in odoo_db.search_read("res.partner", [["type", "=", "contact"]], ["id"])
    ]
    products = [
        p["id"] for p in odoo_db.search_read("product.product", [["sale_ok", "=", True]], ["id"])
    ]
    ids = []
    with odoo_db.transaction():
        for n in range(count):
            order_lines = [
                (0, 0, {"product_id": products[(n + k) % len(products)], "product_uom_qty": k + 1})
                for k in range(lines)
            ]
            ids.append(
                odoo_db.create(
                    "sale.order",
                    {"partner_id": partners[n % len(partners)], "order_line": order_lines},
                )
            )
        business.action_confirm(odoo_db, ids)
    return ids
