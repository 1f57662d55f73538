"""`odoo-engines sandbox odoo`: run the sandbox Odoo alone, until Ctrl-C."""

from __future__ import annotations

import time

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
    from .odoo import DemoSpec, Release, SandboxOdoo

    try:
        Release.parse(version)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--version") from None
    server = SandboxOdoo(host=host, port=port)
    try:
        server.start()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
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
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.stop()
