"""Tenants' admin actions: add, edit, pause, resume and delete a tenant with its
scheduler job and secrets kept in step with its row (the CLI's and the console's)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from ..core.db import Database
from ..core.errors import PermanentError
from ..core.logging import get_logger
from .scheduler_jobs import TenantScheduler
from .secret_store import SecretStore
from .signing import check_webhook_secret
from .store import (
    delete_tenant,
    get_tenant,
    insert_tenant,
    pause_tenant,
    resume_tenant,
    update_tenant,
)
from .tenants import EDITABLE, ODOO_KEYS, OPTIONAL, WEBHOOK_SECRETS, Tenant, validate

log = get_logger("orders.tenants")


class TenantAdmin:
    """Add, edit, pause, resume and delete tenants with their scheduler job and secrets."""

    def __init__(
        self, db: Database, store: SecretStore, scheduler: TenantScheduler, production: bool
    ):
        self.db = db
        self.store = store
        self.scheduler = scheduler
        self.production = production

    def add(
        self,
        values: dict[str, Any],
        odoo_api_key: str,
        webhook_secret: str,
        since: datetime | None = None,
    ) -> Tenant:
        """Create the tenant, its secrets and its (running) scheduler job.

        Orders confirmed before `since` are never sent; None sends every past one.
        """
        clean = validate(values, self.production)
        missing = [k for k in EDITABLE if k not in clean and k not in OPTIONAL]
        if missing:
            raise PermanentError(f"missing: {', '.join(missing)}")
        check_webhook_secret(webhook_secret)
        if not odoo_api_key:
            raise PermanentError("the Odoo API key must not be empty")
        tenant_id = secrets.token_hex(8)
        refs = {
            "odoo_api_key_ref": self.store.put(ODOO_KEYS + tenant_id, odoo_api_key),
            "webhook_secret_ref": self.store.put(WEBHOOK_SECRETS + tenant_id, webhook_secret),
        }
        row = {"id": tenant_id, **clean, **refs, "orders_since": since}
        try:
            with self.db.transaction():
                insert_tenant(self.db, row)
                tenant = get_tenant(self.db, tenant_id)
                self.scheduler.upsert(tenant_id, tenant.polling_interval_seconds)
        except BaseException:
            for ref in refs.values():
                self.store.delete(ref)
            raise
        log.info("tenant_added", connection_id=tenant_id, name=tenant.name)
        return tenant

    def edit(
        self,
        tenant_id: str,
        values: dict[str, Any],
        odoo_api_key: str | None = None,
        webhook_secret: str | None = None,
    ) -> Tenant:
        """Change the given fields and/or secrets; the job follows a new interval."""
        tenant = get_tenant(self.db, tenant_id)
        clean = validate(values, self.production)
        if clean.get("odoo_db", tenant.odoo_db) != tenant.odoo_db:
            # its cursor and sent orders belong to the old database's order ids
            raise PermanentError("a tenant's Odoo database cannot change; add a new tenant")
        if webhook_secret is not None:
            check_webhook_secret(webhook_secret)
            clean["webhook_secret_ref"] = self.store.put(
                WEBHOOK_SECRETS + tenant_id, webhook_secret
            )
        if odoo_api_key is not None:
            if not odoo_api_key:
                raise PermanentError("the Odoo API key must not be empty")
            clean["odoo_api_key_ref"] = self.store.put(ODOO_KEYS + tenant_id, odoo_api_key)
        if not clean:
            return tenant
        with self.db.transaction():
            update_tenant(self.db, tenant_id, clean)
            if "polling_interval_seconds" in clean:
                self.scheduler.upsert(
                    tenant_id, int(clean["polling_interval_seconds"]), paused=not tenant.is_active
                )
        log.info("tenant_edited", connection_id=tenant_id, fields=sorted(clean))
        return get_tenant(self.db, tenant_id)

    def pause(self, tenant_id: str) -> Tenant:
        """Stop polling and retries for the tenant; its job is paused."""
        get_tenant(self.db, tenant_id)
        with self.db.transaction():
            pause_tenant(self.db, tenant_id)
            self.scheduler.pause(tenant_id)
        log.info("tenant_paused", connection_id=tenant_id)
        return get_tenant(self.db, tenant_id)

    def resume(self, tenant_id: str) -> Tenant:
        """Poll again, and deliver again if a 410 had paused deliveries."""
        tenant = get_tenant(self.db, tenant_id)
        with self.db.transaction():
            resume_tenant(self.db, tenant_id)
            if self.scheduler.get(tenant_id) is None:  # lost job: recreate it, running
                self.scheduler.upsert(tenant_id, tenant.polling_interval_seconds)
            else:
                self.scheduler.resume(tenant_id)
        log.info("tenant_resumed", connection_id=tenant_id)
        return get_tenant(self.db, tenant_id)

    def delete(self, tenant_id: str) -> None:
        """Delete the job, the row (with its log, queue and sent records) and the secrets."""
        tenant = get_tenant(self.db, tenant_id)
        self.scheduler.delete(tenant_id)
        delete_tenant(self.db, tenant_id)
        for ref in (tenant.odoo_api_key_ref, tenant.webhook_secret_ref):
            self.store.delete(ref)
        log.info("tenant_deleted", connection_id=tenant_id)
