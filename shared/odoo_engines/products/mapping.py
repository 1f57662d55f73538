"""Odoo product.product records → `products` rows (pure functions, no I/O).

Odoo's field set changes across versions (ODOO.md §5, §6.6): `detailed_type` (16/17)
became `type` + `is_storable` (18+); unset values come back as `false`; descriptions
are HTML. Everything here copes with each version's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core.db import text_hash
from ..odoo import many2one, plain_text, sku_for

# What we ask Odoo for; fields this version lacks are dropped by the client.
ODOO_FIELDS = [
    "default_code", "name", "description_sale", "description", "categ_id", "active",
    "lst_price", "list_price", "standard_price", "type", "detailed_type", "is_storable",
    "barcode", "weight", "volume", "sale_ok", "purchase_ok", "uom_id", "company_id",
    "qty_available", "product_tmpl_id", "write_date",
]  # fmt: skip

COLUMNS = [
    "odoo_id", "sku", "name", "description", "category_id", "category_name", "is_active",
    "list_price", "standard_price", "product_type", "barcode", "weight", "volume",
    "sale_ok", "purchase_ok", "uom_id", "uom_name", "company_id", "qty_available",
    "template_id", "odoo_write_date", "text_for_embedding", "text_hash",
]  # fmt: skip

MAX_EMBED_TEXT = 8000  # characters; beyond this the text adds little and costs tokens


def product_type(record: dict[str, Any]) -> str | None:
    """One vocabulary for every version: product (storable), consu, service, combo."""
    if record.get("detailed_type"):
        return str(record["detailed_type"])
    kind = record.get("type") or None
    if kind == "consu" and record.get("is_storable"):
        return "product"
    return kind


_TYPE_LABELS = {"product": "Storable product", "consu": "Consumable", "service": "Service",
                "combo": "Combo"}  # fmt: skip


def embedding_text(sku: str, name: str, description: str, category: str | None,
                   kind: str | None) -> str:  # fmt: skip
    """The seed's text: `SKU: … Name: … Description: … Category: … Type: …`."""
    parts = [f"SKU: {sku}", f"Name: {name}"]
    if description:
        parts.append(f"Description: {description}")
    if category:
        parts.append(f"Category: {category}")
    if kind:
        parts.append(f"Type: {_TYPE_LABELS.get(kind, kind)}")
    return ". ".join(parts)[:MAX_EMBED_TEXT]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _odoo_datetime(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    return datetime.fromisoformat(value[:19])


@dataclass(frozen=True)
class ProductRow:
    """One `products` row in COLUMNS order, plus what the sync reports on."""

    values: tuple[Any, ...]

    @property
    def odoo_id(self) -> int:
        odoo_id: int = self.values[0]
        return odoo_id

    @property
    def sku(self) -> str:
        sku: str = self.values[1]
        return sku


def to_row(record: dict[str, Any], odoo_db: str) -> ProductRow:
    """Map one product.product record (any version 16–19) to a row."""
    sku = sku_for(record, odoo_db)
    name = plain_text(record.get("name"))[:500] or sku
    description = plain_text(record.get("description_sale")) or plain_text(
        record.get("description")
    )
    category_id, category = many2one(record.get("categ_id"))
    uom_id, uom_name = many2one(record.get("uom_id"))
    company_id, _ = many2one(record.get("company_id"))
    template_id, _ = many2one(record.get("product_tmpl_id"))
    kind = product_type(record)
    text = embedding_text(sku, name, description, category, kind)
    price = record.get("lst_price", record.get("list_price"))
    return ProductRow(
        (
            int(record["id"]),
            sku,
            name,
            description or None,
            category_id,
            category[:255] if category else None,
            bool(record.get("active", True)),
            _number(price),
            _number(record.get("standard_price")),
            kind,
            plain_text(record.get("barcode"))[:100] or None,
            _number(record.get("weight")),
            _number(record.get("volume")),
            bool(record.get("sale_ok", True)),
            bool(record.get("purchase_ok", True)),
            uom_id,
            uom_name[:100] if uom_name else None,
            company_id,
            # None without Inventory: "not tracked", never "zero in stock"
            None if "qty_available" not in record else _number(record["qty_available"]),
            template_id,
            _odoo_datetime(record.get("write_date")),
            text,
            text_hash(text),
        )
    )
