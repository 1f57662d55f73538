"""`odoo-engines sandbox …`: run the local stand-ins in the foreground, until Ctrl-C."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import click


@click.command("odoo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8069, show_default=True, type=int)
@click.option(
    "--version",
    "version",
    default="17.0",
    show_default=True,
    help="16.0, 17.0, 18.0, 19.0, 17.0+e or saas~17.2+e.",
)
@click.option("--products", default=150, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--orders-per-month", default=40, show_default=True, type=click.IntRange(0))
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--db", "db_name", default="sandbox", show_default=True, help="Database name.")
def odoo_command(
    host: str,
    port: int,
    version: str,
    products: int,
    orders_per_month: int,
    seed: int,
    db_name: str,
) -> None:
    """Serve a sandbox Odoo with the demo company (login admin, password and API key admin)."""
    from .odoo import Release, SandboxOdoo

    try:
        Release.parse(version)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--version") from None
    server = SandboxOdoo(host=host, port=port)
    try:
        server.start()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    try:  # Ctrl-C at any point from here stops the server's threads too
        _serve(server, version, products, orders_per_month, seed, db_name)
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.stop()


def _serve(server, version: str, products: int, orders_per_month: int, seed: int, db_name: str):
    from .odoo import DemoSpec

    started = time.monotonic()
    db = server.add_database(
        db_name,
        version=version,
        spec=DemoSpec(products=products, orders_per_month=orders_per_month),
        seed=seed,
    )
    ready = time.monotonic() - started
    click.echo(
        f"sandbox Odoo {db.release.server_version} at {server.url}  (ready in {ready:.1f} s)"
    )
    click.echo(f"database {db.name}, login {db.login}, password and API key {db.api_key}")
    products, orders = len(db.tables["product.product"]), len(db.tables["sale.order"])
    click.echo(f"{products} products, {orders} sale orders; Ctrl-C to stop")
    # Short sleeps: the kernel may hand Ctrl-C to a listener thread, and Python runs the
    # handler only when the main thread next runs (a one-hour sleep would not wake).
    while True:
        time.sleep(0.5)


@click.command("real-odoo")
@click.option("--series", type=click.Choice(["17.0", "18.0", "19.0"]), default="18.0",
              show_default=True)  # fmt: skip
@click.option("--port", default=8069, show_default=True, type=int)
@click.option(
    "--apps",
    type=click.Choice(["full", "sales"]),
    default="full",
    show_default=True,
    help="full: Sales, Inventory, Purchase, Manufacturing; sales: Sales only.",
)
@click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="ODOO_SOURCES",
    help="Folder with odoo-<series>.tar.xz or odoo-<series>/ [default: ../shared/odoo]",
)
def real_odoo_command(series: str, port: int, apps: str, sources: Path | None) -> None:
    """Serve real Odoo (community) with a seeded company, on 127.0.0.1, until Ctrl-C.

    The first start of a series builds its virtualenv and template databases under
    .data/real-odoo (about two minutes); later starts take seconds. Each start serves a
    fresh copy, dropped on exit.
    """
    from odoo_engines.core.errors import ConfigError

    from .real_odoo import Harness

    harness = Harness.from_environment(progress=click.echo, sources=sources)
    if harness is None or series not in harness.series:
        raise ConfigError(
            f"no sources for Odoo {series}: set ODOO_SOURCES (or --sources) to a folder with "
            f"odoo-{series}.tar.xz or a checkout odoo-{series}/ (git clone --depth 1 -b "
            f"{series} https://github.com/odoo/odoo odoo-{series})"
        )
    odoo = harness.odoo(series)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        db = odoo.new_database(apps, prefix="demo", port=port)
        click.echo(f"Odoo {series} ({apps}) at {db.url}, database {db.name}")
        click.echo(f"  admin / {db.admin.password} (API key {db.admin.api_key})")
        click.echo(f"  integration user (least privilege, API key): {db.integration.login} / "
                   f"{db.integration.api_key}")  # fmt: skip
        click.echo(f"  export ODOO_PROD_URL={db.url} ODOO_PROD_DB={db.name} "
                   f"ODOO_PROD_USERNAME={db.integration.login} "
                   f"ODOO_PROD_PASSWORD={db.integration.api_key}")  # fmt: skip
        click.echo("Ctrl-C to stop")
        while True:  # short sleeps: Ctrl-C is handled when the main thread next runs
            time.sleep(0.5)
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        harness.stop()
        odoo.drop_copies()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@click.command("openai")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8098, show_default=True, type=int)
@click.option(
    "--api-key",
    envvar="SANDBOX_OPENAI_KEY",
    default="sk-local",
    show_default=True,
    help="The Bearer key clients must send.",
)
def sandbox_openai(host: str, port: int, api_key: str) -> None:
    """An OpenAI-compatible server answering with the offline models."""
    from .openai_server import LocalOpenAI

    server = LocalOpenAI(host=host, port=port, api_key=api_key).start()
    click.echo(f"LocalOpenAI on {server.url}")
    click.echo(f"  export OPENAI_BASE_URL={server.url} OPENAI_API_KEY=<the --api-key>")
    server.serve_forever()


@click.command("sink")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8099, show_default=True, type=int)
def sandbox_sink(host: str, port: int) -> None:
    """A webhook receiver that prints each delivery and answers 200."""
    from .webhook_sink import WebhookSink

    class PrintingSink(WebhookSink):
        def handle(self, request):
            reply = super().handle(request)
            click.echo(
                f"{request.received_at:%H:%M:%S} {request.method} {request.path} "
                f"{len(request.body)} bytes -> {reply.status}"
            )
            return reply

    sink = PrintingSink(host=host, port=port).start()
    click.echo(f"webhook sink on {sink.url}")
    sink.serve_forever()
