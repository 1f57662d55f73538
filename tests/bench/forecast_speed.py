"""Benchmark: forecast 5,000 SKUs × 36 months end to end (read, fit, write), in shards.

Run: `.venv/bin/python tests/bench/forecast_speed.py [--skus 5000 --workers 2]`.
Writes a synthetic sales history into `sales_items` of a scratch embedded PostgreSQL
database (not timed; demand shaped like the sandbox company's: heavy-tailed volumes,
yearly seasonality, trends, a third of the SKUs intermittent, some launched late), then
times what the `forecast` function does: plan the run, and each shard reads its SKUs'
monthly demand, forecasts them and upserts the rows. Shards run in `--workers` processes
at once, as Pub/Sub fans them out to function instances. Prints SKUs/s, the slowest
shard and SQL statements. Targets: under 300 s in all, a shard under 120 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from collections import Counter
from datetime import UTC, date, datetime

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402 - after the thread pinning

from odoo_engines.core.db import connect  # noqa: E402
from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402
from odoo_engines.sales.forecasting import load_run, plan_run, run_shard  # noqa: E402
from odoo_engines.sales.history import add_months, month_start  # noqa: E402
from odoo_engines.sales.lines import COLUMNS  # noqa: E402
from odoo_engines.sales.settings import SalesSettings  # noqa: E402

HORIZON = 12


def synthetic_rows(skus: int, months: int, first: date, seed: int = 1):
    """Sales lines of `skus` SKUs over `months` months, in `COLUMNS` order."""
    rng = np.random.default_rng(seed)
    base = (rng.pareto(1.3, skus) + 0.05) * 20
    intermittent = rng.random(skus) < 0.3
    base = np.where(intermittent, base * 0.08, base)
    trend = rng.normal(0.08, 0.25, skus)
    amplitude = rng.uniform(0.15, 0.6, skus)
    peak = rng.integers(1, 13, skus)
    launched = np.where(rng.random(skus) < 0.2, rng.integers(0, months, skus), 0)
    line_id = 0
    for k in range(skus):
        sku = f"BENCH-{k:05d}"
        for m in range(launched[k], months):
            month = add_months(first, m)
            season = 1 + amplitude[k] * np.cos(2 * np.pi * (month.month - peak[k]) / 12)
            demand = rng.poisson(base[k] * season * max(1 + trend[k] * m / 12, 0.15))
            lines = min(demand, 1 + rng.poisson(2))
            if not lines:
                continue
            sizes = rng.multinomial(demand - lines, np.full(lines, 1 / lines)) + 1
            for quantity in sizes:
                line_id += 1
                sold = datetime(month.year, month.month, int(rng.integers(1, 28)), 15, tzinfo=UTC)
                yield (
                    line_id, line_id, f"S{line_id:07d}", sold, 1, "Cliente", k + 1, sku,
                    f"Producto {k}", "product", float(quantity), "Unidades", float(quantity),
                    1000.0, 0.0, 1000.0 * quantity, "CLP", 1, "Naturaleza Andina SpA", "sale",
                    False, sold,
                )  # fmt: skip


def shard_worker(job: tuple[str, str, int]) -> tuple[int, int, float, int, Counter]:
    """One shard in its own process, as one function instance would run it."""
    url, run_id, shard = job
    configure_logging("WARNING", "console")
    db = connect(load_settings({"DATABASE_URL": url, "ENVIRONMENT": "test"}), migrate_schema=False)
    try:
        run = load_run(db, run_id)
        started = time.monotonic()
        outcome = run_shard(db, run, shard, HORIZON)
        return shard, outcome.skus, time.monotonic() - started, db.statements, outcome.models
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=5000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--shard-size", type=int, default=SalesSettings().shard_size)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    configure_logging("WARNING", "console")
    from forecast_accuracy import scratch_database  # the same scratch database helper

    db = scratch_database()
    start = month_start(datetime.now(UTC).date())
    first = add_months(start, -args.months)
    loaded = time.monotonic()
    db.copy_rows("sales_items", COLUMNS, synthetic_rows(args.skus, args.months, first))
    db.execute("ANALYZE sales_items")
    rows = db.fetchval("SELECT count(*) FROM sales_items")
    print(f"history: {args.skus} SKUs x {args.months} months, {rows:,} sale lines "
          f"(written in {time.monotonic() - loaded:.0f} s, not timed)")  # fmt: skip

    url = _url(db)
    started = time.monotonic()
    run = plan_run(db, args.shard_size, HORIZON, today=start)
    jobs = [(url, run.run_id, shard) for shard in range(run.shards)]
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        results = pool.map(shard_worker, jobs, chunksize=1)
    total = time.monotonic() - started
    stored = db.fetchval("SELECT count(*) FROM forecast WHERE run_id = %s", (run.run_id,))
    models = sum((r[4] for r in results), Counter())
    slowest = max(results, key=lambda r: r[2])
    print(f"{run.skus} SKUs in {run.shards} shards on {args.workers} workers: {total:.1f} s, "
          f"{run.skus / total:.1f} SKUs/s; {stored:,} forecast rows written")  # fmt: skip
    print(f"slowest shard: #{slowest[0]} {slowest[2]:.1f} s for {slowest[1]} SKUs; mean shard "
          f"{np.mean([r[2] for r in results]):.1f} s; SQL statements per shard "
          f"{np.mean([r[3] for r in results]):.0f}")  # fmt: skip
    print("models: " + ", ".join(f"{k} {v}" for k, v in models.most_common()))
    print(f"target under 300 s: {'PASS' if total < 300 else 'FAIL'}; shard under 120 s: "
          f"{'PASS' if slowest[2] < 120 else 'FAIL'}")  # fmt: skip


def _url(db) -> str:
    """The scratch database's URL, for the worker processes."""
    name = db.fetchval("SELECT current_database()")
    directory = db.fetchval("SHOW unix_socket_directories").split(",")[0]
    port = db.fetchval("SHOW port")
    return f"postgresql://postgres@/{name}?host={directory}&port={port}"


if __name__ == "__main__":
    main()
