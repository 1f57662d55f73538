"""The orders engine's Pub/Sub entry points: `poll-tenant` and `webhook-retry`.

Each invocation reads its settings, opens its own database connection and closes it, so
the tenant's advisory lock is always released with the connection.
"""

from __future__ import annotations

from ..core.db import connect
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..core.publish import get_publisher
from ..core.settings import load_settings
from ..core.triggers import PubSubMessage
from .poll import OdooClients, poll_tenant
from .retry import run_retries
from .secret_store import get_secret_store
from .tenants import is_tenant_id

log = get_logger("orders.function")
_clients = OdooClients()  # kept while this instance stays warm


def handle_poll_tenant(message: PubSubMessage) -> None:
    """One poll cycle for the tenant named by the `connection_id` attribute.

    An Odoo outage is recorded in sync_log and acknowledged: the tenant's next scheduled
    poll is the retry. A missing or unknown tenant is logged and acknowledged.
    """
    tenant_id = message.attributes.get("connection_id", "")
    if not is_tenant_id(tenant_id):
        raise PermanentError("poll-tenant message needs a connection_id attribute (tenant id)")
    settings = load_settings()
    db = connect(settings)
    try:
        poll_tenant(
            db,
            settings,
            tenant_id,
            get_secret_store(settings),
            publisher=get_publisher(settings.gcp_project, settings.environment),
            clients=_clients,
        )
    finally:
        db.close()


def handle_webhook_retry(message: PubSubMessage) -> None:
    """Send the retry queue's due items (every minute; safe when two runs overlap)."""
    settings = load_settings()
    db = connect(settings)
    try:
        run_retries(db, settings, get_secret_store(settings))
    finally:
        db.close()
