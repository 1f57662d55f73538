"""embed-document: Odoo's chatbot documents and links → chunks → embeddings in pgvector.

HTTP routes (see GET /openapi.json): embed a document or link, delete one source,
clean up a chatbot, search a chatbot's chunks, health.
"""

import functions_framework

from odoo_engines.knowledge.api import create_handler

embed_document = functions_framework.http(create_handler())
