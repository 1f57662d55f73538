"""The `enrich` HTTP function: AI descriptions and categories, stock updates, low-stock alerts."""

import functions_framework
from flask import Request, Response

from odoo_engines.enrichment.handlers import create_handler

# One per instance: the database connections and the LLM circuit breaker are shared by
# every request this instance serves.
handle = create_handler()


@functions_framework.http
def enrich(request: Request) -> Response:
    return handle(request)
