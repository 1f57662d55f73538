"""Fixtures of the order poller's tests: settings with a local secret key, tenant admin."""

from __future__ import annotations

import io
import sys
import threading

import pytest

from odoo_engines.core.db import connect
from odoo_engines.core.logging import configure_logging
from odoo_engines.orders.admin import TenantAdmin
from odoo_engines.orders.payload import CONFIRMED, encode
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import LocalSecretStore
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines.orders.signing import webhook_id
from odoo_engines.orders.store import Event, enqueue, record

from .shop import EMPTY_SHOP

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def log_output():
    """What the product logs during the test, as JSON lines in a StringIO."""
    out = io.StringIO()
    configure_logging("INFO", "json", out)
    yield out
    configure_logging("INFO", "json", sys.stderr)


@pytest.fixture
def orders_settings(orders_env):
    """The orders engine's settings slice, read from the test's environment."""
    return load_orders_settings(orders_env)


@pytest.fixture
def store(orders_settings):
    return LocalSecretStore(orders_settings.secret_key)


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


@pytest.fixture
def make_shop(sandbox_databases):
    """Factory: a sandbox Odoo database with products and customers but no orders yet."""
    return lambda version="17.0": sandbox_databases(version, spec=EMPTY_SHOP, seed=3)


@pytest.fixture
def shop(make_shop):
    """An Odoo 17 sandbox database without orders."""
    return make_shop()


def queue_failed(db, tenant, order_ids, max_attempts=5, error="HTTP 503"):
    """Events whose first send failed, as a poll cycle leaves them."""
    events = [
        Event(
            tenant.id,
            order_id,
            f"odoo_acme_{order_id}",
            CONFIRMED,
            webhook_id(tenant.id, order_id, CONFIRMED),
            encode({"event": CONFIRMED, "external_id": f"odoo_acme_{order_id}"}),
        )
        for order_id in order_ids
    ]
    record(db, events)
    enqueue(db, [(e, error, 503, 0.0) for e in events], max_attempts)
    return events


def at_once(settings, job, times: int = 2) -> list:
    """Run `job(db)` in `times` threads at once, each on its own connection; the results."""
    results, errors = [], []
    start = threading.Barrier(times)

    def run():
        own = connect(settings)
        try:
            start.wait()
            results.append(job(own))
        except Exception as exc:  # re-raised below, in the test's thread
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    if errors:
        raise errors[0]
    return results
