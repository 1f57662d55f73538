"""The candidate methods: each maps a history to a point forecast of `h` periods.

The simple ones (seasonal naive, simple exponential smoothing, Croston-SBA, TSB) are
closed-form recursions in numpy: microseconds per series. Theta and Holt-Winters come
from statsmodels, which costs milliseconds per fit, so they are only offered where they
can earn it (see `candidates`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .demand import ERRATIC, SMOOTH, SPORADIC

# Smoothing weights searched by simple exponential smoothing (one-step squared error).
SES_ALPHAS = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 0.95])
# Croston and TSB use the small, fixed weights the intermittent-demand literature
# recommends: optimising them on a few non-zero points overfits.
CROSTON_ALPHA = 0.1
TSB_ALPHA = 0.1
TSB_BETA = 0.1


@dataclass(frozen=True)
class Method:
    """A named forecasting method and the shortest history it accepts."""

    name: str
    fit: Callable[[np.ndarray, int, int], np.ndarray]
    min_seasons: float = 0.0  # history needed, in seasons (0: any non-empty history)

    def accepts(self, n: int, season_length: int) -> bool:
        return n >= max(2, int(np.ceil(self.min_seasons * season_length)))


def seasonal_naive(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Repeat the last season (the last value when the history is shorter than a season)."""
    if y.size < m:
        return np.full(h, y[-1])
    return np.resize(y[-m:], h)


def ses(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Simple exponential smoothing; the weight is chosen on the one-step squared error."""
    level = np.full(SES_ALPHAS.size, y[: min(y.size, 3)].mean())
    sse = np.zeros(SES_ALPHAS.size)
    for value in y:
        error = value - level
        sse += error * error
        level += SES_ALPHAS * error
    return np.full(h, level[int(np.argmin(sse))])


def croston_sba(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Croston's method with the Syntetos-Boylan bias correction."""
    where = np.flatnonzero(y > 0)
    if where.size == 0:
        return np.zeros(h)
    sizes = y[where]
    intervals = np.diff(where, prepend=-1).astype(float)
    size, interval = sizes.mean(), intervals.mean()
    for s, q in zip(sizes, intervals, strict=True):
        size += CROSTON_ALPHA * (s - size)
        interval += CROSTON_ALPHA * (q - interval)
    return np.full(h, (1 - CROSTON_ALPHA / 2) * size / interval)


def tsb(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Teunter-Syntetos-Babai: smooths the probability of demand every period, so a
    product that stopped selling decays towards zero (Croston never updates then)."""
    occurs = (y > 0).astype(float)
    if not occurs.any():
        return np.zeros(h)
    probability = occurs.mean()
    size = y[y > 0].mean()
    for value, happened in zip(y, occurs, strict=True):
        probability += TSB_BETA * (happened - probability)
        if happened:
            size += TSB_ALPHA * (value - size)
    return np.full(h, probability * size)


def theta(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """The Theta method (statsmodels): SES with half the linear trend as drift, on data
    deseasonalised when two seasons exist and its seasonality test passes."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ThetaModel(y, period=m, deseasonalize=y.size >= 2 * m)
        return np.asarray(model.fit().forecast(h), dtype=float)


def holt_winters(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Additive Holt-Winters with a damped trend (statsmodels' ETS(A,Ad,A))."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=m,
            initialization_method="heuristic",
        )
        return np.asarray(model.fit(use_brute=False).forecast(h), dtype=float)


SEASONAL_NAIVE = Method("seasonal_naive", seasonal_naive)
SES = Method("ses", ses)
CROSTON_SBA = Method("croston_sba", croston_sba)
TSB = Method("tsb", tsb)
THETA = Method("theta", theta)
HOLT_WINTERS = Method("ets", holt_winters, min_seasons=2)

METHODS = {m.name: m for m in (SEASONAL_NAIVE, SES, CROSTON_SBA, TSB, THETA, HOLT_WINTERS)}


def candidates(demand_class: str) -> tuple[Method, ...]:
    """The methods worth backtesting for a demand class (cheap ones everywhere)."""
    if demand_class == SMOOTH:
        return (SEASONAL_NAIVE, SES, THETA, HOLT_WINTERS)
    if demand_class == ERRATIC:
        return (SEASONAL_NAIVE, SES, THETA)
    if demand_class in SPORADIC:
        return (SEASONAL_NAIVE, SES, CROSTON_SBA, TSB)
    return (SES,)
