"""embed-document: Odoo's chatbot documents and links → chunks → embeddings in pgvector.

HTTP routes (see GET /openapi.json): embed a document or link, delete one source,
clean up a chatbot, search a chatbot's chunks, health.
"""

import functions_framework
from flask import Request, Response

from odoo_engines.knowledge.handlers import create_handler

handle = create_handler()  # settings, connection and embedder: made on first request


@functions_framework.http
def embed_document(request: Request) -> Response:
    return handle(request)
