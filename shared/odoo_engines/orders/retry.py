"""The retry queue's schedule and the `webhook-retry` job that drains it.

Backoff is the seed's: `base · 2^attempts` (30 s, 1, 2, 4, 8 min), capped (10 min),
shortened by up to `jitter` so a burst of failures does not retry in lockstep, and never
sooner than a 429/503's Retry-After. `attempts` counts retries; after `max_attempts`
failed retries an item is FAILED and waits for an operator.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..core.backoff import backoff_delay
from ..core.db import Database
from ..core.errors import EngineError, PermanentError
from ..core.logging import get_logger
from ..core.runs import TimeBudget
from ..core.settings import OrdersSettings, Settings
from . import outbox
from .delivery import Delivery, Outcome, WebhookSender
from .secret_store import SecretStore
from .tenants import pause_deliveries

log = get_logger("orders.retry")


def retry_delay(
    attempts: int,
    policy: OrdersSettings,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after `attempts` retries (0 after the first send failed)."""
    delay = backoff_delay(
        attempts + 1,
        policy.retry_base_seconds,
        policy.retry_max_delay_seconds,
        policy.retry_jitter,
        rand,
    )
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def sending_time(count: int, policy: OrdersSettings) -> float:
    """The longest sending `count` webhooks may take: every one of them timing out."""
    return -(-count // policy.max_parallel) * policy.webhook_timeout


@dataclass
class RetryResult:
    delivered: int = 0
    failed: int = 0
    gave_up: int = 0
    batches: int = 0


def sender_for(settings: Settings) -> WebhookSender:
    """A webhook sender with the configured timeout, parallelism and URL policy."""
    return WebhookSender(
        settings.orders.webhook_timeout, settings.orders.max_parallel, settings.is_production
    )


def run_retries(
    db: Database, settings: Settings, store: SecretStore, budget: TimeBudget | None = None
) -> RetryResult:
    """Send every due item of active tenants, batch by batch, until none is due or time is up."""
    budget = budget or TimeBudget(settings.time_budget_seconds)
    result = RetryResult()
    secrets: dict[str, str | None] = {}
    # items due when the run starts: one attempt each per run, however short the backoff
    started = db.fetchval("SELECT now()")
    with sender_for(settings) as sender:
        reserve = sending_time(settings.orders.retry_batch, settings.orders)
        while True:
            # the rows stay locked while their batch is sent, so another run skips them
            with db.transaction():
                items = outbox.claim_due(db, settings.orders.retry_batch, started)
                if not items:
                    break
                result.batches += 1
                _attempt(db, settings, store, sender, items, secrets, result)
            if budget.exhausted(reserve=reserve):
                break  # the rest waits for the next run (every minute)
    if result.batches:
        log.info("retries_done", **vars(result))
    return result


def retry_now(db: Database, settings: Settings, store: SecretStore, item_id: int,
              force: bool = False) -> Outcome:  # fmt: skip
    """An operator's retry: a fresh set of attempts, and one sent right now.

    A discarded item only with `force`; an order cancelled in Odoo before its delivery
    never (its confirmation would tell the picking app to ship a cancelled order).
    """
    with sender_for(settings) as sender, db.transaction():
        item = outbox.claim(db, item_id)
        if item is None:
            raise PermanentError(f"no retry item {item_id} waiting (unknown or already delivered)")
        if item.cancelled:
            raise PermanentError(
                f"retry item {item_id}: order {item.event.odoo_order_id} was cancelled in Odoo"
                " before it was delivered; it is never sent"
            )
        if item.status == "DISCARDED" and not force:
            raise PermanentError(f"retry item {item_id} was discarded; --force sends it anyway")
        outbox.requeue(db, item_id)
        item = dataclasses.replace(item, attempts=0)
        return _attempt(db, settings, store, sender, [item], {}, RetryResult())[0]


def _attempt(
    db: Database,
    settings: Settings,
    store: SecretStore,
    sender: WebhookSender,
    items: list[outbox.RetryItem],
    secrets: dict[str, str | None],
    result: RetryResult,
) -> list[Outcome]:
    deliveries: list[tuple[outbox.RetryItem, Delivery]] = []
    outcomes: dict[int, Outcome] = {}
    for item in items:
        secret = _secret(store, item, secrets)
        if secret is None:
            outcomes[item.id] = Outcome(
                ok=False, error="webhook secret unreadable", attempted=False
            )
            continue
        deliveries.append(
            (
                item,
                Delivery(
                    item.event.connection_id,
                    item.webhook_url,
                    secret,
                    item.event.webhook_id,
                    item.event.body,
                    item.legacy_secret_header,
                ),
            )
        )
    sent = sender.send_all([d for _, d in deliveries])
    outcomes.update({item.id: o for (item, _), o in zip(deliveries, sent, strict=True)})
    rows: list[tuple[outbox.RetryItem, bool, int | None, str | None, float | None]] = []
    for item in items:
        outcome = outcomes[item.id]
        if outcome.gone:
            pause_deliveries(
                db, item.event.connection_id, f"webhook answered 410 Gone: {outcome.error}"
            )
        if not outcome.attempted:
            continue  # stays as it was: nothing was sent
        if outcome.ok:
            result.delivered += 1
            rows.append((item, True, outcome.status, None, None))
            continue
        attempts = item.attempts + 1
        if attempts >= item.max_attempts:
            result.gave_up += 1
            delay = None
            log.error(
                "retry_gave_up",
                connection_id=item.event.connection_id,
                external_id=item.event.external_id,
                attempts=attempts,
                error=outcome.error,
            )
        else:
            result.failed += 1
            delay = retry_delay(attempts, settings.orders, outcome.retry_after)
        rows.append((item, False, outcome.status, outcome.error, delay))
    outbox.record_attempts(db, rows)
    return [outcomes[item.id] for item in items]


def _secret(store: SecretStore, item: outbox.RetryItem, cache: dict[str, str | None]) -> str | None:
    tenant_id = item.event.connection_id
    if tenant_id not in cache:
        try:
            cache[tenant_id] = store.get(item.webhook_secret_ref)
        except EngineError as exc:
            log.error("webhook_secret_unreadable", connection_id=tenant_id, error=str(exc))
            cache[tenant_id] = None
    return cache[tenant_id]
