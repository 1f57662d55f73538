"""`odoo-engines demo`: the main jobs on the embedded defaults, one step after another.

Each engine adds a step; a step prints what it did in a few readable lines.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from .cli import App
from .knowledge.cli import demo as knowledge_demo


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


STEPS: list[tuple[str, Callable[[App], None]]] = [
    ("Database", step_database),
    ("Knowledge: chatbot documents embedded and searched", knowledge_demo),
]


def run_demo(app: App) -> None:
    for number, (title, step) in enumerate(STEPS, start=1):
        click.secho(f"\n[{number}/{len(STEPS)}] {title}", bold=True)
        step(app)
    click.secho("\nDemo finished.", bold=True)
