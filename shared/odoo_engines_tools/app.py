"""What a CLI command needs, built lazily: settings, database, Odoo client.

Engine command modules import `App` and `pass_app` from here (not from `cli`, which
imports them) so the command tree has no import cycle.
"""

from __future__ import annotations

from functools import cached_property

import click

from odoo_engines.core.checks import Check
from odoo_engines.core.settings import Settings, load_settings


class App:
    """What a command needs, built lazily: settings, database, Odoo client, publisher."""

    def __init__(self, settings: Settings | None = None):
        self._settings = settings
        self._db = None
        self._odoo = None

    @cached_property
    def settings(self) -> Settings:
        return self._settings or load_settings()

    def db(self):
        """The database, migrated on first use."""
        if self._db is None:
            from odoo_engines.core.db import connect

            self._db = connect(self.settings)
        return self._db

    def odoo(self):
        """The Odoo client, logged in on first use (the sandbox when no URL is set)."""
        if self._odoo is None:
            from odoo_engines.odoo import connect_odoo

            self._odoo = connect_odoo(self.settings.odoo)
        return self._odoo

    def close(self) -> None:
        if self._odoo is not None:
            self._odoo.close()
            self._odoo = None
        if self._db is not None:
            self._db.close()
            self._db = None


pass_app = click.make_pass_decorator(App)


def report_checks(checks: list[Check]) -> None:
    """A connection check's answer: one line per dependency; exit status 1 if any failed."""
    for check in checks:
        click.echo(check.line())
    if not all(check.ok for check in checks):
        raise SystemExit(1)
