"""`odoo-engines demo`: the main jobs on the embedded defaults, one step after another.

Each engine adds a step; a step prints what it did in a few readable lines.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from .cli import App


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


STEPS: list[tuple[str, Callable[[App], None]]] = [
    ("Database", step_database),
    ("Odoo", step_odoo),
]


def run_demo(app: App) -> None:
    for number, (title, step) in enumerate(STEPS, start=1):
        click.secho(f"\n[{number}/{len(STEPS)}] {title}", bold=True)
        step(app)
    click.secho("\nDemo finished.", bold=True)
