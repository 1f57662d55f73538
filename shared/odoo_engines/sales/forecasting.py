"""The forecast job: monthly demand per SKU → `forecast_series` → the `forecast` table.

A run is planned once (`plan_run`: how many SKUs, how many shards) and each shard is
forecast on its own (`run_shard`), normally as one Pub/Sub message per shard. A shard
is deterministic and upserts by (sku, forecast_date), so a redelivered shard rewrites
the same rows, and any split into shards gives the rows one big run gives. A shard that
finds every shard stored (`ShardResult.run_complete`) asks for the production plan;
two shards finishing together may both ask, and the plan step is idempotent.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..core.db import Database
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..forecast import Forecast, forecast_series
from ..forecast.series import short_history_forecast
from .demand import SkuHistory, add_months, count_skus, load_histories, month_start

log = get_logger("forecast")
FALLBACK = "fallback"
_SELECT_RUN = (
    "SELECT run_id, start_month, target_month, shards, skus FROM forecast_runs WHERE run_id = %s"
)


@dataclass(frozen=True)
class ForecastRun:
    """One forecast run: its id, first forecast month, plan month and shard count."""

    run_id: str
    start_month: date
    target_month: date
    shards: int
    skus: int

    def shard_messages(self) -> list[dict[str, Any]]:
        """The Pub/Sub messages of this run's shards."""
        return [
            {"run_id": self.run_id, "shard": k, "shards": self.shards} for k in range(self.shards)
        ]


@dataclass(frozen=True)
class SkuForecast:
    """A SKU's history and the forecast made from it."""

    history: SkuHistory
    forecast: Forecast
    fallback: bool


@dataclass
class ShardResult:
    """What one shard did."""

    run_id: str
    shard: int
    skus: int = 0
    fallbacks: int = 0
    seconds: float = 0.0
    models: Counter[str] = field(default_factory=Counter)
    run_complete: bool = False


def forecast_window(
    horizon: int, target_month: date | None = None, today: date | None = None
) -> tuple[date, date]:
    """(first forecast month, plan month). Forecasts start at the current month, or at
    the plan month when that is earlier: a plan for a past month sees only its past."""
    current = month_start(today or datetime.now(UTC).date())
    target = month_start(target_month) if target_month else current
    start = min(target, current)
    if target >= add_months(start, horizon):
        raise PermanentError(
            f"plan month {target:%Y-%m} is beyond the {horizon}-month forecast horizon"
        )
    return start, target


def plan_run(
    db: Database,
    shard_size: int,
    horizon: int,
    target_month: date | None = None,
    today: date | None = None,
    run_id: str | None = None,
) -> ForecastRun:
    """Record a new run and its shard count. Planning a `run_id` again (a redelivered
    message) returns the run recorded the first time."""
    if run_id is not None:
        existing = db.fetchone(_SELECT_RUN, (run_id,))
        if existing is not None:
            return ForecastRun(*existing)
    start, target = forecast_window(horizon, target_month, today)
    skus = count_skus(db, start)
    shards = max(1, math.ceil(skus / shard_size))
    run = ForecastRun(
        run_id or f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}",
        start,
        target,
        shards,
        skus,
    )
    db.execute(
        "INSERT INTO forecast_runs (run_id, start_month, target_month, shards, skus)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (run_id) DO NOTHING",
        (run.run_id, run.start_month, run.target_month, run.shards, run.skus),
    )
    log.info("forecast_run_planned", run_id=run.run_id, skus=skus, shards=shards)
    return run


def load_run(db: Database, run_id: str) -> ForecastRun:
    """A recorded run; PermanentError when there is none with this id."""
    row = db.fetchone(_SELECT_RUN, (run_id,))
    if row is None:
        raise PermanentError(f"no forecast run {run_id!r}")
    return ForecastRun(*row)


def forecast_sku(history: SkuHistory, horizon: int) -> SkuForecast:
    """Forecast one SKU; an unexpected failure falls back to the simple rule, never raises."""
    try:
        return SkuForecast(history, forecast_series(history.quantities, horizon), False)
    except Exception as exc:  # one SKU must never abort a run
        log.warning("forecast_fallback", sku=history.sku, error=str(exc))
        simple = short_history_forecast(history.quantities, horizon, FALLBACK, (FALLBACK,))
        return SkuForecast(history, simple, True)


def forecast_histories(histories: Iterable[SkuHistory], horizon: int) -> Iterable[SkuForecast]:
    """`forecast_sku` for each history, lazily (callers may show progress)."""
    for history in histories:
        yield forecast_sku(history, horizon)


def run_shard(db: Database, run: ForecastRun, shard: int, horizon: int) -> ShardResult:
    """Forecast the SKUs of one shard and upsert them; records the shard as finished."""
    if not 0 <= shard < run.shards:
        raise PermanentError(f"shard {shard} is outside 0..{run.shards - 1} of run {run.run_id}")
    started = time.monotonic()
    results = list(
        forecast_histories(load_histories(db, run.start_month, shard, run.shards), horizon)
    )
    outcome = ShardResult(run.run_id, shard, skus=len(results))
    for result in results:
        outcome.models[result.forecast.model.split(":")[0]] += 1
        outcome.fallbacks += bool(result.fallback or result.forecast.failed)
    with db.transaction():
        store_forecasts(db, run, results)
        outcome.seconds = time.monotonic() - started
        db.execute(
            "INSERT INTO forecast_shards (run_id, shard, skus, fallbacks, seconds)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (run_id, shard) DO UPDATE SET"
            " skus = EXCLUDED.skus, fallbacks = EXCLUDED.fallbacks,"
            " seconds = EXCLUDED.seconds, finished_at = now()",
            (run.run_id, shard, outcome.skus, outcome.fallbacks, outcome.seconds),
        )
    # Complete once every shard is stored, until the plan is made: a shard redelivered
    # because publishing the plan request failed asks again (the plan is idempotent).
    outcome.run_complete = bool(
        db.fetchval(
            "SELECT r.planned_at IS NULL AND r.shards ="
            " (SELECT count(*) FROM forecast_shards s WHERE s.run_id = r.run_id)"
            " FROM forecast_runs r WHERE r.run_id = %s",
            (run.run_id,),
        )
    )
    log.info(
        "forecast_shard_done",
        run_id=run.run_id,
        shard=shard,
        shards=run.shards,
        skus=outcome.skus,
        fallbacks=outcome.fallbacks,
        seconds=round(outcome.seconds, 2),
    )
    return outcome


def store_forecasts(db: Database, run: ForecastRun, results: list[SkuForecast]) -> None:
    """Upsert the forecast rows of `results` in one statement."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "sku", "forecast_date", "product_id", "product_name", "forecasted_quantity",
            "lower_bound", "upper_bound", "model", "demand_class", "history_months",
            "backtest_mae", "backtest_mase",
        )
    }  # fmt: skip
    for result in results:
        f, h = result.forecast, result.history
        for step in range(len(f.mean)):
            values = (
                h.sku, add_months(run.start_month, step), h.product_id, h.product_name,
                float(f.mean[step]), float(f.lower[step]), float(f.upper[step]), f.model,
                f.demand_class, f.history_length, f.backtest_mae, f.backtest_mase,
            )  # fmt: skip
            for column, value in zip(columns.values(), values, strict=True):
                column.append(value)
    if not columns["sku"]:
        return
    db.execute(
        "INSERT INTO forecast (sku, forecast_date, year, month, product_id, product_name,"
        " forecasted_quantity, lower_bound, upper_bound, model, demand_class, history_months,"
        " backtest_mae, backtest_mase, run_id)"
        " SELECT sku, d, extract(year FROM d), extract(month FROM d), product_id, product_name,"
        " q, lo, hi, model, demand_class, history_months, mae, mase, %s"
        " FROM unnest(%s::text[], %s::date[], %s::bigint[], %s::text[], %s::float8[],"
        " %s::float8[], %s::float8[], %s::text[], %s::text[], %s::int[], %s::float8[],"
        " %s::float8[]) AS t(sku, d, product_id, product_name, q, lo, hi, model, demand_class,"
        " history_months, mae, mase)"
        " ON CONFLICT (sku, forecast_date) DO UPDATE SET"
        " product_id = EXCLUDED.product_id, product_name = EXCLUDED.product_name,"
        " forecasted_quantity = EXCLUDED.forecasted_quantity,"
        " lower_bound = EXCLUDED.lower_bound, upper_bound = EXCLUDED.upper_bound,"
        " model = EXCLUDED.model, demand_class = EXCLUDED.demand_class,"
        " history_months = EXCLUDED.history_months, backtest_mae = EXCLUDED.backtest_mae,"
        " backtest_mase = EXCLUDED.backtest_mase, run_id = EXCLUDED.run_id,"
        " generated_at = now()",
        (run.run_id, *columns.values()),
    )
