"""Benchmark against real Odoo 18 beside the sandbox (a script, not a test).

Run: `.venv/bin/python tests/bench/real_odoo.py [--products 10000] [--orders 1000]
[--pager-products 100000]`. Needs the real Odoo sources (`ODOO_SOURCES` or `../shared/odoo`);
the first run builds Odoo 18's virtualenv and templates (about two minutes).

1. Products: the same catalogue (N single-variant products, made through RPC in batches)
   in a real Odoo 18 database and a sandbox 18 database; a full sync, then a sync with
   nothing changed (no overlap window), through `sync_products` as the integration user.
   Prints catalogue seconds, Odoo calls and SQL statements of each, and real / sandbox.
2. Orders: M confirmed orders (two lines each) in both; one tenant's poll cycle to the
   local webhook sink. Prints seconds, Odoo calls and deliveries, and real / sandbox.
3. The keyset pager at P products in real Odoo: products inserted with SQL (the ORM
   would take an hour), then the pager's query (`write_date, id` after a cursor, 500
   rows) timed at the start, middle and end of the catalogue, without and then with the
   index a self-hosted operator can add:
   `CREATE INDEX CONCURRENTLY product_product_write_date_id ON product_product (write_date, id)`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the sandbox fixtures

import pg8000.dbapi  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402

from odoo_engines.core.db import connect, migrate  # noqa: E402
from odoo_engines.core.db.connection import embedded_socket  # noqa: E402
from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.core.publish import LocalPublisher  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402
from odoo_engines.odoo import OdooClient  # noqa: E402
from odoo_engines.orders.admin import TenantAdmin  # noqa: E402
from odoo_engines.orders.run import poll_tenant  # noqa: E402
from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs  # noqa: E402
from odoo_engines.orders.secret_store import LocalSecretStore  # noqa: E402
from odoo_engines.orders.settings import load_orders_settings  # noqa: E402
from odoo_engines.orders.signing import new_webhook_secret  # noqa: E402
from odoo_engines.products.handlers import sync_products  # noqa: E402
from odoo_engines_tools.sandbox.odoo import DemoSpec, SandboxOdoo  # noqa: E402
from odoo_engines_tools.sandbox.real_odoo import Harness  # noqa: E402
from odoo_engines_tools.sandbox.shop import INTEGRATION_GROUPS, Shop  # noqa: E402
from odoo_engines_tools.sandbox.webhook_sink import WebhookSink  # noqa: E402

BATCH = 500  # records per create call
SERIES = "18.0"


class Backend:
    """One Odoo database of either kind: its admin shop and the integration login."""

    def __init__(self, label: str, url: str, db: str, admin: tuple[str, str],
                 login: tuple[str, str]):  # fmt: skip
        self.label, self.url, self.db, self.login = label, url, db, login
        self.shop = Shop(OdooClient(url, db, *admin, timeout=300).login())

    def env(self) -> dict[str, str]:
        return {"ODOO_PROD_URL": self.url, "ODOO_PROD_DB": self.db,
                "ODOO_PROD_USERNAME": self.login[0], "ODOO_PROD_PASSWORD": self.login[1]}


def make_products(backend: Backend, count: int, tag: str) -> float:
    started = time.perf_counter()
    storable = backend.shop.storable(True)
    for start in range(0, count, BATCH):
        backend.shop.execute("product.template", "create", [
            {"name": f"Bench product {tag} {n}", "default_code": f"B{tag}-{n:06d}",
             "list_price": 1.0 + n % 97, "description_sale": f"Bench item number {n}",
             **storable}
            for n in range(start, min(start + BATCH, count))
        ])  # fmt: skip
    return time.perf_counter() - started


def make_orders(backend: Backend, count: int) -> float:
    shop = backend.shop
    products = shop.client.search("product.product", [["default_code", "=like", "B%"]],
                                  limit=50)  # fmt: skip
    customer = shop.customer("Bench customer", email="bench@example.com")
    started = time.perf_counter()
    for start in range(0, count, 100):
        ids = shop.execute("sale.order", "create", [
            {"partner_id": customer,
             "order_line": [(0, 0, {"product_id": products[n % 50], "product_uom_qty": 1}),
                            (0, 0, {"product_id": products[(n + 7) % 50], "product_uom_qty": 2})]}
            for n in range(start, min(start + 100, count))
        ])  # fmt: skip
        shop.execute("sale.order", "action_confirm", ids)
    return time.perf_counter() - started


def product_runs(backend: Backend, base_env: dict) -> dict:
    settings = load_settings({**base_env, **backend.env()})
    full = sync_products(settings, full=True, publisher=LocalPublisher())
    # Quiet: nothing changed since the cursor. Without the overlap window, which would
    # re-read what the benchmark wrote in its last minute (and the stock the orders moved).
    quiet_settings = load_settings({**base_env, **backend.env(), "ODOO_OVERLAP_SECONDS": "0"})
    quiet = sync_products(quiet_settings, publisher=LocalPublisher())
    assert full.success and quiet.success, (full.error, quiet.error)
    return {"full": full, "quiet": quiet}


def order_run(backend: Backend, base_env: dict, sink: WebhookSink, count: int) -> dict:
    env = {**base_env, **backend.env(), "ORDERS_SECRET_KEY": Fernet.generate_key().decode()}
    settings = load_settings(env)
    db = connect(settings)
    orders = load_orders_settings(env, settings)
    store = LocalSecretStore(orders.secret_key)
    admin = TenantAdmin(db, store, LocalSchedulerJobs(db), production=False)
    tenant = admin.add({"name": f"bench {backend.label}", "odoo_url": backend.url,
                        "odoo_db": backend.db, "odoo_username": backend.login[0],
                        "store_id": "s", "client_id": "c", "webhook_url": sink.url},
                       backend.login[1], new_webhook_secret())  # fmt: skip
    sink.reset()
    started = time.perf_counter()
    result = poll_tenant(db, orders, tenant.id, store)
    seconds = time.perf_counter() - started
    db.close()
    assert result.error is None, result.error
    return {"seconds": seconds, "calls": result.odoo_calls, "sent": result.sent,
            "deliveries": len(sink.deliveries)}  # fmt: skip


def print_products(real: dict, sandbox: dict) -> None:
    print(f"{'products':<10} {'run':<6} {'real 18':>22} {'sandbox 18':>22} {'real/sandbox':>13}")
    for run in ("full", "quiet"):
        r, s = real[run], sandbox[run]
        print(f"{'':<10} {run:<6} {r.catalogue_seconds:8.2f} s {r.odoo_calls:4d} calls"
              f" {s.catalogue_seconds:8.2f} s {s.odoo_calls:4d} calls"
              f" {r.catalogue_seconds / max(s.catalogue_seconds, 1e-3):12.1f}x"
              f"   (SQL {r.sql_statements} / {s.sql_statements}; embeddings "
              f"{r.embedding_seconds:.1f} s / {s.embedding_seconds:.1f} s)")  # fmt: skip


def pager_figures(harness: Harness, count: int) -> None:
    """The pager's page query at `count` products, without and with a write_date index."""
    odoo = harness.odoo(SERIES)
    real = odoo.new_database("sales")
    cluster = odoo.cluster
    try:
        started = time.perf_counter()
        cluster.sql(PRODUCTS_SQL, count, database=real.name)
        print(f"\npager    {count:,} products inserted with SQL in "
              f"{time.perf_counter() - started:.1f} s; one page of 500 (client.pages from a "
              "cursor at 0%, 50%, 99% of the catalogue; SQL: the page query alone):")  # fmt: skip
        client = OdooClient(real.url, real.name, real.integration.login,
                            real.integration.api_key, timeout=300).login()  # fmt: skip
        stamps = cluster.sql("SELECT write_date, id FROM product_product ORDER BY write_date, id",
                             database=real.name)  # fmt: skip
        for label in ("no index", "index (write_date, id)"):
            if label.startswith("index"):
                cluster.sql("CREATE INDEX product_product_write_date_id"
                            " ON product_product (write_date, id)", database=real.name)  # fmt: skip
                cluster.sql("ANALYZE product_product", database=real.name)
            figures = []
            for where in (0.0, 0.5, 0.99):
                stamp, pid = stamps[int(where * (len(stamps) - 1))]
                cursor = {"write_date": stamp.strftime("%Y-%m-%d %H:%M:%S"), "id": pid}
                times = []
                for _ in range(5):
                    t = time.perf_counter()
                    pages = client.pages("product.product", [], ["id"], cursor=cursor,
                                         page_size=500, include_archived=True,
                                         overlap_seconds=0)  # fmt: skip
                    next(iter(pages))
                    times.append((time.perf_counter() - t) * 1000)
                sql_ms = explain_ms(cluster, real.name, stamp, pid)
                figures.append(f"{int(where * 100):>3}%: {statistics.median(times):6.1f} ms"
                               f" (SQL {sql_ms:.1f} ms)")  # fmt: skip
            print(f"  {label:<24} " + "  ".join(figures))
    finally:
        odoo.drop_database(real.name)


def explain_ms(cluster, database: str, stamp, pid: int) -> float:
    rows = cluster.sql(
        "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM product_product"
        " WHERE write_date > %s OR (write_date = %s AND id > %s)"
        " ORDER BY write_date, id LIMIT 500", stamp, stamp, pid, database=database,
    )  # fmt: skip
    return float(rows[0][0][0]["Execution Time"])


# Single-variant storable products, straight into the tables (what 100,000 ORM creates
# would leave, minus the frills the pager does not read); write_dates spread over a year.
PRODUCTS_SQL = """
WITH t AS (
    INSERT INTO product_template (name, type, service_tracking, sale_line_warn, categ_id,
        uom_id, uom_po_id, sale_ok, purchase_ok, active, list_price, create_date, write_date)
    SELECT jsonb_build_object('en_US', 'Pager product ' || n), 'consu', 'no', 'no-message',
        (SELECT min(id) FROM product_category), (SELECT min(id) FROM uom_uom),
        (SELECT min(id) FROM uom_uom), true, true, true, 1,
        now() - interval '1 year' + n * interval '5 minutes',
        now() - interval '1 year' + n * interval '5 minutes'
    FROM generate_series(1, %s) AS n
    RETURNING id, write_date
)
INSERT INTO product_product (product_tmpl_id, active, default_code, create_date, write_date)
SELECT id, true, 'PG-' || id, write_date, write_date FROM t
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=1_000)
    parser.add_argument("--pager-products", type=int, default=100_000)
    args = parser.parse_args()
    configure_logging("WARNING", "console")
    harness = Harness.from_environment(progress=print)
    if harness is None:
        sys.exit("error: no real Odoo sources (set ODOO_SOURCES or put ../shared/odoo beside)")
    pg_dir = Path(tempfile.mkdtemp(prefix="bench-real-odoo-pg-"))
    pg_dir.chmod(0o755)
    try:
        socket = embedded_socket(pg_dir / "data")
        directory, name = socket.rsplit("/", 1)
        port = name.rsplit(".", 1)[-1]
        base_env = {"ENVIRONMENT": "test", "LOG_FORMAT": "console", "LOG_LEVEL": "warning",
                    "EMBEDDING_DIMENSIONS": "512"}  # fmt: skip
        odoo = harness.odoo(SERIES)
        real = odoo.new_database("full")
        with SandboxOdoo() as sandbox_server, WebhookSink() as sink:
            empty = DemoSpec(products=1, partners=2, months=0)
            sdb = sandbox_server.add_database("bench", version=SERIES, spec=empty)
            backends = {
                "real": Backend("real", real.url, real.name, ("admin", real.admin.api_key),
                                (real.integration.login, real.integration.api_key)),
                "sandbox": Backend("sandbox", sdb.url, sdb.name, (sdb.login, sdb.api_key),
                                   ("integration", _sandbox_integration(sdb))),
            }  # fmt: skip
            products, orders = {}, {}
            for label, backend in backends.items():
                made = make_products(backend, args.products, label[0].upper())
                print(f"{label:<8} {args.products:,} products created through RPC in {made:.1f} s")
                made = make_orders(backend, args.orders)
                print(f"{label:<8} {args.orders:,} orders created and confirmed in {made:.1f} s")
                for step, run in (("products", product_runs), ("orders", order_run)):
                    name_db = f"bench_{label}_{step}"
                    server = pg8000.dbapi.connect(user="postgres", unix_sock=socket)
                    server.autocommit = True
                    server.cursor().execute(f"CREATE DATABASE {name_db}")
                    server.close()
                    env = {**base_env, "DATABASE_URL": _url(directory, port, name_db)}
                    with connect(load_settings(env)) as db:
                        migrate(db, 512)
                    if step == "products":
                        products[label] = run(backend, env)
                    else:
                        orders[label] = run(backend, env, sink, args.orders)
            print()
            print_products(products["real"], products["sandbox"])
            r, s = orders["real"], orders["sandbox"]
            print(f"{'orders':<10} {'poll':<6} {r['seconds']:8.2f} s {r['calls']:4d} calls"
                  f" {s['seconds']:8.2f} s {s['calls']:4d} calls"
                  f" {r['seconds'] / max(s['seconds'], 1e-3):12.1f}x"
                  f"   (sent {r['sent']} / {s['sent']})")  # fmt: skip
        odoo.drop_database(real.name)
        pager_figures(harness, args.pager_products)
    finally:
        harness.stop()
        shutil.rmtree(pg_dir, ignore_errors=True)


def _sandbox_integration(sdb) -> str:
    """The sandbox's least-privilege integration user, as the real templates have it; its key."""
    shop = Shop(OdooClient(sdb.url, sdb.name, sdb.login, sdb.api_key).login())
    uid = shop.execute("res.users", "create", {"name": "Integration", "login": "integration"})
    shop.set_groups(uid, INTEGRATION_GROUPS["full"])
    return sdb.set_api_key(uid)


def _url(directory: str, port: str, database: str) -> str:
    return f"postgresql://postgres@/{database}?host={directory}&port={port}"


if __name__ == "__main__":
    main()
