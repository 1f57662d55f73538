"""What the API does: create an enriched product, record sales and their low-stock
alerts, let a person edit what the AI wrote.

A product is saved only once the LLM has written both its description and its
category: an LLM failure raises before anything is written. Stock changes and their
alert commit in one transaction on the locked row, so two concurrent sales crossing the
threshold still make one alert.
"""

from __future__ import annotations

from typing import Any

from ..core.db import Database
from ..core.errors import NotFoundError
from ..core.logging import get_logger
from ..core.settings import EnrichmentSettings
from ..core.triggers import HttpError
from . import store
from .validation import Edit, NewProduct, Sale
from .writer import Enrichment, ProductWriter

log = get_logger("enrichment")


def alert_message(name: str, stock: int, threshold: int) -> str:
    """The alert's text, as the seed's `alert_message`."""
    return f"⚠ Low stock: {name} has {stock} left (threshold {threshold})"


def create_product(
    db: Database, writer: ProductWriter, settings: EnrichmentSettings, new: NewProduct
) -> dict[str, Any]:
    """Describe and file `new` with the LLM, then save it; returns the row and any alert."""
    categories = store.known_categories(db, settings.default_categories)
    return save_product(db, settings, new, writer.enrich(new.name, new.keywords, categories))


def save_product(
    db: Database, settings: EnrichmentSettings, new: NewProduct, enrichment: Enrichment
) -> dict[str, Any]:
    """Store a product the LLM has described and filed; alerts if it starts below the
    threshold. Below the review threshold the category is only suggested."""
    choice = enrichment.category
    filed = choice.category is not None and choice.confidence >= settings.review_threshold
    low = new.stock < settings.low_stock_threshold
    with db.transaction():
        product = store.insert_product(
            db,
            {
                "name": new.name,
                "keywords": new.keywords,
                "stock": new.stock,
                "low_stock": low,
                "description": enrichment.description.text,
                "description_provenance": enrichment.description.provenance,
                "category": choice.category if filed else None,
                "suggested_category": choice.category,
                "category_confidence": choice.confidence,
                "category_provenance": choice.provenance,
                "review_status": "filed" if filed else "needs_review",
            },
        )
        alert = _alert(db, settings, product) if low else None
    provenance = enrichment.description.provenance
    log.info(
        "product_created",
        product_id=product["id"],
        name=product["name"],
        category=choice.category,
        category_confidence=round(choice.confidence, 3),
        review_status=product["review_status"],
        ia_generation_time=enrichment.seconds,
        provider=provenance["provider"],
        model=provenance["model"],
    )
    return {"product": product, "alert": alert}


def record_sale(
    db: Database, settings: EnrichmentSettings, product_id: int, sale: Sale
) -> dict[str, Any]:
    """Apply a sale (new stock level or quantity sold); alerts once per threshold crossing."""
    threshold = settings.low_stock_threshold
    with db.transaction():
        product = store.get_product(db, product_id, lock=True)
        if product is None:
            raise NotFoundError(f"no product with id {product_id}")
        if sale.new_stock is not None:
            new_stock = sale.new_stock
        else:
            if product["stock"] is None:
                raise HttpError(409, "this product's stock is not tracked here; send new_stock")
            new_stock = product["stock"] - sale.quantity
            if new_stock < 0:
                raise HttpError(
                    409,
                    f"cannot sell {sale.quantity}: only {product['stock']} in stock",
                    stock=product["stock"],
                )
        low = new_stock < threshold
        was_low = product["low_stock"]
        product = store.set_stock(db, product_id, new_stock, low)
        alert = _alert(db, settings, product) if low and not was_low else None
    if was_low and not low:
        log.info("stock_recovered", product_id=product_id, stock=new_stock, threshold=threshold)
    return {"product": product, "updated_stock": new_stock, "alert": alert}


def _alert(db: Database, settings: EnrichmentSettings, product: dict[str, Any]) -> dict[str, Any]:
    threshold = settings.low_stock_threshold
    alert = store.insert_alert(
        db, product, threshold, alert_message(product["name"], product["stock"], threshold)
    )
    log.warning(
        "stock_low",
        product_id=product["id"],
        stock=product["stock"],
        threshold=threshold,
        alert_id=alert["id"],
    )
    return alert


def edit_product(
    db: Database, settings: EnrichmentSettings, product_id: int, edit: Edit
) -> dict[str, Any]:
    """A person's edit: the description becomes theirs, a category files the product."""
    if edit.category is not None:
        categories = store.known_categories(db, settings.default_categories)
        if edit.category not in categories:
            raise HttpError(
                422, f"category: {edit.category!r} is not a known category", field="category"
            )
    with db.transaction():
        if store.get_product(db, product_id, lock=True) is None:
            raise NotFoundError(f"no product with id {product_id}")
        if edit.description is not None:
            store.set_human_description(db, product_id, edit.description)
        if edit.category is not None:
            store.set_human_category(db, product_id, edit.category)
        product = store.get_product(db, product_id)
    assert product is not None  # locked above, so still there
    log.info(
        "product_edited",
        product_id=product_id,
        description=edit.description is not None,
        category=edit.category,
    )
    return product


def acknowledge(db: Database, alert_id: int) -> dict[str, Any]:
    """Acknowledge an alert (repeatable); NotFoundError for an unknown id."""
    alert = store.acknowledge_alert(db, alert_id)
    if alert is None:
        raise NotFoundError(f"no alert with id {alert_id}")
    log.info("alert_acknowledged", alert_id=alert_id, product_id=alert["product_id"])
    return alert
