"""The local stand-in for Cloud Scheduler while the console runs: it fires each active
tenant's `poll-tenant` job when its interval has passed, and `webhook-retry` every tick.

In the cloud Cloud Scheduler does this and the console only shows the jobs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from odoo_engines.core.db import Database, connect
from odoo_engines.core.errors import EngineError
from odoo_engines.core.logging import get_logger
from odoo_engines.core.settings import Settings
from odoo_engines.orders.run import CycleResult, OdooClients, RetryResult, poll_tenant, run_retries
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import get_secret_store
from odoo_engines.orders.settings import OrdersSettings, load_orders_settings
from odoo_engines.orders.store import list_tenants, tenant_stats

log = get_logger("consoles.poller")


class LocalPoller:
    """Runs due poll cycles and retries on its own database connection, until stopped."""

    def __init__(
        self,
        settings: Settings,
        on_cycle: Callable[[CycleResult | RetryResult], None] = lambda _result: None,
        tick_seconds: float = 1.0,
        orders: OrdersSettings | None = None,
    ):
        self.settings = settings
        self.orders = orders or load_orders_settings(settings=settings)
        self.on_cycle = on_cycle
        self.tick_seconds = tick_seconds
        self.store = get_secret_store(self.orders)
        # logged-in Odoo clients kept between cycles, as a warm function instance keeps them
        self.clients = OdooClients()

    def run(self, stop: threading.Event) -> None:
        """Tick until `stop` is set (called in a worker thread)."""
        db = connect(self.settings)
        try:
            while not stop.is_set():
                self.tick(db)
                stop.wait(self.tick_seconds)
        finally:
            for tenant in list_tenants(db):
                self.clients.forget(tenant.id)  # closes its kept client, if any
            db.close()

    def tick(self, db: Database, now: datetime | None = None) -> None:
        """Poll every tenant whose job is enabled and whose interval has passed; retry."""
        now = now or datetime.now(UTC)
        jobs = LocalSchedulerJobs(db)
        last = tenant_stats(db)
        for tenant in list_tenants(db):
            if not tenant.is_active:
                continue
            job = jobs.get(tenant.id)
            if job is None or job.paused:
                continue
            previous = last[tenant.id].last_cycle_at if tenant.id in last else None
            if previous and (now - previous).total_seconds() < tenant.polling_interval_seconds:
                continue
            try:
                self.on_cycle(
                    poll_tenant(db, self.orders, tenant.id, self.store, clients=self.clients)
                )
            except EngineError as exc:  # e.g. a secret that no longer decrypts
                log.error("local_poll_failed", connection_id=tenant.id, error=str(exc))
        retried = run_retries(db, self.orders, self.store)
        if retried.batches:
            self.on_cycle(retried)
