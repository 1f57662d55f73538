"""Sales engine runs: the one path the functions and the CLI share.

Every step records a `runs` row (job `sales-sync` or `forecast`) whose result holds
`success`, the counts, `duration_seconds` and `error`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from ..core.db import Database
from ..core.errors import EngineError
from ..core.logging import get_logger
from ..core.runs import TimeBudget, finish_run, mark_success, start_run
from ..core.settings import Settings
from ..odoo import OdooClient
from .demand import load_histories, months_between
from .forecasting import (
    ForecastRun,
    ShardResult,
    forecast_sku,
    forecast_window,
    plan_run,
    run_shard,
)
from .production import (
    PlanInput,
    PlanRow,
    load_plan_inputs,
    plan_rows,
    read_supply,
    store_plan,
    synced_supply,
)
from .report import ReportFiles, write_report
from .sync import JOB as SYNC_JOB
from .sync import sync_sales

log = get_logger("sales")
FORECAST_JOB = "forecast"


@contextmanager
def recorded(db: Database, job: str, scope: str = "") -> Iterator[dict[str, Any]]:
    """A `runs` row around a step: the caller fills the yielded result dict."""
    started = time.monotonic()
    statements = db.statements
    run_id = start_run(db, job, scope)
    result: dict[str, Any] = {"success": False, "error": None}
    try:
        yield result
        result["success"] = True
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        result["duration_seconds"] = round(time.monotonic() - started, 3)
        result["sql_statements"] = db.statements - statements
        try:
            finish_run(db, run_id, result)
        except EngineError as exc:  # the database itself failed: the log keeps the result
            log.error("run_not_recorded", job=job, result=result, error=str(exc))


def run_sales_sync(
    db: Database,
    odoo: Callable[[], OdooClient],
    *,
    full: bool,
    budget: TimeBudget | None = None,
) -> dict[str, Any]:
    """One sync run under the `sales-sync` advisory lock; `odoo()` logs in (inside the
    recorded run, so a refused login is in `runs` too). Returns the run's result."""
    with recorded(db, SYNC_JOB, "full" if full else "incremental") as result:
        result["mode"] = "full" if full else "incremental"
        with db.advisory_lock(SYNC_JOB) as got:
            if not got:
                result.update(skipped="another sales sync holds the lock", complete=True)
                log.info("sales_sync_skipped_locked")
                return result
            client = odoo()
            calls = client.calls
            try:
                counts = sync_sales(db, client, full=full, budget=budget)
            finally:
                result["odoo_calls"] = client.calls - calls
            result.update(counts.as_dict(), odoo_version=str(client.version))
            if counts.complete:
                mark_success(db, SYNC_JOB)
    log.info("sales_sync_done", **{k: v for k, v in result.items() if k != "state_changes"})
    return result


def start_forecast(
    db: Database,
    settings: Settings,
    month: date | None = None,
    run_id: str | None = None,
    today: date | None = None,
) -> ForecastRun:
    """Plan a forecast run (or find it again when `run_id` was already planned)."""
    with recorded(db, FORECAST_JOB, "plan") as result:
        run = plan_run(
            db,
            settings.sales.shard_size,
            settings.sales.horizon,
            target_month=month,
            today=today,
            run_id=run_id,
        )
        result.update(run_id=run.run_id, skus=run.skus, shards=run.shards)
    return run


def forecast_shard(db: Database, settings: Settings, run: ForecastRun, shard: int) -> ShardResult:
    """Forecast one shard of `run` (idempotent)."""
    with recorded(db, FORECAST_JOB, "shard") as result:
        outcome = run_shard(db, run, shard, settings.sales.horizon)
        result.update(
            run_id=run.run_id,
            shard=shard,
            shards=run.shards,
            skus=outcome.skus,
            fallbacks=outcome.fallbacks,
            models=dict(outcome.models),
            run_complete=outcome.run_complete,
        )
    return outcome


def production_plan(
    db: Database, client: OdooClient, settings: Settings, run: ForecastRun
) -> list[PlanRow]:
    """The production plan of the run's target month, from its forecasts and Odoo's stock."""
    with recorded(db, FORECAST_JOB, "production") as result:
        calls = client.calls
        inputs = load_plan_inputs(db, run.run_id, run.target_month)
        rows = plan_rows(
            inputs, read_supply(client, [i.product_id for i in inputs]), settings.sales
        )
        store_plan(db, run.run_id, run.target_month, rows)
        db.execute("UPDATE forecast_runs SET planned_at = now() WHERE run_id = %s", (run.run_id,))
        priorities = {p: sum(r.priority == p for r in rows) for p in ("ALTA", "MEDIA", "BAJA")}
        result.update(
            run_id=run.run_id,
            month=f"{run.target_month:%Y-%m}",
            skus=len(rows),
            priorities=priorities,
            odoo_calls=client.calls - calls,
        )
    return rows


def forecast_everything(
    db: Database,
    client: OdooClient,
    settings: Settings,
    month: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ForecastRun, list[PlanRow]]:
    """Plan, every shard in this process, then the production plan (the CLI's `--mode db`)."""
    run = start_forecast(db, settings, month)
    for shard in range(run.shards):
        forecast_shard(db, settings, run, shard)
        if progress:
            progress(shard + 1, run.shards)
    return run, production_plan(db, client, settings, run)


def forecast_report(
    db: Database,
    client: OdooClient | None,
    settings: Settings,
    folder: Path,
    month: date | None = None,
    top: int = 20,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ReportFiles, list[PlanRow]]:
    """Forecast every SKU and write the report files; the database is only read. Without
    an Odoo `client` the plan takes the stock the last product sync stored."""
    start, target = forecast_window(settings.sales.horizon, month)
    histories = load_histories(db, start)
    results = []
    for done, history in enumerate(histories, start=1):
        results.append(forecast_sku(history, settings.sales.horizon))
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
    rows = plan_rows(inputs, supply, settings.sales)
    return write_report(folder, results, rows, start, target, top), rows
