"""Fixtures of the order poller's tests: settings with a local secret key, tenant admin."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from odoo_engines.config import load_settings
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import LocalSecretStore
from odoo_engines.orders.tenants import TenantAdmin


@pytest.fixture
def orders_env(base_env) -> dict[str, str]:
    """The local run's environment plus a fresh key for tenants' secrets."""
    return {**base_env, "ORDERS_SECRET_KEY": Fernet.generate_key().decode()}


@pytest.fixture
def orders_settings(orders_env):
    return load_settings(orders_env)


@pytest.fixture
def store(orders_settings):
    return LocalSecretStore(orders_settings.orders.secret_key)


@pytest.fixture
def admin(db, store):
    return TenantAdmin(db, store, LocalSchedulerJobs(db), production=False)
