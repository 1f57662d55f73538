"""The `embed-document` HTTP function: the seed's chatbot sync routes, search, health and
the OpenAPI document, all from the one route table below (the `@route` methods).

Every route but `/health` and `/openapi.json` (declared `public`) needs `X-Odoo-API-Key`
equal to `INTERNAL_API_KEY` (compared in constant time). Bad input is a JSON error (400,
401, 404, 413, 422), an unavailable database or provider a 503; nothing is half written.

What one function instance holds between requests (`KnowledgeResources`): settings, the
database connection and the embedder, made on first use, so a misconfiguration is
answered (503, naming the variable) instead of crashing the instance, and a broken
database connection is dropped and reopened on the next request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from flask import Request, Response

from .. import __version__
from ..core.db import Database, KeptConnection, connect
from ..core.errors import ConfigError
from ..core.settings import Settings, load_settings
from ..core.triggers import HttpError, Router, json_body, require_api_key
from ..core.triggers.openapi import check_body, mount, openapi_document, route
from ..embeddings import Embedder, get_embedder
from . import run, store
from .cleaning import Cleaning, CleaningError
from .run import Indexed, Source
from .settings import KnowledgeSettings, load_knowledge_settings
from .store import MAX_K, SOURCE_TYPES, SourceKey

KEY_HEADER = "X-Odoo-API-Key"
MAX_ID = 2**63 - 1  # ids are stored as PostgreSQL bigint
ID = f"int(min=1, max={MAX_ID})"  # werkzeug converter: anything else is a 404
MAX_QUERY_CHARS = 4000
MAX_METADATA_BYTES = 32 * 1024  # a source's metadata as JSON: a page of a PDF's properties
MAX_URL_CHARS = 2048

_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_SOURCE_BODY = {
    "chatbot_id": {**_ID_SCHEMA, "description": "The Odoo chatbot the source belongs to"},
    "content": {
        "type": "string",
        "description": "The extracted text. NUL characters are removed and lone UTF-16 "
        "surrogates replaced by U+FFFD (both counted under `cleaned`).",
    },
    "metadata": {
        "type": ["object", "null"],
        "description": f"Stored once per source and returned by search in `sources` (at "
        f"most {MAX_METADATA_BYTES} bytes as JSON, 32 levels deep, finite numbers)",
    },
}
DOCUMENT_BODY = {
    "type": "object",
    "required": ["chatbot_id", "content"],
    "properties": _SOURCE_BODY,
}
LINK_BODY = {
    "type": "object",
    "required": ["chatbot_id", "content"],
    "properties": {
        **_SOURCE_BODY,
        "url": {"type": ["string", "null"], "maxLength": MAX_URL_CHARS},
    },
}
_EMBED_COUNTS = {
    "status": {"type": "string", "enum": ["success"]},
    "chatbot_id": {"type": "integer"},
    "embeddings_count": {"type": "integer", "description": "Chunks stored for the source"},
    "chunks_created": {"type": "integer", "description": "Same as embeddings_count (seed)"},
    "chunks_embedded": {"type": "integer", "description": "Chunks sent to the provider"},
    "chunks_reused": {"type": "integer", "description": "Unchanged chunks, vector kept"},
    "chunks_over_limit": {"type": "integer", "description": "Chunks past the cap, not stored"},
    "characters": {"type": "integer"},
    "characters_covered": {"type": "integer", "description": "Text up to the last chunk"},
    "replaced": {"type": "integer", "description": "Old rows of the source removed"},
    "embedding_model": {"type": "string"},
    "cleaned": {
        "type": "object",
        "properties": {
            "nul_removed": {"type": "integer"},
            "surrogates_replaced": {"type": "integer"},
        },
    },
    "warnings": {"type": "array", "items": {"type": "string"}},
    "reason": {"type": "string", "description": "Why no chunk was stored (an empty text)"},
}


def _embed_answer(id_name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["status", id_name, "embeddings_count", "chunks_created"],
        "properties": {id_name: {"type": "integer"}, **_EMBED_COUNTS},
    }


SEARCH_BODY = {
    "type": "object",
    "required": ["query"],
    "properties": {
        "query": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS},
        "k": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 5},
        "source_type": {"type": ["string", "null"], "enum": [*SOURCE_TYPES, None]},
    },
}
SEARCH_ANSWER = {
    "type": "object",
    "properties": {
        "status": {"type": "string"},
        "chatbot_id": {"type": "integer"},
        "embedding_model": {"type": "string"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "score": {"type": "number", "description": "Cosine similarity, 1 is best"},
                    "content": {"type": "string"},
                    "source_type": {"type": "string", "enum": list(SOURCE_TYPES)},
                    "source_id": {"type": "integer"},
                    "chunk_index": {"type": "integer"},
                    "url": {"type": ["string", "null"]},
                },
            },
        },
        "sources": {
            "type": "array",
            "description": "The metadata of the results' sources, once per source",
            "items": {
                "type": "object",
                "properties": {
                    "source_type": {"type": "string", "enum": list(SOURCE_TYPES)},
                    "source_id": {"type": "integer"},
                    "metadata": {"type": "object"},
                },
            },
        },
    },
}


class KnowledgeResources:
    """Lazily built settings, database and embedder of one function instance."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        # `with resources.database() as db:` the instance's connection, held for the block
        self.database = KeptConnection(self._connect)

    @cached_property
    def settings(self) -> Settings:
        """The shared settings, read once; a bad variable is a 503 that names it."""
        with _misconfiguration_is_503():
            return load_settings(self._env)

    @cached_property
    def knowledge(self) -> KnowledgeSettings:
        """The engine's settings, read once; a bad variable is a 503 that names it."""
        with _misconfiguration_is_503():
            return load_knowledge_settings(self._env)

    @cached_property
    def embedder(self) -> Embedder:
        """The configured embedder (its model loads on first use)."""
        with _misconfiguration_is_503():
            return get_embedder(self.settings)

    def _connect(self) -> Database:
        with _misconfiguration_is_503():
            db = connect(self.settings)
        store.use_search_settings(db, self.knowledge.ef_search)
        return db

    def close(self) -> None:
        """Close the connection, if one is open."""
        self.database.close()


@contextmanager
def _misconfiguration_is_503() -> Iterator[None]:
    try:
        yield
    except ConfigError as exc:
        raise HttpError(503, f"the service is misconfigured: {exc}") from exc


class KnowledgeApi:
    """The routes of the `embed-document` function over one instance's resources."""

    def __init__(self, resources: KnowledgeResources):
        self.resources = resources
        self.router = Router("embed-document")
        mount(self.router, self, auth=self._authorize)

    @route("GET", "/health", summary="Liveness and database check", public=True, errors=(503,))
    def health(self, request: Request) -> dict[str, Any]:
        settings = self.resources.settings
        if not self.resources.knowledge.api_key:
            raise HttpError(503, "INTERNAL_API_KEY is not set: every route would refuse")
        with self.resources.database() as db:
            db.fetchval("SELECT 1")
        return {
            "status": "ok",
            "database": "ok",
            "embedding_provider": settings.embedding.provider,
            "embedding_model": settings.embedding.model,
        }

    @route("GET", "/openapi.json", summary="This API as an OpenAPI 3.1 document", public=True)
    def openapi(self, request: Request) -> dict[str, Any]:
        return describe()

    @route(
        "POST",
        f"/api/internal/document/<{ID}:document_id>/embed",
        summary="Chunk, embed and store a chatbot document, replacing its previous chunks",
        description="Unchanged chunks keep their vectors; the old rows are replaced only "
        "after every new vector is ready, so a provider failure (503) changes nothing.",
        body=DOCUMENT_BODY,
        answer=_embed_answer("document_id"),
        errors=(503,),
    )
    def embed_document(self, request: Request, document_id: int) -> dict[str, Any]:
        return self._embed(request, SourceKey("document", document_id), DOCUMENT_BODY)

    @route(
        "POST",
        f"/api/internal/link/<{ID}:link_id>/embed",
        summary="Chunk, embed and store a chatbot link's scraped text",
        description="As for documents; `url` is stored and returned by search.",
        body=LINK_BODY,
        answer=_embed_answer("link_id"),
        errors=(503,),
    )
    def embed_link(self, request: Request, link_id: int) -> dict[str, Any]:
        return self._embed(request, SourceKey("link", link_id), LINK_BODY)

    @route(
        "DELETE",
        f"/api/internal/chatbot/<{ID}:chatbot_id>/source/<source_type>/<{ID}:source_id>",
        summary="Delete the embeddings of one document or link",
        description="`source_type` is `document` or `link` (else 400); 404 when the "
        "chatbot has no embeddings of that source.",
        answer={
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "chatbot_id": {"type": "integer"},
                "source_type": {"type": "string"},
                "source_id": {"type": "integer"},
                "deleted_count": {"type": "integer"},
            },
        },
        errors=(400, 404, 503),
    )
    def delete_source(
        self, request: Request, chatbot_id: int, source_type: str, source_id: int
    ) -> dict[str, Any]:
        if source_type not in SOURCE_TYPES:
            raise HttpError(400, f"source_type must be one of {', '.join(SOURCE_TYPES)}")
        with self.resources.database() as db:
            deleted = store.delete_source(db, chatbot_id, SourceKey(source_type, source_id))
        if not deleted:
            raise HttpError(
                404, f"no embeddings of {source_type} {source_id} in chatbot {chatbot_id}"
            )
        return {
            "status": "success",
            "chatbot_id": chatbot_id,
            "source_type": source_type,
            "source_id": source_id,
            "deleted_count": deleted,
        }

    @route(
        "DELETE",
        f"/api/internal/chatbot/<{ID}:chatbot_id>/cleanup",
        summary="Delete every embedding and chat session of a chatbot",
        answer={
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "chatbot_id": {"type": "integer"},
                "embeddings_deleted": {"type": "integer"},
                "sessions_deleted": {"type": "integer"},
            },
        },
        errors=(503,),
    )
    def cleanup_chatbot(self, request: Request, chatbot_id: int) -> dict[str, Any]:
        with self.resources.database() as db:
            embeddings, sessions = store.delete_chatbot(db, chatbot_id)
        return {
            "status": "success",
            "chatbot_id": chatbot_id,
            "embeddings_deleted": embeddings,
            "sessions_deleted": sessions,
        }

    @route(
        "POST",
        f"/api/chatbot/<{ID}:chatbot_id>/search",
        summary="The chatbot's chunks nearest to a question",
        description="Cosine similarity over the HNSW index, best first; `source_type` "
        "limits the search to documents or links.",
        body=SEARCH_BODY,
        answer=SEARCH_ANSWER,
        errors=(503,),
    )
    def search(self, request: Request, chatbot_id: int) -> dict[str, Any]:
        body = self._body(request, SEARCH_BODY)
        query = Cleaning().text(body["query"])
        if not query.strip():
            raise HttpError(422, "body.query must not be empty or only whitespace")
        embedder = self.resources.embedder
        with self.resources.database() as db:
            rows, sources = run.search(
                db, embedder, chatbot_id, query, body.get("k", 5), body.get("source_type")
            )
        return {
            "status": "success",
            "chatbot_id": chatbot_id,
            "embedding_model": embedder.model,
            "results": [
                {
                    "score": round(float(row["score"]), 6),
                    "content": row["content"],
                    "source_type": row["source_type"],
                    "source_id": row["source_id"],
                    "chunk_index": row["chunk_index"],
                    "url": row["source_url"],
                }
                for row in rows
            ],
            "sources": sources,
        }

    # -- shared steps -----------------------------------------------------------------
    def _authorize(self, request: Request) -> None:
        """Every route not declared `public` (mount runs it before the view)."""
        require_api_key(request, KEY_HEADER, self.resources.knowledge.api_key)

    def _body(self, request: Request, schema: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = json_body(request, self.resources.knowledge.max_body_bytes)
        check_body(body, schema)
        return body

    def _embed(self, request: Request, key: SourceKey, schema: dict[str, Any]) -> dict[str, Any]:
        body = self._body(request, schema)
        cleaning = Cleaning()
        # An empty text (a scanned PDF without OCR) is not an error for Odoo's caller: it
        # replaces the source's chunks with none and the answer says why.
        content = cleaning.text(body["content"])
        try:
            metadata = cleaning.json(body.get("metadata") or {})
        except CleaningError as exc:
            raise HttpError(422, f"body.metadata {exc}") from None
        size = len(json.dumps(metadata, ensure_ascii=False).encode())
        if size > MAX_METADATA_BYTES:
            raise HttpError(413, f"body.metadata is {size} bytes as JSON; at most "
                            f"{MAX_METADATA_BYTES} are stored per source")  # fmt: skip
        url = body.get("url") if key.source_type == "link" else None
        source = Source(
            chatbot_id=body["chatbot_id"],
            key=key,
            content=content,
            metadata=metadata,
            url=cleaning.text(url) if url else None,
        )
        settings = self.resources.knowledge
        embedder = self.resources.embedder
        with self.resources.database() as db:
            result = run.index_source(db, embedder, settings, source)
        return _embed_answer_body(
            key, source, result, cleaning, embedder.model, settings.max_chunks
        )


def _embed_answer_body(
    key: SourceKey, source: Source, result: Indexed, cleaning: Cleaning, model: str, cap: int
) -> dict[str, Any]:
    chunking = result.chunking
    warnings = []
    if not chunking.chunks:
        warnings.append(
            "the text is empty or only whitespace (a scanned PDF?): nothing is searchable, "
            "the source's old chunks were removed"
        )
    if chunking.over_limit:
        warnings.append(
            f"the text needs {chunking.total} chunks but at most {cap} are stored per "
            f"source (KNOWLEDGE_MAX_CHUNKS): characters after {chunking.characters_covered} "
            f"of {chunking.characters} are not searchable"
        )
    if cleaning.nul_removed:
        warnings.append(f"{cleaning.nul_removed} NUL characters were removed")
    if cleaning.surrogates_replaced:
        warnings.append(
            f"{cleaning.surrogates_replaced} lone UTF-16 surrogates were replaced by U+FFFD"
        )
    return {
        "status": "success",
        f"{key.source_type}_id": key.source_id,
        "chatbot_id": source.chatbot_id,
        "embeddings_count": result.stored,
        "chunks_created": result.stored,
        "chunks_embedded": result.embedded,
        "chunks_reused": result.reused,
        "chunks_over_limit": chunking.over_limit,
        "characters": chunking.characters,
        "characters_covered": chunking.characters_covered,
        "replaced": result.removed,
        "embedding_model": model,
        "cleaned": cleaning.report(),
        "warnings": warnings,
        **({"reason": warnings[0]} if not chunking.chunks else {}),
    }


def describe() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the `embed-document` function."""
    return openapi_document(
        KnowledgeApi,
        title="odoo-engines embed-document",
        version=__version__,
        description="Chatbot documents and links from Odoo: chunks, embeddings in pgvector, "
        "deletion per source, cleanup per chatbot and retrieval search.",
        key_header=KEY_HEADER,
    )


def create_handler(
    resources: KnowledgeResources | None = None,
) -> Callable[[Request], Response]:
    """The function's entry point: one set of resources (settings, connection) per instance."""
    return KnowledgeApi(resources or KnowledgeResources()).router
