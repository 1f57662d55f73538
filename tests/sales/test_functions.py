"""The `sales-sync` and `forecast` functions: the whole chain through the local scheduler
(continuations, shards, production plan), the modes, poison messages, and one delivery
through the functions-framework."""

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cloudevents.conversion import to_binary

from odoo_engines.core.errors import PermanentError
from odoo_engines.core.publish import FORECAST, SALES_SYNC, local_publisher
from odoo_engines.core.triggers import PubSubMessage
from odoo_engines.sales.handlers import handle_forecast, handle_sales_sync
from odoo_engines.sales.history import add_months
from odoo_engines.sales.run import forecast_everything
from odoo_engines.sales.settings import load_sales_settings
from odoo_engines_tools.sandbox.scheduler import (
    deliver,
    get_function,
    load_entry_point,
    pubsub_event,
)

from .conftest import client_for, write_history

FORECASTS = (
    "SELECT sku, forecast_date, forecasted_quantity, lower_bound, upper_bound, model"
    " FROM forecast ORDER BY sku, forecast_date"
)


@pytest.fixture
def function_env(monkeypatch, base_env):
    """Set the environment the functions read; returns a setter for more variables."""

    def apply(**extra: str) -> None:
        for key, value in {**base_env, **extra}.items():
            monkeypatch.setenv(key, value)

    return apply


def published(topic: str) -> list[dict]:
    return [m.data for m in local_publisher().history if m.topic == topic]


def test_sync_continuations_then_forecast_shards_then_the_plan(db, odoo_db, odoo_env, function_env):
    # One page per invocation (the budget is spent at once), ten SKUs per shard.
    function_env(**odoo_env, TIME_BUDGET_SECONDS="1", ODOO_PAGE_SIZE="60", FORECAST_SHARD_SIZE="10")
    delivered = deliver("sales-sync", {})

    syncs = db.rows("SELECT success, result FROM runs WHERE job = 'sales-sync' ORDER BY id")
    assert len(syncs) > 2 and all(run["success"] for run in syncs)
    assert [run["result"]["complete"] for run in syncs] == [False] * (len(syncs) - 1) + [True]
    assert [run["result"]["continued"] for run in syncs] == [True] * (len(syncs) - 1) + [False]
    assert len(published(SALES_SYNC)) == len(syncs) - 1
    assert all(m["continuation"] for m in published(SALES_SYNC))

    run = db.rows("SELECT run_id, shards, skus, planned_at FROM forecast_runs")[0]
    assert run["shards"] > 1 and run["planned_at"] is not None
    shard_messages = [m for m in published(FORECAST) if "shard" in m]
    assert len(shard_messages) == run["shards"]
    assert delivered == len(syncs) + 1 + run["shards"] + 1  # syncs, plan, shards, production
    assert db.fetchval("SELECT count(DISTINCT sku) FROM forecast") == run["skus"]
    month = datetime.now(UTC).date().replace(day=1)
    plan = db.fetchval(
        "SELECT count(*) FROM production_forecast WHERE year = %s AND month = %s",
        (month.year, month.month),
    )
    assert plan == run["skus"]

    # the shards' rows are the rows of one big run
    fanned_out = db.fetchall(FORECASTS)
    db.execute("DELETE FROM forecast")
    sales = load_sales_settings({**os.environ, "FORECAST_SHARD_SIZE": "100000"})
    single, _ = forecast_everything(db, client_for(odoo_db), sales)
    assert single.shards == 1
    assert db.fetchall(FORECASTS) == fanned_out


def test_test_connections_only_changes_nothing(db, odoo_env, function_env):
    function_env(**odoo_env)
    checks = handle_sales_sync(PubSubMessage({"test_connections_only": True}))
    assert [(c.name, c.ok) for c in checks] == [("database", True), ("odoo", True)]
    assert checks[1].detail.startswith("Odoo 17.0 ")
    assert db.fetchval("SELECT count(*) FROM sales_items") == 0
    assert local_publisher().history == []


def test_use_test_odoo_switches_to_the_test_account(db, odoo_env, function_env):
    test_account = {k.replace("_PROD_", "_TEST_"): v for k, v in odoo_env.items()}
    function_env(**test_account, ODOO_PROD_URL="http://127.0.0.1:9", ODOO_PROD_DB="prod",
                 ODOO_PROD_USERNAME="admin", ODOO_PROD_PASSWORD="unused")  # fmt: skip
    message = {"use_test_odoo": True, "test_connections_only": True}
    [_, odoo] = handle_sales_sync(PubSubMessage(message))
    assert f"database {test_account['ODOO_TEST_DB']}," in odoo.detail


def test_forecast_only_asks_for_a_forecast_without_syncing(db, odoo_env, function_env):
    function_env(**odoo_env, FORECAST_ONLY="true")
    result = handle_sales_sync(PubSubMessage({}))
    assert result.mode == "forecast_only"
    assert published(FORECAST) == [{"reason": "forecast_only"}]
    assert db.fetchval("SELECT count(*) FROM sales_items") == 0


def test_skip_forecast_syncs_without_asking_for_a_forecast(db, odoo_env, function_env):
    function_env(**odoo_env)
    result = handle_sales_sync(PubSubMessage({"skip_forecast": True, "force_full_sync": True}))
    assert result.complete and result.mode == "full" and result.lines_inserted > 0
    assert published(FORECAST) == []


@pytest.mark.parametrize(
    ("function", "data"),
    [
        ("sales-sync", b"{not json"),
        ("sales-sync", {"force_full_sync": "perhaps"}),
        ("forecast", [1, 2]),
        ("forecast", {"month": "next month"}),
        ("forecast", {"run_id": "no-such-run", "shard": 0, "shards": 1}),
        ("forecast", {"run_id": 7}),
    ],
)
def test_malformed_messages_are_acknowledged(db, function_env, function, data):
    function_env()
    spec = get_function(function)
    load_entry_point(spec)(pubsub_event(spec.topic, data))  # returns: acknowledged, no retry
    assert local_publisher().history == []


@pytest.mark.parametrize(
    ("function", "data"),
    [
        ("forecast", {"month": 202601}),
        ("forecast", {"month": ["2026-01"]}),
        ("forecast", {"run_id": "r", "shard": "0", "shards": 1}),
        ("forecast", {"run_id": "r", "shard": True, "shards": 1}),
        ("forecast", {"run_id": "r", "shard": 0}),
        ("forecast", {"run_id": "r", "step": 3}),
        ("forecast", {"step": "plan"}),
        ("sales-sync", {"continuation": "yes"}),
        ("product-sync", {"resume": 1}),
    ],
)
def test_a_field_of_the_wrong_type_is_acknowledged_before_any_work(
    db, function_env, function, data
):
    """Checked at the edge: a permanent error (acknowledged), never an AttributeError
    that Pub/Sub would retry ten times; no run is recorded, nothing published."""
    function_env()
    spec = get_function(function)
    load_entry_point(spec)(pubsub_event(spec.topic, data))  # returns: acknowledged
    assert db.fetchval("SELECT count(*) FROM runs") == 0
    assert db.fetchval("SELECT count(*) FROM forecast_runs") == 0
    assert local_publisher().history == []


def test_a_shard_message_that_disagrees_with_its_run_is_refused(db, function_env):
    function_env()
    write_history(db, "A", [5.0] * 20, date(2024, 1, 1))
    plan = handle_forecast(PubSubMessage({"month": "2025-09"}, message_id="m1"))
    with pytest.raises(PermanentError, match="has 1 shards"):
        handle_forecast(PubSubMessage({"run_id": plan.run_id, "shard": 0, "shards": 3}))


def test_the_forecast_function_under_functions_framework(db, function_env):
    import functions_framework

    function_env()
    start = add_months(datetime.now(UTC).date().replace(day=1), -24)
    for k in range(3):
        write_history(db, f"FF-{k}", [10.0 + k] * 24, start)
    source = Path(__file__).parents[2] / "functions" / "forecast" / "main.py"
    app = functions_framework.create_app("run_forecast", str(source), "cloudevent")
    headers, body = to_binary(pubsub_event(FORECAST, {}))
    response = app.test_client().post("/", headers=headers, data=body)
    assert response.status_code == 200
    runs = db.rows("SELECT shards, skus FROM forecast_runs")
    assert runs == [{"shards": 1, "skus": 3}]
    [shard] = published(FORECAST)
    assert shard["shard"] == 0 and shard["shards"] == 1
