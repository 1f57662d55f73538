"""Odoo client sessions kept between runs, so a run with nothing to do costs few calls.

A scheduled sync that finds nothing new should not spend three of its round trips on
`common.version`, `authenticate` and `fields_get`. The last good session of an account
is kept in `sync_state` (no secret in it) for a few hours and forgotten on any failure,
so an upgraded Odoo or a changed user is picked up again.
"""

from __future__ import annotations

import hashlib
import time

from ..core import runs
from ..core.db import Database
from ..core.settings import OdooSettings
from ..odoo import OdooClient, connect_odoo

JOB = "odoo-session"
MAX_AGE_SECONDS = 6 * 3600


def _scope(settings: OdooSettings) -> str:
    account = f"{settings.url}|{settings.db}|{settings.username}"
    return hashlib.sha256(account.encode()).hexdigest()[:32]


def connect_with_session(db: Database, settings: OdooSettings) -> OdooClient:
    """A client for `settings`, resuming the account's saved session when it is fresh.

    Nothing is sent yet: the client logs in on its first call, so a run that finds
    another one holding the lock costs Odoo nothing and a refused login fails the run.
    """
    client = connect_odoo(settings, login=False)
    saved = runs.load_cursor(db, JOB, _scope(settings))
    if saved and time.time() - saved.get("saved_at", 0) < MAX_AGE_SECONDS:
        client.resume(saved["session"])
    return client


def save_session(db: Database, settings: OdooSettings, client: OdooClient) -> None:
    """Keep the client's session for the next run (after a successful run)."""
    state = {"saved_at": time.time(), "session": client.session()}
    runs.save_cursor(db, JOB, _scope(settings), state)


def forget_session(db: Database, settings: OdooSettings) -> None:
    """Drop the saved session (after any failure: the next run logs in afresh)."""
    runs.save_cursor(db, JOB, _scope(settings), None)
