"""Odoo sale orders and lines (16–19) → `sales_items` rows.

Version drift handled here: 16 marks a locked order `state='done'`, 17+ keep
`state='sale'` with `locked=True`; the line's unit is `product_uom` before 19 and
`product_uom_id` from 19. Fields a version lacks are dropped by the client
(`existing_fields`), so both names can be asked for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

# `sku_for` is the product engine's rule too: a SKU here is the SKU of the `products` table.
from ..odoo import many2one, sku_for

CONFIRMED = ("sale", "done")
ORDER_FIELDS = ["name", "state", "locked", "date_order", "partner_id", "currency_id", "company_id"]
LINE_FIELDS = [
    "order_id", "product_id", "display_type", "is_downpayment", "product_uom_qty",
    "product_uom", "product_uom_id", "price_unit", "discount", "price_subtotal", "product_type",
]  # fmt: skip
PRODUCT_FIELDS = ["default_code", "name", "uom_id"]

COLUMNS = (
    "line_id", "order_id", "order_name", "date_order", "customer_id", "customer_name",
    "product_id", "sku", "product_name", "product_type", "quantity", "uom", "product_quantity",
    "unit_price", "discount", "subtotal", "currency", "company_id", "company_name", "state",
    "locked", "write_date",
)  # fmt: skip


def odoo_datetime(value: Any) -> datetime | None:
    """Odoo's naive UTC `YYYY-MM-DD HH:MM:SS` → an aware UTC datetime."""
    if not value:
        return None
    return datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def is_sale_line(line: dict[str, Any]) -> bool:
    """A product line: not a section, note or subsection, not a down payment."""
    return (
        bool(line.get("product_id"))
        and not line.get("display_type")
        and not line.get("is_downpayment")
    )


def line_uom(line: dict[str, Any]) -> tuple[int | None, str | None]:
    """The line's unit, whichever field name this version uses."""
    return many2one(line.get("product_uom_id") or line.get("product_uom"))


def is_locked(order: dict[str, Any]) -> bool:
    """16: state `done`; 17+: the `locked` flag."""
    return order.get("state") == "done" or bool(order.get("locked"))


def item_row(
    line: dict[str, Any],
    order: dict[str, Any],
    product: dict[str, Any],
    product_quantity: float,
    odoo_db: str,
) -> tuple[Any, ...]:
    """The `sales_items` row (in `COLUMNS` order) of one product line."""
    customer_id, customer_name = many2one(order.get("partner_id"))
    _, currency = many2one(order.get("currency_id") or line.get("currency_id"))
    company_id, company_name = many2one(order.get("company_id"))
    _, uom = line_uom(line)
    return (
        line["id"],
        order["id"],
        order.get("name") or str(order["id"]),
        odoo_datetime(order.get("date_order")),
        customer_id,
        customer_name,
        product["id"],
        sku_for(product, odoo_db),
        product.get("name") or many2one(line.get("product_id"))[1] or str(product["id"]),
        line.get("product_type") or None,
        float(line.get("product_uom_qty") or 0.0),
        uom,
        float(product_quantity),
        float(line.get("price_unit") or 0.0),
        float(line.get("discount") or 0.0),
        float(line.get("price_subtotal") or 0.0),
        currency,
        company_id,
        company_name,
        order.get("state") or "sale",
        is_locked(order),
        odoo_datetime(order.get("write_date")),
    )
