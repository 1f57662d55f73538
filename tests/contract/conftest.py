"""One contract suite, two backends: each test runs against the sandbox Odoo and real Odoo.

A test asks for `backend` (a database with Sales, Inventory, Purchase and Manufacturing,
whose integration user works in Spanish) or `sales_backend` (Sales only, in English). Both
are parametrized over the sandbox (17.0) and every real series found (see
`fixtures/real_odoo.py`); one database per test module and backend, so each test makes
the records it asserts on. The engines log in as the least-privilege integration user
(internal user, Sales "All documents", Inventory "User"), never as admin; `backend.shop`
is the company's administrator doing what people do in Odoo's UI.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from fixtures.real_odoo import harness, real_series
from odoo_engines.odoo import OdooClient
from odoo_engines_tools.sandbox.odoo import DemoSpec
from odoo_engines_tools.sandbox.shop import INTEGRATION_GROUPS, Shop
from orders.conftest import admin, orders_settings, store  # noqa: F401 - the poller's fixtures

SANDBOX_SERIES = "17.0"
# The sandbox's company without orders: each module's tests make what they assert on.
SANDBOX_SPEC = DemoSpec(products=12, partners=4, months=0)
_sandbox_names = itertools.count(1)


@dataclass
class Backend:
    """One Odoo database of either kind, and the accounts the tests use on it."""

    kind: str  # "sandbox" or "real"
    series: str
    apps: str  # "full" or "sales"
    url: str
    db: str
    admin_login: str
    admin_key: str
    login: str  # the integration user
    key: str
    lang: str  # the integration user's language
    shop: Shop

    @property
    def label(self) -> str:
        return f"{self.kind}-{self.series}"

    def env(self, **extra: str) -> dict[str, str]:
        """ODOO_PROD_* for the integration user (API key as password: JSON-2 on 19)."""
        return {
            "ODOO_PROD_URL": self.url,
            "ODOO_PROD_DB": self.db,
            "ODOO_PROD_USERNAME": self.login,
            "ODOO_PROD_PASSWORD": self.key,
            **extra,
        }

    def client(self, **options) -> OdooClient:
        """A client logged in as the integration user."""
        return OdooClient(self.url, self.db, self.login, self.key, **options).login()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name in ("backend", "sales_backend"):
        if name in metafunc.fixturenames:
            params = [pytest.param("sandbox", id="sandbox")] + [
                pytest.param(series, id=f"real-{series}", marks=pytest.mark.real_odoo(series))
                for series in real_series()
            ]
            metafunc.parametrize(name, params, indirect=True, scope="module")


def _sandbox_backend(server, apps: str) -> Backend:
    db = server.add_database(f"contract_{next(_sandbox_names)}", version=SANDBOX_SERIES,
                             spec=SANDBOX_SPEC, apps=apps)  # fmt: skip
    shop = Shop(OdooClient(db.url, db.name, db.login, db.api_key).login())
    lang = prepare_company(shop, apps)
    user = shop.user("integration")
    key = db.set_api_key(user)
    return Backend("sandbox", SANDBOX_SERIES, apps, db.url, db.name, db.login, db.api_key,
                   "integration", key, lang, shop)  # fmt: skip


def prepare_company(shop: Shop, apps: str) -> str:
    """On the sandbox, what the real templates' seed does: the integration user, its
    groups, and Spanish for the full database. Its language."""
    found = shop.client.search("res.users", [["login", "=", "integration"]])
    new = {"name": "Integration", "login": "integration"}
    uid = found[0] if found else shop.execute("res.users", "create", new)
    shop.set_groups(uid, INTEGRATION_GROUPS[apps])
    if apps == "full":
        shop.activate_language("es_CL")
        shop.set_language(uid, "es_CL")
        return "es_CL"
    return "en_US"


def _real_backend(series: str, apps: str):
    real = harness().odoo(series).new_database(apps)
    shop = Shop(OdooClient(real.url, real.name, real.admin.login, real.admin.api_key,
                           timeout=120).login())  # fmt: skip
    backend = Backend("real", series, apps, real.url, real.name, real.admin.login,
                      real.admin.api_key, real.integration.login, real.integration.api_key,
                      "es_CL" if apps == "full" else "en_US", shop)  # fmt: skip
    return backend, real


def _backend(request: pytest.FixtureRequest, apps: str):
    if request.param == "sandbox":
        server = request.getfixturevalue("sandbox_server")
        backend = _sandbox_backend(server, apps)
        yield backend
        backend.shop.client.close()
        server.drop_database(backend.db)
        return
    backend, real = _real_backend(request.param, apps)
    yield backend
    backend.shop.client.close()
    harness().odoo(request.param).drop_database(real.name)


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest):
    """A full database (Sales, Inventory, Purchase, Manufacturing; integration user in es_CL)."""
    yield from _backend(request, "full")


@pytest.fixture(scope="module")
def sales_backend(request: pytest.FixtureRequest):
    """A database with the Sales app only (no Inventory, Purchase or Manufacturing)."""
    yield from _backend(request, "sales")


_unique = itertools.count(1)


@pytest.fixture
def unique() -> str:
    """A suffix no other test of the module uses (records live for the whole module)."""
    return f"{next(_unique):03d}"
