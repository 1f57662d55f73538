"""Fixtures of the order poller's tests: settings with a local secret key, tenant admin."""

from __future__ import annotations

import io
import itertools
import sys
import threading

import pytest
from cryptography.fernet import Fernet

from odoo_engines.config import load_settings
from odoo_engines.db import connect
from odoo_engines.logging import configure_logging
from odoo_engines.orders import outbox
from odoo_engines.orders.payload import CONFIRMED, encode
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import LocalSecretStore
from odoo_engines.orders.signing import webhook_id
from odoo_engines.orders.tenants import TenantAdmin

from .shop import EMPTY_SHOP

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


_shops = itertools.count(1)


@pytest.fixture
def make_shop(sandbox_server):
    """Factory: a sandbox Odoo database with products and customers but no orders yet."""
    made = []

    def make(version: str = "17.0"):
        db = sandbox_server.add_database(
            f"shop_{next(_shops)}", version=version, spec=EMPTY_SHOP, seed=3
        )
        made.append(db)
        return db

    yield make
    sandbox_server.faults.clear()
    for db in made:
        sandbox_server.drop_database(db.name)


@pytest.fixture
def shop(make_shop):
    """An Odoo 17 sandbox database without orders."""
    return make_shop()


def queue_failed(db, tenant, order_ids, max_attempts=5, error="HTTP 503"):
    """Events whose first send failed, as a poll cycle leaves them."""
    events = [
        outbox.Event(
            tenant.id,
            order_id,
            f"odoo_acme_{order_id}",
            CONFIRMED,
            webhook_id(tenant.id, order_id, CONFIRMED),
            encode({"event": CONFIRMED, "external_id": f"odoo_acme_{order_id}"}),
        )
        for order_id in order_ids
    ]
    outbox.record(db, events)
    outbox.enqueue(db, [(e, error, 503, 0.0) for e in events], max_attempts)
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
