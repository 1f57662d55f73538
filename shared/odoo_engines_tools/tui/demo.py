"""`odoo-engines tui --demo`: two tenants on an in-process sandbox Odoo, sending to a local
webhook sink, for as long as the console is open (then deleted with their jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..orders_demo import DATABASES, tenant_fields
from .backend import OrdersBackend


@contextmanager
def demo_tenants(backend: OrdersBackend) -> Iterator[None]:
    """Sandbox Odoo 17 and 19 tenants → a local sink that refuses its first two requests,
    so the retry queue has something to show."""
    from ..sandbox.odoo import DemoSpec, SandboxOdoo
    from ..sandbox.webhook_sink import WebhookSink

    spec = DemoSpec(products=30, partners=12, months=2, orders_per_month=8)
    added = []
    with SandboxOdoo() as odoo, WebhookSink() as sink:
        sink.respond(503, times=2)
        try:
            for name, db_name, version, seed in DATABASES:
                odoo_db = odoo.add_database(db_name, version=version, spec=spec, seed=seed)
                fields = tenant_fields(f"{name} (demo, Odoo {version})", odoo_db, sink)
                added.append(
                    backend.add_tenant(fields, odoo_db.api_key, backend.new_webhook_secret())
                )
            yield
        finally:
            for tenant in added:
                backend.delete_tenant(tenant.id)
