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
from .history import SkuHistory, add_months, count_skus, load_histories, month_start
from .store import (
    awaits_plan,
    find_forecast_run,
    insert_forecast_run,
    record_shard,
    upsert_forecasts,
)

log = get_logger("forecast")
FALLBACK = "fallback"


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
        existing = find_forecast_run(db, run_id)
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
    insert_forecast_run(db, run.run_id, run.start_month, run.target_month, run.shards, run.skus)
    log.info("forecast_run_planned", run_id=run.run_id, skus=skus, shards=shards)
    return run


def load_run(db: Database, run_id: str) -> ForecastRun:
    """A recorded run; PermanentError when there is none with this id."""
    row = find_forecast_run(db, run_id)
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
        record_shard(db, run.run_id, shard, outcome.skus, outcome.fallbacks, outcome.seconds)
    # Complete once every shard is stored, until the plan is made: a shard redelivered
    # because publishing the plan request failed asks again (the plan is idempotent).
    outcome.run_complete = awaits_plan(db, run.run_id)
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
    """Upsert the forecast rows of `results` (one row per SKU and month) in one statement."""
    rows = [
        (
            h.sku, add_months(run.start_month, step), h.product_id, h.product_name,
            float(f.mean[step]), float(f.lower[step]), float(f.upper[step]), f.model,
            f.demand_class, f.history_length, f.backtest_mae, f.backtest_mase,
        )  # in the order upsert_forecasts takes
        for f, h in ((r.forecast, r.history) for r in results)
        for step in range(len(f.mean))
    ]  # fmt: skip
    upsert_forecasts(db, run.run_id, rows)
