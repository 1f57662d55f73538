"""The admin panel the `enrich` function serves: its page at `/`, its assets under
`/panel/static/`, and read-only JSON the page needs besides the enrichment API:

- `GET /panel/api/plan?year=&month=`: the production plan (latest month by default);
- `GET /panel/api/forecast?sku=`: one SKU's monthly demand and forecast, for its chart;
- `GET /panel/api/search?q=&limit=`: semantic search over the synced catalogue (the
  products engine's search query), each hit linked to its enriched product if any.

The page and its assets are static (no data in them) and `public`; the JSON routes ask
for the same API key as the rest of the function (`handlers` mounts them with its auth).
Plain HTML, ES modules and CSS: no build step.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from flask import Request, Response

from ..core.db import Database
from ..core.triggers import HttpError, refuse_nul, whole_number_arg
from ..core.triggers.openapi import route
from ..embeddings import Embedder
from ..products import store as products_store
from . import plan, store

STATIC = Path(__file__).with_name("static")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
# Only our own files, scripts and styles; no framing (the page holds the API key).
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
SEARCH_LIMIT = 20


def _file(name: str) -> Response:
    # names come from the directory listing, never a path built from the request
    files = {p.name: p for p in STATIC.iterdir() if p.suffix in TYPES}
    path = files.get(name)
    if path is None:
        raise HttpError(404, f"no panel file {name!r}")
    return Response(path.read_bytes(), content_type=TYPES[path.suffix], headers=HEADERS)


class Panel:
    """The panel's routes over the function instance's database and embedder."""

    def __init__(
        self,
        database: Callable[[], AbstractContextManager[Database]],
        embedder: Callable[[], Embedder],
    ):
        self.database = database
        self.embedder = embedder

    @route("GET", "/", summary="The admin panel's page", public=True, media=("text/html",))
    def panel_page(self, request: Request) -> Response:
        return _file("index.html")

    @route(
        "GET",
        "/panel/static/<name>",
        summary="The panel's scripts and styles",
        public=True,
        media=("text/javascript", "text/css"),
    )
    def panel_static(self, request: Request, name: str) -> Response:
        return _file(name)

    @route(
        "GET",
        "/panel/api/plan",
        summary="The production plan of a month (`year` and `month`, or the latest)",
        errors=(400, 404, 503),
    )
    def panel_plan(self, request: Request) -> dict[str, Any]:
        year = whole_number_arg(request.args, "year", 2000, 2100)
        month = whole_number_arg(request.args, "month", 1, 12)
        if (year is None) != (month is None):
            raise HttpError(400, "give both year and month, or neither for the latest plan")
        with self.database() as db:
            return plan.production_plan(db, year, month)

    @route(
        "GET",
        "/panel/api/forecast",
        summary="One SKU's monthly demand and forecast (`sku`)",
        errors=(400, 404, 503),
    )
    def panel_forecast(self, request: Request) -> dict[str, Any]:
        sku = refuse_nul(request.args.get("sku") or "", "sku").strip()
        if not sku:
            raise HttpError(400, "sku is required")
        with self.database() as db:
            return plan.sku_forecast(db, sku)

    @route(
        "GET",
        "/panel/api/search",
        summary="Semantic search over the synced catalogue (`q`, `limit`)",
        errors=(400, 422, 503),
    )
    def panel_search(self, request: Request) -> dict[str, Any]:
        query = refuse_nul(request.args.get("q") or "", "q").strip()
        if not query:
            raise HttpError(400, "q (what to search for) is required")
        limit = whole_number_arg(request.args, "limit", 1, products_store.MAX_LIMIT)
        embedder = self.embedder()
        vector = embedder.embed([query])[0]
        with self.database() as db:
            found = products_store.search(db, query, vector, embedder.model, limit or SEARCH_LIMIT)
            hits = [hit.as_dict() for hit in found]
            enriched = store.enriched_ids(db, [h["odoo_id"] for h in hits])
        for hit in hits:
            hit["enriched_product_id"] = enriched.get(hit["odoo_id"])
        return {"query": query, "items": hits}
