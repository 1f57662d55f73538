"""Semantic product search: exact SKU/barcode matches first, then nearest vectors.

The IVFFlat index (store.py) answers the vector part; its probes are set before
each search.
"""

from __future__ import annotations

from ..core.db import Database
from ..core.errors import PermanentError
from ..embeddings import Embedder
from . import store
from .store import MAX_LIMIT, Hit


def search_products(db: Database, embedder: Embedder, query: str, limit: int = 10) -> list[Hit]:
    """Nearest active products to `query`; an exact SKU or barcode comes first."""
    query = (query or "").strip()
    if not query:
        raise PermanentError("the search query is empty")
    if not 1 <= limit <= MAX_LIMIT:
        raise PermanentError(f"limit must be between 1 and {MAX_LIMIT}")
    vector = embedder.embed([query])[0]
    return store.search(db, query, vector, embedder.model, limit)
