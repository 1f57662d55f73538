"""The admin panel the `enrich` function serves: its page at `/`, its assets under
`/panel/static/`, and read-only JSON the page needs besides the enrichment API:

- `GET /panel/api/plan?year=&month=`: the production plan (latest month by default);
- `GET /panel/api/forecast?sku=`: one SKU's monthly demand and forecast, for its chart;
- `GET /panel/api/search?q=&limit=`: semantic search over the synced catalogue (the
  products engine's `search_products`), each hit linked to its enriched product if any.

The page is static (no data in it) and open; the JSON routes ask for the same API key
as the rest of the function. Plain HTML, ES modules and CSS: no build step.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Request, Response

from ...core.triggers import HttpError, Router, refuse_nul, whole_number_arg
from ...embeddings import get_embedder
from ...products.search import MAX_LIMIT, search_products
from .. import plan

if TYPE_CHECKING:
    from ...enrichment.api import EnrichApp

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


def mount_panel(app: EnrichApp, router: Router) -> None:
    """Add the panel's routes to the `enrich` function's `router`."""
    # one embedder per instance: an OpenAI client keeps its connections between searches
    embedder = cache(lambda: get_embedder(app.settings))

    def panel_page(request: Request) -> Response:
        return _file("index.html")

    def panel_static(request: Request, name: str) -> Response:
        return _file(name)

    def panel_plan(request: Request) -> dict[str, Any]:
        app._protect(request)
        year = whole_number_arg(request.args, "year", 2000, 2100)
        month = whole_number_arg(request.args, "month", 1, 12)
        if (year is None) != (month is None):
            raise HttpError(400, "give both year and month, or neither for the latest plan")
        with app.database() as db:
            return plan.production_plan(db, year, month)

    def panel_forecast(request: Request) -> dict[str, Any]:
        app._protect(request)
        sku = refuse_nul(request.args.get("sku") or "", "sku").strip()
        if not sku:
            raise HttpError(400, "sku is required")
        with app.database() as db:
            return plan.sku_forecast(db, sku)

    def panel_search(request: Request) -> dict[str, Any]:
        app._protect(request)
        query = refuse_nul(request.args.get("q") or "", "q").strip()
        if not query:
            raise HttpError(400, "q (what to search for) is required")
        limit = whole_number_arg(request.args, "limit", 1, MAX_LIMIT) or SEARCH_LIMIT
        with app.database() as db:
            hits = [h.as_dict() for h in search_products(db, embedder(), query, limit)]
            enriched = dict(
                db.fetchall(
                    "SELECT odoo_id, id FROM enriched_products WHERE odoo_id = ANY(%s::int[])",
                    ([h["odoo_id"] for h in hits],),
                )
            )
        for hit in hits:
            hit["enriched_product_id"] = enriched.get(hit["odoo_id"])
        return {"query": query, "items": hits}

    router.route("/")(panel_page)
    router.route("/panel/static/<name>")(panel_static)
    router.route("/panel/api/plan")(panel_plan)
    router.route("/panel/api/forecast")(panel_forecast)
    router.route("/panel/api/search")(panel_search)
