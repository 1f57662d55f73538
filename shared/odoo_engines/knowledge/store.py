"""The knowledge tables (migrations 0400, 0401): chunk rows per source, the source's URL
and metadata (once per source), chat sessions, search.

A source is one Odoo record (`chatbot.document` or `chatbot.link`): its chunk rows are
only ever replaced together, in one transaction, under a lock on that source.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from ..core.db import Database, lock_key

SOURCE_TYPES = ("document", "link")
MAX_K = 50  # the most chunks one search returns
CHUNK_COLUMNS = (
    "chatbot_id",
    "source_type",
    "source_id",
    "chunk_index",
    "content",
    "content_hash",
    "embedding",
    "embedding_model",
    "embedded_at",
)


@dataclass(frozen=True)
class SourceKey:
    """Which Odoo record a chunk comes from."""

    source_type: str  # one of SOURCE_TYPES
    source_id: int


@dataclass(frozen=True)
class StoredVector:
    """A vector already in the table, and when it was computed."""

    embedding: np.ndarray
    embedded_at: datetime


@dataclass(frozen=True)
class ChunkRow:
    """A chunk ready to store: its text, hash, vector and when that vector was computed."""

    index: int
    content: str
    content_hash: str
    embedding: np.ndarray
    embedded_at: datetime


def stored_vectors(db: Database, source: SourceKey, model: str) -> dict[str, StoredVector]:
    """The source's vectors of `model`, by content hash (what an unchanged chunk reuses)."""
    rows = db.fetchall(
        "SELECT content_hash, embedding, embedded_at FROM chunk_embeddings"
        " WHERE source_type = %s AND source_id = %s AND embedding_model = %s",
        (source.source_type, source.source_id, model),
    )
    return {h: StoredVector(vector, at) for h, vector, at in rows}


def replace_source(
    db: Database,
    chatbot_id: int,
    source: SourceKey,
    rows: Sequence[ChunkRow],
    model: str,
    url: str | None,
    metadata: dict[str, Any],
) -> int:
    """Swap the source's rows for `rows` in one transaction; returns how many were removed.

    The source's rows go whichever chatbot they were filed under: a record moved to
    another chatbot must stop answering for the old one.
    """
    with db.transaction():
        # concurrent deliveries of one source queue here instead of colliding on the key
        db.execute(
            "SELECT pg_advisory_xact_lock(%s)",
            (lock_key(f"knowledge:{source.source_type}:{source.source_id}"),),
        )
        removed = db.execute(
            "DELETE FROM chunk_embeddings WHERE source_type = %s AND source_id = %s",
            (source.source_type, source.source_id),
        ).rowcount
        db.execute(
            "INSERT INTO knowledge_sources (source_type, source_id, chatbot_id, source_url,"
            " metadata) VALUES (%s, %s, %s, %s, %s::jsonb)"
            " ON CONFLICT (source_type, source_id) DO UPDATE SET"
            " chatbot_id = EXCLUDED.chatbot_id, source_url = EXCLUDED.source_url,"
            " metadata = EXCLUDED.metadata, updated_at = now()",
            (
                source.source_type,
                source.source_id,
                chatbot_id,
                url,
                json.dumps(metadata, ensure_ascii=False),
            ),
        )
        if rows:
            db.copy_rows(
                "chunk_embeddings",
                CHUNK_COLUMNS,
                (
                    (
                        chatbot_id,
                        source.source_type,
                        source.source_id,
                        row.index,
                        row.content,
                        row.content_hash,
                        row.embedding,
                        model,
                        row.embedded_at,
                    )
                    for row in rows
                ),
            )
    return removed


def delete_source(db: Database, chatbot_id: int, source: SourceKey) -> int:
    """Remove the chatbot's rows of one source; returns how many."""
    key = (chatbot_id, source.source_type, source.source_id)
    with db.transaction():
        db.execute(
            "DELETE FROM knowledge_sources"
            " WHERE chatbot_id = %s AND source_type = %s AND source_id = %s",
            key,
        )
        return db.execute(
            "DELETE FROM chunk_embeddings"
            " WHERE chatbot_id = %s AND source_type = %s AND source_id = %s",
            key,
        ).rowcount


def delete_chatbot(db: Database, chatbot_id: int) -> tuple[int, int]:
    """Remove every chunk and chat session of a chatbot; returns both counts."""
    with db.transaction():
        chunks = db.execute(
            "DELETE FROM chunk_embeddings WHERE chatbot_id = %s", (chatbot_id,)
        ).rowcount
        db.execute("DELETE FROM knowledge_sources WHERE chatbot_id = %s", (chatbot_id,))
        sessions = db.execute(
            "DELETE FROM chat_sessions WHERE chatbot_id = %s", (chatbot_id,)
        ).rowcount
    return chunks, sessions


def use_search_settings(db: Database, ef_search: int) -> None:
    """Set this connection's HNSW search: `ef_search` candidates, and iterative scans so a
    chatbot filter still finds k rows (pgvector 0.8; older versions ignore it)."""
    db.execute(
        "SELECT set_config('hnsw.ef_search', %s, false),"
        " set_config('hnsw.iterative_scan', 'relaxed_order', false)",
        (str(ef_search),),
    )


def nearest_chunks(
    db: Database,
    chatbot_id: int,
    query: np.ndarray,
    model: str,
    k: int,
    source_type: str | None = None,
) -> list[dict[str, Any]]:
    """The chatbot's `k` chunks closest to `query` (cosine), best first, with their score
    and their source's URL (its metadata: `sources_metadata`)."""
    # relaxed_order may return rows slightly out of order: the outer query sorts them.
    # The statement is planned with its values, so a NULL source_type drops that test.
    return db.rows(
        "WITH nearest AS MATERIALIZED ("
        " SELECT source_type, source_id, chunk_index, content,"
        " embedding <=> %s AS distance FROM chunk_embeddings"
        " WHERE chatbot_id = %s AND embedding_model = %s"
        " AND (%s::text IS NULL OR source_type = %s)"
        " ORDER BY distance LIMIT %s)"
        " SELECT n.source_type, n.source_id, n.chunk_index, n.content, s.source_url,"
        " 1 - n.distance AS score FROM nearest n LEFT JOIN knowledge_sources s"
        " ON s.source_type = n.source_type AND s.source_id = n.source_id ORDER BY n.distance",
        (query, chatbot_id, model, source_type, source_type, k),
    )


def sources_metadata(db: Database, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The metadata of the sources of `rows` (search hits), once per source, in hit order."""
    keys = list(dict.fromkeys((r["source_type"], r["source_id"]) for r in rows))
    if not keys:
        return []
    found = {
        (t, i): metadata
        for t, i, metadata in db.fetchall(
            "SELECT source_type, source_id, metadata FROM knowledge_sources"
            " WHERE (source_type, source_id) IN"
            " (SELECT * FROM unnest(%s::text[], %s::bigint[]))",
            ([t for t, _ in keys], [i for _, i in keys]),
        )
    }
    return [{"source_type": t, "source_id": i, "metadata": found.get((t, i), {})} for t, i in keys]
