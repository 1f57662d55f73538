"""The seed's run modes work the same in every engine from every source: the environment
and the Pub/Sub message for the functions, the environment and the flag for the CLI."""

import pytest
from click.testing import CliRunner

from odoo_engines.core.triggers import PubSubMessage
from odoo_engines.products.handlers import handle_product_sync
from odoo_engines.sales.handlers import handle_sales_sync
from odoo_engines_tools.cli import cli

# engine → (function handler, CLI words, the table its sync fills, the job in `runs`)
ENGINES = {
    "products": (handle_product_sync, ["sync", "products"], "products", "product-sync"),
    "sales": (handle_sales_sync, ["sync", "sales"], "sales_items", "sales-sync"),
}
SOURCES = ("environment", "message", "cli-environment", "cli-flag")
FLAGS = {"TEST_CONNECTIONS_ONLY": "--check", "FORCE_FULL_SYNC": "--full"}


@pytest.fixture
def run(monkeypatch, base_env, odoo_env):
    """Run ENGINE once with MODE (or none) given through SOURCE; fails on a failed run."""
    for key, value in {**base_env, **odoo_env, "SKIP_FORECAST": "true"}.items():
        monkeypatch.setenv(key, value)

    def go(engine: str, mode: str | None = None, source: str = "environment") -> None:
        handler, words, _, _ = ENGINES[engine]
        if mode and source in ("environment", "cli-environment"):
            monkeypatch.setenv(mode, "true")
        if source.startswith("cli"):
            flags = [FLAGS[mode]] if mode and source == "cli-flag" else []
            outcome = CliRunner().invoke(cli, [*words, *flags])
            assert outcome.exit_code == 0, outcome.output
        else:
            handler(PubSubMessage({mode.lower(): True} if mode and source == "message" else {}))
        if mode:
            monkeypatch.delenv(mode, raising=False)

    return go


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("engine", ENGINES)
def test_test_connections_only_reads_nothing_into_the_database(run, db, engine, source):
    run(engine, "TEST_CONNECTIONS_ONLY", source)
    table, job = ENGINES[engine][2], ENGINES[engine][3]
    assert db.fetchval(f"SELECT count(*) FROM {table}") == 0  # noqa: S608 - names from ENGINES
    assert db.fetchval("SELECT count(*) FROM runs WHERE job = %s", (job,)) == 0


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("engine", ENGINES)
def test_force_full_sync_rereads_everything(run, db, engine, source):
    run(engine)
    db.execute(f"DELETE FROM {ENGINES[engine][2]}")  # noqa: S608 - only a full read restores them
    run(engine, "FORCE_FULL_SYNC", source)
    assert db.fetchval(f"SELECT count(*) FROM {ENGINES[engine][2]}") > 0  # noqa: S608


@pytest.mark.parametrize("source", ["environment", "message", "cli-environment"])
@pytest.mark.parametrize("engine", ENGINES)
def test_use_test_odoo_reads_the_test_account(run, db, monkeypatch, odoo_env, engine, source):
    for key, value in odoo_env.items():
        monkeypatch.setenv(key.replace("_PROD_", "_TEST_"), value)
    monkeypatch.setenv("ODOO_PROD_URL", "http://127.0.0.1:9")  # nothing listens there
    run(engine, "USE_TEST_ODOO", source)
    assert db.fetchval(f"SELECT count(*) FROM {ENGINES[engine][2]}") > 0  # noqa: S608
