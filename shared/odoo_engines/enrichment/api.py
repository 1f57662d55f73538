"""The `enrich` HTTP function: its routes, JSON shapes, API key and health check.

One `EnrichApp` lives per process (built by the function's main.py): it holds the
settings, one database connection per worker thread, and the LLM writer with the
circuit breaker every request shares.

Access: every route but `GET /health` requires `X-Enrich-API-Key` equal to
`ENRICH_API_KEY` (constant-time compare), reads included — products, stock levels and
alerts are business data, and a Cloud Function URL is reachable from the internet
unless IAM fronts it. Without a key configured the API is open outside production (the
local stack) and answers 503 in production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, overload

import structlog
from flask import Request, Response

from ..core.db import Database, connect
from ..core.errors import ConfigError, PermanentError, TransientError
from ..core.logging import get_logger
from ..core.settings import Settings, load_settings
from ..core.triggers import HttpError, Router, json_body, json_response, require_api_key
from ..llm.offline import OFFLINE_MODEL
from . import service, store
from .resilience import CircuitBreaker, CircuitOpenError
from .validation import choice, page, parse_edit, parse_new_product, parse_sale
from .writer import ProductWriter, build_writer

SERVICE = "enrich"
API_KEY_HEADER = "X-Enrich-API-Key"
ID = "int(max=9223372036854775807)"  # bigint: larger ids are unknown routes, not SQL errors
log = get_logger("enrichment.api")


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


class EnrichApp:
    """The `enrich` function's state for one process, and its request handler."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        self._lock = threading.RLock()
        self._settings: Settings | None = None
        self._breaker: CircuitBreaker | None = None
        self._writer: ProductWriter | None = None
        self._local = threading.local()
        self.router = self._routes()

    # -- process-wide resources, built on first use ---------------------------------
    @property
    def settings(self) -> Settings:
        """Read from the environment on first use (a bad value raises ConfigError)."""
        with self._lock:
            if self._settings is None:
                settings = load_settings(self._env)
                if not settings.enrichment.api_key and not settings.is_production:
                    log.warning("enrich_api_unprotected", reason="ENRICH_API_KEY is not set")
                self._breaker = CircuitBreaker(
                    settings.enrichment.breaker_failures, settings.enrichment.breaker_open_seconds
                )
                self._settings = settings
            return self._settings

    @property
    def breaker(self) -> CircuitBreaker:
        """The LLM circuit breaker every request of this process shares."""
        _ = self.settings  # built with the settings
        assert self._breaker is not None
        return self._breaker

    def writer(self) -> ProductWriter:
        """The LLM writer (OpenAI with a key, else offline), built once per process."""
        with self._lock:
            if self._writer is None:
                self._writer = build_writer(self.settings, self.breaker)
            return self._writer

    @contextmanager
    def database(self) -> Iterator[Database]:
        """This thread's connection (statement_timeout = DB_TIMEOUT); dropped after a
        transient database error so the next request reconnects."""
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
        except TransientError as exc:
            self._local.db = None
            db.close()
            log.error("database_unavailable", error=str(exc))
            raise

    # -- the request handler --------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        """Answer one request; logs its method, path, status and latency."""
        started = time.perf_counter()
        try:
            _ = self.settings
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

    def _protect(self, request: Request) -> None:
        expected = self.settings.enrichment.api_key
        if expected or self.settings.is_production:
            require_api_key(request, API_KEY_HEADER, expected)

    # -- routes ---------------------------------------------------------------------
    def _routes(self) -> Router:
        router = Router(SERVICE)
        router.route("/health")(self.health)
        router.route("/products")(self.list_products)
        router.route("/products", methods=("POST",))(self.create_product)
        router.route(f"/products/<{ID}:product_id>")(self.get_product)
        router.route(f"/products/<{ID}:product_id>", methods=("PATCH",))(self.edit_product)
        router.route(f"/products/<{ID}:product_id>/sell", methods=("POST",))(self.sell)
        router.route("/categories")(self.categories)
        router.route("/alerts")(self.list_alerts)
        router.route(f"/alerts/<{ID}:alert_id>/ack", methods=("POST",))(self.acknowledge)
        from ..consoles.web import mount_panel  # the admin panel: page at /, plan, search

        mount_panel(self, router)
        return router

    def create_product(self, request: Request) -> tuple[dict[str, Any], int]:
        """POST /products {name, keywords, stock} → 201 with the described, filed product."""
        self._protect(request)
        new = parse_new_product(json_body(request, self.settings.enrichment.max_body_bytes))
        settings = self.settings.enrichment
        with self.database() as db:
            categories = store.known_categories(db, settings.default_categories)
        try:
            enrichment = self.writer().enrich(new.name, new.keywords, categories)
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
        with self.database() as db:
            created = service.save_product(db, settings, new, enrichment)
        body = product_json(created["product"])
        body["alert"] = alert_json(created["alert"])
        return body, 201

    def list_products(self, request: Request) -> dict[str, Any]:
        """GET /products?limit&offset&review_status → a page, newest first."""
        self._protect(request)
        limit, offset = page(request.args)
        status = choice(request.args, "review_status", ("filed", "needs_review"), None)
        with self.database() as db:
            rows, total = store.list_products(db, limit, offset, status)
        return _page_json([product_json(r) for r in rows], total, limit, offset)

    def get_product(self, request: Request, product_id: int) -> dict[str, Any]:
        """GET /products/{id}."""
        self._protect(request)
        with self.database() as db:
            row = store.get_product(db, product_id)
        if row is None:
            raise HttpError(404, f"no product with id {product_id}")
        return product_json(row)

    def edit_product(self, request: Request, product_id: int) -> dict[str, Any]:
        """PATCH /products/{id} {description?, category?}: a person's edit."""
        self._protect(request)
        max_length = self.settings.enrichment.description_max_length
        edit = parse_edit(json_body(request, self.settings.enrichment.max_body_bytes), max_length)
        with self.database() as db:
            row = service.edit_product(db, self.settings.enrichment, product_id, edit)
        return product_json(row)

    def sell(self, request: Request, product_id: int) -> dict[str, Any]:
        """POST /products/{id}/sell {new_stock} or {quantity} → the new stock and any alert."""
        self._protect(request)
        sale = parse_sale(json_body(request, self.settings.enrichment.max_body_bytes))
        with self.database() as db:
            result = service.record_sale(db, self.settings.enrichment, product_id, sale)
        return {
            "updated_stock": result["updated_stock"],
            "product": product_json(result["product"]),
            "alert": alert_json(result["alert"]),
        }

    def categories(self, request: Request) -> dict[str, Any]:
        """GET /categories: the list the LLM files into (Odoo's when synced, else defaults)."""
        self._protect(request)
        with self.database() as db:
            names = store.known_categories(db, self.settings.enrichment.default_categories)
        return {"items": names, "total": len(names)}

    def list_alerts(self, request: Request) -> dict[str, Any]:
        """GET /alerts?status=open|acknowledged|all&limit&offset, newest first."""
        self._protect(request)
        limit, offset = page(request.args)
        status = choice(request.args, "status", store.ALERT_STATUSES, "all")
        with self.database() as db:
            rows, total = store.list_alerts(db, status, limit, offset)
        return _page_json([alert_json(r) for r in rows], total, limit, offset)

    def acknowledge(self, request: Request, alert_id: int) -> dict[str, Any] | None:
        """POST /alerts/{id}/ack: acknowledged (again is harmless)."""
        self._protect(request)
        with self.database() as db:
            return alert_json(service.acknowledge(db, alert_id))

    def health(self, request: Request) -> tuple[dict[str, Any], int]:
        """GET /health: database round trip and the LLM's circuit breaker (no LLM call)."""
        started = time.perf_counter()
        try:
            with self.database() as db:
                db.fetchval("SELECT 1")
            database = {
                "status": "ok",
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        except TransientError as exc:
            database = {"status": "unavailable", "error": str(exc)}
        breaker = self.breaker.snapshot()
        llm = {
            "status": {"closed": "ok", "half_open": "recovering", "open": "unavailable"}[
                breaker["state"]
            ],
            "provider": "openai" if self.settings.openai.api_key else "offline",
            "model": self._writer.model if self._writer else self._configured_model(),
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

    def _configured_model(self) -> str:
        return self.settings.openai.text_model if self.settings.openai.api_key else OFFLINE_MODEL
