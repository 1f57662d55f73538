"""Cloud Function `forecast`: plans a run, forecasts one shard, or plans production."""

import functions_framework

from odoo_engines.core.triggers import pubsub_handler
from odoo_engines.sales.handlers import handle_forecast

run_forecast = functions_framework.cloud_event(pubsub_handler(handle_forecast))
