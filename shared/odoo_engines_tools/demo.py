"""`odoo-engines demo`: the main jobs on the embedded defaults, one step after another.

Each engine adds a step; a step prints what it did in a few readable lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from odoo_engines.core.logging import configure_logging

from .app import App
from .commands.knowledge import demo as knowledge_demo
from .orders_demo import step_orders


def step_database(app: App) -> None:
    """The embedded PostgreSQL with pgvector, migrated."""
    db = app.db()
    version = db.fetchval("SHOW server_version")
    vector = db.fetchval("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    applied = db.fetchval("SELECT count(*) FROM schema_migrations")
    click.echo(
        f"PostgreSQL {version} ({app.settings.database.mode}) with pgvector {vector}; "
        f"{applied} migrations applied"
    )


def step_odoo(app: App) -> None:
    """The sandbox Odoo answering, a few products read through our client."""
    client = app.odoo()
    info = client.check()
    click.echo(
        f"Odoo {info['version']} at {info['url']} (database {info['db']}, "
        f"{info['protocol']}), logged in as {info['user']} (uid {info['uid']})"
    )
    products = client.search_read(
        "product.product",
        [["sale_ok", "=", True]],
        ["name", "default_code", "lst_price"],
        order="id asc",
        limit=5,
    )
    for product in products:
        click.echo(
            f"  {product.get('default_code') or '-':<14} {product['name'][:40]:<40} "
            f"{product['lst_price']:>12,.2f}"
        )
    click.echo(f"{client.calls} HTTP calls to Odoo")


def step_ai_providers(app: App) -> None:
    """Semantic search over three products and one enriched description."""
    from odoo_engines.embeddings import get_embedder
    from odoo_engines.llm import get_text_generator

    embedder = get_embedder(app.settings)
    products = ["Taladro percutor inalámbrico 18 V", "Polera de algodón", "Arroz grano largo 1 kg"]
    query, *vectors = embedder.embed(["herramienta para perforar muros", *products])
    best = max(range(len(products)), key=lambda i: float(query @ vectors[i]))
    click.echo(
        f"embeddings {embedder.model} ({embedder.dimensions}-d): "
        f"'herramienta para perforar muros' -> {products[best]}"
    )
    generator = get_text_generator(app.settings)
    answer = generator.complete_json(
        "Redacta una ficha de producto en español.",
        "Producto: Taladro percutor inalámbrico 18 V\nMarca: Bosch\n"
        "Palabras clave: batería de litio, maletín, luz LED",
        {
            "type": "object",
            "properties": {
                "description": {"type": "string", "maxLength": 160},
                "category": {"type": "string", "enum": ["Herramientas", "Vestuario", "Alimentos"]},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
        "product_enrichment",
    )
    click.echo(
        f"text {generator.model}{' (offline)' if generator.offline else ''}: "
        f"{answer['category']} ({answer['confidence']:.2f}) - {answer['description']}"
    )


def step_sales(app: App) -> None:
    """The sandbox's sales synced, forecast per SKU, and the month's top production needs."""
    from odoo_engines.sales.run import forecast_everything, run_sales_sync
    from odoo_engines.sales.settings import load_sales_settings
    from odoo_engines.sales.store import forecast_models

    from .commands.sales import print_plan

    synced = run_sales_sync(app.db(), app.odoo, full=False)
    click.echo(
        f"synced {synced.orders} sale orders: {synced.lines_inserted} new lines "
        f"({synced.odoo_calls} Odoo calls, {synced.duration_seconds:.1f} s)"
    )
    sales = load_sales_settings()
    run, rows = forecast_everything(app.db(), app.odoo(), sales)
    models = forecast_models(app.db(), run.run_id)
    click.echo(
        f"forecast {run.skus} SKUs x {sales.horizon} months in {run.shards} "
        f"shard(s): " + ", ".join(f"{model} {count}" for model, count in models)
    )
    click.echo(f"top production needs for {run.target_month:%Y-%m}:")
    print_plan(rows[:8])
    if rows:
        click.echo(rows[0].explanation)


def step_enrichment(app: App) -> None:
    """The `enrich` function over HTTP: a product described by the LLM, sold below the
    low-stock threshold, and the alert that sale raised."""

    import functions_framework

    from odoo_engines.enrichment.settings import load_enrichment_settings

    from .sandbox.scheduler import get_function

    spec = get_function("enrich")
    client = functions_framework.create_app(
        spec.entry_point, str(spec.folder / "main.py"), "http"
    ).test_client()
    headers = {"X-Enrich-API-Key": load_enrichment_settings().api_key or ""}
    body = {
        "name": "Aceite de coco orgánico 500 ml",
        "keywords": ["aceite vegetal", "coco", "orgánico"],
        "stock": 12,
    }
    started = time.perf_counter()
    created = client.post("/products", json=body, headers=headers)
    if created.status_code != 201:
        click.echo(f"POST /products → {created.status_code}: {created.json['error']}")
        return
    product = created.json
    click.echo(
        f"POST /products {body['name']!r} → 201 in {time.perf_counter() - started:.1f} s "
        f"({product['ai']['provider']} {product['ai']['model']})"
    )
    click.echo(f"  description: {product['description']}")
    click.echo(
        f"  category: {product['suggested_category']} (confidence "
        f"{product['category_confidence']:.2f}, {product['review_status']})"
    )
    sold = client.post(f"/products/{product['id']}/sell", json={"quantity": 5}, headers=headers)
    click.echo(
        f"POST /products/{product['id']}/sell {{quantity: 5}} → stock {sold.json['updated_stock']}"
    )
    alert = sold.json["alert"]
    if alert:
        click.echo(f"  alert: {alert['alert_message']}")
    alerts = client.get("/alerts?status=open", headers=headers).json
    health = client.get("/health").json
    click.echo(
        f"GET /alerts?status=open → {alerts['total']} open alert(s); "
        f"GET /health → {health['status']}"
    )


def step_products(app: App) -> None:
    """Sync the sandbox's catalogue, embed it, search it by meaning; a second run is free."""
    from odoo_engines.embeddings import get_embedder
    from odoo_engines.products.handlers import sync_products
    from odoo_engines.products.search import search_products

    for label in ("first sync", "second sync"):
        r = sync_products(app.settings)
        click.echo(
            f"{label}: {r.products_processed} products read, {r.products_inserted} new, "
            f"{r.products_updated} updated, {r.embeddings_generated} embedded in "
            f"{r.embedding_calls} call(s), {r.odoo_calls} Odoo calls, {r.duration_seconds:.1f} s"
        )
    if r.duplicate_skus:
        click.echo(f"{len(r.duplicate_skus)} SKUs are shared by variants in Odoo, kept apart and "
                   f"reported: {', '.join(r.duplicate_skus)}")  # fmt: skip
    embedder = get_embedder(app.settings)
    for query in ("aceite de coco orgánico", "algo para hidratar la piel seca"):
        hits = search_products(app.db(), embedder, query, limit=3)
        found = "; ".join(f"{h.sku} {h.name} ({h.similarity:.2f})" for h in hits)
        click.echo(f"search {query!r}: {found}")


STEPS: list[tuple[str, Callable[[App], None]]] = [
    ("Database", step_database),
    ("Odoo", step_odoo),
    ("AI providers", step_ai_providers),
    ("Knowledge: chatbot documents embedded and searched", knowledge_demo),
    ("Products: catalogue sync, embeddings, semantic search", step_products),
    ("Order poller: two tenants' orders → signed webhooks", step_orders),
    ("Enrichment: AI product, sale, low-stock alert", step_enrichment),
    ("Sales and production plan", step_sales),
]


LOG_FILE = Path(".data/logs/demo.log")


def run_demo(app: App) -> None:
    """The steps' narrative on stdout, each with its time; the engines' logs go to LOG_FILE."""
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    settings = app.settings
    with LOG_FILE.open("w", encoding="utf-8") as logs:
        configure_logging(settings.log_level, "json", logs)
        try:
            started = time.perf_counter()
            for number, (title, step) in enumerate(STEPS, start=1):
                click.secho(f"\n[{number}/{len(STEPS)}] {title}", bold=True)
                step_started = time.perf_counter()
                step(app)
                click.secho(f"({time.perf_counter() - step_started:.1f} s)", dim=True)
        finally:
            configure_logging(settings.log_level, settings.log_format)
    click.secho(f"\nDemo finished in {time.perf_counter() - started:.1f} s.", bold=True)
    click.echo(f"The engines' logs (JSON lines): {LOG_FILE}")
