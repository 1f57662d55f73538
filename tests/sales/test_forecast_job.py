"""The forecast job on the real database: monthly demand, shards equal to one big run,
idempotent redelivery, and one failing SKU that falls back without stopping the run."""

from datetime import date

import numpy as np
import pytest

import odoo_engines.sales.forecasting as forecasting
from odoo_engines.core.errors import PermanentError
from odoo_engines.sales.forecasting import load_run, plan_run, run_shard
from odoo_engines.sales.history import add_months, load_histories

from .conftest import write_history

START = date(2026, 1, 1)  # the first forecast month: histories end in December 2025
FIRST = add_months(START, -30)


def fill(db, skus: int = 24) -> None:
    rng = np.random.default_rng(3)
    for k in range(skus):
        level = rng.uniform(5, 60)
        t = np.arange(30)
        season = 1 + 0.4 * np.cos(2 * np.pi * (t + k) / 12)
        sold = np.round(level * season * rng.uniform(0.8, 1.2, 30))
        if k % 3 == 0:  # a third sell rarely
            sold = np.where(rng.random(30) < 0.3, np.round(level / 5) + 1, 0)
        write_history(db, f"SKU-{k:03d}", list(sold), FIRST)


def forecast_rows(db) -> list[tuple]:
    return db.fetchall(
        "SELECT sku, forecast_date, forecasted_quantity, lower_bound, upper_bound, model,"
        " demand_class, backtest_mae FROM forecast ORDER BY sku, forecast_date"
    )


def test_monthly_demand_counts_confirmed_goods_only(db):
    write_history(db, "A", [5, 0, 7], add_months(START, -3))
    write_history(db, "A", [100], add_months(START, -3), state="cancel")
    write_history(db, "A", [1000], add_months(START, -2), state="draft")
    write_history(db, "SHIP", [3, 3, 3], add_months(START, -3), product_type="service")
    write_history(db, "A", [9], START)  # the forecast month itself is not history
    [history] = load_histories(db, START)
    assert history.sku == "A" and history.first_month == add_months(START, -3)
    np.testing.assert_array_equal(history.quantities, [5, 0, 7])


def test_shards_give_the_rows_of_one_big_run(db):
    fill(db)
    one = plan_run(db, shard_size=1000, horizon=12, target_month=START, today=START)
    assert one.shards == 1 and one.skus == 24
    run_shard(db, one, 0, 12)
    single = forecast_rows(db)
    db.execute("DELETE FROM forecast")

    many = plan_run(db, shard_size=5, horizon=12, target_month=START, today=START)
    assert many.shards == 5
    sizes = [run_shard(db, many, k, 12).skus for k in range(many.shards)]
    assert sum(sizes) == 24 and all(size > 0 for size in sizes)
    assert forecast_rows(db) == single
    assert len(single) == 24 * 12


def test_the_last_shard_completes_the_run_and_redelivery_changes_no_row(db):
    fill(db, skus=8)
    run = plan_run(db, shard_size=3, horizon=12, target_month=START, today=START)
    first = [run_shard(db, run, k, 12).run_complete for k in range(run.shards)]
    assert first == [False] * (run.shards - 1) + [True]
    before = forecast_rows(db)
    # Pub/Sub delivers at least once: before the plan is made, a redelivered shard asks
    # for it again (its request may have been lost); afterwards it does not
    assert run_shard(db, run, 0, 12).run_complete
    db.execute("UPDATE forecast_runs SET planned_at = now() WHERE run_id = %s", (run.run_id,))
    assert not run_shard(db, run, 0, 12).run_complete
    assert forecast_rows(db) == before
    assert db.fetchval("SELECT count(*) FROM forecast_shards") == run.shards


def test_planning_a_run_twice_finds_the_first_one(db):
    fill(db, skus=4)
    first = plan_run(db, 2, 12, target_month=START, today=START, run_id="msg-1")
    write_history(db, "LATE", [4] * 20, FIRST)  # would change the count of a new plan
    assert plan_run(db, 2, 12, today=START, run_id="msg-1") == first
    assert load_run(db, "msg-1") == first


def test_a_plan_month_past_the_horizon_is_refused(db):
    with pytest.raises(PermanentError, match="beyond the 12-month forecast horizon"):
        plan_run(db, 10, 12, target_month=add_months(START, 12), today=START)
    with pytest.raises(PermanentError, match="no forecast run"):
        load_run(db, "missing")


def test_a_sku_whose_forecast_fails_falls_back_and_the_run_goes_on(db, monkeypatch):
    fill(db, skus=6)
    real = forecasting.forecast_series

    def flaky(history, horizon=12, season_length=12):
        if len(history) == 30 and history[0] == broken_first:
            raise FloatingPointError("simulated numerical failure")
        return real(history, horizon, season_length)

    [broken] = [h for h in load_histories(db, START) if h.sku == "SKU-001"]
    broken_first = broken.quantities[0]
    monkeypatch.setattr(forecasting, "forecast_series", flaky)
    run = plan_run(db, 100, 12, target_month=START, today=START)
    outcome = run_shard(db, run, 0, 12)
    assert outcome.skus == 6 and outcome.fallbacks >= 1
    models = dict(db.fetchall("SELECT DISTINCT sku, model FROM forecast"))
    assert models["SKU-001"] == "short_history"
    assert len(models) == 6
