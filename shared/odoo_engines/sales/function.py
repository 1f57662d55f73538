"""The `sales-sync` and `forecast` functions' handlers: a Pub/Sub message → one step.

`sales-sync` messages: `{}` or run modes (`{"force_full_sync": true, "skip_forecast":
true, …}`, the same names as the environment variables); `{"continuation": true, …}`
resumes a sync that ran out of time. `forecast` messages, in the order a run sends them:
`{}` or `{"month": "YYYY-MM"}` plans a run and publishes one message per shard,
`{"run_id", "shard", "shards"}` forecasts a shard, `{"run_id", "step": "plan"}` (sent by
the shard that completes the run) computes the production plan.
"""

from __future__ import annotations

from contextlib import ExitStack, closing
from datetime import date
from typing import Any

from ..core.db import Database, connect
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..core.publish import FORECAST, SALES_SYNC, Publisher, get_publisher
from ..core.runs import TimeBudget
from ..core.settings import MODE_VARIABLES, Settings, settings_for_message
from ..core.triggers import PubSubMessage
from ..odoo import check_odoo, connect_odoo
from .demand import parse_month
from .forecasting import load_run
from .runner import forecast_shard, production_plan, run_sales_sync, start_forecast

log = get_logger("sales")


def handle_sales_sync(message: PubSubMessage) -> dict[str, Any]:
    """One sales sync run; publishes a continuation or, when done, a forecast request."""
    settings = settings_for_message(message.data)
    publisher = get_publisher(settings.gcp_project, settings.environment)
    if settings.test_connections_only:
        return check_connections(settings)
    if settings.sales.forecast_only:
        publisher.publish(FORECAST, {"reason": "forecast_only"})
        log.info("forecast_only_requested")
        return {"success": True, "mode": "forecast_only", "forecast_requested": True}
    continuation = bool(message.field("continuation", bool))
    with ExitStack() as cleanup:
        db = cleanup.enter_context(connect(settings))
        result = run_sales_sync(
            db,
            lambda: cleanup.enter_context(closing(connect_odoo(settings.odoo))),
            # a continuation resumes the saved cursor, even when the environment says full
            full=settings.force_full_sync and not continuation,
            budget=TimeBudget(settings.time_budget_seconds),
        )
    if not result.get("complete"):
        modes = {
            k: v
            for k, v in message.data.items()
            if k.upper() in MODE_VARIABLES and k.upper() != "FORCE_FULL_SYNC"
        }
        publisher.publish(SALES_SYNC, {**modes, "continuation": True})
        result["continuation_requested"] = True
    elif not settings.sales.skip_forecast and not result.get("skipped"):
        publisher.publish(FORECAST, {"reason": "sales-sync"})
        result["forecast_requested"] = True
    return result


def check_connections(settings: Settings) -> dict[str, Any]:
    """TEST_CONNECTIONS_ONLY: log into Odoo and open the database, change nothing."""
    odoo = check_odoo(settings.odoo)
    db = connect(settings)
    try:
        version = db.fetchval("SHOW server_version")
    finally:
        db.close()
    result = {"success": True, "mode": "test_connections", "odoo": odoo, "postgres": version}
    log.info("connections_ok", **result)
    return result


def handle_forecast(message: PubSubMessage) -> dict[str, Any]:
    """Plan a forecast run, forecast one shard, or compute the production plan."""
    settings = settings_for_message(message.data)
    step = message.field("step", str)
    if step not in (None, "plan"):
        raise PermanentError(f"message field 'step' must be 'plan', got {step!r:.80}")
    target = _month(message.field("month", str))
    run_id = message.field("run_id", str, required=step == "plan")
    is_shard = run_id is not None and step is None
    shard = message.field("shard", int, required=is_shard)
    shards = message.field("shards", int, required=is_shard)
    publisher = get_publisher(settings.gcp_project, settings.environment)
    with connect(settings) as db:
        if run_id is None:
            return _plan(db, settings, publisher, target, message.message_id)
        run = load_run(db, run_id)
        if step == "plan":
            with closing(connect_odoo(settings.odoo)) as client:
                rows = production_plan(db, client, settings, run)
            return {"success": True, "run_id": run.run_id, "plan_rows": len(rows)}
        if shards != run.shards or not 0 <= shard < shards:
            raise PermanentError(f"run {run.run_id} has {run.shards} shards, message says "
                                 f"shard {shard} of {shards}")  # fmt: skip
        outcome = forecast_shard(db, settings, run, shard)
        if outcome.run_complete:
            publisher.publish(FORECAST, {"run_id": run.run_id, "step": "plan"})
        return {"success": True, "run_id": run.run_id, "shard": shard, "skus": outcome.skus}


def _month(month: str | None) -> date | None:
    try:
        return parse_month(month) if month else None
    except ValueError as exc:
        raise PermanentError(str(exc)) from None


def _plan(db: Database, settings: Settings, publisher: Publisher, target: date | None,
          message_id: str) -> dict[str, Any]:  # fmt: skip
    # The message id names the run, so a redelivered request re-publishes the same shards.
    run = start_forecast(db, settings, target, run_id=f"msg-{message_id}" if message_id else None)
    for shard_message in run.shard_messages():
        publisher.publish(FORECAST, shard_message)
    return {"success": True, "run_id": run.run_id, "shards": run.shards, "skus": run.skus}
