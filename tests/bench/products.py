"""Benchmark of the product engine (a script, not a test): `python tests/bench/products.py`.

On a sandbox Odoo with N products (default 50,000): a full sync, a re-run with nothing
changed, a re-run with 1% changed; rows/s, Odoo calls, SQL statements and embedding
calls of each, and the full sync's catalogue time against the floor (reading the same
rows from the sandbox and COPYing them into a scratch table, measured first). Runs go
through `sync_products`, the path the function and the CLI take, so Odoo calls include
the login (the first run) and the saved session (the others). Then search p50 and
recall@10 against exact search at 2N products.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from odoo_engines.core.db import Database, migrate  # noqa: E402
from odoo_engines.core.db.connection import embedded_socket, open_connection  # noqa: E402
from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.core.publish import LocalPublisher  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402
from odoo_engines.embeddings import get_embedder  # noqa: E402
from odoo_engines.odoo import OdooClient  # noqa: E402
from odoo_engines.products import store  # noqa: E402
from odoo_engines.products.handlers import sync_products  # noqa: E402
from odoo_engines.products.mapping import ODOO_FIELDS  # noqa: E402
from odoo_engines.products.search import search_products  # noqa: E402
from odoo_engines_tools.sandbox.odoo import DemoSpec, SandboxOdoo  # noqa: E402

QUERIES = [
    "aceite de coco para cocinar", "crema hidratante facial", "jabón artesanal de lavanda",
    "shampoo sin sulfatos", "miel orgánica", "té verde en hojas", "protector solar",
    "aceite esencial de eucalipto", "bálsamo labial", "harina sin gluten", "café de grano",
    "vela aromática", "exfoliante corporal", "desodorante natural", "mantequilla de maní",
    "chocolate amargo", "sal de mar", "cepillo de bambú", "infusión para dormir", "regalo",
]  # fmt: skip


def line(label: str, result, rows: int) -> None:
    rate = rows / result.duration_seconds if result.duration_seconds else 0
    print(f"{label:<22} {result.duration_seconds:8.2f} s  {rate:9.0f} rows/s  "
          f"odoo calls {result.odoo_calls:4d}  SQL {result.sql_statements:5d}  "
          f"embedding calls {result.embedding_calls:4d}  embedded {result.embeddings_generated:6d}"
          f"  (catalogue {result.catalogue_seconds:.2f} s, embeddings "
          f"{result.embedding_seconds:.2f} s)")  # fmt: skip


def floor(client: OdooClient, db: Database, fields: list[str]) -> tuple[float, int]:
    """Read every product from the sandbox and COPY it into a scratch table."""
    db.execute("CREATE TEMP TABLE scratch (id int, data jsonb)")
    started, rows = time.perf_counter(), 0
    for page in client.pages("product.product", [], fields, page_size=500,
                             include_archived=True):  # fmt: skip
        with db.transaction():
            db.copy_rows("scratch", ["id", "data"], ((r["id"], r) for r in page.records))
        rows += len(page.records)
    return time.perf_counter() - started, rows


def nearest_ten(db: Database, vector) -> set[int]:
    """The ten active products nearest to `vector`, by the index or exactly (as set)."""
    rows = db.fetchall("SELECT odoo_id FROM products WHERE is_active AND embedding IS NOT NULL"
                       " ORDER BY embedding <=> %s LIMIT 10", (vector,))  # fmt: skip
    return {row[0] for row in rows}


def search_figures(db: Database, embedder, target: int) -> None:
    """Grow the table to `target` rows with perturbed copies, then time and check recall."""
    have = db.fetchval("SELECT count(*) FROM products WHERE embedding IS NOT NULL")
    print(f"\nsearch: growing products from {have} to {target} embedded rows (perturbed copies)")
    rng = np.random.default_rng(1)
    vectors = db.fetchall("SELECT embedding FROM products WHERE embedding IS NOT NULL")
    extra, next_id = [], 10_000_000
    while have + len(extra) < target:
        base = vectors[len(extra) % len(vectors)][0]
        noisy = base + rng.normal(0, 0.02, base.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy)
        extra.append((next_id, f"SYN-{next_id}", f"Variante {next_id}", True, noisy,
                      embedder.model, "x", "x"))  # fmt: skip
        next_id += 1
    db.copy_rows("products", ["odoo_id", "sku", "name", "is_active", "embedding",
                              "embedding_model", "text_hash", "embedded_hash"], extra)  # fmt: skip
    started = time.perf_counter()
    store.ensure_index(db)
    lists = store.current_lists(db)
    print(f"IVFFlat index ({lists} lists) over {target} rows built in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    db.execute("ANALYZE products")
    probes = db.fetchall(store.SEARCH_SETTINGS)[0][0]
    # The exact answers first: their full scans would evict the index from the cache
    # between timed searches, which a search service never sees.
    vectors = {query: embedder.embed([query])[0] for query in QUERIES}
    exact = {}
    for query, vector in vectors.items():
        with db.transaction():
            db.execute("SET LOCAL enable_indexscan = off")
            exact[query] = nearest_ten(db, vector)
    for query in QUERIES:  # warm the index, as a serving instance has it
        search_products(db, embedder, query, limit=10)
    timings, recalls = [], []
    for query in QUERIES * 5:
        started = time.perf_counter()
        hits = search_products(db, embedder, query, limit=10)
        timings.append((time.perf_counter() - started) * 1000)
        recalls.append(len(exact[query] & {h.odoo_id for h in hits}) / 10)
    embed_times = []
    for _ in range(20):
        started = time.perf_counter()
        embedder.embed([QUERIES[0]])
        embed_times.append((time.perf_counter() - started) * 1000)
    embed_ms = statistics.median(embed_times)
    print(
        f"search at {target} products: p50 {statistics.median(timings):.1f} ms "
        f"(of which embedding the query {embed_ms:.1f} ms), "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)]:.1f} ms, "
        f"recall@10 {statistics.mean(recalls):.3f} vs exact ({probes} of {lists} lists probed)"
    )
    print("the vector query alone, by lists probed:")
    for probes in (16, 24, 32, 40, 48):
        db.execute(f"SET ivfflat.probes = {probes}")
        timings, recalls = [], []
        for query in QUERIES * 3:
            started = time.perf_counter()
            found = nearest_ten(db, vectors[query])
            timings.append((time.perf_counter() - started) * 1000)
            recalls.append(len(exact[query] & found) / 10)
        print(f"  probes {probes:2d}: p50 {statistics.median(timings):5.2f} ms  "
              f"recall@10 {statistics.mean(recalls):.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--search-rows", type=int, default=100_000)
    args = parser.parse_args()
    configure_logging("WARNING", "console")
    workdir = Path(tempfile.mkdtemp(prefix="bench-products-"))
    workdir.chmod(0o755)
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    socket = embedded_socket(workdir / "pg")
    directory, name = socket.rsplit("/", 1)
    database_url = (f"postgresql://postgres@/postgres?host={directory}"
                    f"&port={name.rsplit('.', 1)[-1]}")  # fmt: skip
    db = Database(open_connection(load_settings({"DATABASE_URL": database_url}).database))
    started = time.perf_counter()
    server = SandboxOdoo().start()
    odoo_db = server.add_database("bench", version="17.0",
                                  spec=DemoSpec(products=args.products, months=1,
                                                orders_per_month=10), seed=1)  # fmt: skip
    total = len(odoo_db.tables["product.product"])
    print(f"sandbox Odoo 17.0 with {total} variants ready in {time.perf_counter() - started:.1f} s")
    settings = load_settings({
        "DATABASE_URL": database_url, "LOG_LEVEL": "warning", "TIME_BUDGET_SECONDS": "3600",
        "ODOO_PROD_URL": server.url, "ODOO_PROD_DB": odoo_db.name,
        "ODOO_PROD_USERNAME": odoo_db.login, "ODOO_PROD_PASSWORD": odoo_db.api_key,
    })  # fmt: skip
    migrate(db, settings.embedding.dimensions)
    embedder = get_embedder(settings)
    embedder.embed(["warm up"])
    publisher = LocalPublisher()
    gc.freeze()  # the sandbox's 50,000 records need no collector passes during the runs

    with OdooClient(server.url, odoo_db.name, odoo_db.login, odoo_db.api_key) as client:
        fields = client.existing_fields("product.product", ODOO_FIELDS)
        floor_seconds, floor_rows = floor(client, db, fields)
    full = sync_products(settings, full=True, publisher=publisher)
    line("full sync", full, total)
    ratio = full.catalogue_seconds / floor_seconds
    print(
        f"{'floor (read + COPY)':<22} {floor_seconds:8.2f} s  {floor_rows / floor_seconds:9.0f} "
        f"rows/s;  catalogue / floor = {ratio:.2f}x (full sync's catalogue time)"
    )

    unchanged = sync_products(settings, publisher=publisher)
    line("no change", unchanged, unchanged.products_processed)

    ids = sorted(odoo_db.tables["product.product"])[::100]
    templates = sorted({odoo_db.tables["product.product"][i]["product_tmpl_id"] for i in ids})
    odoo_db.write("product.template", templates, {"description_sale": "Edición 2027"})
    edited = set(templates)
    changed_variants = sum(1 for r in odoo_db.tables["product.product"].values()
                           if r["product_tmpl_id"] in edited)  # fmt: skip
    one_percent = sync_products(settings, publisher=publisher)
    line(f"1% changed ({changed_variants})", one_percent, one_percent.products_processed)
    expected = math.ceil(one_percent.embeddings_generated / embedder.max_batch)
    print(
        f"embedding calls {one_percent.embedding_calls}, "
        f"ceil(changed / batch {embedder.max_batch}) = {expected}"
    )
    server.stop()
    search_figures(db, embedder, args.search_rows)
    db.close()


if __name__ == "__main__":
    main()
