"""Odoo client figures against the sandbox Odoo: round trips and time to page a catalogue.

Run: .venv/bin/python tests/bench/odoo_client.py [products]
Prints, per protocol, the calls and seconds for a full keyset run, a batched `read` of
every id, and a run over records that all share one second.
"""

from __future__ import annotations

import math
import sys
import time
from datetime import datetime

from odoo_engines.odoo import OdooClient
from odoo_engines_tools.sandbox.odoo import DemoSpec, SandboxOdoo

PAGE_SIZE = 500
CROWD = 2000
FIELDS = ["name", "default_code", "lst_price", "barcode", "active"]


def timed(client: OdooClient, fn):
    calls, start = client.calls, time.perf_counter()
    result = fn()
    return result, client.calls - calls, time.perf_counter() - start


def bench(server: SandboxOdoo, version: str, products: int) -> None:
    spec = DemoSpec(products=products, partners=10, months=1, orders_per_month=1)
    db = server.add_database(f"bench_{version}", version=version, spec=spec, seed=1)
    with db.transaction(at=datetime(2024, 5, 1, 10, 0, 0, 500_000)):
        for i in range(CROWD):
            db.create("product.product", {"name": f"Crowd {i}", "default_code": f"CROWD-{i}"})
    client = OdooClient(db.url, db.name, db.login, db.api_key)
    client.login()
    client.fields("product.product")

    def run(domain):
        return [r for p in client.pages("product.product", domain, FIELDS, page_size=PAGE_SIZE)
                for r in p.records]  # fmt: skip

    rows, calls, secs = timed(client, lambda: run([]))
    print(
        f"{version:>5} {client.protocol:<8} pages, all products   {len(rows):>6} records "
        f"{calls:>4} calls (ideal {math.ceil(len(rows) / PAGE_SIZE)}) {secs:6.2f} s "
        f"{len(rows) / secs:8.0f} records/s"
    )
    ids = [r["id"] for r in rows]
    read, calls, secs = timed(client, lambda: client.read("product.product", ids, FIELDS))
    print(
        f"{version:>5} {client.protocol:<8} read, 1000 ids/call  {len(read):>6} records "
        f"{calls:>4} calls            {secs:6.2f} s {len(read) / secs:8.0f} records/s"
    )
    crowd, calls, secs = timed(client, lambda: run([["default_code", "=like", "CROWD-%"]]))
    print(
        f"{version:>5} {client.protocol:<8} pages, one second    {len(crowd):>6} records "
        f"{calls:>4} calls (ideal {math.ceil(len(crowd) / PAGE_SIZE)}) {secs:6.2f} s"
    )
    assert len({r["id"] for r in crowd}) == len(crowd) == CROWD
    client.close()


def main() -> None:
    products = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with SandboxOdoo() as server:
        for version in ("17.0", "19.0"):
            bench(server, version, products)


if __name__ == "__main__":
    main()
