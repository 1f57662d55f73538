"""The enrichment engine's work: what the API does (create an enriched product, record
sales and their low-stock alerts, let a person edit what the AI wrote) and describing
Odoo's synced catalogue (`odoo-engines enrich --missing`).

A product is saved only once the LLM has written both its description and its
category: an LLM failure raises before anything is written. Stock changes and their
alert commit in one transaction on the locked row, so two concurrent sales crossing the
threshold still make one alert.

The catalogue: products in the products engine's table whose description is empty. Each
description is stored in `enriched_products` (origin `odoo`, keyed by the product.product
id) as soon as it is written, so an interrupted run keeps its work and a rerun calls the
LLM only for products whose input changed. A description a person edited is never
replaced. With write-back, the text goes to Odoo's `description_sale` only where Odoo's
is still empty (the next product sync then reads it back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.db import Database, text_hash
from ..core.errors import (
    ConflictError,
    InvalidValueError,
    NotFoundError,
    PermanentError,
    TransientError,
)
from ..core.logging import get_logger
from . import store
from .settings import EnrichmentSettings
from .validation import Edit, NewProduct, Sale
from .writer import Enrichment, ProductWriter

if TYPE_CHECKING:
    from ..odoo import OdooClient

log = get_logger("enrichment")
catalogue_log = get_logger("enrichment.catalogue")
ODOO_MODEL = "product.product"
ODOO_FIELD = "description_sale"


@dataclass(frozen=True)
class Saved:
    """A stored product row and the low-stock alert its save raised, if any."""

    product: dict[str, Any]
    alert: dict[str, Any] | None


@dataclass(frozen=True)
class Sold(Saved):
    """A sale applied: the product row, its new stock and the alert it raised, if any."""

    updated_stock: int


def alert_message(name: str, stock: int, threshold: int) -> str:
    """The alert's text, as the seed's `alert_message`."""
    return f"⚠ Low stock: {name} has {stock} left (threshold {threshold})"


def create_product(
    db: Database, writer: ProductWriter, settings: EnrichmentSettings, new: NewProduct
) -> Saved:
    """Describe and file `new` with the LLM, then save it; returns the row and any alert."""
    categories = store.known_categories(db, settings.default_categories)
    return save_product(db, settings, new, writer.enrich(new.name, new.keywords, categories))


def save_product(
    db: Database, settings: EnrichmentSettings, new: NewProduct, enrichment: Enrichment
) -> Saved:
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
    return Saved(product, alert)


def record_sale(db: Database, settings: EnrichmentSettings, product_id: int, sale: Sale) -> Sold:
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
                raise ConflictError("this product's stock is not tracked here; send new_stock")
            new_stock = product["stock"] - sale.quantity
            if new_stock < 0:
                raise ConflictError(
                    f"cannot sell {sale.quantity}: only {product['stock']} in stock",
                    stock=product["stock"],
                )
        low = new_stock < threshold
        was_low = product["low_stock"]
        product = store.set_stock(db, product_id, new_stock, low)
        alert = _alert(db, settings, product) if low and not was_low else None
    if was_low and not low:
        log.info("stock_recovered", product_id=product_id, stock=new_stock, threshold=threshold)
    return Sold(product, alert, new_stock)


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
            raise InvalidValueError(
                f"category: {edit.category!r} is not a known category", field="category"
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


# -- the synced catalogue ---------------------------------------------------------------


@dataclass
class BatchResult:
    """What one run did; `stopped` says why it ended early (the LLM or Odoo unavailable)."""

    candidates: int = 0
    described: int = 0
    unchanged: int = 0
    kept_human: int = 0
    failed: int = 0
    written_back: int = 0
    odoo_not_empty: int = 0
    stopped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _category_leaf(category_name: str | None) -> str:
    # Odoo's complete names read "All / Saleable / Office": the leaf says the most
    return (category_name or "").split("/")[-1].strip()


def enrich_missing(
    db: Database,
    writer: ProductWriter,
    rows: list[dict[str, Any]],
    odoo: OdooClient | None = None,
    progress: Callable[[int], None] = lambda _n: None,
) -> BatchResult:
    """Describe `rows` (from `store.missing_descriptions`); write back when `odoo` is given."""
    result = BatchResult(candidates=len(rows))
    to_write: dict[int, str] = {}
    for row in rows:
        text = _describe(db, writer, row, result)
        progress(1)
        if result.stopped:
            break
        if text and row["written_back_hash"] != text_hash(text):
            to_write[row["odoo_id"]] = text
    if odoo is not None and to_write:
        _write_back(db, odoo, to_write, result)
    catalogue_log.info("catalogue_enriched", **result.as_dict())
    return result


def _describe(
    db: Database, writer: ProductWriter, row: dict[str, Any], result: BatchResult
) -> str | None:
    """The product's description: a person's, an unchanged earlier one, or a new one."""
    existing: str | None = row["description"]
    if row["description_source"] == "human" and existing:
        result.kept_human += 1
        return existing
    category = _category_leaf(row["category_name"])
    prompt = writer.description_prompt(row["name"], (), category)
    if existing and row["input_hash"] == prompt.input_hash:
        result.unchanged += 1
        return existing
    try:
        description = writer.describe(row["name"], (), category)
    except TransientError as exc:
        result.stopped = f"the language model is unavailable: {exc}"
        catalogue_log.error("llm_unavailable", odoo_id=row["odoo_id"], reason=str(exc))
        return None
    except PermanentError as exc:
        result.failed += 1
        catalogue_log.warning(
            "catalogue_description_failed", odoo_id=row["odoo_id"], error=str(exc)
        )
        return None
    store.save_description(db, row, description.text, description.provenance)
    result.described += 1
    return description.text


def _write_back(db: Database, odoo: OdooClient, texts: dict[int, str], result: BatchResult) -> None:
    """Write each text to Odoo where its description is still empty (one read, then writes).

    Variants share their template's description: the first variant written fills it, the
    others then count as already described.
    """
    try:
        records = odoo.read(ODOO_MODEL, list(texts), [ODOO_FIELD, "product_tmpl_id"])
        current = {r["id"]: r for r in records}
        filled_templates: set[int | None] = set()
        for odoo_id, text in texts.items():
            record = current.get(odoo_id)
            if record is None:
                continue  # deleted in Odoo since the last sync
            template = record["product_tmpl_id"][0] if record["product_tmpl_id"] else None
            if (record[ODOO_FIELD] or "").strip() or template in filled_templates:
                result.odoo_not_empty += 1
                continue
            odoo.execute(ODOO_MODEL, "write", [odoo_id], {ODOO_FIELD: text})
            filled_templates.add(template)
            store.mark_written_back(db, odoo_id, text_hash(text))
            result.written_back += 1
    except TransientError as exc:
        result.stopped = f"Odoo is unavailable: {exc}"
        catalogue_log.error(
            "odoo_write_back_stopped", error=str(exc), written_back=result.written_back
        )
