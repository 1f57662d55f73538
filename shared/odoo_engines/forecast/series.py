"""`forecast_series`: one demand series in, a guarded forecast with an 80% interval out.

How a forecast is made:
1. The history is cleaned (missing or negative months count as zero) and the months
   before the first sale are dropped: the product did not exist yet.
2. No demand at all gives zeros. A history shorter than `MIN_HISTORY` months gets the
   documented simple rule: the mean of the last `SHORT_WINDOW` months, flat, with the
   10th–90th percentile of those months as its interval.
3. Otherwise the demand is classified (smooth, erratic, intermittent, lumpy) and each
   candidate method for that class is backtested from rolling origins over the last
   year. The equal-weight combination of the candidates is scored the same way (it
   costs no extra fits). The combination is kept unless a single method beats it by
   more than `SINGLE_MARGIN`: picking one method on a dozen points is noisy, averaging
   is the robust default (the M-competitions' lesson).
4. The winner is refitted on the whole history. A method that raises or explodes is
   dropped (in the backtest) or replaced by the next best (in the final fit); if every
   candidate fails, the simple rule of step 2 is used and the forecast says so.
5. Guards: never negative; the mean never above `GUARD_MULTIPLE` times the largest
   month of the history, the upper bound never above `UPPER_MULTIPLE` times it.
6. The 80% interval adds the 10th and 90th percentiles of the winner's backtest errors
   to the mean (empirical, so skewed, zero-heavy demand gets a skewed interval).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .demand import NO_DEMAND, SPORADIC, classify_demand
from .methods import Method, candidates
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
LEVEL = 0.8

SHORT_HISTORY = "short_history"
ZERO = "zero"
COMBINATION = "combination"


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


def forecast_series(history, horizon: int = 12, season_length: int = 12) -> Forecast:
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
    """The simple rule: mean of the last months, their 10th–90th percentile as interval."""
    recent = y[-SHORT_WINDOW:]
    level = float(recent.mean())
    low, high = np.quantile(recent, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    mean = np.full(horizon, level)
    return Forecast(
        mean,
        np.full(horizon, min(float(low), level)),
        np.full(horizon, max(float(high), level)),
        SHORT_HISTORY,
        demand_class,
        int(y.size),
        failed=failed,
    )


def _clean(history) -> np.ndarray:
    y = np.nan_to_num(np.asarray(history, dtype=float).ravel(), nan=0.0, posinf=0.0)
    y = np.maximum(y, 0.0)
    first = np.flatnonzero(y > 0)
    return y[first[0] :] if first.size else y[:0]


@dataclass
class _Scored:
    name: str
    members: tuple[Method, ...]
    score: float
    errors: np.ndarray


def _selected_forecast(y: np.ndarray, h: int, m: int, demand_class: str) -> Forecast:
    origins = backtest_origins(y.size, h, m)
    shortest = min(origins)
    failed: list[str] = []
    scored: list[_Scored] = []
    member_forecasts: dict[str, list[np.ndarray]] = {}
    actuals = [y[o : o + h] for o in origins]
    for method in candidates(demand_class):
        if not method.accepts(shortest, m):
            continue
        try:
            member_forecasts[method.name] = [
                _run(method, y[:o], len(a), m) for o, a in zip(origins, actuals, strict=True)
            ]
        except MethodFailed:
            failed.append(method.name)
    usable = [method for method in candidates(demand_class) if method.name in member_forecasts]
    if not usable:
        return short_history_forecast(y, h, demand_class, tuple(failed))
    truth = np.concatenate(actuals)
    steps = np.concatenate([np.arange(1, len(a) + 1) for a in actuals])
    for method in usable:
        errors = truth - np.concatenate(member_forecasts[method.name])
        scored.append(_Scored(method.name, (method,), _score(errors, demand_class), errors))
    if len(usable) > 1:
        combined = [
            np.mean([member_forecasts[mt.name][i] for mt in usable], axis=0)
            for i in range(len(origins))
        ]
        errors = truth - np.concatenate(combined)
        scored.append(_Scored(COMBINATION, tuple(usable), _score(errors, demand_class), errors))
    for choice in _ranked(scored):
        try:
            mean = np.mean([_run(mt, y, h, m) for mt in choice.members], axis=0)
        except MethodFailed:
            failed.append(choice.name)
            continue
        return _finish(y, mean, choice, steps, demand_class, tuple(failed))
    return short_history_forecast(y, h, demand_class, tuple(failed))


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
    return np.clip(raw, 0.0, GUARD_MULTIPLE * top)


def _score(errors: np.ndarray, demand_class: str) -> float:
    # Sporadic demand: squared error, because absolute error rewards forecasting zero
    # (the median of a zero-heavy series) and planners need the mean.
    if demand_class in SPORADIC:
        return float(np.sqrt(np.mean(errors**2)))
    return float(np.mean(np.abs(errors)))


def _ranked(scored: list[_Scored]) -> list[_Scored]:
    def key(s: _Scored) -> float:
        return s.score * (1 - SINGLE_MARGIN) if s.name == COMBINATION else s.score

    return sorted(scored, key=key)


def interval_offsets(errors: np.ndarray, steps: np.ndarray, horizon: int):
    """Lower and upper offsets per step ahead from backtest errors (actual − forecast)."""
    growth = np.arange(1, horizon + 1) ** HORIZON_EXPONENT
    scaled = errors / steps**HORIZON_EXPONENT
    low, high = np.quantile(scaled, [ERROR_QUANTILE, 1 - ERROR_QUANTILE])
    return min(float(low), 0.0) * growth, max(float(high), 0.0) * growth


def _finish(
    y: np.ndarray,
    mean: np.ndarray,
    choice: _Scored,
    steps: np.ndarray,
    demand_class: str,
    failed: tuple[str, ...],
) -> Forecast:
    top = float(y.max())
    low, high = interval_offsets(choice.errors, steps, mean.size)
    lower = np.clip(mean + low, 0.0, None)
    upper = np.minimum(mean + high, UPPER_MULTIPLE * top)
    mae = float(np.mean(np.abs(choice.errors)))
    model = choice.name
    if choice.name == COMBINATION:
        model = COMBINATION + ":" + "+".join(mt.name for mt in choice.members)
    return Forecast(
        mean=mean,
        lower=np.minimum(lower, mean),
        upper=np.maximum(upper, mean),
        model=model,
        demand_class=demand_class,
        history_length=int(y.size),
        backtest_mae=mae,
        backtest_mase=mae / naive_scale(y),
        failed=failed,
    )
