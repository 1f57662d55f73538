"""Benchmark: forecast accuracy on the sandbox's sales history, last 12 months held out.

Run: `.venv/bin/python tests/bench/forecast_accuracy.py [--products 800 --orders 1500]
[--seed 42 --today 2026-12-05]`.
The sandbox company's orders go through the real path (sync into a scratch embedded
PostgreSQL database, monthly demand from `sales_items`); every SKU with a sale before the
hold-out year is forecast from the months before it. Prints mean MASE and sMAPE of the
chosen method against seasonal naive and Theta alone (and SES, TSB for reference; and
RMSSE, which unlike MASE does not reward forecasting zero on intermittent demand) for
smooth (smooth + erratic) and intermittent (intermittent + lumpy) SKUs, the 80%
interval's coverage, and whether the targets hold: at least 10% lower MASE than seasonal
naive overall, and no worse than the best single method on either class.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402 - after the thread pinning
import pg8000.dbapi  # noqa: E402

from odoo_engines.core.db import connect  # noqa: E402
from odoo_engines.core.db.connection import embedded_socket  # noqa: E402
from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402
from odoo_engines.forecast import (  # noqa: E402
    classify_demand,
    forecast_series,
    mase,
    rmsse,
    smape,
)
from odoo_engines.forecast.methods import seasonal_naive, ses, theta, tsb  # noqa: E402
from odoo_engines.odoo import OdooClient  # noqa: E402
from odoo_engines.sales.history import load_histories, month_start  # noqa: E402
from odoo_engines.sales.sync import sync_sales  # noqa: E402
from odoo_engines_tools.sandbox.odoo import DemoSpec, SandboxOdoo  # noqa: E402

HOLD_OUT = 12
SINGLES = {"seasonal naive": seasonal_naive, "theta": theta, "ses": ses, "tsb": tsb}
GROUPS = {
    "smooth": "smooth",
    "erratic": "smooth",
    "intermittent": "intermittent",
    "lumpy": "intermittent",
}


def scratch_database() -> object:
    """A fresh database on an embedded PostgreSQL in a temporary folder."""
    socket = embedded_socket(Path(tempfile.mkdtemp(prefix="bench-pg-")) / "data")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = pg8000.dbapi.connect(user="postgres", unix_sock=socket, database="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    admin.close()
    folder, file = socket.rsplit("/", 1)
    url = f"postgresql://postgres@/{name}?host={folder}&port={file.rsplit('.', 1)[-1]}"
    return connect(load_settings({"DATABASE_URL": url, "ENVIRONMENT": "test"}))


def histories(spec: DemoSpec, seed: int, version: str, today: date) -> list:
    server = SandboxOdoo(host="127.0.0.1", port=0).start()
    try:
        odoo_db = server.add_database("bench", version=version, spec=spec, seed=seed)
        client = OdooClient(server.url, odoo_db.name, odoo_db.login, odoo_db.api_key).login()
        db = scratch_database()
        started, calls, statements = time.monotonic(), client.calls, db.statements
        counts = sync_sales(db, client)
        print(
            f"sandbox {version}: {spec.products} products, {spec.orders_per_month} orders/month, "
            f"{spec.months} months; synced {counts.orders} orders, {counts.lines_inserted} "
            f"lines in {time.monotonic() - started:.1f} s ({counts.pages} pages, "
            f"{client.calls - calls} Odoo calls, {db.statements - statements} SQL statements)"
        )
        return load_histories(db, month_start(today))
    finally:
        server.stop()


def evaluate(items: list) -> None:
    scores: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    coverage: dict[str, list] = defaultdict(list)
    models: dict[str, int] = defaultdict(int)
    started = time.monotonic()
    for item in items:
        y = item.quantities
        if y.size <= HOLD_OUT or not y[:-HOLD_OUT].any():
            continue
        train, test = y[:-HOLD_OUT], y[-HOLD_OUT:]
        trimmed = train[np.flatnonzero(train > 0)[0] :]
        group = GROUPS[classify_demand(trimmed).demand_class]
        chosen = forecast_series(train, HOLD_OUT)
        models[chosen.model.split(":")[0]] += 1
        coverage[group].append(np.mean((test >= chosen.lower) & (test <= chosen.upper)))
        forecasts = {"chosen": chosen.mean}
        for name, method in SINGLES.items():
            forecasts[name] = np.maximum(method(trimmed, HOLD_OUT, 12), 0)
        for name, forecast in forecasts.items():
            for key in (group, "overall"):
                scores[key][name].append(
                    (
                        mase(test, forecast, trimmed),
                        smape(test, forecast),
                        rmsse(test, forecast, trimmed),
                    )
                )
    seconds = time.monotonic() - started
    used = ", ".join(f"{k} {v}" for k, v in sorted(models.items(), key=lambda kv: -kv[1]))
    print(f"{sum(models.values())} SKUs forecast in {seconds:.1f} s; chosen models: {used}")
    print(f"\n{'class':<13} {'SKUs':>5}  " + "  ".join(f"{n:>16}" for n in scores["overall"]))
    for key in ("smooth", "intermittent", "overall"):
        if key not in scores:
            continue
        cells = [f"{np.mean([s[0] for s in v]):6.3f} / {np.mean([s[1] for s in v]):5.1f}"
                 for v in scores[key].values()]  # fmt: skip
        print(f"{key:<13} {len(scores[key]['chosen']):>5}  " + "  ".join(f"{c:>16}" for c in cells))
    print("(mean MASE / mean sMAPE %)")
    print(f"\n{'RMSSE':<13} {'':>5}  " + "  ".join(f"{n:>16}" for n in scores["overall"]))
    for key in ("smooth", "intermittent", "overall"):
        if key in scores:
            cells = [f"{np.mean([s[2] for s in v]):16.3f}" for v in scores[key].values()]
            print(f"{key:<13} {'':>5}  " + "  ".join(cells))
    for group, values in coverage.items():
        print(f"80% interval coverage, {group}: {np.mean(values):.0%}")

    def mean_mase(key: str, name: str) -> float:
        return float(np.mean([s[0] for s in scores[key][name]]))

    gain = 1 - mean_mase("overall", "chosen") / mean_mase("overall", "seasonal naive")
    print(f"\nMASE vs seasonal naive overall: {gain:+.1%} lower (target at least 10%): "
          + ("PASS" if gain >= 0.10 else "FAIL"))  # fmt: skip
    for key in ("smooth", "intermittent"):
        if key not in scores:
            continue
        best = min(("seasonal naive", "theta"), key=lambda n: mean_mase(key, n))
        ok = mean_mase(key, "chosen") <= mean_mase(key, best)
        print(f"{key}: chosen {mean_mase(key, 'chosen'):.3f} vs best single ({best}) "
              f"{mean_mase(key, best):.3f}: " + ("PASS" if ok else "FAIL"))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=800)
    parser.add_argument("--orders", type=int, default=1500, help="orders per month")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--version", default="17.0")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 5),
                        help="the history's last month is this date's (fixed, so the figures "
                        "can be reproduced; the sandbox's 36 months move with it)")  # fmt: skip
    args = parser.parse_args()
    configure_logging("WARNING", "console")
    noon = datetime(args.today.year, args.today.month, args.today.day, 12)
    spec = DemoSpec(products=args.products, orders_per_month=args.orders, months=args.months,
                    now=noon)  # fmt: skip
    evaluate(histories(spec, args.seed, args.version, args.today))


if __name__ == "__main__":
    main()
