"""The `sales-sync` and `forecast` functions' handlers: a Pub/Sub message → one step.

`sales-sync` messages: `{}` or run modes (`{"force_full_sync": true, "skip_forecast":
true, …}`, the same names as the environment variables); `{"continuation": true, …}`
resumes a sync that ran out of time. `forecast` messages, in the order a run sends them:
`{}` or `{"month": "YYYY-MM"}` plans a run and publishes one message per shard,
`{"run_id", "shard", "shards"}` forecasts a shard, `{"run_id", "step": "plan"}` (sent by
the shard that completes the run) computes the production plan.

The only place the sales engine parses a message, reads settings and opens the database,
Odoo and the publisher; the work is in `run`.
"""

from __future__ import annotations

from contextlib import ExitStack, closing
from datetime import date
from typing import Any

from ..core.checks import Check, database_probe, require_ok, run_checks
from ..core.db import Database, connect
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..core.publish import FORECAST, SALES_SYNC, Publisher, get_publisher
from ..core.runs import CONTINUATION, TimeBudget, publish_continuation
from ..core.settings import MODE_VARIABLES, Settings, load_settings, message_env
from ..core.triggers import PubSubMessage
from ..odoo import connect_odoo, odoo_probe
from .forecasting import load_run
from .history import parse_month
from .run import (
    ForecastPlanResult,
    ForecastShardResult,
    ProductionPlanResult,
    forecast_shard,
    production_plan,
    run_sales_sync,
    start_forecast,
)
from .settings import SalesSettings, load_sales_settings
from .sync import SalesSyncResult

log = get_logger("sales")


def handle_sales_sync(message: PubSubMessage) -> SalesSyncResult | list[Check]:
    """One sales sync run; publishes a continuation or, when done, a forecast request.
    With TEST_CONNECTIONS_ONLY: the connection checks (PermanentError if one fails)."""
    continuation = bool(message.field(CONTINUATION, bool))
    env = message_env(message.data)
    settings, sales = load_settings(env), load_sales_settings(env)
    if settings.test_connections_only:
        checks = check_sales(settings)
        require_ok(checks)
        return checks
    publisher = get_publisher(settings.gcp_project, settings.environment)
    if sales.forecast_only:
        publisher.publish(FORECAST, {"reason": "forecast_only"})
        log.info("forecast_only_requested")
        return SalesSyncResult(success=True, mode="forecast_only")
    with ExitStack() as cleanup:
        db = cleanup.enter_context(connect(settings))
        result = run_sales_sync(
            db,
            lambda: cleanup.enter_context(closing(connect_odoo(settings.odoo))),
            # a continuation resumes the saved cursor, even when the environment says full
            full=settings.force_full_sync and not continuation,
            budget=TimeBudget(settings.time_budget_seconds),
        )
    if result.continued:
        publish_continuation(publisher, SALES_SYNC, _run_modes(message))
    elif not sales.skip_forecast and not result.skipped:
        publisher.publish(FORECAST, {"reason": "sales-sync"})
    return result


def check_sales(settings: Settings) -> list[Check]:
    """TEST_CONNECTIONS_ONLY: open the database and log into Odoo, change nothing."""
    return run_checks(
        {"database": database_probe(settings.database), "odoo": odoo_probe(settings.odoo)}
    )


def _run_modes(message: PubSubMessage) -> dict[str, Any]:
    # The message's modes carry over to its continuation, but not a full sync: the
    # continuation resumes from the cursor the full run saved.
    return {
        k: v
        for k, v in message.data.items()
        if k.upper() in MODE_VARIABLES and k.upper() != "FORCE_FULL_SYNC"
    }


def handle_forecast(
    message: PubSubMessage,
) -> ForecastPlanResult | ForecastShardResult | ProductionPlanResult:
    """Plan a forecast run, forecast one shard, or compute the production plan."""
    step = message.field("step", str)
    if step not in (None, "plan"):
        raise PermanentError(f"message field 'step' must be 'plan', got {step!r:.80}")
    target = _month(message.field("month", str))
    run_id = message.field("run_id", str, required=step == "plan")
    is_shard = run_id is not None and step is None
    shard = message.field("shard", int, required=is_shard)
    shards = message.field("shards", int, required=is_shard)
    env = message_env(message.data)
    settings, sales = load_settings(env), load_sales_settings(env)
    publisher = get_publisher(settings.gcp_project, settings.environment)
    with connect(settings) as db:
        if run_id is None:
            return _plan(db, sales, publisher, target, message.message_id)
        run = load_run(db, run_id)
        if step == "plan":
            with closing(connect_odoo(settings.odoo)) as client:
                return production_plan(db, client, sales, run)
        if shards != run.shards or not 0 <= shard < shards:
            raise PermanentError(f"run {run.run_id} has {run.shards} shards, message says "
                                 f"shard {shard} of {shards}")  # fmt: skip
        result = forecast_shard(db, sales, run, shard)
        if result.run_complete:
            publisher.publish(FORECAST, {"run_id": run.run_id, "step": "plan"})
        return result


def _month(month: str | None) -> date | None:
    try:
        return parse_month(month) if month else None
    except ValueError as exc:
        raise PermanentError(str(exc)) from None


def _plan(db: Database, sales: SalesSettings, publisher: Publisher, target: date | None,
          message_id: str) -> ForecastPlanResult:  # fmt: skip
    # The message id names the run, so a redelivered request re-publishes the same shards.
    result = start_forecast(db, sales, target, run_id=f"msg-{message_id}" if message_id else None)
    assert result.run is not None  # a failed plan raises
    for shard_message in result.run.shard_messages():
        publisher.publish(FORECAST, shard_message)
    return result
