"""Cloud Function `sales-sync`: Scheduler → Pub/Sub → one sales sync (then a forecast)."""

import functions_framework

from odoo_engines.core.triggers import pubsub_handler
from odoo_engines.sales.handlers import handle_sales_sync

sync_sales = functions_framework.cloud_event(pubsub_handler(handle_sales_sync))
