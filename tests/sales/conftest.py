"""Sales tests: a client for the sandbox Odoo database, histories written into sales_items."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from odoo_engines.core.publish import local_publisher
from odoo_engines.odoo import OdooClient
from odoo_engines.sales.history import add_months
from odoo_engines.sales.lines import COLUMNS
from odoo_engines.sales.store import upsert_items

_line_ids = itertools.count(1)


def client_for(odoo_db, page_size: int = 500) -> OdooClient:
    """A logged-in client to one sandbox database."""
    return OdooClient(
        odoo_db.url, odoo_db.name, odoo_db.login, odoo_db.api_key, page_size=page_size
    ).login()


@pytest.fixture(autouse=True)
def empty_local_queue() -> Iterator[None]:
    """Messages published by one test never reach the next one."""
    publisher = local_publisher()
    publisher.queue.clear()
    publisher.history.clear()
    yield
    publisher.queue.clear()


def write_history(
    db,
    sku: str,
    monthly: list[float],
    first_month: date,
    *,
    product_id: int | None = None,
    state: str = "sale",
    product_type: str = "product",
) -> None:
    """One confirmed line per month with sales, as the sync would store them."""
    product_id = product_id or zlib.crc32(sku.encode()) % 100_000
    rows = []
    for offset, quantity in enumerate(monthly):
        if not quantity:
            continue
        month = add_months(first_month, offset)
        line_id = next(_line_ids)
        values = {
            "line_id": line_id,
            "order_id": line_id,
            "order_name": f"S{line_id:05d}",
            "date_order": datetime(month.year, month.month, 15, 12, tzinfo=UTC),
            "customer_id": 1,
            "customer_name": "Cliente",
            "product_id": product_id,
            "sku": sku,
            "product_name": f"Product {sku}",
            "product_type": product_type,
            "quantity": quantity,
            "uom": "Unidades",
            "product_quantity": quantity,
            "unit_price": 1000.0,
            "discount": 0.0,
            "subtotal": 1000.0 * quantity,
            "currency": "CLP",
            "company_id": 1,
            "company_name": "Naturaleza Andina SpA",
            "state": state,
            "locked": False,
            "write_date": datetime(month.year, month.month, 16, tzinfo=UTC),
        }
        rows.append(tuple(values[c] for c in COLUMNS))
    upsert_items(db, rows)
