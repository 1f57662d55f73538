"""Fixtures of the consoles' tests: a local run with tenants' secrets, the console's backend."""

from __future__ import annotations

import asyncio

import pytest
from cryptography.fernet import Fernet

from odoo_engines.config import load_settings
from odoo_engines.consoles.tui.backend import OrdersBackend

API_KEY = "odoo-api-key-3f9a1c"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def console_env(base_env) -> dict[str, str]:
    """A local run with a key for tenants' secrets; retries due at once."""
    return {
        **base_env,
        "ORDERS_SECRET_KEY": Fernet.generate_key().decode(),
        "ORDERS_RETRY_BASE_SECONDS": "0",
        "ORDERS_RETRY_JITTER": "0",
        "ORDERS_WEBHOOK_TIMEOUT": "5",
    }


@pytest.fixture
def console_settings(console_env):
    return load_settings(console_env)


@pytest.fixture
def backend(console_settings, db):
    """The console's backend on this test's database."""
    return OrdersBackend(console_settings, db)


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
