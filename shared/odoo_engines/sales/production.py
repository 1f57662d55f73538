"""The production plan: a month's forecast against stock and incoming supply, prioritised.

`production_needed = forecast − stock − incoming`, where stock is the on-hand quantity
in internal locations (`stock.quant`; `qty_available` when Odoo has no quants) and
incoming is what open manufacturing orders will make plus what confirmed purchases
still have to deliver (when those apps are installed). The priority comes from the
share of the month's forecast left uncovered:

- ALTA  when the gap is at least `high_gap` of the forecast (default 50%),
- MEDIA when it is at least `medium_gap` (default 20%),
- BAJA  otherwise, including everything already covered;
- ALTA  also when nothing is forecast but stock is below zero (orders are owed).

(`PRODUCTION_HIGH_GAP` and `PRODUCTION_MEDIUM_GAP` set the thresholds.) Each row carries
a sentence that says why, e.g. "ALTA: forecast 120, stock 20, nothing incoming; produce
100 (83% of the month uncovered)".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.db import Database
from ..odoo import OdooClient, many2one
from ..products.store import quantities
from .settings import SalesSettings
from .units import Units

ALTA, MEDIA, BAJA = "ALTA", "MEDIA", "BAJA"
# Incoming supply: model → (open states, quantity ordered, quantity already delivered).
INCOMING = {
    "mrp.production": (["confirmed", "progress", "to_close"], "product_qty", "qty_produced"),
    # a locked purchase (`done`) may still await receipts
    "purchase.order.line": (["purchase", "done"], "product_qty", "qty_received"),
}
STOCK_MODELS = ["stock.quant", *INCOMING]


@dataclass(frozen=True)
class PlanInput:
    """A SKU's forecast for the plan month."""

    sku: str
    product_id: int
    product_name: str
    forecast: float


@dataclass(frozen=True)
class Supply:
    """On-hand stock and incoming quantities per product id, in the product's unit."""

    stock: dict[int, float]
    manufacturing: dict[int, float]
    purchases: dict[int, float]
    stock_source: str  # "stock.quant", "qty_available", "products" (the last sync) or "none"


@dataclass(frozen=True)
class PlanRow:
    """One SKU of the production plan."""

    sku: str
    product_id: int
    product_name: str
    forecast: float
    stock: float
    manufacturing: float
    purchases: float
    needed: float
    priority: str
    explanation: str


def synced_supply(db: Database, product_ids: Sequence[int]) -> Supply:
    """Without Odoo: the stock the last product sync stored, nothing counted as incoming."""
    stock = quantities(db, sorted(set(product_ids)))
    return Supply(stock, {}, {}, "products" if stock else "none")


def read_supply(client: OdooClient, product_ids: Sequence[int]) -> Supply:
    """Stock in internal locations and open supply of `product_ids` (a few Odoo calls)."""
    ids = sorted(set(product_ids))
    if not ids:
        return Supply({}, {}, {}, "none")
    # Not `ir.model`: reading it takes admin rights an integration user should not have.
    installed = {model for model in STOCK_MODELS if client.installed(model)}
    product_fields = ["uom_id"] + ([] if "stock.quant" in installed else ["qty_available"])
    products = {p["id"]: p for p in client.read("product.product", ids, product_fields)}
    unit_of = {pid: many2one(p.get("uom_id"))[0] for pid, p in products.items()}
    units = Units(client)
    if "stock.quant" in installed:
        stock = _sum(
            client.search_read(
                "stock.quant",
                [["product_id", "in", ids], ["location_id.usage", "=", "internal"]],
                ["product_id", "quantity"],
            ),
            lambda q: q.get("quantity") or 0.0,
        )
        source = "stock.quant"
    elif "qty_available" in client.fields("product.product"):
        stock = {pid: float(p.get("qty_available") or 0.0) for pid, p in products.items()}
        source = "qty_available"
    else:
        stock, source = {}, "none"
    incoming: dict[str, dict[int, float]] = {}
    for model, (states, ordered, done) in INCOMING.items():
        if model not in installed:
            incoming[model] = {}
            continue
        records = client.search_read(
            model,
            [["product_id", "in", ids], ["state", "in", states]],
            ["product_id", ordered, done, "product_uom", "product_uom_id"],
        )
        incoming[model] = _sum(
            records,
            lambda r, ordered=ordered, done=done: units.convert(
                max((r.get(ordered) or 0.0) - (r.get(done) or 0.0), 0.0),
                many2one(r.get("product_uom_id") or r.get("product_uom"))[0],
                unit_of.get(many2one(r["product_id"])[0]),
            ),
        )
    return Supply(stock, incoming["mrp.production"], incoming["purchase.order.line"], source)


def _sum(records: list[dict[str, Any]], quantity: Callable[..., float]) -> dict[int, float]:
    totals: dict[int, float] = defaultdict(float)
    for record in records:
        product_id = many2one(record.get("product_id"))[0]
        if product_id is not None:
            totals[product_id] += float(quantity(record))
    return dict(totals)


def priority_for(forecast: float, needed: float, settings: SalesSettings) -> str:
    """ALTA / MEDIA / BAJA from the uncovered share of the month's forecast."""
    if needed <= 0:
        return BAJA
    if forecast <= 0:  # nothing to sell, yet stock is below zero: orders are owed
        return ALTA
    share = needed / forecast
    if share >= settings.high_gap:
        return ALTA
    if share >= settings.medium_gap:
        return MEDIA
    return BAJA


def plan_rows(
    inputs: Sequence[PlanInput], supply: Supply, settings: SalesSettings
) -> list[PlanRow]:
    """The plan rows, largest need first."""
    rows = []
    for item in inputs:
        stock = supply.stock.get(item.product_id, 0.0)
        made = supply.manufacturing.get(item.product_id, 0.0)
        bought = supply.purchases.get(item.product_id, 0.0)
        needed = item.forecast - stock - made - bought
        priority = priority_for(item.forecast, needed, settings)
        rows.append(
            PlanRow(
                item.sku,
                item.product_id,
                item.product_name,
                item.forecast,
                stock,
                made,
                bought,
                needed,
                priority,
                explain(priority, item.forecast, stock, made, bought, needed, supply.stock_source),
            )
        )
    rows.sort(key=lambda r: (-r.needed, r.sku))
    return rows


def explain(
    priority: str,
    forecast: float,
    stock: float,
    manufacturing: float,
    purchases: float,
    needed: float,
    stock_source: str = "stock.quant",
) -> str:
    """The sentence behind a priority, e.g. "ALTA: forecast 120, stock 20, nothing incoming; …"."""
    stock_text = "no stock data in Odoo" if stock_source == "none" else f"stock {qty(stock)}"
    if stock_source == "products":
        stock_text += " (last product sync; Odoo not read)"
    incoming = manufacturing + purchases
    if incoming <= 0:
        incoming_text = "nothing incoming"
    else:
        parts = [
            f"{qty(manufacturing)} in manufacturing" if manufacturing > 0 else "",
            f"{qty(purchases)} purchased" if purchases > 0 else "",
        ]
        incoming_text = f"incoming {qty(incoming)} ({', '.join(p for p in parts if p)})"
    head = f"{priority}: forecast {qty(forecast)}, {stock_text}, {incoming_text}"
    if needed <= 0:
        return f"{head}; covered, {qty(-needed)} to spare"
    if forecast <= 0:
        return f"{head}; produce {qty(needed)} (stock is below zero)"
    return f"{head}; produce {qty(needed)} ({needed / forecast:.0%} of the month uncovered)"


def qty(value: float) -> str:
    """A quantity for people: whole above ten, one decimal below."""
    if abs(value) >= 10 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.1f}"
