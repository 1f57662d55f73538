"""Sandbox databases of any version and clients logged into them, with fast retries."""

from __future__ import annotations

import pytest

from odoo_engines.odoo import OdooClient, RetryPolicy

# Fast backoff so fault tests take milliseconds; the policy under test is the same.
FAST_RETRY = RetryPolicy(max_retries=4, base_delay=0.01, max_delay=0.05, max_wait=5.0)


@pytest.fixture
def make_db(sandbox_databases):
    """`make_db(version)`: a fresh small sandbox database of that Odoo version."""
    return sandbox_databases


@pytest.fixture
def connect():
    """`connect(db, **kwargs)`: an OdooClient for a sandbox database, closed after the test."""
    clients = []

    def make(db, secret: str | None = None, **kwargs) -> OdooClient:
        kwargs.setdefault("retry", FAST_RETRY)
        client = OdooClient(
            db.url, db.name, db.login, db.api_key if secret is None else secret, **kwargs
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
