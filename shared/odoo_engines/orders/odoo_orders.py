"""Reading a tenant's orders from Odoo: confirmed and cancelled sale.order, paged by
(write_date, id), and their related records in one batch per model and page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .payload import Related

if TYPE_CHECKING:
    from ..odoo import OdooClient, Page

ORDER_FIELDS = [
    "name",
    "state",
    "date_order",
    "write_date",
    "partner_id",
    "partner_shipping_id",
    "order_line",
    "note",
    "amount_total",
    "client_order_ref",
]
LINE_FIELDS = ["product_id", "name", "product_uom_qty", "price_unit", "display_type"]
# `mobile` is gone in 19; `sale_order_count` needs the salesman group in 18+
PARTNER_FIELDS = [
    "name",
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "city",
    "state_id",
    "zip",
    "country_id",
    "sale_order_count",
]
PRODUCT_FIELDS = ["default_code", "name", "barcode", "product_template_attribute_value_ids"]
PTAV_FIELDS = ["name", "attribute_id"]


def confirmed_states(major: int) -> tuple[str, ...]:
    """16 has `done` (locked) beside `sale`; 17+ keeps `sale` and a `locked` flag."""
    return ("sale", "done") if major < 17 else ("sale",)


def _ids(values: Iterable[Any]) -> list[int]:
    seen: dict[int, None] = {}
    for value in values:
        if isinstance(value, list | tuple) and value:
            value = value[0]
        if isinstance(value, int) and not isinstance(value, bool) and value:
            seen[value] = None
    return list(seen)


class OrderReader:
    """Orders of one Odoo database through the shared client (`odoo_engines.odoo`)."""

    def __init__(self, client: OdooClient) -> None:
        self.client = client
        self.confirmed = confirmed_states(client.version.major)
        self.partner_fields = client.existing_fields("res.partner", PARTNER_FIELDS)

    def pages(
        self, cursor: dict[str, Any] | None, page_size: int, since: datetime | None = None
    ) -> Iterator[Page]:
        """Pages of confirmed and cancelled orders changed since `cursor` (keyset); with
        `since`, only orders confirmed at or after it (Odoo sets date_order on confirming)."""
        domain = [["state", "in", [*self.confirmed, "cancel"]]]
        if since is not None:
            domain.append(["date_order", ">=", since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")])
        return self.client.pages(
            "sale.order", domain, ORDER_FIELDS, cursor=cursor, page_size=page_size
        )

    def related(self, orders: list[dict[str, Any]]) -> Related:
        """Lines, partners, products, attribute values, states and countries: one read each."""
        related = Related()
        read = self._read
        line_ids = _ids(i for o in orders for i in o.get("order_line") or [])
        related.lines = _by_id(read("sale.order.line", line_ids, LINE_FIELDS))
        partner_ids = _ids(
            v for o in orders for v in (o.get("partner_id"), o.get("partner_shipping_id"))
        )
        related.partners = _by_id(read("res.partner", partner_ids, self.partner_fields))
        product_ids = _ids(line.get("product_id") for line in related.lines.values())
        related.products = _by_id(read("product.product", product_ids, PRODUCT_FIELDS))
        ptav_ids = _ids(
            i
            for p in related.products.values()
            for i in p.get("product_template_attribute_value_ids") or []
        )
        related.ptavs = _by_id(read("product.template.attribute.value", ptav_ids, PTAV_FIELDS))
        partners = related.partners.values()
        related.states = _by_id(
            read("res.country.state", _ids(p.get("state_id") for p in partners), ["name"])
        )
        related.countries = _by_id(
            read("res.country", _ids(p.get("country_id") for p in partners), ["code"])
        )
        return related

    def _read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        return self.client.read(model, ids, fields) if ids else []


def _by_id(records: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in records}
