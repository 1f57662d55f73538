"""Sales engine runs: the work the functions' handlers and the CLI share.

Every step is a `runs` row (job `sales-sync` or `forecast`, see `core.runs.recorded_run`)
holding its typed result: the counts below, `success`, `error` and `duration_seconds`.
Only the sync holds its job's advisory lock: the forecast's shards run side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core.db import Database
from ..core.runs import NOT_RECORDED, RunResult, TimeBudget, mark_success, recorded_run
from ..odoo import OdooClient
from .forecasting import ForecastRun, forecast_sku, forecast_window, plan_run, run_shard
from .history import load_histories, months_between
from .production import (
    ALTA,
    BAJA,
    MEDIA,
    PlanInput,
    PlanRow,
    plan_rows,
    read_supply,
    synced_supply,
)
from .report import ReportFiles, write_report
from .settings import SalesSettings
from .store import load_plan_inputs, mark_planned, store_plan
from .sync import JOB as SYNC_JOB
from .sync import SalesSyncResult, sync_sales

FORECAST_JOB = "forecast"


@dataclass
class ForecastPlanResult(RunResult):
    """A planned forecast run: its id, SKUs and shard count (and the run itself)."""

    run_id: str = ""
    skus: int = 0
    shards: int = 0
    run: ForecastRun | None = field(default=None, metadata=NOT_RECORDED)


@dataclass
class ForecastShardResult(RunResult):
    """One forecast shard: its SKUs, fallbacks, models used, and whether it ended the run."""

    run_id: str = ""
    shard: int = 0
    shards: int = 0
    skus: int = 0
    fallbacks: int = 0
    models: dict[str, int] = field(default_factory=dict)
    run_complete: bool = False


@dataclass
class ProductionPlanResult(RunResult):
    """The production plan of a run's month: SKUs by priority (and the rows themselves)."""

    run_id: str = ""
    month: str = ""  # YYYY-MM
    skus: int = 0
    priorities: dict[str, int] = field(default_factory=dict)
    odoo_calls: int = 0
    rows: list[PlanRow] = field(default_factory=list, metadata=NOT_RECORDED)  # the table has them


def run_sales_sync(
    db: Database,
    odoo: Callable[[], OdooClient],
    *,
    full: bool,
    budget: TimeBudget | None = None,
) -> SalesSyncResult:
    """One sync run under the `sales-sync` advisory lock; `odoo()` logs in (inside the
    recorded run, so a refused login is in `runs` too). Out of time: `result.continued`."""
    mode = "full" if full else "incremental"

    def work(result: SalesSyncResult) -> None:
        client = odoo()
        calls = client.calls
        try:
            sync_sales(db, client, full=full, budget=budget, result=result)
        finally:
            result.odoo_calls = client.calls - calls
        result.odoo_version = str(client.version)
        if result.complete:
            mark_success(db, SYNC_JOB)

    return recorded_run(db, SYNC_JOB, SalesSyncResult(mode=mode), work, scope=mode)


def start_forecast(
    db: Database,
    settings: SalesSettings,
    month: date | None = None,
    run_id: str | None = None,
    today: date | None = None,
) -> ForecastPlanResult:
    """Plan a forecast run (or find it again when `run_id` was already planned)."""

    def work(result: ForecastPlanResult) -> None:
        run = plan_run(
            db,
            settings.shard_size,
            settings.horizon,
            target_month=month,
            today=today,
            run_id=run_id,
        )
        result.run, result.run_id = run, run.run_id
        result.skus, result.shards = run.skus, run.shards

    return recorded_run(db, FORECAST_JOB, ForecastPlanResult(), work, scope="plan", lock=False)


def forecast_shard(
    db: Database, settings: SalesSettings, run: ForecastRun, shard: int
) -> ForecastShardResult:
    """Forecast one shard of `run` (idempotent)."""

    def work(result: ForecastShardResult) -> None:
        outcome = run_shard(db, run, shard, settings.horizon)
        result.skus, result.fallbacks = outcome.skus, outcome.fallbacks
        result.models, result.run_complete = dict(outcome.models), outcome.run_complete

    result = ForecastShardResult(run_id=run.run_id, shard=shard, shards=run.shards)
    return recorded_run(db, FORECAST_JOB, result, work, scope="shard", lock=False)


def production_plan(
    db: Database, client: OdooClient, settings: SalesSettings, run: ForecastRun
) -> ProductionPlanResult:
    """The production plan of the run's target month, from its forecasts and Odoo's stock."""

    def work(result: ProductionPlanResult) -> None:
        calls = client.calls
        inputs = load_plan_inputs(db, run.run_id, run.target_month)
        rows = plan_rows(inputs, read_supply(client, [i.product_id for i in inputs]), settings)
        store_plan(db, run.run_id, run.target_month, rows)
        mark_planned(db, run.run_id)
        result.rows, result.skus = rows, len(rows)
        result.priorities = {p: sum(r.priority == p for r in rows) for p in (ALTA, MEDIA, BAJA)}
        result.odoo_calls = client.calls - calls

    result = ProductionPlanResult(run_id=run.run_id, month=f"{run.target_month:%Y-%m}")
    return recorded_run(db, FORECAST_JOB, result, work, scope="production", lock=False)


def forecast_everything(
    db: Database,
    client: OdooClient,
    settings: SalesSettings,
    month: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ForecastRun, list[PlanRow]]:
    """Plan, every shard in this process, then the production plan (the CLI's `--mode db`)."""
    run = start_forecast(db, settings, month).run
    assert run is not None  # a failed plan raises
    for shard in range(run.shards):
        forecast_shard(db, settings, run, shard)
        if progress:
            progress(shard + 1, run.shards)
    return run, production_plan(db, client, settings, run).rows


def forecast_report(
    db: Database,
    client: OdooClient | None,
    settings: SalesSettings,
    folder: Path,
    month: date | None = None,
    top: int = 20,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ReportFiles, list[PlanRow]]:
    """Forecast every SKU and write the report files; the database is only read. Without
    an Odoo `client` the plan takes the stock the last product sync stored."""
    start, target = forecast_window(settings.horizon, month)
    histories = load_histories(db, start)
    results = []
    for done, history in enumerate(histories, start=1):
        results.append(forecast_sku(history, settings.horizon))
        if progress:
            progress(done, len(histories))
    step = months_between(start, target)
    inputs = [
        PlanInput(
            r.history.sku, r.history.product_id, r.history.product_name, r.forecast.mean[step]
        )
        for r in results
    ]
    ids = [i.product_id for i in inputs]
    supply = read_supply(client, ids) if client is not None else synced_supply(db, ids)
    rows = plan_rows(inputs, supply, settings)
    return write_report(folder, results, rows, start, target, top), rows
