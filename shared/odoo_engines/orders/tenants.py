"""Tenants (the seed's `connections`): their rows, and the admin actions that keep each
tenant's scheduler job and secrets in step with its row."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from ..core.db import Database
from ..core.errors import NotFoundError, PermanentError
from ..core.logging import get_logger
from .delivery import check_public_url
from .scheduler_jobs import TenantScheduler, cron_for
from .secret_store import SecretStore
from .signing import check_webhook_secret

log = get_logger("orders.tenants")
# Secret ids of tenants' credentials, one prefix per kind so IAM can grant one kind only
# (terraform/secrets.tf: orders-api and webhook-retry read webhook secrets, never Odoo keys).
WEBHOOK_SECRETS = "orders-webhook-"
ODOO_KEYS = "orders-odoo-"
_TENANT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_tenant_id(value: str) -> bool:
    """Whether `value` can be a tenant id (checked before any query uses it)."""
    return _TENANT_ID.fullmatch(value) is not None


# What an operator sets (the seed's form), besides the two secrets.
EDITABLE = (
    "name",
    "odoo_url",
    "odoo_db",
    "odoo_username",
    "store_id",
    "client_id",
    "webhook_url",
    "polling_interval_seconds",
    "legacy_secret_header",
)
OPTIONAL = ("polling_interval_seconds", "legacy_secret_header")


@dataclass(frozen=True)
class Tenant:
    """One row of `connections`; the secrets are references, never values."""

    id: str
    name: str
    odoo_url: str
    odoo_db: str
    odoo_username: str
    odoo_api_key_ref: str = field(repr=False)
    webhook_url: str = ""
    webhook_secret_ref: str = field(default="", repr=False)
    store_id: str = ""
    client_id: str = ""
    polling_interval_seconds: int = 60
    # send the raw secret in X-Webhook-Secret too (migrated seed tenants; see 0302)
    legacy_secret_header: bool = False
    is_active: bool = True
    deliveries_paused_at: datetime | None = None
    deliveries_paused_reason: str | None = None
    poll_cursor: dict[str, Any] | None = None
    last_sync_at: datetime | None = None
    last_sync_order_id: int | None = None
    orders_since: datetime | None = None  # orders confirmed before it are never sent
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Credentials:
    odoo_api_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)


# Column names below come from this module (Tenant's fields, EDITABLE), never from input.
_COLUMNS = ", ".join(f.name for f in fields(Tenant))
_SELECT = f"SELECT {_COLUMNS} FROM connections"  # noqa: S608


def _tenant(row: dict[str, Any]) -> Tenant:
    if isinstance(row.get("poll_cursor"), str):
        row = {**row, "poll_cursor": json.loads(row["poll_cursor"])}
    return Tenant(**row)


def get_tenant(db: Database, tenant_id: str) -> Tenant:
    """The tenant with this id; NotFoundError (acknowledged by triggers) if there is none."""
    rows = db.rows(_SELECT + " WHERE id = %s", (tenant_id,))
    if not rows:
        raise NotFoundError(f"no tenant with id {tenant_id!r}")
    return _tenant(rows[0])


def list_tenants(db: Database) -> list[Tenant]:
    return [_tenant(r) for r in db.rows(_SELECT + " ORDER BY name, id")]


def credentials(tenant: Tenant, store: SecretStore) -> Credentials:
    """The tenant's Odoo API key and webhook secret, read from the secret store."""
    return Credentials(store.get(tenant.odoo_api_key_ref), store.get(tenant.webhook_secret_ref))


def parse_since(text: str, now: datetime | None = None) -> datetime | None:
    """`now`, `all` (None: every past confirmed order, as the seed) or a UTC `YYYY-MM-DD`."""
    value = text.strip().lower()
    if value == "now":
        return (now or datetime.now(UTC)).replace(microsecond=0)
    if value == "all":
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise PermanentError(f"since must be now, all or YYYY-MM-DD, got {text!r}") from None


def describe_since(tenant: Tenant) -> str:
    """Where a tenant's orders start, for screens."""
    if tenant.orders_since is None:
        return "all (every past confirmed order)"
    return f"orders confirmed from {tenant.orders_since:%Y-%m-%d %H:%M:%S} UTC"


def validate(values: dict[str, Any], production: bool) -> dict[str, Any]:
    """Clean the operator's values; PermanentError naming the first bad one."""
    clean = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise PermanentError(f"{key} cannot be set on a tenant")
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PermanentError(f"{key} must not be empty")
        clean[key] = value
    # an Odoo key travels to odoo_url as a webhook secret to webhook_url: the same rule
    if "odoo_url" in clean:
        check_public_url(clean["odoo_url"], production, "odoo_url")
        clean["odoo_url"] = clean["odoo_url"].rstrip("/")
    if "webhook_url" in clean:
        check_public_url(clean["webhook_url"], production)
    if "polling_interval_seconds" in clean:
        cron_for(int(clean["polling_interval_seconds"]))
    if not isinstance(clean.get("legacy_secret_header", False), bool):
        raise PermanentError("legacy_secret_header must be true or false")
    return clean


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
                columns, marks = ", ".join(row), ", ".join(["%s"] * len(row))
                self.db.execute(
                    f"INSERT INTO connections ({columns}) VALUES ({marks})",  # noqa: S608
                    list(row.values()),
                )
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
            assignments = ", ".join(f"{k} = %s" for k in clean)
            sql = f"UPDATE connections SET {assignments}, updated_at = now() WHERE id = %s"  # noqa: S608
            self.db.execute(sql, [*clean.values(), tenant_id])
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
            self.db.execute(
                "UPDATE connections SET is_active = false, updated_at = now() WHERE id = %s",
                (tenant_id,),
            )
            self.scheduler.pause(tenant_id)
        log.info("tenant_paused", connection_id=tenant_id)
        return get_tenant(self.db, tenant_id)

    def resume(self, tenant_id: str) -> Tenant:
        """Poll again, and deliver again if a 410 had paused deliveries."""
        tenant = get_tenant(self.db, tenant_id)
        with self.db.transaction():
            self.db.execute(
                "UPDATE connections SET is_active = true, deliveries_paused_at = NULL,"
                " deliveries_paused_reason = NULL, updated_at = now() WHERE id = %s",
                (tenant_id,),
            )
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
        self.db.execute("DELETE FROM connections WHERE id = %s", (tenant_id,))
        for ref in (tenant.odoo_api_key_ref, tenant.webhook_secret_ref):
            self.store.delete(ref)
        log.info("tenant_deleted", connection_id=tenant_id)


def pause_deliveries(db: Database, tenant_id: str, answer: str | None) -> None:
    """Stop sending to the tenant's webhook until an operator resumes it (after a 410)."""
    reason = f"the webhook answered 410 Gone ({answer})"
    db.execute(
        "UPDATE connections SET deliveries_paused_at = now(), deliveries_paused_reason = %s,"
        " updated_at = now() WHERE id = %s AND deliveries_paused_at IS NULL",
        (reason, tenant_id),
    )
    log.error("tenant_deliveries_paused", connection_id=tenant_id, reason=reason)
