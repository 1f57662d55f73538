"""`odoo-engines odoo …`: check the configured Odoo connection."""

from __future__ import annotations

import click

from ..app import App, pass_app


@click.group("odoo")
def odoo() -> None:
    """The Odoo connection (the sandbox when no ODOO_*_URL is set)."""


@odoo.command("check")
@pass_app
def check(app: App) -> None:
    """Log in and print the server version, database, protocol and user id."""
    info = app.odoo().check()
    click.echo(
        f"Odoo {info['version']} at {info['url']}: database {info['db']}, "
        f"user {info['user']} (uid {info['uid']}), protocol {info['protocol']}, "
        f"language {info['lang']}"
    )
