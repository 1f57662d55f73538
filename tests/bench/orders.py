"""Benchmark: 1,000 confirmed orders of 2 tenants in the sandbox Odoo → the local sink.

Run: `.venv/bin/python tests/bench/orders.py [ORDERS]`. Both tenants poll at once (two
cycles, as two function instances would), pages of 100, the sink accepting everything.
Prints the time from the start to the last delivery, Odoo calls per page, SQL statements,
and duplicates and missing orders (both must be 0). Uses the configured database (the
embedded one by default) and deletes its tenants afterwards.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the orders helpers

from odoo_engines.core.db import connect
from odoo_engines.core.logging import configure_logging
from odoo_engines.core.settings import load_settings
from odoo_engines.orders.admin import TenantAdmin
from odoo_engines.orders.run import OdooClients, poll_tenant
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import get_secret_store
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines.orders.signing import new_webhook_secret
from odoo_engines_tools.sandbox.odoo import DemoSpec, SandboxOdoo
from odoo_engines_tools.sandbox.webhook_sink import WebhookSink
from orders.shop import place_orders

TENANTS = 2
PER_TRANSACTION = 50  # orders confirmed together share one write_date
SHOP = DemoSpec(products=200, partners=60, months=0)


def main(total: int) -> None:
    configure_logging("WARNING", "console")
    settings = load_settings()
    orders = load_orders_settings(settings=settings)
    db = connect(settings)
    store = get_secret_store(orders)
    admin = TenantAdmin(db, store, LocalSchedulerJobs(db), production=False)
    with SandboxOdoo() as odoo, WebhookSink() as sink:
        shops, tenants = [], []
        try:
            for n in range(TENANTS):
                shop = odoo.add_database(f"bench_{n}", spec=SHOP, seed=n + 1)
                expected = []
                for _ in range(total // TENANTS // PER_TRANSACTION):
                    expected += place_orders(shop, PER_TRANSACTION, lines=3)
                    time.sleep(0.01)  # the next batch in a later transaction
                tenant = admin.add(
                    {
                        "name": f"bench {n}",
                        "odoo_url": shop.url,
                        "odoo_db": shop.name,
                        "odoo_username": shop.login,
                        "store_id": f"store_{n}",
                        "client_id": "bench",
                        "webhook_url": f"{sink.url}/api/webhooks/odoo",
                    },
                    shop.api_key,
                    new_webhook_secret(),
                )
                shops.append((shop, expected))
                tenants.append(tenant)
            clients = OdooClients()  # as a warm function instance keeps them
            results = run_cycles(settings, orders, store, tenants, clients)
            report(sink, shops, tenants, results)
            idle = poll_tenant(db, orders, tenants[0].id, store, clients=clients)
            print(
                f"the next cycle on a warm instance, nothing new: {idle.odoo_calls} Odoo calls,"
                f" {idle.duration_ms} ms; deliveries after it: {len(sink.deliveries)}"
            )
        finally:
            for tenant in tenants:
                admin.delete(tenant.id)
            db.close()


def run_cycles(settings, orders, store, tenants, clients):
    results, statements = {}, {}
    started = datetime.now(UTC)
    clock = time.monotonic()

    def cycle(tenant):
        own = connect(settings)
        try:
            results[tenant.id] = poll_tenant(own, orders, tenant.id, store, clients=clients)
            statements[tenant.id] = own.statements
        finally:
            own.close()

    threads = [threading.Thread(target=cycle, args=(t,)) for t in tenants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "started": started,
        "wall": time.monotonic() - clock,
        "cycles": results,
        "statements": statements,
    }


def report(sink, shops, tenants, results) -> None:
    deliveries = sink.deliveries
    last = max(d.received_at for d in deliveries)
    ids = Counter(d.headers["webhook-id"] for d in deliveries)
    duplicates = sum(n - 1 for n in ids.values())
    missing = 0
    for (_, expected), tenant in zip(shops, tenants, strict=True):
        got = {
            int(d.json["order"]["platform_order_id"])
            for d in deliveries
            if d.headers["x-odoo-connection-id"] == tenant.id
        }
        missing += len(set(expected) - got)
    total = sum(len(e) for _, e in shops)
    print(f"{total} confirmed orders, {TENANTS} tenants, pages of 100, both cycles at once")
    print(
        f"time from start to the last delivery: {(last - results['started']).total_seconds():.2f} s"
        f" ({len(deliveries) / results['wall']:.0f} deliveries/s)"
    )
    for (shop, _), tenant in zip(shops, tenants, strict=True):
        r = results["cycles"][tenant.id]
        by_method = ", ".join(f"{m} {n}" for m, n in sorted(shop.calls.items()))
        paged = shop.calls["search_read"] + shop.calls["read"]
        print(
            f"  {tenant.name}: sent {r.sent} in {r.pages} pages; {r.odoo_calls} Odoo calls"
            f" ({by_method}): {paged / max(r.pages, 1):.1f} per page plus"
            f" {r.odoo_calls - paged} per cycle (version, login, fields_get);"
            f" {results['statements'][tenant.id]} SQL statements, {r.duration_ms} ms"
        )
    print(f"duplicates: {duplicates}, missing: {missing}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
