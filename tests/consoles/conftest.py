"""Fixtures of the consoles' tests: a local run with tenants' secrets, the console's backend."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import functions_framework
import pytest

from odoo_engines.core.publish import LocalPublisher
from odoo_engines.core.settings import load_settings
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines.products.handlers import sync_products
from odoo_engines_tools.tui.backend import OrdersBackend

API_KEY = "odoo-api-key-3f9a1c"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def console_settings(orders_env):
    return load_settings(orders_env)


@pytest.fixture
def console_orders(orders_env, console_settings):
    """The orders engine's settings slice of the same environment."""
    return load_orders_settings(orders_env, console_settings)


@pytest.fixture
def backend(console_settings, console_orders, db):
    """The console's backend on this test's database."""
    return OrdersBackend(console_settings, db, console_orders)


def add_tenant(backend, webhook_url, name="Le Juste", odoo=None, **changes):
    """A tenant on `odoo` (a sandbox database) or a dead local port, via the orders package."""
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
    return backend.add_tenant(values, getattr(odoo, "api_key", API_KEY), SECRET)


def drive(app, scenario, size=(150, 48)):
    """Run `await scenario(pilot)` against `app` headless (Textual's Pilot)."""

    async def main():
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


async def settle(pilot, rounds: int = 3) -> None:
    """Wait until the workers started so far (and those their results start) are done."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app) -> str:
    """What the terminal shows now, as text."""
    return app.export_screenshot()


SOURCE = Path(__file__).resolve().parents[2] / "functions" / "enrich" / "main.py"


def _enrich_env(monkeypatch, base_env, overrides):
    for name in list(os.environ):
        if name.startswith(("ENRICH_", "OPENAI_")):
            monkeypatch.delenv(name)
    env = {**base_env, "ENRICH_LLM_BACKOFF_SECONDS": "0.01", **overrides}
    for name, value in env.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def enrich_client(base_env, monkeypatch):
    """`enrich_client(**env)`: the `enrich` function's test client with `env` on top."""

    def make(**overrides: str):
        _enrich_env(monkeypatch, base_env, overrides)
        return functions_framework.create_app("enrich", str(SOURCE)).test_client()

    return make


@pytest.fixture
def serve_enrich(base_env, monkeypatch, serve_function):
    """`serve_enrich(**env)`: the `enrich` function under functions-framework on
    127.0.0.1 (real HTTP, a thread); returns its base URL."""

    def start(**overrides: str) -> str:
        _enrich_env(monkeypatch, base_env, overrides)
        return serve_function("enrich", "enrich", {})

    return start


@pytest.fixture
def synced_catalogue(base_env, odoo_env, db):
    """The sandbox Odoo's catalogue synced and embedded into this test's database; its
    active products whose SKU is theirs alone (the demo company repeats one)."""
    sync_products(load_settings({**base_env, **odoo_env}), publisher=LocalPublisher())
    return db.rows(
        "SELECT odoo_id, sku, name, category_name FROM products WHERE is_active AND sku IN"
        " (SELECT sku FROM products GROUP BY sku HAVING count(*) = 1) ORDER BY odoo_id"
    )
