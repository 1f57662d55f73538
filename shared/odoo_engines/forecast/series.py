"""`forecast_series`: one demand series in, a guarded forecast with an 80% interval out.

How a forecast is made:
1. The history is cleaned (missing or negative months count as zero) and the months
   before the first sale are dropped: the product did not exist yet.
2. No demand at all gives zeros. A history shorter than `MIN_HISTORY` (18) months gets
   the documented simple rule: the mean of its last `SHORT_WINDOW` (6) months, flat.
   (On the sandbox's new products this beat every fitted method or tied with the best.)
3. Otherwise the demand is classified (smooth, erratic, intermittent, lumpy; see
   `demand`) and each candidate of its class (`methods.candidates`) is backtested from
   `BACKTEST_ORIGINS` rolling origins over the last year, each forecasting up to the end
   of the history. The equal-weight combination of the class's main methods is scored
   from the same backtests (no extra fits). The lowest mean absolute error wins,
   but a single method must beat the combination by more than `SINGLE_MARGIN`: choosing
   on a couple of dozen points is noisy and averaging is the robust default.
   Regular demand (smooth, erratic) with two seasons and two months of history then
   goes to the ensemble: the winner, damped Holt-Winters, the seasonal average, the
   airline model (on logs and on levels), the seasonal AR model, SES with drift and SES,
   refitted on the whole history, and per month the mean of all but the two highest and
   the two lowest (`ENSEMBLE_TRIM`). It is used whenever it can be made: on the M1 and
   Tourism competitions' monthly series it beat every member alone, and choosing
   between it and the winner by the backtest lost accuracy there (the backtest scores
   it too, for the interval and `backtest_mae`).
4. The winner is refitted on the whole history. A method that raises, returns
   non-finite values or explodes (above `EXPLODED_MULTIPLE` × the history's maximum) is
   dropped from the backtest, or replaced by the next best in the final fit; if every
   candidate fails, the simple rule of step 2 is used and `failed` says which failed.
5. Guards: never negative; the mean never above `GUARD_MULTIPLE` × the largest month
   of the history, the upper bound never above `UPPER_MULTIPLE` × it.
6. The 80% interval adds quantiles of the winner's (or the ensemble's) backtest errors
   (actual − forecast), scaled by √(steps ahead), to the mean: empirical, so zero-heavy
   demand gets a skewed interval. The `ERROR_QUANTILE` is 5%/95% rather than 10%/90% because the
   backtest errors of a method chosen for being smallest understate the future ones:
   10%/90% covered 66–74% of the sandbox's hold-out months, 5%/95% covers 80–86% of
   smooth SKUs' months. When a tenth of the months sold nothing the lower bound is 0
   (zero is then inside any central 80% interval), so sporadic SKUs' intervals cover
   about 90%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .demand import NO_DEMAND, classify_demand
from .methods import METHODS, Method, candidates, fits_two_seasons
from .metrics import naive_scale

MIN_HISTORY = 18  # months: a season to learn from plus half a season to backtest on
SHORT_WINDOW = 6
BACKTEST_ORIGINS = 3
BACKTEST_STEP = 4
SINGLE_MARGIN = 0.05
GUARD_MULTIPLE = 1.5
UPPER_MULTIPLE = 2.0
EXPLODED_MULTIPLE = 5.0  # a raw forecast this far above the history is a failed fit
HORIZON_EXPONENT = 0.5
ERROR_QUANTILE = 0.05
ZERO_MONTHS_SHARE = 0.1  # the lower bound is 0 when this share of months sold nothing

SHORT_HISTORY = "short_history"
ZERO = "zero"
COMBINATION = "combination"
ENSEMBLE = "ensemble"
# Forecasts dropped at each end per period by the ensemble's trimmed mean: two of its
# eight (one: MASE 1.001 on M1 and 1.355 on Tourism, against 0.998 and 1.350).
ENSEMBLE_TRIM = 2


class MethodFailed(Exception):
    """A method raised, returned non-finite values or exploded."""


@dataclass(frozen=True)
class Forecast:
    """Point forecast and 80% interval for `horizon` periods, and how it was made."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    model: str
    demand_class: str
    history_length: int
    backtest_mae: float | None = None
    backtest_mase: float | None = None
    failed: tuple[str, ...] = field(default=())


def forecast_series(history: ArrayLike, horizon: int = 12, season_length: int = 12) -> Forecast:
    """Forecast `horizon` periods of a demand series (oldest first); see the module doc."""
    if horizon < 1 or season_length < 1:
        raise ValueError("horizon and season_length must be positive")
    y = _clean(history)
    n = y.size
    if n == 0:
        zeros = np.zeros(horizon)
        return Forecast(zeros, zeros, zeros, ZERO, NO_DEMAND, 0)
    demand_class = classify_demand(y).demand_class
    if n < MIN_HISTORY:
        return short_history_forecast(y, horizon, demand_class)
    return _selected_forecast(y, horizon, season_length, demand_class)


def short_history_forecast(
    y: np.ndarray, horizon: int, demand_class: str, failed: tuple[str, ...] = ()
) -> Forecast:
    """The simple rule: the mean of the last `SHORT_WINDOW` months, flat. Its interval
    comes from the same rule's one-step errors inside the history (from 0 to twice the
    level when there is only one month)."""
    level = float(y[-SHORT_WINDOW:].mean())
    mean = np.full(horizon, level)
    errors = np.array([y[t] - y[max(0, t - SHORT_WINDOW) : t].mean() for t in range(1, y.size)])
    if errors.size >= 2:
        low, high = interval_offsets(errors, np.ones(errors.size), horizon)
    else:
        low, high = np.full(horizon, -level), np.full(horizon, level)
    lower, upper = _guarded_interval(y, mean, low, high)
    return Forecast(mean, lower, upper, SHORT_HISTORY, demand_class, int(y.size), failed=failed)


def _clean(history: ArrayLike) -> np.ndarray:
    y = np.nan_to_num(np.asarray(history, dtype=float).ravel(), nan=0.0, posinf=0.0)
    y = np.maximum(y, 0.0)
    first = np.flatnonzero(y > 0)
    clean: np.ndarray = y[first[0] :] if first.size else y[:0]
    return clean


@dataclass
class _Scored:
    """A candidate's backtest: its errors (actual − forecast) over every origin."""

    name: str
    members: tuple[Method, ...]
    errors: np.ndarray
    label: str = ""

    @property
    def mae(self) -> float:
        return float(np.mean(np.abs(self.errors)))


@dataclass(frozen=True)
class _Backtest:
    """The rolling origins of one history and the months each is scored on."""

    y: np.ndarray
    origins: list[int]

    @property
    def actuals(self) -> list[np.ndarray]:
        return [self.y[o : o + self.y.size] for o in self.origins]

    @property
    def truth(self) -> np.ndarray:
        return np.concatenate(self.actuals)

    @property
    def steps(self) -> np.ndarray:
        return np.concatenate([np.arange(1, self.y.size - o + 1) for o in self.origins])

    def forecasts(self, method: Method, m: int) -> list[np.ndarray]:
        """The method's forecast from each origin to the end of the history."""
        return [_run(method, self.y[:o], self.y.size - o, m) for o in self.origins]


def _selected_forecast(y: np.ndarray, h: int, m: int, demand_class: str) -> Forecast:
    backtest = _Backtest(y, backtest_origins(y.size, h, m))
    truth = backtest.truth
    offered = candidates(demand_class)
    failed: list[str] = []
    backtests: dict[str, np.ndarray] = {}
    for method in offered.methods:
        try:
            backtests[method.name] = np.concatenate(backtest.forecasts(method, m))
        except MethodFailed:
            failed.append(method.name)
    scored = [
        _Scored(name, (METHODS[name],), truth - forecast) for name, forecast in backtests.items()
    ]
    members = tuple(mt for mt in offered.combined if mt.name in backtests)
    if len(members) > 1:
        combined = np.mean([backtests[mt.name] for mt in members], axis=0)
        scored.append(_Scored(COMBINATION, members, truth - combined))
    for choice in sorted(scored, key=_rank):
        try:
            mean = np.mean([_run(mt, y, h, m) for mt in choice.members], axis=0)
        except MethodFailed:
            failed.append(choice.name)
            continue
        if offered.ensemble and ensemble_fits(y.size, m):
            choice, mean = _ensemble(
                backtest, backtests, h, m, offered.ensemble, choice, mean, failed
            )
        return _finish(y, mean, choice, backtest.steps, demand_class, tuple(failed))
    return short_history_forecast(y, h, demand_class, tuple(failed))


def ensemble_fits(n: int, season_length: int) -> bool:
    """Whether a history is long enough for the ensemble: its seasonal models need two
    whole seasons and two months (so the sandbox's 24-month histories go without)."""
    return fits_two_seasons(n, season_length)


def _ensemble(
    backtest: _Backtest,
    backtests: dict[str, np.ndarray],
    h: int,
    m: int,
    ensemble: tuple[Method, ...],
    winner: _Scored,
    winner_mean: np.ndarray,
    failed: list[str],
) -> tuple[_Scored, np.ndarray]:
    """The trimmed mean of the backtest's winner and the ensemble's models, refitted on
    the whole history, and scored on the same backtest: from each origin, the trimmed
    mean of the members that could fit there (a short start leaves some out). With
    fewer than three members that work, the winner alone. A member that was a candidate
    is not fitted again from the origins: `backtests` has its forecasts."""
    y, truth = backtest.y, backtest.truth
    cuts = np.cumsum([y.size - o for o in backtest.origins])[:-1]
    names, full = [_label(winner)], [winner_mean]
    at_origins: list[Sequence[np.ndarray | None]] = [np.split(truth - winner.errors, cuts)]
    for method in ensemble:
        if method.name in failed:
            continue
        try:
            full.append(_run(method, y, h, m))
        except MethodFailed:
            failed.append(method.name)
            continue
        names.append(method.name)
        if method.name in backtests:
            at_origins.append(np.split(backtests[method.name], cuts))
        else:
            at_origins.append(
                [_fit_or_none(method, y[:o], y.size - o, m) for o in backtest.origins]
            )
    if len(full) < 3:
        return winner, winner_mean
    back = np.concatenate(
        [
            trimmed_mean([fk for f in at_origins if (fk := f[k]) is not None])
            for k in range(len(backtest.origins))
        ]
    )
    members = tuple(METHODS[name] for name in names[1:])
    return _Scored(ENSEMBLE, members, truth - back, "+".join(names)), trimmed_mean(full)


def _fit_or_none(method: Method, y: np.ndarray, h: int, m: int) -> np.ndarray | None:
    try:
        return _run(method, y, h, m)
    except MethodFailed:
        return None


def trimmed_mean(forecasts: list[np.ndarray]) -> np.ndarray:
    """Per period, the mean of the forecasts without the `ENSEMBLE_TRIM` highest and
    lowest (none with too few): a runaway member cannot move the ensemble past the others."""
    ordered = np.sort(np.asarray(forecasts), axis=0)
    cut = ENSEMBLE_TRIM if len(forecasts) > 2 * ENSEMBLE_TRIM else 0
    mean: np.ndarray = ordered[cut : len(forecasts) - cut].mean(axis=0)
    return mean


def _label(scored: _Scored) -> str:
    if scored.name == COMBINATION:
        return COMBINATION + ":" + "+".join(mt.name for mt in scored.members)
    return scored.name


def backtest_origins(n: int, horizon: int, season_length: int) -> list[int]:
    """Rolling origins over the last `horizon` periods, oldest first; each leaves at
    least a season to fit on."""
    first = max(n - horizon, season_length)
    origins = [first + k * BACKTEST_STEP for k in range(BACKTEST_ORIGINS)]
    return [o for o in origins if o < n] or [n - 1]


def _run(method: Method, y: np.ndarray, h: int, m: int) -> np.ndarray:
    try:
        raw = np.asarray(method.fit(y, h, m), dtype=float)
    except Exception as exc:  # any library error is this method's failure, not the run's
        raise MethodFailed(method.name) from exc
    top = float(y.max())
    if raw.shape != (h,) or not np.all(np.isfinite(raw)) or raw.max() > EXPLODED_MULTIPLE * top:
        raise MethodFailed(method.name)
    guarded: np.ndarray = np.clip(raw, 0.0, GUARD_MULTIPLE * top)
    return guarded


def _rank(scored: _Scored) -> float:
    # The combination wins unless a single method is better by more than SINGLE_MARGIN.
    discount = 1 - SINGLE_MARGIN if scored.name == COMBINATION else 1.0
    return scored.mae * discount


def interval_offsets(
    errors: np.ndarray, steps: np.ndarray, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper offsets per step ahead from backtest errors (actual − forecast)."""
    growth = np.arange(1, horizon + 1) ** HORIZON_EXPONENT
    scaled = errors / steps**HORIZON_EXPONENT
    low, high = np.quantile(scaled, [ERROR_QUANTILE, 1 - ERROR_QUANTILE])
    return min(float(low), 0.0) * growth, max(float(high), 0.0) * growth


def _guarded_interval(
    y: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    # When at least a tenth of the months sold nothing, zero is inside any 80% interval.
    if np.mean(y == 0) >= ZERO_MONTHS_SHARE:
        low = np.full_like(mean, -np.inf)
    lower = np.clip(mean + low, 0.0, mean)
    upper = np.maximum(np.minimum(mean + high, UPPER_MULTIPLE * float(y.max())), mean)
    return lower, upper


def _finish(
    y: np.ndarray,
    mean: np.ndarray,
    choice: _Scored,
    steps: np.ndarray,
    demand_class: str,
    failed: tuple[str, ...],
) -> Forecast:
    low, high = interval_offsets(choice.errors, steps, mean.size)
    lower, upper = _guarded_interval(y, mean, low, high)
    model = ENSEMBLE + ":" + choice.label if choice.name == ENSEMBLE else _label(choice)
    return Forecast(
        mean=mean,
        lower=lower,
        upper=upper,
        model=model,
        demand_class=demand_class,
        history_length=int(y.size),
        backtest_mae=choice.mae,
        backtest_mase=choice.mae / naive_scale(y),
        failed=failed,
    )
