"""The orders engine's work: one poll cycle of one tenant, the retry queue's drain, and
an operator's retry of one item. Each takes the engine's settings slice and open
resources (database, secret store, kept Odoo clients) and returns a typed result.

A poll cycle: orders changed in Odoo since the cursor → signed webhooks. Per page: which
orders have an event to send (one SQL query), their related records (one Odoo read per
model), the events recorded, sent in parallel, then marked or queued for retry, and the
cursor saved. One cycle per tenant at a time (advisory lock); a `sync_log` row per
cycle. An Odoo failure is recorded there and stays this tenant's. A cycle out of time
sets `continued`; its handler publishes the continuation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.db import Database
from ..core.errors import EngineError, PermanentError
from ..core.logging import get_logger
from ..core.runs import RunResult, TimeBudget
from . import store
from .delivery import Delivery, Outcome, WebhookSender, check_public_url, sender_for
from .odoo_orders import OrderReader
from .payload import CANCELLED, CONFIRMED, Source, encode, external_id, order_payload
from .retry_schedule import retry_delay, sending_time
from .secret_store import SecretStore
from .settings import OrdersSettings
from .signing import webhook_id
from .store import Event, Known, RetryItem
from .tenants import Credentials, Tenant, credentials

if TYPE_CHECKING:
    from ..odoo import OdooClient, Page

log = get_logger("orders.run")


@dataclass
class CycleResult(RunResult):
    """What one cycle did; `skipped` says why none ran, `error` why it stopped early."""

    connection_id: str = ""
    found: int = 0
    sent: int = 0
    failed: int = 0
    pages: int = 0
    odoo_calls: int = 0
    duration_ms: int = 0
    protocol: str | None = None  # how the client spoke to this Odoo: jsonrpc or json2


@dataclass
class RetryResult(RunResult):
    """What one drain of the retry queue did."""

    delivered: int = 0
    failed: int = 0
    gave_up: int = 0
    batches: int = 0


def lock_name(tenant_id: str) -> str:
    return f"orders:poll:{tenant_id}"


def odoo_client(orders: OrdersSettings, tenant: Tenant, api_key: str) -> OdooClient:
    """The tenant's Odoo client; the protocol (JSON-RPC or 19's JSON-2) is picked per server.

    In production its URL is checked again (https, public address) before the key is sent:
    the name may point elsewhere since the tenant was saved.
    """
    from ..odoo import OdooClient

    check_public_url(tenant.odoo_url, orders.production, "odoo_url")
    return OdooClient(
        tenant.odoo_url,
        tenant.odoo_db,
        tenant.odoo_username,
        api_key,
        protocol="auto",
        timeout=orders.odoo_timeout,
        min_delay=orders.odoo_min_delay,
        overlap_seconds=orders.odoo_overlap_seconds,
    )


class OdooClients:
    """Tenants' Odoo clients kept between the cycles of a warm function instance.

    A kept client skips the login, version and fields_get calls every cycle would
    otherwise repeat. A changed URL, database, user or key gets a new client; any Odoo
    error drops it (a version upgrade, a revoked key), so the next cycle starts fresh.
    """

    def __init__(self, limit: int = 100):
        self.limit = limit
        self._clients: dict[str, tuple[str, OdooClient]] = {}
        self._lock = threading.Lock()

    def get(self, orders: OrdersSettings, tenant: Tenant, api_key: str) -> OdooClient:
        parts = (tenant.odoo_url, tenant.odoo_db, tenant.odoo_username, api_key)
        fingerprint = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        with self._lock:
            kept = self._clients.pop(tenant.id, None)
            if kept is not None and kept[0] != fingerprint:
                kept[1].close()
                kept = None
            if kept is None:
                kept = (fingerprint, odoo_client(orders, tenant, api_key))
            self._clients[tenant.id] = kept  # most recently used last
            while len(self._clients) > self.limit:
                oldest = next(iter(self._clients))
                self._clients.pop(oldest)[1].close()
            return kept[1]

    def forget(self, tenant_id: str) -> None:
        with self._lock:
            kept = self._clients.pop(tenant_id, None)
        if kept is not None:
            kept[1].close()


def poll_tenant(
    db: Database,
    orders: OrdersSettings,
    tenant_id: str,
    secrets: SecretStore,
    clients: OdooClients | None = None,
) -> CycleResult:
    """Run one cycle for the tenant unless it is paused or a cycle of it is running.

    NotFoundError for an unknown tenant. When the time budget runs out the cursor is
    kept and `continued` is set. With `clients` the tenant's Odoo client is kept for the
    next cycle; without, it is closed.
    """
    with db.advisory_lock(lock_name(tenant_id)) as got:
        if not got:
            log.info("poll_skipped_busy", connection_id=tenant_id)
            return CycleResult(
                success=True,
                connection_id=tenant_id,
                skipped="a cycle of this tenant is already running",
            )
        # read under the lock: the cursor the previous cycle saved, a pause set meanwhile
        tenant = store.get_tenant(db, tenant_id)
        if not tenant.is_active:
            log.info("poll_skipped_paused", connection_id=tenant_id)
            return CycleResult(
                success=True, connection_id=tenant_id, skipped="the tenant is paused"
            )
        return _Cycle(db, orders, tenant, secrets, clients).run()


class _Cycle:
    def __init__(
        self,
        db: Database,
        orders: OrdersSettings,
        tenant: Tenant,
        secrets: SecretStore,
        clients: OdooClients | None,
    ) -> None:
        self.db = db
        self.orders = orders
        self.tenant = tenant
        self.secrets = secrets
        self.clients: OdooClients | None = clients
        self.calls_before = 0
        self.statements_before = db.statements
        self.result = CycleResult(connection_id=tenant.id)
        self.source = Source(tenant.id, tenant.store_id, tenant.client_id, tenant.odoo_db)
        self.creds: Credentials | None = None
        self.sender: WebhookSender | None = None
        self.client: OdooClient | None = None
        self.gone = False

    def run(self) -> CycleResult:
        from ..odoo import OdooError

        started = time.monotonic()
        try:
            self._run()
        except (OdooError, PermanentError) as exc:
            self.result.error = f"{'Odoo: ' if isinstance(exc, OdooError) else ''}{exc}"
            if isinstance(exc, OdooError) and self.clients is not None:
                self.clients.forget(self.tenant.id)
        except BaseException as exc:
            self.result.error = f"cycle crashed: {type(exc).__name__}: {exc}"
            self._finish(started, best_effort=True)
            raise
        self._finish(started)
        return self.result

    def _run(self) -> None:
        tenant = self.tenant
        if tenant.deliveries_paused_at is not None:
            raise PermanentError(
                f"deliveries paused since {tenant.deliveries_paused_at:%Y-%m-%d %H:%M:%S} UTC "
                f"({tenant.deliveries_paused_reason}); after fixing the webhook run "
                f"`odoo-engines tenants resume {tenant.id}`"
            )
        self.creds = credentials(tenant, self.secrets)
        budget = TimeBudget(self.orders.time_budget_seconds)
        with sender_for(self.orders) as self.sender:
            # a crash between send and mark left these recorded but unmarked: send again
            self._deliver(store.unsent(self.db, tenant.id))
            if self.gone:
                return
            key = self.creds.odoo_api_key
            if self.clients is not None:
                self.client = self.clients.get(self.orders, tenant, key)
            else:
                self.client = odoo_client(self.orders, tenant, key)
            self.calls_before = self.client.calls
            reader = OrderReader(self.client)
            pages = reader.pages(tenant.poll_cursor, self.orders.page_size, tenant.orders_since)
            for page in pages:
                self.result.pages += 1
                self._page(reader, page.records)
                self._save_cursor(page)
                if self.gone:
                    return
                if budget.exhausted(reserve=self._page_time()):
                    self.result.continued = True
                    return
        store.mark_synced(self.db, tenant.id)

    def _page_time(self) -> float:
        """The longest one more page may take: every delivery timing out, plus Odoo."""
        policy = self.orders
        return sending_time(policy.page_size, policy) + policy.odoo_timeout

    def _page(self, reader: OrderReader, orders: list[dict[str, Any]]) -> None:
        tenant_id = self.tenant.id
        known = store.known(self.db, tenant_id, [o["id"] for o in orders])
        wanted: list[tuple[dict[str, Any], str]] = []
        for order in orders:
            if order["state"] in reader.confirmed:
                if (order["id"], CONFIRMED) not in known:
                    wanted.append((order, CONFIRMED))
            elif order["state"] == "cancel" and self._cancel_needed(order["id"], known):
                wanted.append((order, CANCELLED))
        if not wanted:
            return
        self.result.found += len(wanted)
        related = reader.related([order for order, _ in wanted])
        events = []
        for order, event in wanted:
            payload = order_payload(order, related, self.source, event)
            events.append(
                Event(
                    tenant_id,
                    order["id"],
                    external_id(self.tenant.odoo_db, order["id"]),
                    event,
                    webhook_id(tenant_id, order["id"], event),
                    encode(payload),
                )
            )
        self._deliver(store.record(self.db, events))

    def _cancel_needed(self, order_id: int, known: dict[tuple[int, str], Known]) -> bool:
        """A cancelled order gets `order.cancelled` only if the picking app has the order."""
        if (order_id, CANCELLED) in known:
            return False
        confirmed = known.get((order_id, CONFIRMED))
        if confirmed is None:
            return False  # never sent: nothing to take back
        if confirmed.sent:
            return True
        reason = "order cancelled in Odoo before it was delivered"
        if store.discard_cancelled(self.db, self.tenant.id, order_id, CONFIRMED, reason):
            return False
        # a retry run was delivering it while we looked: it may have arrived
        return store.is_sent(self.db, self.tenant.id, order_id, CONFIRMED)

    def _deliver(self, events: list[Event]) -> None:
        """Send recorded events; mark the delivered, queue the rest for retry."""
        if not events:
            return
        assert self.sender is not None and self.creds is not None  # set by _run first
        outcomes = self.sender.send_all(
            [
                Delivery(
                    e.connection_id,
                    self.tenant.webhook_url,
                    self.creds.webhook_secret,
                    e.webhook_id,
                    e.body,
                    self.tenant.legacy_secret_header,
                )
                for e in events
            ]
        )
        delivered = [e for e, o in zip(events, outcomes, strict=True) if o.ok]
        failures = [
            (e, o.error, o.status, retry_delay(0, self.orders, o.retry_after))
            for e, o in zip(events, outcomes, strict=True)
            if not o.ok
        ]
        gone = next((o for o in outcomes if o.gone), None)
        with self.db.transaction():
            store.mark_sent(self.db, delivered)
            store.enqueue(self.db, failures, self.orders.retry_max_attempts)
            if gone is not None:
                self.gone = True
                pause_deliveries(self.db, self.tenant.id, gone.error)
        self.result.sent += len(delivered)
        self.result.failed += len(failures)
        if gone is not None:
            self.result.error = (
                "the webhook answered 410 Gone: deliveries paused; the rest waits in the retry "
                f"queue until `odoo-engines tenants resume {self.tenant.id}`"
            )

    def _save_cursor(self, page: Page) -> None:
        last_id = page.records[-1]["id"] if page.records else None
        store.save_poll_cursor(self.db, self.tenant.id, page.cursor, last_id)

    def _finish(self, started: float, best_effort: bool = False) -> None:
        result = self.result
        elapsed = time.monotonic() - started
        result.duration_ms, result.duration_seconds = int(elapsed * 1000), round(elapsed, 3)
        result.sql_statements = self.db.statements - self.statements_before
        if self.client is not None:
            result.odoo_calls = self.client.calls - self.calls_before
            result.protocol = self.client.protocol
            if self.clients is None:
                self.client.close()
        result.success = result.error is None
        try:
            store.log_cycle(self.db, result)
        except Exception:
            if not best_effort:
                raise
        (log.warning if result.error else log.info)("poll_cycle", **vars(result))


def run_retries(
    db: Database, orders: OrdersSettings, secrets: SecretStore, budget: TimeBudget | None = None
) -> RetryResult:
    """Send every due item of active tenants, batch by batch, until none is due or time is up."""
    budget = budget or TimeBudget(orders.time_budget_seconds)
    result = RetryResult()
    statements = db.statements
    known: dict[str, str | None] = {}
    # items due when the run starts: one attempt each per run, however short the backoff
    started = store.now(db)
    with sender_for(orders) as sender:
        reserve = sending_time(orders.retry_batch, orders)
        while True:
            # the rows stay locked while their batch is sent, so another run skips them
            with db.transaction():
                items = store.claim_due(db, orders.retry_batch, started)
                if not items:
                    break
                result.batches += 1
                _attempt(db, orders, secrets, sender, items, known, result)
            if budget.exhausted(reserve=reserve):
                break  # the rest waits for the next run (every minute)
    result.success = True
    result.duration_seconds = round(budget.elapsed(), 3)
    result.sql_statements = db.statements - statements
    if result.batches:
        log.info("retries_done", **vars(result))
    return result


def retry_now(db: Database, orders: OrdersSettings, secrets: SecretStore, item_id: int,
              force: bool = False) -> Outcome:  # fmt: skip
    """An operator's retry: a fresh set of attempts, and one sent right now.

    A discarded item only with `force`; an order cancelled in Odoo before its delivery
    never (its confirmation would tell the picking app to ship a cancelled order).
    """
    with sender_for(orders) as sender, db.transaction():
        item = store.claim(db, item_id)
        if item is None:
            raise PermanentError(f"no retry item {item_id} waiting (unknown or already delivered)")
        if item.cancelled:
            raise PermanentError(
                f"retry item {item_id}: order {item.event.odoo_order_id} was cancelled in Odoo"
                " before it was delivered; it is never sent"
            )
        if item.status == "DISCARDED" and not force:
            raise PermanentError(f"retry item {item_id} was discarded; --force sends it anyway")
        store.requeue(db, item_id)
        item = dataclasses.replace(item, attempts=0)
        return _attempt(db, orders, secrets, sender, [item], {}, RetryResult())[0]


def _attempt(
    db: Database,
    orders: OrdersSettings,
    secrets: SecretStore,
    sender: WebhookSender,
    items: list[RetryItem],
    known: dict[str, str | None],
    result: RetryResult,
) -> list[Outcome]:
    deliveries: list[tuple[RetryItem, Delivery]] = []
    outcomes: dict[int, Outcome] = {}
    for item in items:
        secret = _secret(secrets, item, known)
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
    rows: list[tuple[RetryItem, bool, int | None, str | None, float | None]] = []
    gone: dict[str, str | None] = {}  # tenant → its webhook's 410 answer: paused once
    for item in items:
        outcome = outcomes[item.id]
        if outcome.gone:
            gone.setdefault(item.event.connection_id, outcome.error)
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
            delay = retry_delay(attempts, orders, outcome.retry_after)
        rows.append((item, False, outcome.status, outcome.error, delay))
    for tenant_id, answer in gone.items():
        pause_deliveries(db, tenant_id, answer)
    store.record_attempts(db, rows)
    return [outcomes[item.id] for item in items]


def _secret(secrets: SecretStore, item: RetryItem, cache: dict[str, str | None]) -> str | None:
    tenant_id = item.event.connection_id
    if tenant_id not in cache:
        try:
            cache[tenant_id] = secrets.get(item.webhook_secret_ref)
        except EngineError as exc:
            log.error("webhook_secret_unreadable", connection_id=tenant_id, error=str(exc))
            cache[tenant_id] = None
    return cache[tenant_id]


def pause_deliveries(db: Database, tenant_id: str, answer: str | None) -> None:
    """Stop sending to the tenant's webhook until an operator resumes it (after a 410)."""
    reason = f"the webhook answered 410 Gone ({answer})"
    store.pause_deliveries(db, tenant_id, reason)
    log.error("tenant_deliveries_paused", connection_id=tenant_id, reason=reason)
