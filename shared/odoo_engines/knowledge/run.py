"""The knowledge engine's work: embedding a source and searching a chatbot's chunks, what
the HTTP handlers, the CLI and the demo all call.

Replacing a source: chunk the text, reuse the stored vector of every chunk whose hash
and model did not change, embed the others in as few provider calls as the provider's
batch limit allows, and only then swap the rows in one transaction. A provider failure
raises before anything was written, so the old rows stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..core.db import Database
from ..core.logging import get_logger
from ..embeddings import Embedder
from . import store
from .chunking import Chunking, chunk_text
from .settings import KnowledgeSettings
from .store import ChunkRow, SourceKey

log = get_logger("knowledge")


@dataclass(frozen=True)
class Source:
    """One Odoo document or link as Odoo sends it (text already cleaned)."""

    chatbot_id: int
    key: SourceKey
    content: str
    metadata: dict[str, Any] = field(default_factory=dict)
    url: str | None = None


@dataclass(frozen=True)
class Indexed:
    """What embedding a source did."""

    chunking: Chunking
    embedded: int  # chunks sent to the provider
    reused: int  # chunks that kept their stored vector
    removed: int  # old rows replaced
    provider_calls: int

    @property
    def stored(self) -> int:
        return len(self.chunking.chunks)


def index_source(
    db: Database, embedder: Embedder, settings: KnowledgeSettings, source: Source
) -> Indexed:
    """Chunk, embed what changed and replace the source's rows (see the module doc)."""
    chunking = chunk_text(
        source.content, settings.chunk_size, settings.chunk_overlap, settings.max_chunks
    )
    stored = store.stored_vectors(db, source.key, embedder.model)
    # one provider input per distinct new text: repeated boilerplate is embedded once
    new_texts = {c.hash: c.text for c in chunking.chunks if c.hash not in stored}
    calls_before = embedder.calls
    vectors = dict(zip(new_texts, embedder.embed(list(new_texts.values())), strict=True))
    now = datetime.now(UTC)
    rows = [
        ChunkRow(c.index, c.text, c.hash, stored[c.hash].embedding, stored[c.hash].embedded_at)
        if c.hash in stored
        else ChunkRow(c.index, c.text, c.hash, vectors[c.hash], now)
        for c in chunking.chunks
    ]
    removed = store.replace_source(
        db, source.chatbot_id, source.key, rows, embedder.model, source.url, source.metadata
    )
    result = Indexed(
        chunking=chunking,
        embedded=len(new_texts),
        reused=sum(1 for c in chunking.chunks if c.hash in stored),
        removed=removed,
        provider_calls=embedder.calls - calls_before,
    )
    log.info(
        "source_embedded",
        chatbot_id=source.chatbot_id,
        source_type=source.key.source_type,
        source_id=source.key.source_id,
        chunks=result.stored,
        embedded=result.embedded,
        reused=result.reused,
        over_limit=chunking.over_limit,
        provider_calls=result.provider_calls,
    )
    return result


def search(
    db: Database,
    embedder: Embedder,
    chatbot_id: int,
    query: str,
    k: int,
    source_type: str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The chatbot's `k` chunks nearest to `query`, best first, with score and source URL;
    and their sources' metadata, once per source."""
    vector = embedder.embed([query])[0]
    rows = store.nearest_chunks(db, chatbot_id, vector, embedder.model, k, source_type)
    return rows, store.sources_metadata(db, rows)
