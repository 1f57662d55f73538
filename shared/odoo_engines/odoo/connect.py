"""`connect_odoo(settings.odoo)`: a logged-in client to the configured Odoo or the sandbox."""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from typing import Any

from ..config import OdooSettings
from ..errors import ConfigError
from .client import OdooClient

SANDBOX_DB = "sandbox"
SANDBOX_SEED = 42


@dataclass(frozen=True)
class SandboxAccount:
    """Where the in-process sandbox Odoo listens and how to log in."""

    url: str
    db: str
    login: str
    password: str


_sandbox_lock = threading.Lock()
_sandbox: SandboxAccount | None = None


def sandbox_account() -> SandboxAccount:
    """The sandbox Odoo of this process with the demo company, started on first use."""
    global _sandbox
    with _sandbox_lock:
        if _sandbox is None:
            # Imported here: the sandbox is never needed in production.
            from ..sandbox.odoo import DemoSpec, SandboxOdoo

            server = SandboxOdoo(host="127.0.0.1", port=0)
            server.start()
            atexit.register(server.stop)
            db = server.add_database(SANDBOX_DB, spec=DemoSpec(), seed=SANDBOX_SEED)
            _sandbox = SandboxAccount(server.url, db.name, db.login, db.api_key)
        return _sandbox


def connect_odoo(settings: OdooSettings, login: bool = True) -> OdooClient:
    """A client logged into `settings`' Odoo, or into the sandbox when no URL is set.

    With `login=False` nothing is sent yet (for a client that resumes a saved session).
    """
    if settings.missing:
        raise ConfigError(settings.missing)
    if settings.is_sandbox:
        account = sandbox_account()
        url, db, username, password = account.url, account.db, account.login, account.password
    else:
        assert settings.url  # not the sandbox and nothing missing: the URL is set
        url, db, username, password = (
            settings.url,
            settings.db,
            settings.username,
            settings.password,
        )
    client = OdooClient(
        url,
        db,
        username,
        password,
        protocol=settings.protocol,
        timeout=settings.timeout,
        min_delay=settings.min_delay,
        page_size=settings.page_size,
        overlap_seconds=settings.overlap_seconds,
        lang=settings.lang,
    )
    return client.login() if login else client


def check_odoo(settings: OdooSettings) -> dict[str, Any]:
    """Connect and log in as `TEST_CONNECTIONS_ONLY` does: version, uid, db (typed errors)."""
    with connect_odoo(settings) as client:
        return client.check()
