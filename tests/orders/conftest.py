"""Fixtures of the order poller's tests: settings with a local secret key, tenant admin."""

from __future__ import annotations

import io
import sys

import pytest
from cryptography.fernet import Fernet

from odoo_engines.config import load_settings
from odoo_engines.logging import configure_logging
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import LocalSecretStore
from odoo_engines.orders.tenants import TenantAdmin

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def orders_env(base_env) -> dict[str, str]:
    """The local run's environment plus a fresh key for tenants' secrets.

    Retries are due at once (base 0 s, no jitter) so tests need not wait.
    """
    return {
        **base_env,
        "ORDERS_SECRET_KEY": Fernet.generate_key().decode(),
        "ORDERS_RETRY_BASE_SECONDS": "0",
        "ORDERS_RETRY_JITTER": "0",
        "ORDERS_WEBHOOK_TIMEOUT": "5",
    }


@pytest.fixture
def log_output():
    """What the product logs during the test, as JSON lines in a StringIO."""
    out = io.StringIO()
    configure_logging("INFO", "json", out)
    yield out
    configure_logging("INFO", "json", sys.stderr)


@pytest.fixture
def orders_settings(orders_env):
    return load_settings(orders_env)


@pytest.fixture
def store(orders_settings):
    return LocalSecretStore(orders_settings.orders.secret_key)


@pytest.fixture
def admin(db, store):
    return TenantAdmin(db, store, LocalSchedulerJobs(db), production=False)


def add_tenant(admin, webhook_url, name="Le Juste", odoo=None, **changes):
    """A tenant whose webhooks go to `webhook_url`; `odoo` is a sandbox database or None."""
    values = {
        "name": name,
        "odoo_url": getattr(odoo, "url", "http://127.0.0.1:9"),
        "odoo_db": getattr(odoo, "name", "acme"),
        "odoo_username": getattr(odoo, "login", "admin"),
        "store_id": "store_1",
        "client_id": "client_1",
        "webhook_url": webhook_url,
        **changes,
    }
    return admin.add(values, getattr(odoo, "api_key", "admin"), SECRET)
