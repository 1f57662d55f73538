"""`odoo-engines sync products`, `odoo-engines search`, `odoo-engines products reembed`."""

from __future__ import annotations

import json
import time

import click

from ..app import App, pass_app, report_checks


@click.command("products")
@click.option("--full", is_flag=True, help="Read the whole catalogue, not just changes.")
@click.option("--check", is_flag=True, help="Only test Odoo, database and embeddings.")
@pass_app
def sync_products_command(app: App, full: bool, check: bool) -> None:
    """Sync Odoo's catalogue into PostgreSQL and embed what changed."""
    from odoo_engines.products.handlers import check_products, sync_products

    if check or app.settings.test_connections_only:
        report_checks(check_products(app.settings))
        return
    result = sync_products(app.settings, full=full or None)
    click.echo(
        f"{result.products_processed} products read: {result.products_inserted} new, "
        f"{result.products_updated} updated, {result.products_deactivated} deactivated; "
        f"{result.embeddings_generated} embedded in {result.embedding_calls} call(s); "
        f"{result.odoo_calls} Odoo calls, {result.duration_seconds:.1f} s"
        + (" (continues in a new run)" if result.continued else "")
    )
    if result.skipped:
        click.echo(f"skipped: {result.skipped}")
    for sku, ids in result.duplicate_skus.items():
        click.echo(f"warning: SKU {sku!r} is shared by Odoo variants {ids}", err=True)


@click.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def search_command(app: App, query: str, limit: int, as_json: bool) -> None:
    """Find products by meaning (an exact SKU or barcode comes first)."""
    from odoo_engines.embeddings import get_embedder
    from odoo_engines.products.search import search_products

    started = time.perf_counter()
    hits = search_products(app.db(), get_embedder(app.settings), query, limit)
    elapsed = (time.perf_counter() - started) * 1000
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    for hit in hits:
        click.echo(f"{hit.similarity:6.3f}  {hit.sku:<20} {hit.name}  [{hit.category_name or '-'}]")
    click.echo(f"{len(hits)} result(s) in {elapsed:.0f} ms", err=True)


@click.group("products")
def products_group() -> None:
    """Product engine maintenance."""


@products_group.command("reembed")
@click.confirmation_option(prompt="Drop every stored product vector and re-embed on the next sync?")
@pass_app
def reembed_command(app: App) -> None:
    """Switch the vector column to EMBEDDING_DIMENSIONS; the next sync embeds everything."""
    from odoo_engines.core.db import Database, migrate
    from odoo_engines.core.db.connection import open_connection
    from odoo_engines.products.store import reset_dimensions

    db = Database(open_connection(app.settings.database))
    try:
        migrate(db, app.settings.embedding.dimensions)
        reset_dimensions(db, app.settings.embedding.dimensions)
    finally:
        db.close()
    click.echo(
        f"products.embedding is now vector({app.settings.embedding.dimensions}); "
        "run `odoo-engines sync products` to embed the catalogue"
    )
