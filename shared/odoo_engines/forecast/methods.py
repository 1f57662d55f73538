"""The candidate methods: each maps a history to a point forecast of `h` periods.

All are recursions in numpy whose parameters are grid-searched for every candidate at
once: microseconds to a few milliseconds per series, so every candidate can be
backtested for every SKU. statsmodels was measured and left out of the run: `ThetaModel`
fits its SES by maximum likelihood (about 30 ms a fit, 97% of the run time), so Theta is
computed here the same way with a grid-searched weight (a test checks it against
`ThetaModel`); its damped `ETSModel` took 150 to 260 ms a fit on the Tourism
competition's 25-year series, so Holt-Winters and the ARIMA forms (airline, seasonal AR)
are grid-searched here too (about 2 ms and 0.5 ms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .demand import ERRATIC, SMOOTH, SPORADIC

# Smoothing weights searched by simple exponential smoothing (one-step squared error).
SES_ALPHAS = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 0.95])
SEASONS_AVERAGED = 3
# Croston and TSB use the small, fixed weights the intermittent-demand literature
# recommends: optimising them on a few non-zero points overfits.
CROSTON_ALPHA = 0.1
TSB_ALPHA = 0.1
TSB_BETA = 0.1


@dataclass(frozen=True)
class Method:
    """A named forecasting method."""

    name: str
    fit: Callable[[np.ndarray, int, int], np.ndarray]


def seasonal_naive(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Repeat the last season (the last value when the history is shorter than a season)."""
    if y.size < m:
        return np.full(h, y[-1])
    return np.resize(y[-m:], h)


def seasonal_average(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """The shape of the last seasons summed (up to `SEASONS_AVERAGED`) at the level of the
    last season: the seasonal naive with its noise averaged out. One season: seasonal naive."""
    k = min(y.size // m, SEASONS_AVERAGED)
    if k < 2:
        return seasonal_naive(y, h, m)
    seasons = y[-k * m :].reshape(k, m)
    total = seasons.sum()
    if total <= 0:
        return np.zeros(h)
    return np.resize(seasons.sum(axis=0) / total * seasons[-1].sum(), h)


def ses(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Simple exponential smoothing; the weight is chosen on the one-step squared error."""
    return np.full(h, _ses_fit(y, y[: min(y.size, 3)].mean(), SES_ALPHAS)[1])


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
    """The standard Theta method (Assimakopoulos & Nikolopoulos; Hyndman & Billah): SES
    plus half the linear trend as drift, on data deseasonalised when there are two
    seasons and the seasonality test passes. The same steps and test as statsmodels'
    `ThetaModel` (a test checks they agree), at a fraction of its cost."""
    n = y.size
    adjusted, reseasoned = _deseasonalised(y, m)
    slope = np.polyfit(np.arange(n), adjusted, 1)[0] if n > 1 else 0.0
    alpha, level = _ses_fit(adjusted, adjusted[0])
    steps = np.arange(h, dtype=float) + 1 / alpha - (1 - alpha) ** n / alpha
    return reseasoned(level + 0.5 * slope * steps)


def ses_drift(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """SES with drift, ARIMA(0,1,1) with a constant, on data deseasonalised as Theta's:
    the whole history's average step as the trend (Theta takes half the fitted line's)."""
    n = y.size
    adjusted, reseasoned = _deseasonalised(y, m)
    drift = (adjusted[-1] - adjusted[0]) / (n - 1) if n > 1 else 0.0
    undrifted = adjusted - drift * np.arange(n)
    _, level = _ses_fit(undrifted, undrifted[0])
    return reseasoned(level + drift * np.arange(n, n + h))


def _deseasonalised(y: np.ndarray, m: int) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The history without its season (`_theta_seasonal`; as it is when that finds none)
    and the function that puts the season back on a forecast that follows it."""
    n = y.size
    seasonal = _theta_seasonal(y, m)
    if seasonal is None:
        return y, lambda forecast: forecast
    indices, multiplicative = seasonal
    tiled = indices[np.arange(n) % m]

    def reseasoned(forecast: np.ndarray) -> np.ndarray:
        season = indices[(n + np.arange(forecast.size)) % m]
        back: np.ndarray = forecast * season if multiplicative else forecast + season
        return back

    return (y / tiled if multiplicative else y - tiled), reseasoned


def _theta_seasonal(y: np.ndarray, m: int) -> tuple[np.ndarray, bool] | None:
    """One season of classical-decomposition indices and whether they multiply (when
    every month sold something) or add; None without two seasons or without a
    significant lag-m autocorrelation (90%, the test statsmodels applies)."""
    n = y.size
    if m < 2 or n < 2 * m:
        return None
    centred = y - y.mean()
    denominator = centred @ centred
    if denominator == 0:
        return None
    rho = np.array([centred[: n - k] @ centred[k:] for k in range(m + 1)]) / denominator
    if n * rho[m] ** 2 / np.sum(rho[:m] ** 2) <= 2.705543454095404:
        return None
    weights = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.full(m, 1.0 / m)
    trend = np.full(n, np.nan)
    half = weights.size // 2
    trend[half : n - half] = np.convolve(y, weights, mode="valid")
    multiplicative = y.min() > 0
    detrended = y / trend if multiplicative else y - trend
    averages = np.array([np.nanmean(detrended[i::m]) for i in range(m)])
    if multiplicative:
        averages /= averages.mean()
        if averages.min() > 0:
            return averages, True
        detrended = y - trend
        averages = np.array([np.nanmean(detrended[i::m]) for i in range(m)])
    return averages - averages.mean(), False


# Smoothing weights for Theta's SES: a fine grid over (0, 1], the range statsmodels
# searches; unlike its optimiser, a grid cannot stop at a local optimum or a bound.
THETA_ALPHAS = np.linspace(0.005, 1.0, 200)


def _ses_fit(
    y: np.ndarray, initial: float, alphas: np.ndarray = THETA_ALPHAS
) -> tuple[float, float]:
    """SES from a known initial level with the weight (of `alphas`) of least one-step
    squared error; returns (alpha, the level after the last observation)."""
    level = np.full(alphas.size, float(initial))
    sse = np.zeros(alphas.size)
    for value in y:
        error = value - level
        sse += error * error
        level += alphas * error
    best = int(np.argmin(sse))
    return float(alphas[best]), float(level[best])


# Holt-Winters' grid: level, trend (a share of the level's weight), season and damping.
HW_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
HW_BETAS = np.array([0.0, 0.02, 0.1, 0.2])
HW_GAMMAS = np.array([0.0, 0.02, 0.05, 0.1, 0.2, 0.35])
HW_PHIS = np.array([1.0, 0.97, 0.92, 0.85])
HW_GRID = tuple(
    g.ravel() for g in np.meshgrid(HW_ALPHAS, HW_BETAS, HW_GAMMAS, HW_PHIS, indexing="ij")
)
HW_INIT_SEASONS = 3
# Holt-Winters and the airline model fit the last ten seasons at most: older years
# describe a market that has moved (on the Tourism competition's 25-year series this
# lowered the ensemble's MASE from 1.368 to 1.355 and halved the time).
RECENT_SEASONS = 10


def holt_winters(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Holt-Winters with a damped trend (ETS(A,Ad,A) and, on positive data, ETS(M,Ad,M)),
    the one of higher likelihood over a grid of smoothing weights, on the last
    `RECENT_SEASONS`. Needs two seasons."""
    y = y[-RECENT_SEASONS * m :]
    forecast, criterion = _holt_winters(y, h, m, multiplicative=False)
    if y.min() > 0:
        try:
            with np.errstate(all="ignore"):
                multiplied, other = _holt_winters(y, h, m, multiplicative=True)
        except ValueError:  # the initial trend line dips to zero: additive only
            return forecast
        if other < criterion:
            forecast = multiplied
    return forecast


def _holt_winters(y: np.ndarray, h: int, m: int, multiplicative: bool) -> tuple[np.ndarray, float]:
    """One Holt-Winters form fitted over `HW_GRID`: (forecast, -2 log-likelihood + const)."""
    n = y.size
    if m < 2 or n < 2 * m:
        raise ValueError("Holt-Winters needs two seasons")
    level0, slope0, season = _initial_states(y, m, multiplicative)
    alpha, beta, gamma, phi = HW_GRID
    level = np.full(alpha.size, level0)
    slope = np.full(alpha.size, slope0)
    seasons = np.tile(season, (alpha.size, 1))
    alpha_beta = alpha * beta
    sse = np.zeros(alpha.size)
    log_fitted = np.zeros(alpha.size)
    for t in range(n):
        j = t % m
        base = level + phi * slope
        index = seasons[:, j]
        if multiplicative:
            fitted = base * index
            error = y[t] - fitted
            relative = error / fitted
            sse += relative * relative
            log_fitted += np.log(np.abs(fitted))
            level = base + alpha * error / index
            slope = phi * slope + alpha_beta * error / index
            seasons[:, j] = index + gamma * error / base
        else:
            error = y[t] - base - index
            sse += error * error
            level = base + alpha * error
            slope = phi * slope + alpha_beta * error
            seasons[:, j] = index + gamma * error
    criterion = n * np.log(sse / n + 1e-300) + 2 * log_fitted
    criterion[~np.isfinite(criterion)] = np.inf
    best = int(np.argmin(criterion))
    trend = level[best] + slope[best] * np.cumsum(phi[best] ** np.arange(1, h + 1))
    index = seasons[best, (n + np.arange(h)) % m]
    return (trend * index if multiplicative else trend + index), float(criterion[best])


def _initial_states(y: np.ndarray, m: int, multiplicative: bool) -> tuple[float, float, np.ndarray]:
    """Level and slope before the first month and one season of indices, from a line
    through the yearly means of the first (up to `HW_INIT_SEASONS`) seasons."""
    k = min(HW_INIT_SEASONS, y.size // m)
    seasons = y[: k * m].reshape(k, m)
    means = seasons.mean(axis=1)
    slope = float(np.polyfit(np.arange(k) * m + (m - 1) / 2, means, 1)[0])
    trend = (means[0] + slope * (np.arange(k * m) - (m - 1) / 2)).reshape(k, m)
    if multiplicative:
        if trend.min() <= 0:
            raise ValueError("a multiplicative season needs a positive trend")
        index = (seasons / trend).mean(axis=0)
        index /= index.mean()
    else:
        index = (seasons - trend).mean(axis=0)
        index -= index.mean()
    return means[0] - slope * (m + 1) / 2, slope, index


# The airline model's grid of moving-average weights, regular (theta) and seasonal.
AIRLINE_GRID = tuple(
    g.ravel()
    for g in np.meshgrid(np.linspace(-0.3, 0.9, 13), np.linspace(0.0, 0.95, 11), indexing="ij")
)


def airline(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """The airline model, ARIMA(0,1,1)(0,1,1)m (Box & Jenkins), on the data as they are
    (the last `RECENT_SEASONS`); the two weights minimise the conditional sum of squares
    over a grid."""
    return _airline(y[-RECENT_SEASONS * m :].astype(float), h, m)


def airline_log(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """The airline model on logarithms (a multiplicative season) when every month is
    positive, else on the data as they are."""
    return _on_recent_logs(_airline, y, h, m)


def _on_recent_logs(
    fit: Callable[[np.ndarray, int, int], np.ndarray], y: np.ndarray, h: int, m: int
) -> np.ndarray:
    """`fit` on the last `RECENT_SEASONS`, on logarithms when every month is positive (a
    multiplicative season; the forecast is taken back out of logs), else as they are."""
    y = y[-RECENT_SEASONS * m :].astype(float)
    if y.min() <= 0:
        return fit(y, h, m)
    with np.errstate(over="ignore"):
        levels: np.ndarray = np.exp(fit(np.log(y), h, m))
    return levels


def fits_two_seasons(n: int, m: int) -> bool:
    """Whether `n` months hold two whole seasons of `m` and two months more (what the
    airline and seasonal AR models need to fit)."""
    return m >= 2 and n >= 2 * m + 2


def _airline(z: np.ndarray, h: int, m: int) -> np.ndarray:
    n = z.size
    if not fits_two_seasons(n, m):
        raise ValueError("the airline model needs two seasons and two months")
    # w is z differenced once at lag 1 and once at lag m; a holds its innovations
    w = z[m + 1 :] - z[m:-1] - z[1:-m] + z[: -m - 1]
    ma, sma = AIRLINE_GRID
    both = ma * sma
    start = m + 1
    a = np.zeros((ma.size, start + w.size + h))
    for t in range(w.size):
        j = start + t
        a[:, j] = w[t] + ma * a[:, j - 1] + sma * a[:, j - m] - both * a[:, j - start]
    best = int(np.argmin((a[:, start : start + w.size] ** 2).sum(axis=1)))
    th, sh, innovations = ma[best], sma[best], a[best]
    out = np.r_[z, np.zeros(h)]
    for s in range(h):
        j = start + w.size + s  # future innovations stay 0
        step = -th * innovations[j - 1] - sh * innovations[j - m] + th * sh * innovations[j - start]
        out[n + s] = step + out[n + s - 1] + out[n + s - m] - out[n + s - m - 1]
    ahead: np.ndarray = out[n:]
    return ahead


# The seasonal AR model's grid: the regular autoregression and the seasonal moving average.
SEASONAL_AR_GRID = tuple(
    g.ravel()
    for g in np.meshgrid(np.linspace(-0.2, 0.95, 24), np.linspace(0.0, 0.95, 20), indexing="ij")
)


def seasonal_ar(y: np.ndarray, h: int, m: int) -> np.ndarray:
    """ARIMA(1,0,0)(0,1,1)m with a constant on the last `RECENT_SEASONS`, on logarithms
    when every month is positive: this year follows last year, by a growth that persists
    from month to month (the airline model lets it wander). Needs two seasons and two
    months; the two weights minimise the conditional sum of squares over a grid."""
    return _on_recent_logs(_seasonal_ar, y, h, m)


def _seasonal_ar(z: np.ndarray, h: int, m: int) -> np.ndarray:
    n = z.size
    if not fits_two_seasons(n, m):
        raise ValueError("the seasonal AR model needs two seasons and two months")
    growth = z[m:] - z[:-m]  # this month against the same month a year before
    constant = growth.mean()
    v = np.r_[growth - constant, np.zeros(h)]
    ar, sma = SEASONAL_AR_GRID
    a = np.zeros((ar.size, v.size))  # innovations; the first is unknown, so 0
    for t in range(1, growth.size):
        seasonal_term = a[:, t - m] if t >= m else 0.0
        a[:, t] = v[t] - ar * v[t - 1] + sma * seasonal_term
    best = int(np.argmin((a[:, 1 : growth.size] ** 2).sum(axis=1)))
    for t in range(growth.size, v.size):  # future innovations stay 0
        v[t] = ar[best] * v[t - 1] - sma[best] * a[best, t - m]
    out = np.r_[z, np.zeros(h)]
    for s in range(h):
        out[n + s] = out[n + s - m] + v[growth.size + s] + constant
    ahead: np.ndarray = out[n:]
    return ahead


SEASONAL_NAIVE = Method("seasonal_naive", seasonal_naive)
SEASONAL_AVERAGE = Method("seasonal_average", seasonal_average)
SES = Method("ses", ses)
CROSTON_SBA = Method("croston_sba", croston_sba)
TSB = Method("tsb", tsb)
THETA = Method("theta", theta)
HOLT_WINTERS = Method("holt_winters", holt_winters)
AIRLINE = Method("airline", airline)
AIRLINE_LOG = Method("airline_log", airline_log)
SES_DRIFT = Method("ses_drift", ses_drift)
SEASONAL_AR = Method("seasonal_ar", seasonal_ar)

METHODS = {
    m.name: m
    for m in (
        SEASONAL_NAIVE, SEASONAL_AVERAGE, SES, CROSTON_SBA, TSB, THETA, HOLT_WINTERS, AIRLINE,
        AIRLINE_LOG, SES_DRIFT, SEASONAL_AR,
    )
}  # fmt: skip


@dataclass(frozen=True)
class Candidates:
    """The methods backtested for a demand class, those averaged in the combination, and
    those whose trimmed mean with the winner makes the ensemble (on long enough histories)."""

    methods: tuple[Method, ...]
    combined: tuple[Method, ...]
    ensemble: tuple[Method, ...] = ()


def candidates(demand_class: str) -> Candidates:
    """Candidates per demand class: seasonal methods where demand is regular, the
    intermittent-demand methods where it is not, SES and Theta everywhere."""
    if demand_class in (SMOOTH, ERRATIC):
        # Whole seasons averaged carry regular demand best on the sandbox's histories
        # (better than SES in the combination); Theta adds the trend.
        combined = (SEASONAL_AVERAGE, SEASONAL_NAIVE, THETA)
        # Diverse models whose errors partly cancel: measured on the M1 and Tourism
        # competitions' monthly series, their trimmed mean with the winner beat each alone.
        # Theta left it for the seasonal AR model, SES with drift and SES (MASE 1.007 to
        # 0.998 on M1, 1.355 to 1.350 on Tourism); SES, flat, pulls the mean to the level.
        ensemble = (
            HOLT_WINTERS, SEASONAL_AVERAGE, AIRLINE_LOG, AIRLINE, SEASONAL_AR, SES_DRIFT, SES,
        )  # fmt: skip
        return Candidates((*combined, SES), combined, ensemble)
    if demand_class in SPORADIC:
        combined = (SES, THETA, TSB)
        return Candidates((*combined, CROSTON_SBA), combined)
    return Candidates((SES,), (SES,))
