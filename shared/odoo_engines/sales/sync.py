"""Sales sync: Odoo sale orders → `sales_items`, incremental, idempotent, resumable.

The keyset pager walks `sale.order` by (write_date, id): an order's write_date moves
when it is confirmed, cancelled, locked or when its lines change its amounts, so every
change a sales history cares about brings the order back. For each page:
- orders in a confirmed state (`sale`, 16's `done`): all their lines are read in one
  call and upserted by line id; lines the order no longer has are deleted;
- other orders (cancelled, back to quotation): their stored lines take the new state,
  so demand stops counting them, in one statement;
- the page's cursor is saved in the same transaction as its rows.
Odoo calls per page: the page, its lines, the products not seen yet (and once per run
the units): constant, whatever the page holds. A run stops between pages when its time
budget runs out; the next run (a continuation message) resumes from the saved cursor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.db import Database
from ..core.logging import get_logger
from ..core.runs import RunResult, TimeBudget, load_cursor, save_cursor
from ..odoo import OdooClient, many2one
from .lines import (
    CONFIRMED,
    LINE_FIELDS,
    ORDER_FIELDS,
    PRODUCT_FIELDS,
    is_locked,
    is_sale_line,
    item_row,
    line_uom,
    odoo_datetime,
)
from .store import remove_vanished_lines, set_order_states, upsert_items
from .units import Units

log = get_logger("sales-sync")
JOB = "sales-sync"
BUDGET_RESERVE_SECONDS = 30.0  # stop early enough to save and publish a continuation


@dataclass
class SalesSyncResult(RunResult):
    """A sync run: what it read from Odoo and changed in `sales_items`."""

    mode: str = "incremental"  # full | incremental (| forecast_only: no sync, a forecast asked)
    pages: int = 0
    orders: int = 0
    lines_inserted: int = 0
    lines_updated: int = 0
    lines_removed: int = 0
    lines_skipped: int = 0  # sections, notes, down payments
    lines_cancelled: int = 0
    state_changes: dict[str, int] = field(default_factory=dict)
    complete: bool = False
    odoo_calls: int = 0
    odoo_version: str | None = None


class _Products:
    """Products by id, read in one call per page for the ids not seen yet."""

    def __init__(self, client: OdooClient):
        self.client = client
        self.known: dict[int, dict[str, Any]] = {}

    def get(self, ids: set[int]) -> dict[int, dict[str, Any]]:
        missing = [i for i in ids if i not in self.known]
        if missing:
            for product in self.client.read("product.product", missing, PRODUCT_FIELDS):
                self.known[product["id"]] = product
        return self.known


def sync_sales(
    db: Database,
    client: OdooClient,
    *,
    full: bool = False,
    budget: TimeBudget | None = None,
    page_size: int | None = None,
    result: SalesSyncResult | None = None,
) -> SalesSyncResult:
    """Sync changed orders since the saved cursor (all of them when `full`), counting
    into `result`; out of time, `result.continued` (the cursor is saved)."""
    counts = result or SalesSyncResult(mode="full" if full else "incremental")
    cursor = None if full else load_cursor(db, JOB)
    products, units = _Products(client), Units(client)
    pages = client.pages("sale.order", [], ORDER_FIELDS, cursor=cursor, page_size=page_size)
    for page in pages:
        _store_page(db, client, page.records, page.cursor, products, units, counts)
        # Stop only past the saved cursor: a resumed run first re-reads an overlap window,
        # and a continuation that stopped inside it would never move on.
        moved = page.cursor != cursor
        if moved and budget is not None and budget.exhausted(BUDGET_RESERVE_SECONDS):
            log.info("sales_sync_budget_exhausted", pages=counts.pages)
            counts.continued = True
            return counts
    counts.complete = True
    return counts


def _store_page(
    db: Database,
    client: OdooClient,
    orders: list[dict[str, Any]],
    cursor: dict[str, Any],
    products: _Products,
    units: Units,
    counts: SalesSyncResult,
) -> None:
    confirmed = {o["id"]: o for o in orders if o.get("state") in CONFIRMED}
    others = [o for o in orders if o["id"] not in confirmed]
    lines = (
        client.search_read("sale.order.line", [["order_id", "in", list(confirmed)]], LINE_FIELDS)
        if confirmed
        else []
    )
    sale_lines = [line for line in lines if is_sale_line(line)]
    # is_sale_line keeps only lines with a product, so every id is set
    known = products.get({pid for line in sale_lines if (pid := many2one(line["product_id"])[0])})
    rows = []
    for line in sale_lines:
        product_id, product_name = many2one(line["product_id"])
        assert product_id is not None  # a sale line has a product
        product = known.get(product_id) or {"id": product_id, "name": product_name}
        quantity = units.convert(
            float(line.get("product_uom_qty") or 0.0),
            line_uom(line)[0],
            many2one(product.get("uom_id"))[0],
        )
        order = confirmed[many2one(line["order_id"])[0]]
        rows.append(item_row(line, order, product, quantity, client.db))
    with db.transaction():
        inserted, updated = upsert_items(db, rows)
        removed = remove_vanished_lines(db, list(confirmed), [row[0] for row in rows])
        changed = set_order_states(
            db,
            [
                (o["id"], o["state"], is_locked(o), odoo_datetime(o.get("write_date")))
                for o in others
            ],
        )
        save_cursor(db, JOB, "", cursor)
    counts.pages += 1
    counts.orders += len(orders)
    counts.lines_inserted += inserted
    counts.lines_updated += updated
    counts.lines_removed += removed
    counts.lines_skipped += len(lines) - len(sale_lines)
    for state, lines_changed in changed.items():
        counts.state_changes[state] = counts.state_changes.get(state, 0) + lines_changed
    counts.lines_cancelled = counts.state_changes.get("cancel", 0)
