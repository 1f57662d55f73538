"""Testing a tenant's connections: what `tenants test` and the console's test key report."""

from __future__ import annotations

import time
import uuid

from ..core.checks import Check
from .delivery import Delivery, sender_for
from .payload import Source, encode, ping_payload
from .run import odoo_client
from .secret_store import SecretStore
from .settings import OrdersSettings
from .tenants import Tenant, credentials


def check_tenant(orders: OrdersSettings, tenant: Tenant, store: SecretStore) -> list[Check]:
    """Log in to the tenant's Odoo, then send a signed `ping` event to its webhook.

    Two checks, `odoo` and `webhook`; a failure is reported in its check, not raised.
    """
    creds = credentials(tenant, store)
    return [
        _odoo(orders, tenant, creds.odoo_api_key),
        _webhook(orders, tenant, creds.webhook_secret),
    ]


def _odoo(orders: OrdersSettings, tenant: Tenant, api_key: str) -> Check:
    from ..odoo import OdooError

    try:
        client = odoo_client(orders, tenant, api_key)
        try:
            info = client.check()
        finally:
            client.close()
    except OdooError as exc:
        return Check("odoo", False, str(exc))
    return Check("odoo", True, f"Odoo {info['version']} over {info['protocol']}, uid {info['uid']}")


def _webhook(orders: OrdersSettings, tenant: Tenant, secret: str) -> Check:
    body = encode(
        ping_payload(Source(tenant.id, tenant.store_id, tenant.client_id, tenant.odoo_db))
    )
    ping = Delivery(tenant.id, tenant.webhook_url, secret, f"msg_ping_{uuid.uuid4().hex}", body,
                    tenant.legacy_secret_header)  # fmt: skip
    started = time.monotonic()
    with sender_for(orders) as sender:
        outcome = sender.send(ping)
    if not outcome.ok:
        return Check("webhook", False, str(outcome.error))
    elapsed = int((time.monotonic() - started) * 1000)
    return Check("webhook", True, f"HTTP {outcome.status} in {elapsed} ms")
