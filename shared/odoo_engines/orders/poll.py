"""One poll cycle of one tenant: orders changed in Odoo since the cursor → signed webhooks.

Per page: which orders have an event to send (one SQL query), their related records
(one Odoo read per model), the events recorded, sent in parallel, then marked or queued
for retry, and the cursor saved. One cycle per tenant at a time (advisory lock); a
`sync_log` row per cycle. An Odoo failure is recorded there and stays this tenant's.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.db import Database
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..core.publish import POLL_TENANT, Publisher
from ..core.runs import TimeBudget
from ..core.settings import Settings
from . import outbox
from .delivery import Delivery, WebhookSender, check_public_url
from .odoo_orders import OrderReader
from .payload import CANCELLED, CONFIRMED, Source, encode, external_id, order_payload
from .retry import retry_delay, sender_for, sending_time
from .secret_store import SecretStore
from .signing import webhook_id
from .tenants import Credentials, Tenant, credentials, get_tenant, pause_deliveries

if TYPE_CHECKING:
    from ..odoo import OdooClient, Page

log = get_logger("orders.poll")


@dataclass
class CycleResult:
    """What one cycle did; `skipped` says why none ran, `error` why it stopped early."""

    connection_id: str
    found: int = 0
    sent: int = 0
    failed: int = 0
    pages: int = 0
    odoo_calls: int = 0
    duration_ms: int = 0
    error: str | None = None
    skipped: str | None = None
    continued: bool = False
    protocol: str | None = None  # how the client spoke to this Odoo: jsonrpc or json2


def lock_name(tenant_id: str) -> str:
    return f"orders:poll:{tenant_id}"


def odoo_client(settings: Settings, tenant: Tenant, api_key: str) -> OdooClient:
    """The tenant's Odoo client; the protocol (JSON-RPC or 19's JSON-2) is picked per server.

    In production its URL is checked again (https, public address) before the key is sent:
    the name may point elsewhere since the tenant was saved.
    """
    from ..odoo import OdooClient

    check_public_url(tenant.odoo_url, settings.is_production, "odoo_url")
    return OdooClient(
        tenant.odoo_url,
        tenant.odoo_db,
        tenant.odoo_username,
        api_key,
        protocol="auto",
        timeout=settings.odoo.timeout,
        min_delay=settings.odoo.min_delay,
        overlap_seconds=settings.odoo.overlap_seconds,
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

    def get(self, settings: Settings, tenant: Tenant, api_key: str) -> OdooClient:
        parts = (tenant.odoo_url, tenant.odoo_db, tenant.odoo_username, api_key)
        fingerprint = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        with self._lock:
            kept = self._clients.pop(tenant.id, None)
            if kept is not None and kept[0] != fingerprint:
                kept[1].close()
                kept = None
            if kept is None:
                kept = (fingerprint, odoo_client(settings, tenant, api_key))
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
    settings: Settings,
    tenant_id: str,
    store: SecretStore,
    publisher: Publisher | None = None,
    clients: OdooClients | None = None,
) -> CycleResult:
    """Run one cycle for the tenant unless it is paused or a cycle of it is running.

    NotFoundError for an unknown tenant. When the time budget runs out the cursor is
    kept and, with a `publisher`, a continuation message is published. With `clients`
    the tenant's Odoo client is kept for the next cycle; without, it is closed.
    """
    with db.advisory_lock(lock_name(tenant_id)) as got:
        if not got:
            log.info("poll_skipped_busy", connection_id=tenant_id)
            return CycleResult(tenant_id, skipped="a cycle of this tenant is already running")
        # read under the lock: the cursor the previous cycle saved, a pause set meanwhile
        tenant = get_tenant(db, tenant_id)
        if not tenant.is_active:
            log.info("poll_skipped_paused", connection_id=tenant_id)
            return CycleResult(tenant_id, skipped="the tenant is paused")
        result = _Cycle(db, settings, tenant, store, clients).run()
    if result.continued and publisher is not None:
        # published once the lock is released, so the continuation is not turned away
        publisher.publish(POLL_TENANT, {"continuation": True}, connection_id=tenant_id)
    return result


class _Cycle:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        tenant: Tenant,
        store: SecretStore,
        clients: OdooClients | None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.tenant = tenant
        self.store = store
        self.clients: OdooClients | None = clients
        self.calls_before = 0
        self.result = CycleResult(tenant.id)
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
        self.creds = credentials(tenant, self.store)
        budget = TimeBudget(self.settings.time_budget_seconds)
        with sender_for(self.settings) as self.sender:
            # a crash between send and mark left these recorded but unmarked: send again
            self._deliver(outbox.unsent(self.db, tenant.id))
            if self.gone:
                return
            key = self.creds.odoo_api_key
            if self.clients is not None:
                self.client = self.clients.get(self.settings, tenant, key)
            else:
                self.client = odoo_client(self.settings, tenant, key)
            self.calls_before = self.client.calls
            reader = OrderReader(self.client)
            pages = reader.pages(
                tenant.poll_cursor, self.settings.orders.page_size, tenant.orders_since
            )
            for page in pages:
                self.result.pages += 1
                self._page(reader, page.records)
                self._save_cursor(page)
                if self.gone:
                    return
                if budget.exhausted(reserve=self._page_time()):
                    self.result.continued = True
                    return
        self.db.execute("UPDATE connections SET last_sync_at = now() WHERE id = %s", (tenant.id,))

    def _page_time(self) -> float:
        """The longest one more page may take: every delivery timing out, plus Odoo."""
        policy = self.settings.orders
        return sending_time(policy.page_size, policy) + self.settings.odoo.timeout

    def _page(self, reader: OrderReader, orders: list[dict[str, Any]]) -> None:
        tenant_id = self.tenant.id
        known = outbox.known(self.db, tenant_id, [o["id"] for o in orders])
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
                outbox.Event(
                    tenant_id,
                    order["id"],
                    external_id(self.tenant.odoo_db, order["id"]),
                    event,
                    webhook_id(tenant_id, order["id"], event),
                    encode(payload),
                )
            )
        self._deliver(outbox.record(self.db, events))

    def _cancel_needed(self, order_id: int, known: dict[tuple[int, str], outbox.Known]) -> bool:
        """A cancelled order gets `order.cancelled` only if the picking app has the order."""
        if (order_id, CANCELLED) in known:
            return False
        confirmed = known.get((order_id, CONFIRMED))
        if confirmed is None:
            return False  # never sent: nothing to take back
        if confirmed.sent:
            return True
        reason = "order cancelled in Odoo before it was delivered"
        if outbox.discard_cancelled(self.db, self.tenant.id, order_id, CONFIRMED, reason):
            return False
        # a retry run was delivering it while we looked: it may have arrived
        return outbox.is_sent(self.db, self.tenant.id, order_id, CONFIRMED)

    def _deliver(self, events: list[outbox.Event]) -> None:
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
            (e, o.error, o.status, retry_delay(0, self.settings.orders, o.retry_after))
            for e, o in zip(events, outcomes, strict=True)
            if not o.ok
        ]
        gone = next((o for o in outcomes if o.gone), None)
        with self.db.transaction():
            outbox.mark_sent(self.db, delivered)
            outbox.enqueue(self.db, failures, self.settings.orders.retry_max_attempts)
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
        self.db.execute(
            "UPDATE connections SET poll_cursor = %s::jsonb,"
            " last_sync_order_id = COALESCE(%s, last_sync_order_id) WHERE id = %s",
            (json.dumps(page.cursor), last_id, self.tenant.id),
        )

    def _finish(self, started: float, best_effort: bool = False) -> None:
        result = self.result
        result.duration_ms = int((time.monotonic() - started) * 1000)
        if self.client is not None:
            result.odoo_calls = self.client.calls - self.calls_before
            result.protocol = self.client.protocol
            if self.clients is None:
                self.client.close()
        try:
            self.db.execute(
                "INSERT INTO sync_log (connection_id, orders_found, orders_sent, orders_failed,"
                " error_message, duration_ms, pages, odoo_calls)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    result.connection_id,
                    result.found,
                    result.sent,
                    result.failed,
                    result.error,
                    result.duration_ms,
                    result.pages,
                    result.odoo_calls,
                ),
            )
        except Exception:
            if not best_effort:
                raise
        (log.warning if result.error else log.info)("poll_cycle", **vars(result))


def recent_cycles(db: Database, tenant_id: str, limit: int = 5) -> list[dict[str, Any]]:
    """The tenant's latest `sync_log` rows, newest first."""
    return db.rows(
        "SELECT synced_at, orders_found, orders_sent, orders_failed, error_message,"
        " duration_ms, pages, odoo_calls FROM sync_log WHERE connection_id = %s"
        " ORDER BY id DESC LIMIT %s",
        (tenant_id, limit),
    )
