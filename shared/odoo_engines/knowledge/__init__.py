"""The knowledge engine: Odoo chatbot documents and links as searchable chunks.

`chunking` splits text, `cleaning` makes it storable, `store` holds the SQL,
`indexing` embeds and searches, `api` is the `embed-document` HTTP function.
"""
