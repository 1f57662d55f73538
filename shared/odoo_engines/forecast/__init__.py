"""Per-series demand forecasts: classify the demand, backtest candidates, pick or combine.

Pure numpy and statsmodels: no database, no Odoo. `forecast_series` is the entry point
the forecast job, the CLI and anyone else call.
"""

from .demand import DemandProfile, classify_demand
from .metrics import mase, rmsse, smape
from .series import Forecast, forecast_series

__all__ = [
    "DemandProfile",
    "Forecast",
    "classify_demand",
    "forecast_series",
    "mase",
    "rmsse",
    "smape",
]
