"""The `products` table: batched writes, deactivation, embeddings, dimension checks.

A page of Odoo records costs two statements: a COPY into a temporary staging table and
one INSERT … ON CONFLICT that only touches rows whose values changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.db import Database, to_vector_text
from ..core.errors import ConfigError
from .mapping import COLUMNS, ProductRow
from .vector_index import drop_index

_STAGE = "products_stage"
_UPDATABLE = [c for c in COLUMNS if c != "odoo_id"]
_SET = ", ".join(f"{c} = EXCLUDED.{c}" for c in _UPDATABLE)
_CHANGED = " OR ".join(f"products.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in _UPDATABLE)
# Built from constant column names only.
_UPSERT = f"""
    INSERT INTO products ({", ".join(COLUMNS)}, deleted_in_odoo, last_update)
    SELECT {", ".join(COLUMNS)}, false, now() FROM {_STAGE}
    ON CONFLICT (odoo_id) DO UPDATE SET {_SET}, deleted_in_odoo = false,
        last_update = now(), updated_at = now()
    WHERE {_CHANGED} OR products.deleted_in_odoo
    RETURNING (xmax = 0) AS inserted
"""  # noqa: S608


@dataclass
class PageWrite:
    inserted: int = 0
    updated: int = 0


def prepare(db: Database) -> None:
    """Create this session's staging table (emptied at each commit)."""
    db.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (LIKE products INCLUDING DEFAULTS)"
        " ON COMMIT DELETE ROWS"
    )


def write_page(db: Database, rows: Sequence[ProductRow]) -> PageWrite:
    """Upsert one page (call inside the page's transaction). Unchanged rows are untouched."""
    if not rows:
        return PageWrite()
    # Odoo may return one id twice across an overlap re-read; keep the last version.
    unique = {row.odoo_id: row.values for row in rows}
    db.copy_rows(_STAGE, COLUMNS, unique.values())
    flags = [r[0] for r in db.fetchall(_UPSERT)]
    inserted = sum(1 for f in flags if f)
    return PageWrite(inserted=inserted, updated=len(flags) - inserted)


def update_quantities(db: Database, records: Sequence[dict[str, Any]]) -> None:
    """Set qty_available from `[{"id": …, "qty_available": …}]` in one statement."""
    if not records:
        return
    db.execute(
        "UPDATE products p SET qty_available = v.q, updated_at = now()"
        " FROM unnest(%s::int[], %s::numeric[]) AS v(id, q)"
        " WHERE p.odoo_id = v.id AND p.qty_available IS DISTINCT FROM v.q",
        ([int(r["id"]) for r in records], [float(r.get("qty_available") or 0) for r in records]),
    )


def deactivate_missing(db: Database, odoo_ids: Sequence[int]) -> int:
    """Deactivate products Odoo no longer has (deleted there); returns how many."""
    return len(
        db.fetchall(
            "UPDATE products SET is_active = false, deleted_in_odoo = true, updated_at = now()"
            " WHERE NOT deleted_in_odoo AND NOT (odoo_id = ANY(%s)) RETURNING odoo_id",
            (list(odoo_ids),),
        )
    )


def duplicate_skus(db: Database) -> dict[str, list[int]]:
    """Codes shared by more than one active variant: reported, never merged."""
    return {
        sku: sorted(ids)
        for sku, ids in db.fetchall(
            "SELECT sku, array_agg(odoo_id) FROM products WHERE is_active"
            " GROUP BY sku HAVING count(*) > 1 ORDER BY sku"
        )
    }


def check_dimensions(db: Database, dimensions: int) -> None:
    """Stop with instructions when the stored vector size differs from the configured one."""
    stored = db.fetchval(
        "SELECT atttypmod FROM pg_attribute"
        " WHERE attrelid = 'products'::regclass AND attname = 'embedding'"
    )
    if stored is not None and stored > 0 and stored != dimensions:
        raise ConfigError(
            f"products.embedding holds {stored}-dimension vectors but EMBEDDING_DIMENSIONS is "
            f"{dimensions}; run `odoo-engines products reembed` to switch the column to "
            f"{dimensions} dimensions (the next sync embeds every product again)"
        )


def reset_dimensions(db: Database, dimensions: int) -> None:
    """Switch the embedding column to `dimensions`, dropping every stored vector.

    The vector index goes too: the next sync builds it over the new vectors.
    """
    with db.transaction():
        drop_index(db)
        db.execute("UPDATE products SET embedding = NULL, embedded_hash = NULL")
        db.execute(  # a type change resets the storage to the type's: keep vectors inline
            f"ALTER TABLE products ALTER COLUMN embedding TYPE vector({int(dimensions)}),"
            " ALTER COLUMN embedding SET STORAGE MAIN"
        )


def invalidate_other_models(db: Database, model: str) -> int:
    """Mark vectors made by another model as stale (they must never be mixed)."""
    return len(
        db.fetchall(
            "UPDATE products SET embedded_hash = NULL"
            " WHERE embedded_hash IS NOT NULL AND embedding_model IS DISTINCT FROM %s"
            " RETURNING odoo_id",
            (model,),
        )
    )


def pending_embeddings(db: Database, limit: int) -> list[tuple[int, str, str]]:
    """Active rows whose embedding is missing or stale: (odoo_id, text, text_hash)."""
    return db.fetchall(
        "SELECT odoo_id, text_for_embedding, text_hash FROM products"
        " WHERE is_active AND (embedded_hash IS DISTINCT FROM text_hash OR embedding IS NULL)"
        " ORDER BY odoo_id LIMIT %s",
        (limit,),
    )


def store_embeddings(db: Database, ids: Sequence[int], hashes: Sequence[str],
                     vectors: np.ndarray, model: str) -> None:  # fmt: skip
    """Write one batch of vectors in one statement."""
    db.execute(
        "UPDATE products p SET embedding = v.e::vector, embedded_hash = v.h,"
        " embedding_model = %s, updated_at = now()"
        " FROM unnest(%s::int[], %s::text[], %s::text[]) AS v(id, e, h)"
        " WHERE p.odoo_id = v.id",
        (model, list(ids), [to_vector_text(v) for v in vectors], list(hashes)),
    )


def quantities(db: Database, odoo_ids: Sequence[int]) -> dict[int, float]:
    """On-hand quantity per variant as the last sync read it (variants without one left out)."""
    return dict(
        db.fetchall(
            "SELECT odoo_id, qty_available::float8 FROM products"
            " WHERE odoo_id = ANY(%s::int[]) AND qty_available IS NOT NULL",
            (list(odoo_ids),),
        )
    )
