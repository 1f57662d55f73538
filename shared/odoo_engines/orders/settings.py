"""The orders engine's settings slice: webhook delivery, its retry schedule, tenants'
local secrets, and the few shared values its work reads (so the work takes this alone)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ConfigError
from ..core.settings import Env, Settings, load_settings

DEFAULT_WEBHOOK_URL = "https://stockmaster.notorios.cl/api/webhooks/odoo"


@dataclass(frozen=True)
class OrdersSettings:
    """The order poller: webhook delivery, its retry schedule, tenants' local secrets."""

    default_webhook_url: str = DEFAULT_WEBHOOK_URL
    page_size: int = 100
    webhook_timeout: float = 10.0
    max_parallel: int = 8
    retry_base_seconds: float = 30.0
    retry_max_delay_seconds: float = 600.0
    retry_max_attempts: int = 5
    retry_jitter: float = 0.1
    retry_batch: int = 100
    secret_key: str | None = field(default=None, repr=False)  # local Fernet key
    secret_key_file: Path = Path(".data/orders-secret.key")
    jobs_project: str | None = None  # project of the poll-tenant jobs; None: gcp_project
    # Copied from the shared Settings (read once, by core): what the engine's work needs.
    production: bool = False  # webhooks and tenants' Odoo only on public https addresses
    uses_google_cloud: bool = False  # Secret Manager and Cloud Scheduler, not stand-ins
    gcp_project: str | None = None
    region: str = "us-central1"
    time_budget_seconds: float = 480.0
    odoo_timeout: float = 30.0  # tenants' Odoo clients: ODOO_TIMEOUT, …
    odoo_min_delay: float = 0.0
    odoo_overlap_seconds: int = 60


def load_orders_settings(
    env: Mapping[str, str] | None = None, settings: Settings | None = None
) -> OrdersSettings:
    """The slice from `env` (default: the process environment); the shared values from
    `settings` when given (read from the same `env`), else loaded here."""
    e = Env.of(env)
    shared = settings if settings is not None else load_settings(env)
    jitter = e.float("ORDERS_RETRY_JITTER", 0.1)
    if jitter > 1:
        raise ConfigError(f"ORDERS_RETRY_JITTER must be between 0 and 1, got {jitter}")
    return OrdersSettings(
        default_webhook_url=e.str("ORDERS_DEFAULT_WEBHOOK_URL", DEFAULT_WEBHOOK_URL),
        page_size=e.int("ORDERS_PAGE_SIZE", 100, minimum=1),
        webhook_timeout=e.float("ORDERS_WEBHOOK_TIMEOUT", 10.0, minimum=0.1),
        max_parallel=e.int("ORDERS_MAX_PARALLEL", 8, minimum=1),
        retry_base_seconds=e.float("ORDERS_RETRY_BASE_SECONDS", 30.0),
        retry_max_delay_seconds=e.float("ORDERS_RETRY_MAX_DELAY_SECONDS", 600.0),
        retry_max_attempts=e.int("ORDERS_RETRY_MAX_ATTEMPTS", 5, minimum=1),
        retry_jitter=jitter,
        retry_batch=e.int("ORDERS_RETRY_BATCH", 100, minimum=1),
        secret_key=e.str("ORDERS_SECRET_KEY"),
        secret_key_file=Path(e.str("ORDERS_SECRET_KEY_FILE", ".data/orders-secret.key")),
        jobs_project=e.str("ORDERS_JOBS_PROJECT"),
        production=shared.is_production,
        uses_google_cloud=shared.uses_google_cloud,
        gcp_project=shared.gcp_project,
        region=shared.region,
        time_budget_seconds=shared.time_budget_seconds,
        odoo_timeout=shared.odoo.timeout,
        odoo_min_delay=shared.odoo.min_delay,
        odoo_overlap_seconds=shared.odoo.overlap_seconds,
    )
