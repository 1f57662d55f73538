"""Describing Odoo's synced catalogue: products in the products engine's table whose
description is empty (`odoo-engines enrich --missing`).

Each description is stored in `enriched_products` (origin `odoo`, keyed by the
product.product id) as soon as it is written, so an interrupted run keeps its work and a
rerun calls the LLM only for products whose input changed. A description a person
edited is never replaced. With write-back, the text goes to Odoo's `description_sale`
only where Odoo's is still empty (the next product sync then reads it back).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.db import Database, text_hash
from ..core.errors import PermanentError, TransientError
from ..core.logging import get_logger
from .writer import ProductWriter

if TYPE_CHECKING:
    from ..odoo import OdooClient

log = get_logger("enrichment.catalogue")
ODOO_MODEL = "product.product"
ODOO_FIELD = "description_sale"


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



def missing_descriptions(db: Database, limit: int | None) -> list[dict[str, Any]]:
    """Active catalogue products without a description, with their enrichment if any."""
    return db.rows(
        "SELECT p.odoo_id, p.sku, p.name, p.category_name, e.description,"
        " e.description_source, e.description_provenance ->> 'input_hash' AS input_hash,"
        " e.written_back_hash"
        " FROM products p LEFT JOIN enriched_products e ON e.odoo_id = p.odoo_id"
        " WHERE p.is_active AND btrim(coalesce(p.description, '')) = ''"
        " ORDER BY p.odoo_id LIMIT %s",
        (limit,),
    )


def _category_leaf(category_name: str | None) -> str:
    # Odoo's complete names read "All / Saleable / Office": the leaf says the most
    return (category_name or "").split("/")[-1].strip()


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


def enrich_missing(
    db: Database,
    writer: ProductWriter,
    rows: list[dict[str, Any]],
    odoo: OdooClient | None = None,
    progress: Callable[[int], None] = lambda _n: None,
) -> BatchResult:
    """Describe `rows` (from `missing_descriptions`); write back when `odoo` is given."""
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
    log.info("catalogue_enriched", **result.as_dict())
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
        log.error("llm_unavailable", odoo_id=row["odoo_id"], reason=str(exc))
        return None
    except PermanentError as exc:
        result.failed += 1
        log.warning("catalogue_description_failed", odoo_id=row["odoo_id"], error=str(exc))
        return None
    save_description(db, row, description.text, description.provenance)
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
            db.execute(
                "UPDATE enriched_products SET written_back_hash = %s, written_back_at = now()"
                " WHERE odoo_id = %s",
                (text_hash(text), odoo_id),
            )
            result.written_back += 1
    except TransientError as exc:
        result.stopped = f"Odoo is unavailable: {exc}"
        log.error("odoo_write_back_stopped", error=str(exc), written_back=result.written_back)
