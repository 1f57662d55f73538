"""Cloud Function `product-sync`: Scheduler → Pub/Sub → one catalogue sync."""

import functions_framework

from odoo_engines.core.triggers import pubsub_handler
from odoo_engines.products.handlers import handle_product_sync

sync_products = functions_framework.cloud_event(pubsub_handler(handle_product_sync))
