"""Forecast error measures: MASE and RMSSE (scaled by the in-sample seasonal naive), sMAPE.

MASE is an absolute error, so on zero-heavy demand it favours forecasting the median
(often zero); RMSSE (the M5 competition's measure) is a squared error that favours the
mean, which is what a production plan needs. Both are reported.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def naive_scale(train: ArrayLike, season_length: int = 12, power: int = 1) -> float:
    """Mean absolute (`power` 1) or squared (2) error of the in-sample seasonal naive
    (lag-1 naive when too short). A flat history scales by its mean level instead, so
    the ratio stays finite."""
    y = np.asarray(train, dtype=float)
    lag = season_length if y.size > season_length else 1
    if y.size > lag:
        scale = float((np.abs(y[lag:] - y[:-lag]) ** power).mean())
        if scale > 0:
            return scale
    return max(float((np.abs(y) ** power).mean()) if y.size else 1.0, 1e-9)


def mase(
    actual: ArrayLike, forecast: ArrayLike, train: ArrayLike, season_length: int = 12
) -> float:
    """Mean absolute scaled error of `forecast` against `actual`."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    return float(np.abs(a - f).mean() / naive_scale(train, season_length))


def rmsse(
    actual: ArrayLike, forecast: ArrayLike, train: ArrayLike, season_length: int = 12
) -> float:
    """Root mean squared scaled error of `forecast` against `actual`."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    return float(np.sqrt(((a - f) ** 2).mean() / naive_scale(train, season_length, power=2)))


def smape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Symmetric MAPE in percent (0–200); periods where both are zero count as 0."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    denominator = np.abs(a) + np.abs(f)
    ratio = np.divide(2 * np.abs(a - f), denominator, out=np.zeros_like(a), where=denominator > 0)
    return float(100 * ratio.mean())
