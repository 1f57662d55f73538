"""SQL of the enrichment tables (`enriched_products`, `stock_alerts`), the panel's reads
included (which synced products have an enriched row). The synced catalogue is read
through the products engine's store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..core.db import Database
from ..products import store as products_store


def _json(value: dict[str, Any] | None) -> str | None:
    return json.dumps(value) if value is not None else None


def known_categories(db: Database, defaults: Sequence[str]) -> list[str]:
    """Odoo's category names as synced into `products`, else `defaults`."""
    return products_store.category_names(db) or list(defaults)


def insert_product(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    """Insert one enriched product (API origin); returns the stored row."""
    return db.rows(
        "INSERT INTO enriched_products (name, keywords, stock, low_stock, description,"
        " description_source, description_provenance, category, suggested_category,"
        " category_confidence, category_source, category_provenance, review_status)"
        " VALUES (%s, CAST(%s AS text[]), %s, %s, %s, 'ai', %s::jsonb, %s, %s, %s, 'ai',"
        " %s::jsonb, %s)"
        " RETURNING *",
        (
            values["name"],
            list(values["keywords"]),
            values["stock"],
            values["low_stock"],
            values["description"],
            _json(values["description_provenance"]),
            values["category"],
            values["suggested_category"],
            values["category_confidence"],
            _json(values["category_provenance"]),
            values["review_status"],
        ),
    )[0]


def get_product(db: Database, product_id: int, lock: bool = False) -> dict[str, Any] | None:
    """One product by id (row-locked inside a transaction when `lock`), or None."""
    sql = "SELECT * FROM enriched_products WHERE id = %s"
    rows = db.rows(sql + " FOR UPDATE" if lock else sql, (product_id,))
    return rows[0] if rows else None


def list_products(
    db: Database, limit: int, offset: int, review_status: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """A page of products, newest first, and the total count matching the filter."""
    total = db.fetchval(
        "SELECT count(*) FROM enriched_products WHERE %s::text IS NULL OR review_status = %s",
        (review_status, review_status),
    )
    rows = db.rows(
        "SELECT * FROM enriched_products WHERE %s::text IS NULL OR review_status = %s"
        " ORDER BY id DESC LIMIT %s OFFSET %s",
        (review_status, review_status, limit, offset),
    )
    return rows, total


def set_stock(db: Database, product_id: int, stock: int, low_stock: bool) -> dict[str, Any]:
    """Store a new stock level and the low-stock flag; returns the row."""
    return db.rows(
        "UPDATE enriched_products SET stock = %s, low_stock = %s, updated_at = now()"
        " WHERE id = %s RETURNING *",
        (stock, low_stock, product_id),
    )[0]


def set_human_description(db: Database, product_id: int, description: str) -> None:
    """A person's description: it is never overwritten by a batch run."""
    db.execute(
        "UPDATE enriched_products SET description = %s, description_source = 'human',"
        " description_provenance = NULL, updated_at = now() WHERE id = %s",
        (description, product_id),
    )


def set_human_category(db: Database, product_id: int, category: str) -> None:
    """A person files the product: the category is set and the review is done."""
    db.execute(
        "UPDATE enriched_products SET category = %s, category_source = 'human',"
        " review_status = 'filed', updated_at = now() WHERE id = %s",
        (category, product_id),
    )


def insert_alert(
    db: Database, product: dict[str, Any], threshold: int, message: str
) -> dict[str, Any]:
    """Store one low-stock alert for `product` at its current stock."""
    return db.rows(
        "INSERT INTO stock_alerts (product_id, product_name, current_stock, threshold,"
        " alert_message) VALUES (%s, %s, %s, %s, %s) RETURNING *",
        (product["id"], product["name"], product["stock"], threshold, message),
    )[0]


ALERT_STATUSES = ("all", "open", "acknowledged")


def list_alerts(
    db: Database, status: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of alerts (`open`, `acknowledged` or `all`), newest first, and their count."""
    total = db.fetchval(
        "SELECT count(*) FROM stock_alerts"
        " WHERE %s = 'all' OR (acknowledged_at IS NOT NULL) = (%s = 'acknowledged')",
        (status, status),
    )
    rows = db.rows(
        "SELECT * FROM stock_alerts"
        " WHERE %s = 'all' OR (acknowledged_at IS NOT NULL) = (%s = 'acknowledged')"
        " ORDER BY id DESC LIMIT %s OFFSET %s",
        (status, status, limit, offset),
    )
    return rows, total


def acknowledge_alert(db: Database, alert_id: int) -> dict[str, Any] | None:
    """Mark an alert acknowledged (once: a second call keeps the first time); None if unknown."""
    rows = db.rows(
        "UPDATE stock_alerts SET acknowledged_at = coalesce(acknowledged_at, now())"
        " WHERE id = %s RETURNING *",
        (alert_id,),
    )
    return rows[0] if rows else None


# -- the synced catalogue (origin `odoo`, keyed by the product.product id) --------------


def missing_descriptions(db: Database, limit: int | None) -> list[dict[str, Any]]:
    """Active catalogue products without a description, with their enrichment if any
    (description, description_source, input_hash, written_back_hash; None without one)."""
    products = products_store.without_description(db, limit)
    if not products:
        return []
    enriched = {
        row["odoo_id"]: row
        for row in db.rows(
            "SELECT odoo_id, description, description_source,"
            " description_provenance ->> 'input_hash' AS input_hash, written_back_hash"
            " FROM enriched_products WHERE odoo_id = ANY(%s::int[])",
            ([p["odoo_id"] for p in products],),
        )
    }
    empty = dict.fromkeys(("description", "description_source", "input_hash",
                           "written_back_hash"))  # fmt: skip
    return [{**empty, **enriched.get(p["odoo_id"], {}), **p} for p in products]


def save_description(
    db: Database, row: dict[str, Any], description: str, provenance: dict[str, Any]
) -> None:
    """Upsert the catalogue product's AI description, unless a person wrote one meanwhile."""
    db.execute(
        "INSERT INTO enriched_products (origin, odoo_id, sku, name, description,"
        " description_source, description_provenance, category, category_source)"
        " VALUES ('odoo', %s, %s, %s, %s, 'ai', %s::jsonb, %s, 'odoo')"
        " ON CONFLICT (odoo_id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name,"
        " description = EXCLUDED.description, description_source = 'ai',"
        " description_provenance = EXCLUDED.description_provenance,"
        " category = EXCLUDED.category, updated_at = now()"
        " WHERE enriched_products.description_source <> 'human'",
        (
            row["odoo_id"],
            row["sku"],
            row["name"],
            description,
            json.dumps(provenance),
            row["category_name"],
        ),
    )


def mark_written_back(db: Database, odoo_id: int, written_hash: str) -> None:
    """Record that the description of hash `written_hash` is now Odoo's."""
    db.execute(
        "UPDATE enriched_products SET written_back_hash = %s, written_back_at = now()"
        " WHERE odoo_id = %s",
        (written_hash, odoo_id),
    )


def enriched_ids(db: Database, odoo_ids: Sequence[int]) -> dict[int, int]:
    """The enriched product id of each synced product (by Odoo id) that has one."""
    return dict(
        db.fetchall(
            "SELECT odoo_id, id FROM enriched_products WHERE odoo_id = ANY(%s::int[])",
            (list(odoo_ids),),
        )
    )
