"""The knowledge engine: Odoo chatbot documents and links as searchable chunks.

`settings` is its slice, `handlers` the `embed-document` HTTP function, `run` embeds and
searches, `store` holds the SQL, `chunking` splits text, `cleaning` makes it storable.
"""
