"""Benchmark of the sandbox Odoo: demo generation and keyset pages over 50,000 products.

Run: `python tests/bench/sandbox_odoo.py [--products 50000] [--version 17.0]`. Prints the
time to generate the demo company, the time of one (write_date, id) keyset page of 500
read directly and over HTTP, and a full read of every product in pages of 500 over
/jsonrpc (keyset on id): the floor the engines' sync benchmarks compare against.
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx

from odoo_engines_tools.sandbox.odoo import DemoSpec, SandboxOdoo

FIELDS = [
    "name", "default_code", "barcode", "categ_id", "list_price", "standard_price", "type",
    "uom_id", "active", "weight", "write_date", "product_tmpl_id",
]  # fmt: skip
ORDER = "write_date asc, id asc"
ALL = ("active", "in", [True, False])


def keyset(write_date: str, last_id: int) -> list:
    """The page after (write_date, id), archived products included."""
    after = ("write_date", ">", write_date)
    return ["&", ALL, "|", after, "&", ("write_date", "=", write_date), ("id", ">", last_id)]


def execute_kw(http: httpx.Client, db, model: str, method: str, args: list, kwargs: dict):
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [db.name, 2, db.api_key, model, method, args, kwargs],
        },
    }
    return http.post(db.url + "/jsonrpc", json=body).json()["result"]


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--version", default="17.0")
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args()

    server = SandboxOdoo().start()
    started = time.perf_counter()
    db = server.add_database("bench", args.version, DemoSpec(products=args.products), seed=1)
    generated = time.perf_counter() - started
    models = ("product.product", "product.template", "stock.quant", "sale.order", "sale.order.line")
    print(
        f"generated in {generated:.2f} s: " + ", ".join(f"{m} {len(db.tables[m])}" for m in models)
    )

    everything = db.search_read("product.product", [ALL], ["write_date"], order=ORDER)
    positions = [everything[len(everything) * k // 10] for k in range(10)]
    http = httpx.Client(timeout=60)
    direct, remote = [], []
    for row in positions:
        domain = keyset(row["write_date"], row["id"])
        t = time.perf_counter()
        db.search_read("product.product", domain, FIELDS, limit=args.page, order=ORDER)
        direct.append(time.perf_counter() - t)
        t = time.perf_counter()
        execute_kw(http, db, "product.product", "search_read", [domain],
                   {"fields": FIELDS, "limit": args.page, "order": ORDER})  # fmt: skip
        remote.append(time.perf_counter() - t)
    print(f"(write_date, id) keyset page of {args.page}, direct: {ms(direct)}")
    print(f"(write_date, id) keyset page of {args.page}, HTTP:   {ms(remote)}")

    last_id, seen, pages, times = 0, 0, 0, []
    begin = time.perf_counter()
    while True:
        t = time.perf_counter()
        page = execute_kw(http, db, "product.product", "search_read", [[ALL, ("id", ">", last_id)]],
                          {"fields": FIELDS, "limit": args.page, "order": "id"})  # fmt: skip
        times.append(time.perf_counter() - t)
        pages += 1
        if not page:
            break
        seen += len(page)
        last_id = page[-1]["id"]
    total = time.perf_counter() - begin
    print(f"full read over HTTP: {seen} products in {pages} calls, {total:.2f} s")
    print(f"  per page: {ms(times)}")
    print(f"RPC calls counted by the sandbox: {dict(db.calls)}")
    http.close()
    server.stop()


if __name__ == "__main__":
    main()
