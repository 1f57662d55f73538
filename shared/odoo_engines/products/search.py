"""Semantic product search: exact SKU/barcode matches first, then nearest vectors.

The HNSW index answers the vector part; `hnsw.ef_search` trades speed for recall and
iterative scans keep the `is_active` filter from starving the result list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..db import Database
from ..embeddings import Embedder
from ..errors import PermanentError

MAX_LIMIT = 100
EF_SEARCH = 100


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

    def as_dict(self) -> dict:
        return asdict(self)


_COLUMNS = "odoo_id, sku, name, category_name, list_price::float8, qty_available::float8"


def search_products(db: Database, embedder: Embedder, query: str, limit: int = 10) -> list[Hit]:
    """Nearest active products to `query`; an exact SKU or barcode comes first."""
    query = (query or "").strip()
    if not query:
        raise PermanentError("the search query is empty")
    if not 1 <= limit <= MAX_LIMIT:
        raise PermanentError(f"limit must be between 1 and {MAX_LIMIT}")
    exact = [
        Hit(*row[:6], similarity=1.0, match="sku" if row[6] else "barcode")
        for row in db.fetchall(
            f"SELECT {_COLUMNS}, lower(sku) = lower(%s) FROM products"  # noqa: S608 - constant column names
            " WHERE is_active AND (lower(sku) = lower(%s) OR barcode = %s)"
            " ORDER BY odoo_id LIMIT %s",
            (query, query, query, limit),
        )
    ]
    vector = embedder.embed([query])[0]
    with db.transaction():
        db.execute(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}")
        db.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        rows = db.fetchall(
            f"SELECT {_COLUMNS}, 1 - (embedding <=> %s) FROM products"  # noqa: S608 - constant column names
            " WHERE is_active AND embedding IS NOT NULL AND embedding_model = %s"
            " ORDER BY embedding <=> %s LIMIT %s",
            (vector, embedder.model, vector, limit),
        )
    seen = {hit.odoo_id for hit in exact}
    semantic = [
        Hit(*row[:6], similarity=round(float(row[6]), 4), match="semantic")
        for row in rows
        if row[0] not in seen
    ]
    return (exact + semantic)[:limit]
