"""The enrichment engine: AI descriptions and categories for products, stock and low-stock
alerts, and the admin panel, all served by the `enrich` HTTP function.

`settings` is its slice, `handlers` the HTTP function (`panel` and `static/` its admin
page, `plan` the page's views of the sales plan), `run` the work (products, sales,
alerts, the synced catalogue's descriptions), `store` holds the SQL, `writer` the LLM's
prompts, `resilience` retries and the circuit breaker, `validation` the request bodies.
"""
