"""All SQL on the `products` table: batched writes, deactivation, embeddings, dimension
checks, the vector index and the search query.

A page of Odoo records costs two statements: a COPY into a temporary staging table and
one INSERT … ON CONFLICT that only touches rows whose values changed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..core.db import Database, to_vector_text
from ..core.errors import ConfigError
from ..core.logging import get_logger
from .mapping import COLUMNS, ProductRow

log = get_logger("products.store")

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


# -- the vector index ------------------------------------------------------------------
# The IVFFlat index behind product search, sized to the catalogue.
#
# Why IVFFlat and not HNSW: product embeddings crowd together (variants of one template,
# names that differ by a size or a colour), and on such a catalogue an HNSW graph missed
# up to half of the true ten nearest neighbours of short queries, even at a high
# `ef_search`. IVFFlat scans whole clusters, so probing a few dozen of them finds what an
# exact scan finds, in milliseconds at 100,000 products.
#
# An IVFFlat index learns its clusters when it is built, so it is built once vectors
# exist (by the sync, after its embeddings) and rebuilt when the catalogue has doubled
# or halved since; about 100 rows per list, at most 1,000 lists.

INDEX = "products_embedding_ivfflat"
ROWS_PER_LIST = 100
MAX_LISTS = 1000
# Lists probed per query. At 1,000 lists over 100,000 crowded products the benchmark measured
# recall@10 0.96 to 0.97 in 4.1 ms for the vector query (32 lists: 0.93 to 0.96 in 3.4 ms;
# the figure moves by a few hundredths from one k-means build to the next). An index of at
# most 40 lists (under 4,000 products) is scanned whole: exact.
PROBES = 40


def lists_for(rows: int) -> int:
    """How many lists an index over `rows` vectors should have."""
    return max(1, min(MAX_LISTS, rows // ROWS_PER_LIST))


def current_lists(db: Database) -> int | None:
    """The lists of the existing index, or None when there is none."""
    options = db.fetchval(
        "SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = %s AND n.nspname = current_schema()",
        (INDEX,),
    )
    if options is None:
        return None
    values = dict(option.split("=", 1) for option in options)
    return int(values.get("lists", 100))


def ensure_index(db: Database) -> bool:
    """Build or rebuild the index when the catalogue's size calls for it; True if built."""
    rows = db.fetchval("SELECT count(*) FROM products WHERE embedding IS NOT NULL")
    if not rows:
        return False
    wanted, have = lists_for(rows), current_lists(db)
    if have is not None and wanted < have * 2 and have < wanted * 2:
        return False
    started = time.monotonic()
    with db.transaction():
        # k-means over the sample: ~300 MB for 1,000 lists of 512-d vectors, ~900 MB at
        # 1,536-d; a ceiling, only taken while the index is built.
        db.execute("SET LOCAL maintenance_work_mem = '1GB'")
        db.execute(f"DROP INDEX IF EXISTS {INDEX}")
        db.execute(
            f"CREATE INDEX {INDEX} ON products"
            f" USING ivfflat (embedding vector_cosine_ops) WITH (lists = {int(wanted)})"
        )
    log.info("product_vector_index_built", rows=rows, lists=wanted,
             seconds=round(time.monotonic() - started, 2))  # fmt: skip
    return True


# One round trip before a search: PROBES lists (pgvector probes every list of a smaller
# index), and iterative scans that probe further when `is_active` leaves too few rows.
SEARCH_SETTINGS = (
    f"SELECT set_config('ivfflat.probes', '{PROBES}', false),"
    " set_config('ivfflat.iterative_scan', 'relaxed_order', false)"
)


def drop_index(db: Database) -> None:
    db.execute(f"DROP INDEX IF EXISTS {INDEX}")


# -- reads for other engines (enrichment) ---------------------------------------------


def category_names(db: Database) -> list[str]:
    """The category names of active products, as Odoo names them, sorted."""
    rows = db.fetchall(
        "SELECT DISTINCT category_name FROM products"
        " WHERE is_active AND btrim(coalesce(category_name, '')) <> ''"
        " ORDER BY category_name"
    )
    return [row[0] for row in rows]


def any_synced(db: Database) -> bool:
    """Whether a sync has written any product yet."""
    return bool(db.fetchval("SELECT EXISTS (SELECT 1 FROM products)"))


def without_description(db: Database, limit: int | None) -> list[dict[str, Any]]:
    """Active products whose Odoo description is empty (odoo_id, sku, name, category_name)."""
    return db.rows(
        "SELECT odoo_id, sku, name, category_name FROM products"
        " WHERE is_active AND btrim(coalesce(description, '')) = ''"
        " ORDER BY odoo_id LIMIT %s",
        (limit,),
    )


# -- search ----------------------------------------------------------------------------
MAX_LIMIT = 100  # hits one search may ask for


@dataclass(frozen=True)
class Hit:
    odoo_id: int
    sku: str
    name: str
    category_name: str | None
    list_price: float
    qty_available: float
    similarity: float
    match: str  # "sku", "barcode" or "semantic"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_COLUMNS = "odoo_id, sku, name, category_name, list_price::float8, qty_available::float8"
# Exact SKU or barcode matches first, then the nearest vectors not already listed. The
# query's text and vector are sent once (initplans; the vector index still orders).
_QUERY = f"""
WITH input AS (SELECT %s::text AS text, %s::vector AS vector),
exact AS (
    SELECT {_COLUMNS}, 1.0::float8 AS similarity,
           CASE WHEN lower(sku) = lower((SELECT text FROM input)) THEN 'sku'
                ELSE 'barcode' END AS match
    FROM products
    WHERE is_active
      AND (lower(sku) = lower((SELECT text FROM input)) OR barcode = (SELECT text FROM input))
    ORDER BY odoo_id LIMIT %s
), near AS (
    SELECT {_COLUMNS}, 1 - (embedding <=> (SELECT vector FROM input)) AS similarity,
           'semantic' AS match
    FROM products WHERE is_active AND embedding IS NOT NULL AND embedding_model = %s
    ORDER BY embedding <=> (SELECT vector FROM input) LIMIT %s
)
SELECT * FROM (
    SELECT *, 0 AS rank FROM exact
    UNION ALL
    SELECT *, 1 AS rank FROM near WHERE odoo_id NOT IN (SELECT odoo_id FROM exact)
) hits ORDER BY rank, similarity DESC, odoo_id
"""  # noqa: S608 - constant column names


def search(db: Database, text: str, vector: Any, model: str, limit: int) -> list[Hit]:
    """The active products nearest to `vector` (`text` embedded with `model`), an exact
    SKU or barcode match of `text` first."""
    db.execute(SEARCH_SETTINGS)
    rows = db.fetchall(_QUERY, (text, vector, limit, model, limit))
    return [
        Hit(row[0], row[1], row[2], row[3], row[4], row[5], round(float(row[6]), 4), row[7])
        for row in rows
    ][:limit]
