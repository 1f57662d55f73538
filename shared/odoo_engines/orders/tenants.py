"""Tenants (the seed's `connections`): what a tenant is, and the rules its values follow.

Their rows are read and written in `store.py`; `admin.py` keeps each tenant's scheduler
job and secrets in step with its row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..core.errors import PermanentError
from .delivery import check_public_url
from .secret_store import SecretStore

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


# Cloud Scheduler runs on cron, whose finest step is a minute: an interval must be a
# number of minutes that divides an hour, or of hours that divides a day.
_MINUTES = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)
_HOURS = (1, 2, 3, 4, 6, 8, 12, 24)


def cron_for(interval_seconds: int) -> str:
    """The cron schedule that fires every `interval_seconds`; PermanentError if none does."""
    minutes, rest = divmod(interval_seconds, 60)
    if not rest and minutes in _MINUTES:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    hours, rest = divmod(interval_seconds, 3600)
    if not rest and hours in _HOURS:
        return "0 0 * * *" if hours == 24 else f"0 */{hours} * * *"
    allowed = (
        ", ".join(str(m * 60) for m in _MINUTES) + ", " + ", ".join(str(h * 3600) for h in _HOURS)
    )
    raise PermanentError(
        f"polling interval {interval_seconds} s cannot be scheduled; use one of {allowed}"
    )
