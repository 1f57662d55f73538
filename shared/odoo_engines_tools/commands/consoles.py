"""`odoo-engines tui` (the order poller's terminal console) and `odoo-engines panel` (the
enrichment admin panel, served by the `enrich` function)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from odoo_engines.core.logging import configure_logging

from ..app import App, pass_app


@click.command("tui")
@click.option(
    "--poller/--no-poller",
    default=True,
    show_default=True,
    help="Run due polls and retries while the console is open (the local stand-in for "
    "Cloud Scheduler; in the cloud, Cloud Scheduler polls and this is off).",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Add two demo tenants on an in-process sandbox Odoo and webhook sink "
    "(deleted when you quit).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".data/tui.log"),
    show_default=True,
    help="Where logs go while the screen is the console's.",
)
@pass_app
def tui(app: App, poller: bool, demo: bool, log_file: Path) -> None:
    """The order poller's console: tenants, sync log, retry queue (q quits)."""
    from ..tui.app import OperatorConsole
    from ..tui.backend import OrdersBackend
    from ..tui.demo import demo_tenants

    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a") as logs:
        configure_logging(app.settings.log_level, "json", logs)
        backend = OrdersBackend(app.settings)
        try:
            with demo_tenants(backend) if demo else nullcontext():
                OperatorConsole(backend, start_poller=poller).run()
        finally:
            backend.close()


@click.command("panel")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@pass_app
def panel(app: App, host: str, port: int) -> None:
    """The enrichment admin panel: the `enrich` function with its page at /."""
    from odoo_engines.enrichment.settings import load_enrichment_settings

    from ..sandbox.scheduler import serve

    app.db()  # start (embedded) and migrate the database before the first request
    click.echo(f"admin panel on http://{host}:{port}/ (Ctrl-C stops it)")
    if load_enrichment_settings().api_key:
        click.echo("the page asks for ENRICH_API_KEY before it shows data")
    serve("enrich", host, port)
