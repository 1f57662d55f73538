"""orders-api: `POST /tenants/{id}/poll` publishes an immediate poll for the tenant."""

import functions_framework

from odoo_engines.orders.api import router

orders_api = functions_framework.http(router)
