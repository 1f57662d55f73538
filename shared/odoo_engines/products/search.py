"""Semantic product search: exact SKU/barcode matches first, then nearest vectors.

The IVFFlat index of `vector_index` answers the vector part; its probes are set before
each search.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..core.db import Database
from ..core.errors import PermanentError
from ..embeddings import Embedder
from .vector_index import SEARCH_SETTINGS

MAX_LIMIT = 100


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


def search_products(db: Database, embedder: Embedder, query: str, limit: int = 10) -> list[Hit]:
    """Nearest active products to `query`; an exact SKU or barcode comes first."""
    query = (query or "").strip()
    if not query:
        raise PermanentError("the search query is empty")
    if not 1 <= limit <= MAX_LIMIT:
        raise PermanentError(f"limit must be between 1 and {MAX_LIMIT}")
    vector = embedder.embed([query])[0]
    db.execute(SEARCH_SETTINGS)
    rows = db.fetchall(_QUERY, (query, vector, limit, embedder.model, limit))
    return [
        Hit(row[0], row[1], row[2], row[3], row[4], row[5], round(float(row[6]), 4), row[7])
        for row in rows
    ][:limit]
