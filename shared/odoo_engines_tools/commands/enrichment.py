"""`odoo-engines enrich --missing`: describe Odoo's synced catalogue with the LLM."""

from __future__ import annotations

import sys
import uuid

import click
import structlog

from odoo_engines.core.errors import ConfigError, TransientError
from odoo_engines.core.logging import set_trace

from ..app import App, pass_app


@click.command("enrich")
@click.option(
    "--missing", is_flag=True, help="Describe synced products whose description is empty."
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many products.")
@click.option(
    "--write-back",
    is_flag=True,
    help="Also write each description to Odoo (description_sale), where Odoo's is empty.",
)
@pass_app
def enrich_command(app: App, missing: bool, limit: int | None, write_back: bool) -> None:
    """Write descriptions for Odoo's catalogue with the LLM (offline without a key)."""
    from odoo_engines.enrichment import store
    from odoo_engines.enrichment.resilience import CircuitBreaker
    from odoo_engines.enrichment.run import enrich_missing
    from odoo_engines.enrichment.settings import load_enrichment_settings
    from odoo_engines.enrichment.writer import build_writer
    from odoo_engines.products import store as products_store

    if not missing:
        raise click.UsageError("say what to enrich: --missing (products without a description)")
    trace = uuid.uuid4().hex
    set_trace(trace)
    structlog.contextvars.bind_contextvars(trace_id=trace)
    db = app.db()
    if not products_store.any_synced(db):
        raise ConfigError("no products synced yet: run `odoo-engines sync products` first")
    settings = load_enrichment_settings()
    breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_open_seconds)
    writer = build_writer(app.settings, settings, breaker)
    odoo = app.odoo() if write_back else None
    rows = store.missing_descriptions(db, limit)
    with click.progressbar(length=len(rows), label="Describing", file=sys.stderr) as bar:
        result = enrich_missing(db, writer, rows, odoo, progress=bar.update)
    click.echo(
        f"{result.candidates} product(s) without a description: {result.described} described "
        f"({writer.provider} {writer.model}), {result.unchanged} unchanged, "
        f"{result.kept_human} kept as a person wrote them, {result.failed} failed"
    )
    if write_back:
        click.echo(
            f"written back to Odoo: {result.written_back}; "
            f"{result.odoo_not_empty} already had a description in Odoo"
        )
    if result.stopped:
        raise TransientError(f"stopped early: {result.stopped}")
