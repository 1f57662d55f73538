"""Odoo records → the webhook payload of the seed ("Webhook Payload" and its mapping table).

Pure functions over Odoo-shaped dicts (as `read`/`search_read` return them): no I/O.
Many2one values are `[id, display_name]`; display names are never used as data, the
related record is read instead (state name, country code, product name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from typing import Any

from ..odoo.records import many2one

CONFIRMED = "order.confirmed"
CANCELLED = "order.cancelled"
PING = "ping"


@dataclass(frozen=True)
class Source:
    """Who sends: the tenant's ids in the picking app and its Odoo database."""

    connection_id: str
    store_id: str
    client_id: str
    odoo_db: str


@dataclass
class Related:
    """Records the orders point to, by id, read in batches."""

    lines: dict[int, dict[str, Any]] = field(default_factory=dict)
    partners: dict[int, dict[str, Any]] = field(default_factory=dict)
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    ptavs: dict[int, dict[str, Any]] = field(default_factory=dict)
    states: dict[int, dict[str, Any]] = field(default_factory=dict)
    countries: dict[int, dict[str, Any]] = field(default_factory=dict)


def external_id(odoo_db: str, order_id: int) -> str:
    """The seed's idempotency key: `odoo_{db}_{order_id}`."""
    return f"odoo_{odoo_db}_{order_id}"


def to_cents(amount: float | int | None) -> int:
    """Integer cents by decimal rounding, half away from zero: 29.95 → 2995 (not 2994)."""
    value = Decimal(str(amount or 0)) * 100
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def iso_utc(value: str | bool | None) -> str | None:
    """Odoo's naive UTC `YYYY-MM-DD HH:MM:SS` as ISO 8601 with `Z`."""
    if not value:
        return None
    moment = datetime.fromisoformat(str(value)).replace(microsecond=0)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


class _TextParser(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def note_text(value: str | bool | None) -> str | None:
    """Plain text of Odoo's Html note (`<p><br></p>` counts as empty)."""
    if not value:
        return None
    parser = _TextParser()
    parser.feed(str(value))
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(line for line in lines if line)
    return text or None


def _text(value: Any) -> str | None:
    # Odoo sends unset char fields as false
    return value if isinstance(value, str) and value != "" else None


def _phone(partner: dict[str, Any]) -> str | None:
    """Mobile first, else phone; `mobile` is absent in Odoo 19 (and SaaS 18.2+)."""
    return _text(partner.get("mobile")) or _text(partner.get("phone"))


def _quantity(value: float) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _variant_name(product: dict[str, Any], related: Related) -> str | None:
    parts = []
    for ptav_id in product.get("product_template_attribute_value_ids") or []:
        ptav = related.ptavs.get(ptav_id)
        if not ptav:
            continue
        # product.attribute has no display-name override: its display name is its name
        attribute = ptav.get("attribute_id")
        label = attribute[1] if isinstance(attribute, list | tuple) else None
        parts.append(f"{label}: {ptav['name']}" if label else str(ptav["name"]))
    return ", ".join(parts) or None


def _items(order: dict[str, Any], related: Related, odoo_db: str) -> list[dict[str, Any]]:
    items = []
    for line_id in order.get("order_line") or []:
        line = related.lines.get(line_id)
        if not line or line.get("display_type"):  # sections, notes, subsections
            continue
        product_id = many2one(line.get("product_id"))[0] or None
        quantity = line.get("product_uom_qty") or 0
        if product_id is None or quantity <= 0:
            continue
        product = related.products.get(product_id, {})
        line_name = (_text(line.get("name")) or "").split("\n", 1)[0] or None
        items.append(
            {
                "sku": _text(product.get("default_code")) or f"ODOO-{odoo_db}-{product_id}",
                "name": _text(product.get("name")) or line_name,
                "variant_name": _variant_name(product, related),
                "quantity": _quantity(quantity),
                "price_cents": to_cents(line.get("price_unit")),
            }
        )
    return items


def _address(
    partner: dict[str, Any], related: Related, fallback_phone: str | None
) -> dict[str, Any]:
    state = related.states.get(many2one(partner.get("state_id"))[0] or 0, {})
    country = related.countries.get(many2one(partner.get("country_id"))[0] or 0, {})
    return {
        "name": _text(partner.get("name")),
        "address1": _text(partner.get("street")),
        "address2": _text(partner.get("street2")),
        "city": _text(partner.get("city")),
        "province": _text(state.get("name")),
        "zip": _text(partner.get("zip")),
        "country": _text(country.get("code")),
        # a delivery address often has no phone of its own; the courier needs one
        "phone": _phone(partner) or fallback_phone,
    }


def order_payload(
    order: dict[str, Any], related: Related, source: Source, event: str = CONFIRMED
) -> dict[str, Any]:
    """The webhook payload of one sale.order (with its related records in `related`)."""
    customer = related.partners.get(many2one(order.get("partner_id"))[0] or 0, {})
    shipping = related.partners.get(many2one(order.get("partner_shipping_id"))[0] or 0, customer)
    client_ref = _text(order.get("client_order_ref"))
    count = customer.get("sale_order_count")
    return {
        "event": event,
        "external_id": external_id(source.odoo_db, order["id"]),
        "source": _source(source),
        "order": {
            "platform_order_id": str(order["id"]),
            "platform_order_number": _text(order.get("name")),
            "date_order": iso_utc(order.get("date_order")),
            "financial_status": "paid",
            "note": note_text(order.get("note")),
            "client_order_ref": client_ref,
            "amount_total": to_cents(order.get("amount_total")),
            "tags": [],
            "platform_attributes": {
                "odoo_state": order.get("state"),
                "client_order_ref": client_ref,
            },
        },
        "customer": {
            "name": _text(customer.get("name")),
            "phone": _phone(customer),
            "email": _text(customer.get("email")),
            "orders_count": count
            if isinstance(count, int) and not isinstance(count, bool)
            else None,
        },
        "shipping_address": _address(shipping, related, _phone(customer)),
        "items": _items(order, related, source.odoo_db),
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "platform": "ODOO",
        "connection_id": source.connection_id,
        "store_id": source.store_id,
        "client_id": source.client_id,
    }


def ping_payload(source: Source, now: datetime | None = None) -> dict[str, Any]:
    """The `ping` event `tenants test` sends: the source and when, no order."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0, tzinfo=None)
    return {"event": PING, "source": _source(source), "sent_at": moment.isoformat() + "Z"}


def encode(payload: dict[str, Any]) -> str:
    """The exact body sent (and signed): compact UTF-8 JSON in the payload's key order."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
