"""orders-api: `POST /tenants/{id}/poll` publishes an immediate poll for the tenant."""

import functions_framework
from flask import Request

from odoo_engines.orders.handlers import create_handler

handle = create_handler()  # settings, connection and known callers: kept per instance


@functions_framework.http
def orders_api(request: Request):
    return handle(request)
