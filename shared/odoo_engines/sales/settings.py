"""The sales engine's settings: the seed's run modes, the forecast's size, the production
plan's priority thresholds. Read from the environment by `load_sales_settings`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.errors import ConfigError
from ..core.settings import Env


@dataclass(frozen=True)
class SalesSettings:
    """Sales sync and forecast: the seed's modes, forecast size, production priorities."""

    skip_forecast: bool = False
    forecast_only: bool = False
    horizon: int = 12
    shard_size: int = 2000  # SKUs per forecast shard message (about 7 s each on one core)
    # Priority from the uncovered share of the month's forecast: ALTA at or above
    # `high_gap`, MEDIA at or above `medium_gap`, BAJA below.
    high_gap: float = 0.5
    medium_gap: float = 0.2


def load_sales_settings(env: Mapping[str, str] | None = None) -> SalesSettings:
    """The sales settings of `env` (default: the process environment)."""
    e = Env.of(env)
    high = e.float("PRODUCTION_HIGH_GAP", 0.5)
    medium = e.float("PRODUCTION_MEDIUM_GAP", 0.2)
    if medium > high:
        raise ConfigError(
            f"PRODUCTION_MEDIUM_GAP ({medium}) must not exceed PRODUCTION_HIGH_GAP ({high})"
        )
    return SalesSettings(
        skip_forecast=e.bool("SKIP_FORECAST"),
        forecast_only=e.bool("FORECAST_ONLY"),
        horizon=e.int("FORECAST_HORIZON", 12, minimum=1),
        shard_size=e.int("FORECAST_SHARD_SIZE", 2000, minimum=1),
        high_gap=high,
        medium_gap=medium,
    )
