"""Monthly demand per SKU from `sales_items`: confirmed lines only, calendar months in UTC.

A SKU's history runs from its first month with a sale (at most `MAX_HISTORY_MONTHS`
back) to the month before the forecast starts, months without sales counting as zero.
Shards split SKUs by a hash of the SKU, so a SKU added while a run is under way cannot
shift the others between shards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..core.db import Database
from .store import DemandWindow, count_demand_skus, demand_products, monthly_demand

MAX_HISTORY_MONTHS = 60
CONFIRMED_STATES = ["sale", "done"]
NOT_DEMAND_TYPES = ["service", "combo"]  # nothing to produce; combos sell their items as lines


@dataclass(frozen=True)
class SkuHistory:
    """One SKU's monthly demand, oldest month first, and the product it belongs to."""

    sku: str
    product_id: int
    product_name: str
    first_month: date
    quantities: np.ndarray


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return date(day.year, day.month, 1)


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Whole months from `first` to `last` (both first days of a month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def parse_month(text: str) -> date:
    """`YYYY-MM` → the first day of that month; ValueError otherwise."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValueError(f"month must look like YYYY-MM, got {text!r}") from None


def demand_window(start: date) -> DemandWindow:
    """The confirmed demand lines of the history window before `start`."""
    return DemandWindow(
        CONFIRMED_STATES, add_months(start, -MAX_HISTORY_MONTHS), start, NOT_DEMAND_TYPES
    )


def count_skus(db: Database, start: date) -> int:
    """SKUs with a confirmed sale in the history window before `start`."""
    return count_demand_skus(db, demand_window(start))


def load_histories(db: Database, start: date, shard: int = 0, shards: int = 1) -> list[SkuHistory]:
    """Monthly demand of the SKUs of shard `shard` of `shards`, sorted by SKU."""
    window = demand_window(start)
    monthly = monthly_demand(db, window, shard, shards)
    products = demand_products(db, window, shard, shards)
    histories: list[SkuHistory] = []
    rows_by_sku: dict[str, list[tuple[date, float]]] = {}
    for sku, month, quantity in monthly:
        rows_by_sku.setdefault(sku, []).append((month, quantity))
    for sku, rows in rows_by_sku.items():
        first = rows[0][0]
        values = np.zeros(months_between(first, start))
        for month, quantity in rows:
            values[months_between(first, month)] = quantity
        product_id, name = products[sku]
        histories.append(SkuHistory(sku, product_id, name, first, values))
    return histories
