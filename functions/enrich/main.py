"""The `enrich` HTTP function: AI descriptions and categories, stock updates, low-stock alerts."""

import functions_framework
from flask import Request, Response

from odoo_engines.enrichment.api import EnrichApp

# One per instance: the database connections and the LLM circuit breaker are shared by
# every request this instance serves.
_app = EnrichApp()


@functions_framework.http
def enrich(request: Request) -> Response:
    return _app(request)
