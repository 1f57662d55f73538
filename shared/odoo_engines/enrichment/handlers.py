"""The `enrich` HTTP function: its routes (the enrichment API below and the admin panel,
`panel.py`), JSON shapes, API key, health check and OpenAPI document.

One `EnrichResources` lives per process (built by `create_handler`, from the function's
main.py): it holds the settings, one database connection per worker thread, and the LLM
writer with the circuit breaker every request shares.

Access: every route not declared `public` (all but `GET /health`, `GET /openapi.json` and
the panel's page and assets) requires `X-Enrich-API-Key` equal to `ENRICH_API_KEY`
(constant-time compare), reads included — products, stock levels and alerts are business
data, and a Cloud Function URL is reachable from the internet unless IAM fronts it.
Without a key configured the API is open outside production (the local stack) and
answers 503 in production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, overload

import structlog
from flask import Request, Response

from .. import __version__
from ..core.db import Database, connect
from ..core.errors import ConfigError, DatabaseUnavailable, PermanentError, TransientError
from ..core.logging import get_logger
from ..core.settings import Settings, load_settings
from ..core.triggers import HttpError, Router, json_body, json_response, require_api_key
from ..core.triggers.openapi import mount, openapi_document, route
from ..embeddings import get_embedder
from ..llm.offline import OFFLINE_MODEL
from . import run, store
from .panel import Panel
from .resilience import CircuitBreaker, CircuitOpenError
from .settings import EnrichmentSettings, load_enrichment_settings
from .validation import choice, page, parse_edit, parse_new_product, parse_sale
from .writer import ProductWriter, build_writer

SERVICE = "enrich"
API_KEY_HEADER = "X-Enrich-API-Key"
ID = "int(max=9223372036854775807)"  # bigint: larger ids are unknown routes, not SQL errors
log = get_logger("enrichment.api")  # the name its log lines have always carried


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def product_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The API's product: the seed's fields plus review state and AI provenance."""
    provenance = row["description_provenance"]
    confidence = row["category_confidence"]
    return {
        "id": row["id"],
        "name": row["name"],
        "keywords": list(row["keywords"] or []),
        "stock": row["stock"],
        "low_stock": row["low_stock"],
        "description": row["description"],
        "description_source": row["description_source"],
        "category": row["category"],
        "suggested_category": row["suggested_category"],
        "category_confidence": round(confidence, 3) if confidence is not None else None,
        "category_source": row["category_source"],
        "review_status": row["review_status"],
        "ai": {"provider": provenance["provider"], "model": provenance["model"]}
        if provenance
        else None,
        "provenance": {
            "description": provenance,
            "category": row["category_provenance"],
        },
        "origin": row["origin"],
        "sku": row["sku"],
        "odoo_id": row["odoo_id"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
    }


@overload
def alert_json(row: Mapping[str, Any]) -> dict[str, Any]: ...
@overload
def alert_json(row: None) -> None: ...
def alert_json(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The seed's alert `{product_name, current_stock, alert_message}` with id and state."""
    if row is None:
        return None
    return {
        "id": row["id"],
        "product_id": row["product_id"],
        "product_name": row["product_name"],
        "current_stock": row["current_stock"],
        "threshold": row["threshold"],
        "alert_message": row["alert_message"],
        "created_at": _iso(row["created_at"]),
        "acknowledged": row["acknowledged_at"] is not None,
        "acknowledged_at": _iso(row["acknowledged_at"]),
    }


def _page_json(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
    }


class EnrichResources:
    """The `enrich` function's resources for one process, built on first use."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        self._lock = threading.RLock()
        self._settings: Settings | None = None
        self._enrichment: EnrichmentSettings | None = None
        self._breaker: CircuitBreaker | None = None
        self._writer: ProductWriter | None = None
        self._local = threading.local()

    @property
    def settings(self) -> Settings:
        """Read from the environment on first use (a bad value raises ConfigError)."""
        return self._load()[0]

    @property
    def enrichment(self) -> EnrichmentSettings:
        """The engine's settings, read with `settings`."""
        return self._load()[1]

    def _load(self) -> tuple[Settings, EnrichmentSettings]:
        with self._lock:
            if self._settings is None or self._enrichment is None:
                settings = load_settings(self._env)
                enrichment = load_enrichment_settings(self._env)
                if not enrichment.api_key and not settings.is_production:
                    log.warning("enrich_api_unprotected", reason="ENRICH_API_KEY is not set")
                self._breaker = CircuitBreaker(
                    enrichment.breaker_failures, enrichment.breaker_open_seconds
                )
                self._settings, self._enrichment = settings, enrichment
            return self._settings, self._enrichment

    @property
    def breaker(self) -> CircuitBreaker:
        """The LLM circuit breaker every request of this process shares."""
        self._load()  # built with the settings
        assert self._breaker is not None
        return self._breaker

    def writer(self) -> ProductWriter:
        """The LLM writer (OpenAI with a key, else offline), built once per process."""
        with self._lock:
            if self._writer is None:
                self._writer = build_writer(self.settings, self.enrichment, self.breaker)
            return self._writer

    @property
    def writer_model(self) -> str:
        """The writer's model, or the configured one before the writer is built."""
        if self._writer is not None:
            return self._writer.model
        return self.settings.openai.text_model if self.settings.openai.api_key else OFFLINE_MODEL

    @contextmanager
    def database(self) -> Iterator[Database]:
        """This thread's connection (statement_timeout = DB_TIMEOUT); dropped after the
        database failed so the next request reconnects."""
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = connect(self.settings)
                timeout_ms = int(self.settings.database.connect_timeout * 1000)
                db.execute(f"SET statement_timeout = {timeout_ms}")
            except TransientError as exc:
                log.critical("database_connection_lost", error=str(exc))
                raise
            self._local.db = db
        try:
            yield db
        except DatabaseUnavailable as exc:
            self._local.db = None
            db.close()
            log.error("database_unavailable", error=str(exc))
            raise


class EnrichApi:
    """The `enrich` function's routes over one process's resources, and its handler."""

    def __init__(self, resources: EnrichResources):
        self.resources = resources
        self.router = Router(SERVICE)
        mount(self.router, self, auth=self.authorize)
        # one embedder per instance: an OpenAI client keeps its connections between searches
        embedder = cache(lambda: get_embedder(resources.settings))
        mount(self.router, Panel(resources.database, embedder), auth=self.authorize)

    def __call__(self, request: Request) -> Response:
        """Answer one request; logs its method, path, status and latency."""
        started = time.perf_counter()
        try:
            _ = self.resources.settings  # read both settings, so a bad value is a 500 here
        except ConfigError as exc:
            log.error("enrich_misconfigured", error=str(exc))
            return json_response(
                {"error": "the service is misconfigured; see its logs", "status": 500}, 500
            )
        try:
            response = self.router(request)
            log.info(
                "request_finished",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
        finally:
            # the worker thread serves other requests next: their lines get their own id
            structlog.contextvars.unbind_contextvars("trace_id")
        return response

    def authorize(self, request: Request) -> None:
        """Every route not declared `public` (mount runs it before the view)."""
        expected = self.resources.enrichment.api_key
        if expected or self.resources.settings.is_production:
            require_api_key(request, API_KEY_HEADER, expected)

    # -- routes ---------------------------------------------------------------------
    @route("GET", "/health", summary="Database round trip and the LLM's circuit breaker",
           public=True, errors=(503,))  # fmt: skip
    def health(self, request: Request) -> tuple[dict[str, Any], int]:
        """GET /health: database round trip and the LLM's circuit breaker (no LLM call)."""
        started = time.perf_counter()
        try:
            with self.resources.database() as db:
                db.fetchval("SELECT 1")
            database = {
                "status": "ok",
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        except TransientError as exc:
            database = {"status": "unavailable", "error": str(exc)}
        breaker = self.resources.breaker.snapshot()
        llm = {
            "status": {"closed": "ok", "half_open": "recovering", "open": "unavailable"}[
                breaker["state"]
            ],
            "provider": "openai" if self.resources.settings.openai.api_key else "offline",
            "model": self.resources.writer_model,
            "circuit_breaker": breaker,
        }
        if database["status"] != "ok":
            status, code = "unhealthy", 503
        elif llm["status"] != "ok":
            status, code = "degraded", 200
        else:
            status, code = "healthy", 200
        body = {
            "status": status,
            "service": SERVICE,
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "dependencies": {"database": database, "llm": llm},
        }
        return body, code

    @route("GET", "/openapi.json", summary="This API as an OpenAPI 3.1 document", public=True)
    def openapi(self, request: Request) -> dict[str, Any]:
        return describe()

    @route("GET", "/products", summary="A page of products, newest first "
           "(`limit`, `offset`, `review_status`)", errors=(400,))  # fmt: skip
    def list_products(self, request: Request) -> dict[str, Any]:
        """GET /products?limit&offset&review_status → a page, newest first."""
        limit, offset = page(request.args)
        status = choice(request.args, "review_status", ("filed", "needs_review"), None)
        with self.resources.database() as db:
            rows, total = store.list_products(db, limit, offset, status)
        return _page_json([product_json(r) for r in rows], total, limit, offset)

    @route("POST", "/products", summary="Create a product the LLM describes and files "
           "(`{name, keywords, stock}`)", errors=(400, 413, 422, 502, 503),
           status=201)  # fmt: skip
    def create_product(self, request: Request) -> dict[str, Any]:
        """POST /products {name, keywords, stock} → 201 with the described, filed product."""
        settings = self.resources.enrichment
        new = parse_new_product(json_body(request, settings.max_body_bytes))
        with self.resources.database() as db:
            categories = store.known_categories(db, settings.default_categories)
        try:
            enrichment = self.resources.writer().enrich(new.name, new.keywords, categories)
        except CircuitOpenError as exc:
            log.error("llm_unavailable", reason="circuit_open", name=new.name)
            raise HttpError(
                503, f"{exc}; nothing was saved", retry_after_seconds=round(exc.retry_after, 1)
            ) from None
        except TransientError as exc:
            log.error("llm_unavailable", reason=str(exc), name=new.name)
            raise HttpError(
                503,
                f"the language model is unavailable ({exc}); nothing was saved, try again later",
            ) from None
        except PermanentError as exc:
            raise HttpError(
                502, f"the language model gave no usable answer ({exc}); nothing was saved"
            ) from None
        with self.resources.database() as db:
            created = run.save_product(db, settings, new, enrichment)
        body = product_json(created.product)
        body["alert"] = alert_json(created.alert)
        return body

    @route("GET", f"/products/<{ID}:product_id>", summary="One product")
    def get_product(self, request: Request, product_id: int) -> dict[str, Any]:
        """GET /products/{id}."""
        with self.resources.database() as db:
            row = store.get_product(db, product_id)
        if row is None:
            raise HttpError(404, f"no product with id {product_id}")
        return product_json(row)

    @route("PATCH", f"/products/<{ID}:product_id>", summary="A person's edit "
           "(`{description?, category?}`)", errors=(400, 413, 422))  # fmt: skip
    def edit_product(self, request: Request, product_id: int) -> dict[str, Any]:
        """PATCH /products/{id} {description?, category?}: a person's edit."""
        settings = self.resources.enrichment
        body = json_body(request, settings.max_body_bytes)
        edit = parse_edit(body, settings.description_max_length)
        with self.resources.database() as db:
            row = run.edit_product(db, settings, product_id, edit)
        return product_json(row)

    @route("POST", f"/products/<{ID}:product_id>/sell", summary="Record a sale "
           "(`{new_stock}` or `{quantity}`) and any low-stock alert",
           errors=(400, 409, 413, 422))  # fmt: skip
    def sell(self, request: Request, product_id: int) -> dict[str, Any]:
        """POST /products/{id}/sell {new_stock} or {quantity} → the new stock and any alert."""
        settings = self.resources.enrichment
        sale = parse_sale(json_body(request, settings.max_body_bytes))
        with self.resources.database() as db:
            result = run.record_sale(db, settings, product_id, sale)
        return {
            "updated_stock": result.updated_stock,
            "product": product_json(result.product),
            "alert": alert_json(result.alert),
        }

    @route("GET", "/categories", summary="The categories the LLM files into")
    def categories(self, request: Request) -> dict[str, Any]:
        """GET /categories: the list the LLM files into (Odoo's when synced, else defaults)."""
        with self.resources.database() as db:
            names = store.known_categories(db, self.resources.enrichment.default_categories)
        return {"items": names, "total": len(names)}

    @route("GET", "/alerts", summary="Low-stock alerts, newest first "
           "(`status`: open, acknowledged or all; `limit`, `offset`)", errors=(400,))  # fmt: skip
    def list_alerts(self, request: Request) -> dict[str, Any]:
        """GET /alerts?status=open|acknowledged|all&limit&offset, newest first."""
        limit, offset = page(request.args)
        status = choice(request.args, "status", store.ALERT_STATUSES, "all")
        with self.resources.database() as db:
            rows, total = store.list_alerts(db, status, limit, offset)
        return _page_json([alert_json(r) for r in rows], total, limit, offset)

    @route("POST", f"/alerts/<{ID}:alert_id>/ack", summary="Acknowledge an alert "
           "(again is harmless)")  # fmt: skip
    def acknowledge(self, request: Request, alert_id: int) -> dict[str, Any] | None:
        """POST /alerts/{id}/ack: acknowledged (again is harmless)."""
        with self.resources.database() as db:
            return alert_json(run.acknowledge(db, alert_id))


def describe() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the `enrich` function, its panel included."""
    return openapi_document(
        EnrichApi,
        Panel,
        title="odoo-engines enrich",
        version=__version__,
        description="AI descriptions and categories for products, stock updates and "
        "low-stock alerts; the admin panel's page and its read-only JSON.",
        key_header=API_KEY_HEADER,
    )


def create_handler(resources: EnrichResources | None = None) -> EnrichApi:
    """The function's entry point: one set of resources (settings, connections, the LLM
    writer and its circuit breaker) per process."""
    return EnrichApi(resources or EnrichResources())
