"""The Odoo addon inside real Odoo 17, 18 and 19, calling functions served on 127.0.0.1.

Per series and test module: a copy of the full template with `odoo_engines_connector`
installed by Odoo with `--test-enable` (so its own Odoo tests run, and the log is kept).
Per test: `embed-document` and `orders-api` under functions-framework on real HTTP,
configured by this test's environment, and the addon's settings pointing at them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fixtures.real_odoo import harness, real_series
from odoo_engines.odoo import OdooClient
from odoo_engines_tools.sandbox.shop import Shop
from orders.conftest import admin, orders_settings, store  # noqa: F401 - the poller's fixtures

ADDON = "odoo_engines_connector"
KEY = "addon-test-internal-key"


@dataclass
class Connector:
    """A real database with the addon, its admin shop and the install's log."""

    series: str
    url: str
    db: str
    admin_key: str
    shop: Shop
    install_log: str

    def param(self, key: str, value: str) -> None:
        self.shop.execute("ir.config_parameter", "set_param", key=key, value=value)

    def run_queue(self, times: int = 1) -> None:
        """Run the addon's queued job now, as Odoo's cron thread would."""
        cron = self.shop.ref(f"{ADDON}.cron_sync_sources")
        for _ in range(times):
            self.shop.execute("ir.cron", "method_direct_trigger", [cron])

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict]:
        return self.shop.client.read(model, ids, fields)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "connector" in metafunc.fixturenames:
        params = [pytest.param(s, id=f"real-{s}", marks=pytest.mark.real_odoo(s))
                  for s in real_series()]  # fmt: skip
        metafunc.parametrize("connector", params, indirect=True, scope="module")


@pytest.fixture(scope="module")
def connector(request: pytest.FixtureRequest):
    odoo = harness().odoo(request.param)
    real = odoo.new_database("full")
    try:
        log = odoo.install(real.name, ADDON, test=True)
        client = OdooClient(real.url, real.name, "admin", real.admin.api_key, timeout=120)
        yield Connector(request.param, real.url, real.name, real.admin.api_key,
                        Shop(client.login()), log)  # fmt: skip
        client.close()
    finally:
        odoo.drop_database(real.name)


@pytest.fixture
def knowledge(connector, serve_function, base_env, openai_env):
    """embed-document served, embedding through the OpenAI SDK against LocalOpenAI (so a
    test can take the provider down); the addon pointed at it."""
    url = serve_function("embed-document", "embed_document", {
        **base_env, **openai_env, "INTERNAL_API_KEY": KEY, "EMBEDDING_PROVIDER": "openai",
        "OPENAI_MAX_RETRIES": "0",
    })  # fmt: skip
    connector.param("fastapi.url", url)
    connector.param("fastapi.internal_key", KEY)
    connector.param("odoo_engines.retry_delays", "0")  # one quick retry, then `error`
    return url
