"""The order poller: confirmed Odoo orders of many tenants → signed webhooks to the picking app.

Where an order becomes a webhook: `poll.py` (one cycle per tenant) reads Odoo through
`odoo_orders.py`, maps with `payload.py`, records and sends through `outbox.py` and
`delivery.py`; failures wait in the retry queue that `retry.py` drains.
"""
