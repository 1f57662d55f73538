"""orders-api: `POST /tenants/{id}/poll` publishes an immediate poll for the tenant."""

import functions_framework
from flask import Request

from odoo_engines.orders.api import router


@functions_framework.http
def orders_api(request: Request):
    return router(request)
