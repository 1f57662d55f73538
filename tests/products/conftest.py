"""The product engine's tests run against the embedded PostgreSQL and the sandbox Odoo."""

import pytest

from odoo_engines.core.publish import LocalPublisher
from odoo_engines.core.settings import load_settings


@pytest.fixture
def product_env(base_env, odoo_env):
    """Environment of a product sync against this test's database and sandbox Odoo."""
    return {**base_env, **odoo_env, "ODOO_PAGE_SIZE": "25"}


@pytest.fixture
def product_settings(product_env):
    return load_settings(product_env)


@pytest.fixture
def publisher():
    return LocalPublisher()
