"""The order poller's demo step: two tenants on the sandbox Odoo → the local webhook sink."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter

import click

from odoo_engines.orders.admin import TenantAdmin
from odoo_engines.orders.run import poll_tenant, run_retries
from odoo_engines.orders.scheduler_jobs import get_scheduler
from odoo_engines.orders.secret_store import get_secret_store
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines.orders.signing import new_webhook_secret

from .app import App

# Two sandbox databases on two Odoo versions: 17 over JSON-RPC, 19 over JSON-2.
DATABASES = (("Tienda Norte", "demo_norte", "17.0", 7), ("Tienda Sur", "demo_sur", "19.0", 8))


def tenant_fields(name: str, odoo_db, sink) -> dict[str, str]:
    """A demo tenant of one sandbox database (its own URL) sending to the local sink."""
    return {
        "name": name,
        "odoo_url": odoo_db.url,  # serves only this database
        "odoo_db": odoo_db.name,
        "odoo_username": odoo_db.login,
        "store_id": f"store_{odoo_db.name}",
        "client_id": "client_demo",
        "webhook_url": f"{sink.url}/api/webhooks/odoo",
    }


def step_orders(app: App) -> None:
    """Orders of two tenants arrive at the sink, signed; one after a retry (503 once)."""
    from .sandbox.odoo import DemoSpec, SandboxOdoo
    from .sandbox.webhook_sink import WebhookSink

    # a one-second backoff instead of 30 s, so the retry happens while you watch
    orders = dataclasses.replace(
        load_orders_settings(settings=app.settings), retry_base_seconds=1.0, retry_jitter=0.0
    )
    db = app.db()
    store = get_secret_store(orders)
    admin = TenantAdmin(db, store, get_scheduler(orders, db), production=False)
    spec = DemoSpec(products=30, partners=12, months=1, orders_per_month=6)
    with SandboxOdoo() as odoo, WebhookSink() as sink:
        tenants, secrets = [], {}
        try:
            for name, db_name, version, seed in DATABASES:
                odoo_db = odoo.add_database(db_name, version=version, spec=spec, seed=seed)
                secret = new_webhook_secret()
                tenant = admin.add(tenant_fields(name, odoo_db, sink), odoo_db.api_key, secret)
                tenants.append((tenant, version))
                secrets[tenant.id] = secret
            sink.respond(503, times=1)
            for tenant, version in tenants:
                job = admin.scheduler.get(tenant.id)
                r = poll_tenant(db, orders, tenant.id, store)
                click.echo(
                    f"{tenant.name} (Odoo {version}, job '{job.schedule}'): found {r.found},"
                    f" sent {r.sent}, queued {r.failed} for retry;"
                    f" {r.pages} page(s), {r.odoo_calls} Odoo calls"
                    + (f"; error: {r.error}" if r.error else "")
                )
            time.sleep(orders.retry_base_seconds + 0.2)
            retried = run_retries(db, orders, store)
            click.echo(f"webhook-retry: {retried.delivered} delivered on its second attempt")
            _summary(sink.deliveries, secrets, {t.id: t.name for t, _ in tenants})
        finally:
            for tenant, _ in tenants:
                admin.delete(tenant.id)


def _summary(deliveries, secrets: dict[str, str], names: dict[str, str]) -> None:
    accepted = [d for d in deliveries if 200 <= d.status < 300]
    per_tenant = Counter(d.headers["x-odoo-connection-id"] for d in accepted)
    ids = [d.headers["webhook-id"] for d in accepted]
    for d in accepted:  # raises if any signature does not verify
        d.verify(secrets[d.headers["x-odoo-connection-id"]])
    click.echo(
        f"sink: {len(deliveries)} requests, {len(accepted)} accepted "
        f"({', '.join(f'{n} for {names[t]}' for t, n in per_tenant.items())}), "
        f"{len(ids) - len(set(ids))} duplicates, every signature verified"
    )
    if accepted:
        order = accepted[0].json
        item = (order["items"] or [{}])[0]
        click.echo(
            f"  e.g. {order['external_id']}: {order['order']['platform_order_number']},"
            f" {order['customer']['name']}, {len(order['items'])} item(s),"
            f" first {item.get('sku')} × {item.get('quantity')},"
            f" total {order['order']['amount_total']} cents"
        )
