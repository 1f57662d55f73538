"""What the terminal console does, as plain calls into the orders package.

Screens call these from Textual thread workers, never from the UI thread, so a slow
database, Odoo or webhook never freezes the screen. The console's own connection is
shared under a lock; a poll cycle and an operator's retry (network calls inside a
transaction) get a connection of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from odoo_engines.core.checks import Check
from odoo_engines.core.db import Database, connect
from odoo_engines.core.settings import Settings
from odoo_engines.orders import store
from odoo_engines.orders.admin import TenantAdmin
from odoo_engines.orders.delivery import Outcome
from odoo_engines.orders.run import CycleResult, poll_tenant, retry_now
from odoo_engines.orders.scheduler_jobs import Job, get_scheduler
from odoo_engines.orders.secret_store import SecretStore, get_secret_store
from odoo_engines.orders.settings import OrdersSettings, load_orders_settings
from odoo_engines.orders.signing import new_webhook_secret
from odoo_engines.orders.store import TenantStats, get_tenant, list_tenants
from odoo_engines.orders.tenant_check import check_tenant
from odoo_engines.orders.tenants import Tenant


@dataclass(frozen=True)
class TenantLine:
    """A tenant with what the dashboard shows beside it."""

    tenant: Tenant
    stats: TenantStats
    pending: int
    failed: int


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard shows, read at one moment."""

    tenants: list[TenantLine]
    activity: list[dict[str, Any]]
    pending: int
    failed: int


class OrdersBackend:
    """Tenants admin, poll and retry-queue actions for the console."""

    def __init__(
        self, settings: Settings, db: Database | None = None, orders: OrdersSettings | None = None
    ):
        self.settings = settings
        self.orders = orders or load_orders_settings(settings=settings)
        self._db = db
        self._owns_db = db is None
        self._lock = threading.RLock()
        self._store: SecretStore | None = None

    @contextmanager
    def _session(self) -> Iterator[Database]:
        with self._lock:
            if self._db is None:
                self._db = connect(self.settings)
            yield self._db

    @property
    def store(self) -> SecretStore:
        if self._store is None:
            self._store = get_secret_store(self.orders)
        return self._store

    def _admin(self, db: Database) -> TenantAdmin:
        return TenantAdmin(db, self.store, get_scheduler(self.orders, db), self.orders.production)

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._owns_db:
                self._db.close()
            self._db = None

    # -- reads ------------------------------------------------------------------------
    def snapshot(self, activity: int = 8) -> Snapshot:
        """Tenants with their figures, the recent cycles and the queue's totals."""
        with self._session() as db:
            stats = store.tenant_stats(db)
            queue = store.pending_counts(db)
            lines = [
                TenantLine(
                    t,
                    stats.get(t.id, TenantStats()),
                    queue.get(t.id, {}).get("PENDING", 0),
                    queue.get(t.id, {}).get("FAILED", 0),
                )
                for t in list_tenants(db)
            ]
            recent = store.sync_log(db, limit=activity)
        return Snapshot(
            lines,
            recent,
            sum(line.pending for line in lines),
            sum(line.failed for line in lines),
        )

    def tenants(self) -> list[Tenant]:
        with self._session() as db:
            return list_tenants(db)

    def tenant(self, tenant_id: str) -> Tenant:
        with self._session() as db:
            return get_tenant(db, tenant_id)

    def job(self, tenant_id: str) -> Job | None:
        """The tenant's scheduler job (Cloud Scheduler, or the local stand-in's row)."""
        with self._session() as db:
            return get_scheduler(self.orders, db).get(tenant_id)

    def describe_secret(self, ref: str) -> str:
        """Where a secret is kept (never its value)."""
        return self.store.describe(ref)

    def webhook_secret(self, tenant: Tenant) -> str:
        """The tenant's webhook secret, for an operator who asked to see or copy it."""
        return self.store.get(tenant.webhook_secret_ref)

    def sync_log(self, tenant_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        with self._session() as db:
            return store.sync_log(db, tenant_id, limit)

    def retries(
        self, tenant_id: str | None = None, status: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        with self._session() as db:
            return store.retry_rows(db, tenant_id, status, limit)

    def retry_item(self, item_id: int) -> dict[str, Any] | None:
        """One queue item with its payload (the exact body sent)."""
        with self._session() as db:
            return store.retry_row(db, item_id)

    # -- tenants admin ----------------------------------------------------------------
    def new_webhook_secret(self) -> str:
        return new_webhook_secret()

    @property
    def default_webhook_url(self) -> str:
        return self.orders.default_webhook_url

    def add_tenant(
        self,
        values: dict[str, Any],
        odoo_api_key: str,
        webhook_secret: str,
        since: datetime | None = None,
    ) -> Tenant:
        with self._session() as db:
            return self._admin(db).add(values, odoo_api_key, webhook_secret, since)

    def edit_tenant(
        self,
        tenant_id: str,
        values: dict[str, Any],
        odoo_api_key: str | None,
        webhook_secret: str | None,
    ) -> Tenant:
        with self._session() as db:
            return self._admin(db).edit(tenant_id, values, odoo_api_key, webhook_secret)

    def toggle_tenant(self, tenant_id: str) -> Tenant:
        """Pause an active tenant, resume a paused one (with its scheduler job)."""
        with self._session() as db:
            admin = self._admin(db)
            tenant = get_tenant(db, tenant_id)
            return admin.pause(tenant_id) if tenant.is_active else admin.resume(tenant_id)

    def delete_tenant(self, tenant_id: str) -> None:
        with self._session() as db:
            self._admin(db).delete(tenant_id)

    def test_tenant(self, tenant_id: str) -> list[Check]:
        """Log in to the tenant's Odoo, then send a signed `ping` event to its webhook."""
        with self._session() as db:
            tenant = get_tenant(db, tenant_id)
        return check_tenant(self.orders, tenant, self.store)

    # -- work on a connection of its own --------------------------------------------------
    @contextmanager
    def _own_connection(self) -> Iterator[Database]:
        db = connect(self.settings)
        try:
            yield db
        finally:
            db.close()

    def poll_now(self, tenant_id: str) -> CycleResult:
        """One poll cycle of the tenant, as the poll-tenant function runs it."""
        with self._own_connection() as db:
            return poll_tenant(db, self.orders, tenant_id, self.store)

    def retry_now(self, item_id: int) -> Outcome:
        """Send a queue item now with a fresh set of attempts; the delivery's outcome."""
        with self._own_connection() as db:
            return retry_now(db, self.orders, self.store, item_id)

    def discard(self, item_id: int) -> bool:
        with self._session() as db:
            return store.discard(db, item_id)
