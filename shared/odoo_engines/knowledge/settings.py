"""The knowledge engine's settings: the `embed-document` function's API key, chunking,
request limit and search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.errors import ConfigError
from ..core.settings import Env


@dataclass(frozen=True)
class KnowledgeSettings:
    """The `embed-document` function: its API key, chunking, request limit and search."""

    api_key: str | None = field(default=None, repr=False)
    chunk_size: int = 1000  # characters, as the seed's chatbot sync flow
    chunk_overlap: int = 200
    max_chunks: int = 100  # per source; what lies past it is reported, not embedded
    max_body_bytes: int = 10 * 1024 * 1024
    ef_search: int = 100  # HNSW candidate list: recall against latency


def load_knowledge_settings(env: Mapping[str, str] | None = None) -> KnowledgeSettings:
    """Read the knowledge settings from `env` (default: the process environment)."""
    e = Env.of(env)
    size = e.int("KNOWLEDGE_CHUNK_SIZE", 1000, minimum=100)
    overlap = e.int("KNOWLEDGE_CHUNK_OVERLAP", 200, minimum=0)
    if overlap * 2 >= size:  # more would put each character in three chunks or more
        raise ConfigError(
            f"KNOWLEDGE_CHUNK_OVERLAP must be less than half of KNOWLEDGE_CHUNK_SIZE ({size}), "
            f"got {overlap}"
        )
    ef_search = e.int("KNOWLEDGE_EF_SEARCH", 100, minimum=1)
    if ef_search > 1000:  # pgvector's upper bound for hnsw.ef_search
        raise ConfigError(f"KNOWLEDGE_EF_SEARCH must be at most 1000, got {ef_search}")
    return KnowledgeSettings(
        api_key=e.str("INTERNAL_API_KEY"),
        chunk_size=size,
        chunk_overlap=overlap,
        max_chunks=e.int("KNOWLEDGE_MAX_CHUNKS", 100, minimum=1),
        max_body_bytes=e.int("KNOWLEDGE_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024),
        ef_search=ef_search,
    )
