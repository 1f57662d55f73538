"""`odoo-engines forecast --mode report`: CSV files, a chart per top SKU and an index.html.

Files written to the output folder:
- `forecast.csv`: every SKU × forecast month with its 80% interval, model and backtest error;
- `history.csv`: the monthly demand the forecasts were made from;
- `production_plan.csv`: the plan month, largest need first, with priorities and reasons;
- `charts/NN_<sku>.png`: history, forecast and interval of the top SKUs;
- `index.html`: the top of the plan with its charts, linking the CSV files.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .forecasting import SkuForecast
from .history import add_months
from .production import PlanRow, qty

PRIORITY_COLOURS = {"ALTA": "#c0392b", "MEDIA": "#d68910", "BAJA": "#1e8449"}


@dataclass(frozen=True)
class ReportFiles:
    """What a report wrote."""

    folder: Path
    index: Path
    charts: list[Path]


def write_report(
    folder: Path,
    results: Sequence[SkuForecast],
    plan: Sequence[PlanRow],
    start_month: date,
    plan_month: date,
    top: int = 20,
) -> ReportFiles:
    """Write the CSV files, the charts of the `top` SKUs of the plan and `index.html`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "charts").mkdir(exist_ok=True)
    _forecast_csv(folder / "forecast.csv", results, start_month)
    _history_csv(folder / "history.csv", results)
    _plan_csv(folder / "production_plan.csv", plan, plan_month)
    by_sku = {r.history.sku: r for r in results}
    charts = []
    for rank, row in enumerate(plan[:top], start=1):
        path = folder / "charts" / f"{rank:02d}_{_slug(row.sku)}.png"
        chart(by_sku[row.sku], start_month, plan_month, path)
        charts.append(path)
    index = folder / "index.html"
    index.write_text(
        _index_html(results, plan[:top], charts, start_month, plan_month), encoding="utf-8"
    )
    return ReportFiles(folder, index, charts)


def chart(result: SkuForecast, start_month: date, plan_month: date, path: Path) -> None:
    """A PNG of one SKU: monthly history, forecast and its 80% interval."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    history, forecast = result.history, result.forecast
    past = [add_months(history.first_month, i) for i in range(len(history.quantities))]
    future = [add_months(start_month, i) for i in range(len(forecast.mean))]
    figure = Figure(figsize=(8, 3.4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # matplotlib plots dates through its units registry; its stubs take numbers only
    axes.plot(past, history.quantities, color="#34495e", marker=".", label="sold")  # type: ignore[arg-type]
    axes.fill_between(
        future,  # type: ignore[arg-type]
        forecast.lower,
        forecast.upper,
        color="#5dade2",
        alpha=0.3,
        label="80% interval",
    )
    axes.plot(future, forecast.mean, color="#2874a6", marker=".", label="forecast")  # type: ignore[arg-type]
    axes.axvline(plan_month, color="#c0392b", linestyle=":", linewidth=1, label="plan month")  # type: ignore[arg-type]
    axes.set_title(f"{history.sku} · {history.product_name}"[:90], fontsize=10, loc="left")
    axes.set_ylabel("units / month")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="upper left")
    axes.text(
        0.99, 0.97, f"{forecast.model} · {forecast.demand_class}", transform=axes.transAxes,
        ha="right", va="top", fontsize=7, color="#555",
    )  # fmt: skip
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path)


def _slug(sku: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", sku)[:60] or "sku"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _forecast_csv(path: Path, results: Sequence[SkuForecast], start_month: date) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["sku", "product_id", "product_name", "month", "forecasted_quantity", "lower_bound",
             "upper_bound", "model", "demand_class", "history_months", "backtest_mae",
             "backtest_mase"]
        )  # fmt: skip
        for r in results:
            f, h = r.forecast, r.history
            for step in range(len(f.mean)):
                out.writerow(
                    [h.sku, h.product_id, h.product_name, f"{add_months(start_month, step):%Y-%m}",
                     _num(f.mean[step]), _num(f.lower[step]), _num(f.upper[step]), f.model,
                     f.demand_class, f.history_length, _num(f.backtest_mae),
                     _num(f.backtest_mase)]
                )  # fmt: skip


def _history_csv(path: Path, results: Sequence[SkuForecast]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["sku", "month", "quantity"])
        for r in results:
            for i, quantity in enumerate(r.history.quantities):
                month = add_months(r.history.first_month, i)
                out.writerow([r.history.sku, f"{month:%Y-%m}", _num(quantity)])


def _plan_csv(path: Path, plan: Sequence[PlanRow], month: date) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["sku", "product_id", "product_name", "month", "forecast", "stock_on_hand",
             "incoming_manufacturing", "incoming_purchases", "production_needed", "priority",
             "explanation"]
        )  # fmt: skip
        for row in plan:
            out.writerow(
                [row.sku, row.product_id, row.product_name, f"{month:%Y-%m}", _num(row.forecast),
                 _num(row.stock), _num(row.manufacturing), _num(row.purchases), _num(row.needed),
                 row.priority, row.explanation]
            )  # fmt: skip


def _index_html(
    results: Sequence[SkuForecast],
    top: Sequence[PlanRow],
    charts: Sequence[Path],
    start_month: date,
    plan_month: date,
) -> str:
    e = html.escape
    models = Counter(r.forecast.model.split(":")[0] for r in results)
    classes = Counter(r.forecast.demand_class for r in results)
    rows = "\n".join(
        f"<tr><td>{i}</td><td>{e(r.sku)}</td><td>{e(r.product_name)}</td>"
        f"<td class=n>{qty(r.forecast)}</td><td class=n>{qty(r.stock)}</td>"
        f"<td class=n>{qty(r.manufacturing + r.purchases)}</td>"
        f"<td class=n>{qty(max(r.needed, 0))}</td>"
        f"<td><b style='color:{PRIORITY_COLOURS[r.priority]}'>{r.priority}</b></td>"
        f"<td>{e(r.explanation)}</td></tr>"
        for i, r in enumerate(top, start=1)
    )
    figures = "\n".join(
        f"<figure><img src='charts/{e(p.name)}' alt='{e(r.sku)}'>"
        f"<figcaption>{e(r.explanation)}</figcaption></figure>"
        for p, r in zip(charts, top, strict=True)
    )
    summary = ", ".join(f"{e(k)} {v}" for k, v in models.most_common())
    demand = ", ".join(f"{e(k)} {v}" for k, v in classes.most_common())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Production plan {plan_month:%Y-%m}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ display: inline-block; margin: 1rem 1rem 0 0; max-width: 820px; }}
figcaption {{ font-size: 0.8rem; color: #555; }}
</style></head><body>
<h1>Production plan {plan_month:%Y-%m}</h1>
<p>{len(results)} SKUs forecast from {start_month:%Y-%m}.
Models: {summary}. Demand: {demand}.</p>
<p>Files: <a href="production_plan.csv">production_plan.csv</a> ·
<a href="forecast.csv">forecast.csv</a> · <a href="history.csv">history.csv</a></p>
<h2>Top {len(top)} needs</h2>
<table><tr><th>#</th><th>SKU</th><th>Product</th><th>Forecast</th><th>Stock</th>
<th>Incoming</th><th>To produce</th><th>Priority</th><th>Why</th></tr>
{rows}
</table>
<h2>Charts</h2>
{figures}
</body></html>
"""
